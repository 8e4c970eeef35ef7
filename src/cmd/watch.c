/*
 * The sampling loop (see watch.h).  SIGINT/SIGTERM/SIGHUP end the run
 * cleanly; SIGCHLD wakes the sleep so a launched command's exit is seen at
 * once; SIGPIPE and SIGXFSZ become write errors the CSV sink reports.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/stop.h"
#include "cmd/watch.h"
#include "core/provenance.h"
#include "sinks/csv.h"
#include "sinks/jsonl.h"
#include "sinks/rank.h"
#include "sinks/term.h"
#include "sources/estimate.h"
#include "sources/faults.h"
#include "sources/layout.h"
#include "sources/meminfo.h"
#include "sources/rollup.h"
#include "sources/system.h"
#include "util/ticker.h"
#include "util/units.h"
#include "util/xmalloc.h"

struct watch {
	const struct watch_opts *o;
	struct target *t; /* the one target, or the set's anchor; may be NULL */
	struct watch_result *res;
	struct rollup *rollup;
	struct watch_group own;	     /* watch_run's: the target or the set */
	struct watch_group *sets;    /* watch_run's for watch_opts.sets */
	struct watch_group **groups; /* own, or a daemon's */
	size_t ngroups;
	unsigned long ticks;
	struct targets_source *src;  /* a daemon's groups' shared scan */
	struct system *system;	     /* ... and their shared context */
	struct watch_member **order; /* scratch: ranked members */
	struct csv_sink *csv, *regions_csv;
	struct jsonl_sink *jsonl;
	struct archive_sink *archive;
	struct meminfo *meminfo; /* capture --system */
	/* Its MemAvailable this tick, which the samples take rather than
	 * read /proc/meminfo again; NAN without --system. */
	double mem_available_kb;
	struct term_sink *term;
	struct rank_sink *rank;
	struct ticker tk;
	unsigned int told[TIER_COUNT]; /* a tier's period told, times */
	double told_s[TIER_COUNT];     /* ... the period told last */
	double last_s;		       /* the clock at the last tick */
	bool pages_noted, regions_noted, faults_noted;
	double tick_cost[TIER_COUNT]; /* this tick's cost per tier */
	double cpu_mark_s;	      /* the process's CPU time then */
	bool tick_ran[TIER_COUNT];
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

/* ---- members ---------------------------------------------------------- */

static struct watch_member *
watch_member_new(struct watch *w, struct watch_group *g)
{
	struct watch_result *res = w->res;
	struct watch_member *m = xcalloc(1, sizeof *m);
	int i;

	m->g = g;
	summary_init(&m->summary);
	regtrack_init(&m->regions);
	verdict_init(&m->verdict, g->metric);
	verdict_set_daily_cycle(&m->verdict, w->o->daily_cycle);
	if (g->sum_only && g->sum != NULL)
		verdict_free(&m->verdict); /* judged as the sum only */
	m->t.proc_fd = -1;
	m->left_s = NAN;
	m->rollup_s = -1;
	m->archive_id = -1;
	for (i = 0; i < FIELD_COUNT; i++)
		m->last[i] = m->known[i] = NAN;
	res->members = xreallocarray(res->members, res->nmembers + 1,
				     sizeof *res->members);
	res->members[res->nmembers++] = m;
	w->order = xreallocarray(w->order, res->nmembers, sizeof *w->order);
	return m;
}

static bool
watch_member_live(const struct watch_member *m)
{
	return isnan(m->left_s);
}

/* What a member holds, once its sources are released. */
static void
watch_member_free(struct watch_member *m)
{
	regtrack_free(&m->regions);
	verdict_free(&m->verdict);
	free(m);
}

/* A capture's sets keep no process that has gone (its series is in the
 * archive), so a name restarting for days holds no memory for the
 * processes before. */
static void
watch_prune(struct watch *w)
{
	struct watch_result *res = w->res;
	size_t i, k = 0;

	if (w->o->nsets == 0)
		return;
	for (i = 0; i < res->nmembers; i++) {
		struct watch_member *m = res->members[i];

		if (watch_member_live(m) || m == m->g->sum)
			res->members[k++] = m;
		else
			watch_member_free(m);
	}
	res->nmembers = k;
}

/* Closes a member's sources (the one target's own is the caller's). */
static void
watch_member_release(struct watch *w, struct watch_member *m)
{
	layout_close(m->layout);
	m->layout = NULL;
	faults_close(m->faults);
	m->faults = NULL;
	free(m->fault_addrs);
	m->fault_addrs = NULL;
	(void)w;
	if (m->g->set != NULL && m != m->g->sum)
		target_close(&m->t);
}

/* Stops following a member that has gone; its series and verdict stay in
 * the result.  Returns 0, or -errno with res->why filled when its exit
 * record could not be written (it may be the run's last write). */
static int
watch_member_leave(struct watch *w, struct watch_member *m, double now_s)
{
	int i, rc = 0;

	m->left_s = now_s;
	watch_member_release(w, m);
	if (w->archive != NULL && m->archive_id >= 0)
		rc = archive_sink_leave(w->archive, (unsigned int)m->archive_id,
					"exited", &w->res->why);
	/* The sum's counters must not fall when a member goes. */
	for (i = 0; i < FIELD_COUNT; i++)
		if (fields[i].kind == FIELD_COUNTER && isfinite(m->last[i]))
			m->g->departed[i] += m->last[i];
	return rc < 0 ? rc : 0;
}

/* Page-fault counts, and their addresses counted against the regions. */
static void
watch_faults(struct watch *w, struct watch_member *m, struct sample *s)
{
	double total;

	m->nfault_addrs = 0;
	w->res->faults_lost += faults_sample(m->faults, s, &m->fault_addrs,
					     &m->nfault_addrs, &m->fault_cap);
	total = s->value[FIELD_PERF_MINFLT] + s->value[FIELD_PERF_MAJFLT];
	if (m->layout != NULL)
		layout_add_faults(m->layout, m->fault_addrs, m->nfault_addrs,
				  total - m->faults_counted);
	m->faults_counted = total;
}

/* The heavier sources of a member: regions, page faults.  A set's member
 * that cannot have them is noted once and watched without; the one
 * target's regions failing is an error (returned, with fatal filled). */
static int
watch_member_sources(struct watch *w, struct watch_member *m,
		     struct error *fatal)
{
	const struct watch_opts *o = w->o;
	struct error err;
	int rc;

	if ((o->pages || o->regions) && m->g->regions) {
		struct layout_opts lo = {
		    .root = o->root,
		    .group = o->group,
		    .pages = o->pages,
		    .idle = o->idle,
		    .allow_clear_refs = o->allow_clear_refs,
		    .idle_sample = o->idle_sample,
		    .estimate_sample = o->estimate != WATCH_ESTIMATE_NEVER
					   ? ESTIMATE_SAMPLE
					   : 0,
		};

		if ((rc = layout_open(&m->layout, &m->t, &lo, &err)) < 0) {
			/* The one target's regions were asked for: fatal. */
			if (m->g->set == NULL) {
				*fatal = err;
				return rc;
			}
			if (!w->regions_noted)
				term_notice("pid %d (%s): no regions: %s",
					    (int)m->t.pid, m->t.comm, err.msg);
			w->regions_noted = true;
		} else if (!w->regions_noted &&
			   layout_idle_note(m->layout) != NULL) {
			term_notice("idle pages: %s",
				    layout_idle_note(m->layout));
			w->regions_noted = true;
		}
	}
	if (o->faults) {
		struct faults_opts fo = {.addresses = o->fault_addresses,
					 .period = o->fault_period};

		if (faults_open(&m->faults, &m->t, &fo, &err) < 0) {
			if (!w->faults_noted)
				term_notice("page faults: %s; using the "
					    "/proc/PID/stat counters instead",
					    err.msg);
		} else if (!w->faults_noted) {
			term_notice(
			    "page faults: perf events on %zu thread%s%s",
			    faults_threads(m->faults),
			    faults_threads(m->faults) == 1 ? "" : "s",
			    o->fault_addresses ? ", with addresses" : "");
		}
		w->faults_noted = true;
	}
	return 0;
}

/* Measures a stat-only read of a new member, so its cost is known apart
 * from the smaps_rollup walk it usually shares a read with; returns 0 or
 * -errno when it is already gone. */
static int
watch_member_calibrate(struct watch *w, struct watch_member *m,
		       struct error *err)
{
	double cpu0 = ticker_clock_s(CLOCK_THREAD_CPUTIME_ID);
	struct sample s;
	int rc;

	sample_clear(&s);
	rc = rollup_sample(w->rollup, &m->t, false, &s, err);
	m->stat_cost_s = ticker_clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	memcpy(m->last, s.value, sizeof m->last);
	return rc;
}

/* A member the scan found: its stat values, and its name and command
 * line as they are now (a process found between its fork and its exec
 * is named by what it runs after). */
static void
watch_seen(struct watch_member *m, const struct targets_found *f)
{
	m->seen = true;
	memcpy(m->scan, f->value, sizeof m->scan);
	m->scan_sized = f->sized;
	if (strcmp(m->t.comm, f->comm) != 0)
		snprintf(m->t.comm, sizeof m->t.comm, "%s", f->comm);
	if (strcmp(m->cmdline, f->cmdline) != 0)
		snprintf(m->cmdline, sizeof m->cmdline, "%s", f->cmdline);
}

/* A new instance of the group: none of its processes is left and new
 * ones match (a restart, however quick), or, for the first scan of a
 * resumed group, none of the processes its history ended with. */
static void
watch_instance(struct watch_group *g, const struct targets_found *found, long n,
	       size_t survivors)
{
	size_t k;
	long i;

	if (n == 0 || survivors > 0)
		return;
	if (g->had_members) {
		g->instance++;
		g->restarts++;
		return;
	}
	g->had_members = true;
	for (i = 0; g->instance != 0 && i < n; i++)
		for (k = 0; k < g->nresume; k++)
			if (found[i].pid == g->resume_pids[k])
				return; /* still the one stored */
	g->instance++;
}

/* The group's member a scan found again (same pid and start time). */
static struct watch_member *
watch_find(const struct watch *w, const struct watch_group *g,
	   const struct targets_found *f)
{
	size_t j;

	for (j = 0; j < w->res->nmembers; j++) {
		struct watch_member *m = w->res->members[j];

		if (m->g == g && m != g->sum && watch_member_live(m) &&
		    m->t.pid == f->pid && m->t.start_ticks == f->start_ticks)
			return m;
	}
	return NULL;
}

/* Looks for the set's processes again: new ones join, in PID order. */
static int
watch_scan(struct watch *w, struct watch_group *g, double now_s,
	   struct error *err)
{
	struct watch_result *res = w->res;
	const struct targets_found *found;
	struct watch_member *m;
	struct error merr;
	size_t j, survivors = 0;
	long n, i;
	int rc;

	n = targets_scan(g->set, &found, err);
	if (n < 0)
		return (int)n;
	for (j = 0; j < res->nmembers; j++)
		if (res->members[j]->g == g)
			res->members[j]->seen = false;
	for (i = 0; i < n; i++) {
		if ((m = watch_find(w, g, &found[i])) != NULL) {
			watch_seen(m, &found[i]);
			survivors++;
		}
	}
	if (g != &w->own)
		watch_instance(g, found, n, survivors);
	for (i = 0; i < n; i++) {
		if (watch_find(w, g, &found[i]) != NULL)
			continue;
		m = watch_member_new(w, g);
		watch_seen(m, &found[i]);
		m->joined_s = now_s;
		/* A ranked set's stat values come with the scan. */
		if (w->o->rank)
			memcpy(m->last, m->scan, sizeof m->last);
		if ((rc = target_adopt(&m->t, w->o->root, found[i].pid,
				       found[i].start_ticks, found[i].comm,
				       !w->o->rank, &merr)) < 0 ||
		    (!w->o->rank &&
		     (rc = watch_member_calibrate(w, m, &merr)) < 0)) {
			/* Gone already, or not ours to read: never sampled.
			 * A capture says so once a set (it would otherwise
			 * write an archive without the process, silently). */
			if (w->o->nsets > 0 && !g->unreadable_noted &&
			    (rc == -EACCES || rc == -EPERM)) {
				g->unreadable_noted = true;
				term_notice("pid %d (%s): not captured: %s",
					    (int)found[i].pid, found[i].comm,
					    merr.msg);
			}
			m->left_s = now_s;
			m->joined_s = NAN;
			target_close(&m->t);
			continue;
		}
		if (!w->o->rank)
			watch_member_sources(w, m, &merr);
		/* The sum's counters count from when a member joined. */
		for (j = 0; j < FIELD_COUNT; j++)
			if (fields[j].kind == FIELD_COUNTER &&
			    isfinite(m->last[j]))
				g->departed[j] -= m->last[j];
	}
	return 0;
}

/* ---- the tiers of one tick ---------------------------------------------- */

/* How much a member of a ranked set needs its smaps_rollup read: the
 * never-read first, then the longest unread, weighted up by size and by a
 * verdict of growth. */
static double
watch_need(const struct watch_member *m, double now_s)
{
	double need;
	double rss = m->last[FIELD_RSS_KB], rise;

	if (m->rollup_s < 0)
		return INFINITY;
	need = (now_s - m->rollup_s) * (1 + log1p(fmax(0, rss) / 1024));
	/* RSS (read every tick) rising since the last read: a grower. */
	rise = (rss - m->rollup_rss_kb) / fmax(m->rollup_rss_kb, 1024);
	if (rise > 0)
		need *= 1 + 20 * rise;
	if (verdict_evidence(&m->verdict)->verdict == TREND_GROWING)
		need *= 2;
	return need;
}

static int
watch_need_cmp(const void *a, const void *b)
{
	const struct watch_member *x = *(struct watch_member *const *)a;
	const struct watch_member *y = *(struct watch_member *const *)b;

	return (x->need < y->need) - (x->need > y->need);
}

/* Marks the members whose smaps_rollup runs this tick.  A whole set (and
 * the one target) reads all of them when the tier is due, so their sum is
 * of one moment; a ranked set serves members by need while the tier's
 * credit lasts (at least one when the tier is due). */
static void
watch_choose_rollup(struct watch *w, unsigned int due, double now_s)
{
	struct watch_result *res = w->res;
	const struct tiers *sc = &res->tiers;
	double credit = sc->t[TIER_ROLLUP].credit_s;
	size_t i, k = 0;

	for (i = 0; i < res->nmembers; i++) {
		struct watch_member *m = res->members[i];

		m->rollup_now = false;
		if (!((due >> TIER_ROLLUP) & 1) || m == m->g->sum ||
		    !m->g->ticked || !watch_member_live(m))
			continue;
		m->rollup_now = !w->o->rank;
		if (!w->o->rank)
			continue;
		m->need = watch_need(m, now_s);
		w->order[k++] = m;
	}
	if (!w->o->rank)
		return;
	if (k > 1)
		qsort(w->order, k, sizeof *w->order, watch_need_cmp);
	for (i = 0; i < k; i++) {
		struct watch_member *m = w->order[i];
		/* A member never read costs what the tier's runs do; the
		 * first run of all measures that. */
		double cost = m->rollup_s >= 0 ? m->rollup_cost_s
					       : sc->t[TIER_ROLLUP].cost_s;

		if (sc->budget < 1 && i > 0 && (cost <= 0 || credit < cost))
			break;
		credit -= cost;
		m->rollup_now = true;
	}
}

/* A sample's system context: MemAvailable from this tick's --system
 * read when there is one, the rest from the group's source. */
static void
watch_system_sample(struct watch *w, struct system *sy, struct sample *s)
{
	s->value[FIELD_MEM_AVAILABLE_KB] = w->mem_available_kb;
	system_sample(sy, s);
}

/* Runs one tier for one member, measuring its CPU cost. */
static int
watch_tier(struct watch *w, struct watch_member *m, enum tier tier,
	   struct sample *s, bool smaps, double now_s)
{
	double cpu0 = ticker_clock_s(CLOCK_THREAD_CPUTIME_ID), cost, stat;
	struct error *err = &w->res->why;
	int rc;

	switch (tier) {
	case TIER_STAT:
		if (w->o->rank && !smaps) {
			/* Read with the scan, and charged to it. */
			s->pid = m->t.pid;
			memcpy(s->value, m->scan, sizeof s->value);
			s->partial = !m->scan_sized;
			return m->scan_sized ? 0 : -ESRCH;
		}
		rc = rollup_sample(w->rollup, &m->t, smaps, s, err);
		/* The one target's system context; a set's goes with its sum.
		 */
		if (rc == 0 && m->g->set == NULL && m->g->system != NULL)
			watch_system_sample(w, m->g->system, s);
		if (rc == 0 && m->faults != NULL)
			watch_faults(w, m, s);
		break;
	case TIER_SMAPS:
		rc = layout_sample_smaps(m->layout, s, err);
		break;
	case TIER_PAGES:
		rc = layout_sample_pages(m->layout, s, err);
		break;
	case TIER_ESTIMATE:
		rc = layout_sample_estimate(m->layout, s, err);
		break;
	default:
		rc = 0;
		break;
	}
	cost = ticker_clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	s->cost_s += cost;
	if (tier != TIER_STAT || !smaps) {
		w->tick_cost[tier] += cost;
		w->tick_ran[tier] = true;
		return rc;
	}
	/* One libproc2 read serves both tiers: the stat part costs what a
	 * stat-only read does (measured when the member joined), the
	 * smaps_rollup walk the rest. */
	stat = fmin(m->stat_cost_s, cost);
	w->tick_cost[TIER_STAT] += stat;
	m->rollup_cost_s = m->rollup_s < 0
			       ? cost - stat
			       : 0.3 * (cost - stat) + 0.7 * m->rollup_cost_s;
	m->rollup_s = now_s;
	m->rollup_rss_kb = s->value[FIELD_RSS_KB];
	if (w->o->rank)
		tiers_charge(&w->res->tiers, TIER_ROLLUP, cost - stat);
	w->tick_cost[TIER_ROLLUP] += cost - stat;
	w->tick_ran[TIER_ROLLUP] = true;
	return rc;
}

/* Books the tick's costs: stat once for the whole tick, each heavy tier
 * once for all the members it ran for (a ranked set's smaps_rollup is
 * booked member by member as it runs).  The budget is the whole
 * monitor's: what the process spent beyond the sources since the last
 * tick (the verdicts, the sinks, the loop) is booked to stat, which runs
 * every tick, so the tick slows down before the monitor overshoots. */
static void
watch_charge(struct watch *w)
{
	double cpu = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID), booked = 0;
	int i;

	for (i = 0; i < TIER_COUNT; i++)
		booked += w->tick_cost[i];
	if (w->cpu_mark_s > 0)
		w->tick_cost[TIER_STAT] +=
		    fmax(0, cpu - w->cpu_mark_s - booked);
	w->cpu_mark_s = cpu;
	tiers_charge(&w->res->tiers, TIER_STAT, w->tick_cost[TIER_STAT]);
	for (i = TIER_ROLLUP; i < TIER_COUNT; i++)
		if (w->tick_ran[i] && !(i == TIER_ROLLUP && w->o->rank))
			tiers_charge(&w->res->tiers, (enum tier)i,
				     w->tick_cost[i]);
	memset(w->tick_cost, 0, sizeof w->tick_cost);
	memset(w->tick_ran, 0, sizeof w->tick_ran);
}

/* A setting as the user gives it, for a notice: the daemon's config key
 * or the command line's option. */
static const char *
watch_opt(const struct watch *w, const char *option, const char *key)
{
	return w->o->conf_keys ? key : option;
}

/* Says when the budget keeps a tier from running every tick, and again
 * when its period changes by more than half (tiers_period_news). */
static void
watch_note_throttle(struct watch *w)
{
	const struct tiers *sc = &w->res->tiers;
	const char *key = watch_opt(w, "--budget", "budget =");
	double interval = (double)w->o->interval_ns / 1e9, every, tick;
	char cost[32], period[32], was[32];
	int i;

	/* Told again as stat's cost settles: the first ticks cost less than
	 * the later ones (the first has no write or sync to count). */
	tick = tiers_tick_s(sc, interval);
	if (tick > interval &&
	    tiers_period_news(w->told_s[TIER_STAT], w->told[TIER_STAT], tick)) {
		units_format_duration(cost, sizeof cost,
				      sc->t[TIER_STAT].cost_s);
		units_format_duration(period, sizeof period, tick);
		units_format_duration(was, sizeof was, w->told_s[TIER_STAT]);
		w->told_s[TIER_STAT] = tick;
		if (w->told[TIER_STAT]++ > 0)
			term_notice("a tick's own work costs %s of CPU here: "
				    "samples are now taken about every %s "
				    "(not %s)",
				    cost, period, was);
		else
			term_notice("a tick's own work (stat and status reads, "
				    "finding the processes, the verdict, "
				    "writing the samples) costs %s of CPU "
				    "here, more than half of %s %.3g%% at this "
				    "interval, so samples are taken about "
				    "every %s instead (%s 100%% keeps the "
				    "interval)",
				    cost, key, sc->budget * 100, period, key);
	}
	for (i = TIER_ROLLUP; i < TIER_COUNT; i++) {
		if (!tiers_throttled(sc, i, tick) ||
		    (i == TIER_ROLLUP && w->o->rank))
			continue;
		every = tiers_period_s(sc, i, tick);
		if (!tiers_period_news(w->told_s[i], w->told[i], every))
			continue;
		units_format_duration(cost, sizeof cost, sc->t[i].cost_s);
		units_format_duration(period, sizeof period, every);
		units_format_duration(was, sizeof was, w->told_s[i]);
		w->told_s[i] = every;
		if (w->told[i]++ > 0) {
			term_notice("%s costs %s of CPU here: it now runs "
				    "about every %s (not %s)",
				    tier_names[i], cost, period, was);
			continue;
		}
		term_notice(
		    "%s %s %s of CPU here%s, so it runs about every "
		    "%s to keep within %s %.3g%% (%s 100%% runs it every tick)",
		    tier_names[i],
		    sc->t[i].predicted ? "should cost about" : "costs", cost,
		    sc->t[i].predicted ? " (by the target's size)" : "", period,
		    key, sc->budget * 100, key);
	}
}

/* Without --estimate or --no-estimate, the estimate joins once the exact
 * tier that gives USS cannot run every tick within the budget, and leaves
 * when its runs show it costs about what that exact read does (a target
 * under about 1 GiB): the budget then buys exact readings.  It does not
 * come back in that run: on a loaded machine (tests four at a time) one
 * dear exact read lifted its average past the line to join again. */
static void
watch_plan_estimate(struct watch *w)
{
	struct tiers *sc = &w->res->tiers;
	double tick = tiers_tick_s(sc, (double)w->o->interval_ns / 1e9);
	char cost[32], exact[32];

	/* A set's members are estimated only with their regions. */
	if (w->o->estimate != WATCH_ESTIMATE_AUTO || w->o->rank ||
	    ((w->own.set != NULL || w->src != NULL || w->o->nsets > 0) &&
	     !w->o->regions))
		return;
	if (sc->t[TIER_ESTIMATE].enabled && !tiers_estimate_pays(sc)) {
		tiers_disable_estimate(sc);
		units_format_duration(cost, sizeof cost,
				      sc->t[TIER_ESTIMATE].cost_s);
		units_format_duration(exact, sizeof exact,
				      sc->t[tiers_exact(sc)].cost_s);
		term_notice("the estimate costs %s of CPU here and %s %s: "
			    "too little saved to pay for its bounds, so USS "
			    "and PSS come from %s alone (%s keeps the "
			    "estimate)",
			    cost, tier_names[tiers_exact(sc)], exact,
			    tier_names[tiers_exact(sc)],
			    watch_opt(w, "--estimate", "estimate = yes"));
		return;
	}
	/* Runs and not enabled: it left, for good. */
	if (sc->t[TIER_ESTIMATE].enabled || sc->t[TIER_ESTIMATE].runs > 0 ||
	    !tiers_wants_estimate(sc, tick) || !tiers_estimate_pays(sc))
		return;
	tiers_enable_estimate(sc);
	term_notice("USS and PSS are estimated from a sample of pages on the "
		    "ticks %s skips, with their 95 %% bounds (%s: exact reads "
		    "only)",
		    tier_names[tiers_exact(sc)],
		    watch_opt(w, "--no-estimate", "estimate = no"));
}

/* ---- samples ----------------------------------------------------------- */

/* A daemon group's own files: a failed write is kept to be told (once,
 * by the caller) and the sampling goes on; the rows written stay whole. */
static void
watch_emit_group(struct watch_group *g, const struct sample *s)
{
	int rc = 0;

	if (g->csv != NULL)
		rc = csv_sink_write(g->csv, s, &g->write_error);
	if (rc == 0 && g->regions_csv != NULL)
		rc = csv_sink_write(g->regions_csv, s, &g->write_error);
	g->write_rc = rc;
}

/* The archive holds the one target's series, or every process of the
 * capture's sets (watch_opts.sets), each under its own target id. */
static int
watch_archive(struct watch *w, struct watch_member *m, const struct sample *s)
{
	int id;

	if (w->o->nsets == 0)
		return m == w->res->judged
			   ? archive_sink_write(w->archive, 0, s, &w->res->why)
			   : 0;
	if (m == m->g->sum || m->archive_id == -2)
		return 0;
	if (m->archive_id < 0) {
		id = archive_sink_join(w->archive, &m->t,
				       m->g->spec.name != NULL ? m->g->spec.name
							       : "",
				       &w->res->why);
		if (id == -ENOSPC) {
			m->archive_id = -2;
			return 0;
		}
		if (id < 0)
			return id;
		m->archive_id = id;
	}
	return archive_sink_write(w->archive, (unsigned int)m->archive_id, s,
				  &w->res->why);
}

/* Hands a member's sample to analysis and the sinks; returns false when
 * a sink failed. */
static bool
watch_emit(struct watch *w, struct watch_member *m, const struct sample *s)
{
	struct watch_result *res = w->res;
	bool judged = m == res->judged;
	int i;

	memcpy(m->last, s->value, sizeof m->last);
	for (i = 0; i < FIELD_COUNT; i++)
		if (isfinite(s->value[i]))
			m->known[i] = s->value[i];
	summary_add(&m->summary, s);
	regtrack_add(&m->regions, s);
	if (s->regions != NULL)
		regtrack_evidence(&m->regions, &m->verdict);
	/* The verdict is most of a sample's CPU after the kernel's: a
	 * capture, judged on the PC from its archive, does without. */
	if (!w->o->no_verdict && (!m->g->sum_only || m == m->g->sum))
		verdict_add(&m->verdict, s);
	if (w->term != NULL && judged) {
		term_row(w->term, s, &m->regions);
		term_verdict(w->term, &m->verdict);
	}
	if (w->csv != NULL) {
		if (csv_sink_write(w->csv, s, &res->why) < 0)
			return false;
		res->csv_rows++;
	}
	if (w->jsonl != NULL) {
		if (jsonl_sink_write(w->jsonl, s, &res->why) < 0)
			return false;
		res->csv_rows++;
	}
	if (w->regions_csv != NULL) {
		if (csv_sink_write(w->regions_csv, s, &res->why) < 0)
			return false;
		res->regions_csv_samples += s->regions != NULL;
	}
	if (w->archive != NULL && watch_archive(w, m, s) < 0)
		return false;
	watch_emit_group(m->g, s);
	return true;
}

/* The set's sum: sizes and counts added up over the members sampled this
 * tick (unknown when one of them did not give a value), counters carried
 * on over members gone, the system's values as any member saw them. */
static void
watch_sum(struct watch_group *g, struct sample *sum, const struct sample *s,
	  bool first)
{
	int i;

	for (i = 0; i < FIELD_COUNT; i++) {
		if (i == FIELD_MEM_AVAILABLE_KB || i == FIELD_CGROUP_LIMIT_KB ||
		    i == FIELD_CGROUP_USAGE_KB || i == FIELD_PARTIAL)
			continue;
		/* One member's estimate makes the sum an estimate; the
		 * members' draws are independent: bounds in quadrature. */
		if (i == FIELD_PSS_ERR_KB || i == FIELD_USS_ERR_KB) {
			if (first)
				sum->value[i] = NAN;
			if (!isnan(s->value[i]))
				sum->value[i] =
				    isnan(sum->value[i])
					? s->value[i]
					: hypot(sum->value[i], s->value[i]);
			continue;
		}
		if (first)
			sum->value[i] = fields[i].kind == FIELD_COUNTER
					    ? g->departed[i]
					    : 0;
		sum->value[i] += s->value[i];
	}
	sum->cost_s += s->cost_s;
	sum->tiers |= s->tiers;
}

/* Whether m is the process whose exit ends a set's run. */
static bool
watch_is_anchor(const struct watch *w, const struct watch_member *m)
{
	return w->t != NULL && m->t.pid == w->t->pid &&
	       m->t.start_ticks == w->t->start_ticks;
}

/* The ranked screen (memtrend top): every member still there. */
static void
watch_show_rank(struct watch *w, double now_s)
{
	struct watch_result *res = w->res;
	struct rank_row *rows = xcalloc(res->nmembers + 1, sizeof *rows);
	size_t i, n = 0;

	for (i = 0; i < res->nmembers; i++) {
		struct watch_member *m = res->members[i];

		if (!watch_member_live(m))
			continue;
		watch_member_row(m, &rows[n]);
		n++;
	}
	rank_show(w->rank, rows, n, now_s);
	free(rows);
}

/* Counts how often the exact reads of this tick fell outside the bounds
 * of the estimate taken just before them. */
static void
watch_anchor(struct watch *w, struct watch_member *m, const struct sample *s)
{
	struct layout_drift d = {0, 0};

	layout_anchor(m->layout, s, &d);
	w->res->estimates_compared += d.compared;
	w->res->estimates_outside += d.outside;
}

/* The one target's totals estimated without --regions (README,
 * "Estimates"): a layout of its own, opened when the estimate is first
 * due; a target whose pages cannot be sampled is noted once and read
 * exactly. */
static void
watch_member_estimate(struct watch *w, struct watch_member *m)
{
	struct layout_opts lo = {.root = w->o->root,
				 .group = w->o->group,
				 .estimate_sample = ESTIMATE_SAMPLE};
	struct error err;

	if (m->layout != NULL || m->estimate_failed || m->g->set != NULL)
		return;
	if (layout_open(&m->layout, &m->t, &lo, &err) < 0) {
		m->estimate_failed = true;
		term_notice("pid %d (%s): no estimates: %s", (int)m->t.pid,
			    m->t.comm, err.msg);
	}
}

/* The estimate of a member this tick: when its tier is due, and before
 * every exact read of USS, which anchors it (layout_anchor). */
static bool
watch_estimate_now(struct watch *w, struct watch_member *m, unsigned int due,
		   bool exact)
{
	const struct tiers *sc = &w->res->tiers;

	if (!sc->t[TIER_ESTIMATE].enabled ||
	    !(((due >> TIER_ESTIMATE) & 1) || exact))
		return false;
	watch_member_estimate(w, m);
	return m->layout != NULL && layout_estimates(m->layout);
}

/* A sample's elapsed_s in its group's series: a daemon's group starts at
 * first_elapsed_s, and its times are whole milliseconds, as its CSV
 * holds them, so the verdict resumed from the CSV is the live one. */
static double
watch_group_time(const struct watch *w, struct watch_group *g, double now_s)
{
	if (g == &w->own)
		return now_s;
	if (isnan(g->offset_s))
		g->offset_s = g->first_elapsed_s - now_s;
	return round((now_s + g->offset_s) * 1000) / 1000;
}

/* Samples one member; returns 0, 1 when it has gone (its last, partial
 * sample emitted when there was one), or -errno with res->why filled. */
static int
watch_take(struct watch *w, struct watch_member *m, struct sample *s,
	   unsigned int due, bool rollup, double now_s)
{
	bool estimate;
	int rc;

	sample_clear(s);
	s->wall_s = ticker_clock_s(CLOCK_REALTIME);
	s->elapsed_s = watch_group_time(w, m->g, now_s);
	s->instance = m->g->instance;
	s->comm = m->t.comm;
	s->cmdline = m->cmdline;
	/* A region sample this tick yields PSS and USS (and, from smaps,
	 * swap PSS and THP): smaps_rollup would walk the same page tables
	 * again for them. */
	if (m->layout != NULL &&
	    (due & ((1u << TIER_SMAPS) | (1u << TIER_PAGES))) != 0)
		rollup = false;
	rc = watch_tier(w, m, TIER_STAT, s, rollup, now_s);
	if (rc == -ESRCH || rc == -ESTALE) {
		/* Its memory being torn down: a partial row, unless the last
		 * sample was already cut by the exit (one is the last). */
		s->value[FIELD_PARTIAL] = s->partial;
		if (s->partial && !m->cut && !watch_emit(w, m, s))
			return -EIO;
		return 1;
	}
	if (rc < 0)
		return rc;
	estimate = watch_estimate_now(
	    w, m, due,
	    rollup || (m->layout != NULL &&
		       (due & ((1u << TIER_SMAPS) | (1u << TIER_PAGES))) != 0));
	s->tiers = (due & ~(1u << TIER_ROLLUP) & ~(1u << TIER_ESTIMATE)) |
		   ((unsigned int)rollup << TIER_ROLLUP) |
		   ((unsigned int)estimate << TIER_ESTIMATE);
	if (m->layout != NULL) {
		if (estimate)
			rc = watch_tier(w, m, TIER_ESTIMATE, s, false, now_s);
		if (rc == 0 && (due >> TIER_PAGES) & 1)
			rc = watch_tier(w, m, TIER_PAGES, s, false, now_s);
		else if (rc == 0 && (due >> TIER_SMAPS) & 1)
			rc = watch_tier(w, m, TIER_SMAPS, s, false, now_s);
		if (rc == 0)
			layout_fill_totals(m->layout, s);
		if (rc == 0 && estimate)
			watch_anchor(w, m, s);
		/* The totals' estimate has no regions to show. */
		if (!w->o->regions)
			s->regions = NULL;
		if (!w->pages_noted && (due >> TIER_PAGES) & 1) {
			const char *note = layout_pages_note(m->layout);

			w->pages_noted = true;
			if (note != NULL)
				term_notice("%s", note);
		}
	}
	s->value[FIELD_PARTIAL] = s->partial;
	m->cut = s->partial;
	if (rc == -ESRCH || rc == -ESTALE)
		rc = 0; /* gone mid-sample: stat will say so next tick */
	if (rc < 0)
		return rc;
	return watch_emit(w, m, s) ? 0 : -EIO;
}

/* capture --system: the system's /proc/meminfo into the archive, its
 * cost booked to the stat tier. */
static int
watch_system(struct watch *w, double now_s)
{
	double cpu0 = ticker_clock_s(CLOCK_THREAD_CPUTIME_ID);
	struct ksample k;
	int rc;

	memset(&k, 0, sizeof k);
	rc = meminfo_sample(w->meminfo, &k, &w->res->why);
	if (rc == 0)
		rc = archive_sink_system(w->archive, now_s, k.value,
					 &w->res->why);
	w->mem_available_kb = k.value[KF_MEM_AVAILABLE_KB];
	w->tick_cost[TIER_STAT] +=
	    ticker_clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	return rc < 0 ? -EIO : 0;
}

/* Finds a due group's processes again; a daemon's group whose scan
 * fails (its cgroup removed) keeps the error to tell and matches none. */
static int
watch_scan_groups(struct watch *w, double now_s)
{
	double cpu0 = ticker_clock_s(CLOCK_THREAD_CPUTIME_ID);
	size_t i;
	int rc = 0;

	targets_source_next(w->src);
	for (i = 0; i < w->ngroups && rc == 0; i++) {
		struct watch_group *g = w->groups[i];

		g->ticked = w->ticks % (g->every ? g->every : 1) == 0;
		if (g->set == NULL || !g->ticked)
			continue;
		/* A daemon's group (w->src) keeps its error to tell. */
		if (g == &w->own || w->src == NULL) {
			rc = watch_scan(w, g, now_s, &w->res->why);
			continue;
		}
		g->scan_rc = watch_scan(w, g, now_s, &g->scan_error);
	}
	w->tick_cost[TIER_STAT] +=
	    ticker_clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	return rc;
}

/* The tick of one group's members and its sum; returns as watch_tick. */
static int
watch_tick_group(struct watch *w, struct watch_group *g, unsigned int due,
		 double now_s)
{
	struct watch_result *res = w->res;
	struct sample s, sum;
	bool any = false;
	size_t i;
	int rc = 0;

	g->live = 0;
	sample_clear(&sum);
	for (i = 0; i < res->nmembers && rc == 0; i++) {
		struct watch_member *m = res->members[i];

		if (m->g != g || m == g->sum || !watch_member_live(m))
			continue;
		if (g->set != NULL && !m->seen) {
			/* Gone (or a zombie) since the last tick. */
			rc = watch_member_leave(w, m, now_s);
			sum.partial = true;
			if (rc == 0 && watch_is_anchor(w, m))
				rc = 1;
			continue;
		}
		rc = watch_take(w, m, &s, due, m->rollup_now, now_s);
		if (rc != 1) {
			if (rc == 0 && g->sum != NULL)
				watch_sum(g, &sum, &s, !any);
			any = any || rc == 0;
			g->live += rc == 0;
			continue;
		}
		rc = watch_member_leave(w, m, now_s);
		sum.partial = true;
		if (rc == 0)
			rc = m == res->judged || watch_is_anchor(w, m) ? 1 : 0;
	}
	if (rc == 0 && g->sum != NULL && any) {
		sum.wall_s = ticker_clock_s(CLOCK_REALTIME);
		sum.elapsed_s = watch_group_time(w, g, now_s);
		sum.instance = g->instance;
		sum.comm = g->sum->t.comm;
		sum.cmdline = "";
		if (g->system != NULL)
			watch_system_sample(w, g->system, &sum);
		sum.value[FIELD_PARTIAL] = sum.partial;
		if (!watch_emit(w, g->sum, &sum))
			rc = -EIO;
	}
	return rc;
}

/* capture -p PID -p PID: the run ends when the last of them has gone
 * (a name is followed until the run is stopped). */
static bool
watch_sets_gone(struct watch *w)
{
	size_t i;

	if (w->o->nsets == 0)
		return false;
	for (i = 0; i < w->o->nsets; i++)
		if (w->sets[i].spec.kind != TARGETS_PID || w->sets[i].live > 0)
			return false;
	snprintf(w->res->why.msg, sizeof w->res->why.msg,
		 "every process captured has exited");
	return true;
}

/* A set's exact reads' first costs, from its members' RSS, once a scan
 * has found some (the one target's are predicted when it is opened): so
 * their first runs wait for their credit as later ones do.  A ranked
 * set's reads go member by member (watch_choose_rollup) and are not. */
static void
watch_predict_sets(struct watch *w)
{
	const struct watch_result *res = w->res;
	double rss = 0;
	size_t i;

	if (w->o->rank || tiers_known(&res->tiers))
		return;
	for (i = 0; i < res->nmembers; i++) {
		const struct watch_member *m = res->members[i];

		if (m->g->set != NULL && m != m->g->sum && m->seen &&
		    watch_member_live(m) && isfinite(m->last[FIELD_RSS_KB]))
			rss += m->last[FIELD_RSS_KB];
	}
	if (rss > 0)
		tiers_predict(&w->res->tiers, rss, w->o->idle,
			      (double)w->o->interval_ns / 1e9);
}

/* One tick over every member; returns 0, 1 when the run's target has
 * gone, or -errno with res->why filled. */
static int
watch_tick(struct watch *w)
{
	struct watch_result *res = w->res;
	double now_s;
	unsigned int due;
	size_t i;
	int rc;

	/* The budget and the next tick go by the clock; the samples by
	 * their time as the CSVs keep it. */
	w->last_s = ticker_elapsed_s(&w->tk);
	now_s = ticker_sample_s(&w->tk, w->last_s);
	rc = watch_scan_groups(w, now_s);
	watch_predict_sets(w);
	due = tiers_plan(&res->tiers, w->last_s);
	w->ticks++;
	if (rc < 0)
		return rc;
	watch_choose_rollup(w, due, w->last_s);
	w->mem_available_kb = NAN;
	if (w->meminfo != NULL)
		rc = watch_system(w, now_s);
	for (i = 0; i < w->ngroups && rc == 0; i++)
		if (w->groups[i]->ticked)
			rc = watch_tick_group(w, w->groups[i], due, now_s);
	if (rc == 0 && watch_sets_gone(w))
		rc = 1;
	watch_prune(w);
	if (w->rank != NULL && rc == 0)
		watch_show_rank(w, now_s);
	watch_charge(w);
	watch_note_throttle(w);
	watch_plan_estimate(w);
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

	if (t == NULL || !t->launched) {
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
		 * tick slows (watch_note_throttle says so, and again when
		 * the slowed tick changes by half). */
		tick = tiers_tick_s(&res->tiers, interval);
		if (tick > interval)
			due = ticker_hold(&w->tk, w->last_s + tick);
		if (w->o->duration_ns != 0 &&
		    due * 1e9 >= (double)w->o->duration_ns) {
			watch_end(res, WATCH_END_DURATION, "duration reached");
			return false;
		}
		/* The flag is checked before each sleep, and the handler
		 * also wakes the sleep through a pipe (stop.h): a signal
		 * taken while sampling, not in the sleep it would interrupt,
		 * still stops the run at once, without waking in slices. */
		if (stop_signal() == 0)
			rc = ticker_sleep(&w->tk, stop_wake_fd());
		if (rc == 0 && stop_signal() == 0)
			return true;
		if (rc == -EAGAIN && stop_signal() == 0)
			continue;
		if (stop_signal() != 0) {
			snprintf(res->why.msg, sizeof res->why.msg,
				 "stopped by %s", strsignal(stop_signal()));
			res->end = WATCH_END_SIGNAL;
			return false;
		}
		if (w->t != NULL && w->t->launched && target_reap(w->t)) {
			watch_target_gone(w->t, res);
			return false;
		}
	}
}

/* Who is watched, for the CSVs' first line: the target, or the set. */
static void
watch_about(const struct watch *w, struct provenance *about)
{
	struct targets_spec sp;

	provenance_of_target(about, w->o->set == NULL ? w->t : NULL);
	if (w->o->set == NULL)
		return;
	sp = *w->o->set;
	if (sp.kind == TARGETS_TREE && w->t != NULL)
		sp.pid = w->t->pid;
	targets_describe(&sp, about->command, sizeof about->command);
}

/* What every loop has: the tier scheduler and the stat reader. */
static int
watch_open_loop(struct watch *w)
{
	const struct watch_opts *o = w->o;
	unsigned int extra = 0;

	if (o->pages)
		extra |= 1u << TIER_PAGES;
	else if (o->regions)
		extra |= 1u << TIER_SMAPS;
	if (o->estimate == WATCH_ESTIMATE_ALWAYS && !o->rank)
		extra |= 1u << TIER_ESTIMATE;
	tiers_init(&w->res->tiers, o->budget, extra);
	return rollup_open(&w->rollup, &w->res->why) < 0 ? -1 : 0;
}

static void
watch_group_insert(struct watch *w, struct watch_group *g)
{
	w->groups = xreallocarray(w->groups, w->ngroups + 1, sizeof *w->groups);
	w->groups[w->ngroups++] = g;
}

/* A set's group: its scan, its sum (unless ranked) and its system
 * context -- a cgroup's own, else the anchor's or memtrend's. */
static int
watch_group_open(struct watch *w, struct watch_group *g, bool rank,
		 pid_t anchor, struct error *err)
{
	const struct watch_opts *o = w->o;
	struct targets_spec sp = g->spec;

	sp.tier0 = rank;
	if ((w->src != NULL ? targets_open_shared(&g->set, &sp, w->src, err)
			    : targets_open(&g->set, &sp, err)) < 0)
		return -1;
	watch_group_insert(w, g);
	if (rank)
		return 0;
	g->sum = watch_member_new(w, g);
	snprintf(g->sum->t.comm, sizeof g->sum->t.comm, "(sum)");
	if (sp.kind == TARGETS_CGROUP) {
		char dir[4096];

		targets_cgroup_dir(dir, sizeof dir, "/", sp.cgroup);
		g->system = system_open_cgroup(o->root, dir);
	} else if (w->src != NULL) {
		/* MemAvailable, the same for every daemon group (a libproc2
		 * meminfo reader each would be most of the daemon's memory). */
		if (w->system == NULL)
			w->system = system_open(o->root, anchor);
		g->system = w->system;
	} else {
		g->system = system_open(o->root, anchor);
	}
	return 0;
}

static void
watch_group_close(struct watch *w, struct watch_group *g)
{
	targets_close(g->set);
	g->set = NULL;
	if (g->system != w->system)
		system_close(g->system);
	g->system = NULL;
}

/* capture -n NAME ...: a group for each set, on the loop's clock
 * (offset_s 0), its members without a verdict of their own. */
static int
watch_open_sets(struct watch *w, struct error *err)
{
	const struct watch_opts *o = w->o;
	size_t i;

	w->sets = xcalloc(o->nsets, sizeof *w->sets);
	for (i = 0; i < o->nsets; i++) {
		struct watch_group *g = &w->sets[i];

		g->spec = o->sets[i];
		g->every = 1;
		g->metric = o->metric;
		g->regions = true;
		g->sum_only = true;
		if (watch_group_open(w, g, false, getpid(), err) < 0)
			return -1;
	}
	return 0;
}

static int
watch_open(struct watch *w)
{
	const struct watch_opts *o = w->o;
	struct watch_result *res = w->res;
	struct error *err = &res->why;
	struct watch_group *g = &w->own;
	struct watch_member *m;
	struct provenance about;
	unsigned int extra = 0;
	char note[512] = "";
	int rc;

	if (o->pages || o->regions)
		extra = 1;
	if (watch_open_loop(w) < 0)
		return -1;
	g->every = 1;
	g->metric = o->metric;
	g->regions = true;
	if (o->nsets > 0) {
		if (watch_open_sets(w, err) < 0)
			return -1;
	} else if (o->set == NULL) {
		watch_group_insert(w, g);
		m = watch_member_new(w, g);
		m->t = *w->t;
		m->t.launched = false; /* reaped by the caller's target */
		m->joined_s = 0;
		res->judged = m;
		if ((rc = watch_member_calibrate(w, m, err)) < 0)
			return rc; /* -ESRCH: gone before the first sample */
		if ((rc = watch_member_sources(w, m, err)) < 0)
			return rc;
		g->system = system_open(o->root, w->t->pid);
		/* Its exact reads' first costs, from its size: their first
		 * runs wait for their credit, the estimate fills in. */
		tiers_predict(&res->tiers, m->last[FIELD_RSS_KB], o->idle,
			      (double)o->interval_ns / 1e9);
		watch_plan_estimate(w);
	} else {
		g->spec = *o->set;
		if (g->spec.kind == TARGETS_TREE)
			g->spec.pid = w->t->pid;
		if (watch_group_open(w, g, o->rank,
				     w->t != NULL ? w->t->pid : getpid(),
				     err) < 0)
			return -1;
		res->judged = g->sum;
	}
	watch_about(w, &about);
	if (o->csv_path != NULL && o->json_lines &&
	    jsonl_sink_open(&w->jsonl, o->csv_path, o->force, err) < 0)
		return -1;
	if (o->csv_path != NULL && !o->json_lines &&
	    csv_sink_open_about(&w->csv, o->csv_path,
				o->set != NULL ? CSV_LONG : CSV_SAMPLES,
				o->force, &about, err) < 0)
		return -1;
	if (o->regions_csv_path != NULL && w->csv != NULL &&
	    csv_sink_same_file(w->csv, o->regions_csv_path, err) < 0)
		return -1;
	if (o->regions_csv_path != NULL &&
	    csv_sink_open_about(&w->regions_csv, o->regions_csv_path,
				CSV_REGIONS, o->force, &about, err) < 0)
		return -1;
	if (o->archive != NULL &&
	    archive_sink_open(&w->archive, o->archive, w->t, note, sizeof note,
			      err) < 0)
		return -1;
	if (note[0] != '\0')
		term_notice("%s", note);
	if (o->system_samples && w->archive != NULL &&
	    meminfo_open(&w->meminfo, o->root, err) < 0)
		return -1;
	if (o->live && o->rank)
		w->rank = rank_open(stdout, o->raw_kib, o->top_regions);
	else if (o->live)
		w->term = term_open(stdout, o->raw_kib,
				    extra != 0 ? o->top_regions : 0,
				    (double)o->interval_ns / 1e9);
	return 0;
}

static void
watch_close(struct watch *w)
{
	struct watch_result *res = w->res;
	bool failed = res->end == WATCH_END_ERROR;
	size_t i;

	if (w->csv != NULL &&
	    csv_sink_close(w->csv, failed ? NULL : &res->why) < 0)
		res->end = WATCH_END_ERROR;
	if (jsonl_sink_close(w->jsonl, failed ? NULL : &res->why) < 0)
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
	meminfo_close(w->meminfo);
	if (w->term != NULL)
		term_close(w->term);
	rank_close(w->rank);
	for (i = 0; i < res->nmembers; i++)
		watch_member_release(w, res->members[i]);
	free(w->order);
	for (i = 0; i < w->ngroups; i++)
		watch_group_close(w, w->groups[i]);
	free(w->groups);
	free(w->sets);
	targets_source_free(w->src);
	system_close(w->system);
	rollup_close(w->rollup);
}

void
watch_run(const struct watch_opts *o, struct target *t,
	  struct watch_result *res)
{
	struct watch w = {.o = o, .t = t, .res = res};
	uint64_t n = 0;
	int rc;

	memset(res, 0, sizeof *res);
	watch_signals();
	if ((rc = watch_open(&w)) < 0) {
		res->end = WATCH_END_ERROR;
		if (rc == -ESRCH || rc == -ESTALE)
			watch_target_gone(t, res);
		watch_close(&w);
		return;
	}
	ticker_start(&w.tk, o->interval_ns);
	w.cpu_mark_s = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
	for (;;) {
		rc = watch_tick(&w);
		if (rc == 1) {
			watch_target_gone(t, res);
			break;
		}
		if (rc < 0) {
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

double
watch_member_rate(const struct watch_member *m)
{
	const struct trend_evidence *ev = verdict_evidence(&m->verdict);
	static const enum field_id order[] = {FIELD_USS_KB, FIELD_PSS_KB,
					      FIELD_RSS_KB};
	size_t i;

	if (ev->verdict != TREND_INSUFFICIENT && isfinite(ev->slope))
		return ev->slope;
	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (m->summary.stat[order[i]].n >= 2)
			return summary_rate_per_hour(
			    &m->summary.stat[order[i]]);
	return NAN;
}

void
watch_member_row(const struct watch_member *m, struct rank_row *row)
{
	row->pid = m->t.pid;
	row->comm = m->t.comm;
	row->cmdline = m->cmdline;
	row->summary = &m->summary;
	row->verdict = &m->verdict;
	row->rate_kb_h = watch_member_rate(m);
}

/* ---- the loop driven by the daemon -------------------------------------- */

struct watch *
watch_begin(const struct watch_opts *o, struct watch_result *res)
{
	struct watch *w = xcalloc(1, sizeof *w);

	memset(res, 0, sizeof *res);
	w->o = o;
	w->res = res;
	watch_signals();
	if (watch_open_loop(w) < 0 ||
	    targets_source_new(&w->src, &res->why) < 0) {
		rollup_close(w->rollup);
		free(w);
		return NULL;
	}
	ticker_start(&w->tk, o->interval_ns);
	w->cpu_mark_s = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
	return w;
}

int
watch_group_add(struct watch *w, struct watch_group *g, struct error *err)
{
	g->spec.patient = true;
	g->offset_s = NAN;
	if (g->every == 0)
		g->every = 1;
	/* It samples at its next tick, whatever the count. */
	return watch_group_open(w, g, false, getpid(), err);
}

void
watch_group_remove(struct watch *w, struct watch_group *g)
{
	struct watch_result *res = w->res;
	size_t i, k = 0;

	for (i = 0; i < res->nmembers; i++) {
		struct watch_member *m = res->members[i];

		if (m->g != g) {
			res->members[k++] = m;
			continue;
		}
		watch_member_release(w, m);
		watch_member_free(m);
	}
	res->nmembers = k;
	for (i = 0, k = 0; i < w->ngroups; i++)
		if (w->groups[i] != g)
			w->groups[k++] = w->groups[i];
	w->ngroups = k;
	watch_group_close(w, g);
	g->sum = NULL;
}

int
watch_step(struct watch *w)
{
	int rc = watch_tick(w);

	w->res->overruns = w->tk.overruns;
	w->res->elapsed_s = ticker_elapsed_s(&w->tk);
	return rc > 0 ? 0 : rc;
}

bool
watch_wait(struct watch *w)
{
	return watch_sleep(w);
}

void
watch_end_run(struct watch *w)
{
	w->res->overruns = w->tk.overruns;
	w->res->elapsed_s = ticker_elapsed_s(&w->tk);
	watch_close(w);
	free(w);
}

void
watch_result_free(struct watch_result *res)
{
	size_t i;

	for (i = 0; i < res->nmembers; i++)
		watch_member_free(res->members[i]);
	free(res->members);
	res->members = NULL;
	res->nmembers = 0;
}
