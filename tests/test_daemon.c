/*
 * memtrend daemon run for real against child processes: a config error
 * stops it before anything starts, a second daemon on one state_dir
 * refuses, a restarted target is followed as a new instance, SIGHUP adds
 * a target, and a daemon killed with -9 resumes its verdict from the
 * stored history (equal to analyze's over that history).
 */
#define _GNU_SOURCE /* prlimit */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/daemon-store.h"
#include "core/sample.h"
#include "sinks/csv.h"
#include "testutil.h"

static char *mt, *memchild;

static void
daemon_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	memchild = (char *)tu_bin("MEMCHILD", "tests/helpers/memchild");
}

TestSuite(daemon, .init = daemon_setup, .fini = tu_tmp_cleanup);

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "cannot write %s", path);
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
}

/* The config: state under the test's directory, a 100 ms tick. */
static void
write_conf(char *conf, size_t len, const char *targets)
{
	char text[10000];

	snprintf(conf, len, "%s/memtrend.conf", tu_tmpdir());
	snprintf(text, sizeof text,
		 "[daemon]\n"
		 "state_dir = %s/state   # per-target logs\n"
		 "every = 100ms\n"
		 "budget = 100%%\n"
		 "\n%s",
		 tu_tmpdir(), targets);
	write_file(conf, text);
}

/* memtrend daemon in the background, its stderr to the test's dir. */
static pid_t
daemon_start(const char *conf)
{
	char errp[4200];
	pid_t pid;
	int fd;

	snprintf(errp, sizeof errp, "%s/daemon.err", tu_tmpdir());
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		/* Never outlive a failed test: a daemon left by the local
		 * CI's failed ASAN run went on sampling after it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fd = open(errp, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(fd, 2);
		execv(mt,
		      (char *[]){mt, "daemon", "--config", (char *)conf, NULL});
		_exit(127);
	}
	return pid;
}

static int
daemon_stop(pid_t pid, int sig)
{
	int st;

	kill(pid, sig);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The usual set-up: a config whose target "web" is a memchild copy of a
 * name of its own (tag), with daemon_keys added to [daemon] and
 * target_keys to [target web], and that copy (its path in prog, 4096
 * bytes, when not NULL) holding bytes. */
static void
web_start(const char *tag, const char *daemon_keys, const char *target_keys,
	  const char *bytes, char *conf, size_t len, struct child *c,
	  char *prog_out)
{
	char prog[4096], name[64], t[9000];

	tu_unique_copy(memchild, tag, prog, sizeof prog, name, sizeof name);
	snprintf(t, sizeof t, "%s\n[target web]\nname = %s\n%s", daemon_keys,
		 name, target_keys);
	write_conf(conf, len, t);
	tu_holder_start(c, prog, bytes);
	if (prog_out != NULL)
		memcpy(prog_out, prog, sizeof prog);
}

/* Rows of target's CSV with this pid (-1: any), and the largest
 * instance among them. */
static size_t
csv_rows(const char *target, long pid, double *instance)
{
	char path[4200];
	struct table t;
	size_t i, n = 0;

	snprintf(path, sizeof path, "%s/state/%s/samples.csv", tu_tmpdir(),
		 target);
	if (instance != NULL)
		*instance = 0;
	if (access(path, R_OK) != 0 || tu_table_load(&t, path) != 0)
		return 0;
	for (i = 0; i < t.nrows; i++) {
		if (pid >= 0 && tu_table_num(&t, i, "pid") != pid)
			continue;
		n++;
		if (instance != NULL)
			*instance =
			    fmax(*instance, tu_table_num(&t, i, "instance"));
	}
	tu_table_free(&t);
	return n;
}

/* Waits (up to 30 s: a failure, not a measure) for rows of pid. */
static void
wait_rows(const char *target, long pid, size_t n)
{
	int i;

	for (i = 0; i < 300 && csv_rows(target, pid, NULL) < n; i++)
		usleep(100000);
	cr_assert_geq(csv_rows(target, pid, NULL), n,
		      "%s: no %zu rows of pid %ld in 30 s", target, n, pid);
}

Test(daemon, config_error_names_file_line_and_key)
{
	char conf[4200], want[4400];
	struct run r;

	write_conf(conf, sizeof conf,
		   "[target web]\nname = nginx\nevery = soon\n");
	tu_run(&r, (char *[]){mt, "daemon", "--config", conf, NULL}, 10);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	/* [daemon] has 4 lines and a blank one: every is line 8. */
	snprintf(want, sizeof want, "%s:8: every: 'soon' is not a duration",
		 conf);
	cr_assert(strstr(r.err, want) != NULL, "stderr: %s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
		     "one line: %s", r.err);
	cr_assert_eq(access("state", F_OK), -1);

	write_conf(conf, sizeof conf, "[target web]\nevery = 1s\n");
	tu_run(&r, (char *[]){mt, "daemon", "--config", conf, NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "[target web]: no unit, name, pattern") != NULL,
		  "stderr: %s", r.err);
}

Test(daemon, second_daemon_refuses)
{
	char conf[4200], prog[4096], name[64];
	struct child c;
	struct run r;
	pid_t d;

	tu_unique_copy(memchild, "dlk", prog, sizeof prog, name, sizeof name);
	tu_holder_start(&c, prog, "1048576");
	{
		char t[256];

		snprintf(t, sizeof t, "[target a]\nname = %s\n", name);
		write_conf(conf, sizeof conf, t);
	}
	d = daemon_start(conf);
	wait_rows("a", c.pid, 2);
	tu_run(&r, (char *[]){mt, "daemon", "--config", conf, NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "another memtrend daemon (pid ") != NULL,
		  "stderr: %s", r.err);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
}

Test(daemon, restarted_target_is_followed_as_a_new_instance)
{
	char conf[4200], prog[4096];
	struct child c1, c2;
	double inst;
	pid_t d, p1, p2;

	web_start("drs", "", "", "2097152", conf, sizeof conf, &c1, prog);
	d = daemon_start(conf);
	p1 = c1.pid;
	wait_rows("web", p1, 3);
	tu_child_end(&c1);
	tu_holder_start(&c2, prog, "4194304");
	p2 = c2.pid;
	wait_rows("web", p2, 3);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c2);

	cr_assert_geq(csv_rows("web", p1, &inst), 3);
	cr_assert_eq(inst, 1, "first instance %g", inst);
	cr_assert_geq(csv_rows("web", p2, &inst), 3);
	cr_assert_eq(inst, 2, "second instance %g", inst);
	/* The sum follows both, and says which instance it is of. */
	csv_rows("web", 0, &inst);
	cr_assert_eq(inst, 2);
}

/* The daemon's budget is a key of its config, not an option: when a
 * small budget slows its tick, it says so in the config's words. */
Test(daemon, a_slowed_tick_names_the_budget_key, .timeout = 60)
{
	char conf[4200], errp[4200], *err;
	struct child c;
	size_t len;
	pid_t d;

	web_start("dbk", "budget = 1%", "", "2097152", conf, sizeof conf, &c,
		  NULL);
	d = daemon_start(conf);
	wait_rows("web", c.pid, 2);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
	snprintf(errp, sizeof errp, "%s/daemon.err", tu_tmpdir());
	err = tu_read_text(errp, 1 << 20, &len);
	cr_assert(strstr(err, "samples are taken about every") != NULL, "%s",
		  err);
	cr_assert(strstr(err, "more than half of budget = 1%") != NULL, "%s",
		  err);
	cr_assert(strstr(err, "(budget = 100% keeps the interval)") != NULL,
		  "%s", err);
	cr_assert(strstr(err, "--budget") == NULL, "%s", err);
	free(err);
}

/* Rows of the web target's regions CSV estimated from a sample of pages
 * (source "estimate"). */
static size_t
estimated_rows(void)
{
	char path[4200];
	struct table t;
	size_t i, c, n = 0;

	snprintf(path, sizeof path, "%s/state/web/regions.csv", tu_tmpdir());
	if (access(path, R_OK) != 0)
		return 0;
	cr_assert_eq(tu_table_load(&t, path), 0);
	for (c = 0; c < t.ncols && strcmp(t.header[c], "source") != 0; c++)
		;
	cr_assert_lt(c, t.ncols, "no source column in %s", path);
	for (i = 0; i < t.nrows; i++)
		n += t.rows[i][c] != NULL &&
		     strcmp(t.rows[i][c], "estimate") == 0;
	tu_table_free(&t);
	return n;
}

/* A big target's regions on the default budget are estimated between
 * their exact reads; the notice names the key that turns it off,
 * "estimate = no", and that key does. */
static void
daemon_estimates(const char *keys, size_t *estimated, char **err)
{
	char conf[4200], errp[4200];
	struct child c;
	size_t len;
	pid_t d;

	web_start("dek", keys, "regions = yes\n", "2147483648", conf,
		  sizeof conf, &c, NULL);
	d = daemon_start(conf);
	wait_rows("web", c.pid, 8);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
	*estimated = estimated_rows();
	snprintf(errp, sizeof errp, "%s/daemon.err", tu_tmpdir());
	*err = tu_read_text(errp, 1 << 20, &len);
}

Test(daemon, estimate_no_is_a_key_its_notice_names, .timeout = 120)
{
	size_t n;
	char *err;

	/* The budget brings the estimate in, and the notice names the key.
	 * smaps runs every tick only if it costs under three quarters of a
	 * tick's own work (what a tick slowed for stat leaves it at 2 %).
	 * Of 2 GiB it costs about 17 ms here, and a tick's own work 1-2 ms
	 * (8-24 ms under ASan, whose cost falls on the tick and not on the
	 * kernel's read; 1 GiB once ran every tick there).  How many rows
	 * the estimate then fills depends on the machine's load: not
	 * asserted. */
	daemon_estimates("budget = 2%", &n, &err);
	cr_assert(strstr(err, "(estimate = no: exact reads only)") != NULL,
		  "%s", err);
	free(err);
	tu_tmp_cleanup();
	/* estimate = no: not even where the budget brings it in. */
	daemon_estimates("budget = 2%\nestimate = no", &n, &err);
	cr_assert_eq(n, 0, "%s", err);
	cr_assert(strstr(err, "estimated from a sample") == NULL, "%s", err);
	free(err);
}

Test(daemon, sighup_adds_a_target)
{
	char conf[4200], pa[4096], pb[4096], na[64], nb[64], t[9000];
	struct child a, b;
	pid_t d;

	tu_unique_copy(memchild, "dha", pa, sizeof pa, na, sizeof na);
	tu_unique_copy(memchild, "dhb", pb, sizeof pb, nb, sizeof nb);
	tu_holder_start(&a, pa, "1048576");
	tu_holder_start(&b, pb, "3145728");
	snprintf(t, sizeof t, "[target a]\nname = %s\n", na);
	write_conf(conf, sizeof conf, t);
	d = daemon_start(conf);
	wait_rows("a", a.pid, 3);
	cr_assert_eq(csv_rows("b", -1, NULL), 0);
	snprintf(t, sizeof t,
		 "[target a]\nname = %s\n\n[target b]\npattern = ^%s "
		 "private\n",
		 na, pb);
	write_conf(conf, sizeof conf, t);
	kill(d, SIGHUP);
	wait_rows("b", b.pid, 3);
	/* a went on meanwhile, in the same files. */
	wait_rows("a", a.pid, csv_rows("a", a.pid, NULL) + 2);
	/* A bad config on SIGHUP is told and the running one kept. */
	write_conf(conf, sizeof conf, "[target a]\nname = x\nmetric = vss\n");
	kill(d, SIGHUP);
	wait_rows("b", b.pid, csv_rows("b", b.pid, NULL) + 3);
	wait_rows("a", a.pid, csv_rows("a", a.pid, NULL) + 1);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	{
		char errp[4200], log[8192];
		FILE *fp;

		snprintf(errp, sizeof errp, "%s/daemon.err", tu_tmpdir());
		fp = fopen(errp, "r");
		cr_assert_not_null(fp);
		log[fread(log, 1, sizeof log - 1, fp)] = '\0';
		fclose(fp);
		cr_assert(strstr(log, "memtrend.conf:8: metric: invalid "
				      "metric 'vss'") != NULL &&
			      strstr(log, "keeping the running config") != NULL,
			  "%s", log);
	}
	/* b's sum is b's 3 MiB, not a's 1 MiB. */
	{
		char path[4200];
		struct table tb;

		snprintf(path, sizeof path, "%s/state/b/samples.csv",
			 tu_tmpdir());
		cr_assert_eq(tu_table_load(&tb, path), 0);
		cr_assert_geq(tu_table_num(&tb, tb.nrows - 1, "uss_kb"),
			      3 * MIB_KB);
		cr_assert_lt(tu_table_num(&tb, tb.nrows - 1, "uss_kb"),
			     4 * MIB_KB);
		tu_table_free(&tb);
	}
	tu_child_end(&a);
	tu_child_end(&b);
}

/* A number after "key": in a JSON text; NAN when absent. */
static double
json_num(const char *text, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof k, "\"%s\":", key);
	p = strstr(text, k);
	return p != NULL ? strtod(p + strlen(k), NULL) : NAN;
}

static void
json_str(const char *text, const char *key, char *out, size_t len)
{
	char k[64];
	const char *p;
	size_t n;

	snprintf(k, sizeof k, "\"%s\":\"", key);
	out[0] = '\0';
	if ((p = strstr(text, k)) == NULL)
		return;
	p += strlen(k);
	n = strcspn(p, "\"");
	snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p);
}

Test(daemon, killed_and_restarted_resumes_the_verdict)
{
	char conf[4200], dir[4200];
	char v1[32], v2[32];
	struct child c;
	struct run st, an;
	pid_t d;
	size_t before;

	web_start("dk9", "", "metric = rss\n", "2097152", conf, sizeof conf, &c,
		  NULL);
	d = daemon_start(conf);
	wait_rows("web", 0, 20);
	cr_assert_eq(daemon_stop(d, SIGKILL), 128 + SIGKILL);
	before = csv_rows("web", 0, NULL);
	d = daemon_start(conf);
	wait_rows("web", 0, before + 10);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);

	tu_run(&st, (char *[]){mt, "status", "--json", "--config", conf, NULL},
	       10);
	cr_assert_eq(st.status, 0, "%s", st.err);
	snprintf(dir, sizeof dir, "%s/state/web", tu_tmpdir());
	tu_run(
	    &an,
	    (char *[]){mt, "analyze", "--json", "--metric", "rss", dir, NULL},
	    20);
	cr_assert(an.status == 0 || an.status == 1, "%s", an.err);
	/* The daemon judged the whole history, not the restart's part. */
	cr_assert_eq(json_num(st.out, "samples"), json_num(an.out, "samples"),
		     "status %s\nanalyze %s", st.out, an.out);
	cr_assert_geq(json_num(st.out, "samples"), (double)before + 10);
	json_str(st.out, "verdict", v1, sizeof v1);
	json_str(an.out, "verdict", v2, sizeof v2);
	cr_assert_str_eq(v1, v2);
	{
		double a = json_num(st.out, "slope_kb_per_hour"),
		       b = json_num(an.out, "slope_kb_per_hour");

		cr_assert((isnan(a) && isnan(b)) || a == b,
			  "slope: daemon %g, analyze %g", a, b);
	}
	cr_assert_eq(json_num(st.out, "instance"), 1);
}

/* A kill -9 can cut the row being written (the kernel stops a write at
 * a page boundary): on restart the daemon cuts that row off, says so,
 * and its new rows start on a line of their own. */
Test(daemon, a_row_cut_by_kill_9_is_cut_off_on_restart, .timeout = 60)
{
	char conf[4200], path[4200], *err;
	struct child c;
	struct table t;
	size_t before, i, len;
	pid_t d;
	int fd;

	web_start("dcut", "", "metric = rss\n", "2097152", conf, sizeof conf,
		  &c, NULL);
	d = daemon_start(conf);
	wait_rows("web", 0, 5);
	cr_assert_eq(daemon_stop(d, SIGKILL), 128 + SIGKILL);
	before = csv_rows("web", -1, NULL);
	snprintf(path, sizeof path, "%s/state/web/samples.csv", tu_tmpdir());
	fd = open(path, O_WRONLY | O_APPEND);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "2026-12-01T10:00:01.000Z,9", 26), 26);
	close(fd);
	d = daemon_start(conf);
	wait_rows("web", -1, before + 5);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);

	snprintf(path, sizeof path, "%s/daemon.err", tu_tmpdir());
	err = tu_read_text(path, 1 << 16, &len);
	cr_assert(strstr(err, "samples.csv: cut off 26 bytes of a last row "
			      "cut short") != NULL,
		  "%s", err);
	free(err);
	snprintf(path, sizeof path, "%s/state/web/samples.csv", tu_tmpdir());
	cr_assert_eq(tu_table_load(&t, path), 0);
	for (i = 0; i < t.nrows; i++)
		cr_assert(!isnan(tu_table_num(&t, i, "instance")) &&
			      tu_table_num(&t, i, "elapsed_s") < 1e6,
			  "row %zu is not whole", i);
	tu_table_free(&t);
}

/* analyze reads a target's directory: rotated, compressed files and the
 * current one, in time order, as one series; each instance judged from
 * its own start. */
Test(daemon, analyze_reads_a_rotated_directory)
{
	char dir[4200], path[4400], cmd[9000];
	struct run r;
	FILE *fp;
	int i, f;

	snprintf(dir, sizeof dir, "%s/web", tu_tmpdir());
	cr_assert_eq(mkdir(dir, 0755), 0);
	for (f = 0; f < 3; f++) {
		snprintf(path, sizeof path, "%s/%s", dir,
			 f == 0	  ? "samples-20261128T000000.csv"
			 : f == 1 ? "samples-20261129T000000.csv"
				  : "samples.csv");
		fp = fopen(path, "w");
		cr_assert_not_null(fp);
		fprintf(fp, "timestamp,elapsed_s,pid,rss_kb,comm,cmdline,"
			    "instance\n");
		for (i = 0; i < 100; i++)
			fprintf(fp,
				"2026-11-%02dT00:00:00Z,%d,0,%d,(sum),,%d\n",
				28 + f, f * 1000 + i * 10, 1000 + i, f + 1);
		cr_assert_eq(fclose(fp), 0);
		if (f < 2) {
			snprintf(cmd, sizeof cmd, "gzip '%s'", path);
			cr_assert_eq(system(cmd), 0);
		}
	}
	/* A regions CSV beside them is not a samples file. */
	snprintf(path, sizeof path, "%s/regions.csv", dir);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs("timestamp,elapsed_s,pid,region,kind,rss_kb\n", fp);
	cr_assert_eq(fclose(fp), 0);
	tu_run(&r, (char *[]){mt, "analyze", "--json", dir, NULL}, 20);
	cr_assert(r.status == 0 || r.status == 1, "%s", r.err);
	cr_assert(strstr(r.out, "\"samples\":100,") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\"instances\":3,") != NULL, "%s", r.out);
	/* plot (and report) read it the same way. */
	snprintf(path, sizeof path, "%s/web.svg", tu_tmpdir());
	tu_run(&r, (char *[]){mt, "plot", dir, "-o", path, NULL}, 60);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_geq(tu_file_lines(path), 10);
}

/* A full disk, as a file size limit (RLIMIT_FSIZE, raised again from
 * outside with prlimit): the daemon says so once, samples on, and writes
 * again when there is room; every row in the file is whole. */
Test(daemon, full_disk_is_survived)
{
	char conf[4200], errp[4200], path[4200];
	char log[8192];
	struct rlimit lim = {.rlim_cur = 16384, .rlim_max = RLIM_INFINITY};
	struct rlimit none = {RLIM_INFINITY, RLIM_INFINITY};
	struct child c;
	struct table tb;
	size_t i, full;
	pid_t d;
	FILE *fp;

	web_start("dfd", "", "", "1048576", conf, sizeof conf, &c, NULL);
	d = daemon_start(conf);
	cr_assert_eq(prlimit(d, RLIMIT_FSIZE, &lim, NULL), 0);
	snprintf(errp, sizeof errp, "%s/daemon.err", tu_tmpdir());
	for (i = 0; i < 300 && tu_file_lines(errp) < 2 + 1; i++)
		usleep(100000);
	snprintf(path, sizeof path, "%s/state/web/samples.csv", tu_tmpdir());
	full = csv_rows("web", 0, NULL);
	cr_assert_gt(full, 0);
	usleep(500000);
	cr_assert_eq(csv_rows("web", 0, NULL), full, "written past the limit");
	cr_assert_eq(prlimit(d, RLIMIT_FSIZE, &none, NULL), 0);
	wait_rows("web", 0, full + 3);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);

	fp = fopen(errp, "r");
	cr_assert_not_null(fp);
	log[fread(log, 1, sizeof log - 1, fp)] = '\0';
	fclose(fp);
	cr_assert(strstr(log, "target web: cannot write") != NULL, "%s", log);
	cr_assert_eq(strstr(strstr(log, "cannot write") + 1, "cannot write"),
		     NULL, "said once: %s", log);
	cr_assert(strstr(log, "target web: writing again") != NULL, "%s", log);
	/* Whole rows only, in time order. */
	cr_assert_eq(tu_table_load(&tb, path), 0);
	for (i = 1; i < tb.nrows; i++)
		cr_assert_geq(tu_table_num(&tb, i, "elapsed_s"),
			      tu_table_num(&tb, i - 1, "elapsed_s"));
	cr_assert(!isnan(tu_table_num(&tb, tb.nrows - 1, "instance")));
	tu_table_free(&tb);
}

/* rotate_size: the samples file rotates into compressed ones, and the
 * directory still reads as the whole history. */
Test(daemon, rotates_and_compresses)
{
	char conf[4200], dir[4200], cmd[4400];
	struct child c;
	struct run st, an;
	pid_t d;
	int i, gz = 0;

	web_start("dro", "rotate_size = 2K\n", "", "1048576", conf, sizeof conf,
		  &c, NULL);
	d = daemon_start(conf);
	snprintf(dir, sizeof dir, "%s/state/web", tu_tmpdir());
	snprintf(cmd, sizeof cmd,
		 "ls '%s' 2>/dev/null | grep -c '^samples-.*\\.csv\\.gz$'",
		 dir);
	for (i = 0; i < 300; i++) {
		FILE *p = popen(cmd, "r");

		gz = 0;
		if (p != NULL) {
			if (fscanf(p, "%d", &gz) != 1)
				gz = 0;
			pclose(p);
		}
		if (gz >= 2)
			break;
		usleep(100000);
	}
	cr_assert_geq(gz, 2, "rotated files: %d", gz);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
	tu_run(&st, (char *[]){mt, "status", "--json", "--config", conf, NULL},
	       10);
	tu_run(&an, (char *[]){mt, "analyze", "--json", dir, NULL}, 20);
	cr_assert(an.status == 0 || an.status == 1, "%s", an.err);
	cr_assert_eq(json_num(st.out, "samples"), json_num(an.out, "samples"),
		     "status %s\nanalyze %s", st.out, an.out);
	cr_assert_gt(json_num(an.out, "samples"), csv_rows("web", 0, NULL));
}

/* The unit make install puts in place is one systemd accepts, with the
 * hardening the daemon needs. */
Test(daemon, systemd_unit_verifies)
{
	char unit[4200], cmd[9000], *text, self[4096];
	size_t n;
	struct run r;

	if (system("command -v systemd-analyze >/dev/null 2>&1") != 0)
		cr_skip_test("systemd-analyze not installed (Debian package "
			     "systemd)");
	if (access("contrib/memtrend.service", R_OK) != 0)
		cr_skip_test("contrib/memtrend.service not built here");
	text = tu_read_text("contrib/memtrend.service", 8192, &n);
	cr_assert(strstr(text, "\nProtectSystem=strict\n") != NULL);
	cr_assert(strstr(text, "\nReadWritePaths=/var/lib/memtrend\n") != NULL);
	cr_assert(strstr(text, "\nNoNewPrivileges=yes\n") != NULL);
	cr_assert(strstr(text, "\nCapabilityBoundingSet=CAP_SYS_PTRACE "
			       "CAP_DAC_READ_SEARCH CAP_SYS_ADMIN "
			       "CAP_PERFMON\n") != NULL);
	free(text);
	cr_assert_not_null(realpath(mt, self));
	snprintf(unit, sizeof unit, "%s/memtrend.service", tu_tmpdir());
	snprintf(cmd, sizeof cmd,
		 "sed 's|^ExecStart=[^ ]*|ExecStart=%s|' "
		 "contrib/memtrend.service > '%s'",
		 self, unit);
	cr_assert_eq(system(cmd), 0);
	tu_run(&r,
	       (char *[]){"/usr/bin/systemd-analyze", "verify", "--man=no",
			  unit, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
}

/* A port nobody listens on now (bound and released). */
static unsigned
free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

/* GET path from 127.0.0.1:port: the whole response in buf. */
static size_t
http_get(unsigned port, const char *path, char *buf, size_t len)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char req[256];
	size_t n = 0;
	ssize_t got;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	buf[0] = '\0';
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return 0;
	}
	snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
		 path);
	cr_assert_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	while (n < len - 1 && (got = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)got;
	buf[n] = '\0';
	close(fd);
	return n;
}

/* The value of the first line of text that starts with prefix. */
static double
metric_value(const char *text, const char *prefix)
{
	const char *p = strstr(text, prefix);

	return p != NULL ? atof(p + strlen(prefix)) : NAN;
}

/* /metrics, live: the target's sizes in bytes, its verdict, the daemon's
 * own cost; the text passes promtool check metrics, and the textfile
 * holds the same families. */
Test(daemon, metrics_pass_promtool_and_carry_the_sizes, .timeout = 90)
{
	char conf[4200], t[9000], text[200000];
	char line[256], path[4300], textfile[4300];
	struct child c;
	struct run r;
	unsigned port = free_port();
	const char *body = NULL;
	double uss = NAN, samples = NAN;
	int i;
	pid_t d;
	FILE *fp;

	snprintf(textfile, sizeof textfile, "%s/memtrend.prom", tu_tmpdir());
	snprintf(t, sizeof t, "listen = 127.0.0.1:%u\ntextfile = %s\n", port,
		 textfile);
	web_start("dmx", t, "", "8388608", conf, sizeof conf, &c, NULL);
	d = daemon_start(conf);
	wait_rows("web", c.pid, 5);
	snprintf(line, sizeof line,
		 "memtrend_uss_bytes{target=\"web\",pid=\"%d\","
		 "process_instance=\"1\"} ",
		 (int)c.pid);
	/* The page is of the last tick charged: the fifth row is written
	 * before its tick is counted (an ASAN build read 4 samples). */
	for (i = 0; i < 100 && !(uss > 0 && samples > 4); i++) {
		if (http_get(port, "/metrics", text, sizeof text) > 0 &&
		    (body = strstr(text, "\r\n\r\n")) != NULL) {
			uss = metric_value(body, line);
			samples =
			    metric_value(body, "\nmemtrend_samples_total ");
		}
		if (!(uss > 0 && samples > 4))
			usleep(100000);
	}
	cr_assert(strncmp(text, "HTTP/1.0 200", 12) == 0 ||
		      strncmp(text, "HTTP/1.1 200", 12) == 0,
		  "%.200s", text);
	/* The holder's 8 MiB, and its binary's few pages. */
	cr_assert(uss >= 8388608 && uss < 8388608 + 2097152, "uss %.0f", uss);
	cr_assert(strstr(body, "memtrend_verdict{target=\"web\",state=") !=
		      NULL,
		  "%s", body);
	cr_assert(strstr(body, "memtrend_target_up{target=\"web\"} 1") != NULL,
		  "%s", body);
	cr_assert_gt(metric_value(body, "\nmemtrend_samples_total "), 4);
	snprintf(path, sizeof path, "%s/metrics.txt", tu_tmpdir());
	write_file(path, body + 4);
	tu_run(&r,
	       (char *[]){"/bin/sh", "-c",
			  "command -v promtool >/dev/null || exit 77; "
			  "promtool check metrics < \"$0\"",
			  path, NULL},
	       30);
	if (r.status == 77)
		cr_skip_test("promtool is not installed (Debian: prometheus)");
	cr_assert_eq(r.status, 0, "promtool: %s%s", r.out, r.err);
	/* The textfile, written atomically each step. */
	fp = fopen(textfile, "r");
	cr_assert_not_null(fp);
	i = (int)fread(text, 1, sizeof text - 1, fp);
	text[i] = '\0';
	fclose(fp);
	cr_assert(strstr(text, line) != NULL, "%s", text);
	/* memtrend status: a table for a person, the sizes in MiB. */
	tu_run(&r, (char *[]){mt, "status", "--config", conf, NULL}, 10);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "TARGET") != NULL &&
		      strstr(r.out, "VERDICT") != NULL,
		  "%s", r.out);
	snprintf(line, sizeof line, "\nweb         %-11d ", (int)c.pid);
	cr_assert(strstr(r.out, line) != NULL, "%s", r.out);
	cr_assert(strstr(r.out, " 8.") != NULL && strstr(r.out, "MiB") != NULL,
		  "%s", r.out);
	cr_assert(strstr(r.out, "\nweb: USS") != NULL, "%s", r.out);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
	/* Nothing listens once it has stopped, and the textfile is gone
	 * (node_exporter would export its last values for ever). */
	cr_assert_eq(http_get(port, "/metrics", text, sizeof text), 0);
	cr_assert_neq(access(textfile, F_OK), 0);
}

/* The value of NAME=... in an env(1) dump, or "". */
static void
env_value(const char *dump, const char *name, char *out, size_t len)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof key, "\n%s=", name);
	p = strstr(dump, key);
	out[0] = '\0';
	if (p != NULL)
		snprintf(out, len, "%.*s", (int)strcspn(p + strlen(key), "\n"),
			 p + strlen(key));
}

/* A stored history: 40 min of pid's USS rising 4 KiB every 5 s (and
 * its sum's), ending now, as the daemon itself writes it; its elapsed_s
 * from first (not 0 when older files have been pruned). */
static void
write_history(const char *target, pid_t pid, int first)
{
	char dir[4200], path[4300], stamp[40];
	double now = (double)time(NULL), kb;
	FILE *fp;
	int i, k;

	snprintf(dir, sizeof dir, "%s/state", tu_tmpdir());
	mkdir(dir, 0755);
	snprintf(dir, sizeof dir, "%s/state/%s", tu_tmpdir(), target);
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/samples.csv", dir);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs("timestamp,elapsed_s,pid,rss_kb,pss_kb,uss_kb,anon_kb,file_kb,"
	      "shmem_kb,swap_kb,minflt,majflt,swap_pss_kb,pss_anon_kb,"
	      "pss_file_kb,pss_shmem_kb,anon_thp_kb,pss_err_kb,uss_err_kb,"
	      "threads,perf_minflt,perf_majflt,mem_available_kb,"
	      "cgroup_limit_kb,cgroup_usage_kb,partial,comm,cmdline,"
	      "instance\n",
	      fp);
	for (i = 0; i <= 480; i++) {
		time_t t = (time_t)(now - 2400 + i * 5);

		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S.000Z",
			 gmtime(&t));
		kb = 100 + i * 4 + (i % 3) * 8;
		for (k = 0; k < 2; k++)
			fprintf(fp,
				"%s,%d.000,%d,%.0f,%.0f,%.0f,%.0f,1200,0,0,"
				"%d,0,0,%.0f,100,0,0,,,1,,,%s,,,0,%s,,1\n",
				stamp, first + i * 5, k == 0 ? (int)pid : 0,
				kb + 1200, kb + 100, kb, kb, 600 + i, kb,
				k == 0 ? "" : "20000000",
				k == 0 ? "dlk" : "(sum)");
	}
	cr_assert_eq(fclose(fp), 0);
}

/* A leak the stored history already shows growing for 40 min: the daemon
 * resumes the verdict, the flag is raised, and alert_command gets the
 * facts in its environment (run with execve, no shell in between).  (A
 * live-only leak would take the server context's 30 min to flag.) */
Test(daemon, alert_command_gets_the_facts_of_a_leak, .timeout = 120)
{
	char conf[4200], prog[4096], name[64], t[9000], script[4300];
	char st[14000];
	char envfile[4300], dump[65536] = "\n", v[1024];
	const char *leaky = tu_bin("LEAKY", "tests/helpers/leaky");
	size_t n = 1;
	pid_t d, leak;
	FILE *fp = NULL;
	int i;

	tu_unique_copy(leaky, "dlk", prog, sizeof prog, name, sizeof name);
	snprintf(script, sizeof script, "%s/page-oncall", tu_tmpdir());
	snprintf(envfile, sizeof envfile, "%s/alert.env", tu_tmpdir());
	snprintf(st, sizeof st,
		 "#!/bin/sh\nenv > \"%s.tmp\" && mv \"%s.tmp\" \"%s\"\n",
		 envfile, envfile, envfile);
	write_file(script, st);
	cr_assert_eq(chmod(script, 0755), 0);
	snprintf(t, sizeof t,
		 "alert_command = %s\n\n[target leak]\nname = %s\n", script,
		 name);
	write_conf(conf, sizeof conf, t);
	leak = fork();
	cr_assert_geq(leak, 0);
	if (leak == 0) {
		execl(prog, prog, "--set", "2", "--rate", "1000", "--seconds",
		      "100", (char *)NULL);
		_exit(127);
	}
	write_history("leak", leak, 0);
	d = daemon_start(conf);
	for (i = 0; i < 300 && (fp = fopen(envfile, "r")) == NULL; i++)
		usleep(100000);
	cr_assert_not_null(fp, "no alert in 30 s");
	n += fread(dump + 1, 1, sizeof dump - 2, fp);
	dump[n] = '\0';
	fclose(fp);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	kill(leak, SIGTERM);
	waitpid(leak, NULL, 0);

	env_value(dump, "MEMTREND_TARGET", v, sizeof v);
	cr_assert_str_eq(v, "leak");
	env_value(dump, "MEMTREND_EVENT", v, sizeof v);
	cr_assert_str_eq(v, "growing");
	env_value(dump, "MEMTREND_VERDICT", v, sizeof v);
	cr_assert_str_eq(v, "growing");
	env_value(dump, "MEMTREND_PID", v, sizeof v);
	cr_assert_eq(atol(v), (long)leak, "%s", v);
	/* The history's 2.9 MiB/h, or steeper with the live leak's
	 * 1000 KiB/s (3.4 GiB/h) in the fit. */
	env_value(dump, "MEMTREND_SLOPE_KB_PER_HOUR", v, sizeof v);
	cr_assert(atof(v) > 2000 && atof(v) < 1e7, "slope %s", v);
	env_value(dump, "MEMTREND_SENTENCE", v, sizeof v);
	cr_assert(strncmp(v, "USS", 3) == 0 || strstr(v, "grow") != NULL, "%s",
		  v);
}

/* Old files pruned (keep_days): the history left starts a day in.  The
 * resumed verdict and the live samples run on the one clock the files
 * carry on: no day-long gap between them. */
Test(daemon, resume_after_pruning_has_no_gap, .timeout = 60)
{
	char conf[4200], sentence[4096];
	char path[4300], *text;
	struct child c;
	pid_t d;
	size_t n;

	web_start("dpr", "", "", "2097152", conf, sizeof conf, &c, NULL);
	write_history("web", c.pid, 86400);
	d = daemon_start(conf);
	wait_rows("web", c.pid, 481 + 5);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
	snprintf(path, sizeof path, "%s/state/status.json", tu_tmpdir());
	text = tu_read_text(path, 65536, &n);
	json_str(text, "sentence", sentence, sizeof sentence);
	free(text);
	cr_assert(strstr(sentence, "gap") == NULL, "%s", sentence);
}

/* keep_size drops whole rotations, oldest first: a rotation's regions
 * file goes with its samples file, never a newer one before an older. */
Test(daemon, pruning_drops_the_oldest_rotation_whole)
{
	static const char *const old[] = {"samples-20200101T000000.000.csv.gz",
					  "regions-20200101T000000.000.csv.gz",
					  "samples-20200102T000000.000.csv.gz",
					  "regions-20200102T000000.000.csv.gz"};
	char dir[4200], path[4400], filler[1000];
	struct daemon_store st;
	struct error err;
	struct sample s;
	size_t i;

	memset(filler, 'x', sizeof filler);
	snprintf(dir, sizeof dir, "%s/state", tu_tmpdir());
	mkdir(dir, 0755);
	cr_assert_eq(daemon_store_open(&st, dir, "web", true, &err), 0, "%s",
		     err.msg);
	for (i = 0; i < 4; i++) {
		FILE *fp;

		snprintf(path, sizeof path, "%s/web/%s", dir, old[i]);
		fp = fopen(path, "w");
		cr_assert_not_null(fp);
		cr_assert_eq(fwrite(filler, 1, sizeof filler, fp),
			     sizeof filler);
		fclose(fp);
	}
	sample_clear(&s);
	s.value[FIELD_RSS_KB] = 1024;
	cr_assert_eq(csv_sink_write(st.csv, &s, &err), 0);
	/* Over 1 byte: rotate; keep 2500 bytes of rotated files. */
	cr_assert_eq(
	    daemon_store_rotate(&st, (double)time(NULL), 1, 0, 2500, &err), 0,
	    "%s", err.msg);
	daemon_store_close(&st);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/web/%s", dir, old[i]);
		if (i < 2)
			cr_assert_neq(access(path, F_OK), 0, "%s kept", old[i]);
		else
			cr_assert_eq(access(path, F_OK), 0, "%s dropped",
				     old[i]);
	}
}

/* A history that cannot be read (a damaged row) is judged afresh, and
 * the new rows still follow the stored ones in time: the next resume
 * must not fail on rows out of order. */
Test(daemon, unreadable_history_keeps_rows_in_order, .timeout = 60)
{
	char conf[4200], path[4400];
	struct child c;
	struct table tb;
	size_t i;
	double prev = -1;
	pid_t d;
	FILE *fp;

	web_start("dbd", "", "", "2097152", conf, sizeof conf, &c, NULL);
	write_history("web", c.pid, 0);
	snprintf(path, sizeof path, "%s/state/web/samples.csv", tu_tmpdir());
	fp = fopen(path, "a");
	cr_assert_not_null(fp);
	fputs("2020-01-01T00:00:00.000Z,x\n", fp); /* damaged: one cell */
	fclose(fp);
	d = daemon_start(conf);
	/* Header, 481 ticks of two rows, the damaged row, then new ones. */
	for (i = 0; i < 300 && tu_file_lines(path) < 1 + 962 + 1 + 6; i++)
		usleep(100000);
	cr_assert_geq(tu_file_lines(path), 1 + 962 + 1 + 6);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
	/* The damaged row removed, the file reads whole and in order. */
	tu_run(&(struct run){0},
	       (char *[]){"/bin/sed", "-i", "/,x$/d", path, NULL}, 10);
	cr_assert_eq(tu_table_load(&tb, path), 0);
	for (i = 0; i < tb.nrows; i++) {
		double e = tu_table_num(&tb, i, "elapsed_s");

		cr_assert_geq(e, prev, "row %zu: %g after %g", i, e, prev);
		prev = e;
	}
	cr_assert_gt(prev, 2400, "the new rows start over at %g", prev);
	tu_table_free(&tb);
}

/* A status file that cannot be written is told once, not each tick, and
 * sampling goes on. */
Test(daemon, status_write_failure_is_told_once, .timeout = 60)
{
	char conf[4200], dir[4300], errp[4300], *log;
	struct child c;
	pid_t d;
	size_t n;

	web_start("dsw", "", "", "1048576", conf, sizeof conf, &c, NULL);
	snprintf(dir, sizeof dir, "%s/state", tu_tmpdir());
	mkdir(dir, 0755);
	snprintf(dir, sizeof dir, "%s/state/status.json.tmp", tu_tmpdir());
	cr_assert_eq(mkdir(dir, 0755), 0); /* fopen() of it fails */
	d = daemon_start(conf);
	wait_rows("web", c.pid, 10);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);
	snprintf(errp, sizeof errp, "%s/daemon.err", tu_tmpdir());
	log = tu_read_text(errp, 8192, &n);
	cr_assert_eq(tu_count(log, "status.json.tmp: Is a directory"), 1, "%s",
		     log);
	free(log);
}

/* Type=notify without libsystemd: a real daemon sends READY=1 to the
 * datagram socket $NOTIFY_SOCKET names, WATCHDOG=1 each tick when
 * $WATCHDOG_USEC asks for it, and STOPPING=1 on SIGTERM. */
Test(daemon, tells_the_service_manager, .timeout = 60)
{
	char conf[4200], sock[4200], buf[256];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 20};
	struct child c;
	ssize_t n;
	pid_t d;
	int fd, watchdogs = 0, i;

	web_start("dnt", "", "", "1048576", conf, sizeof conf, &c, NULL);
	snprintf(sock, sizeof sock, "%s/notify", tu_tmpdir());
	cr_assert_lt(strlen(sock), sizeof sa.sun_path, "tmpdir too long");
	memcpy(sa.sun_path, sock, strlen(sock));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0, "%s",
		     strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setenv("NOTIFY_SOCKET", sock, 1);
	setenv("WATCHDOG_USEC", "300000000", 1);
	d = daemon_start(conf);
	n = recv(fd, buf, sizeof buf - 1, 0);
	cr_assert_gt(n, 0, "no datagram from the daemon in 20 s");
	buf[n] = '\0';
	cr_assert_str_eq(buf, "READY=1");
	for (i = 0; i < 3; i++) {
		n = recv(fd, buf, sizeof buf - 1, 0);
		cr_assert_gt(n, 0);
		buf[n] = '\0';
		watchdogs += strcmp(buf, "WATCHDOG=1") == 0;
	}
	cr_assert_eq(watchdogs, 3, "then WATCHDOG=1 each tick (last: %s)", buf);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	do {
		n = recv(fd, buf, sizeof buf - 1, 0);
		cr_assert_gt(n, 0, "no STOPPING=1");
		buf[n] = '\0';
	} while (strcmp(buf, "WATCHDOG=1") == 0);
	cr_assert_str_eq(buf, "STOPPING=1");
	close(fd);
	tu_child_end(&c);
}

/* A socket that is not there is one notice; the daemon samples on. */
Test(daemon, a_missing_notify_socket_is_not_fatal, .timeout = 60)
{
	char conf[4200], errp[4200], *text;
	size_t len;
	struct child c;
	pid_t d;

	web_start("dnm", "", "", "1048576", conf, sizeof conf, &c, NULL);
	setenv("NOTIFY_SOCKET", "/nonexistent/memtrend-notify", 1);
	setenv("WATCHDOG_USEC", "300000000", 1);
	d = daemon_start(conf);
	wait_rows("web", c.pid, 5);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	snprintf(errp, sizeof errp, "%s/daemon.err", tu_tmpdir());
	text = tu_read_text(errp, 65536, &len);
	cr_assert_eq(tu_count(text, "cannot notify the service manager"), 1,
		     "stderr: %s", text);
	cr_assert(strstr(text, "/nonexistent/memtrend-notify") != NULL, "%s",
		  text);
	free(text);
	tu_child_end(&c);
}
