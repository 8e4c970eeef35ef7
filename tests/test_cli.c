/*
 * Bad input gets one clear line and exit status 2 (src/cmd/cmd-*.c,
 * src/main.c, src/core/target.c).
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
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

/* The tests' spawn helper returns once the child has exec'd; one that
 * could not exec must not pass for a running child (its pid, a dead
 * process, was returned before): -1, and a line saying why. */
Test(cli, test_spawn_of_a_missing_program_fails)
{
	cr_assert_eq(
	    tu_spawn((char *[]){"/nonexistent/memtrend-test", NULL}, true), -1);
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

/* A second -p or -n replaced the first without a word, so the run
 * watched another process than the one the user named first. */
Test(cli, a_target_named_twice_is_refused)
{
	expect_error((char *[]){mt, "-p", "1", "-p", "2", "-c", "1", NULL},
		     "--pid: given twice");
	expect_error(
	    (char *[]){mt, "-n", "init", "-n", "sshd", "-c", "1", NULL},
	    "--name: given twice");
	expect_error((char *[]){mt, "-p", "1", "-n", "init", NULL},
		     "give only one of");
	expect_error((char *[]){mt, "--cgroup", "/a", "--cgroup", "/b", NULL},
		     "--cgroup: given twice");
}

/* capture's bad values name their option, and -d is a duration (it
 * said "invalid interval 'x'" with no option named). */
Test(cli, capture_names_the_option_of_a_bad_value)
{
	expect_error((char *[]){mt, "capture", "-p", "1", "-o", "x.mtc", "-d",
				"x", NULL},
		     "--duration: invalid duration 'x'");
	expect_error((char *[]){mt, "capture", "-p", "1", "-o", "x.mtc", "-e",
				"0", NULL},
		     "--every: interval '0' out of range");
	expect_error((char *[]){mt, "capture", "-p", "1", "-o", "x.mtc",
				"--max-size", "x", NULL},
		     "--max-size: invalid size 'x'");
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

Test(cli, help_lists_options)
{
	struct run r;

	tu_run(&r, (char *[]){mt, "--help", NULL}, 10);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--every") && strstr(r.out, "--list-fields") &&
		      strstr(r.out, "--probe") && strstr(r.out, "Exit status"),
		  "%s", r.out);
	tu_run(&r, (char *[]){mt, "--list-fields", NULL}, 10);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "uss_kb ") != NULL, "%s", r.out);
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
	/* The whole budget: at 2 % a tick's own work under ASan and load
	 * stretches the 100 ms ticks past the commands' 0.5 s. */
	char *argv[16] = {mt,	 "-q",	     "-e",   "100ms", "-d",
			  "20s", "--budget", "100%", "--"};
	struct run r;
	long n;
	size_t i;

	for (i = 0; cmd[i] != NULL; i++)
		argv[9 + i] = cmd[i];
	argv[9 + i] = NULL;
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
	/* The hint names the command's own --help. */
	expect_error((char *[]){mt, "report", "--chart", "growth", "x.csv",
				"-o", "x.html", NULL},
		     "Try 'memtrend report --help'.");
	expect_error((char *[]){mt, "analyze", "--metric", "vss", "x", NULL},
		     "Try 'memtrend analyze --help'.");
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

/* Every command's --help is its own and fits 80 columns. */
Test(cli, help_fits_80_columns)
{
	static const char *const cmds[] = {"", "analyze", "plot", "report",
					   "kernel"};
	char usage[64];
	const char *line;
	struct run r;
	size_t i;

	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (*cmds[i] != '\0')
			tu_run(&r,
			       (char *[]){mt, (char *)cmds[i], "--help", NULL},
			       10);
		else
			tu_run(&r, (char *[]){mt, "--help", NULL}, 10);
		cr_assert_eq(r.status, 0, "%s: %s", cmds[i], r.err);
		snprintf(usage, sizeof usage, "Usage: memtrend %s%s", cmds[i],
			 *cmds[i] ? " " : "[");
		cr_assert(strncmp(r.out, usage, strlen(usage)) == 0,
			  "%s --help: %s", cmds[i], r.out);
		for (line = r.out; *line != '\0';
		     line += strcspn(line, "\n") + 1) {
			cr_assert_leq(strcspn(line, "\n"), 80,
				      "%s --help: '%.*s'", cmds[i],
				      (int)strcspn(line, "\n"), line);
			if (line[strcspn(line, "\n")] == '\0')
				break;
		}
	}
}

enum cli_text { CLI_HELP, CLI_MAN, CLI_README };

/* Text as a reader sees it, for comparing sources: the man page without
 * its macros and font escapes, the README without backticks; words in
 * lower case, any run of blanks one space. */
static char *
cli_plain(const char *in, enum cli_text kind)
{
	char *out = malloc(strlen(in) + 2), *o = out;
	bool line_start = true, blank = false;
	const char *p = in;

	cr_assert(out != NULL);
	while (*p != '\0') {
		if (kind == CLI_MAN && line_start && *p == '.') {
			p += strcspn(p, " \n"); /* the macro's name */
			line_start = false;
			continue;
		}
		line_start = *p == '\n';
		if (kind == CLI_MAN && *p == '\\' && p[1] == 'f' && p[2]) {
			p += 3;
			continue;
		}
		if (kind == CLI_MAN && *p == '\\' &&
		    (p[1] == '-' || p[1] == '|')) {
			if (p[1] == '-')
				*o++ = '-';
			p += 2;
			blank = false;
			continue;
		}
		if ((kind == CLI_MAN && *p == '"') ||
		    (kind == CLI_README && (*p == '`' || *p == '\\'))) {
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			if (!blank && o > out)
				*o++ = ' ';
			blank = true;
		} else {
			*o++ = (char)tolower((unsigned char)*p);
			blank = false;
		}
		p++;
	}
	*o = '\0';
	return out;
}

static char *
cli_read_source(const char *name)
{
	char path[1024], *text;
	size_t len;
	FILE *fp;

	snprintf(path, sizeof path, "%s/../../%s", tu_fixtures(), name);
	fp = fopen(path, "r");
	cr_assert(fp != NULL, "%s", path);
	text = malloc(1 << 20);
	cr_assert(text != NULL);
	len = fread(text, 1, (1 << 20) - 1, fp);
	text[len] = '\0';
	fclose(fp);
	return text;
}

static char *
cli_help_text(const char *cmd)
{
	struct run r;

	if (cmd != NULL)
		tu_run(&r, (char *[]){mt, (char *)cmd, "--help", NULL}, 10);
	else
		tu_run(&r, (char *[]){mt, "--help", NULL}, 10);
	cr_assert_eq(r.status, 0);
	return cli_plain(r.out, CLI_HELP);
}

static void
cli_expect_in(const char *text, const char *where, const char *what)
{
	char *want = cli_plain(what, CLI_HELP);

	cr_assert(strstr(text, want) != NULL, "%s does not say '%s'", where,
		  want);
	free(want);
}

/* Every long option of a command is in its --help and the man page (and,
 * for the main command line, in the README). */
static void
cli_expect_options(const struct cmd_entry *e, const char *help, const char *man,
		   const char *readme)
{
	const struct option *o;
	char name[80];

	for (o = e->options; o->name != NULL; o++) {
		snprintf(name, sizeof name, "--%s", o->name);
		cli_expect_in(help, e->name, name);
		cli_expect_in(man, "man/memtrend.1.in", name);
		if (readme != NULL)
			cli_expect_in(readme, "README.md", name);
	}
}

/* --help, the man page and the README agree: on the options, and in the
 * same words on the facts users got conflicting answers to (issue 14). */
Test(cli, help_man_page_and_readme_agree)
{
	static const char *const facts[] = {
	    CMD_HELP_METRIC_DEFAULT, CMD_HELP_LIST_FIELDS,
	    CMD_HELP_FAULT_ADDRESSES, CMD_HELP_EXIT_COMMAND};
	char *raw = cli_read_source("man/memtrend.1.in");
	char *man = cli_plain(raw, CLI_MAN), *readme, *help, *h;
	const char *p;
	char size[64];
	size_t i;

	free(raw);
	raw = cli_read_source("README.md");
	readme = cli_plain(raw, CLI_README);
	free(raw);
	help = cli_help_text(NULL);
	for (i = 0; i < sizeof facts / sizeof facts[0]; i++) {
		cli_expect_in(help, "--help", facts[i]);
		cli_expect_in(man, "man/memtrend.1.in", facts[i]);
		cli_expect_in(readme, "README.md", facts[i]);
	}
	cli_expect_options(&cmd_watch_entry, help, man, readme);
	free(help);
	h = cli_help_text("analyze");
	cli_expect_in(h, "analyze --help", CMD_HELP_METRIC_DEFAULT);
	cli_expect_options(&cmd_analyze_entry, h, man, NULL);
	free(h);
	h = cli_help_text("kernel");
	cli_expect_options(&cmd_kernel_entry, h, man, NULL);
	free(h);
	h = cli_help_text("top");
	cli_expect_options(&cmd_top_entry, h, man, NULL);
	free(h);
	/* plot and report: their options, and each one's --size default */
	for (i = 0; i < 2; i++) {
		h = cli_help_text(i == 0 ? "plot" : "report");
		if (i == 0)
			cli_expect_options(&cmd_plot_entry, h, man, NULL);
		p = strstr(h, "--size wxh");
		cr_assert(p != NULL && (p = strstr(p, "(default ")) != NULL);
		snprintf(size, sizeof size, "default %.*s",
			 (int)strcspn(p + 9, ";)"), p + 9);
		cli_expect_in(man, "man/memtrend.1.in", size);
		cli_expect_in(readme, "README.md", size);
		free(h);
	}
	free(man);
	free(readme);
}
