/*
 * Token-bucket tier scheduler (see tiers.h).  Tier 0 always runs; its
 * cost is taken from the other tiers' credit in proportion to their
 * shares, so the sum of all tiers stays within the budget.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/tiers.h"

#define TIERS_EWMA 0.3		/* weight of the newest cost */

const char *const tier_names[TIER_COUNT] = {
	[TIER_STAT] = "stat",
	[TIER_ROLLUP] = "smaps_rollup",
	[TIER_SMAPS] = "smaps",
	[TIER_PAGES] = "pagemap",
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
	for (i = TIER_SMAPS; i < TIER_COUNT; i++)
		heavy += s->t[i].enabled;
	s->t[TIER_ROLLUP].share = heavy > 0 ? 0.25 : 1;
	for (i = TIER_SMAPS; i < TIER_COUNT; i++)
		s->t[i].share = s->t[i].enabled ? 0.75 / heavy : 0;
}

unsigned int
tiers_plan(struct tiers *s, double now_s)
{
	struct tiers_tier *t;
	unsigned int due = 1u << TIER_STAT;
	double dt;
	int i;

	dt = s->started ? fmax(0, now_s - s->last_s) : 0;
	s->started = true;
	s->last_s = now_s;
	for (i = TIER_ROLLUP; i < TIER_COUNT; i++) {
		t = &s->t[i];
		if (!t->enabled)
			continue;
		if (s->budget >= 1 || t->runs == 0) {
			due |= 1u << i;
			continue;
		}
		/* Earn this tick's share, banking at most one run ahead. */
		t->credit_s = fmin(t->credit_s + dt * s->budget * t->share,
		    t->cost_s + dt * s->budget * t->share);
		if (t->credit_s >= t->cost_s)
			due |= 1u << i;
	}
	return due;
}

void
tiers_charge(struct tiers *s, enum tier tier, double cost_s)
{
	struct tiers_tier *t = &s->t[tier];
	int i;

	t->cost_s = t->runs == 0 && t->cost_s == 0 ? cost_s :
	    TIERS_EWMA * cost_s + (1 - TIERS_EWMA) * t->cost_s;
	t->runs++;
	t->total_s += cost_s;
	if (tier != TIER_STAT) {
		t->credit_s -= cost_s;
		return;
	}
	for (i = TIER_ROLLUP; i < TIER_COUNT; i++)
		if (s->t[i].enabled)
			s->t[i].credit_s -= cost_s * s->t[i].share;
}

void
tiers_calibrate(struct tiers *s, enum tier tier, double cost_s)
{
	s->t[tier].cost_s = cost_s;
}

bool
tiers_throttled(const struct tiers *s, enum tier tier, double interval_s)
{
	const struct tiers_tier *t = &s->t[tier];

	return s->budget < 1 && t->enabled && t->runs > 0 &&
	    t->cost_s > interval_s * s->budget * t->share;
}
