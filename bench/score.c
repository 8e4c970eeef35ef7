/*
 * Scores the leak detector (src/analysis/trend.c) on the whole labelled
 * set of tests/tracegen.c, beside the by-hand baseline scored on the same
 * traces in the same run: a least-squares line over everything so far,
 * flagged when R^2 > 0.5 and the growth is above 1 %/h of the mean.
 *
 *   bench/score [-v] [-t INDEX]
 *
 * -v lists every trace each method gets wrong; -t INDEX prints one
 * trace's evaluations.  A leak is detected when the flag is raised at or
 * after its onset; any raise on a non-leak, or before a late leak's
 * onset, is a false alarm.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/trend.h"
#include "tracegen.h"

#define SCORE_MAX 1024
#define SCORE_BASE_MIN 20	/* the baseline waits for as many samples */

struct score_result {
	double detected_s;	/* first raise at or after onset; NAN */
	unsigned long false_raises;
	double false_at_s;	/* first false raise; NAN */
	int final;		/* verdict at the end (trend only) */
};

struct score_total {
	const char *name;
	unsigned long tp, fn, fp_traces, leaks, false_raises;
	double nonleak_days;
	double delays[SCORE_MAX], delays5[SCORE_MAX];
	size_t ndelays, ndelays5;
	unsigned long shape_hits[TG_SHAPES], shape_n[TG_SHAPES];
};

static int score_verbose;

static void
score_raise(const struct tracegen_spec *s, double at, struct score_result *r)
{
	if (tracegen_is_leak(s->shape) && at >= s->onset_s) {
		if (isnan(r->detected_s))
			r->detected_s = at;
		return;
	}
	if (r->false_raises++ == 0)
		r->false_at_s = at;
}

static void
score_memtrend(const struct tracegen_spec *s, struct score_result *r,
    bool trace)
{
	struct trend *t = trend_new();
	const struct trend_evidence *ev = trend_evidence(t);
	unsigned long raises = 0, evals = 0;
	struct tracegen g;
	double at, kb;

	tracegen_start(&g, s);
	while (tracegen_next(&g, &at, &kb)) {
		trend_add(t, at, kb);
		if (ev->raises != raises) {
			raises = ev->raises;
			score_raise(s, at, r);
		}
		if (trace && ev->evaluations != evals) {
			evals = ev->evaluations;
			printf("%9.0f %10.0f v%d why%d n%3zu b%7.0fs slope %9.1f "
			    "[%9.1f %9.1f] p %.2g level %.0f cyc %.0f ex %d/%d dbic %.1f st %.0f\n", at,
			    kb, ev->verdict, ev->why, ev->points,
			    ev->bucket_s, ev->slope, ev->slope_lo,
			    ev->slope_hi, ev->p_value, ev->level_kb,
			    ev->cycle_kb, ev->explanation, ev->runner_up, ev->delta_bic, ev->start_s);
		}
	}
	r->final = ev->verdict;
	trend_free(t);
}

/* Least squares over everything so far, on values shifted to the first
 * sample so the sums keep their precision. */
static void
score_baseline(const struct tracegen_spec *s, struct score_result *r)
{
	double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, x0 = 0;
	double y0 = 0, at, kb, x, y, cxx, cxy, cyy, slope, r2, mean;
	bool flag = false, now;
	struct tracegen g;

	tracegen_start(&g, s);
	while (tracegen_next(&g, &at, &kb)) {
		if (n == 0) {
			x0 = at;
			y0 = kb;
		}
		x = at - x0;
		y = kb - y0;
		n++;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
		syy += y * y;
		if (n < SCORE_BASE_MIN)
			continue;
		cxx = sxx - sx * sx / n;
		cxy = sxy - sx * sy / n;
		cyy = syy - sy * sy / n;
		if (cxx <= 0 || cyy <= 0)
			continue;
		slope = cxy / cxx;
		r2 = cxy * cxy / (cxx * cyy);
		mean = y0 + sy / n;
		now = r2 > 0.5 && slope * 3600 > 0.01 * mean;
		if (now && !flag)
			score_raise(s, at, r);
		flag = now;
	}
	r->final = flag ? TREND_GROWING : TREND_STABLE;
}

static void
score_add(struct score_total *tot, const struct tracegen_spec *s,
    size_t index, const struct score_result *r)
{
	bool leak = tracegen_is_leak(s->shape), goal = leak && s->rate >=
	    0.005;
	char what[160];

	tot->false_raises += r->false_raises;
	tot->nonleak_days += (leak ? s->onset_s : s->duration_s) / 86400;
	tot->shape_n[s->shape]++;
	if (r->false_raises > 0)
		tot->fp_traces++;
	if (leak && !isnan(r->detected_s)) {
		tot->tp++;
		tot->shape_hits[s->shape]++;
		if (goal)
			tot->delays[tot->ndelays++] = r->detected_s -
			    s->onset_s;
		if (s->rate == 0.05)
			tot->delays5[tot->ndelays5++] = r->detected_s -
			    s->onset_s;
	} else if (!leak && r->false_raises == 0) {
		tot->shape_hits[s->shape]++;
	}
	if (goal)
		tot->leaks++;
	if (goal && isnan(r->detected_s))
		tot->fn++;
	if (!score_verbose)
		return;
	tracegen_describe(s, what, sizeof what);
	if (score_verbose > 1 && leak && !isnan(r->detected_s))
		printf("  %-8s #%-4zu delay %6.2f h  %s\n", tot->name, index,
		    (r->detected_s - s->onset_s) / 3600, what);
	if (leak && isnan(r->detected_s))
		printf("  %-8s #%-4zu missed       %s\n", tot->name, index,
		    what);
	if (r->false_raises > 0)
		printf("  %-8s #%-4zu false alarm  %s (%lu, first at %.2f h)\n",
		    tot->name, index, what, r->false_raises,
		    r->false_at_s / 3600);
}

static int
score_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
score_quantile(double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, score_cmp);
	return v[(size_t)floor(q * (double)(n - 1) + 0.5)];
}

static void
score_print(struct score_total *a, struct score_total *b, size_t ntraces,
    size_t nnon)
{
	struct score_total *m[2] = { a, b };
	double v[2];
	int i, sh;

#define ROW(label, fmt, expr) do {					\
	for (i = 0; i < 2; i++)						\
		v[i] = (expr);						\
	printf("%-34s " fmt " " fmt "\n", label, v[0], v[1]);		\
} while (0)
	printf("\n%-34s %12s %12s\n", "", a->name, b->name);
	ROW("precision", "%12.3f", (double)m[i]->tp / (double)(m[i]->tp +
	    m[i]->fp_traces));
	ROW("recall (leaks >= 0.5 %/h)", "%12.3f", (double)(m[i]->leaks -
	    m[i]->fn) / (double)m[i]->leaks);
	ROW("traces with a false alarm", "%12.0f", (double)m[i]->fp_traces);
	ROW("false alarms", "%12.0f", (double)m[i]->false_raises);
	ROW("false alarms per process-day", "%12.4f",
	    (double)m[i]->false_raises / m[i]->nonleak_days);
	ROW("median delay, leaks >= 0.5 %/h (h)", "%12.2f",
	    score_quantile(m[i]->delays, m[i]->ndelays, 0.5) / 3600);
	ROW("p90 delay, leaks >= 0.5 %/h (h)", "%12.2f",
	    score_quantile(m[i]->delays, m[i]->ndelays, 0.9) / 3600);
	ROW("median delay, 5 %/h leaks (h)", "%12.2f",
	    score_quantile(m[i]->delays5, m[i]->ndelays5, 0.5) / 3600);
	ROW("p90 delay, 5 %/h leaks (h)", "%12.2f",
	    score_quantile(m[i]->delays5, m[i]->ndelays5, 0.9) / 3600);
#undef ROW
	printf("\nper shape (leaks: detected; not leaks: without a false "
	    "alarm)\n");
	for (sh = 0; sh < TG_SHAPES; sh++)
		printf("  %-18s %3lu/%-3lu %12lu/%-3lu\n", tracegen_name(sh),
		    a->shape_hits[sh], a->shape_n[sh], b->shape_hits[sh],
		    b->shape_n[sh]);
	printf("\n%zu traces (%zu not leaks), %.1f non-leak process-days\n",
	    ntraces, nnon, a->nonleak_days);
}

int
main(int argc, char **argv)
{
	static struct tracegen_spec specs[SCORE_MAX];
	static struct score_total mt = { .name = "memtrend" },
	    base = { .name = "baseline" };
	struct score_result r;
	size_t n, i, nnon = 0;
	long only = -1;
	uint64_t salt = 0;
	int opt;

	while ((opt = getopt(argc, argv, "vt:s:")) != -1) {
		if (opt == 'v')
			score_verbose++;
		else if (opt == 't')
			only = atol(optarg);
		else if (opt == 's')
			salt = strtoull(optarg, NULL, 10);
		else {
			fprintf(stderr, "usage: score [-v] [-t INDEX] [-s SALT]\n");
			return 2;
		}
	}
	n = tracegen_set(specs, SCORE_MAX);
	/* A held-out set: the same shapes and parameters with other seeds
	 * (noise, phase, size), for thresholds tuned on salt 0. */
	for (i = 0; salt > 0 && i < n; i++)
		specs[i].seed += salt * 1000003;
	if (only >= 0) {
		char what[160];

		if ((size_t)only >= n)
			return 2;
		tracegen_describe(&specs[only], what, sizeof what);
		printf("%s\n", what);
		memset(&r, 0, sizeof r);
		r.detected_s = r.false_at_s = NAN;
		score_memtrend(&specs[only], &r, true);
		return 0;
	}
	for (i = 0; i < n; i++) {
		nnon += !tracegen_is_leak(specs[i].shape);
		memset(&r, 0, sizeof r);
		r.detected_s = r.false_at_s = NAN;
		score_memtrend(&specs[i], &r, false);
		score_add(&mt, &specs[i], i, &r);
		memset(&r, 0, sizeof r);
		r.detected_s = r.false_at_s = NAN;
		score_baseline(&specs[i], &r);
		score_add(&base, &specs[i], i, &r);
	}
	score_print(&mt, &base, n, nnon);
	return 0;
}
