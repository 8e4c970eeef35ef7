/*
 * Per-region growth tracking (see regtrack.h).  rt->index holds the
 * entries' (kind, name) in the same order as rt->v, so its
 * regions_index() is the entry number.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/regtrack.h"
#include "analysis/verdict.h"
#include "util/xmalloc.h"

const struct regtrack_entry *
regtrack_find(const struct regtrack *rt, const char *name,
	      enum region_kind kind)
{
	size_t i = regions_index(&rt->index, name, kind);

	return i != SIZE_MAX ? &rt->v[i] : NULL;
}

void
regtrack_init(struct regtrack *rt)
{
	memset(rt, 0, sizeof *rt);
}

static struct regtrack_entry *
regtrack_entry(struct regtrack *rt, const struct region *r, double now_s)
{
	size_t i = regions_index(&rt->index, r->name, r->kind);
	struct regtrack_entry *e;

	if (i != SIZE_MAX)
		return &rt->v[i];
	if (rt->n == rt->cap) {
		rt->cap = rt->cap ? rt->cap * 2 : 32;
		rt->v = xreallocarray(rt->v, rt->cap, sizeof *rt->v);
	}
	e = &rt->v[rt->n];
	memset(e, 0, sizeof *e);
	e->name = xstrdup(r->name);
	e->kind = r->kind;
	e->first_s = now_s;
	memcpy(e->first, r->v, sizeof e->first);
	regions_append(&rt->index, r->name, r->kind);
	rt->n++;
	return e;
}

/* Whether an entry can be forgotten: it went away and so holds nothing,
 * without having grown (a gone region's values are 0, so its growth is
 * never positive: it ranks nowhere and adds nothing to the evidence). */
static bool
regtrack_forgettable(const struct regtrack_entry *e)
{
	return !e->present && !(regtrack_growth_kb(e) > 0);
}

/*
 * Forgets the regions that went away: with threads coming and going,
 * each thread's [stack:TID] would otherwise stay for the rest of the run
 * (14 000 entries, +12 MiB of memtrend's RSS in a 10-minute soak).  The
 * entries are compacted, and the index rebuilt, only when at least half
 * of them (and 64) can go, so the cost per sample stays constant.
 */
static void
regtrack_forget(struct regtrack *rt)
{
	struct regtrack_entry *e;
	size_t i, j, gone = 0;

	for (i = 0; i < rt->n; i++)
		gone += regtrack_forgettable(&rt->v[i]);
	if (gone < 64 || gone * 2 < rt->n)
		return;
	regions_reset(&rt->index);
	for (i = j = 0; i < rt->n; i++) {
		e = &rt->v[i];
		if (regtrack_forgettable(e)) {
			free(e->name);
			continue;
		}
		rt->v[j++] = *e;
		regions_append(&rt->index, e->name, e->kind); /* at j */
	}
	rt->n = j;
}

void
regtrack_add(struct regtrack *rt, const struct sample *s)
{
	struct regtrack_entry *e;
	size_t i;

	if (s->regions == NULL)
		return;
	rt->samples++;
	for (i = 0; i < rt->n; i++)
		rt->v[i].present = false;
	for (i = 0; i < s->regions->n; i++) {
		e = regtrack_entry(rt, &s->regions->v[i], s->elapsed_s);
		memcpy(e->last, s->regions->v[i].v, sizeof e->last);
		e->last_s = s->elapsed_s;
		e->present = true;
	}
	/* A region that went away (unmapped) now holds nothing. */
	for (i = 0; i < rt->n; i++) {
		if (rt->v[i].present)
			continue;
		for (int f = 0; f < REGION_FIELD_COUNT; f++)
			if (f != RF_SIZE_KB)
				rt->v[i].last[f] =
				    isnan(rt->v[i].last[f]) ? NAN : 0;
		rt->v[i].last[RF_SIZE_KB] = 0;
		rt->v[i].last_s = s->elapsed_s;
	}
	regtrack_forget(rt);
}

double
regtrack_growth_kb(const struct regtrack_entry *e)
{
	double g = e->last[RF_USS_KB] - e->first[RF_USS_KB];

	return isnan(g) ? e->last[RF_RSS_KB] - e->first[RF_RSS_KB] : g;
}

double
regtrack_rate_per_hour(const struct regtrack_entry *e)
{
	if (e->last_s <= e->first_s)
		return NAN;
	return regtrack_growth_kb(e) / (e->last_s - e->first_s) * 3600;
}

static int
regtrack_cmp(const void *a_, const void *b_)
{
	const struct regtrack_entry *a =
	    *(const struct regtrack_entry *const *)a_;
	const struct regtrack_entry *b =
	    *(const struct regtrack_entry *const *)b_;
	double ga = regtrack_growth_kb(a), gb = regtrack_growth_kb(b);

	if (isnan(ga))
		ga = -INFINITY;
	if (isnan(gb))
		gb = -INFINITY;
	if (ga != gb)
		return ga < gb ? 1 : -1;
	/* Equal growth (often none): the bigger region first. */
	ga =
	    isnan(a->last[RF_USS_KB]) ? a->last[RF_RSS_KB] : a->last[RF_USS_KB];
	gb =
	    isnan(b->last[RF_USS_KB]) ? b->last[RF_RSS_KB] : b->last[RF_USS_KB];
	if (!isnan(ga) && !isnan(gb) && ga != gb)
		return ga < gb ? 1 : -1;
	return strcmp(a->name, b->name);
}

size_t
regtrack_top(const struct regtrack *rt, const struct regtrack_entry **out,
	     size_t n)
{
	const struct regtrack_entry **all;
	size_t i;

	if (rt->n == 0)
		return 0;
	all = xcalloc(rt->n, sizeof *all);
	for (i = 0; i < rt->n; i++)
		all[i] = &rt->v[i];
	qsort(all, rt->n, sizeof *all, regtrack_cmp);
	if (n > rt->n)
		n = rt->n;
	memcpy(out, all, n * sizeof *out);
	free(all);
	return n;
}

void
regtrack_evidence(const struct regtrack *rt, struct verdict *v)
{
	const struct regtrack_entry *top[3];
	double total = 0, g;
	size_t i, n;

	for (i = 0; i < rt->n; i++) {
		g = regtrack_growth_kb(&rt->v[i]);
		total += g > 0 ? g : 0;
	}
	verdict_clear_regions(v);
	if (total <= 0)
		return;
	n = regtrack_top(rt, top, 3);
	for (i = 0; i < n; i++) {
		g = regtrack_growth_kb(top[i]);
		if (g <= 0)
			break;
		verdict_add_region(v, top[i]->name, g / total,
				   top[i]->last[RF_STALE_NEW_PCT] / 100,
				   top[i]->last_s - top[i]->first_s);
	}
}

void
regtrack_free(struct regtrack *rt)
{
	size_t i;

	for (i = 0; i < rt->n; i++)
		free(rt->v[i].name);
	free(rt->v);
	regions_free(&rt->index);
	memset(rt, 0, sizeof *rt);
}
