/*
 * The sampling loop (see watch.h).  SIGINT/SIGTERM/SIGHUP end the run
 * cleanly; SIGCHLD wakes the sleep so a launched command's exit is seen at
 * once; SIGPIPE and SIGXFSZ become write errors the CSV sink reports.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sinks/csv.h"
#include "sinks/term.h"
#include "sources/rollup.h"
#include "sources/system.h"
#include "ticker.h"
#include "watch.h"

static volatile sig_atomic_t watch_stop_signal;

static void
watch_on_stop(int sig)
{
	watch_stop_signal = sig;
}

static void
watch_on_child(int sig)
{
	(void)sig;	/* only interrupts the sleep */
}

static void
watch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = watch_on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = watch_on_child;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
}

static double
watch_clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Takes one sample; returns 0, or -errno with res->why filled. */
static int
watch_take(struct rollup *r, struct system *sy, struct target *t,
    const struct ticker *tk, struct sample *s, struct watch_result *res)
{
	double cpu0 = watch_clock_s(CLOCK_THREAD_CPUTIME_ID);
	int rc;

	sample_clear(s);
	s->wall_s = watch_clock_s(CLOCK_REALTIME);
	s->elapsed_s = ticker_elapsed_s(tk);
	rc = rollup_sample(r, t, s, &res->why);
	if (rc == 0)
		system_sample(sy, s);
	s->cost_s = watch_clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	return rc;
}

static void
watch_end(struct watch_result *res, enum watch_end end, const char *msg)
{
	res->end = end;
	if (msg != NULL)
		snprintf(res->why.msg, sizeof res->why.msg, "%s", msg);
}

/* The target is gone: for a launched command, reap it and say how it
 * ended. */
static void
watch_target_gone(struct target *t, struct watch_result *res)
{
	char how[128];

	if (!t->launched) {
		watch_end(res, WATCH_END_TARGET_EXIT, NULL);
		return;
	}
	if (!target_reap(t))
		target_stop(t);
	target_describe_exit(t, how, sizeof how);
	snprintf(res->why.msg, sizeof res->why.msg, "command %s (pid %d) %s",
	    t->comm, (int)t->pid, how);
	res->end = WATCH_END_TARGET_EXIT;
}

static bool
watch_sleep(const struct watch_opts *o, struct ticker *tk, struct target *t,
    struct watch_result *res)
{
	double due;

	for (;;) {
		due = ticker_plan(tk);
		if (o->duration_ns != 0 && due * 1e9 >= (double)o->duration_ns) {
			watch_end(res, WATCH_END_DURATION, "duration reached");
			return false;
		}
		if (ticker_sleep(tk) == 0 && watch_stop_signal == 0)
			return true;
		if (watch_stop_signal != 0) {
			snprintf(res->why.msg, sizeof res->why.msg, "stopped by "
			    "%s", strsignal(watch_stop_signal));
			res->end = WATCH_END_SIGNAL;
			return false;
		}
		if (t->launched && target_reap(t)) {
			watch_target_gone(t, res);
			return false;
		}
	}
}

void
watch_run(const struct watch_opts *o, struct target *t,
    struct watch_result *res)
{
	struct csv_sink *csv = NULL;
	struct term_sink *term = NULL;
	struct rollup *r = NULL;
	struct system *sy = NULL;
	struct ticker tk;
	struct sample s;
	uint64_t n = 0;
	int rc;

	memset(res, 0, sizeof *res);
	summary_init(&res->summary);
	verdict_init(&res->verdict, o->metric);
	watch_stop_signal = 0;
	watch_signals();
	if (rollup_open(&r, &res->why) < 0) {
		res->end = WATCH_END_ERROR;
		return;
	}
	if (o->csv_path != NULL &&
	    csv_sink_open(&csv, o->csv_path, o->force, &res->why) < 0) {
		rollup_close(r);
		res->end = WATCH_END_ERROR;
		return;
	}
	if (o->live)
		term = term_open(stdout, o->raw_kib);
	sy = system_open(o->root, t->pid);

	ticker_start(&tk, o->interval_ns);
	for (;;) {
		rc = watch_take(r, sy, t, &tk, &s, res);
		if (rc == -ESRCH || rc == -ESTALE) {
			watch_target_gone(t, res);
			break;
		}
		if (rc < 0) {
			res->end = WATCH_END_ERROR;
			break;
		}
		summary_add(&res->summary, &s);
		verdict_add(&res->verdict, &s);
		if (term != NULL) {
			term_row(term, &s);
			term_verdict(term, &res->verdict);
		}
		if (csv != NULL) {
			if (csv_sink_write(csv, &s, &res->why) < 0) {
				res->end = WATCH_END_ERROR;
				break;
			}
			res->csv_rows++;
		}
		if (o->count != 0 && ++n >= o->count) {
			watch_end(res, WATCH_END_COUNT, "sample count reached");
			break;
		}
		if (!watch_sleep(o, &tk, t, res))
			break;
	}
	res->overruns = tk.overruns;
	if (csv != NULL && csv_sink_close(csv, res->end == WATCH_END_ERROR ?
	    NULL : &res->why) < 0)
		res->end = WATCH_END_ERROR;
	if (term != NULL)
		term_close(term);
	system_close(sy);
	rollup_close(r);
}
