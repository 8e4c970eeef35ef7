/*
 * Many named series, one detector each for the few that matter (see
 * judge.h).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/judge.h"
#include "analysis/verdict.h"
#include "util/units.h"
#include "util/xmalloc.h"

void
judge_init(struct judge *j, size_t max, bool daily_cycle)
{
	memset(j, 0, sizeof *j);
	j->max = max;
	j->daily_cycle = daily_cycle;
}

void
judge_free(struct judge *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		trend_free(j->v[i].trend);
	free(j->v);
	memset(j, 0, sizeof *j);
}

static void
judge_attach(struct judge *j, struct judge_series *s)
{
	s->trend = trend_new();
	trend_set_daily_cycle(s->trend, j->daily_cycle);
	s->since_s = s->last_s;
	trend_add(s->trend, s->last_s, s->last_kb);
	j->detectors++;
}

static void
judge_detach(struct judge *j, struct judge_series *s)
{
	trend_free(s->trend);
	s->trend = NULL;
	s->since_s = NAN;
	j->detectors--;
}

static struct judge_series *
judge_find(struct judge *j, int group, const char *name)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (j->v[i].group == group && strcmp(j->v[i].name, name) == 0)
			return &j->v[i];
	return NULL;
}

void
judge_add(struct judge *j, int group, const char *name, unsigned int flags,
	  double t_s, double kb)
{
	struct judge_series *s;

	if (isnan(kb))
		return;
	s = judge_find(j, group, name);
	if (s == NULL) {
		if (j->n == JUDGE_MAX_NAMES)
			return;
		if (j->n == j->cap) {
			j->cap = j->cap ? j->cap * 2 : 64;
			j->v = xreallocarray(j->v, j->cap, sizeof *j->v);
		}
		s = &j->v[j->n++];
		memset(s, 0, sizeof *s);
		s->group = group;
		snprintf(s->name, sizeof s->name, "%s", name);
		s->first_kb = kb;
		s->first_s = t_s;
		s->since_s = NAN;
	}
	s->flags = flags;
	s->last_kb = kb;
	s->last_s = t_s;
	s->seen = true;
	if (s->trend != NULL)
		trend_add(s->trend, t_s, kb);
	else if (flags & JUDGE_PINNED)
		judge_attach(j, s);
}

static double
judge_growth(const struct judge_series *s)
{
	return s->last_kb - s->first_kb;
}

/* Whether a detector may be taken from s. */
static bool
judge_keeps(const struct judge_series *s)
{
	return (s->flags & JUDGE_PINNED) ||
	       trend_evidence(s->trend)->verdict == TREND_GROWING;
}

void
judge_rebalance(struct judge *j)
{
	struct judge_series *best, *worst, *s;
	size_t i;

	for (;;) {
		best = worst = NULL;
		for (i = 0; i < j->n; i++) {
			s = &j->v[i];
			if (s->trend == NULL) {
				/* Growth first, then size (at the start). */
				if (s->seen &&
				    (best == NULL ||
				     judge_growth(s) > judge_growth(best) ||
				     (judge_growth(s) == judge_growth(best) &&
				      s->last_kb > best->last_kb)))
					best = s;
			} else if (!judge_keeps(s) &&
				   (worst == NULL ||
				    judge_growth(s) < judge_growth(worst))) {
				worst = s;
			}
		}
		if (best == NULL)
			break;
		if (j->detectors < j->max) {
			judge_attach(j, best);
			continue;
		}
		if (worst == NULL ||
		    judge_growth(best) <= judge_growth(worst) + JUDGE_SWAP_KB)
			break;
		judge_detach(j, worst);
		judge_attach(j, best);
	}
	for (i = 0; i < j->n; i++)
		j->v[i].seen = false;
}

const struct trend_evidence *
judge_evidence(const struct judge_series *s)
{
	return s->trend != NULL ? trend_evidence(s->trend) : NULL;
}

bool
judge_leaking(const struct judge_series *s)
{
	return s->trend != NULL && !(s->flags & JUDGE_RECLAIMABLE) &&
	       trend_evidence(s->trend)->verdict == TREND_GROWING;
}

static int
judge_order(const struct judge_series *a, const struct judge_series *b)
{
	if (judge_leaking(a) != judge_leaking(b))
		return judge_leaking(a) ? -1 : 1;
	if (judge_growth(a) != judge_growth(b))
		return judge_growth(a) > judge_growth(b) ? -1 : 1;
	return strcmp(a->name, b->name);
}

size_t
judge_rank(const struct judge *j, const struct judge_series **out, size_t n)
{
	const struct judge_series *s;
	size_t i, k, m = 0;

	for (i = 0; i < j->n; i++) {
		s = &j->v[i];
		if (s->trend == NULL)
			continue;
		/* Insertion into the n best so far. */
		for (k = m < n ? m++ : n;
		     k > 0 && judge_order(s, out[k - 1]) < 0; k--) {
			if (k < n)
				out[k] = out[k - 1];
		}
		if (k < n)
			out[k] = s;
	}
	return m;
}

static void judge_cat(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
judge_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* "38 MiB/day (95% CI 36–40)": kernel leaks are slow, so per day. */
static void
judge_rate(char *buf, size_t len, const struct trend_evidence *ev)
{
	const char *unit;
	double div = units_kib_scale(ev->slope * 24, 1, &unit);

	judge_cat(buf, len, "%.3g %s/day (95%% CI %.3g–%.3g)",
		  ev->slope * 24 / div, unit, ev->slope_lo * 24 / div,
		  ev->slope_hi * 24 / div);
}

static void
judge_change(char *buf, size_t len, const struct judge_series *s)
{
	char a[32], b[32], d[32], span[32];

	units_format_kib(a, sizeof a, s->first_kb, false, false);
	units_format_kib(b, sizeof b, s->last_kb, false, false);
	units_format_kib(d, sizeof d, judge_growth(s), false, true);
	units_format_duration(span, sizeof span, s->last_s - s->first_s);
	judge_cat(buf, len, "%s to %s (%s) in %s", a, b, d, span);
}

/* Why the detector says what it says (ev), in a few words. */
static const char *
judge_why(const struct trend_evidence *ev)
{
	switch (ev->why) {
	case TREND_WHY_FLAT:
		return ev->p_value < TREND_ALPHA
			   ? "a rise a bounded shape explains better"
			   : "no significant trend";
	case TREND_WHY_FALLING:
		return "falling";
	case TREND_WHY_SLOW:
		return "rising below the minimum rate";
	case TREND_WHY_CYCLE:
		return "a daily cycle could rise this much";
	case TREND_WHY_SHORT:
		return "rising, not for long enough yet";
	case TREND_WHY_SATURATING:
		return "rising but levelling off";
	case TREND_WHY_STEP:
		return "one step, flat on both sides";
	case TREND_WHY_RECEDED:
		return "the floor fell back";
	case TREND_WHY_CONFIRMING:
		return "rising, being confirmed";
	case TREND_WHY_PERIODIC:
		return "a cycle on a flat floor";
	case TREND_WHY_AMBIGUOUS:
		return "rising, not yet told from a bounded rise";
	case TREND_WHY_WANDER:
		return "wandering about a level";
	case TREND_WHY_UNSURE:
		return "rising, not yet significant";
	case TREND_WHY_FEW:
	case TREND_WHY_GROWING:
		break;
	}
	return NULL;
}

void
judge_sentence(const struct judge_series *s, char *buf, size_t len)
{
	const struct trend_evidence *ev = judge_evidence(s);
	char span[32];

	buf[0] = '\0';
	judge_cat(buf, len, "%s ", s->name);
	if (ev == NULL) {
		judge_cat(buf, len, "not judged: ");
		judge_change(buf, len, s);
		return;
	}
	if (ev->verdict == TREND_GROWING) {
		judge_cat(buf, len, "%s ",
			  s->flags & JUDGE_RECLAIMABLE ? "rising" : "growing");
		judge_rate(buf, len, ev);
		units_format_duration(span, sizeof span,
				      ev->end_s - ev->start_s);
		judge_cat(buf, len, " for %s, steady (Mann–Kendall p %s %.2g)",
			  span, ev->p_value < 1e-9 ? "<" : "=",
			  ev->p_value < 1e-9 ? 1e-9 : ev->p_value);
		if (s->flags & JUDGE_RECLAIMABLE)
			judge_cat(buf, len,
				  "; reclaimable, shrinks under "
				  "pressure: not called a leak");
		judge_cat(buf, len, ": ");
		judge_change(buf, len, s);
		return;
	}
	judge_cat(buf, len, "%s", verdict_name(ev->verdict));
	if (judge_why(ev) != NULL)
		judge_cat(buf, len, " (%s)", judge_why(ev));
	judge_cat(buf, len, ": ");
	judge_change(buf, len, s);
	if (ev->verdict == TREND_INSUFFICIENT && ev->need_samples > 0)
		judge_cat(buf, len, "; needs %lu more samples",
			  ev->need_samples);
	else if (ev->verdict == TREND_INSUFFICIENT && ev->need_s > 0) {
		units_format_duration(span, sizeof span, ev->need_s);
		judge_cat(buf, len, "; needs %s more", span);
	}
	if (!isnan(s->since_s) && s->since_s > s->first_s) {
		units_format_duration(span, sizeof span,
				      s->since_s - s->first_s);
		judge_cat(buf, len, " (judged from %s on)", span);
	}
}
