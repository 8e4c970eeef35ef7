/*
 * The CSV replay (see replay.h): the CSV is read through libcsv
 * (csv_read() in util/csvread.c) one row at a time, so a file of any length
 * takes constant memory; each row becomes a sample fed to the verdict.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/archread.h"
#include "analysis/regtrack.h"
#include "analysis/replay.h"
#include "core/kernel.h"
#include "core/regions.h"
#include "util/csvread.h"
#include "util/xmalloc.h"

static const enum field_id replay_context[] = {
    FIELD_MEM_AVAILABLE_KB, FIELD_CGROUP_LIMIT_KB, FIELD_CGROUP_USAGE_KB};
#define REPLAY_NCONTEXT (sizeof replay_context / sizeof replay_context[0])

/* A column's unit, by its name's suffix: what values it can hold. */
enum replay_unit { REPLAY_UNIT_KB, REPLAY_UNIT_S, REPLAY_UNIT_OTHER };

struct replay {
	const char *path;
	struct verdict *v;
	struct error *err;
	replay_sample_fn fn; /* NULL: the verdict only */
	void *ctx;
	bool fn_metric; /* fn reads the judged metric only of the fields */
	struct provenance *about; /* the "# " line's; NULL: not wanted */
	replay_pick_fn pick;	  /* NULL: every row to v */
	void *pick_ctx;
	long pid_col;	   /* with pick: the pid column */
	long inst_col;	   /* instance (a daemon's CSV); -1: absent */
	bool pick_auto;	   /* pick only for a long-format header */
	bool archive_long; /* an archive of several processes */
	long time_col;	   /* elapsed_s, else timestamp */
	long wall_col;	   /* timestamp, read only for fn; -1: absent */
	/* With fn_metric, the fields whose columns are not converted but
	 * checked (bad input stays bad input). */
	struct {
		int f;
		long col;
	} chk[FIELD_COUNT];
	size_t nchk;
	long col[FIELD_COUNT]; /* -1: absent or not read */
	enum replay_unit unit[FIELD_COUNT];
	const char *time_name; /* "elapsed_s" or "timestamp" */
	size_t ncols, need;    /* header width; cells a row must have */
	bool header;
	unsigned long rows;
	double prev_t, t0;
	bool raw_time;	      /* t0 stays 0: the file's own elapsed_s */
	struct csv_want want; /* the cells read (above); the rest not copied */
};

static enum replay_unit
replay_unit_of(const char *name)
{
	size_t n = strlen(name);

	if (n > 3 && strcmp(name + n - 3, "_kb") == 0)
		return REPLAY_UNIT_KB;
	if (n > 2 && strcmp(name + n - 2, "_s") == 0)
		return REPLAY_UNIT_S;
	return REPLAY_UNIT_OTHER;
}

/* Whether a field's column is read: the judged metric and the system
 * context always, every field when the rows go to a callback that reads
 * them. */
static bool
replay_wants(const struct replay *a, int f)
{
	size_t i;

	if ((a->fn != NULL && !a->fn_metric) || f == a->v->metric ||
	    f == verdict_err_field(a->v->metric))
		return true;
	for (i = 0; i < REPLAY_NCONTEXT; i++)
		if ((int)replay_context[i] == f)
			return true;
	return false;
}

/* The provenance line before the header (core/provenance.h). */
static int
replay_comment(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct replay *a = ctx;
	size_t i;

	(void)line;
	if (a->about == NULL || !provenance_start(a->about, cells[0]))
		return 0;
	for (i = 1; i < n; i++)
		provenance_set(a->about, cells[i]);
	return 0;
}

/* A cell that is a number no check could refuse: empty, or at most 9
 * digits (under every range of replay_range()). */
static bool
replay_plain(const void *cell, size_t len)
{
	const unsigned char *p = cell;
	size_t i;

	if (len > 9)
		return false;
	for (i = 0; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* The cells the rows are read for (a->need wide): the time, the fields
 * read, the pid, the instance; the others are not copied out of libcsv,
 * but for those a check must see (replay_plain). */
static void
replay_want_cells(struct replay *a)
{
	int f;

	free(a->want.col);
	a->want.plain = a->fn_metric ? replay_plain : NULL;
	a->want.n = a->need;
	a->want.col = xcalloc(a->need, sizeof *a->want.col);
	a->want.col[a->time_col] = true;
	if (a->wall_col >= 0)
		a->want.col[a->wall_col] = true;
	for (f = 0; f < FIELD_COUNT; f++)
		if (a->col[f] >= 0)
			a->want.col[a->col[f]] = true;
	if (a->pick != NULL)
		a->want.col[a->pid_col] = true;
	if (a->inst_col >= 0)
		a->want.col[a->inst_col] = true;
}

static int
replay_header(struct replay *a, unsigned long line, char **cells, size_t n)
{
	static const enum field_id order[] = {FIELD_USS_KB, FIELD_PSS_KB,
					      FIELD_RSS_KB};
	size_t i;
	int f;

	a->time_name = field_keys[KEY_ELAPSED_S].name;
	a->time_col = csv_column(cells, n, a->time_name);
	if (a->time_col < 0) {
		a->time_name = field_keys[KEY_TIMESTAMP].name;
		a->time_col = csv_column(cells, n, a->time_name);
	}
	if (a->time_col < 0)
		return error_set(
		    a->err, EINVAL,
		    "%s line %lu: no elapsed_s or "
		    "timestamp column (analyze needs one of them and one of "
		    "uss_kb, pss_kb, rss_kb)",
		    a->path, line);
	if (a->v->metric == VERDICT_AUTO) {
		for (i = 0; i < sizeof order / sizeof order[0]; i++) {
			if (csv_column(cells, n, fields[order[i]].name) >= 0) {
				a->v->metric = (int)order[i];
				break;
			}
		}
		if (a->v->metric == VERDICT_AUTO)
			return error_set(
			    a->err, EINVAL,
			    "%s line %lu: no "
			    "uss_kb, pss_kb or rss_kb column%s",
			    a->path, line,
			    csv_column(cells, n,
				       kfields[KF_SLAB_UNRECLAIM_KB].name) >= 0
				? " (a memtrend kernel CSV: memtrend "
				  "kernel judges its series as it runs; "
				  "analyze reads "
				  "a process's)"
				: "");
	} else if (csv_column(cells, n, fields[a->v->metric].name) < 0) {
		return error_set(a->err, EINVAL,
				 "%s line %lu: no %s column for "
				 "--metric %s",
				 a->path, line, fields[a->v->metric].name,
				 verdict_metric_name(a->v));
	}
	a->wall_col = a->fn != NULL
			  ? csv_column(cells, n, field_keys[KEY_TIMESTAMP].name)
			  : -1;
	a->need =
	    (size_t)(a->time_col > a->wall_col ? a->time_col : a->wall_col) + 1;
	for (f = 0; f < FIELD_COUNT; f++) {
		a->col[f] = replay_wants(a, f)
				? csv_column(cells, n, fields[f].name)
				: -1;
		a->unit[f] = replay_unit_of(fields[f].name);
		if (a->col[f] >= 0 && (size_t)a->col[f] + 1 > a->need)
			a->need = (size_t)a->col[f] + 1;
	}
	for (a->nchk = 0, f = 0; a->fn_metric && f < FIELD_COUNT; f++) {
		long c =
		    a->col[f] < 0 ? csv_column(cells, n, fields[f].name) : -1;

		if (c < 0)
			continue;
		a->chk[a->nchk].f = f;
		a->chk[a->nchk++].col = c;
		if ((size_t)c + 1 > a->need)
			a->need = (size_t)c + 1;
	}
	if (a->pick_auto && csv_column(cells, n, field_keys[KEY_COMM].name) < 0)
		a->pick = NULL; /* one process's CSV: every row to v */
	if (a->pick != NULL) {
		a->pid_col = csv_column(cells, n, field_keys[KEY_PID].name);
		if (a->pid_col < 0)
			return error_set(a->err, EINVAL,
					 "%s line 1: no pid column to tell "
					 "the processes apart",
					 a->path);
		if ((size_t)a->pid_col + 1 > a->need)
			a->need = (size_t)a->pid_col + 1;
	}
	a->inst_col = csv_column(cells, n, field_keys[KEY_INSTANCE].name);
	if (a->inst_col >= 0 && (size_t)a->inst_col + 1 > a->need)
		a->need = (size_t)a->inst_col + 1;
	a->ncols = n;
	a->header = true;
	replay_want_cells(a);
	return 0;
}

/*
 * The values a run can produce, by the column's unit: sizes up to 1 EiB
 * (2^50 KiB; x86-64's 5-level page tables address 2^57 bytes), times up
 * to a century, counts and other numbers up to 10^18.  Anything outside
 * is a damaged or foreign file, refused before it reaches the
 * arithmetic (a slope over 2e14 s printed "-2147483648 d").
 */
static const char *
replay_range(enum replay_unit unit, double v)
{
	if (unit == REPLAY_UNIT_KB)
		return v < 0 || v > 1125899906842624.0 ? "a size in KiB from 0 "
							 "to 1 EiB"
						       : NULL;
	if (unit == REPLAY_UNIT_S)
		return fabs(v) > 3.2e9 ? "seconds within a century" : NULL;
	return fabs(v) > 1e18 ? "a number within 10^18" : NULL;
}

const char *
replay_out_of_range(const char *name, double v)
{
	return replay_range(replay_unit_of(name), v);
}

/* strtod(), with a shortcut for what memtrend writes: a whole number of
 * at most 15 digits, perhaps negative, perhaps with a fraction of zeros
 * ("4242", "1.000"), ending the cell or followed by a space.  Such a
 * number is a double exactly, so its value is strtod()'s; anything else
 * goes to strtod().  *erange: strtod() said ERANGE (errno is touched
 * only then, not for every cell). */
static double
replay_strtod(const char *p, char **end, bool *erange)
{
	const char *q = p + (*p == '-');
	long long n = 0;
	int digits = 0;
	double v;

	*erange = false;
	for (; *q >= '0' && *q <= '9' && digits <= 15; q++, digits++)
		n = n * 10 + (*q - '0');
	if (*q == '.' && digits > 0 && digits <= 15)
		for (q++; *q == '0'; q++)
			;
	if (digits > 0 && digits <= 15 && (*q == '\0' || *q == ' ')) {
		*end = (char *)q;
		return *p == '-' ? -(double)n : (double)n;
	}
	errno = 0;
	v = strtod(p, end);
	*erange = errno == ERANGE;
	return v;
}

/* A numeric cell of path's line; empty is NAN when allowed. */
static int
replay_cell_unit(const char *path, struct error *err, unsigned long line,
		 const char *cell, const char *name, enum replay_unit unit,
		 bool empty_ok, double *out)
{
	const char *p = cell, *range;
	bool erange;
	char *end;

	while (*p == ' ')
		p++;
	if (*p == '\0') {
		*out = NAN;
		if (empty_ok)
			return 0;
		return error_set(err, EINVAL, "%s line %lu: %s is empty", path,
				 line, name);
	}
	*out = replay_strtod(p, &end, &erange);
	while (*end == ' ')
		end++;
	if (*end != '\0' || erange || !isfinite(*out))
		return error_set(err, EINVAL,
				 "%s line %lu: %s is '%s', "
				 "not a number",
				 path, line, name, cell);
	if ((range = replay_range(unit, *out)) != NULL)
		return error_set(err, ERANGE,
				 "%s line %lu: %s is '%s', not "
				 "%s: no run produces that",
				 path, line, name, cell, range);
	return 0;
}

static int
replay_cell(const char *path, struct error *err, unsigned long line,
	    const char *cell, const char *name, bool empty_ok, double *out)
{
	return replay_cell_unit(path, err, line, cell, name,
				replay_unit_of(name), empty_ok, out);
}

/* A row with fewer cells than the columns read need. */
static int
replay_short_row(const char *path, struct error *err, unsigned long line,
		 size_t n, size_t ncols)
{
	return error_set(err, EINVAL,
			 "%s line %lu: %zu cell%s, but the header has %zu "
			 "columns",
			 path, line, n, n == 1 ? "" : "s", ncols);
}

static int
replay_number(struct replay *a, unsigned long line, const char *cell,
	      const char *name, bool empty_ok, double *out)
{
	return replay_cell(a->path, a->err, line, cell, name, empty_ok, out);
}

static int
replay_time(struct replay *a, unsigned long line, const char *cell, double *t)
{
	if (a->time_name[0] == 'e')
		return replay_number(a, line, cell, a->time_name, false, t);
	if (replay_parse_time(cell, t) < 0)
		return error_set(
		    a->err, EINVAL,
		    "%s line %lu: timestamp '%s' "
		    "is not an ISO 8601 time (like 2026-11-18T11:06:40Z)",
		    a->path, line, cell);
	return 0;
}

static int
replay_row(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct replay *a = ctx;
	struct verdict *v = a->v;
	struct sample s;
	double t, pid = 0;
	size_t i;
	int f, rc;

	if (!a->header)
		return replay_header(a, line, cells, n);
	if (n < a->need)
		return replay_short_row(a->path, a->err, line, n, a->ncols);
	if ((rc = replay_time(a, line, cells[a->time_col], &t)) < 0)
		return rc;
	if (a->pick != NULL) {
		if ((rc = replay_number(a, line, cells[a->pid_col], "pid",
					false, &pid)) < 0)
			return rc;
		if ((v = a->pick(a->pick_ctx, (long)pid, a->v)) == NULL)
			return 0;
	}
	if (a->rows == 0)
		a->t0 = a->raw_time ? 0 : t;
	else if (a->pick != NULL ? !(t >= a->prev_t) : !(t > a->prev_t))
		return error_set(
		    a->err, EINVAL,
		    "%s line %lu: %s %s is not "
		    "after the previous row's %s (rows must be in time order, "
		    "without duplicates)",
		    a->path, line, a->time_name, cells[a->time_col],
		    a->time_name);
	sample_clear(&s);
	s.pid = (pid_t)pid;
	s.elapsed_s = t - a->t0;
	if (replay_range(REPLAY_UNIT_S, s.elapsed_s) != NULL)
		return error_set(
		    a->err, ERANGE,
		    "%s line %lu: %s %s is more "
		    "than a century after the first row's: no run is that "
		    "long",
		    a->path, line, a->time_name, cells[a->time_col]);
	s.wall_s = NAN;
	if (a->wall_col >= 0 &&
	    replay_parse_time(cells[a->wall_col], &s.wall_s) < 0)
		return error_set(
		    a->err, EINVAL,
		    "%s line %lu: timestamp '%s' "
		    "is not an ISO 8601 time (like 2026-11-18T11:06:40Z)",
		    a->path, line, cells[a->wall_col]);
	for (f = 0; f < FIELD_COUNT; f++) {
		if (a->col[f] >= 0 &&
		    (rc = replay_cell_unit(a->path, a->err, line,
					   cells[a->col[f]], fields[f].name,
					   a->unit[f], true, &s.value[f])) < 0)
			return rc;
	}
	for (i = 0; i < a->nchk; i++) {
		const char *cell = cells[a->chk[i].col];
		double unread;

		f = a->chk[i].f;
		if (cell[0] != '\0' &&
		    (rc = replay_cell_unit(a->path, a->err, line, cell,
					   fields[f].name, a->unit[f], true,
					   &unread)) < 0)
			return rc;
	}
	if (a->inst_col >= 0) {
		double inst;

		if ((rc = replay_number(a, line, cells[a->inst_col], "instance",
					true, &inst)) < 0)
			return rc;
		s.instance = isnan(inst) || inst < 0 ? 0 : (unsigned long)inst;
	}
	a->prev_t = t;
	a->rows++;
	if ((rc = verdict_add(v, &s)) < 0)
		return rc;
	return a->fn != NULL ? a->fn(a->ctx, &s) : 0;
}

int
replay_file(const char *path, struct verdict *v, struct error *err)
{
	return replay_file_each(path, v, NULL, NULL, err);
}

/* An archive's samples of its first target, through the same verdict;
 * the metric chosen as a CSV header would choose it, from what the first
 * sample knows.  An archive is one process's series: a pick (--pid)
 * still chooses by its pid. */
static int
replay_archive_sample(void *ctx, unsigned int id, const struct sample *s)
{
	static const enum field_id order[] = {FIELD_USS_KB, FIELD_PSS_KB,
					      FIELD_RSS_KB};
	struct replay *a = ctx;
	struct verdict *v = a->v;
	size_t i;
	int rc;

	if (id != 0 && !a->archive_long)
		return 0;
	if (a->v->metric == VERDICT_AUTO) {
		for (i = 0; i < 2 && isnan(s->value[order[i]]); i++)
			;
		a->v->metric = (int)order[i];
	}
	if (a->pick != NULL &&
	    (v = a->pick(a->pick_ctx, (long)s->pid, a->v)) == NULL)
		return 0;
	a->rows++;
	if ((rc = verdict_add(v, s)) < 0)
		return rc;
	return a->fn != NULL ? a->fn(a->ctx, s) : 0;
}

static int
replay_archive(struct replay *a)
{
	struct archread_info info;
	int rc;

	/* A first pass says whether it holds several processes. */
	rc = archread_file(a->path, NULL, NULL, &info, a->err);
	if (rc < 0)
		return rc;
	a->archive_long = archread_is_long(&info);
	if (a->pick_auto && !a->archive_long)
		a->pick = NULL;
	rc = archread_file(a->path, replay_archive_sample, a, &info, a->err);
	if (rc < 0)
		return rc;
	if (a->rows == 0)
		return error_set(a->err, EINVAL, "%s: %s", a->path,
				 info.damage[0] != '\0'
				     ? info.damage
				     : "an archive with no process sample");
	/* Not an error: what the caller tells the user after the verdict. */
	snprintf(a->err->msg, sizeof a->err->msg, "%s", info.damage);
	return 0;
}

/* A directory's CSVs (a daemon target's, rotated) read as one series,
 * in time order: each file has its header; times run on across them. */
static int
replay_dir(struct replay *a, const char *dir, struct error *err)
{
	char **paths;
	long n = csv_dir_list(dir, false, &paths, err), i;
	int rc = 0;

	if (n == 0)
		return error_set(err, ENOENT,
				 "%s: a directory with no CSV file (give a "
				 "memtrend daemon target's directory or a "
				 "CSV file)",
				 dir);
	for (i = 0; i < n && rc == 0; i++) {
		a->path = paths[i];
		a->header = false;
		rc = csv_read_want(paths[i], replay_row, replay_comment, a,
				   &a->want, err);
		if (rc == 0 && !a->header)
			rc = error_set(err, EINVAL,
				       "%s is empty: no header line", a->path);
	}
	csv_dir_free(paths, n);
	a->path = dir;
	return rc;
}

static int
replay_run(struct replay *a, const char *path, struct error *err)
{
	int rc;

	err->msg[0] = '\0';
	a->path = strcmp(path, "-") == 0 ? "standard input" : path;
	a->err = err;
	if (csv_is_dir(path))
		rc = replay_dir(a, path, err);
	else if (archread_is_archive(path))
		return replay_archive(a);
	else
		rc = csv_read_want(path, replay_row, replay_comment, a,
				   &a->want, err);
	free(a->want.col);
	a->want.col = NULL;
	a->want.n = 0;
	if (rc < 0)
		return rc;
	if (!a->header)
		return error_set(err, EINVAL, "%s is empty: no header line",
				 a->path);
	if (a->rows == 0)
		return error_set(err, EINVAL,
				 "%s line 1: a header but no rows "
				 "of samples%s",
				 a->path,
				 a->pick != NULL ? " for the process asked for"
						 : "");
	return 0;
}

/* A replay of rows into tmpl (or the verdicts pick returns), each
 * sample to fn too; the callers set what else they need. */
static void
replay_start(struct replay *a, struct verdict *tmpl, replay_pick_fn pick,
	     void *ctx, replay_sample_fn fn, void *fn_ctx)
{
	memset(a, 0, sizeof *a);
	a->v = tmpl;
	a->pick = pick;
	a->pick_ctx = ctx;
	a->fn = fn;
	a->ctx = fn_ctx;
}

static int
replay_pick_run(const char *path, struct verdict *tmpl, replay_pick_fn pick,
		void *ctx, replay_sample_fn fn, void *fn_ctx, bool raw_time,
		struct error *err)
{
	struct replay a;

	replay_start(&a, tmpl, pick, ctx, fn, fn_ctx);
	a.raw_time = raw_time;
	return replay_run(&a, path, err);
}

int
replay_file_pick(const char *path, struct verdict *tmpl, replay_pick_fn pick,
		 void *ctx, replay_sample_fn fn, void *fn_ctx,
		 struct error *err)
{
	return replay_pick_run(path, tmpl, pick, ctx, fn, fn_ctx, false, err);
}

int
replay_file_pick_raw(const char *path, struct verdict *tmpl,
		     replay_pick_fn pick, void *ctx, replay_sample_fn fn,
		     void *fn_ctx, struct error *err)
{
	return replay_pick_run(path, tmpl, pick, ctx, fn, fn_ctx, true, err);
}

int
replay_file_auto(const char *path, struct verdict *tmpl, replay_pick_fn pick,
		 void *ctx, replay_sample_fn fn, void *fn_ctx,
		 struct error *err)
{
	return replay_file_auto_about(path, tmpl, pick, ctx, fn, fn_ctx, NULL,
				      err);
}

int
replay_file_auto_about(const char *path, struct verdict *tmpl,
		       replay_pick_fn pick, void *ctx, replay_sample_fn fn,
		       void *fn_ctx, struct provenance *about,
		       struct error *err)
{
	struct replay a;

	if (about != NULL)
		memset(about, 0, sizeof *about);
	replay_start(&a, tmpl, pick, ctx, fn, fn_ctx);
	a.pick_auto = true;
	a.about = about;
	return replay_run(&a, path, err);
}

int
replay_file_metric(const char *path, struct verdict *tmpl, replay_pick_fn pick,
		   void *ctx, bool pick_auto, replay_sample_fn fn, void *fn_ctx,
		   struct error *err)
{
	struct replay a;

	replay_start(&a, tmpl, pick, ctx, fn, fn_ctx);
	a.pick_auto = pick_auto;
	a.fn_metric = true;
	return replay_run(&a, path, err);
}

int
replay_file_each(const char *path, struct verdict *v, replay_sample_fn fn,
		 void *ctx, struct error *err)
{
	struct replay a;

	replay_start(&a, v, NULL, NULL, fn, ctx);
	return replay_run(&a, path, err);
}

/* ---- regions CSVs ----------------------------------------------------- */

/* The columns read: four by name, then the region field table's. */
enum {
	RR_ELAPSED,
	RR_TIMESTAMP,
	RR_REGION,
	RR_KIND,
	RR_IDLE_METHOD,
	RR_FIELD, /* REGION_FIELD_COUNT of them */
	RR_COUNT = RR_FIELD + REGION_FIELD_COUNT
};

static const enum field_key replay_rr_keys[RR_FIELD] = {
    KEY_ELAPSED_S, KEY_TIMESTAMP, KEY_REGION, KEY_KIND, KEY_IDLE_METHOD,
};

struct replay_regions {
	const char *path; /* for messages */
	struct error *err;
	replay_sample_fn fn;
	void *ctx;
	long col[RR_COUNT]; /* -1: absent */
	size_t ncols, need;
	bool header;
	const char *time_name;
	unsigned long samples;
	double t, wall, t0;    /* the region sample being read */
	struct region_set cur; /* its regions */
	char idle_method[64];  /* the last one given; "" */
};

static int
replay_regions_header(struct replay_regions *rr, unsigned long line,
		      char **cells, size_t n)
{
	int c;

	for (c = 0; c < RR_COUNT; c++) {
		const char *name = c < RR_FIELD
				       ? field_keys[replay_rr_keys[c]].name
				       : region_fields[c - RR_FIELD].name;

		rr->col[c] = csv_column(cells, n, name);
		if (rr->col[c] >= 0 && (size_t)rr->col[c] + 1 > rr->need)
			rr->need = (size_t)rr->col[c] + 1;
	}
	rr->ncols = n;
	rr->time_name =
	    field_keys[rr->col[RR_ELAPSED] >= 0 ? KEY_ELAPSED_S : KEY_TIMESTAMP]
		.name;
	if (rr->col[RR_ELAPSED] < 0 && rr->col[RR_TIMESTAMP] < 0)
		return error_set(rr->err, EINVAL,
				 "%s line %lu: no elapsed_s or "
				 "timestamp column (is this a regions CSV from "
				 "--regions-csv?)",
				 rr->path, line);
	if (rr->col[RR_REGION] < 0)
		return error_set(rr->err, EINVAL,
				 "%s line %lu: no region column "
				 "(is this a regions CSV from --regions-csv?)",
				 rr->path, line);
	if (rr->col[RR_FIELD + RF_USS_KB] < 0 &&
	    rr->col[RR_FIELD + RF_RSS_KB] < 0)
		return error_set(rr->err, EINVAL,
				 "%s line %lu: no uss_kb or "
				 "rss_kb column",
				 rr->path, line);
	rr->header = true;
	return 0;
}

/* The row's time: elapsed_s, else seconds since the first timestamp. */
static int
replay_regions_time(struct replay_regions *rr, unsigned long line, char **cells,
		    double *t, double *wall)
{
	const char *ts;

	*wall = NAN;
	if (rr->col[RR_TIMESTAMP] >= 0) {
		ts = cells[rr->col[RR_TIMESTAMP]];
		if (replay_parse_time(ts, wall) < 0)
			return error_set(
			    rr->err, EINVAL,
			    "%s line %lu: "
			    "timestamp '%s' is not an ISO 8601 time (like "
			    "2026-11-18T11:06:40Z)",
			    rr->path, line, ts);
	}
	if (rr->col[RR_ELAPSED] >= 0)
		return replay_cell(rr->path, rr->err, line,
				   cells[rr->col[RR_ELAPSED]], rr->time_name,
				   false, t);
	if (rr->samples == 0 && rr->cur.n == 0)
		rr->t0 = *wall;
	*t = *wall - rr->t0;
	return 0;
}

/* Hands the region sample read so far to fn. */
static int
replay_regions_flush(struct replay_regions *rr)
{
	struct sample s;
	int rc;

	if (rr->cur.n == 0)
		return 0;
	sample_clear(&s);
	s.elapsed_s = rr->t;
	s.wall_s = rr->wall;
	rr->cur.idle_method =
	    rr->idle_method[0] != '\0' ? rr->idle_method : NULL;
	s.regions = &rr->cur;
	rr->samples++;
	rc = rr->fn(rr->ctx, &s);
	regions_reset(&rr->cur);
	return rc;
}

static enum region_kind
replay_region_kind(const char *name)
{
	int k;

	for (k = 0; k < REGION_KIND_COUNT; k++)
		if (strcmp(region_kind_names[k], name) == 0)
			return (enum region_kind)k;
	return REGION_OTHER;
}

static int
replay_regions_row(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct replay_regions *rr = ctx;
	enum region_kind kind;
	struct region *r;
	double t, wall;
	const char *m;
	int f, rc;

	if (!rr->header)
		return replay_regions_header(rr, line, cells, n);
	if (n < rr->need)
		return replay_short_row(rr->path, rr->err, line, n, rr->ncols);
	if ((rc = replay_regions_time(rr, line, cells, &t, &wall)) < 0)
		return rc;
	if (rr->cur.n > 0 && t < rr->t)
		return error_set(rr->err, EINVAL,
				 "%s line %lu: %s goes back "
				 "in time (rows must be in time order)",
				 rr->path, line, rr->time_name);
	if (rr->cur.n > 0 && t != rr->t && (rc = replay_regions_flush(rr)) != 0)
		return rc;
	rr->t = t;
	rr->wall = wall;
	kind = rr->col[RR_KIND] >= 0
		   ? replay_region_kind(cells[rr->col[RR_KIND]])
		   : REGION_OTHER;
	r = regions_append(&rr->cur, cells[rr->col[RR_REGION]], kind);
	for (f = 0; f < REGION_FIELD_COUNT; f++) {
		r->v[f] = NAN;
		if (rr->col[RR_FIELD + f] >= 0 &&
		    (rc = replay_cell(
			 rr->path, rr->err, line, cells[rr->col[RR_FIELD + f]],
			 region_fields[f].name, true, &r->v[f])) < 0)
			return rc;
	}
	m = rr->col[RR_IDLE_METHOD] >= 0 ? cells[rr->col[RR_IDLE_METHOD]] : "";
	if (m[0] != '\0')
		snprintf(rr->idle_method, sizeof rr->idle_method, "%s", m);
	return 0;
}

/* One regions CSV into rr.  A region sample is one write: when the
 * file's last row is cut short, the last sample with a whole row is left
 * out too -- the cut row is in it (a sample short of regions would read
 * as regions gone) or began the next, which cannot be told -- and cut
 * says so.  The daemon cuts its files the same way (csv.c). */
static int
replay_regions_read(struct replay_regions *rr, const char *path,
		    struct error *cut)
{
	int rc;

	rr->err->msg[0] = '\0';
	rc = csv_read(path, replay_regions_row, rr, rr->err);
	if (rc != 0 || rr->err->msg[0] == '\0')
		return rc;
	snprintf(cut->msg, sizeof cut->msg,
		 "%.400s, and the region sample before it", rr->err->msg);
	regions_reset(&rr->cur);
	return 0;
}

int
replay_regions_file(const char *path, replay_sample_fn fn, void *ctx,
		    struct error *err)
{
	struct replay_regions rr;
	struct error cut = {""}, was = *err; /* a notice: a cut last row */
	int rc;

	memset(&rr, 0, sizeof rr);
	rr.path = strcmp(path, "-") == 0 ? "standard input" : path;
	rr.err = err;
	rr.fn = fn;
	rr.ctx = ctx;
	if (csv_is_dir(path)) {
		char **paths;
		long n = csv_dir_list(path, true, &paths, err), i;

		rc = n < 0 ? (int)n : 0;
		for (i = 0; i < n && rc == 0; i++) {
			rr.path = paths[i];
			rr.header = false;
			rc = replay_regions_read(&rr, paths[i], &cut);
		}
		csv_dir_free(paths, n);
		rr.path = path;
	} else {
		rc = replay_regions_read(&rr, path, &cut);
	}
	if (rc == 0 && !rr.header)
		rc = error_set(err, EINVAL, "%s is empty: no header line",
			       rr.path);
	if (rc == 0 && rr.cur.n == 0 && rr.samples == 0)
		rc = error_set(err, EINVAL,
			       "%s: a header but no rows "
			       "of region samples",
			       rr.path);
	if (rc == 0)
		rc = replay_regions_flush(&rr);
	regions_free(&rr.cur);
	if (rc == 0 && cut.msg[0] != '\0' && was.msg[0] != '\0')
		snprintf(err->msg, sizeof err->msg, "%.250s; %.250s", was.msg,
			 cut.msg);
	else if (rc == 0)
		*err = cut.msg[0] != '\0' ? cut : was;
	return rc;
}

static int
replay_regions_track(void *ctx, const struct sample *s)
{
	regtrack_add(ctx, s);
	return 0;
}

int
replay_regions_evidence(const char *path, struct verdict *v, struct error *err)
{
	struct regtrack rt;
	int rc;

	regtrack_init(&rt);
	rc = replay_regions_file(path, replay_regions_track, &rt, err);
	if (rc == 0)
		regtrack_evidence(&rt, v);
	regtrack_free(&rt);
	return rc;
}

/* The number of the digits text[from] to text[to - 1]; -1: not all
 * digits. */
static int
replay_digits(const char *text, int from, int to)
{
	int v = 0;

	for (; from < to; from++) {
		if (text[from] < '0' || text[from] > '9')
			return -1;
		v = v * 10 + (text[from] - '0');
	}
	return v;
}

/* What the sscanf() of replay_parse_time() reads, for the form memtrend
 * writes ("2026-11-18T11:06:40.125Z": the digits where they are, the
 * seconds' fraction in digits, then the end or a zone): sscanf() was a
 * third of reading a CSV.  False: not that form (sscanf() decides). */
static bool
replay_time_fixed(const char *text, int *y, int *mo, int *d, int *h, int *mi,
		  double *sec, int *n)
{
	const char *q = text + 19;
	long long num, scale;
	int digits = 0;
	char *end;

	if (strnlen(text, 19) < 19 || text[4] != '-' || text[7] != '-' ||
	    (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
	    text[16] != ':' || (*y = replay_digits(text, 0, 4)) < 0 ||
	    (*mo = replay_digits(text, 5, 7)) < 0 ||
	    (*d = replay_digits(text, 8, 10)) < 0 ||
	    (*h = replay_digits(text, 11, 13)) < 0 ||
	    (*mi = replay_digits(text, 14, 16)) < 0 ||
	    replay_digits(text, 17, 19) < 0)
		return false;
	/* The seconds as whole ten-thousandths (say): an integer over a
	 * power of ten, both doubles exactly, so the quotient is the
	 * decimal correctly rounded -- strtod()'s value.  A longer
	 * fraction goes to strtod(). */
	num = replay_digits(text, 17, 19);
	if (*q == '.')
		for (q++; *q >= '0' && *q <= '9'; q++)
			if (++digits <= 13)
				num = num * 10 + (*q - '0');
	if (*q != '\0' && *q != 'Z' && *q != '+' && *q != '-')
		return false;
	if (digits <= 13) {
		for (scale = 1; digits-- > 0;)
			scale *= 10;
		*sec = (double)num / scale;
	} else {
		*sec = strtod(text + 17, &end);
		if (end != q)
			return false;
	}
	*n = (int)(q - text);
	return true;
}

/* Whether day d of month mo (1-12) of year y exists. */
static bool
replay_day_exists(int y, int mo, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	return d <= days[mo - 1] + (mo == 2 && leap);
}

/* Days from 1970-01-01 to y-mo-d in the proleptic Gregorian calendar
 * (timegm()'s; H. Hinnant, "chrono-Compatible Low-Level Date
 * Algorithms", days_from_civil): timegm() and gmtime_r() were a tenth
 * of reading a CSV. */
static long long
replay_days(int y, int mo, int d)
{
	long long era, yoe, doy;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int
replay_parse_time(const char *text, double *seconds)
{
	int y, mo, d, h, mi, n = 0, oh = 0, om = 0;
	const char *p;
	long long base;
	double sec;

	if (!replay_time_fixed(text, &y, &mo, &d, &h, &mi, &sec, &n) &&
	    (sscanf(text, "%4d-%2d-%2d%*1[T ]%2d:%2d:%lf%n", &y, &mo, &d, &h,
		    &mi, &sec, &n) != 6 ||
	     n == 0))
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || !(sec >= 0 && sec < 61))
		return -EINVAL;
	p = text + n;
	if (*p == 'Z' && p[1] == '\0') {
		p++;
	} else if ((*p == '+' || *p == '-') &&
		   (sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 ||
		    sscanf(p + 1, "%2d%2d", &oh, &om) == 2)) {
		/* Time zones run from -12:00 to +14:00. */
		if (oh < 0 || om < 0 || om > 59 ||
		    oh * 60 + om > (*p == '-' ? 12 : 14) * 60)
			return -EINVAL;
		if (*p == '-') {
			oh = -oh;
			om = -om;
		}
		p += strlen(p);
	}
	if (*p != '\0')
		return -EINVAL;
	/* A date that does not exist (Feb 31) is refused, not carried
	 * into the next month. */
	if (!replay_day_exists(y, mo, d))
		return -EINVAL;
	base = replay_days(y, mo, d) * 86400 + h * 3600 + mi * 60;
	*seconds = (double)base + sec - (oh * 3600.0 + om * 60.0);
	return 0;
}
