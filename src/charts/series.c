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
	rc = replay_file_auto(path, &s->verdict, series_pick, &p, series_add, s,
			      err);
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

/* The columns read: four by name, then the region field table's. */
enum {
	RC_ELAPSED,
	RC_TIMESTAMP,
	RC_REGION,
	RC_KIND,
	RC_IDLE_METHOD,
	RC_FIELD, /* REGION_FIELD_COUNT of them */
	RC_COUNT = RC_FIELD + REGION_FIELD_COUNT
};
#define RC_IDLE_PCT (RC_FIELD + RF_IDLE_PCT)
#define RC_IDLE_ERR (RC_FIELD + RF_IDLE_ERR_PCT)
#define RC_IDLE_SCAN (RC_FIELD + RF_IDLE_SCAN_S)
#define RC_AGE (RC_FIELD + RF_IDLE_1_KB) /* SERIES_NAGES */

static const enum field_key series_rc_keys[RC_FIELD] = {
    KEY_ELAPSED_S, KEY_TIMESTAMP, KEY_REGION, KEY_KIND, KEY_IDLE_METHOD,
};

struct series_reader {
	struct series_regions *rs;
	struct error *err;
	const char *path;   /* for messages */
	long col[RC_COUNT]; /* -1: absent */
	size_t ncols, need;
	bool header;
	const char *time_name;
	double t0;	       /* the first timestamp, without elapsed_s */
	struct region_set cur; /* the region sample being read */
};

static int
series_header(struct series_reader *sr, char **cells, size_t n)
{
	int c;

	for (c = 0; c < RC_COUNT; c++) {
		const char *name = c < RC_FIELD
				       ? field_keys[series_rc_keys[c]].name
				       : region_fields[c - RC_FIELD].name;

		sr->col[c] = csv_column(cells, n, name);
		if (sr->col[c] >= 0 && (size_t)sr->col[c] + 1 > sr->need)
			sr->need = (size_t)sr->col[c] + 1;
	}
	sr->ncols = n;
	sr->time_name =
	    field_keys[sr->col[RC_ELAPSED] >= 0 ? KEY_ELAPSED_S : KEY_TIMESTAMP]
		.name;
	if (sr->col[RC_ELAPSED] < 0 && sr->col[RC_TIMESTAMP] < 0)
		return error_set(sr->err, EINVAL,
				 "%s line 1: no elapsed_s or "
				 "timestamp column (is this a regions CSV from "
				 "--regions-csv?)",
				 sr->path);
	if (sr->col[RC_REGION] < 0)
		return error_set(sr->err, EINVAL,
				 "%s line 1: no region column "
				 "(is this a regions CSV from --regions-csv?)",
				 sr->path);
	if (sr->col[RC_FIELD + RF_USS_KB] < 0 &&
	    sr->col[RC_FIELD + RF_RSS_KB] < 0)
		return error_set(sr->err, EINVAL,
				 "%s line 1: no uss_kb or "
				 "rss_kb column",
				 sr->path);
	sr->header = true;
	return 0;
}

/* A cell of column c as a number; absent or empty is NAN. */
static int
series_cell(struct series_reader *sr, unsigned long line, char **cells, int c,
	    const char *name, double *out)
{
	const char *p, *range;
	char *end;

	*out = NAN;
	if (sr->col[c] < 0)
		return 0;
	p = cells[sr->col[c]];
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 0;
	errno = 0;
	*out = strtod(p, &end);
	while (*end == ' ')
		end++;
	if (*end != '\0' || errno == ERANGE || !isfinite(*out))
		return error_set(sr->err, EINVAL,
				 "%s line %lu: %s is '%s', "
				 "not a number",
				 sr->path, line, name, cells[sr->col[c]]);
	if ((range = replay_out_of_range(name, *out)) != NULL)
		return error_set(sr->err, ERANGE,
				 "%s line %lu: %s is '%s', "
				 "not %s: no run produces that",
				 sr->path, line, name, cells[sr->col[c]],
				 range);
	return 0;
}

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

/* Hands the finished region sample to the growth tracker. */
static void
series_flush(struct series_reader *sr)
{
	struct sample s;

	if (sr->rs->nt == 0)
		return;
	sample_clear(&s);
	s.elapsed_s = sr->rs->t[sr->rs->nt - 1];
	s.regions = &sr->cur;
	regtrack_add(&sr->rs->track, &s);
	regions_reset(&sr->cur);
}

static int
series_time(struct series_reader *sr, unsigned long line, char **cells,
	    double *t, double *wall)
{
	const char *ts;
	int rc;

	*wall = NAN;
	if (sr->col[RC_TIMESTAMP] >= 0) {
		ts = cells[sr->col[RC_TIMESTAMP]];
		if (replay_parse_time(ts, wall) < 0)
			return error_set(
			    sr->err, EINVAL,
			    "%s line %lu: "
			    "timestamp '%s' is not an ISO 8601 time (like "
			    "2026-11-18T11:06:40Z)",
			    sr->path, line, ts);
	}
	if (sr->col[RC_ELAPSED] >= 0) {
		rc = series_cell(sr, line, cells, RC_ELAPSED,
				 field_keys[KEY_ELAPSED_S].name, t);
		if (rc == 0 && isnan(*t))
			rc = error_set(sr->err, EINVAL,
				       "%s line %lu: "
				       "elapsed_s is empty",
				       sr->path, line);
		return rc;
	}
	if (sr->rs->nt == 0)
		sr->t0 = *wall;
	*t = *wall - sr->t0;
	return 0;
}

/* Starts a new region sample at t when t is a new time. */
static int
series_at(struct series_reader *sr, unsigned long line, double t, double wall)
{
	struct series_regions *rs = sr->rs;
	size_t i, old;

	if (rs->nt > 0 && t == rs->t[rs->nt - 1])
		return 0;
	if (rs->nt > 0 && t < rs->t[rs->nt - 1])
		return error_set(sr->err, EINVAL,
				 "%s line %lu: %s goes back "
				 "in time (rows must be in time order)",
				 sr->path, line, sr->time_name);
	series_flush(sr);
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
	return 0;
}

static enum region_kind
series_kind(const char *name)
{
	int k;

	for (k = 0; k < REGION_KIND_COUNT; k++)
		if (strcmp(region_kind_names[k], name) == 0)
			return (enum region_kind)k;
	return REGION_OTHER;
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

/* The idle columns of a row. */
static int
series_idle(struct series_reader *sr, unsigned long line, char **cells,
	    struct series_region *r, size_t k)
{
	double age[SERIES_NAGES], scan;
	bool any = false;
	int a, rc;

	rc = series_cell(sr, line, cells, RC_IDLE_PCT,
			 region_fields[RF_IDLE_PCT].name, &r->idle_pct[k]);
	if (rc == 0)
		rc = series_cell(sr, line, cells, RC_IDLE_ERR,
				 region_fields[RF_IDLE_ERR_PCT].name,
				 &r->idle_err_pct[k]);
	if (rc == 0)
		rc = series_cell(sr, line, cells, RC_IDLE_SCAN,
				 region_fields[RF_IDLE_SCAN_S].name, &scan);
	for (a = 0; rc == 0 && a < SERIES_NAGES; a++) {
		rc = series_cell(sr, line, cells, RC_AGE + a,
				 region_fields[RF_IDLE_1_KB + a].name, &age[a]);
		any |= !isnan(age[a]);
	}
	if (rc < 0)
		return rc;
	if (!isnan(r->idle_pct[k]))
		sr->rs->has_idle = true;
	if (!isnan(scan))
		sr->rs->idle_scan_s = scan;
	if (sr->col[RC_IDLE_METHOD] >= 0 &&
	    cells[sr->col[RC_IDLE_METHOD]][0] != '\0')
		snprintf(sr->rs->idle_method, sizeof sr->rs->idle_method, "%s",
			 cells[sr->col[RC_IDLE_METHOD]]);
	if (any) {
		r->has_ages = true;
		memcpy(r->age_kb, age, sizeof age);
		r->age_rss_kb = r->rss_kb[k];
		r->age_t = sr->rs->t[k];
	}
	return 0;
}

static int
series_region_row(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct series_reader *sr = ctx;
	struct series_regions *rs = sr->rs;
	struct series_region *r;
	enum region_kind kind;
	struct region *cur;
	double t, wall;
	size_t k;
	int f, rc;

	if (!sr->header)
		return series_header(sr, cells, n);
	if (n < sr->need)
		return error_set(sr->err, EINVAL,
				 "%s line %lu: %zu cell%s, "
				 "but the header has %zu columns",
				 sr->path, line, n, n == 1 ? "" : "s",
				 sr->ncols);
	if ((rc = series_time(sr, line, cells, &t, &wall)) < 0 ||
	    (rc = series_at(sr, line, t, wall)) < 0)
		return rc;
	kind = sr->col[RC_KIND] >= 0 ? series_kind(cells[sr->col[RC_KIND]])
				     : REGION_OTHER;
	r = series_region(rs, cells[sr->col[RC_REGION]], kind);
	cur = regions_append(&sr->cur, r->name, kind);
	for (f = 0; f < REGION_FIELD_COUNT; f++) {
		rc = series_cell(sr, line, cells, RC_FIELD + f,
				 region_fields[f].name, &cur->v[f]);
		if (rc < 0)
			return rc;
	}
	k = rs->nt - 1;
	r->rss_kb[k] = cur->v[RF_RSS_KB];
	r->uss_kb[k] = cur->v[RF_USS_KB];
	if (!isnan(r->uss_kb[k]))
		rs->uss = true;
	return series_idle(sr, line, cells, r, k);
}

int
series_load_regions(struct series_regions *rs, const char *path,
		    struct error *err)
{
	struct series_reader sr;
	size_t i;
	int rc;

	memset(rs, 0, sizeof *rs);
	memset(&sr, 0, sizeof sr);
	rs->path = xstrdup(path);
	rs->has_wall = true;
	rs->idle_scan_s = NAN;
	regtrack_init(&rs->track);
	sr.rs = rs;
	sr.err = err;
	sr.path = strcmp(path, "-") == 0 ? "standard input" : path;
	rc = csv_read(path, series_region_row, &sr, err);
	if (rc == 0 && !sr.header)
		rc = error_set(err, EINVAL, "%s is empty: no header line",
			       sr.path);
	if (rc == 0 && rs->nt == 0)
		rc = error_set(err, EINVAL,
			       "%s line 1: a header but no rows "
			       "of region samples",
			       sr.path);
	if (rc == 0)
		series_flush(&sr);
	regions_free(&sr.cur);
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
	if (regions_path != NULL &&
	    (rc = series_load_regions(rs, regions_path, err)) < 0) {
		series_free(s);
		return rc;
	}
	return 0;
}
