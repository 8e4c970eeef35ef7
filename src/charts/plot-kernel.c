/*
 * The kernel charts, from memtrend kernel's CSVs (DESIGN.md, "Wide
 * views"): the kernel's own memory over time (plots/kernel.gp), and the
 * slab caches and vmalloc callers that grew most, stacked
 * (plots/regions.gp, the regions chart's template).  Cache names come
 * from outside (a module can name a cache): gnuplot gets them in a data
 * file's header row, never in a command.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/plot-common.h"
#include "charts/plot.h"
#include "core/kernel.h"
#include "util/csvread.h"
#include "util/output.h"
#include "util/units.h"
#include "util/xmalloc.h"

/* The series drawn, bottom of the legend last. */
static const enum kfield_id plot_kernel_lines[] = {
    KF_SLAB_UNRECLAIM_KB, KF_SLAB_RECLAIMABLE_KB, KF_VMALLOC_USED_KB,
    KF_PERCPU_KB,	  KF_KERNEL_STACK_KB,	  KF_PAGE_TABLES_KB,
    KF_UNACCOUNTED_KB,
};
#define PLOT_KERNEL_NLINES                                                     \
	(sizeof plot_kernel_lines / sizeof plot_kernel_lines[0])
static const char *const plot_kernel_names[PLOT_KERNEL_NLINES] = {
    "slab, unreclaimable", "slab, reclaimable", "vmalloc",     "percpu",
    "kernel stacks",	   "page tables",	"unaccounted",
};

/* A CSV read into columns of doubles: time, then the wanted ones. */
struct plot_table {
	const char *path;
	struct error *err;
	long time_col, col[KF_COUNT];
	double *t, *v[KF_COUNT];
	size_t n, cap;
	bool header;
	/* The caches CSV: one row per cache per sample. */
	bool caches;
	long kind_col, name_col, kb_col;
	char **names; /* "slab kmalloc-256" */
	size_t nnames;
	double **kb; /* kb[name][time] */
};

static int
plot_table_number(const struct plot_table *tb, unsigned long line,
		  const char *cell, double *out, struct error *err)
{
	char *end;

	if (*cell == '\0') {
		*out = NAN;
		return 0;
	}
	errno = 0;
	*out = strtod(cell, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*out))
		return error_set(err, EINVAL,
				 "%s line %lu: '%s' is not a number", tb->path,
				 line, cell);
	return 0;
}

static void
plot_table_grow(struct plot_table *tb)
{
	size_t i;

	if (tb->n < tb->cap)
		return;
	tb->cap = tb->cap ? tb->cap * 2 : 256;
	tb->t = xreallocarray(tb->t, tb->cap, sizeof *tb->t);
	for (i = 0; i < KF_COUNT; i++)
		if (!tb->caches && tb->col[i] >= 0)
			tb->v[i] =
			    xreallocarray(tb->v[i], tb->cap, sizeof *tb->v[i]);
	for (i = 0; i < tb->nnames; i++)
		tb->kb[i] =
		    xreallocarray(tb->kb[i], tb->cap, sizeof *tb->kb[i]);
}

/* The caches row's series (made on first sight, unknown before). */
static size_t
plot_table_name(struct plot_table *tb, const char *kind, const char *name)
{
	char full[300];
	size_t i, k;

	snprintf(full, sizeof full, "%s %s", kind, name);
	for (i = 0; i < tb->nnames; i++)
		if (strcmp(tb->names[i], full) == 0)
			return i;
	tb->names = xreallocarray(tb->names, tb->nnames + 1, sizeof *tb->names);
	tb->kb = xreallocarray(tb->kb, tb->nnames + 1, sizeof *tb->kb);
	tb->names[i] = xstrdup(full);
	tb->kb[i] = xcalloc(tb->cap ? tb->cap : 1, sizeof *tb->kb[i]);
	for (k = 0; k < tb->n; k++)
		tb->kb[i][k] = NAN;
	tb->nnames++;
	return i;
}

static int
plot_table_header(struct plot_table *tb, char **cells, size_t n,
		  struct error *err)
{
	size_t i;

	tb->header = true;
	tb->time_col = csv_column(cells, n, "elapsed_s");
	if (tb->time_col < 0)
		return error_set(err, EINVAL, "%s line 1: no elapsed_s column",
				 tb->path);
	if (tb->caches) {
		tb->kind_col = csv_column(cells, n, "kind");
		tb->name_col = csv_column(cells, n, "name");
		tb->kb_col = csv_column(cells, n, "kb");
		if (tb->kind_col < 0 || tb->name_col < 0 || tb->kb_col < 0)
			return error_set(err, EINVAL,
					 "%s line 1: not a memtrend kernel "
					 "--caches-csv file (it needs kind, "
					 "name and kb columns)",
					 tb->path);
		return 0;
	}
	for (i = 0; i < KF_COUNT; i++)
		tb->col[i] = csv_column(cells, n, kfields[i].name);
	if (tb->col[KF_SLAB_UNRECLAIM_KB] < 0)
		return error_set(err, EINVAL,
				 "%s line 1: not a memtrend kernel CSV "
				 "(no slab_unreclaim_kb column)",
				 tb->path);
	return 0;
}

static int
plot_table_row(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct plot_table *tb = ctx;
	double t, kb;
	size_t i;
	int rc;

	if (!tb->header)
		return plot_table_header(tb, cells, n, tb->err);
	if ((size_t)tb->time_col >= n)
		return error_set(tb->err, EINVAL, "%s line %lu: too few cells",
				 tb->path, line);
	if ((rc = plot_table_number(tb, line, cells[tb->time_col], &t,
				    tb->err)) < 0)
		return rc;
	if (isnan(t) || (tb->n > 0 && t < tb->t[tb->n - 1]))
		return error_set(tb->err, EINVAL,
				 "%s line %lu: elapsed_s is empty or goes back",
				 tb->path, line);
	if (tb->caches) {
		if ((size_t)tb->kind_col >= n || (size_t)tb->name_col >= n ||
		    (size_t)tb->kb_col >= n)
			return error_set(tb->err, EINVAL,
					 "%s line %lu: too few cells", tb->path,
					 line);
		if ((rc = plot_table_number(tb, line, cells[tb->kb_col], &kb,
					    tb->err)) < 0)
			return rc;
		/* A new time: a new row of every series. */
		if (tb->n == 0 || t > tb->t[tb->n - 1]) {
			plot_table_grow(tb);
			tb->t[tb->n] = t;
			for (i = 0; i < tb->nnames; i++)
				tb->kb[i][tb->n] = NAN;
			tb->n++;
		}
		i = plot_table_name(tb, cells[tb->kind_col],
				    cells[tb->name_col]);
		tb->kb[i][tb->n - 1] = kb;
		return 0;
	}
	plot_table_grow(tb);
	tb->t[tb->n] = t;
	for (i = 0; i < KF_COUNT; i++) {
		if (tb->col[i] < 0)
			continue;
		if ((size_t)tb->col[i] >= n)
			return error_set(tb->err, EINVAL,
					 "%s line %lu: too few cells", tb->path,
					 line);
		if ((rc = plot_table_number(tb, line, cells[tb->col[i]],
					    &tb->v[i][tb->n], tb->err)) < 0)
			return rc;
	}
	tb->n++;
	return 0;
}

static void
plot_table_free(struct plot_table *tb)
{
	size_t i;

	free(tb->t);
	for (i = 0; i < KF_COUNT; i++)
		free(tb->v[i]);
	for (i = 0; i < tb->nnames; i++) {
		free(tb->names[i]);
		free(tb->kb[i]);
	}
	free(tb->names);
	free(tb->kb);
}

static int
plot_table_load(struct plot_table *tb, const char *path, bool caches,
		struct error *err)
{
	size_t i;
	int rc;

	memset(tb, 0, sizeof *tb);
	tb->path = path;
	tb->err = err;
	tb->caches = caches;
	for (i = 0; i < KF_COUNT; i++)
		tb->col[i] = -1;
	rc = csv_read(path, plot_table_row, tb, err);
	if (rc == 0 && tb->n < 2)
		rc = error_set(err, EINVAL,
			       "%s: %s; a chart needs two samples at least",
			       path, tb->n == 0 ? "no samples" : "one sample");
	if (rc < 0)
		plot_table_free(tb);
	return rc;
}

/* Stops the read at the header: 1 for memtrend kernel's, 2 otherwise. */
static int
plot_kernel_header(void *ctx, unsigned long line, char **cells, size_t n)
{
	(void)ctx;
	(void)line;
	return csv_column(cells, n, kfields[KF_SLAB_UNRECLAIM_KB].name) >= 0 &&
		       csv_column(cells, n, "uss_kb") < 0 &&
		       csv_column(cells, n, "rss_kb") < 0
		   ? 1
		   : 2;
}

bool
plot_is_kernel_csv(const char *path)
{
	struct error err;

	return strcmp(path, "-") != 0 &&
	       csv_read(path, plot_kernel_header, NULL, &err) == 1;
}

/* The kernel's series, one line each, over time. */
static int
plot_kernel_data(struct gnuplot *g, const struct plot_table *tb,
		 struct error *err)
{
	double max_kb = 0, v;
	const char *path;
	size_t i, k;
	FILE *fp;
	int rc;

	if ((rc = gnuplot_tmp_create(g, "kernel.dat", &fp, &path, err)) < 0)
		return rc;
	gnuplot_param_str(g, "kernel", path);
	fprintf(fp, "x");
	for (i = 0; i < PLOT_KERNEL_NLINES; i++)
		fprintf(fp, "\t%s", plot_kernel_names[i]);
	fputc('\n', fp);
	for (k = 0; k < tb->n; k++) {
		fprintf(fp, "%.10g", tb->t[k]);
		for (i = 0; i < PLOT_KERNEL_NLINES; i++) {
			enum kfield_id f = plot_kernel_lines[i];

			v = tb->col[f] >= 0 ? tb->v[f][k] : NAN;
			fputc('\t', fp);
			plot_cell(fp, v);
			if (v > max_kb)
				max_kb = v;
		}
		fputc('\n', fp);
	}
	if ((rc = plot_close_data(fp, path, err)) < 0)
		return rc;
	plot_params_unit(g, max_kb);
	gnuplot_param_num(g, "lines", (double)PLOT_KERNEL_NLINES);
	gnuplot_param_num(g, "xmin", tb->t[0]);
	gnuplot_param_num(g, "xmax", tb->t[tb->n - 1]);
	return 0;
}

/* Growth of a cache over the run: last known minus first known. */
static double
plot_cache_growth(const struct plot_table *tb, size_t i)
{
	double first = NAN, last = NAN;
	size_t k;

	for (k = 0; k < tb->n; k++) {
		if (isnan(tb->kb[i][k]))
			continue;
		if (isnan(first))
			first = tb->kb[i][k];
		last = tb->kb[i][k];
	}
	return last - first;
}

static int
plot_cmp_growth(const void *a_, const void *b_, void *tb_)
{
	double a = plot_cache_growth(tb_, *(const size_t *)a_);
	double b = plot_cache_growth(tb_, *(const size_t *)b_);

	a = isnan(a) ? -INFINITY : a;
	b = isnan(b) ? -INFINITY : b;
	return a > b ? -1 : a < b;
}

/* The caches that grew most, stacked, the rest as "other". */
static int
plot_caches_data(struct gnuplot *g, const struct plot_table *tb,
		 const struct plot_style *st, size_t *named, struct error *err)
{
	size_t *order = xcalloc(tb->nnames + 1, sizeof *order), ntop, i, j, k;
	bool *in_top = xcalloc(tb->nnames + 1, sizeof *in_top);
	double sum, other, max_kb = 0;
	char growth[32];
	const char *path;
	FILE *fp;
	int rc;

	for (i = 0; i < tb->nnames; i++)
		order[i] = i;
	qsort_r(order, tb->nnames, sizeof *order, plot_cmp_growth, (void *)tb);
	ntop = tb->nnames < st->top ? tb->nnames : st->top;
	while (ntop > 0 && !(plot_cache_growth(tb, order[ntop - 1]) > 0))
		ntop--;
	for (j = 0; j < ntop; j++)
		in_top[order[j]] = true;
	if ((rc = gnuplot_tmp_create(g, "regions.dat", &fp, &path, err)) < 0)
		goto out;
	gnuplot_param_str(g, "regions", path);
	fprintf(fp, "x\tother");
	for (j = ntop; j > 0; j--) {
		char name[300], safe[300];

		units_format_kib(growth, sizeof growth,
				 plot_cache_growth(tb, order[j - 1]), false,
				 true);
		units_escape_text(name, sizeof name, tb->names[order[j - 1]]);
		plot_header_text(safe, sizeof safe, name);
		fprintf(fp, "\t%s  %s", safe, growth);
	}
	fputc('\n', fp);
	for (k = 0; k < tb->n; k++) {
		other = 0;
		for (i = 0; i < tb->nnames; i++)
			if (!in_top[i] && !isnan(tb->kb[i][k]))
				other += tb->kb[i][k];
		fprintf(fp, "%.10g\t%.10g", tb->t[k], other);
		sum = other;
		for (j = ntop; j > 0; j--) {
			double kb = tb->kb[order[j - 1]][k];

			sum += isnan(kb) ? 0 : kb;
			fprintf(fp, "\t%.10g", sum);
		}
		fputc('\n', fp);
		max_kb = fmax(max_kb, sum);
	}
	if ((rc = plot_close_data(fp, path, err)) < 0)
		goto out;
	plot_params_unit(g, max_kb);
	gnuplot_param_num(g, "xmin", tb->t[0]);
	gnuplot_param_num(g, "xmax", tb->t[tb->n - 1]);
	gnuplot_param_num(g, "bands", (double)ntop + 1);
	gnuplot_param_str(g, "metric", "held");
	*named = ntop;
out:
	free(order);
	free(in_top);
	return rc;
}

int
plot_kernel_run(const struct plot_opts *o, struct error *err)
{
	const char *csv = o->caches_csv != NULL ? o->caches_csv : o->csv;
	struct gnuplot *g = NULL;
	struct plot_table tb;
	struct plot_axis ax;
	enum plot_format fmt;
	struct output out;
	const char *template;
	char title[512], caption[512], span[32];
	size_t named = 0;
	int rc;

	if ((rc = plot_format_of(o->out, &fmt, err)) < 0 ||
	    (rc = output_check(o->out, o->force, err)) < 0)
		return rc;
	if ((rc = plot_table_load(&tb, csv, o->caches_csv != NULL, err)) < 0)
		return rc;
	/* The kernel CSVs have no wall clock column the axis may use. */
	plot_axis_init(&ax, PLOT_TIME_ELAPSED, false, tb.t[tb.n - 1] - tb.t[0]);
	rc = gnuplot_open(&g, o->templates, err);
	if (rc == 0 && (rc = output_open(&out, o->out, o->force, err)) == 0) {
		rc = plot_params_common(g, &o->style, fmt, out.tmp, &ax, err);
		units_format_duration(span, sizeof span,
				      tb.t[tb.n - 1] - tb.t[0]);
		if (rc == 0 && o->caches_csv != NULL) {
			rc = plot_caches_data(g, &tb, &o->style, &named, err);
			snprintf(title, sizeof title,
				 "%s: slab caches and vmalloc callers",
				 plot_basename(csv));
			snprintf(caption, sizeof caption,
				 "Stacked: the %zu cache%s and caller%s that "
				 "grew most over %s, the most on top; the "
				 "other %zu as \"other\" at the bottom.",
				 named, named == 1 ? "" : "s",
				 named == 1 ? "" : "s", span,
				 tb.nnames - named);
		} else if (rc == 0) {
			rc = plot_kernel_data(g, &tb, err);
			snprintf(title, sizeof title,
				 "%s: the kernel's own memory",
				 plot_basename(csv));
			snprintf(caption, sizeof caption,
				 "From /proc/meminfo over %s (%zu samples); "
				 "unaccounted is MemTotal less every counter "
				 "that explains memory.",
				 span, tb.n);
		}
		gnuplot_param_str(g, "title", title);
		gnuplot_param_str(g, "caption", caption);
		if (rc == 0)
			rc = gnuplot_template(
			    g,
			    o->caches_csv != NULL ? "regions.gp" : "kernel.gp",
			    &template, err);
		if (rc == 0)
			rc = gnuplot_run(g, template, err);
		if (rc == 0)
			rc = output_commit(&out, err);
		output_close(&out);
	}
	gnuplot_close(g);
	plot_table_free(&tb);
	return rc;
}
