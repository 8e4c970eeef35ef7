/*
 * Alerts: the daemon feeds each target's state every tick; an alert goes
 * out on a transition only (flagged growing, the flag withdrawn, the time
 * left to exhaustion falling under a threshold, the target gone, back).
 * Each alert is a log line (syslog(3), facility LOG_DAEMON, key=value
 * fields, values quoted and escaped) and, when configured, a command run
 * with fork and execve (no shell), its facts in its environment.
 * Commands run at most once per target per interval, never block the
 * caller (reaped without waiting on later calls, killed past a timeout),
 * and their failures are logged.
 */
#ifndef MEMTREND_SINKS_ALERT_H
#define MEMTREND_SINKS_ALERT_H

#include <stdbool.h>

#include "util/error.h"

struct alert_config {
	/* An absolute path run with no arguments; NULL: log only. */
	const char *command;
	double min_interval_s;	/* between two commands for one target */
	double timeout_s;	/* a command still running then is killed */
	double hours_threshold; /* alert when hours to the limit fall under */
	/* MEMTREND_HOST; NULL: gethostname(2). */
	const char *host;
	/* Where each log line is copied besides syslog: normally
	 * STDERR_FILENO, skipped when standard error is the journal
	 * (JOURNAL_STREAM), which syslog already reaches; -1: nowhere. */
	int log_fd;
};

/* Defaults: a command per target every 5 min at most, killed after 30 s;
 * alerts under 24 hours to the limit. */
#define ALERT_MIN_INTERVAL_S 300.0
#define ALERT_TIMEOUT_S 30.0
#define ALERT_HOURS_THRESHOLD 24.0

/* A target's state at one tick. */
struct alert_state {
	const char *target;
	int pid;		  /* 0: none running */
	bool present;		  /* a process matches it */
	const char *verdict;	  /* verdict_name()'s */
	const char *sentence;	  /* the verdict in words */
	double slope_kb_per_hour; /* NAN: none yet */
	double hours_to_limit;	  /* NAN: none */
};

struct alerter;

/* Returns 0, or -EINVAL with err filled when the command is not an
 * absolute path. */
int alert_open(struct alerter **out, const struct alert_config *c,
	       struct error *err);
/* Compares s with the target's last state, alerts on each transition;
 * now_s is CLOCK_MONOTONIC.  Reaps finished commands first. */
void alert_feed(struct alerter *a, const struct alert_state *s, double now_s);
/* Reaps finished commands, kills those past the timeout; returns how
 * many still run. */
unsigned alert_poll(struct alerter *a, double now_s);
/* Waits for running commands up to their timeout, then kills them;
 * frees a (may be NULL). */
void alert_close(struct alerter *a);

#endif
