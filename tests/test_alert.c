/*
 * Alerts (src/sinks/alert.c): a transition runs the command, which a
 * script written here dumps its environment for; the same state again
 * runs nothing; a target's commands are rate-limited; a failing, missing
 * or hanging command is logged; hostile values reach the command as they
 * are and the log line escaped.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sinks/alert.h"
#include "testutil.h"
#include "util/xmalloc.h"

#define HOSTILE_SENTENCE                                                       \
	"grew \"12 MiB/h\" \\ since $(rm -rf /); `id`\n\tline two \xc3\xa9"

/* A timeout no test's clock reaches: the tests' times are made up. */
#define FOREVER 1e9

struct fixture {
	char *runs;    /* where the script leaves one file per run */
	char *command; /* the script */
	char *log;     /* the log copy */
	int log_fd;
};

/* A script that writes its environment, NUL-separated, to a new file in
 * runs/, then exits with status. */
static void
fixture_open(struct fixture *f, const char *body)
{
	FILE *fp;

	xasprintf(&f->runs, "%s/runs", tu_tmpdir());
	cr_assert_eq(mkdir(f->runs, 0700), 0);
	xasprintf(&f->command, "%s/page-oncall", tu_tmpdir());
	fp = fopen(f->command, "w");
	cr_assert(fp != NULL);
	fprintf(fp, "#!/bin/sh\nenv -0 > '%s/'$$\n%s\n", f->runs, body);
	fclose(fp);
	cr_assert_eq(chmod(f->command, 0755), 0);
	xasprintf(&f->log, "%s/log", tu_tmpdir());
	f->log_fd = open(f->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	cr_assert(f->log_fd >= 0);
}

static void
fixture_close(struct fixture *f)
{
	close(f->log_fd);
	free(f->runs);
	free(f->command);
	free(f->log);
	tu_tmp_cleanup();
}

static struct alerter *
fixture_alerter(struct fixture *f, const char *command, double interval_s,
		double timeout_s)
{
	const struct alert_config c = {.command = command,
				       .min_interval_s = interval_s,
				       .timeout_s = timeout_s,
				       .hours_threshold = 24,
				       .host = "test-host",
				       .log_fd = f->log_fd};
	struct alerter *a;
	struct error err;

	cr_assert_eq(alert_open(&a, &c, &err), 0, "%s", err.msg);
	return a;
}

/* Polls until no command runs (a bound so a broken test ends). */
static void
fixture_wait(struct alerter *a, double now_s)
{
	const struct timespec pause = {0, 10 * 1000 * 1000};
	int i;

	for (i = 0; i < 3000 && alert_poll(a, now_s) > 0; i++)
		nanosleep(&pause, NULL);
	cr_assert_eq(alert_poll(a, now_s), 0, "a command never ended");
}

static size_t
fixture_runs(const struct fixture *f)
{
	DIR *d = opendir(f->runs);
	struct dirent *e;
	size_t n = 0;

	cr_assert(d != NULL);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *
fixture_log(const struct fixture *f)
{
	size_t len;

	return tu_read_text(f->log, 65536, &len);
}

/* The environment of the one run, NUL-separated, in *len bytes. */
static char *
fixture_env(const struct fixture *f, size_t *len)
{
	DIR *d = opendir(f->runs);
	struct dirent *e;
	char *path = NULL, *env;

	cr_assert(d != NULL);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			xasprintf(&path, "%s/%s", f->runs, e->d_name);
	closedir(d);
	cr_assert_not_null(path);
	env = tu_read_text(path, 65536, len);
	free(path);
	return env;
}

static struct alert_state
growing_state(void)
{
	return (struct alert_state){.target = "web",
				    .pid = 4242,
				    .present = true,
				    .verdict = "growing",
				    .sentence = "grew 12 MiB/h",
				    .slope_kb_per_hour = 12288,
				    .hours_to_limit = 30};
}

Test(alert, transition_runs_the_command_with_its_facts)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	size_t len, i, nvars = 0;
	char *env, *var;
	const char *path = getenv("PATH");
	char *want_path;
	/* NUL-terminated entries, so a value with a newline is one. */
	const char *want[] = {
	    "MEMTREND_TARGET=we\"b\\ \n$(x)",
	    "MEMTREND_PID=4242",
	    "MEMTREND_EVENT=growing",
	    "MEMTREND_VERDICT=growing",
	    ("MEMTREND_SENTENCE=" HOSTILE_SENTENCE),
	    "MEMTREND_SLOPE_KB_PER_HOUR=12288.0",
	    "MEMTREND_HOURS_TO_LIMIT=5.5",
	    "MEMTREND_HOST=test-host",
	};

	fixture_open(&f, "exit 0");
	a = fixture_alerter(&f, f.command, 300, FOREVER);
	s.target = "we\"b\\ \n$(x)";
	s.sentence = HOSTILE_SENTENCE;
	s.hours_to_limit = 5.5;
	alert_feed(a, &s, 100);
	fixture_wait(a, 100);
	cr_assert_eq(fixture_runs(&f), 1);
	env = fixture_env(&f, &len);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		bool found = false;

		for (var = env; var < env + len; var += strlen(var) + 1)
			found |= strcmp(var, want[i]) == 0;
		cr_assert(found, "no %s in the command's environment", want[i]);
	}
	xasprintf(&want_path, "PATH=%s", path);
	for (var = env; var < env + len; var += strlen(var) + 1) {
		/* sh adds its own PWD, SHLVL, _; nothing else is there. */
		if (strncmp(var, "MEMTREND_", 9) == 0)
			nvars++;
		else if (strncmp(var, "PATH=", 5) == 0)
			cr_assert_str_eq(var, want_path);
		else
			cr_assert(strncmp(var, "PWD=", 4) == 0 ||
				      strncmp(var, "SHLVL=", 6) == 0 ||
				      strncmp(var, "_=", 2) == 0,
				  "unexpected %s", var);
	}
	cr_assert_eq(nvars, sizeof want / sizeof want[0]);
	free(want_path);
	free(env);
	alert_close(a);
	fixture_close(&f);
}

Test(alert, same_state_runs_nothing_more)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	char *log;
	int i;

	fixture_open(&f, "exit 0");
	a = fixture_alerter(&f, f.command, 0, FOREVER);
	for (i = 0; i < 20; i++)
		alert_feed(a, &s, 100 + i * 10);
	fixture_wait(a, 400);
	cr_assert_eq(fixture_runs(&f), 1);
	log = fixture_log(&f);
	cr_assert_eq(tu_count(log, "\n"), 1, "%s", log);
	cr_assert_eq(tu_count(log, "event=growing"), 1, "%s", log);
	free(log);
	alert_close(a);
	fixture_close(&f);
}

Test(alert, rate_limited_per_target)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state(), other = growing_state();
	char *log;

	fixture_open(&f, "exit 0");
	a = fixture_alerter(&f, f.command, 300, FOREVER);
	other.target = "db";
	alert_feed(a, &s, 1000); /* growing: run */
	s.verdict = "stable";
	alert_feed(a, &s, 1010); /* withdrawn: too soon */
	s.verdict = "growing";
	alert_feed(a, &s, 1020);     /* growing again: too soon */
	alert_feed(a, &other, 1030); /* another target: its own limit */
	s.verdict = "stable";
	alert_feed(a, &s, 1301); /* withdrawn, the interval past: run */
	fixture_wait(a, 1301);
	cr_assert_eq(fixture_runs(&f), 3);
	log = fixture_log(&f);
	cr_assert_eq(tu_count(log, "command=run"), 3, "%s", log);
	cr_assert_eq(tu_count(log, "command=rate-limited"), 2, "%s", log);
	cr_assert_eq(tu_count(log, "event=withdrawn"), 2, "%s", log);
	cr_assert_eq(tu_count(log, "event=growing"), 3, "%s", log);
	free(log);
	alert_close(a);
	fixture_close(&f);
}

Test(alert, gone_back_and_exhaustion)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	char *log;

	fixture_open(&f, "exit 0");
	a = fixture_alerter(&f, NULL, 0, FOREVER);
	s.present = false;
	s.pid = 0;
	alert_feed(a, &s, 1); /* never seen: not "gone" */
	s.present = true;
	s.pid = 10;
	s.verdict = "insufficient";
	alert_feed(a, &s, 2); /* first seen: not "back" */
	s.present = false;
	alert_feed(a, &s, 3);
	alert_feed(a, &s, 4);
	s.present = true;
	s.pid = 11;
	alert_feed(a, &s, 5);
	s.hours_to_limit = 23.5;
	alert_feed(a, &s, 6);
	s.hours_to_limit = 20;
	alert_feed(a, &s, 7);
	s.hours_to_limit = NAN;
	alert_feed(a, &s, 8);
	s.hours_to_limit = 2;
	alert_feed(a, &s, 9);
	log = fixture_log(&f);
	cr_assert_eq(tu_count(log, "\n"), 4, "%s", log);
	cr_assert_eq(tu_count(log, "event=gone target=\"web\" pid=10 "), 1,
		     "%s", log);
	cr_assert_eq(tu_count(log, "event=back target=\"web\" pid=11 "), 1,
		     "%s", log);
	cr_assert_eq(tu_count(log, "event=exhaustion"), 2, "%s", log);
	cr_assert_eq(tu_count(log, "hours_to_limit=23.5 "), 1, "%s", log);
	cr_assert_eq(tu_count(log, "hours_to_limit=2.0 "), 1, "%s", log);
	cr_assert_eq(tu_count(log, "command=none"), 4, "%s", log);
	cr_assert_eq(fixture_runs(&f), 0);
	free(log);
	alert_close(a);
	fixture_close(&f);
}

Test(alert, log_line_escapes_hostile_values)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	char *log;

	fixture_open(&f, "exit 0");
	a = fixture_alerter(&f, NULL, 0, FOREVER);
	s.target = "a\"b\\c\nd\x1b[31m\xff";
	s.sentence = HOSTILE_SENTENCE;
	alert_feed(a, &s, 1);
	log = fixture_log(&f);
	cr_assert_eq(tu_count(log, "\n"), 1, "one line: %s", log);
	cr_assert(strstr(log, "target=\"a\\\"b\\\\c\\x0ad\\x1b[31m\\xff\" ") !=
		      NULL,
		  "%s", log);
	cr_assert(strstr(log, "sentence=\"grew \\\"12 MiB/h\\\" \\\\ since "
			      "$(rm -rf /); `id`\\x0a\\x09line two "
			      "\xc3\xa9\" ") != NULL,
		  "%s", log);
	free(log);
	alert_close(a);
	fixture_close(&f);
}

/* A script ending as body runs once and its end is logged as status. */
static void
failure_logged(const char *body, const char *status)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	char *log;

	fixture_open(&f, body);
	a = fixture_alerter(&f, f.command, 0, FOREVER);
	alert_feed(a, &s, 1);
	fixture_wait(a, 1);
	cr_assert_eq(fixture_runs(&f), 1);
	log = fixture_log(&f);
	cr_assert(strstr(log, "event=command-failed target=\"web\"") != NULL,
		  "%s", log);
	cr_assert(strstr(log, status) != NULL, "no %s in: %s", status, log);
	free(log);
	alert_close(a);
	fixture_close(&f);
}

Test(alert, failing_command_logged)
{
	failure_logged("exit 3", "status=\"exit 3\"");
}

Test(alert, command_killed_by_a_signal_logged)
{
	failure_logged("kill -TERM $$", "status=\"signal 15 (Terminated)\"");
}

Test(alert, missing_command_logged)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	char *log, *missing;

	fixture_open(&f, "exit 0");
	xasprintf(&missing, "%s/no-such-program", tu_tmpdir());
	a = fixture_alerter(&f, missing, 0, FOREVER);
	alert_feed(a, &s, 1);
	cr_assert_eq(alert_poll(a, 1), 0);
	log = fixture_log(&f);
	cr_assert(strstr(log, "event=command-failed") != NULL, "%s", log);
	cr_assert(strstr(log, "no-such-program") != NULL, "%s", log);
	cr_assert(strstr(log, "status=\"exec: No such file or directory\"") !=
		      NULL,
		  "%s", log);
	free(log);
	free(missing);
	alert_close(a);
	fixture_close(&f);
}

Test(alert, hanging_command_killed_and_logged)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	char *log;

	fixture_open(&f, "sleep 600");
	a = fixture_alerter(&f, f.command, 0, 30);
	alert_feed(a, &s, 1);
	/* Still within its 30 s: running, not killed. */
	cr_assert_eq(alert_poll(a, 2), 1);
	/* Past them: killed, with the shell's sleep (its process group). */
	fixture_wait(a, 40);
	log = fixture_log(&f);
	cr_assert(strstr(log, "status=\"killed: still running after 30 s\"") !=
		      NULL,
		  "%s", log);
	free(log);
	alert_close(a);
	fixture_close(&f);
}

Test(alert, relative_command_refused)
{
	const struct alert_config c = {.command = "page-oncall",
				       .min_interval_s = 300,
				       .timeout_s = 30,
				       .hours_threshold = 24,
				       .log_fd = -1};
	struct alerter *a = NULL;
	struct error err;

	cr_assert_eq(alert_open(&a, &c, &err), -EINVAL);
	cr_assert(strstr(err.msg, "\"page-oncall\" is not an absolute path") !=
		      NULL,
		  "%s", err.msg);
	cr_assert_null(a);
}

/* The copy on standard error is left out when standard error is the
 * journal (JOURNAL_STREAM names its device and inode), which syslog
 * reaches already. */
Test(alert, no_stderr_copy_into_the_journal)
{
	struct fixture f;
	struct alerter *a;
	struct alert_state s = growing_state();
	struct stat st;
	char *log, stream[64];

	fixture_open(&f, "exit 0");
	cr_assert_eq(dup2(f.log_fd, STDERR_FILENO), STDERR_FILENO);
	cr_assert_eq(fstat(STDERR_FILENO, &st), 0);
	snprintf(stream, sizeof stream, "%llu:%llu",
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", stream, 1);
	f.log_fd = STDERR_FILENO;
	a = fixture_alerter(&f, NULL, 0, FOREVER);
	alert_feed(a, &s, 1);
	alert_close(a);
	log = fixture_log(&f);
	cr_assert_str_eq(log, "");
	free(log);

	unsetenv("JOURNAL_STREAM");
	a = fixture_alerter(&f, NULL, 0, FOREVER);
	alert_feed(a, &s, 1);
	alert_close(a);
	log = fixture_log(&f);
	cr_assert_eq(tu_count(log, "event=growing target=\"web\""), 1, "%s",
		     log);
	free(log);
	fixture_close(&f);
}
