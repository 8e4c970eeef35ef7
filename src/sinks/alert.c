/*
 * Alerts on transitions (see alert.h).  The log line goes to syslog(3)
 * with LOG_DAEMON, which the journal takes in, and is copied to standard
 * error unless that is the journal already: systemd sets JOURNAL_STREAM
 * to the device and inode of the stream it gave the service
 * (systemd.exec(5)).  The command runs through util/spawn.h with execve
 * and an environment built here before the fork, so the child calls
 * nothing but async-signal-safe functions (the metrics server is another
 * thread).  Values from outside reach the command as bytes, unchanged;
 * in the log line they are quoted, with quote, backslash, control
 * characters and bytes that are not UTF-8 escaped (units_escape_quoted).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "sinks/alert.h"
#include "util/spawn.h"
#include "util/ticker.h"
#include "util/units.h"
#include "util/xmalloc.h"

/* What the alerter last saw of a target. */
struct alert_target {
	char *name;
	bool present, growing, low;
	bool ever_present;
	bool ran;	   /* a command was started for it */
	double last_run_s; /* when */
};

/* A command still to be reaped. */
struct alert_child {
	pid_t pid;
	char *target;
	double started_s;
	bool killed;
};

struct alerter {
	struct alert_config c;
	char *command, *host, *path_env;
	int devnull;
	struct alert_target *targets;
	size_t ntargets;
	struct alert_child *children;
	size_t nchildren;
};

static bool
alert_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

int
alert_open(struct alerter **out, const struct alert_config *c,
	   struct error *err)
{
	struct alerter *a;
	char host[256];
	const char *path = getenv("PATH");

	if (c->command != NULL && c->command[0] != '/')
		return error_set(err, EINVAL,
				 "alert_command \"%s\" is not an absolute path "
				 "(it runs without a shell: write the "
				 "program's full path)",
				 c->command);
	a = xcalloc(1, sizeof *a);
	a->c = *c;
	if (c->command != NULL)
		a->command = xstrdup(c->command);
	if (c->host == NULL && gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		a->host = xstrdup(host);
	} else {
		a->host = xstrdup(c->host != NULL ? c->host : "");
	}
	xasprintf(&a->path_env, "PATH=%s",
		  path != NULL ? path : "/usr/local/bin:/usr/bin:/bin");
	if (a->c.log_fd == STDERR_FILENO && alert_stderr_is_journal())
		a->c.log_fd = -1;
	a->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	*out = a;
	return 0;
}

/* One log line: syslog, and the copy. */
static void
alert_log(struct alerter *a, int priority, const char *line)
{
	size_t len = strlen(line);
	char *copy;

	syslog(LOG_DAEMON | priority, "%s", line);
	if (a->c.log_fd < 0)
		return;
	copy = xmalloc(len + 2);
	memcpy(copy, line, len);
	memcpy(copy + len, "\n", 2);
	/* A log copy that cannot be written is dropped: syslog has it. */
	if (write(a->c.log_fd, copy, len + 1) < 0)
		(void)0;
	free(copy);
}

static struct alert_target *
alert_find(struct alerter *a, const char *name)
{
	struct alert_target *t;
	size_t i;

	for (i = 0; i < a->ntargets; i++)
		if (strcmp(a->targets[i].name, name) == 0)
			return &a->targets[i];
	a->targets =
	    xreallocarray(a->targets, a->ntargets + 1, sizeof *a->targets);
	t = &a->targets[a->ntargets++];
	memset(t, 0, sizeof *t);
	t->name = xstrdup(name);
	return t;
}

/* A number for the environment and the log: "" when there is none. */
static void
alert_number(char *buf, size_t len, double v)
{
	if (isnan(v))
		buf[0] = '\0';
	else
		snprintf(buf, len, "%.1f", v);
}

static void
alert_child_log(struct alerter *a, const char *target, const char *what)
{
	char name[512], cmd[1024], *line;

	units_escape_quoted(name, sizeof name, target);
	units_escape_quoted(cmd, sizeof cmd, a->command);
	xasprintf(&line,
		  "memtrend alert: event=command-failed target=\"%s\" "
		  "command=\"%s\" %s",
		  name, cmd, what);
	alert_log(a, LOG_ERR, line);
	free(line);
}

/* Runs the command with the alert's facts in its environment. */
static void
alert_run(struct alerter *a, const struct alert_state *s, const char *event,
	  double now_s)
{
	char slope[64], hours[64], failed[300];
	char *env[10], *argv[2] = {a->command, NULL};
	struct spawn_opts so = {.fd = {a->devnull, -1, -1}, .own_group = true};
	struct alert_child *ch;
	pid_t pid;
	size_t i;
	int rc;

	alert_number(slope, sizeof slope, s->slope_kb_per_hour);
	alert_number(hours, sizeof hours, s->hours_to_limit);
	xasprintf(&env[0], "MEMTREND_TARGET=%s", s->target);
	xasprintf(&env[1], "MEMTREND_PID=%d", s->pid);
	xasprintf(&env[2], "MEMTREND_EVENT=%s", event);
	xasprintf(&env[3], "MEMTREND_VERDICT=%s",
		  s->verdict != NULL ? s->verdict : "");
	xasprintf(&env[4], "MEMTREND_SENTENCE=%s",
		  s->sentence != NULL ? s->sentence : "");
	xasprintf(&env[5], "MEMTREND_SLOPE_KB_PER_HOUR=%s", slope);
	xasprintf(&env[6], "MEMTREND_HOURS_TO_LIMIT=%s", hours);
	xasprintf(&env[7], "MEMTREND_HOST=%s", a->host);
	env[8] = a->path_env;
	env[9] = NULL;
	so.envp = env;
	rc = spawn_run(&pid, argv, &so);
	for (i = 0; i < 8; i++)
		free(env[i]);
	if (rc < 0) {
		snprintf(failed, sizeof failed, "status=\"exec: %s\"",
			 strerror(-rc));
		alert_child_log(a, s->target, failed);
		return;
	}
	a->children =
	    xreallocarray(a->children, a->nchildren + 1, sizeof *a->children);
	ch = &a->children[a->nchildren++];
	ch->pid = pid;
	ch->target = xstrdup(s->target);
	ch->started_s = now_s;
	ch->killed = false;
}

/* The log line of an alert, then its command unless rate-limited. */
static void
alert_fire(struct alerter *a, struct alert_target *t,
	   const struct alert_state *s, const char *event, int priority,
	   double now_s)
{
	char name[512], verdict[128], sentence[2048], slope[64], hours[64];
	const char *action = "none";
	char *line;

	if (a->command != NULL) {
		if (t->ran && now_s - t->last_run_s < a->c.min_interval_s) {
			action = "rate-limited";
		} else {
			action = "run";
			t->ran = true;
			t->last_run_s = now_s;
		}
	}
	units_escape_quoted(name, sizeof name, s->target);
	units_escape_quoted(verdict, sizeof verdict,
			    s->verdict != NULL ? s->verdict : "");
	units_escape_quoted(sentence, sizeof sentence,
			    s->sentence != NULL ? s->sentence : "");
	alert_number(slope, sizeof slope, s->slope_kb_per_hour);
	alert_number(hours, sizeof hours, s->hours_to_limit);
	xasprintf(&line,
		  "memtrend alert: event=%s target=\"%s\" pid=%d "
		  "verdict=\"%s\" slope_kb_per_hour=%s hours_to_limit=%s "
		  "sentence=\"%s\" command=%s",
		  event, name, s->pid, verdict, slope, hours, sentence, action);
	alert_log(a, priority, line);
	free(line);
	if (strcmp(action, "run") == 0)
		alert_run(a, s, event, now_s);
}

void
alert_feed(struct alerter *a, const struct alert_state *s, double now_s)
{
	struct alert_target *t;
	bool growing, low;

	alert_poll(a, now_s);
	t = alert_find(a, s->target);
	if (!s->present) {
		if (t->present)
			alert_fire(a, t, s, "gone", LOG_WARNING, now_s);
		t->present = false;
		return;
	}
	if (!t->present && t->ever_present)
		alert_fire(a, t, s, "back", LOG_NOTICE, now_s);
	t->present = t->ever_present = true;
	growing = s->verdict != NULL && strcmp(s->verdict, "growing") == 0;
	if (growing && !t->growing)
		alert_fire(a, t, s, "growing", LOG_WARNING, now_s);
	else if (!growing && t->growing)
		alert_fire(a, t, s, "withdrawn", LOG_NOTICE, now_s);
	t->growing = growing;
	low = s->hours_to_limit < a->c.hours_threshold; /* false for NAN */
	if (low && !t->low)
		alert_fire(a, t, s, "exhaustion", LOG_WARNING, now_s);
	t->low = low;
}

/* Logs how a reaped command ended, when that was a failure. */
static void
alert_reaped(struct alerter *a, const struct alert_child *ch, int status)
{
	char what[128];

	if (ch->killed)
		snprintf(what, sizeof what,
			 "status=\"killed: still running after %.0f s\"",
			 a->c.timeout_s);
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		snprintf(what, sizeof what, "status=\"exit %d\"",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(what, sizeof what, "status=\"signal %d (%s)\"",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		return;
	alert_child_log(a, ch->target, what);
}

unsigned
alert_poll(struct alerter *a, double now_s)
{
	struct alert_child *ch;
	size_t i = 0;
	pid_t r;
	int status;

	while (i < a->nchildren) {
		ch = &a->children[i];
		r = waitpid(ch->pid, &status, WNOHANG);
		if (r == 0) {
			if (!ch->killed &&
			    now_s - ch->started_s > a->c.timeout_s) {
				kill(-ch->pid, SIGKILL);
				ch->killed = true;
			}
			i++;
			continue;
		}
		if (r > 0)
			alert_reaped(a, ch, status);
		free(ch->target);
		a->children[i] = a->children[--a->nchildren];
	}
	return (unsigned)a->nchildren;
}

void
alert_close(struct alerter *a)
{
	const struct timespec pause = {0, 20 * 1000 * 1000};
	double now, deadline;
	size_t i;

	if (a == NULL)
		return;
	now = (double)ticker_now_ns() / 1e9;
	for (deadline = now + a->c.timeout_s;
	     alert_poll(a, now) > 0 && now < deadline;
	     now = (double)ticker_now_ns() / 1e9)
		nanosleep(&pause, NULL);
	for (i = 0; i < a->nchildren; i++) {
		kill(-a->children[i].pid, SIGKILL);
		a->children[i].killed = true;
		while (waitpid(a->children[i].pid, NULL, 0) < 0 &&
		       errno == EINTR)
			;
		alert_reaped(a, &a->children[i], 0);
		free(a->children[i].target);
	}
	for (i = 0; i < a->ntargets; i++)
		free(a->targets[i].name);
	if (a->devnull >= 0)
		close(a->devnull);
	free(a->targets);
	free(a->children);
	free(a->command);
	free(a->host);
	free(a->path_env);
	free(a);
}
