/*
 * Token-bucket tier scheduler (see tiers.h).  Tier 0 always runs; its
 * cost is taken from the other tiers' credit in proportion to their
 * shares, so the sum of all tiers stays within the budget -- but never
 * more than half of what they earn: when stat alone costs more than
 * half the budget the tick slows down instead (tiers_tick_s), so the
 * heavy tiers are never starved.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/tiers.h"

#define TIERS_EWMA 0.3	       /* weight of the newest cost */
#define TIERS_STAT_MAX 0.5     /* of the budget, at most, for tier 0 */
#define TIERS_ESTIMATE_MAX 0.5 /* of what tier 0 leaves, at most */
#define TIERS_EXACT_EVERY_S 60 /* an exact USS at least this often */
/* The estimate pays under this part of the exact read's cost
 * (tiers_estimate_pays): its readings carry a bound (up to 1.5 % of a
 * region), so it is worth them only when it buys at least twice as many
 * as the exact read would. */
#define TIERS_ESTIMATE_PAYS 0.5
/* A period told changes enough to be told again (the estimate joining,
 * a first run measured) beyond this factor, up to this many tellings. */
#define TIERS_RETELL_FACTOR 1.5
#define TIERS_RETELL_MAX 3
/* CPU seconds per GiB resident of one exact read, to predict a tier's
 * first run (tiers_predict).  Measured on the project's 2-core VM
 * (README, "The CPU budget"): smaps_rollup 11.5 ms/GiB at 2 GiB, 14.4 at
 * 12 GiB, 15.6 at 16 GiB; smaps and the page walk with kpageflags within
 * 0.9-1.3x of it; the walk that clears referenced bits (--idle without
 * page_idle) 45.5 ms/GiB at 2 GiB, 44.6 at 16 GiB.  Rounded up: too high a
 * prediction delays a first run, too low one overspends the budget. */
#define TIERS_READ_S_PER_GIB 0.016
#define TIERS_IDLE_S_PER_GIB 0.048

const char *const tier_names[TIER_COUNT] = {
    [TIER_STAT] = "stat",	  [TIER_ROLLUP] = "smaps_rollup",
    [TIER_SMAPS] = "smaps",	  [TIER_PAGES] = "pagemap",
    [TIER_ESTIMATE] = "estimate",
};

void
tiers_init(struct tiers *s, double budget, unsigned int extra)
{
	double heavy = 0;
	int i;

	memset(s, 0, sizeof *s);
	s->budget = budget;
	s->t[TIER_STAT].enabled = true;
	s->t[TIER_ROLLUP].enabled = true;
	s->t[TIER_SMAPS].enabled = (extra >> TIER_SMAPS) & 1;
	s->t[TIER_PAGES].enabled = (extra >> TIER_PAGES) & 1;
	/* A region tier also yields the PSS/USS totals (summed over the
	 * regions), so smaps_rollup only adds the few totals that have no
	 * per-mapping form: it gets a quarter of the budget then. */
	for (i = TIER_SMAPS; i <= TIER_PAGES; i++)
		heavy += s->t[i].enabled;
	s->t[TIER_ROLLUP].share = heavy > 0 ? 0.25 : 1;
	for (i = TIER_SMAPS; i <= TIER_PAGES; i++)
		s->t[i].share = s->t[i].enabled ? 0.75 / heavy : 0;
	/* The most the estimate takes; the exact tiers' shares are of what
	 * it leaves. */
	s->t[TIER_ESTIMATE].share = TIERS_ESTIMATE_MAX;
	if ((extra >> TIER_ESTIMATE) & 1)
		tiers_enable_estimate(s);
}

void
tiers_enable_estimate(struct tiers *s)
{
	s->t[TIER_ESTIMATE].enabled = true;
}

void
tiers_disable_estimate(struct tiers *s)
{
	s->t[TIER_ESTIMATE].enabled = false;
	s->t[TIER_ESTIMATE].credit_s = 0;
}

bool
tiers_estimate_pays(const struct tiers *s)
{
	const struct tiers_tier *e = &s->t[TIER_ESTIMATE],
				*x = &s->t[tiers_exact(s)];

	/* Judged on the exact read measured, not on its guess by size:
	 * the estimate's cost varies by machine as the guess does not. */
	if (e->runs == 0 || x->runs == 0 || !(x->cost_s > 0))
		return true;
	return e->cost_s < x->cost_s * TIERS_ESTIMATE_PAYS;
}

enum tier
tiers_exact(const struct tiers *s)
{
	if (s->t[TIER_PAGES].enabled)
		return TIER_PAGES;
	if (s->t[TIER_SMAPS].enabled)
		return TIER_SMAPS;
	return TIER_ROLLUP;
}

bool
tiers_wants_estimate(const struct tiers *s, double interval_s)
{
	return tiers_throttled(s, tiers_exact(s), interval_s);
}

/* The estimate earns what it needs for a run, up to TIERS_ESTIMATE_MAX of
 * avail_s, banking at most one run ahead (so a run dearer than the last
 * is paid from what cheaper ones left, rather than making the next tick
 * wait); returns what it took. */
static double
tiers_plan_estimate(struct tiers *s, double avail_s, unsigned int *due)
{
	struct tiers_tier *t = &s->t[TIER_ESTIMATE];
	double take;

	if (!t->enabled)
		return 0;
	if (s->budget >= 1 || t->runs == 0) {
		*due |= 1u << TIER_ESTIMATE;
		return 0;
	}
	take = fmin(avail_s * TIERS_ESTIMATE_MAX,
		    fmax(0, 2 * t->cost_s - t->credit_s));
	t->credit_s += take;
	if (t->credit_s >= t->cost_s)
		*due |= 1u << TIER_ESTIMATE;
	return take;
}

/* The exact tiers' shares of avail_per_s (CPU seconds a second that stat
 * and the estimate leave): their set shares, except that the cheapest
 * exact read of USS takes what it needs to run once every
 * TIERS_EXACT_EVERY_S (up to half of the others' shares) and the others
 * share the rest in their set proportions.  So the estimate is anchored at
 * least once a minute wherever the budget can pay one exact read a minute (16
 * GiB, all sources: smaps_rollup every 114 s under the set shares). */
static void
tiers_shares(const struct tiers *s, double avail_per_s,
	     double share[TIER_COUNT])
{
	int i, cheap = -1;
	double need, scale;

	for (i = 0; i < TIER_COUNT; i++)
		share[i] = s->t[i].share;
	for (i = TIER_ROLLUP; i <= TIER_PAGES; i++)
		if (s->t[i].enabled && s->t[i].cost_s > 0 &&
		    (cheap < 0 || s->t[i].cost_s < s->t[cheap].cost_s))
			cheap = i;
	if (cheap < 0 || avail_per_s <= 0)
		return;
	need = s->t[cheap].cost_s / TIERS_EXACT_EVERY_S / avail_per_s;
	if (need <= share[cheap])
		return;
	/* The others keep at least half their set shares: an exact tier is
	 * slowed for the anchor, never starved. */
	need = fmin(need, 1 - (1 - share[cheap]) / 2);
	scale = share[cheap] < 1 ? (1 - need) / (1 - share[cheap]) : 0;
	for (i = TIER_ROLLUP; i <= TIER_PAGES; i++)
		share[i] = i == cheap ? need : share[i] * scale;
}

unsigned int
tiers_plan(struct tiers *s, double now_s)
{
	struct tiers_tier *t;
	unsigned int due = 1u << TIER_STAT;
	double dt, earned, stat, avail, share[TIER_COUNT];
	int i;

	dt = s->started ? fmax(0, now_s - s->last_s) : 0;
	s->started = true;
	s->last_s = now_s;
	earned = dt * s->budget;
	stat = fmin(s->stat_debt_s, earned * TIERS_STAT_MAX);
	s->stat_debt_s = 0;
	avail = earned - stat;
	avail -= tiers_plan_estimate(s, avail, &due);
	tiers_shares(s, dt > 0 ? avail / dt : 0, share);
	for (i = TIER_ROLLUP; i <= TIER_PAGES; i++) {
		t = &s->t[i];
		if (!t->enabled)
			continue;
		if (s->budget >= 1 || (t->runs == 0 && !t->predicted)) {
			due |= 1u << i;
			continue;
		}
		/* Earn this tick's share of what stat left, banking at most
		 * one run ahead. */
		t->credit_s = fmin(t->credit_s + avail * share[i],
				   t->cost_s + earned * share[i]);
		if (t->credit_s >= t->cost_s)
			due |= 1u << i;
	}
	return due;
}

/* A predicted tier's first measured run corrects the predictions of the
 * others not yet run by the same factor: the constants are per tier, the
 * machine's speed (and the target's page tables) one. */
static void
tiers_correct(struct tiers *s, enum tier tier, double cost_s)
{
	double factor = cost_s / s->t[tier].cost_s;
	int i;

	for (i = TIER_ROLLUP; i <= TIER_PAGES; i++)
		if (i != (int)tier && s->t[i].predicted)
			s->t[i].cost_s *= factor;
}

void
tiers_charge(struct tiers *s, enum tier tier, double cost_s)
{
	struct tiers_tier *t = &s->t[tier];
	bool predicted = t->predicted;

	if (predicted && t->cost_s > 0 && cost_s > 0)
		tiers_correct(s, tier, cost_s);
	t->predicted = false;
	/* stat's first tick followed no sleep and no earlier write: a third
	 * of the later ones' cost here.  Its second run replaces it. */
	t->cost_s = t->runs == 0 || (tier == TIER_STAT && t->runs == 1)
			? cost_s
			: TIERS_EWMA * cost_s + (1 - TIERS_EWMA) * t->cost_s;
	t->runs++;
	t->total_s += cost_s;
	/* An unpredicted heavy tier's first run measures its cost (it runs
	 * before any credit is earned): booking it as a debt would hold the
	 * second run back twice as long.  A predicted one waited for its
	 * credit, as every run does. */
	if (tier != TIER_STAT && (t->runs > 1 || predicted))
		t->credit_s -= cost_s;
	else if (tier == TIER_STAT)
		s->stat_debt_s += cost_s; /* taken at the next plan */
}

bool
tiers_known(const struct tiers *s)
{
	int i;

	for (i = TIER_ROLLUP; i <= TIER_PAGES; i++)
		if (s->t[i].enabled && s->t[i].runs == 0 && !s->t[i].predicted)
			return false;
	return true;
}

void
tiers_predict(struct tiers *s, double rss_kb, bool idle, double interval_s)
{
	double gib = rss_kb / (1024.0 * 1024.0);
	int i;

	for (i = TIER_ROLLUP; i <= TIER_PAGES; i++) {
		struct tiers_tier *t = &s->t[i];

		if (!t->enabled || t->runs > 0 || !(gib > 0))
			continue;
		t->cost_s =
		    gib * (i == TIER_PAGES && idle ? TIERS_IDLE_S_PER_GIB
						   : TIERS_READ_S_PER_GIB);
		t->predicted = true;
	}
	/* A tick's credit up front, so a read that fits a tick's share (a
	 * small target) is taken on the first tick, as before. */
	if (!s->started) {
		s->started = true;
		s->last_s = -interval_s;
	}
}

double
tiers_tick_s(const struct tiers *s, double interval_s)
{
	if (s->budget >= 1)
		return interval_s;
	return fmax(interval_s,
		    s->t[TIER_STAT].cost_s / (s->budget * TIERS_STAT_MAX));
}

double
tiers_period_s(const struct tiers *s, enum tier tier, double tick_s)
{
	const struct tiers_tier *t = &s->t[tier];
	double earned = tick_s * s->budget, avail, est = 0, share[TIER_COUNT];

	if (s->budget >= 1 || tier == TIER_STAT)
		return tick_s;
	avail = earned - fmin(s->t[TIER_STAT].cost_s, earned * TIERS_STAT_MAX);
	if (tier == TIER_ESTIMATE)
		return fmax(tick_s,
			    t->cost_s / (avail * TIERS_ESTIMATE_MAX) * tick_s);
	if (s->t[TIER_ESTIMATE].enabled)
		est = fmin(avail * TIERS_ESTIMATE_MAX,
			   s->t[TIER_ESTIMATE].cost_s);
	tiers_shares(s, (avail - est) / tick_s, share);
	return fmax(tick_s, t->cost_s / ((avail - est) * share[tier]) * tick_s);
}

bool
tiers_period_news(double told_s, unsigned int told, double period_s)
{
	if (told == 0)
		return true;
	if (told >= TIERS_RETELL_MAX || !(told_s > 0) || !isfinite(period_s))
		return false;
	return period_s > told_s * TIERS_RETELL_FACTOR ||
	       period_s * TIERS_RETELL_FACTOR < told_s;
}

bool
tiers_throttled(const struct tiers *s, enum tier tier, double tick_s)
{
	const struct tiers_tier *t = &s->t[tier];

	/* Judged by the period the plan gives it, which counts what stat
	 * takes of a slowed tick (half), not by its share of the whole. */
	return s->budget < 1 && t->enabled && t->cost_s > 0 &&
	       tiers_period_s(s, tier, tick_s) > tick_s;
}
