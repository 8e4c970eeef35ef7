/*
 * Time series read back from CSV files (see series.h).  Both files go
 * through libcsv (csv_read); the samples CSV through the replay
 * (analysis/replay.c).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/replay.h"
#include "charts/series.h"
#include "util/csvread.h"
#include "util/xmalloc.h"

const enum field_id series_fields[SERIES_NCOLS] = {
    [SERIES_RSS] = FIELD_RSS_KB,    [SERIES_PSS] = FIELD_PSS_KB,
    [SERIES_USS] = FIELD_USS_KB,    [SERIES_MINFLT] = FIELD_MINFLT,
    [SERIES_MAJFLT] = FIELD_MAJFLT,
};

static int
series_cmp_double(const void *a_, const void *b_)
{
	double a = *(const double *)a_, b = *(const double *)b_;

	return a < b ? -1 : a > b;
}

/* The median of the differences between consecutive times. */
static double
series_median_step(const double *t, size_t n)
{
	double *d, m;
	size_t i;

	if (n < 2)
		return NAN;
	d = xcalloc(n - 1, sizeof *d);
	for (i = 1; i < n; i++)
		d[i - 1] = t[i] - t[i - 1];
	qsort(d, n - 1, sizeof *d, series_cmp_double);
	m = d[(n - 1) / 2];
	free(d);
	return m;
}

static int
series_add(void *ctx, const struct sample *smp)
{
	struct series *s = ctx;
	int c;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->t = xreallocarray(s->t, s->cap, sizeof *s->t);
		s->wall = xreallocarray(s->wall, s->cap, sizeof *s->wall);
		for (c = 0; c < SERIES_NCOLS; c++)
			s->v[c] =
			    xreallocarray(s->v[c], s->cap, sizeof *s->v[c]);
	}
	s->t[s->n] = smp->elapsed_s;
	s->wall[s->n] = smp->wall_s;
	if (isnan(smp->wall_s))
		s->has_wall = false;
	for (c = 0; c < SERIES_NCOLS; c++) {
		s->v[c][s->n] = smp->value[series_fields[c]];
		if (!isnan(s->v[c][s->n]))
			s->known[c]++;
	}
	summary_add(&s->summary, smp);
	s->n++;
	return 0;
}

/* Which process of a long-format CSV is drawn. */
struct series_pick {
	struct series *s;
	long want;   /* SERIES_AUTO_PID: a set's sum */
	bool others; /* rows of other processes were skipped */
};

static struct verdict *
series_pick(void *ctx, long pid, const struct verdict *tmpl)
{
	struct series_pick *p = ctx;

	(void)tmpl;
	if (pid == (p->want < 0 ? 0 : p->want))
		return &p->s->verdict;
	p->others = true;
	return NULL;
}

int
series_load_pid(struct series *s, const char *path, int metric,
		bool daily_cycle, long pid, struct error *err)
{
	struct series_pick p = {.s = s, .want = pid};
	int rc;

	memset(s, 0, sizeof *s);
	s->path = xstrdup(path);
	s->has_wall = true;
	summary_init(&s->summary);
	verdict_init(&s->verdict, metric);
	verdict_set_daily_cycle(&s->verdict, daily_cycle);
	rc = replay_file_auto_about(path, &s->verdict, series_pick, &p,
				    series_add, s, &s->about, err);
	if (rc < 0 && p.others && pid < 0)
		rc = error_set(err, EINVAL,
			       "%s holds several processes and no set's sum "
			       "(pid 0): choose one with --pid PID",
			       path);
	if (rc < 0) {
		series_free(s);
		return rc;
	}
	s->interval_s = series_median_step(s->t, s->n);
	return 0;
}

int
series_load(struct series *s, const char *path, int metric, bool daily_cycle,
	    struct error *err)
{
	return series_load_pid(s, path, metric, daily_cycle, SERIES_AUTO_PID,
			       err);
}

void
series_free(struct series *s)
{
	int c;

	free(s->path);
	free(s->t);
	free(s->wall);
	for (c = 0; c < SERIES_NCOLS; c++)
		free(s->v[c]);
	verdict_free(&s->verdict);
	memset(s, 0, sizeof *s);
}

double
series_wall_at(const struct series *s, double t)
{
	size_t lo = 0, hi, mid;
	double f;

	if (!s->has_wall || s->n == 0 || isnan(t))
		return NAN;
	if (s->n == 1 || t <= s->t[0])
		return s->wall[0] + (t - s->t[0]);
	if (t >= s->t[s->n - 1])
		return s->wall[s->n - 1] + (t - s->t[s->n - 1]);
	hi = s->n - 1;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (s->t[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	f = (t - s->t[lo]) / (s->t[hi] - s->t[lo]);
	return s->wall[lo] + f * (s->wall[hi] - s->wall[lo]);
}

double
series_rate(const struct series *s, enum series_col c, size_t i)
{
	double dt, dv;

	if (i == 0 || i >= s->n)
		return NAN;
	dt = s->t[i] - s->t[i - 1];
	dv = s->v[c][i] - s->v[c][i - 1];
	if (isnan(dv) || dv < 0 || !(dt > 0) ||
	    sample_is_gap(dt, s->interval_s))
		return NAN;
	return dv / dt;
}

/* ---- regions ---------------------------------------------------------- */

static void
series_fill_nan(double *v, size_t from, size_t to)
{
	for (; from < to; from++)
		v[from] = NAN;
}

#define SERIES_NARRAYS 4

static void
series_region_grow(struct series_region *r, size_t old, size_t cap)
{
	double **p[SERIES_NARRAYS] = {&r->rss_kb, &r->uss_kb, &r->idle_pct,
				      &r->idle_err_pct};
	int i;

	for (i = 0; i < SERIES_NARRAYS; i++) {
		*p[i] = xreallocarray(*p[i], cap, sizeof **p[i]);
		series_fill_nan(*p[i], old, cap);
	}
}

/* A new region sample at t. */
static void
series_at(struct series_regions *rs, double t, double wall)
{
	size_t i, old;

	if (rs->nt == rs->cap) {
		old = rs->cap;
		rs->cap = rs->cap ? rs->cap * 2 : 256;
		rs->t = xreallocarray(rs->t, rs->cap, sizeof *rs->t);
		rs->wall = xreallocarray(rs->wall, rs->cap, sizeof *rs->wall);
		for (i = 0; i < rs->n; i++)
			series_region_grow(&rs->r[i], old, rs->cap);
	}
	rs->t[rs->nt] = t;
	rs->wall[rs->nt] = wall;
	if (isnan(wall))
		rs->has_wall = false;
	rs->nt++;
}

static struct series_region *
series_region(struct series_regions *rs, const char *name,
	      enum region_kind kind)
{
	size_t i = regions_index(&rs->index, name, kind);
	struct series_region *r;

	if (i != SIZE_MAX)
		return &rs->r[i];
	if (rs->n == rs->ncap) {
		rs->ncap = rs->ncap ? rs->ncap * 2 : 32;
		rs->r = xreallocarray(rs->r, rs->ncap, sizeof *rs->r);
	}
	r = &rs->r[rs->n];
	memset(r, 0, sizeof *r);
	r->name = xstrdup(name);
	r->kind = kind;
	r->age_rss_kb = NAN;
	series_region_grow(r, 0, rs->cap);
	regions_append(&rs->index, name, kind); /* in step with r[] */
	rs->n++;
	return r;
}

/* A region's idle values at region sample k. */
static void
series_idle(struct series_regions *rs, struct series_region *r,
	    const struct region *cur, size_t k)
{
	bool any = false;
	int a;

	r->idle_pct[k] = cur->v[RF_IDLE_PCT];
	r->idle_err_pct[k] = cur->v[RF_IDLE_ERR_PCT];
	if (!isnan(r->idle_pct[k]))
		rs->has_idle = true;
	if (!isnan(cur->v[RF_IDLE_SCAN_S]))
		rs->idle_scan_s = cur->v[RF_IDLE_SCAN_S];
	for (a = 0; a < SERIES_NAGES; a++)
		any |= !isnan(cur->v[RF_IDLE_1_KB + a]);
	if (any) {
		r->has_ages = true;
		memcpy(r->age_kb, &cur->v[RF_IDLE_1_KB], sizeof r->age_kb);
		r->age_rss_kb = r->rss_kb[k];
		r->age_t = rs->t[k];
	}
}

static int
series_region_sample(void *ctx, const struct sample *s)
{
	struct series_regions *rs = ctx;
	const struct region *cur;
	struct series_region *r;
	size_t i, k;

	series_at(rs, s->elapsed_s, s->wall_s);
	k = rs->nt - 1;
	for (i = 0; i < s->regions->n; i++) {
		cur = &s->regions->v[i];
		r = series_region(rs, cur->name, cur->kind);
		r->rss_kb[k] = cur->v[RF_RSS_KB];
		r->uss_kb[k] = cur->v[RF_USS_KB];
		if (!isnan(r->uss_kb[k]))
			rs->uss = true;
		series_idle(rs, r, cur, k);
	}
	if (s->regions->idle_method != NULL)
		snprintf(rs->idle_method, sizeof rs->idle_method, "%s",
			 s->regions->idle_method);
	regtrack_add(&rs->track, s);
	return 0;
}

int
series_load_regions(struct series_regions *rs, const char *path,
		    struct error *err)
{
	size_t i;
	int rc;

	memset(rs, 0, sizeof *rs);
	rs->path = xstrdup(path);
	rs->has_wall = true;
	rs->idle_scan_s = NAN;
	regtrack_init(&rs->track);
	rc = replay_regions_file(path, series_region_sample, rs, err);
	if (rc < 0) {
		series_regions_free(rs);
		return rc;
	}
	for (i = 0; i < rs->n; i++)
		rs->r[i].kb = rs->uss ? rs->r[i].uss_kb : rs->r[i].rss_kb;
	return 0;
}

void
series_regions_free(struct series_regions *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->r[i].rss_kb);
		free(rs->r[i].uss_kb);
		free(rs->r[i].idle_pct);
		free(rs->r[i].idle_err_pct);
		free(rs->r[i].name);
	}
	free(rs->r);
	free(rs->t);
	free(rs->wall);
	free(rs->path);
	regtrack_free(&rs->track);
	regions_free(&rs->index);
	memset(rs, 0, sizeof *rs);
}

size_t
series_regions_top(const struct series_regions *rs, size_t *out, size_t n)
{
	const struct regtrack_entry **top;
	size_t i, j, k, m = 0;

	top = xcalloc(n + 1, sizeof *top);
	k = regtrack_top(&rs->track, top, n);
	for (i = 0; i < k; i++) {
		j = regions_index(&rs->index, top[i]->name, top[i]->kind);
		if (j != SIZE_MAX)
			out[m++] = j;
	}
	free(top);
	return m;
}

int
series_load_both(struct series *s, struct series_regions *rs, const char *path,
		 const char *regions_path, int metric, bool daily_cycle,
		 long pid, struct error *err)
{
	int rc;

	if ((rc = series_load_pid(s, path, metric, daily_cycle, pid, err)) < 0)
		return rc;
	if (regions_path == NULL)
		return 0;
	if ((rc = series_load_regions(rs, regions_path, err)) < 0) {
		series_free(s);
		return rc;
	}
	regtrack_evidence(&rs->track, &s->verdict);
	return 0;
}
