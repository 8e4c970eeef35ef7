/*
 * memtrend daemon run for real against child processes: a config error
 * stops it before anything starts, a second daemon on one state_dir
 * refuses, a restarted target is followed as a new instance, SIGHUP adds
 * a target, and a daemon killed with -9 resumes its verdict from the
 * stored history (equal to analyze's over that history).
 */
#define _GNU_SOURCE /* prlimit */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
	char conf[4200], prog[4096], name[64], t[256];
	struct child c1, c2;
	double inst;
	pid_t d, p1, p2;

	tu_unique_copy(memchild, "drs", prog, sizeof prog, name, sizeof name);
	snprintf(t, sizeof t, "[target web]\nname = %s\n", name);
	write_conf(conf, sizeof conf, t);
	tu_holder_start(&c1, prog, "2097152");
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
	char conf[4200], prog[4096], name[64], t[256], dir[4200];
	char v1[32], v2[32];
	struct child c;
	struct run st, an;
	pid_t d;
	size_t before;

	tu_unique_copy(memchild, "dk9", prog, sizeof prog, name, sizeof name);
	snprintf(t, sizeof t, "[target web]\nname = %s\nmetric = rss\n", name);
	write_conf(conf, sizeof conf, t);
	tu_holder_start(&c, prog, "2097152");
	d = daemon_start(conf);
	wait_rows("web", 0, 20);
	cr_assert_eq(daemon_stop(d, SIGKILL), 128 + SIGKILL);
	before = csv_rows("web", 0, NULL);
	d = daemon_start(conf);
	wait_rows("web", 0, before + 10);
	cr_assert_eq(daemon_stop(d, SIGTERM), 0);
	tu_child_end(&c);

	tu_run(&st, (char *[]){mt, "status", "--config", conf, NULL}, 10);
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
	char conf[4200], prog[4096], name[64], t[256], errp[4200], path[4200];
	char log[8192];
	struct rlimit lim = {.rlim_cur = 16384, .rlim_max = RLIM_INFINITY};
	struct rlimit none = {RLIM_INFINITY, RLIM_INFINITY};
	struct child c;
	struct table tb;
	size_t i, full;
	pid_t d;
	FILE *fp;

	tu_unique_copy(memchild, "dfd", prog, sizeof prog, name, sizeof name);
	snprintf(t, sizeof t, "[target web]\nname = %s\n", name);
	write_conf(conf, sizeof conf, t);
	tu_holder_start(&c, prog, "1048576");
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
	char conf[4200], prog[4096], name[64], t[256], dir[4200], cmd[4400];
	struct child c;
	struct run st, an;
	pid_t d;
	int i, gz = 0;

	tu_unique_copy(memchild, "dro", prog, sizeof prog, name, sizeof name);
	snprintf(t, sizeof t, "[target web]\nname = %s\n", name);
	write_conf(conf, sizeof conf, t);
	/* [daemon] gets a size limit: rewrite it with one more key. */
	{
		char text[8192];

		snprintf(text, sizeof text,
			 "[daemon]\nstate_dir = %s/state\nevery = 100ms\n"
			 "budget = 100%%\nrotate_size = 2K\n\n%s",
			 tu_tmpdir(), t);
		write_file(conf, text);
	}
	tu_holder_start(&c, prog, "1048576");
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
	tu_run(&st, (char *[]){mt, "status", "--config", conf, NULL}, 10);
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
	char unit[4200], cmd[9000], text[8192], self[4096];
	FILE *fp;
	size_t n;
	struct run r;

	if (system("command -v systemd-analyze >/dev/null 2>&1") != 0)
		cr_skip_test("systemd-analyze not installed (Debian package "
			     "systemd)");
	if (access("contrib/memtrend.service", R_OK) != 0)
		cr_skip_test("contrib/memtrend.service not built here");
	fp = fopen("contrib/memtrend.service", "r");
	cr_assert_not_null(fp);
	n = fread(text, 1, sizeof text - 1, fp);
	text[n] = '\0';
	fclose(fp);
	cr_assert(strstr(text, "\nProtectSystem=strict\n") != NULL);
	cr_assert(strstr(text, "\nReadWritePaths=/var/lib/memtrend\n") != NULL);
	cr_assert(strstr(text, "\nNoNewPrivileges=yes\n") != NULL);
	cr_assert(strstr(text, "\nCapabilityBoundingSet=CAP_SYS_PTRACE "
			       "CAP_DAC_READ_SEARCH CAP_SYS_ADMIN "
			       "CAP_PERFMON\n") != NULL);
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
