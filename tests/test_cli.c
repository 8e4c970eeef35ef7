/*
 * Bad input gets one clear line and exit status 2 (src/cmd/cmd-*.c,
 * src/main.c, src/core/target.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "util/error.h"

static char *mt;

static void
cli_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
}

TestSuite(cli, .init = cli_setup, .fini = tu_tmp_cleanup);

/* Exit 2, one line on stderr (plus the --help hint for usage errors), the
 * expected words in it, nothing on stdout. */
static void
expect_error(char *const argv[], const char *words)
{
	struct run r;

	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 2, "status %d, stderr: %s", r.status, r.err);
	cr_assert(strstr(r.err, words) != NULL, "stderr '%s' lacks '%s'", r.err,
		  words);
	cr_assert(strncmp(r.err, "memtrend: ", 10) == 0, "%s", r.err);
	cr_assert_str_eq(r.out, "", "stdout: %s", r.out);
}

static pid_t
unused_pid(void)
{
	char path[64];
	pid_t pid;

	for (pid = 4000000; pid > 1000; pid -= 7919) {
		snprintf(path, sizeof path, "/proc/%d", (int)pid);
		if (access(path, F_OK) != 0)
			return pid;
	}
	cr_assert_fail("no free pid");
	return 0;
}

Test(cli, pid_that_does_not_exist)
{
	char pid[16];

	snprintf(pid, sizeof pid, "%d", (int)unused_pid());
	expect_error((char *[]){mt, "-p", pid, "-c", "1", NULL},
		     "no process with pid");
}

Test(cli, malformed_pid)
{
	expect_error((char *[]){mt, "-p", "12ab", NULL}, "invalid pid");
}

Test(cli, malformed_interval)
{
	expect_error((char *[]){mt, "-p", "1", "--every", "fast", NULL},
		     "invalid interval 'fast'");
	expect_error((char *[]){mt, "-p", "1", "--every", "0s", NULL},
		     "out of range");
	expect_error((char *[]){mt, "-p", "1", "-d", "1x", NULL},
		     "--duration: invalid duration '1x'");
}

Test(cli, name_matching_nothing)
{
	expect_error((char *[]){mt, "-n", "no-such-process-xyz", NULL},
		     "no process named 'no-such-process-xyz'");
}

/* Two copies of one program under a unique name: both are listed. */
Test(cli, name_matching_several)
{
	char *child = (char *)tu_bin("MEMCHILD", "tests/helpers/memchild");
	char prog[512], cmd[1200];
	struct child a, b;
	struct run r;

	snprintf(prog, sizeof prog, "%s/mtdup", tu_tmpdir());
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", child, prog);
	cr_assert_eq(system(cmd), 0);
	tu_child_start(&a, (char *[]){prog, "exit-after", "20000", "0", NULL});
	tu_child_start(&b, (char *[]){prog, "exit-after", "20000", "0", NULL});
	tu_run(&r, (char *[]){mt, "-n", "mtdup", NULL}, 20);
	kill(a.pid, SIGTERM);
	kill(b.pid, SIGTERM);
	tu_child_end(&a);
	tu_child_end(&b);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "2 processes are named 'mtdup'") != NULL, "%s",
		  r.err);
	cr_assert(strstr(r.err, "mtdup") != NULL && strstr(r.err, "-p PID"),
		  "%s", r.err);
}

Test(cli, command_that_cannot_start)
{
	expect_error(
	    (char *[]){mt, "-c", "1", "--", "/nonexistent/prog", NULL},
	    "cannot start '/nonexistent/prog': No such file or directory");
}

Test(cli, output_in_missing_directory)
{
	char pid[16];

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	expect_error((char *[]){mt, "-p", pid, "-c", "1", "-o",
				"/nonexistent-dir/x.csv", NULL},
		     "directory does not exist");
}

Test(cli, unknown_option_and_missing_value)
{
	expect_error((char *[]){mt, "--frobnicate", NULL}, "unknown option");
	expect_error((char *[]){mt, "-p", NULL}, "needs a value");
	expect_error((char *[]){mt, NULL}, "nothing to watch");
	expect_error((char *[]){mt, "-p", "1", "-n", "x", NULL}, "only one of");
}

/* A process we may not read: an unprivileged memtrend watching root's. */
static bool
cli_unprivileged_run(void *arg)
{
	struct run r;

	tu_run(&r, (char *[]){mt, "-p", arg, "-c", "1", NULL}, 20);
	return r.status == 2 && strstr(r.err, "ermission denied") != NULL &&
	       strstr(r.err, "CAP_SYS_PTRACE") != NULL &&
	       strstr(r.err, "smaps_rollup") != NULL;
}

Test(cli, process_we_may_not_read)
{
	char pid[16];

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	cr_assert(tu_as_nobody(cli_unprivileged_run, pid),
		  "unprivileged run did not fail with a permission message");
}

Test(cli, help_lists_options_and_fields)
{
	struct run r;

	tu_run(&r, (char *[]){mt, "--help", NULL}, 10);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--every") && strstr(r.out, "uss_kb") &&
		      strstr(r.out, "--probe") && strstr(r.out, "Exit status"),
		  "%s", r.out);
}

/* --force never writes through a symbolic link: the file it points to
 * stays as it was, and the error says why. */
Test(cli, force_refuses_a_symlinked_output)
{
	char pid[16], target[512], link[512], rlink[512], buf[64] = "";
	FILE *fp;

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	snprintf(target, sizeof target, "%s/target.txt", tu_tmpdir());
	snprintf(link, sizeof link, "%s/link.csv", tu_tmpdir());
	snprintf(rlink, sizeof rlink, "%s/rlink.csv", tu_tmpdir());
	fp = fopen(target, "w");
	fputs("precious\n", fp);
	fclose(fp);
	cr_assert_eq(symlink(target, link), 0);
	cr_assert_eq(symlink(target, rlink), 0);
	expect_error((char *[]){mt, "-p", pid, "-c", "1", "-q", "-o", link,
				"--force", NULL},
		     "is a symbolic link");
	expect_error((char *[]){mt, "-p", pid, "-c", "1", "-q", "--regions-csv",
				rlink, "--force", NULL},
		     "is a symbolic link");
	fp = fopen(target, "r");
	cr_assert(fgets(buf, sizeof buf, fp) != NULL);
	fclose(fp);
	cr_assert_str_eq(buf, "precious\n");
}

/* The same file under two names (-o X --regions-csv ./X) is refused,
 * whether it exists yet or not; and so is standard output twice. */
Test(cli, same_file_twice_is_refused)
{
	char pid[16], path[512], other[512], dot[520];

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	snprintf(path, sizeof path, "%s/x.csv", tu_tmpdir());
	snprintf(dot, sizeof dot, "%s/./x.csv", tu_tmpdir());
	snprintf(other, sizeof other, "%s/hard.csv", tu_tmpdir());
	expect_error((char *[]){mt, "-p", pid, "-c", "1", "-q", "-o", path,
				"--regions-csv", dot, "--force", NULL},
		     "same file");
	close(creat(path, 0644));
	cr_assert_eq(link(path, other), 0);
	expect_error((char *[]){mt, "-p", pid, "-c", "1", "-q", "-o", path,
				"--regions-csv", other, "--force", NULL},
		     "same file");
	expect_error((char *[]){mt, "-p", pid, "-c", "1", "-q", "-o", "-",
				"--regions-csv", "-", NULL},
		     "same file");
}

/* The summary's sample count ("summary: N samples"); -1 when missing. */
static long
cli_summary_samples(const struct run *r)
{
	const char *p = strstr(r->out, "summary: ");
	long n;

	if (p == NULL || sscanf(p, "summary: %ld sample", &n) != 1)
		return -1;
	return n;
}

/* A launched command's own status is memtrend's, however early it ends:
 * before the first sample (it is a zombie when memtrend looks), during
 * the first ones, or by a signal (128 + signal); the summary counts the
 * samples taken. */
static void
cli_expect_launch(char *const cmd[], int status, long min_samples,
		  long max_samples)
{
	char *argv[16] = {mt, "-q", "-e", "100ms", "-d", "20s", "--"};
	struct run r;
	long n;
	size_t i;

	for (i = 0; cmd[i] != NULL; i++)
		argv[7 + i] = cmd[i];
	argv[7 + i] = NULL;
	tu_run(&r, argv, 30);
	cr_assert_eq(r.status, status, "%s: status %d, stderr: %s", cmd[0],
		     r.status, r.err);
	n = cli_summary_samples(&r);
	cr_assert(n >= min_samples && n <= max_samples,
		  "%s %s: %ld samples, not %ld to %ld: %s", cmd[0],
		  cmd[1] ? cmd[1] : "", n, min_samples, max_samples, r.out);
	cr_assert(strstr(r.err, "memtrend: command ") != NULL, "%s", r.err);
}

Test(cli, launched_command_gives_its_own_status)
{
	cli_expect_launch((char *[]){"true", NULL}, 0, 0, 1);
	cli_expect_launch((char *[]){"false", NULL}, 1, 0, 1);
	cli_expect_launch((char *[]){"sh", "-c", "exit 3", NULL}, 3, 0, 1);
	cli_expect_launch((char *[]){"sh", "-c", "kill -9 $$", NULL}, 137, 0,
			  1);
	/* Ends after some samples: 0.5 s at 100 ms. */
	cli_expect_launch((char *[]){"sh", "-c", "sleep 0.5; exit 4", NULL}, 4,
			  2, 8);
	cli_expect_launch(
	    (char *[]){"sh", "-c", "sleep 0.5; kill -TERM $$", NULL}, 143, 2,
	    8);
}

/* Every refused value names its option (issue 14). */
Test(cli, errors_name_the_option)
{
	expect_error((char *[]){mt, "--regions", "3", "-p", "1", NULL},
		     "write --regions=3");
	expect_error((char *[]){mt, "--regions=0", "-p", "1", NULL},
		     "--regions: invalid count '0'");
	expect_error((char *[]){mt, "--idle-sample", "0", "-p", "1", NULL},
		     "--idle-sample: invalid count '0'");
	expect_error(
	    (char *[]){mt, "--idle-sample", "2000000", "-p", "1", NULL},
	    "--idle-sample: '2000000' is too large (at most 1048576)");
	expect_error((char *[]){mt, "--fault-period", "0", "-p", "1", NULL},
		     "--fault-period: invalid count '0'");
	expect_error(
	    (char *[]){mt, "plot", "--top", "0", "x.csv", "-o", "x.png", NULL},
	    "--top: invalid count '0'");
	expect_error(
	    (char *[]){mt, "plot", "--top", "65", "x.csv", "-o", "x.png", NULL},
	    "--top: '65' is too large (at most 64)");
	expect_error((char *[]){mt, "-p", "1", "--duration", "0", NULL},
		     "--duration: invalid duration '0' (how long to run");
	expect_error((char *[]){mt, "kernel", "--duration", "0", NULL},
		     "--duration: invalid duration '0'");
	expect_error((char *[]){mt, "-p", "1", "--budget", "200%", NULL},
		     "at most 100%");
	expect_error((char *[]){mt, "report", "--chart", "growth", "x.csv",
				"-o", "x.html", NULL},
		     "report has no option --chart");
	expect_error((char *[]){mt, "--list-fields=bogus", NULL},
		     "--list-fields: invalid format 'bogus'");
	expect_error((char *[]){mt, "kernel", "--list-fields=bogus", NULL},
		     "--list-fields: invalid format 'bogus'");
	expect_error((char *[]){mt, "-p", "1", "-c", "0", NULL},
		     "--count: invalid count '0'");
	expect_error((char *[]){mt, "-p", "1", "--group-by", "x", NULL},
		     "--group-by: invalid grouping 'x'");
	expect_error((char *[]){mt, "-p", "1", "--metric", "vss", NULL},
		     "--metric: invalid metric 'vss'");
}

/* True when memtrend's effective capabilities hold CAP_SYS_PTRACE (19). */
static bool
cli_has_ptrace(void)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *fp = fopen("/proc/self/status", "r");

	while (fp != NULL && fgets(line, sizeof line, fp) != NULL)
		sscanf(line, "CapEff: %llx", &eff);
	if (fp != NULL)
		fclose(fp);
	return (eff >> 19) & 1;
}

/* Refused access tells the user to get CAP_SYS_PTRACE only when memtrend
 * lacks it; with it, the refusal is a security policy's. */
static bool
cli_hint_without_ptrace(void *arg)
{
	(void)arg;
	return strstr(error_hint(EACCES), "grant CAP_SYS_PTRACE") != NULL;
}

Test(cli, permission_hint_follows_capabilities)
{
	if (cli_has_ptrace())
		cr_assert(strstr(error_hint(EACCES), "security policy") &&
			      !strstr(error_hint(EACCES), "grant"),
			  "%s", error_hint(EACCES));
	else
		cr_assert(cli_hint_without_ptrace(NULL));
	cr_assert(tu_as_nobody(cli_hint_without_ptrace, NULL));
}

/* pid 1 refused although memtrend has CAP_SYS_PTRACE (a sandbox's
 * supervisor, as on the machine this was written on): the message says
 * so, and exit status 2. */
Test(cli, refused_with_ptrace_blames_the_policy)
{
	struct run r;

	if (!cli_has_ptrace())
		cr_skip_test("needs CAP_SYS_PTRACE");
	tu_run(&r, (char *[]){mt, "-p", "1", "-c", "1", "-q", NULL}, 20);
	if (strstr(r.err, "ermission denied") == NULL)
		cr_skip_test("pid 1 is readable here (status %d)", r.status);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "smaps_rollup") &&
		      strstr(r.err, "security policy") &&
		      !strstr(r.err, "grant CAP_SYS_PTRACE"),
		  "%s", r.err);
}

/* --probe -p PID for a process memtrend may not read: the table, then the
 * permission problem (not the kernel version), exit status 2. */
static bool
cli_probe_unprivileged(void *arg)
{
	struct run r;

	tu_run(&r, (char *[]){mt, "--probe", "-p", arg, NULL}, 20);
	return r.status == 2 && strstr(r.out, "smaps_rollup") &&
	       !strstr(r.out, "4.14") && strstr(r.err, "ermission denied") &&
	       strstr(r.err, "grant CAP_SYS_PTRACE");
}

Test(cli, probe_of_a_process_we_may_not_read)
{
	char pid[16];
	struct run r;

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	cr_assert(tu_as_nobody(cli_probe_unprivileged, pid));
	tu_run(&r, (char *[]){mt, "--probe", "-p", pid, NULL}, 20);
	cr_assert_eq(r.status, 0, "%s", r.err);
}
