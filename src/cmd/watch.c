/*
 * The sampling loop (see watch.h).  SIGINT/SIGTERM/SIGHUP end the run
 * cleanly; SIGCHLD wakes the sleep so a launched command's exit is seen at
 * once; SIGPIPE and SIGXFSZ become write errors the CSV sink reports.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/stop.h"
#include "cmd/watch.h"
#include "sinks/csv.h"
#include "sinks/term.h"
#include "sources/faults.h"
#include "sources/layout.h"
#include "sources/rollup.h"
#include "sources/system.h"
#include "util/ticker.h"
#include "util/units.h"

struct watch {
	const struct watch_opts *o;
	struct target *t;
	struct watch_result *res;
	struct rollup *rollup;
	struct layout *layout;
	struct system *system;
	struct faults *faults;
	uint64_t *fault_addrs;
	size_t nfault_addrs, fault_cap;
	double faults_counted; /* perf minor + major at the last tick */
	struct csv_sink *csv, *regions_csv;
	struct archive_sink *archive;
	struct term_sink *term;
	struct ticker tk;
	bool noted[TIER_COUNT]; /* throttling notice given */
	double last_s;		/* elapsed_s of the last sample */
	bool pages_noted;
};

static void
watch_on_child(int sig)
{
	(void)sig; /* only interrupts the sleep */
}

static void
watch_signals(void)
{
	struct sigaction sa;

	stop_install();
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = watch_on_child;
	sigaction(SIGCHLD, &sa, NULL);
}

static double
watch_clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Page-fault counts, and their addresses counted against the regions. */
static void
watch_faults(struct watch *w, struct sample *s)
{
	double total;

	w->nfault_addrs = 0;
	w->res->faults_lost += faults_sample(w->faults, s, &w->fault_addrs,
					     &w->nfault_addrs, &w->fault_cap);
	total = s->value[FIELD_PERF_MINFLT] + s->value[FIELD_PERF_MAJFLT];
	if (w->layout != NULL)
		layout_add_faults(w->layout, w->fault_addrs, w->nfault_addrs,
				  total - w->faults_counted);
	w->faults_counted = total;
}

/* Runs one tier, measuring its CPU cost. */
static int
watch_tier(struct watch *w, enum tier tier, struct sample *s, bool smaps)
{
	double cpu0 = watch_clock_s(CLOCK_THREAD_CPUTIME_ID), cost;
	int rc;

	switch (tier) {
	case TIER_STAT:
		rc = rollup_sample(w->rollup, w->t, smaps, s, &w->res->why);
		if (rc == 0)
			system_sample(w->system, s);
		if (rc == 0 && w->faults != NULL)
			watch_faults(w, s);
		break;
	case TIER_SMAPS:
		rc = layout_sample_smaps(w->layout, s, &w->res->why);
		break;
	case TIER_PAGES:
		rc = layout_sample_pages(w->layout, s, &w->res->why);
		break;
	default:
		rc = 0;
		break;
	}
	cost = watch_clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	s->cost_s += cost;
	if (tier == TIER_STAT && smaps) {
		/* One libproc2 read serves both tiers: the stat part costs
		 * what a stat-only read does (calibrated at the start), the
		 * smaps_rollup walk the rest. */
		double stat = w->res->tiers.t[TIER_STAT].cost_s;

		tiers_charge(&w->res->tiers, TIER_STAT,
			     stat < cost ? stat : cost);
		tiers_charge(&w->res->tiers, TIER_ROLLUP,
			     stat < cost ? cost - stat : 0);
	} else {
		tiers_charge(&w->res->tiers, tier, cost);
	}
	return rc;
}

/* Says once when the budget keeps a tier from running every tick. */
static void
watch_note_throttle(struct watch *w)
{
	const struct tiers *sc = &w->res->tiers;
	double interval = (double)w->o->interval_ns / 1e9, every, tick;
	char cost[32], period[32];
	int i;

	tick = tiers_tick_s(sc, interval);
	if (!w->noted[TIER_STAT] && tick > interval) {
		w->noted[TIER_STAT] = true;
		units_format_duration(cost, sizeof cost,
				      sc->t[TIER_STAT].cost_s);
		units_format_duration(period, sizeof period, tick);
		term_notice(
		    "a sample's stat and status reads cost %s of CPU "
		    "here, more than half of --budget %.3g%% at this interval, "
		    "so samples are taken about every %s instead (--budget "
		    "100%% keeps the interval)",
		    cost, sc->budget * 100, period);
	}

	for (i = TIER_ROLLUP; i < TIER_COUNT; i++) {
		if (w->noted[i] || !tiers_throttled(sc, i, tick))
			continue;
		w->noted[i] = true;
		every = sc->t[i].cost_s / (sc->budget * sc->t[i].share);
		units_format_duration(cost, sizeof cost, sc->t[i].cost_s);
		units_format_duration(period, sizeof period, every);
		term_notice(
		    "%s costs %s of CPU here, so it runs about every "
		    "%s to keep within --budget %.3g%% (--budget 100%% runs it "
		    "every tick)",
		    tier_names[i], cost, period, sc->budget * 100);
	}
}

/* Takes one sample; returns 0, or -errno with res->why filled. */
static int
watch_take(struct watch *w, struct sample *s)
{
	unsigned int due;
	int rc;

	sample_clear(s);
	s->wall_s = watch_clock_s(CLOCK_REALTIME);
	s->elapsed_s = ticker_elapsed_s(&w->tk);
	w->last_s = s->elapsed_s;
	due = tiers_plan(&w->res->tiers, s->elapsed_s);
	rc = watch_tier(w, TIER_STAT, s, (due >> TIER_ROLLUP) & 1);
	if (rc < 0) {
		s->value[FIELD_PARTIAL] = s->partial;
		return rc;
	}
	s->tiers = due;
	if ((due >> TIER_PAGES) & 1)
		rc = watch_tier(w, TIER_PAGES, s, false);
	else if ((due >> TIER_SMAPS) & 1)
		rc = watch_tier(w, TIER_SMAPS, s, false);
	if (rc == 0 && w->layout != NULL)
		layout_fill_totals(w->layout, s);
	s->value[FIELD_PARTIAL] = s->partial;
	if (!w->pages_noted && w->layout != NULL && (due >> TIER_PAGES) & 1) {
		const char *note = layout_pages_note(w->layout);

		w->pages_noted = true;
		if (note != NULL)
			term_notice("%s", note);
	}
	watch_note_throttle(w);
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
watch_sleep(struct watch *w)
{
	struct watch_result *res = w->res;
	double due, tick, interval = (double)w->o->interval_ns / 1e9;
	int rc = 0;

	for (;;) {
		due = ticker_plan(&w->tk);
		/* stat dearer than the budget allows at this interval: the
		 * tick slows (watch_note_throttle says so once). */
		tick = tiers_tick_s(&res->tiers, interval);
		if (tick > interval)
			due = ticker_hold(&w->tk, w->last_s + tick);
		if (w->o->duration_ns != 0 &&
		    due * 1e9 >= (double)w->o->duration_ns) {
			watch_end(res, WATCH_END_DURATION, "duration reached");
			return false;
		}
		/* The flag is checked before each sleep and the sleep comes
		 * in slices: a signal taken while sampling (not in the sleep
		 * it would interrupt) stops the run within a slice. */
		if (stop_signal() == 0)
			rc = ticker_sleep(&w->tk);
		if (rc == 0 && stop_signal() == 0)
			return true;
		if (rc == -EAGAIN && stop_signal() == 0)
			continue;
		if (stop_signal() != 0) {
			snprintf(res->why.msg, sizeof res->why.msg,
				 "stopped by "
				 "%s",
				 strsignal(stop_signal()));
			res->end = WATCH_END_SIGNAL;
			return false;
		}
		if (w->t->launched && target_reap(w->t)) {
			watch_target_gone(w->t, res);
			return false;
		}
	}
}

/* Measures a stat-only read once, so its cost is known apart from the
 * smaps_rollup walk it usually shares a read with. */
static int
watch_calibrate(struct watch *w)
{
	double cpu0 = watch_clock_s(CLOCK_THREAD_CPUTIME_ID);
	struct sample s;
	int rc;

	sample_clear(&s);
	rc = rollup_sample(w->rollup, w->t, false, &s, &w->res->why);
	tiers_calibrate(&w->res->tiers, TIER_STAT,
			watch_clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0);
	return rc;
}

static int
watch_open(struct watch *w)
{
	const struct watch_opts *o = w->o;
	struct error *err = &w->res->why;
	unsigned int extra = 0;
	char note[512] = "";

	if (o->pages)
		extra |= 1u << TIER_PAGES;
	else if (o->regions)
		extra |= 1u << TIER_SMAPS;
	tiers_init(&w->res->tiers, o->budget, extra);
	if (rollup_open(&w->rollup, err) < 0)
		return -1;
	if (watch_calibrate(w) < 0)
		return -1;
	if (extra != 0) {
		struct layout_opts lo = {
		    .root = o->root,
		    .group = o->group,
		    .pages = o->pages,
		    .idle = o->idle,
		    .allow_clear_refs = o->allow_clear_refs,
		    .idle_sample = o->idle_sample,
		};

		if (layout_open(&w->layout, w->t, &lo, err) < 0)
			return -1;
		if (layout_idle_note(w->layout) != NULL)
			term_notice("idle pages: %s",
				    layout_idle_note(w->layout));
	}
	w->system = system_open(o->root, w->t->pid);
	if (o->faults) {
		struct faults_opts fo = {.addresses = o->fault_addresses,
					 .period = o->fault_period};
		struct error ferr;

		if (faults_open(&w->faults, w->t, &fo, &ferr) < 0)
			term_notice("page faults: %s; using the /proc/PID/stat "
				    "counters instead",
				    ferr.msg);
		else
			term_notice(
			    "page faults: perf events on %zu thread%s%s",
			    faults_threads(w->faults),
			    faults_threads(w->faults) == 1 ? "" : "s",
			    o->fault_addresses ? ", with addresses" : "");
	}
	if (o->csv_path != NULL &&
	    csv_sink_open(&w->csv, o->csv_path, CSV_SAMPLES, o->force, err) < 0)
		return -1;
	if (o->regions_csv_path != NULL && w->csv != NULL &&
	    csv_sink_same_file(w->csv, o->regions_csv_path, err) < 0)
		return -1;
	if (o->regions_csv_path != NULL &&
	    csv_sink_open(&w->regions_csv, o->regions_csv_path, CSV_REGIONS,
			  o->force, err) < 0)
		return -1;
	if (o->archive != NULL &&
	    archive_sink_open(&w->archive, o->archive, w->t, note, sizeof note,
			      err) < 0)
		return -1;
	if (note[0] != '\0')
		term_notice("%s", note);
	if (o->live)
		w->term = term_open(stdout, o->raw_kib,
				    extra != 0 ? o->top_regions : 0);
	return 0;
}

/* Where the growth is: the regions that grew most, for the verdict. */
static void
watch_evidence(struct watch *w)
{
	const struct regtrack *rt = &w->res->regions;
	const struct regtrack_entry *top[3];
	double total = 0, g;
	size_t i, n;

	for (i = 0; i < rt->n; i++) {
		g = regtrack_growth_kb(&rt->v[i]);
		total += g > 0 ? g : 0;
	}
	verdict_clear_regions(&w->res->verdict);
	if (total <= 0)
		return;
	n = regtrack_top(rt, top, 3);
	for (i = 0; i < n; i++) {
		g = regtrack_growth_kb(top[i]);
		if (g <= 0)
			break;
		verdict_add_region(&w->res->verdict, top[i]->name, g / total,
				   top[i]->last[RF_STALE_NEW_PCT] / 100,
				   top[i]->last_s - top[i]->first_s);
	}
}

/* Hands the sample to the sinks; returns false when one failed. */
static bool
watch_emit(struct watch *w, const struct sample *s)
{
	struct watch_result *res = w->res;

	summary_add(&res->summary, s);
	regtrack_add(&res->regions, s);
	if (s->regions != NULL)
		watch_evidence(w);
	verdict_add(&res->verdict, s);
	if (w->term != NULL) {
		term_row(w->term, s, &res->regions);
		term_verdict(w->term, &res->verdict);
	}
	if (w->csv != NULL) {
		if (csv_sink_write(w->csv, s, &res->why) < 0)
			return false;
		res->csv_rows++;
	}
	if (w->regions_csv != NULL) {
		if (csv_sink_write(w->regions_csv, s, &res->why) < 0)
			return false;
		res->regions_csv_samples += s->regions != NULL;
	}
	if (w->archive != NULL &&
	    archive_sink_write(w->archive, s, &res->why) < 0)
		return false;
	return true;
}

static void
watch_close(struct watch *w)
{
	struct watch_result *res = w->res;
	bool failed = res->end == WATCH_END_ERROR;

	if (w->csv != NULL &&
	    csv_sink_close(w->csv, failed ? NULL : &res->why) < 0)
		res->end = WATCH_END_ERROR;
	failed = res->end == WATCH_END_ERROR;
	if (w->regions_csv != NULL &&
	    csv_sink_close(w->regions_csv, failed ? NULL : &res->why) < 0)
		res->end = WATCH_END_ERROR;
	failed = res->end == WATCH_END_ERROR;
	if (w->archive != NULL)
		archive_sink_stats(w->archive, &res->archive);
	if (archive_sink_close(w->archive, res->end == WATCH_END_TARGET_EXIT,
			       res->why.msg, failed ? NULL : &res->why) < 0)
		res->end = WATCH_END_ERROR;
	if (w->term != NULL)
		term_close(w->term);
	layout_close(w->layout);
	faults_close(w->faults);
	free(w->fault_addrs);
	system_close(w->system);
	rollup_close(w->rollup);
}

void
watch_run(const struct watch_opts *o, struct target *t,
	  struct watch_result *res)
{
	struct watch w = {.o = o, .t = t, .res = res};
	struct sample s;
	uint64_t n = 0;
	int rc;

	memset(res, 0, sizeof *res);
	summary_init(&res->summary);
	regtrack_init(&res->regions);
	verdict_init(&res->verdict, o->metric);
	verdict_set_daily_cycle(&res->verdict, o->daily_cycle);
	watch_signals();
	if (watch_open(&w) < 0) {
		res->end = WATCH_END_ERROR;
		watch_close(&w);
		return;
	}
	ticker_start(&w.tk, o->interval_ns);
	for (;;) {
		rc = watch_take(&w, &s);
		if (rc == -ESRCH || rc == -ESTALE) {
			/* A partial last sample is still written. */
			if (s.partial)
				watch_emit(&w, &s);
			watch_target_gone(t, res);
			break;
		}
		if (rc < 0) {
			res->end = WATCH_END_ERROR;
			break;
		}
		if (!watch_emit(&w, &s)) {
			res->end = WATCH_END_ERROR;
			break;
		}
		if (o->count != 0 && ++n >= o->count) {
			watch_end(res, WATCH_END_COUNT, "sample count reached");
			break;
		}
		if (!watch_sleep(&w))
			break;
	}
	res->overruns = w.tk.overruns;
	res->elapsed_s = ticker_elapsed_s(&w.tk);
	watch_close(&w);
}

void
watch_result_free(struct watch_result *res)
{
	regtrack_free(&res->regions);
	verdict_free(&res->verdict);
}
