/*
 * End to end against real processes with known memory: the numbers
 * memtrend logs, target exit, launch mode, stopping, write failures.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/replay.h"
#include "core/regions.h"
#include "core/target.h"
#include "sources/rollup.h"
#include "testutil.h"

static char *mt, *memchild;

static void
live_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	memchild = (char *)tu_bin("MEMCHILD", "tests/helpers/memchild");
}

TestSuite(live, .init = live_setup, .fini = tu_tmp_cleanup);

/* One memtrend sample of pid into a fresh CSV, read back. */
static void
sample_once(struct table *t, pid_t pid, const char *tag)
{
	char pidtext[16], path[512];
	struct run r;

	snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
	snprintf(path, sizeof path, "%s/%s-%d.csv", tu_tmpdir(), tag, (int)pid);
	tu_run(&r,
	       (char *[]){mt, "-p", pidtext, "-c", "1", "-q", "-o", path, NULL},
	       30);
	cr_assert_eq(r.status, 0, "memtrend failed: %s", r.err);
	cr_assert_eq(tu_table_load(t, path), 0);
	cr_assert_eq(t->nrows, 1);
}

static void
assert_near(double got, double want, double tol, const char *what)
{
	cr_assert(fabs(got - want) <= tol,
		  "%s: got %.0f KiB, want %.0f KiB "
		  "(within %.0f)",
		  what, got, want, tol);
}

/* memtrend's value agrees with the kernel's smaps_rollup within 1 % (or
 * two pages, for the few KiB a small process's counts move by). */
static void
assert_kernel(const struct table *t, pid_t pid)
{
	double rss = tu_rollup_kb(pid, "Rss"), pss = tu_rollup_kb(pid, "Pss");
	double uss = tu_rollup_kb(pid, "Private_Clean") +
		     tu_rollup_kb(pid, "Private_Dirty") +
		     tu_rollup_kb(pid, "Private_Hugetlb");

	assert_near(tu_table_num(t, 0, "rss_kb"), rss, fmax(rss * 0.01, 8),
		    "rss");
	assert_near(tu_table_num(t, 0, "pss_kb"), pss, fmax(pss * 0.01, 8),
		    "pss");
	assert_near(tu_table_num(t, 0, "uss_kb"), uss, fmax(uss * 0.01, 8),
		    "uss");
}

Test(live, private_64mib_counts_in_rss_pss_uss)
{
	struct table before, after;
	struct child c;
	char line[64];
	const double want = 64 * MIB_KB, tol = want * 0.02;

	tu_child_start(&c, (char *[]){memchild, "private", "67108864", NULL});
	sample_once(&before, c.pid, "before");
	tu_child_send(&c, "go");
	cr_assert(tu_child_line(&c, line, sizeof line));
	cr_assert_str_eq(line, "ready");
	sample_once(&after, c.pid, "after");
	assert_kernel(&after, c.pid);
	tu_child_end(&c);

	assert_near(tu_table_num(&after, 0, "rss_kb") -
			tu_table_num(&before, 0, "rss_kb"),
		    want, tol, "rss growth");
	assert_near(tu_table_num(&after, 0, "pss_kb") -
			tu_table_num(&before, 0, "pss_kb"),
		    want, tol, "pss growth");
	assert_near(tu_table_num(&after, 0, "uss_kb") -
			tu_table_num(&before, 0, "uss_kb"),
		    want, tol, "uss growth");
	assert_near(tu_table_num(&after, 0, "anon_kb") -
			tu_table_num(&before, 0, "anon_kb"),
		    want, tol, "anon growth");
	assert_near(tu_table_num(&after, 0, "shmem_kb"),
		    tu_table_num(&before, 0, "shmem_kb"), tol,
		    "shmem unchanged");
	/* The system context is sampled with the process (it was lost
	 * when the loop learnt sets: MemAvailable stayed empty). */
	cr_assert(tu_table_num(&after, 0, "mem_available_kb") > 0,
		  "mem_available_kb empty");
	tu_table_free(&before);
	tu_table_free(&after);
}

/* 32 MiB MAP_SHARED between two processes: in both RSS, half in each PSS,
 * in neither USS. */
Test(live, shared_32mib_pair_splits_pss)
{
	struct table before[2], after[2];
	const double size = 32 * MIB_KB, tol = size * 0.02;
	struct child c;
	char line[64];
	pid_t pids[2];
	int i;

	tu_child_start(&c, (char *[]){memchild, "shared", "33554432", NULL});
	cr_assert_eq(sscanf(c.first, "started %d %d", &pids[0], &pids[1]), 2,
		     "%s", c.first);
	for (i = 0; i < 2; i++)
		sample_once(&before[i], pids[i], "before");
	tu_child_send(&c, "go");
	cr_assert(tu_child_line(&c, line, sizeof line));
	cr_assert_str_eq(line, "ready");
	for (i = 0; i < 2; i++) {
		sample_once(&after[i], pids[i], "after");
		assert_kernel(&after[i], pids[i]);
	}
	tu_child_end(&c);

	for (i = 0; i < 2; i++) {
		assert_near(tu_table_num(&after[i], 0, "rss_kb") -
				tu_table_num(&before[i], 0, "rss_kb"),
			    size, tol, "rss");
		assert_near(tu_table_num(&after[i], 0, "pss_kb") -
				tu_table_num(&before[i], 0, "pss_kb"),
			    size / 2, tol, "pss");
		assert_near(tu_table_num(&after[i], 0, "uss_kb") -
				tu_table_num(&before[i], 0, "uss_kb"),
			    0, tol, "uss");
		assert_near(tu_table_num(&after[i], 0, "shmem_kb") -
				tu_table_num(&before[i], 0, "shmem_kb"),
			    size, tol, "shmem");
		tu_table_free(&before[i]);
		tu_table_free(&after[i]);
	}
}

/* Every row is complete and none is a row of zeros: RSS always, USS at
 * the first tick and wherever the budget let smaps_rollup run (an empty
 * cell otherwise, never 0). */
static void
assert_rows_sane(const struct table *t)
{
	double uss;
	size_t i;

	cr_assert_gt(tu_table_num(t, 0, "uss_kb"), 0, "the first row has USS");
	for (i = 0; i < t->nrows; i++) {
		cr_assert_gt(tu_table_num(t, i, "rss_kb"), 0, "row %zu", i);
		uss = tu_table_num(t, i, "uss_kb");
		cr_assert(isnan(uss) || uss > 0, "row %zu: uss %f", i, uss);
		cr_assert(!isnan(tu_table_num(t, i, "minflt")), "row %zu", i);
		if (i > 0)
			cr_assert_gt(tu_table_num(t, i, "elapsed_s"),
				     tu_table_num(t, i - 1, "elapsed_s"));
	}
}

Test(live, target_exit_while_watching)
{
	char pid[16], path[512];
	struct table t;
	struct child c;
	struct run r;

	tu_child_start(&c,
		       (char *[]){memchild, "exit-after", "700", "0", NULL});
	snprintf(pid, sizeof pid, "%d", (int)c.pid);
	snprintf(path, sizeof path, "%s/exit.csv", tu_tmpdir());
	/* Not reaped until the end: memtrend must see a zombie as exited.
	 * The whole budget: at 2 % a tick's own work under ASan and load
	 * stretches the ticks past the child's 700 ms. */
	tu_run(&r,
	       (char *[]){mt, "-p", pid, "--every", "100ms", "--budget", "100%",
			  "-o", path, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "has exited") != NULL, "%s", r.err);
	cr_assert(strstr(r.out, "summary:") != NULL, "%s", r.out);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_geq(t.nrows, 3);
	cr_assert_leq(t.nrows, 9);
	assert_rows_sane(&t);
	tu_table_free(&t);
	tu_child_end(&c);
}

/* While a process exits, status has no Vm* lines for a moment: a row
 * then is partial with empty sizes, never 0 KiB (sampled every 1 ms over
 * the teardown of 256 MiB, a few times, as that moment is short), and
 * no whole row comes after a partial one.  Only file_kb may be 0, and
 * only in the first rows: just after exec, before the loader's first
 * page fault, the process truly has no file pages (seen in CI: row 0,
 * file_kb 0, a whole row). */
Test(live, exiting_target_never_reads_as_zero_kib)
{
	const char *cols[] = {"rss_kb", "anon_kb", "file_kb", "pss_kb",
			      "uss_kb"};
	char path[512];
	struct table t;
	struct run r;
	size_t i, c;
	bool file_seen;
	int k;

	for (k = 0; k < 5; k++) {
		snprintf(path, sizeof path, "%s/exit-%d.csv", tu_tmpdir(), k);
		tu_run(&r,
		       (char *[]){mt, "--every", "1ms", "--budget", "100%",
				  "-q", "-o", path, "--", memchild,
				  "touch-exit", "268435456", NULL},
		       60);
		cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
		cr_assert_eq(tu_table_load(&t, path), 0);
		cr_assert(t.nrows > 0);
		file_seen = false;
		for (i = 0; i < t.nrows; i++) {
			file_seen |= tu_table_num(&t, i, "file_kb") != 0;
			for (c = 0; c < sizeof cols / sizeof cols[0]; c++)
				cr_assert(
				    tu_table_num(&t, i, cols[c]) != 0 ||
					(!file_seen &&
					 strcmp(cols[c], "file_kb") == 0),
				    "run %d row %zu: %s 0 KiB (partial %g)", k,
				    i, cols[c], tu_table_num(&t, i, "partial"));
		}
		cr_assert(file_seen, "run %d: file_kb 0 in every row", k);
		/* Partial rows only at the end, as it exits (on a loaded
		 * machine the teardown can span more than one 1 ms tick). */
		for (i = 0; i < t.nrows && tu_table_num(&t, i, "partial") == 0;
		     i++)
			;
		cr_assert_gt(i, 0, "run %d: partial from the first row", k);
		for (; i < t.nrows; i++)
			cr_assert_eq(tu_table_num(&t, i, "partial"), 1,
				     "run %d row %zu of %zu: whole after a "
				     "partial row",
				     k, i, t.nrows);
		tu_table_free(&t);
	}
}

/* At --every 1ms two samples fell in one millisecond now and then, so
 * the CSV had two rows at one elapsed_s and analyze refused the file
 * memtrend had just written (4 runs in 5 here without --regions, 3 of 3
 * with). */
Test(live, a_1ms_run_is_a_csv_analyze_reads)
{
	char path[512], pid[16];
	struct child c;
	struct table t;
	struct run r;
	size_t i;

	tu_child_start(&c,
		       (char *[]){memchild, "exit-after", "60000", "0", NULL});
	snprintf(pid, sizeof pid, "%d", (int)c.pid);
	snprintf(path, sizeof path, "%s/ms.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "-p", pid, "--every", "1ms", "-d", "2s", "-q",
			  "--budget", "100%", "--regions", "-o", path, NULL},
	       60);
	kill(c.pid, SIGKILL);
	tu_child_end(&c);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_gt(t.nrows, 100);
	for (i = 1; i < t.nrows; i++)
		cr_assert_gt(tu_table_num(&t, i, "elapsed_s"),
			     tu_table_num(&t, i - 1, "elapsed_s"), "row %zu",
			     i);
	tu_table_free(&t);
	tu_run(&r, (char *[]){mt, "analyze", path, NULL}, 60);
	cr_assert_neq(r.status, 2, "%s", r.err);
}

/* At --every 1ms a 1 % budget cannot pay even the stat reads: the tick
 * slows (said once) and smaps_rollup still gets its share, where it used
 * to run once and leave USS empty for the rest of the run. */
Test(live, stat_dearer_than_the_budget_slows_the_tick)
{
	char path[512];
	struct table t;
	struct run r;
	size_t i, uss = 0;
	const char *note = "samples are taken about every", *p;

	snprintf(path, sizeof path, "%s/slow.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "--every", "1ms", "--budget", "1%", "-c", "20",
			  "-q", "-o", path, "--", memchild, "exit-after",
			  "60000", "0", NULL},
	       60);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	p = strstr(r.err, note);
	cr_assert(p != NULL, "no notice: %s", r.err);
	cr_assert(strstr(p + 1, note) == NULL, "said twice: %s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, 20);
	for (i = 0; i < t.nrows; i++)
		uss += !isnan(tu_table_num(&t, i, "uss_kb"));
	cr_assert_geq(uss, 5, "USS sampled %zu times of 20", uss);
	/* stat costs tens of microseconds at least: 1 ms ticks would
	 * spend several % of a core on it. */
	cr_assert_geq(tu_table_num(&t, 19, "elapsed_s"), 19 * 0.004,
		      "20 samples in %.3f s",
		      tu_table_num(&t, 19, "elapsed_s"));
	tu_table_free(&t);
}

Test(live, launch_mode_passes_exit_status)
{
	char path[512];
	struct table t;
	struct run r;

	/* The whole budget: a tick's own work, 1.7 ms under ASan and more
	 * under load, would stretch 100 ms ticks past the child's 500 ms
	 * at 2 % (CI once saw fewer than 3 rows). */
	snprintf(path, sizeof path, "%s/launch.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "--every", "100ms", "--budget", "100%", "-q",
			  "-o", path, "--", memchild, "exit-after", "500", "3",
			  NULL},
	       30);
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.err, "exited with status 3") != NULL, "%s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_geq(t.nrows, 3);
	assert_rows_sane(&t);
	tu_table_free(&t);

	tu_run(&r,
	       (char *[]){mt, "--every", "100ms", "-q", "--", "/bin/sh", "-c",
			  "sleep 0.3; kill -9 $$", NULL},
	       30);
	cr_assert_eq(r.status, 128 + 9, "%s", r.err);
	cr_assert(strstr(r.err, "killed by signal 9") != NULL, "%s", r.err);
}

Test(live, count_and_duration_stop_on_the_clock)
{
	char path[512];
	struct table t;
	struct run r;
	size_t i;

	snprintf(path, sizeof path, "%s/count.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "--every", "100ms", "-c", "5", "-o", path, "--",
			  memchild, "exit-after", "20000", "0", NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, 5);
	/* On the absolute clock a row is never before its tick (how late
	 * it is depends on the machine's load, so that is not asserted). */
	for (i = 0; i < t.nrows; i++)
		cr_assert_geq(tu_table_num(&t, i, "elapsed_s"), 0.1 * i - 0.002,
			      "row %zu at %.3f s", i,
			      tu_table_num(&t, i, "elapsed_s"));
	tu_table_free(&t);

	snprintf(path, sizeof path, "%s/duration.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "--every", "100ms", "-d", "1s", "-o", path, "--",
			  memchild, "exit-after", "20000", "0", NULL},
	       30);
	cr_assert_eq(r.status, 0,
		     "a command memtrend stopped is not a "
		     "failure: %s",
		     r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	/* Ten ticks fit in 1 s; a loaded machine may skip some (overruns),
	 * never add one or sample past the end. */
	cr_assert(t.nrows >= 1 && t.nrows <= 10, "%zu rows", t.nrows);
	cr_assert_lt(tu_table_num(&t, t.nrows - 1, "elapsed_s"), 1.0);
	assert_rows_sane(&t);
	snprintf(path, sizeof path, "summary: %zu sample", t.nrows);
	cr_assert(strstr(r.out, path) != NULL, "%s", r.out);
	tu_table_free(&t);
}

/* Whether pid has a handler for sig installed (SigCgt in status). */
static bool
catches_signal(pid_t pid, int sig)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	bool found = false;
	FILE *fp;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return false;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "SigCgt: %llx", &mask) == 1)
			found = true;
	fclose(fp);
	return found && (mask >> (sig - 1)) & 1;
}

/* Ctrl-C stops a run at --every 1h at once, whenever it arrives: here
 * as soon as the handler is in place (while the first sample is taken,
 * before the first sleep), and then during a sleep. */
Test(live, interrupt_stops_at_once_at_any_interval)
{
	char pid[16], path[512];
	double t0, waited;
	int k, st, i;
	pid_t m;

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	for (k = 0; k < 6; k++) {
		snprintf(path, sizeof path, "%s/hour%d.csv", tu_tmpdir(), k);
		m = fork();
		cr_assert(m >= 0);
		if (m == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			dup2(null, 2);
			execl(mt, mt, "-p", pid, "--every", "1h", "-q", "-o",
			      path, (char *)NULL);
			_exit(127);
		}
		for (i = 0; i < 5000 && !catches_signal(m, SIGINT); i++)
			usleep(1000);
		cr_assert(catches_signal(m, SIGINT), "no SIGINT handler");
		if (k % 2 == 1) /* the second time, during the sleep */
			while (tu_file_lines(path) < 2)
				usleep(1000);
		t0 = tu_now_s();
		kill(m, SIGINT);
		for (i = 0; i < 2000 && waitpid(m, &st, WNOHANG) == 0; i++)
			usleep(1000);
		waited = tu_now_s() - t0;
		if (i == 2000) {
			kill(m, SIGKILL);
			waitpid(m, &st, 0);
		}
		/* 50 ms slices; the rest is room for a loaded machine. */
		cr_assert_lt(waited, 0.5,
			     "run %d still running %.1f s after "
			     "SIGINT",
			     k, waited);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d",
			  st);
	}
}

/* SIGINT after the fourth row: a clean end, the summary, every row. */
Test(live, interrupt_ends_cleanly_with_summary)
{
	char pid[16], path[512], out[600];
	struct table t;
	int st, fd;
	pid_t m;

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	snprintf(path, sizeof path, "%s/int.csv", tu_tmpdir());
	snprintf(out, sizeof out, "%s.out", path);
	m = fork();
	cr_assert(m >= 0);
	if (m == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(mt, mt, "-p", pid, "--every", "100ms", "-q", "-o", path,
		      (char *)NULL);
		_exit(127);
	}
	while (tu_file_lines(path) < 5 && waitpid(m, &st, WNOHANG) == 0)
		usleep(2000);
	kill(m, SIGINT);
	cr_assert_eq(waitpid(m, &st, 0), m);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_geq(t.nrows, 4);
	cr_assert(tu_file_lines(out) > 5, "no summary");
	assert_rows_sane(&t);
	tu_table_free(&t);
}

/* A write failure mid-run (file size limit, as a full disk) stops with
 * exit 2 and a clear line; the rows before it stay whole. */
Test(live, write_error_stops_and_keeps_rows)
{
	char path[512], cmd[1200], err[4096] = "";
	struct table t;
	size_t i;
	FILE *fp;
	int st;

	snprintf(path, sizeof path, "%s/limited.csv", tu_tmpdir());
	snprintf(cmd, sizeof cmd,
		 "ulimit -f 4 && exec '%s' -p %d --every "
		 "10ms -c 1000 -q -o '%s' 2> '%s.err' > /dev/null",
		 mt, (int)getpid(), path, path);
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %#x", st);
	snprintf(cmd, sizeof cmd, "%s.err", path);
	fp = fopen(cmd, "r");
	cr_assert(fp != NULL);
	cr_assert(fread(err, 1, sizeof err - 1, fp) > 0);
	fclose(fp);
	cr_assert(strstr(err, "cannot write") != NULL &&
		      strstr(err, "intact") != NULL,
		  "%s", err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_geq(t.nrows, 2);
	for (i = 0; i < t.nrows; i++)
		cr_assert(!isnan(tu_table_num(&t, i, "threads")),
			  "row %zu "
			  "is cut short",
			  i);
	tu_table_free(&t);
}

/* A target whose PID now names another process is never sampled. */
/* Distinct elapsed_s values in a CSV: region samples in a regions CSV. */
static size_t
distinct_times(const struct table *t)
{
	double last = NAN, e;
	size_t i, n = 0;

	for (i = 0; i < t->nrows; i++) {
		e = tu_table_num(t, i, "elapsed_s");
		if (e != last)
			n++;
		last = e;
	}
	return n;
}

/* The regions CSV fills up (a file size limit): the summary counts the
 * region samples the file holds, whole, not one more. */
Test(live, summary_counts_the_region_samples_written)
{
	char path[512], cmd[1200], out[8192] = "";
	unsigned long said = 0;
	struct child c;
	struct table t;
	const char *p;
	FILE *fp;
	int st;

	tu_child_start(&c,
		       (char *[]){memchild, "exit-after", "60000", "0", NULL});
	snprintf(path, sizeof path, "%s/limited-regions.csv", tu_tmpdir());
	snprintf(
	    cmd, sizeof cmd,
	    "ulimit -f 16 && exec '%s' -p %d --every "
	    "10ms -c 1000 -q --budget 100%% --regions --regions-csv '%s' > "
	    "'%s.out' 2>/dev/null",
	    mt, (int)c.pid, path, path);
	st = system(cmd);
	kill(c.pid, SIGKILL);
	tu_child_end(&c);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %#x", st);
	snprintf(cmd, sizeof cmd, "%s.out", path);
	fp = fopen(cmd, "r");
	cr_assert(fp != NULL);
	cr_assert(fread(out, 1, sizeof out - 1, fp) > 0);
	fclose(fp);
	p = strstr(out, "regions CSV: ");
	cr_assert(p != NULL && sscanf(p, "regions CSV: %lu", &said) == 1, "%s",
		  out);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_gt(t.nrows, 0);
	cr_assert_eq(said, distinct_times(&t),
		     "summary says %lu region "
		     "samples, the file holds %zu",
		     said, distinct_times(&t));
	tu_table_free(&t);
}

Test(live, reused_pid_is_not_our_process)
{
	struct rollup *r;
	struct target t;
	struct error err;
	struct sample s;

	cr_assert_eq(target_from_pid(&t, "/", getpid(), &err), 0, "%s",
		     err.msg);
	cr_assert_eq(rollup_open(&r, &err), 0);
	sample_clear(&s);
	cr_assert_eq(rollup_sample(r, &t, true, &s, &err), 0, "%s", err.msg);
	cr_assert_gt(s.value[FIELD_RSS_KB], 0);
	t.start_ticks += 1; /* as if the PID had been recycled */
	sample_clear(&s);
	cr_assert_eq(rollup_sample(r, &t, true, &s, &err), -ESTALE);
	cr_assert(strstr(err.msg, "another process") != NULL, "%s", err.msg);
	cr_assert(isnan(s.value[FIELD_RSS_KB]));
	rollup_close(r);
	target_close(&t);
}

/* The bundled demo leaks 256 KiB/s: flagged within the quick start's
 * three minutes (a launched command is a test run: issue 9 asks for a
 * flag once a steady leak has lasted 3 min after its start-up; here it
 * comes at about 2 min), though its first sample comes before its 2 MiB
 * working set (a start-up step that alone is not a leak).
 * --fail-on-growth turns the verdict into exit status 1. */
Test(live, demo_leak_is_flagged_growing, .timeout = 300)
{
	char *demo = (char *)tu_bin("MEMTREND_DEMO", "./memtrend-demo");
	struct run r;

	tu_run(&r,
	       (char *[]){mt, "--fail-on-growth", "--every", "250ms",
			  "--duration", "3m", "-q", "--", demo, NULL},
	       260);
	cr_assert_eq(r.status, 1, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "verdict: growing: USS growing ") != NULL, "%s",
		  r.out);
	cr_assert(strstr(r.out, "First flagged at ") != NULL, "%s", r.out);
}

Test(live, flat_demo_is_not_flagged)
{
	char *demo = (char *)tu_bin("MEMTREND_DEMO", "./memtrend-demo");
	struct run r;

	tu_run(&r,
	       (char *[]){mt, "--fail-on-growth", "--every", "100ms",
			  "--duration", "10s", "-q", "--", demo, "--flat",
			  NULL},
	       60);
	cr_assert_eq(r.status, 0, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "verdict: ") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "verdict: growing") == NULL, "%s", r.out);
}

/* The command's own failure wins over growth: the CI step shows why it
 * failed first. */
/* The watched command (the demo: it grows) fails: its status wins over
 * the growth that --fail-on-growth would report, which is there. */
Test(live, command_status_wins_over_growth, .timeout = 300)
{
	char *demo = (char *)tu_bin("MEMTREND_DEMO", "./memtrend-demo");
	struct run r;

	tu_run(&r,
	       (char *[]){mt, "--fail-on-growth", "--every", "250ms", "-q",
			  "--", demo, "--for", "3m", "--status", "3", NULL},
	       260);
	cr_assert_eq(r.status, 3, "status %d: %s%s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "verdict: growing: USS growing ") != NULL,
		  "the growth this precedence is about was not seen: %s",
		  r.out);
}

/* The live view prints the verdict as it changes, not on every row. */
Test(live, live_view_prints_the_verdict_as_it_changes)
{
	char *demo = (char *)tu_bin("MEMTREND_DEMO", "./memtrend-demo");
	const char *p;
	struct run r;
	int lines = 0;

	/* The whole budget: a verdict needs 30 samples, which stretched
	 * ticks (ASan, load) would not give in 8 s. */
	tu_run(&r,
	       (char *[]){mt, "--every", "100ms", "--budget", "100%",
			  "--duration", "8s", "--", demo, NULL},
	       60);
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (p = r.out; (p = strstr(p, "verdict: ")) != NULL; p++)
		lines++;
	cr_assert_geq(lines, 3, "%s", r.out); /* changes + the summary */
	cr_assert_leq(lines, 8, "%s", r.out);
}

/* Rows per sample (distinct elapsed_s) of a regions CSV: first and last. */
static void
block_sizes(const struct table *t, size_t *first, size_t *last)
{
	size_t i, n = 0;

	*first = 0;
	for (i = 0; i < t->nrows; i++) {
		if (i > 0 && tu_table_num(t, i, "elapsed_s") !=
				 tu_table_num(t, i - 1, "elapsed_s")) {
			if (*first == 0)
				*first = n;
			n = 0;
		}
		n++;
	}
	if (*first == 0)
		*first = n;
	*last = n;
}

/* Every row of a CSV has every cell (the last column is never missing). */
static void
assert_rows_whole(const struct table *t, const char *what)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		cr_assert(!isnan(tu_table_num(t, i, "partial")),
			  "%s row %zu "
			  "is cut short",
			  what, i);
}

/* A full disk (a 48 KiB tmpfs) under both CSVs: memtrend stops with the
 * reason, and what it wrote is whole rows and whole region samples. */
Test(live, full_disk_keeps_whole_rows_and_blocks)
{
	char dir[512], csv[600], rcsv[600], pid[16], mnt[700];
	size_t first, last;
	struct table t, rt;
	struct child c;
	struct run r;
	int rc, rrc;

	snprintf(dir, sizeof dir, "%s/small", tu_tmpdir());
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(mnt, sizeof mnt,
		 "mount -t tmpfs -o size=48k memtrend-full "
		 "'%s' 2>/dev/null",
		 dir);
	if (geteuid() != 0 || system(mnt) != 0)
		cr_skip_test("cannot mount a small tmpfs here (needs root and "
			     "a mount namespace that allows it)");
	snprintf(csv, sizeof csv, "%s/s.csv", dir);
	snprintf(rcsv, sizeof rcsv, "%s/r.csv", dir);
	tu_child_start(&c,
		       (char *[]){memchild, "exit-after", "60000", "0", NULL});
	snprintf(pid, sizeof pid, "%d", (int)c.pid);
	tu_run(&r,
	       (char *[]){mt, "-p", pid, "--every", "2ms", "-q", "--budget",
			  "100%", "--regions", "--regions-csv", rcsv, "-o", csv,
			  NULL},
	       60);
	kill(c.pid, SIGKILL);
	tu_child_end(&c);
	rc = tu_table_load(&t, csv);
	rrc = tu_table_load(&rt, rcsv);
	snprintf(mnt, sizeof mnt, "umount '%s'", dir);
	cr_assert_eq(system(mnt), 0);
	cr_assert_eq(r.status, 2, "status %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "No space left on device") != NULL &&
		      strstr(r.err, "intact") != NULL,
		  "%s", r.err);
	cr_assert_eq(rc, 0);
	cr_assert_eq(rrc, 0);
	cr_assert_gt(t.nrows, 0);
	cr_assert_gt(rt.nrows, 0);
	assert_rows_whole(&t, "samples CSV");
	assert_rows_whole(&rt, "regions CSV");
	block_sizes(&rt, &first, &last);
	cr_assert_eq(first, last,
		     "the last region sample has %zu of %zu "
		     "rows",
		     last, first);
	tu_table_free(&t);
	tu_table_free(&rt);
}

/* Regions in each region sample: the first sample's, and whether every
 * other had as many. */
struct region_counts {
	size_t samples, first;
	bool same;
};

static int
count_regions(void *ctx, const struct sample *s)
{
	struct region_counts *rc = ctx;

	if (rc->samples++ == 0)
		rc->first = s->regions->n;
	rc->same = rc->same && s->regions->n == rc->first;
	return 0;
}

/* kill -9 at random moments: the CSV reads back as whole rows, the
 * regions CSV as whole region samples.  The kernel may cut the write
 * under way (at a page boundary, when the kill is pending): memtrend's
 * readers leave that last row, and its region sample, out and say so. */
Test(live, kill_9_leaves_whole_rows_and_blocks)
{
	char csv[512], rcsv[512], pid[16];
	struct region_counts counts;
	struct table t;
	struct error err;
	struct child c;
	int k, st;
	pid_t m;

	tu_child_start(&c,
		       (char *[]){memchild, "exit-after", "60000", "0", NULL});
	snprintf(pid, sizeof pid, "%d", (int)c.pid);
	srand((unsigned int)getpid());
	for (k = 0; k < 8; k++) {
		snprintf(csv, sizeof csv, "%s/k%d.csv", tu_tmpdir(), k);
		snprintf(rcsv, sizeof rcsv, "%s/k%d-regions.csv", tu_tmpdir(),
			 k);
		m = fork();
		cr_assert(m >= 0);
		if (m == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			dup2(null, 2);
			execl(mt, mt, "-p", pid, "--every", "1ms", "-q",
			      "--budget", "100%", "--regions", "--group-by",
			      "mapping", "--regions-csv", rcsv, "-o", csv,
			      (char *)NULL);
			_exit(127);
		}
		while (tu_file_lines(csv) < 3 && waitpid(m, &st, WNOHANG) == 0)
			usleep(1000);
		usleep((useconds_t)(rand() % 30000));
		kill(m, SIGKILL);
		cr_assert_eq(waitpid(m, &st, 0), m);
		cr_assert(WIFSIGNALED(st), "memtrend ended by itself: %d", st);
		cr_assert_eq(tu_table_load(&t, csv), 0);
		assert_rows_whole(&t, "samples CSV");
		tu_table_free(&t);
		cr_assert_eq(tu_table_load(&t, rcsv), 0);
		assert_rows_whole(&t, "regions CSV");
		tu_table_free(&t);
		counts = (struct region_counts){.same = true};
		err.msg[0] = '\0';
		cr_assert_eq(
		    replay_regions_file(rcsv, count_regions, &counts, &err), 0,
		    "%s", err.msg);
		cr_assert(counts.samples > 0 && counts.same,
			  "run %d: %zu region samples of %zu regions, "
			  "not all alike",
			  k, counts.samples, counts.first);
	}
	kill(c.pid, SIGKILL);
	tu_child_end(&c);
}

/* The target exits while its regions are read: the files stay whole,
 * no size reads 0, the cut sample is marked partial. */
Test(live, target_exiting_mid_sample_keeps_files_whole)
{
	char csv[512], rcsv[512];
	struct table t, rt;
	struct run r;
	size_t i;
	int k;

	for (k = 0; k < 3; k++) {
		snprintf(csv, sizeof csv, "%s/x%d.csv", tu_tmpdir(), k);
		snprintf(rcsv, sizeof rcsv, "%s/x%d-regions.csv", tu_tmpdir(),
			 k);
		tu_run(&r,
		       (char *[]){mt, "--every", "1ms", "-q", "--budget",
				  "100%", "--regions", "--regions-csv", rcsv,
				  "-o", csv, "--", memchild, "touch-exit",
				  "268435456", NULL},
		       60);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_eq(tu_table_load(&t, csv), 0);
		cr_assert_eq(tu_table_load(&rt, rcsv), 0);
		assert_rows_whole(&t, "samples CSV");
		assert_rows_whole(&rt, "regions CSV");
		for (i = 0; i < t.nrows; i++)
			cr_assert(tu_table_num(&t, i, "rss_kb") != 0, "row %zu",
				  i);
		for (i = 0; i + 1 < t.nrows; i++)
			cr_assert_eq(tu_table_num(&t, i, "partial"), 0);
		tu_table_free(&t);
		tu_table_free(&rt);
	}
}
