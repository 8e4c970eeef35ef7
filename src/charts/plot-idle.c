/*
 * The idle chart (plots/idle.gp): per region, idle % over time and the
 * idle-age histogram at the end.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/plot-common.h"
#include "charts/plot.h"
#include "util/units.h"
#include "util/xmalloc.h"

static bool
plot_has_idle(const struct series_regions *rs, const struct series_region *r)
{
	size_t k;

	if (r->has_ages)
		return true;
	for (k = 0; k < rs->nt; k++)
		if (!isnan(r->idle_pct[k]))
			return true;
	return false;
}

/* Resident size at the end, for ranking; unknown last. */
static int
plot_cmp_rss(const void *a_, const void *b_, void *rs_)
{
	const struct series_regions *rs = rs_;
	double a = rs->r[*(const size_t *)a_].rss_kb[rs->nt - 1];
	double b = rs->r[*(const size_t *)b_].rss_kb[rs->nt - 1];

	a = isnan(a) ? -1 : a;
	b = isnan(b) ? -1 : b;
	return a > b ? -1 : a < b;
}

/* Up to n regions with idle data, largest resident size first. */
static size_t
plot_idle_regions(const struct series_regions *rs, size_t *out, size_t n)
{
	size_t *all = xcalloc(rs->n + 1, sizeof *all), i, m = 0;

	for (i = 0; i < rs->n; i++)
		if (plot_has_idle(rs, &rs->r[i]))
			all[m++] = i;
	qsort_r(all, m, sizeof *all, plot_cmp_rss, (void *)rs);
	if (m > n)
		m = n;
	memcpy(out, all, m * sizeof *out);
	free(all);
	return m;
}

static int
plot_write_idle(struct gnuplot *g, const struct series_regions *rs,
		const struct plot_axis *ax, const size_t *sel, size_t n,
		struct error *err)
{
	char label[256];
	const char *path;
	size_t k, j;
	bool any;
	FILE *fp;
	int rc;

	if ((rc = gnuplot_tmp_create(g, "idle.dat", &fp, &path, err)) < 0)
		return rc;
	gnuplot_param_str(g, "idle", path);
	fprintf(fp, "x");
	for (j = 0; j < n; j++) {
		plot_region_label(&rs->r[sel[j]], label, sizeof label);
		fprintf(fp, "\t%s", label);
	}
	fputc('\n', fp);
	for (k = 0; k < rs->nt; k++) {
		for (j = 0, any = false; j < n; j++)
			any |= !isnan(rs->r[sel[j]].idle_pct[k]);
		if (!any)
			continue;
		fprintf(fp, "%.10g", plot_region_x(ax, rs, k));
		for (j = 0; j < n; j++)
			plot_cell(fp, rs->r[sel[j]].idle_pct[k]);
		fputc('\n', fp);
	}
	return plot_close_data(fp, path, err);
}

/* One bar per region: accessed, then idle by age; cumulative ends. */
static int
plot_write_ages(struct gnuplot *g, const struct series_regions *rs,
		const size_t *sel, size_t n, double *max_kb, struct error *err)
{
	const struct series_region *r;
	double sum, idle;
	char label[256];
	const char *path;
	size_t j;
	FILE *fp;
	int a, rc;

	if ((rc = gnuplot_tmp_create(g, "ages.dat", &fp, &path, err)) < 0)
		return rc;
	gnuplot_param_str(g, "ages", path);
	fprintf(fp, "i\tregion\taccessed");
	for (a = 0; a < SERIES_NAGES; a++)
		fprintf(fp, "\tidle %s", field_idle_age_labels[a]);
	fputc('\n', fp);
	*max_kb = 0;
	for (j = 0; j < n; j++) {
		r = &rs->r[sel[j]];
		if (!r->has_ages)
			continue;
		for (a = 0, idle = 0; a < SERIES_NAGES; a++)
			idle += isnan(r->age_kb[a]) ? 0 : r->age_kb[a];
		plot_region_label(r, label, sizeof label);
		sum = isnan(r->age_rss_kb) ? 0 : fmax(0, r->age_rss_kb - idle);
		fprintf(fp, "%zu\t%s\t%.10g", j, label, sum);
		for (a = 0; a < SERIES_NAGES; a++) {
			sum += isnan(r->age_kb[a]) ? 0 : r->age_kb[a];
			fprintf(fp, "\t%.10g", sum);
		}
		fputc('\n', fp);
		*max_kb = fmax(*max_kb, sum);
	}
	return plot_close_data(fp, path, err);
}

int
plot_idle(struct gnuplot *g, const struct series *s,
	  const struct series_regions *rs, const struct plot_style *st,
	  const struct plot_axis *ax, struct error *err)
{
	size_t *sel = xcalloc(st->top + 1, sizeof *sel), n;
	char caption[512], scan[64], when[32], method[80], title[512],
	    name[400], *wrapped;
	double max_kb;
	int rc;

	n = plot_idle_regions(rs, sel, st->top);
	if ((rc = plot_write_idle(g, rs, ax, sel, n, err)) < 0 ||
	    (rc = plot_write_ages(g, rs, sel, n, &max_kb, err)) < 0) {
		free(sel);
		return rc;
	}
	free(sel);
	plot_params_unit(g, max_kb);
	gnuplot_param_num(g, "xmin", plot_region_x(ax, rs, 0));
	gnuplot_param_num(g, "xmax", plot_region_x(ax, rs, rs->nt - 1));
	gnuplot_param_num(g, "nregions", (double)n);
	plot_run_name(s, name, sizeof name);
	snprintf(title, sizeof title, "%s: idle memory by region", name);
	gnuplot_param_str(g, "title", title);
	scan[0] = method[0] = '\0';
	if (!isnan(rs->idle_scan_s)) {
		units_format_duration(when, sizeof when, rs->idle_scan_s);
		snprintf(scan, sizeof scan, ", a scan every %s", when);
	}
	if (rs->idle_method[0] != '\0')
		snprintf(method, sizeof method, " (%s)", rs->idle_method);
	snprintf(
	    caption, sizeof caption,
	    "Idle: resident pages not accessed "
	    "since the previous scan%s%s; the %zu largest regions with idle "
	    "data.",
	    scan, method, n);
	wrapped = plot_wrap(caption, plot_caption_chars(st));
	gnuplot_param_str(g, "caption", wrapped);
	free(wrapped);
	return 0;
}
