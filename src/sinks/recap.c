/*
 * The recap at the end of a run (see recap.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "sinks/recap.h"
#include "sinks/term.h"
#include "util/units.h"
#include "util/xmalloc.h"

static void
recap_kib_row(FILE *fp, const struct summary_stat *st, const char *label,
	      bool raw)
{
	const double vals[] = {st->first, st->last, st->min, st->max};
	char buf[32];
	size_t i;

	fprintf(fp, "  %-8s", label);
	if (st->n == 0) {
		fprintf(fp, " %*s\n", TERM_COL, "unavailable");
		return;
	}
	for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		units_format_kib(buf, sizeof buf, vals[i], raw, false);
		fprintf(fp, " %*s", TERM_COL, buf);
	}
	units_format_kib(buf, sizeof buf, st->last - st->first, raw, true);
	fprintf(fp, " %*s", TERM_COL, buf);
	units_format_kib(buf, sizeof buf, summary_rate_per_hour(st), raw, true);
	fprintf(fp, " %*s\n", TERM_COL, buf);
}

void
recap_table(FILE *fp, const struct summary *sum, bool raw, double interval_s,
	    unsigned long overruns)
{
	const struct summary_stat *st;
	char span[32], every[32], cost[32], cmax[32];
	double secs = sum->last_s - sum->first_s;
	size_t i;
	int f;

	units_format_duration(span, sizeof span, secs);
	units_format_duration(every, sizeof every, interval_s);
	fprintf(fp,
		"summary: %lu sample%s over %s (every %s), %lu "
		"overrun%s\n",
		sum->samples, sum->samples == 1 ? "" : "s", span, every,
		overruns, overruns == 1 ? "" : "s");
	if (sum->samples == 0)
		return;
	units_format_duration(cost, sizeof cost,
			      sum->cost_total_s / (double)sum->samples);
	units_format_duration(cmax, sizeof cmax, sum->cost_max_s);
	fprintf(fp,
		"  sampling cost: %s CPU per sample on average, %s at "
		"most\n",
		cost, cmax);
	fprintf(fp, "  %-8s %*s %*s %*s %*s %*s %*s\n", "", TERM_COL, "first",
		TERM_COL, "last", TERM_COL, "min", TERM_COL, "max", TERM_COL,
		"change", TERM_COL, "avg/h");
	for (i = 0; i < term_nmem_fields; i++)
		recap_kib_row(fp, &sum->stat[term_mem_fields[i]],
			      fields[term_mem_fields[i]].label, raw);
	for (f = FIELD_MINFLT; f <= FIELD_MAJFLT; f++) {
		st = &sum->stat[f];
		if (st->n < 2 || st->last_s <= st->first_s)
			continue;
		fprintf(fp, "  %-8s %.0f during the run, %.1f/s on average\n",
			fields[f].label, st->last - st->first,
			(st->last - st->first) / (st->last_s - st->first_s));
	}
}

void
recap_regions(FILE *fp, const struct regtrack *rt, bool raw, size_t n)
{
	if (rt->samples == 0)
		return;
	fprintf(fp, "  regions that grew most (%lu region samples):\n",
		rt->samples);
	fprintf(fp, "  %-34s %-12s %*s %*s %*s %*s\n", "region", "kind",
		TERM_COL, "first", TERM_COL, "last", TERM_COL, "growth",
		TERM_COL + 2, "rate");
	term_region_lines(fp, rt, raw, n, false);
}

/* The oldest idle memory of a region: the KiB in the oldest non-empty
 * age bin and the bins older, and the time that bin's age means. */
static bool
recap_oldest_idle(const struct regtrack_entry *e, double *kb, double *secs)
{
	int b;

	*kb = 0;
	for (b = FIELD_IDLE_AGES - 1; b >= 0; b--) {
		if (isnan(e->last[RF_IDLE_1_KB + b]))
			return false;
		*kb += e->last[RF_IDLE_1_KB + b];
		if (*kb >= 4) {
			*secs =
			    field_idle_age_scans[b] * e->last[RF_IDLE_SCAN_S];
			return true;
		}
	}
	return false;
}

struct recap_idle_entry {
	const struct regtrack_entry *e;
	double kb, secs;
};

static int
recap_idle_cmp(const void *a_, const void *b_)
{
	const struct recap_idle_entry *a = a_, *b = b_;

	return a->kb < b->kb ? 1 : a->kb > b->kb ? -1 : 0;
}

void
recap_idle(FILE *fp, const struct regtrack *rt, bool raw, size_t n)
{
	struct recap_idle_entry *v;
	char amount[32], age[32], name[64];
	size_t i, k = 0;

	v = xcalloc(rt->n + 1, sizeof *v);
	for (i = 0; i < rt->n; i++) {
		v[k].e = &rt->v[i];
		if (!isnan(rt->v[i].last[RF_IDLE_PCT]) &&
		    recap_oldest_idle(&rt->v[i], &v[k].kb, &v[k].secs))
			k++;
	}
	qsort(v, k, sizeof *v, recap_idle_cmp);
	if (k > 0)
		fprintf(fp, "  idle memory (resident, not accessed since), "
			    "largest first:\n");
	for (i = 0; i < k && i < n; i++) {
		units_format_kib(amount, sizeof amount, v[i].kb, raw, false);
		units_format_duration(age, sizeof age, v[i].secs);
		fprintf(fp,
			"  %-34s %*s idle for >= %s (%.0f %% of it idle at "
			"the last scan",
			term_fit_name(name, sizeof name, v[i].e->name, 34),
			TERM_COL, amount, age, v[i].e->last[RF_IDLE_PCT]);
		if (!isnan(v[i].e->last[RF_STALE_NEW_PCT]))
			fprintf(fp,
				"; %.0f %% of its new memory never touched "
				"again",
				v[i].e->last[RF_STALE_NEW_PCT]);
		fprintf(fp, ")\n");
	}
	free(v);
}

void
recap_tiers(FILE *fp, const struct tiers *s, double span_s, double wall_s)
{
	const struct tiers_tier *t;
	char cost[32], every[32];
	double total = 0;
	int i;

	for (i = 0; i < TIER_COUNT; i++) {
		t = &s->t[i];
		if (!t->enabled)
			continue;
		total += t->total_s;
		units_format_duration(cost, sizeof cost,
				      t->runs ? t->total_s / (double)t->runs
					      : NAN);
		units_format_duration(
		    every, sizeof every,
		    t->runs > 1 ? span_s / (double)(t->runs - 1) : NAN);
		fprintf(fp, "  %-13s %6lu run%s, every %s, %s CPU each\n",
			tier_names[i], t->runs, t->runs == 1 ? " " : "s", every,
			cost);
	}
	if (s->budget >= 1)
		fprintf(fp, "  monitor CPU: %.2f %% of one core (no budget)\n",
			wall_s > 0 ? total / wall_s * 100 : 0);
	else
		fprintf(fp,
			"  monitor CPU: %.2f %% of one core (budget "
			"%.3g %%)\n",
			wall_s > 0 ? total / wall_s * 100 : 0, s->budget * 100);
}

void
recap_estimates(FILE *fp, unsigned long compared, unsigned long outside)
{
	if (compared == 0)
		return;
	fprintf(fp,
		"  estimates: %lu compared with exact reads, %lu outside "
		"their 95 %% bound\n",
		compared, outside);
}

void
recap_verdict(FILE *fp, const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);
	char sentence[2048], safe[4096];

	verdict_sentence(v, sentence, sizeof sentence);
	units_escape_text(safe, sizeof safe, sentence); /* regions */
	/* Two rates that differ: say which is which. */
	if (ev->points > 0)
		fprintf(fp,
			"  rates: avg/h above is (last - first) / span; the "
			"verdict's is the\n  slope of the trend fitted to the "
			"floor of %s (start-up and spikes left out)\n",
			verdict_metric_name(v));
	fprintf(fp, "verdict: %s: %s\n", verdict_name(ev->verdict), safe);
}
