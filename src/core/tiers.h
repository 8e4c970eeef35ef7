/*
 * The tier scheduler (DESIGN.md, "Sampling tiers and the overhead
 * budget").  Every tier's cost is measured as it runs; each heavy tier
 * earns CPU credit at its share of the budget and runs when it has earned
 * the cost of a run, so the monitor as a whole stays within the budget
 * whatever the target's size.
 */
#ifndef MEMTREND_TIERS_H
#define MEMTREND_TIERS_H

#include <stdbool.h>

enum tier {
	TIER_STAT,   /* stat + status counters: every tick */
	TIER_ROLLUP, /* smaps_rollup totals */
	TIER_SMAPS,  /* smaps per mapping (--regions) */
	TIER_PAGES,  /* pagemap walk (--pages) */
	/* Estimated regions from a sample of pages (sources/estimate.h):
	 * its cost is set by the sample, not by the target, so it takes
	 * what it needs to run every tick, up to half of what stat leaves;
	 * the exact tiers share the rest and anchor it. */
	TIER_ESTIMATE,
	TIER_COUNT
};

extern const char *const tier_names[TIER_COUNT];

/* The tiers whose run reads PSS and USS exactly. */
#define TIERS_EXACT_MASK                                                       \
	((1u << TIER_ROLLUP) | (1u << TIER_SMAPS) | (1u << TIER_PAGES))

struct tiers_tier {
	bool enabled;
	double share;	 /* of the budget */
	double credit_s; /* CPU seconds it has earned and not spent */
	double cost_s;	 /* recent cost of one run (EWMA) */
	bool predicted;	 /* cost_s is tiers_predict's, not yet measured */
	unsigned long runs;
	double total_s; /* CPU seconds spent in all runs */
};

struct tiers {
	double budget;	    /* fraction of one core; >= 1: unlimited */
	double last_s;	    /* when credit was last earned */
	double stat_debt_s; /* stat's cost since then, not yet taken */
	bool started;
	struct tiers_tier t[TIER_COUNT];
};

/* Enables TIER_STAT and TIER_ROLLUP, and the tiers flagged in extra
 * (1 << TIER_SMAPS, 1 << TIER_PAGES, 1 << TIER_ESTIMATE). */
void tiers_init(struct tiers *s, double budget, unsigned int extra);

/* Enables the estimate tier during a run (tiers_wants_estimate), or
 * disables it again (tiers_estimate_pays). */
void tiers_enable_estimate(struct tiers *s);
void tiers_disable_estimate(struct tiers *s);

/* The exact tier that gives USS: the region tier when there is one,
 * else smaps_rollup. */
enum tier tiers_exact(const struct tiers *s);

/* Whether the exact tier that gives USS cannot run every tick of
 * interval_s (tiers_throttled: its period, after what stat and the
 * estimate take, is longer than a tick): the estimate then fills the
 * ticks in between. */
bool tiers_wants_estimate(const struct tiers *s, double interval_s);

/* Whether the estimate, once measured, costs under half of the exact
 * read it stands in for, and so is worth its bounds: at about the same
 * cost the budget buys as many exact readings.  True until both have been
 * measured (a predicted cost is a guess by size). */
bool tiers_estimate_pays(const struct tiers *s);

/* The tiers to run at time now_s, as a bit mask of 1 << tier.  A tier
 * neither measured nor predicted is always due. */
unsigned int tiers_plan(struct tiers *s, double now_s);

/* Records that tier ran and took cost_s CPU seconds. */
void tiers_charge(struct tiers *s, enum tier tier, double cost_s);

/* Predicts the exact tiers' first costs from the target's resident size
 * (idle: the page walk also clears referenced bits, --idle), so their
 * first runs are scheduled and charged like any other, and the plan
 * starts as if one tick of interval_s had passed. */
void tiers_predict(struct tiers *s, double rss_kb, bool idle,
		   double interval_s);

/* Whether every exact tier's cost is known: measured, or predicted. */
bool tiers_known(const struct tiers *s);

/* The time between ticks that keeps stat (which runs every tick)
 * within its part of the budget: interval_s, or longer when one stat
 * run costs more than that part of an interval. */
double tiers_tick_s(const struct tiers *s, double interval_s);

/* How often tier runs, in seconds, at ticks of tick_s: the cost of a
 * run over what it earns, its share of what stat and the estimate
 * leave (as tiers_plan shares it out). */
double tiers_period_s(const struct tiers *s, enum tier tier, double tick_s);

/* Whether a tier's period, period_s now, is worth telling when it was
 * last told as told_s, told times before (0: never): the first time, and
 * then when it has changed by more than half, at most a few times. */
bool tiers_period_news(double told_s, unsigned int told, double period_s);

/* Whether throttling holds tier back from running every tick of tick_s
 * (tiers_tick_s): its period is longer than a tick. */
bool tiers_throttled(const struct tiers *s, enum tier tier, double tick_s);

#endif
