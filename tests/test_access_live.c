/*
 * Access tracking and page-fault events against real children: a hot and
 * a cold 64 MiB set with the idle method this kernel allows, and a child
 * that faults a known number of pages counted by perf events.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/target.h"
#include "sources/faults.h"
#include "testutil.h"

static char *mt, *memchild;

static void
al_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	memchild = (char *)tu_bin("MEMCHILD", "tests/helpers/memchild");
}

TestSuite(access_live, .init = al_setup, .fini = tu_tmp_cleanup);

static long
al_col(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->header[i], name) == 0)
			return (long)i;
	cr_assert_fail("no column %s", name);
	return -1;
}

/* The last row of a region in a regions CSV. */
static long
al_last_row(const struct table *t, const char *region)
{
	long rc = al_col(t, "region"), row = -1;
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i][rc], region) == 0)
			row = (long)i;
	cr_assert_geq(row, 0, "no region %s", region);
	return row;
}

Test(access_live, cold_set_reads_idle_hot_set_does_not)
{
	char pid[16], path[512], hot[64], cold[64];
	unsigned long h, c;
	struct table t;
	struct child ch;
	struct run r;
	double hot_idle, cold_idle;

	tu_child_start(&ch, (char *[]){memchild, "hotcold", "67108864", NULL});
	cr_assert_eq(sscanf(ch.first, "started %lx %lx", &h, &c), 2);
	snprintf(hot, sizeof hot, "[anon]@%lx", h);
	snprintf(cold, sizeof cold, "[anon]@%lx", c);
	snprintf(pid, sizeof pid, "%d", (int)ch.pid);
	snprintf(path, sizeof path, "%s/idle.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "-p", pid, "--every", "1s", "-c", "4", "-q",
			  "--idle", "--group-by", "mapping", "--budget", "100%",
			  "--regions-csv", path, NULL},
	       60);
	kill(ch.pid, SIGKILL);
	tu_child_end(&ch);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "idle pages: ") != NULL,
		  "the method is "
		  "named: %s",
		  r.err);
	cr_assert_eq(tu_table_load(&t, path), 0);
	hot_idle = tu_table_num(&t, (size_t)al_last_row(&t, hot), "idle_pct");
	cold_idle = tu_table_num(&t, (size_t)al_last_row(&t, cold), "idle_pct");
	cr_assert_geq(cold_idle, 90, "cold set %.1f %% idle", cold_idle);
	cr_assert_leq(hot_idle, 10, "hot set %.1f %% idle", hot_idle);
	cr_assert(strstr(r.out, "idle memory") != NULL, "summary: %s", r.out);
	tu_table_free(&t);
}

Test(access_live, no_clear_refs_is_respected)
{
	char pid[16];
	struct run r;

	if (access("/sys/kernel/mm/page_idle/bitmap", F_OK) == 0)
		cr_skip_test("page_idle exists here: --no-clear-refs does not "
			     "leave memtrend without a method");
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	tu_run(&r,
	       (char *[]){mt, "-p", pid, "-c", "1", "-q", "--idle",
			  "--no-clear-refs", NULL},
	       30);
	if (strstr(r.err, "soft-dirty (clear_refs 4"))
		cr_skip_test("soft-dirty exists here");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "--no-clear-refs forbids") != NULL, "%s",
		  r.err);
}

/* A child faults N new pages: the perf count rises by N (within 2 %,
 * over its own measured baseline), and by what the kernel's own
 * accounting of the child says (an instrumented child faults more). */
Test(access_live, perf_counts_faults)
{
	const double n = 20000;
	char pid[16], path[512], line[64];
	double before, after, base0, base1;
	long counted;
	struct table t;
	struct child ch;
	int st;
	pid_t mpid;

	tu_child_start(&ch, (char *[]){memchild, "fault", "20000", NULL});
	snprintf(pid, sizeof pid, "%d", (int)ch.pid);
	snprintf(path, sizeof path, "%s/faults.csv", tu_tmpdir());
	mpid = fork();
	if (mpid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(mt, mt, "-p", pid, "--every", "200ms", "-c", "20", "-q",
		      "--faults", "--fault-addresses", "--group-by", "mapping",
		      "-o", path, NULL);
		_exit(127);
	}
	/* The baseline: rows 0 to 5 written before the child faults. */
	while (tu_file_lines(path) < 7 && waitpid(mpid, &st, WNOHANG) == 0)
		usleep(2000);
	tu_child_send(&ch, "go");
	cr_assert(tu_child_line(&ch, line, sizeof line));
	cr_assert_eq(sscanf(line, "ready %ld", &counted), 1, "%s", line);
	cr_assert_geq(counted, (long)n);
	waitpid(mpid, &st, 0);
	tu_child_end(&ch);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_geq(t.nrows, 20);
	base0 = tu_table_num(&t, 0, "perf_minflt");
	base1 = tu_table_num(&t, 5, "perf_minflt");
	before = tu_table_num(&t, 5, "perf_minflt");
	after = tu_table_num(&t, t.nrows - 1, "perf_minflt");
	cr_assert(!isnan(after), "perf events did not count");
	cr_assert(fabs(after - before - (base1 - base0) - (double)counted) <=
		      (double)counted * 0.02,
		  "perf counted %.0f faults; the kernel "
		  "counted %ld for %.0f pages (baseline %.0f)",
		  after - before, counted, n, base1 - base0);
	tu_table_free(&t);
}

static int
open_fds(pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* --fault-addresses on a target whose threads come and go: the events
 * of the threads that exited are closed at each scan, so memtrend's
 * open files stay as they are (they grew by one event a thread). */
Test(access_live, fault_addresses_close_exited_threads)
{
	char pid[16], path[512];
	struct child ch;
	int st, early, late;
	pid_t mpid;

	tu_child_start(&ch, (char *[]){memchild, "churn", NULL});
	snprintf(pid, sizeof pid, "%d", (int)ch.pid);
	snprintf(path, sizeof path, "%s/churn.csv", tu_tmpdir());
	mpid = fork();
	if (mpid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(mt, mt, "-p", pid, "--every", "10ms", "--budget", "100%",
		      "-c", "300", "-q", "--faults", "--fault-addresses", "-o",
		      path, NULL);
		_exit(127);
	}
	while (tu_file_lines(path) < 20 && waitpid(mpid, &st, WNOHANG) == 0)
		usleep(2000);
	early = open_fds(mpid);
	while (tu_file_lines(path) < 250 && waitpid(mpid, &st, WNOHANG) == 0)
		usleep(2000);
	late = open_fds(mpid);
	cr_assert_eq(waitpid(mpid, &st, 0), mpid);
	tu_child_end(&ch);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	cr_assert(early > 0 && late > 0);
	/* About ten threads live at any moment: their number varies. */
	cr_assert_leq(late, early + 20,
		      "open files: %d after 20 samples, %d "
		      "after 250",
		      early, late);
}

/* As nobody, on its own process: perf_event_paranoid 2 allows user-space
 * events only (exclude_kernel, as --probe tries), so --faults works
 * instead of falling back to the stat counters. */
static bool
al_perf_own(void *unused)
{
	char pid[16];
	struct run r;
	pid_t child;

	(void)unused;
	/* Until its exec the child is this process after setuid(): not
	 * dumpable, so not readable even by its own user (a run started
	 * then failed with "smaps_rollup: Permission denied" under load).
	 * The close-on-exec pipe reads end-of-file once exec is done. */
	child = tu_spawn((char *[]){memchild, "exit-after", "20000", "0", NULL},
			 true);
	if (child < 0)
		return false;
	snprintf(pid, sizeof pid, "%d", (int)child);
	tu_run(&r,
	       (char *[]){mt, "-p", pid, "-c", "2", "--every", "10ms", "-q",
			  "--faults", "--fault-addresses", NULL},
	       30);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (r.status != 0 || strstr(r.err, "page faults: perf events") == NULL)
		fprintf(stderr, "as nobody: %s\n", r.err);
	return r.status == 0 &&
	       strstr(r.err, "page faults: perf events on 1 thread") != NULL;
}

Test(access_live, perf_works_unprivileged_on_own_process)
{
	char buf[16] = "";
	FILE *fp = fopen("/proc/sys/kernel/perf_event_paranoid", "r");

	if (fp == NULL || fgets(buf, sizeof buf, fp) == NULL)
		cr_skip_test("no perf_event_paranoid: kernel without perf");
	fclose(fp);
	if (atoi(buf) > 2)
		cr_skip_test("perf_event_paranoid is %d: unprivileged perf is "
			     "off here",
			     atoi(buf));
	cr_assert(tu_as_nobody(al_perf_own, NULL), "--faults fell back");
}

/* Not permitted: perf_event_open on another user's process says which
 * privilege is missing (memtrend then falls back to the stat counters). */
static bool
al_perf_refused(void *proc_fd)
{
	struct target t = {.pid = getppid(), .proc_fd = *(int *)proc_fd};
	struct faults_opts o = {0};
	struct faults *f;
	struct error err;

	return faults_open(&f, &t, &o, &err) < 0 &&
	       strstr(err.msg, "CAP_PERFMON") != NULL;
}

Test(access_live, perf_refusal_names_the_privilege)
{
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/proc/%d", (int)getpid());
	fd = open(path, O_RDONLY | O_DIRECTORY);
	cr_assert(fd >= 0);
	cr_assert(tu_as_nobody(al_perf_refused, &fd),
		  "refusal did not name CAP_PERFMON");
	close(fd);
}
