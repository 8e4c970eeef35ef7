/*
 * Sets of targets watched by one loop, against real processes: every
 * process so named (--all-matching), a command and its descendants
 * (--tree), a cgroup's processes (--cgroup).  Each member's row is its
 * own, and the sum row (pid 0) adds up the members of the same tick.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static char *mt, *memchild;

static void
sets_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	memchild = (char *)tu_bin("MEMCHILD", "tests/helpers/memchild");
}

TestSuite(sets, .init = sets_setup, .fini = tu_tmp_cleanup);

/* For every tick: the sum row's sizes equal the members' of that tick. */
static size_t
check_sums(const struct table *t, size_t members)
{
	size_t i, k, sums = 0;
	const char *cols[] = {"rss_kb", "pss_kb", "uss_kb", "anon_kb"};

	for (i = 0; i < t->nrows; i++) {
		double pid = tu_table_num(t, i, "pid"), el, total[4] = {0};
		size_t j, n = 0;

		if (pid != 0)
			continue;
		sums++;
		el = tu_table_num(t, i, "elapsed_s");
		for (j = 0; j < t->nrows; j++) {
			if (tu_table_num(t, j, "pid") == 0 ||
			    tu_table_num(t, j, "elapsed_s") != el)
				continue;
			n++;
			for (k = 0; k < 4; k++)
				total[k] += tu_table_num(t, j, cols[k]);
		}
		cr_assert_eq(n, members, "tick at %.3f s: %zu members", el, n);
		for (k = 0; k < 4; k++)
			cr_assert_eq(tu_table_num(t, i, cols[k]), total[k],
				     "%s at %.3f s: sum %.0f, members %.0f",
				     cols[k], el, tu_table_num(t, i, cols[k]),
				     total[k]);
	}
	return sums;
}

/* The latest USS of pid in the long-format CSV. */
static double
last_uss(const struct table *t, pid_t pid)
{
	double uss = NAN;
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (tu_table_num(t, i, "pid") == (double)pid &&
		    !isnan(tu_table_num(t, i, "uss_kb")))
			uss = tu_table_num(t, i, "uss_kb");
	return uss;
}

/* A holder's USS: what it touched, plus its small program. */
static void
assert_holds(const struct table *t, pid_t pid, double kb)
{
	double uss = last_uss(t, pid);

	cr_assert(uss >= kb && uss < kb + 2048,
		  "pid %d: USS %.0f KiB, want %.0f KiB and up to 2 MiB more",
		  (int)pid, uss, kb);
}

/* memtrend -n NAME --all-matching, its long CSV to path. */
static void
run_set(struct run *r, const char *name, const char *every, const char *count,
	const char *budget, const char *path)
{
	tu_run(r,
	       (char *[]){mt, "-n", (char *)name, "--all-matching", "--every",
			  (char *)every, "--count", (char *)count, "--budget",
			  (char *)budget, "-q", "-o", (char *)path, NULL},
	       60);
}

Test(sets, all_matching_watches_each_process_and_their_sum)
{
	char prog[512], name[32], path[512];
	struct child a, b;
	struct table t;
	struct run r;
	pid_t pa, pb;

	tu_unique_copy(memchild, "set", prog, sizeof prog, name, sizeof name);
	tu_holder_start(&a, prog, "8388608");
	tu_holder_start(&b, prog, "16777216");
	pa = a.pid;
	pb = b.pid;
	snprintf(path, sizeof path, "%s/all.csv", tu_tmpdir());
	run_set(&r, name, "200ms", "5", "100%", path);
	tu_child_end(&a);
	tu_child_end(&b);
	cr_assert_eq(r.status, 0, "memtrend: %s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_str_eq(t.header[t.ncols - 2], "comm");
	cr_assert_str_eq(t.header[t.ncols - 1], "cmdline");
	/* Five ticks of two members and their sum. */
	cr_assert_eq(t.nrows, 15, "%zu rows", t.nrows);
	cr_assert_eq(check_sums(&t, 2), 5);
	assert_holds(&t, pa, 8192);
	assert_holds(&t, pb, 16384);
	cr_assert_str_eq(t.rows[0][t.ncols - 2], name);
	cr_assert(strstr(r.out, "processes: 2 watched, 0 of them gone") != NULL,
		  "%s", r.out);
	tu_table_free(&t);
}

/* memtrend --tree -- sh -c script, its long CSV to path; it must exit 0. */
static void
run_tree(struct run *r, const char *script, const char *every, const char *path)
{
	tu_run(r,
	       (char *[]){mt, "--tree", "--every", (char *)every, "--budget",
			  "100%", "-q", "-o", (char *)path, "--", "sh", "-c",
			  (char *)script, NULL},
	       30);
	cr_assert_eq(r->status, 0, "memtrend: %s", r->err);
}

Test(sets, tree_follows_a_command_and_its_children_until_it_exits)
{
	char prog[512], name[32], path[512], script[1200];
	struct table t;
	struct run r;
	size_t i, kids = 0;
	pid_t seen[8] = {0};

	tu_unique_copy(memchild, "set", prog, sizeof prog, name, sizeof name);
	/* Two children that hold 4 MiB each until their stdin (a pipe from
	 * sleep) closes, four seconds on (a loaded CI machine may start the
	 * second late). */
	snprintf(script, sizeof script,
		 "sleep 4 | '%s' hold 4194304 >/dev/null & "
		 "sleep 4 | '%s' hold 4194304 >/dev/null & wait",
		 prog, prog);
	snprintf(path, sizeof path, "%s/tree.csv", tu_tmpdir());
	run_tree(&r, script, "250ms", path);
	cr_assert(strstr(r.err, "exited with status 0") != NULL, "%s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	for (i = 0; i < t.nrows; i++) {
		size_t k;
		pid_t pid = (pid_t)tu_table_num(&t, i, "pid");

		if (strcmp(t.rows[i][t.ncols - 2], name) != 0)
			continue;
		for (k = 0; k < kids && seen[k] != pid; k++)
			;
		if (k == kids && kids < 8)
			seen[kids++] = pid;
	}
	cr_assert_eq(kids, 2, "children seen: %zu", kids);
	assert_holds(&t, seen[0], 4096);
	assert_holds(&t, seen[1], 4096);
	tu_table_free(&t);
}

/* A member seen before its exec (a tree's command is a shell that then
 * execs the program) is named by what it runs now: its later rows say
 * the program's name and command line.  They said "sh" to the end, the
 * name the first scan found. */
Test(sets, a_member_that_execs_is_named_by_what_it_runs_now)
{
	char prog[512], name[32], path[512], script[1200];
	struct table t;
	struct run r;
	size_t i, rows = 0;
	const char *last = NULL, *cmd = NULL;

	tu_unique_copy(memchild, "exec", prog, sizeof prog, name, sizeof name);
	snprintf(script, sizeof script,
		 "sleep 0.5; exec '%s' exit-after 1500 0", prog);
	snprintf(path, sizeof path, "%s/exec.csv", tu_tmpdir());
	run_tree(&r, script, "100ms", path);
	cr_assert_eq(tu_table_load(&t, path), 0);
	for (i = 0; i < t.nrows; i++) {
		if (tu_table_num(&t, i, "pid") == 0)
			continue;
		rows++;
		last = t.rows[i][t.ncols - 2];
		cmd = t.rows[i][t.ncols - 1];
	}
	cr_assert_geq(rows, 8, "%zu rows", rows);
	cr_assert_str_eq(t.rows[0][t.ncols - 2], "sh");
	cr_assert_str_eq(last, name);
	cr_assert(strstr(cmd, "exit-after 1500 0") != NULL, "%s", cmd);
	tu_table_free(&t);
}

/* A cgroup made for the test (v2 if mounted, else v1's pids
 * controller); skipped when none can be made. */
static bool
make_cgroup(char *dir, size_t len)
{
	const char *bases[] = {"/sys/fs/cgroup/memory",
			       "/sys/fs/cgroup/unified", "/sys/fs/cgroup/pids",
			       "/sys/fs/cgroup"};
	size_t i;

	for (i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		snprintf(dir, len, "%s/memtrend-test-%d", bases[i],
			 (int)getpid());
		if (mkdir(dir, 0755) == 0)
			return true;
	}
	return false;
}

static void
join_cgroup(const char *dir, pid_t pid)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fprintf(f, "%d\n", (int)pid);
	cr_assert_eq(fclose(f), 0, "joining %s: %s", path, strerror(errno));
}

Test(sets, cgroup_watches_the_processes_in_it)
{
	char dir[512], path[600];
	struct child a;
	struct table t;
	struct run r;
	pid_t pa;
	bool had_usage;
	char line[64];
	size_t i;

	if (!make_cgroup(dir, sizeof dir))
		cr_skip_test("cannot make a cgroup here (not root?)");
	/* Joined before it touches its memory, so the cgroup is charged. */
	tu_child_start(&a, (char *[]){memchild, "private", "12582912", NULL});
	pa = a.pid;
	join_cgroup(dir, a.pid);
	tu_child_send(&a, "go");
	cr_assert(tu_child_line(&a, line, sizeof line));
	cr_assert_str_eq(line, "ready");
	snprintf(path, sizeof path, "%s/memory.current", dir);
	had_usage = access(path, F_OK) == 0;
	snprintf(path, sizeof path, "%s/memory.usage_in_bytes", dir);
	had_usage = had_usage || access(path, F_OK) == 0;
	snprintf(path, sizeof path, "%s/cg.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "--cgroup", dir, "--every", "200ms", "--count",
			  "3", "--budget", "100%", "-q", "-o", path, NULL},
	       30);
	tu_child_end(&a);
	rmdir(dir);
	cr_assert_eq(r.status, 0, "memtrend: %s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, 6, "%zu rows", t.nrows);
	cr_assert_eq(check_sums(&t, 1), 3);
	assert_holds(&t, pa, 12288);
	/* The sum carries the cgroup's own usage where it is accounted
	 * (a memory controller on it), and nothing made up where not. */
	for (i = 0; i < t.nrows; i++)
		if (tu_table_num(&t, i, "pid") == 0) {
			double kb = tu_table_num(&t, i, "cgroup_usage_kb");

			if (had_usage)
				cr_assert(kb >= 12288, "cgroup usage %.0f", kb);
			else
				cr_assert(isnan(kb), "cgroup usage %.0f", kb);
		}
	tu_table_free(&t);
}

/* The rows of pid in the long-format CSV, first to last, whose uss_kb
 * is filled: the index among pid's rows of the first (-1: none). */
static long
first_uss_row(const struct table *t, pid_t pid, size_t *rows)
{
	long first = -1;
	size_t i;

	*rows = 0;
	for (i = 0; i < t->nrows; i++) {
		if (tu_table_num(t, i, "pid") != (double)pid)
			continue;
		if (first < 0 && !isnan(tu_table_num(t, i, "uss_kb")))
			first = (long)*rows;
		(*rows)++;
	}
	return first;
}

/* A set's first smaps_rollup read is predicted from its members' RSS and
 * waits for its credit, as the one target's does: 256 MiB at 1 % of a
 * core (4 ms predicted; the name scan slows the tick to about 1 s, 10 ms
 * earned) is not read on the first tick but within the run.  It was read free
 * on the first tick, over the budget.  A small set is still read on the first
 * tick. */
Test(sets, a_sets_first_exact_read_is_predicted_and_waits_for_credit)
{
	char prog[512], name[32], path[512];
	struct child big, small;
	struct table t;
	struct run r;
	size_t rows;
	long first;
	pid_t pid;

	tu_unique_copy(memchild, "pred", prog, sizeof prog, name, sizeof name);
	tu_holder_start(&big, prog, "268435456");
	pid = big.pid;
	snprintf(path, sizeof path, "%s/pred.csv", tu_tmpdir());
	run_set(&r, name, "100ms", "6", "1%", path);
	tu_child_end(&big);
	cr_assert_eq(r.status, 0, "memtrend: %s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	first = first_uss_row(&t, pid, &rows);
	cr_assert_eq(rows, 6, "%zu rows", rows);
	cr_assert_gt(first, 0, "read on the first tick, before its credit");
	cr_assert_lt(first, (long)rows, "never read in %zu rows", rows);
	tu_table_free(&t);

	tu_unique_copy(memchild, "pres", prog, sizeof prog, name, sizeof name);
	tu_holder_start(&small, prog, "1048576");
	pid = small.pid;
	snprintf(path, sizeof path, "%s/small.csv", tu_tmpdir());
	run_set(&r, name, "100ms", "3", "2%", path); /* the default */
	tu_child_end(&small);
	cr_assert_eq(r.status, 0, "memtrend: %s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(first_uss_row(&t, pid, &rows), 0);
	tu_table_free(&t);
}

Test(sets, bad_sets_are_refused_in_one_line)
{
	struct run r;

	tu_run(&r, (char *[]){mt, "--all-matching", "-p", "1", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--all-matching goes with -n NAME") != NULL,
		  "%s", r.err);
	tu_run(&r, (char *[]){mt, "--tree", "-n", "init", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--tree goes with -p PID") != NULL, "%s",
		  r.err);
	tu_run(&r,
	       (char *[]){mt, "--cgroup", "/nonexistent/memtrend", "-c", "1",
			  NULL},
	       10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err,
			 "--cgroup /nonexistent/memtrend: cannot read") != NULL,
		  "%s", r.err);
	tu_run(&r,
	       (char *[]){mt, "-n", "no-such-process-xyz", "--all-matching",
			  "-c", "1", NULL},
	       10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "no process is in the set") != NULL, "%s",
		  r.err);
}
