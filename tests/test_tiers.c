/*
 * The tier scheduler (src/core/tiers.c) with simulated costs: no clocks, so
 * the figures are exact.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "core/tiers.h"

/* One tick at now_s: plans, charges each due tier its cost, counts its
 * run and adds its cost to *cpu; returns what was due. */
static unsigned int
tiers_step(struct tiers *s, double now_s, const double cost[TIER_COUNT],
	   unsigned long runs[TIER_COUNT], double *cpu)
{
	unsigned int due = tiers_plan(s, now_s);
	int t;

	for (t = 0; t < TIER_COUNT; t++) {
		if (!((due >> t) & 1))
			continue;
		tiers_charge(s, t, cost[t]);
		runs[t]++;
		*cpu += cost[t];
	}
	return due;
}

/* Runs n ticks of interval_s, charging each due tier its cost; returns
 * how many times each ran. */
static void
tiers_simulate(struct tiers *s, int n, double interval_s,
	       const double cost[TIER_COUNT], unsigned long runs[TIER_COUNT],
	       double *cpu)
{
	int i, t;

	*cpu = 0;
	for (t = 0; t < TIER_COUNT; t++)
		runs[t] = 0;
	for (i = 0; i < n; i++)
		tiers_step(s, i * interval_s, cost, runs, cpu);
}

/* 4 GiB target at 1 s: smaps_rollup 40 ms and pagemap 35 ms would be
 * 7.5 % of a core every tick; 2 % spaces them out. */
Test(tiers, stays_within_budget)
{
	const double cost[TIER_COUNT] = {0.0002, 0.040, 0, 0.035};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 0.02, 1u << TIER_PAGES);
	tiers_simulate(&s, 3600, 1.0, cost, runs, &cpu);
	cr_assert_eq(runs[TIER_STAT], 3600, "tier 0 runs every tick");
	cr_assert_eq(runs[TIER_SMAPS], 0);
	cr_assert_leq(cpu / 3600, 0.02 * 1.01, "%.4f of a core", cpu / 3600);
	cr_assert_geq(cpu / 3600, 0.02 * 0.9, "budget left unused: %.4f",
		      cpu / 3600);
	/* The region tier has three quarters of what tier 0 leaves, the
	 * totals one quarter. */
	cr_assert(runs[TIER_ROLLUP] > 3600 / 9 && runs[TIER_ROLLUP] < 3600 / 7,
		  "rollup %lu runs", runs[TIER_ROLLUP]);
	cr_assert(runs[TIER_PAGES] > 3600 / 3 && runs[TIER_PAGES] < 3600 / 2,
		  "pages %lu runs", runs[TIER_PAGES]);
	cr_assert(tiers_throttled(&s, TIER_ROLLUP, 1.0));
}

Test(tiers, cheap_tiers_run_every_tick)
{
	const double cost[TIER_COUNT] = {0.0001, 0.0003, 0.002, 0};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 0.02, 1u << TIER_SMAPS);
	tiers_simulate(&s, 600, 1.0, cost, runs, &cpu);
	cr_assert_eq(runs[TIER_ROLLUP], 600);
	cr_assert_eq(runs[TIER_SMAPS], 600);
	cr_assert(!tiers_throttled(&s, TIER_SMAPS, 1.0));
}

Test(tiers, full_budget_runs_everything)
{
	const double cost[TIER_COUNT] = {0.001, 0.5, 0, 0.9};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 1.0, 1u << TIER_PAGES);
	tiers_simulate(&s, 100, 1.0, cost, runs, &cpu);
	cr_assert_eq(runs[TIER_ROLLUP], 100);
	cr_assert_eq(runs[TIER_PAGES], 100);
	cr_assert(!tiers_throttled(&s, TIER_PAGES, 1.0));
}

/* The first tick runs every tier, to measure it. */
Test(tiers, first_tick_measures_all)
{
	struct tiers s;
	unsigned int due;

	tiers_init(&s, 0.0001, 1u << TIER_SMAPS);
	due = tiers_plan(&s, 0);
	cr_assert_eq(due,
		     1u << TIER_STAT | 1u << TIER_ROLLUP | 1u << TIER_SMAPS);
}

/* stat alone dearer than the budget (30 ms a tick against 2 % of 1 s):
 * smaps_rollup still runs, on its share of the budget, instead of once. */
Test(tiers, heavy_tiers_keep_a_share_when_stat_is_dear)
{
	const double cost[TIER_COUNT] = {0.030, 0.040, 0, 0};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 0.02, 0);
	tiers_simulate(&s, 600, 1.0, cost, runs, &cpu);
	cr_assert_geq(runs[TIER_ROLLUP], 600 * 0.01 / 0.040 * 0.9,
		      "smaps_rollup ran %lu times in 600 ticks",
		      runs[TIER_ROLLUP]);
}

/* With the tick slowed as tiers_tick_s() says, the whole stays within
 * the budget: stat takes half, the heavy tiers the other half. */
Test(tiers, slowed_tick_keeps_the_budget)
{
	const double cost[TIER_COUNT] = {0.030, 0.040, 0.040, 0};
	unsigned long runs[TIER_COUNT] = {0};
	struct tiers s;
	double now = 0, cpu = 0, tick;
	unsigned int due;
	int t;

	tiers_init(&s, 0.02, 1u << TIER_SMAPS);
	while (now < 3600) {
		due = tiers_plan(&s, now);
		for (t = 0; t < TIER_COUNT; t++) {
			if (!((due >> t) & 1))
				continue;
			tiers_charge(&s, t, cost[t]);
			runs[t]++;
			cpu += cost[t];
		}
		tick = tiers_tick_s(&s, 1.0);
		now += tick;
	}
	cr_assert_float_eq(tick, 3.0, 1e-9, "tick %g s", tick);
	cr_assert_leq(cpu / now, 0.02 * 1.02, "%.4f of a core", cpu / now);
	cr_assert_geq(cpu / now, 0.02 * 0.9, "budget unused: %.4f", cpu / now);
	cr_assert_geq(runs[TIER_ROLLUP], 3600 * 0.01 * 0.25 / 0.040 * 0.9);
	cr_assert_geq(runs[TIER_SMAPS], 3600 * 0.01 * 0.75 / 0.040 * 0.9);
	cr_assert_float_eq(tiers_tick_s(&s, 5.0), 5.0, 1e-9);
}

/* A tick slowed for stat's sake leaves the heavy tiers half of the
 * budget, not all of it: smaps at 9 ms, three quarters of the 8 ms stat
 * leaves in a 0.8 s tick, runs every 1.2 s.  It does not run every tick,
 * so it is throttled, and the estimate is wanted (a test under ASan,
 * whose stat cost 8 ms, once found the estimate left out). */
Test(tiers, a_slowed_tick_throttles_what_stat_leaves_too_little)
{
	const double cost[TIER_COUNT] = {0.008, 0.003, 0.009, 0};
	unsigned long runs[TIER_COUNT] = {0};
	struct tiers s;
	double now = 0, cpu = 0, tick = 0.2;
	int n = 0;

	tiers_init(&s, 0.02, 1u << TIER_SMAPS);
	while (now < 600) {
		tiers_step(&s, now, cost, runs, &cpu);
		tick = tiers_tick_s(&s, 0.2);
		now += tick;
		n++;
	}
	cr_assert_float_eq(tick, 0.8, 1e-9, "tick %g s", tick);
	cr_assert_float_eq(tiers_period_s(&s, TIER_SMAPS, tick), 1.2, 1e-9);
	cr_assert(runs[TIER_SMAPS] > n / 1.6 && runs[TIER_SMAPS] < n / 1.4,
		  "smaps %lu runs in %d ticks", runs[TIER_SMAPS], n);
	cr_assert(tiers_throttled(&s, TIER_SMAPS, tick));
	cr_assert(tiers_wants_estimate(&s, tick));
	/* smaps_rollup, at 3 ms on a quarter of 8 ms, is held back too. */
	cr_assert(tiers_throttled(&s, TIER_ROLLUP, tick));
}

/* The first run of a heavy tier measures its cost: it is not a debt. A
 * 300 ms region sample under 2 % (three quarters of it for the region
 * tier) runs again after cost / (budget x share) = 20 s, not twice that
 * (issue 16: --idle's second sample waited ~37 s). */
Test(tiers, first_run_is_not_booked_as_debt)
{
	const double cost[TIER_COUNT] = {0.0001, 0.010, 0.300, 0};
	struct tiers s;
	unsigned int due;
	int i, second = -1, smaps_runs = 0;

	tiers_init(&s, 0.02, 1u << TIER_SMAPS);
	for (i = 0; i < 120 && second < 0; i++) {
		due = tiers_plan(&s, i * 1.0);
		for (int t = 0; t < TIER_COUNT; t++)
			if ((due >> t) & 1)
				tiers_charge(&s, t, cost[t]);
		if ((due >> TIER_SMAPS) & 1 && ++smaps_runs == 2)
			second = i;
	}
	cr_assert(second > 0, "no second run in 120 s");
	cr_assert(second >= 19 && second <= 23,
		  "second region sample at %d s, not about 20 s", second);
}

/* 16 GiB at 1 s under 2 %: smaps_rollup (250 ms) cannot run every tick,
 * so the estimate (8 ms, its cost set by the sample) joins and runs every
 * tick, smaps_rollup still runs (about every 21 s: what the estimate
 * and stat leave), and the whole stays within the budget. */
Test(tiers, the_estimate_runs_every_tick_beside_rare_exact_reads)
{
	const double cost[TIER_COUNT] = {0.0002, 0.250, 0, 0, 0.008};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 0.02, 0);
	tiers_simulate(&s, 60, 1.0, cost, runs, &cpu);
	cr_assert(tiers_wants_estimate(&s, 1.0));
	cr_assert_eq(tiers_exact(&s), TIER_ROLLUP);
	cr_assert_eq(runs[TIER_ESTIMATE], 0, "not enabled yet");
	tiers_enable_estimate(&s);
	tiers_simulate(&s, 3600, 1.0, cost, runs, &cpu);
	cr_assert_geq(runs[TIER_ESTIMATE], 3599, "estimate %lu runs",
		      runs[TIER_ESTIMATE]);
	cr_assert(runs[TIER_ROLLUP] > 3600 / 23 &&
		      runs[TIER_ROLLUP] < 3600 / 19,
		  "rollup %lu runs", runs[TIER_ROLLUP]);
	cr_assert_leq(cpu / 3600, 0.02 * 1.01, "%.4f of a core", cpu / 3600);
}

/* An estimate dearer than half of what stat leaves is spaced out to
 * that half; the exact tiers keep the other half. */
Test(tiers, the_estimate_takes_at_most_half)
{
	const double cost[TIER_COUNT] = {0.0002, 0.040, 0.040, 0, 0.030};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 0.02, (1u << TIER_SMAPS) | (1u << TIER_ESTIMATE));
	cr_assert_eq(tiers_exact(&s), TIER_SMAPS);
	tiers_simulate(&s, 3600, 1.0, cost, runs, &cpu);
	/* 0.0198 s a tick: 0.0099 for the estimate, one run in 3.03
	 * ticks (its credit banked from tick to tick) */
	cr_assert(runs[TIER_ESTIMATE] > 3600 / 3.2 &&
		      runs[TIER_ESTIMATE] < 3600 / 2.9,
		  "estimate %lu runs", runs[TIER_ESTIMATE]);
	/* what it leaves (0.0099 s a tick): smaps 3/4 of it, every 5.4 s */
	cr_assert(runs[TIER_SMAPS] > 3600 / 5.8 &&
		      runs[TIER_SMAPS] < 3600 / 5.0,
		  "smaps %lu runs", runs[TIER_SMAPS]);
	cr_assert_leq(cpu / 3600, 0.02 * 1.01, "%.4f of a core", cpu / 3600);
	cr_assert(tiers_throttled(&s, TIER_ESTIMATE, 1.0));
}

/* --budget 100%: everything every tick, the estimate too. */
Test(tiers, no_budget_runs_the_estimate_every_tick)
{
	const double cost[TIER_COUNT] = {0.0002, 0.250, 0, 0, 0.008};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 1.0, 1u << TIER_ESTIMATE);
	tiers_simulate(&s, 100, 1.0, cost, runs, &cpu);
	cr_assert_eq(runs[TIER_ESTIMATE], 100);
	cr_assert_eq(runs[TIER_ROLLUP], 100);
	cr_assert(!tiers_wants_estimate(&s, 1.0));
}

/* An estimate whose cost varies from run to run about a mean under its
 * cap (16 GiB here: 8-9.4 ms a run, 9.3 ms the cap at 1 s) still runs
 * every tick: a dear run is paid from credit banked by cheap ones,
 * rather than making the next tick wait. */
Test(tiers, the_estimate_absorbs_its_cost_jitter)
{
	struct tiers s;
	unsigned long runs = 0, ticks = 3600;
	unsigned int due;
	double cpu = 0, c;
	unsigned long i;

	tiers_init(&s, 0.02, (1u << TIER_SMAPS) | (1u << TIER_ESTIMATE));
	for (i = 0; i < ticks; i++) {
		due = tiers_plan(&s, (double)i);
		tiers_charge(&s, TIER_STAT, 0.0014);
		cpu += 0.0014;
		if ((due >> TIER_SMAPS) & 1) {
			tiers_charge(&s, TIER_SMAPS, 0.240);
			cpu += 0.240;
		}
		if ((due >> TIER_ROLLUP) & 1) {
			tiers_charge(&s, TIER_ROLLUP, 0.240);
			cpu += 0.240;
		}
		if ((due >> TIER_ESTIMATE) & 1) {
			c = i % 2 ? 0.0094 : 0.0078; /* mean 8.6 ms < 9.3 */
			tiers_charge(&s, TIER_ESTIMATE, c);
			cpu += c;
			runs++;
		}
	}
	cr_assert_geq(runs, ticks - 2, "estimate %lu runs in %lu ticks", runs,
		      ticks);
	cr_assert_leq(cpu / (double)ticks, 0.02 * 1.01, "%.4f of a core",
		      cpu / (double)ticks);
}

/* The period the notices announce is the one the plan keeps, with the
 * estimate taking its part first (16 GiB, all sources, here: the notice
 * said smaps_rollup every 51 s; it ran once in a minute). */
Test(tiers, the_announced_period_is_kept)
{
	const double cost[TIER_COUNT] = {0.00228, 0.253, 0, 0.713, 0.0089};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu, p;
	int i;

	tiers_init(&s, 0.02, (1u << TIER_PAGES) | (1u << TIER_ESTIMATE));
	tiers_simulate(&s, 7200, 1.0, cost, runs, &cpu);
	for (i = TIER_ROLLUP; i < TIER_COUNT; i++) {
		if (i == TIER_SMAPS)
			continue;
		p = tiers_period_s(&s, i, 1.0);
		cr_assert(fabs(7200 / p - (double)runs[i]) <=
			      0.1 * 7200 / p + 1,
			  "%s: every %.1f s announced, %lu runs in 7200 s",
			  tier_names[i], p, runs[i]);
	}
	/* smaps_rollup, the cheapest exact read of USS, once a minute;
	 * the page walk gets what is left. */
	cr_assert_float_eq(tiers_period_s(&s, TIER_ROLLUP, 1.0), 60, 1);
	cr_assert_float_eq(tiers_period_s(&s, TIER_PAGES, 1.0), 155, 2,
			   "pages every %.1f s",
			   tiers_period_s(&s, TIER_PAGES, 1.0));
}

/* 16 GiB, all sources, 2 %: under the set shares smaps_rollup (the
 * cheapest exact USS) ran every 114 s and the page walk every 107 s, so
 * the estimate went unanchored for two minutes.  The cheapest exact read
 * now runs at least once a minute, the others take the rest, and the
 * whole stays within the budget. */
Test(tiers, an_exact_uss_at_least_once_a_minute)
{
	const double cost[TIER_COUNT] = {0.00228, 0.253, 0.240, 0.713, 0.0089};
	unsigned long runs[TIER_COUNT];
	unsigned int due;
	struct tiers s;
	double cpu = 0, first = 0, last = 0, gap = 0;
	int i, t;

	tiers_init(&s, 0.02,
		   (1u << TIER_SMAPS) | (1u << TIER_PAGES) |
		       (1u << TIER_ESTIMATE));
	for (t = 0; t < TIER_COUNT; t++)
		runs[t] = 0;
	for (i = 0; i < 7200; i++) {
		/* the first tick's runs are not of the budget */
		due = tiers_step(&s, i, cost, runs, i > 0 ? &cpu : &first);
		if (due & ((1u << TIER_ROLLUP) | (1u << TIER_SMAPS) |
			   (1u << TIER_PAGES))) {
			gap = fmax(gap, i - last);
			last = i;
		}
	}
	cr_assert_leq(gap, 61, "exact USS %.0f s apart", gap);
	cr_assert_geq(runs[TIER_SMAPS], 7200 / 60 - 2, "smaps %lu runs",
		      runs[TIER_SMAPS]);
	cr_assert_gt(runs[TIER_PAGES], 10, "the page walk still runs: %lu",
		     runs[TIER_PAGES]);
	cr_assert_leq(cpu / 7200, 0.02 * 1.01, "%.4f of a core", cpu / 7200);
}

/* When one exact read a minute would take all the exact tiers earn (a
 * budget too small for the target), the region tiers are slowed to half
 * their share, not starved: each still runs, and has a finite period. */
Test(tiers, the_anchor_never_starves_the_other_exact_tiers)
{
	const double cost[TIER_COUNT] = {0.0005, 0.300, 0, 0.400};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu, p;

	tiers_init(&s, 0.005, 1u << TIER_PAGES);
	tiers_simulate(&s, 36000, 1.0, cost, runs, &cpu);
	p = tiers_period_s(&s, TIER_PAGES, 1.0);
	cr_assert(isfinite(p), "pages every %g s", p);
	/* Half of its set three quarters of the 4.5 ms a second stat leaves. */
	cr_assert_float_eq(p, 0.400 / (0.0045 * 0.375), 1, "pages every %g s",
			   p);
	cr_assert(fabs((double)runs[TIER_PAGES] - 36000 / p) <=
		      0.1 * 36000 / p + 1,
		  "pages %lu runs in 36000 s, every %.0f s announced",
		  runs[TIER_PAGES], p);
	cr_assert_leq(cpu / 36000, 0.005 * 1.01, "%.4f of a core", cpu / 36000);
}

/* 16 GiB, all sources, 2 %: the first runs of smaps_rollup (253 ms) and
 * the page walk with --idle (713 ms) were taken to measure them, free of
 * the budget: 1.6 % of the first minute, and the monitor held 2.67 % of a
 * core over it.  Predicted from the target's RSS, they are scheduled and
 * charged like any other run: the first minute stays within the budget,
 * USS is estimated every tick and exact within a minute. */
Test(tiers, the_first_runs_are_predicted_and_charged)
{
	const double cost[TIER_COUNT] = {0.00228, 0.253, 0, 0.713, 0.0089};
	unsigned long runs[TIER_COUNT];
	unsigned int due;
	struct tiers s;
	double cpu = 0;
	int i, t, first_exact = -1;

	tiers_init(&s, 0.02, 1u << TIER_PAGES);
	tiers_predict(&s, 16.0 * 1024 * 1024, true, 1.0);
	cr_assert(tiers_wants_estimate(&s, 1.0),
		  "a predicted 16 GiB walk cannot run every tick");
	tiers_enable_estimate(&s);
	for (t = 0; t < TIER_COUNT; t++)
		runs[t] = 0;
	for (i = 0; i < 60; i++) {
		due = tiers_step(&s, i, cost, runs, &cpu);
		if (first_exact < 0 &&
		    due & ((1u << TIER_ROLLUP) | (1u << TIER_PAGES)))
			first_exact = i;
	}
	/* 8.9 ms a run against a cap of 8.86 ms: one tick missed */
	cr_assert_geq(runs[TIER_ESTIMATE], 59, "estimate %lu runs in 60 ticks",
		      runs[TIER_ESTIMATE]);
	cr_assert(first_exact >= 0 && first_exact <= 60,
		  "first exact USS at %d s", first_exact);
	cr_assert_eq(runs[TIER_PAGES], 0, "the walk waits for its credit");
	/* 1.5 %: stat and the estimate every tick, smaps_rollup at 59 s */
	cr_assert_leq(cpu / 60, 0.02, "%.4f of a core over the first minute",
		      cpu / 60);
}

/* A small target's predicted reads fit a tick's share: they run on the
 * first tick, as when they were taken to be measured. */
Test(tiers, small_predicted_tiers_run_on_the_first_tick)
{
	struct tiers s;

	tiers_init(&s, 0.02, 1u << TIER_SMAPS);
	tiers_predict(&s, 100 * 1024, false, 1.0);
	cr_assert(!tiers_wants_estimate(&s, 1.0));
	cr_assert_eq(tiers_plan(&s, 0),
		     1u << TIER_STAT | 1u << TIER_ROLLUP | 1u << TIER_SMAPS);
}

/* The first exact tier measured corrects the others' predictions by the
 * same factor: the constants are per tier, the machine's speed is one. */
Test(tiers, the_first_measured_run_scales_the_other_predictions)
{
	struct tiers s;
	double pages, credit;

	tiers_init(&s, 0.02, 1u << TIER_PAGES);
	tiers_predict(&s, 4.0 * 1024 * 1024, false, 1.0);
	pages = s.t[TIER_PAGES].cost_s;
	cr_assert_gt(pages, 0);
	tiers_charge(&s, TIER_ROLLUP, s.t[TIER_ROLLUP].cost_s / 2);
	cr_assert_float_eq(s.t[TIER_PAGES].cost_s, pages / 2, 1e-9,
			   "pages predicted %g s, then %g s", pages,
			   s.t[TIER_PAGES].cost_s);
	/* measured, not predicted: its own cost from then on, and booked */
	credit = s.t[TIER_PAGES].credit_s;
	tiers_charge(&s, TIER_PAGES, 0.5);
	cr_assert_float_eq(s.t[TIER_PAGES].cost_s, 0.5, 1e-9);
	cr_assert_float_eq(s.t[TIER_PAGES].credit_s, credit - 0.5, 1e-9,
			   "the first run booked: credit %g s",
			   s.t[TIER_PAGES].credit_s);
}

/* A period told once is told again when it changes by more than half
 * (16 GiB, all sources, 150 s: the notice said the page walk would run
 * every 58.6 s; the estimate then joined and it ran once), at most three
 * times in all, so a cost that wanders does not fill the log. */
Test(tiers, a_changed_period_is_told_again)
{
	cr_assert(tiers_period_news(0, 0, 58.6), "first: told");
	cr_assert(!tiers_period_news(58.6, 1, 70), "within 1.5x: not news");
	cr_assert(!tiers_period_news(58.6, 1, 40), "within 1.5x: not news");
	cr_assert(tiers_period_news(58.6, 1, 155), "2.6x slower: told");
	cr_assert(tiers_period_news(155, 2, 60), "2.6x faster: told");
	cr_assert(!tiers_period_news(60, 3, 600), "three tellings at most");
	cr_assert(!tiers_period_news(58.6, 1, INFINITY));
}

/* The change that motivated it, in the scheduler: the walk's period
 * before and after the estimate joins (measured first runs, no
 * prediction) differs by more than 1.5x, so it is told again. */
Test(tiers, the_estimate_joining_changes_the_told_period)
{
	const double cost[TIER_COUNT] = {0.00228, 0.253, 0, 0.713, 0.0089};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu, before, after;

	tiers_init(&s, 0.02, 1u << TIER_PAGES);
	tiers_simulate(&s, 2, 1.0, cost, runs, &cpu);
	before = tiers_period_s(&s, TIER_PAGES, 1.0);
	cr_assert(tiers_period_news(0, 0, before));
	tiers_enable_estimate(&s);
	tiers_simulate(&s, 2, 1.0, cost, runs, &cpu);
	after = tiers_period_s(&s, TIER_PAGES, 1.0);
	cr_assert(tiers_period_news(before, 1, after),
		  "pages every %.1f s, then %.1f s: not told", before, after);
}

/* 256 MiB here: the estimate's 4096 pages cost 3.6-4.9 ms, smaps_rollup
 * 4-8 ms.  An estimate that costs about what the exact read does buys no
 * more USS readings than the exact read would, and each with a bound: it
 * pays only under half of the exact read's cost. */
Test(tiers, the_estimate_pays_only_well_under_the_exact_read)
{
	const double cost[TIER_COUNT] = {0.0002, 0.0060, 0, 0, 0.0040};
	unsigned long runs[TIER_COUNT];
	struct tiers s;
	double cpu;

	tiers_init(&s, 0.0003, 0);
	cr_assert(tiers_estimate_pays(&s), "not measured: it may join");
	tiers_simulate(&s, 120, 1.0, cost, runs, &cpu);
	cr_assert(tiers_wants_estimate(&s, 1.0));
	tiers_enable_estimate(&s);
	tiers_simulate(&s, 120, 1.0, cost, runs, &cpu);
	cr_assert_gt(runs[TIER_ESTIMATE], 0);
	cr_assert(!tiers_estimate_pays(&s), "4 ms against 6 ms");
	tiers_disable_estimate(&s);
	cr_assert(!s.t[TIER_ESTIMATE].enabled);
	tiers_simulate(&s, 120, 1.0, cost, runs, &cpu);
	cr_assert_eq(runs[TIER_ESTIMATE], 0, "disabled, it never runs");

	/* The target grows: smaps_rollup 9 ms, the estimate the same 4 ms
	 * (its sample is of fixed size): under half, it pays; 7 ms, it
	 * does not.  2 GiB: 30 ms against 4. */
	s.t[TIER_ROLLUP].cost_s = 0.0090;
	cr_assert(tiers_estimate_pays(&s), "4/9");
	s.t[TIER_ROLLUP].cost_s = 0.0070;
	cr_assert(!tiers_estimate_pays(&s), "4/7");
	s.t[TIER_ROLLUP].cost_s = 0.0300;
	cr_assert(tiers_estimate_pays(&s));
}

/* A predicted exact cost is a guess by the target's size, the same on
 * every machine: the estimate is judged against the exact read's first
 * measured run, not against it. */
Test(tiers, the_estimate_is_judged_on_a_measured_exact_read)
{
	struct tiers s;

	tiers_init(&s, 0.0003, 1u << TIER_ESTIMATE);
	tiers_predict(&s, 64 * 1024, false, 1.0); /* 64 MiB: 1 ms */
	tiers_charge(&s, TIER_ESTIMATE, 0.004);
	cr_assert(s.t[TIER_ROLLUP].predicted);
	cr_assert(tiers_estimate_pays(&s), "against a guess");
	tiers_charge(&s, TIER_ROLLUP, 0.005);
	cr_assert(!tiers_estimate_pays(&s), "4 ms against 5 measured");
	tiers_disable_estimate(&s);
	cr_assert_eq(s.t[TIER_ESTIMATE].credit_s, 0, "no credit kept");
}

/* stat's first tick follows no sleep, and costs a third of the later
 * ones here (a capture at 0.03%: 103 us, then 320-340 us): its second
 * run replaces that cost rather than being averaged with it, so the slowed
 * tick is right from the second tick, not ten ticks later. */
Test(tiers, the_first_stat_tick_does_not_weigh_on_its_cost)
{
	struct tiers s;

	tiers_init(&s, 0.0003, 0);
	tiers_charge(&s, TIER_STAT, 0.000103);
	cr_assert_float_eq(s.t[TIER_STAT].cost_s, 0.000103, 1e-12);
	tiers_charge(&s, TIER_STAT, 0.000335);
	cr_assert_float_eq(s.t[TIER_STAT].cost_s, 0.000335, 1e-12);
	cr_assert_float_eq(tiers_tick_s(&s, 1.0), 0.000335 / 0.00015, 1e-9);
	tiers_charge(&s, TIER_STAT, 0.000300);
	cr_assert_float_eq(s.t[TIER_STAT].cost_s, 0.3 * 0.0003 + 0.7 * 0.000335,
			   1e-12, "then its recent cost, as every tier's");
}
