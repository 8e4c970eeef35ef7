/*
 * The regions chart (plots/regions.gp): stacked areas of the regions that
 * grew most, the rest as "other".
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

/* Whether a region sample can be stacked: every region in it known. */
static bool
plot_stackable(const struct series_regions *rs, size_t k)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (isnan(rs->r[i].kb[k]) && !isnan(rs->r[i].rss_kb[k]))
			return false;
	return true;
}

static double
plot_kb_or_zero(const struct series_region *r, size_t k)
{
	return isnan(r->kb[k]) ? 0 : r->kb[k];
}

/* A region's growth over the run as the summary ranks it. */
static double
plot_region_growth(const struct series_regions *rs, size_t i)
{
	const struct regtrack_entry *e =
	    regtrack_find(&rs->track, rs->r[i].name, rs->r[i].kind);

	return e != NULL ? regtrack_growth_kb(e) : NAN;
}

/* The stack's tops, bottom to top: "other", then the top regions from
 * the least growth to the most. */
int
plot_regions(struct gnuplot *g, const struct series *s,
	     const struct series_regions *rs, const struct plot_style *st,
	     const struct plot_axis *ax, struct error *err)
{
	size_t *top = xcalloc(st->top + 1, sizeof *top), ntop, i, k, j;
	char label[512], name[400], caption[512], span[32], growth[32];
	char *wrapped;
	double sum, other, max_kb = 0;
	bool *in_top = xcalloc(rs->n + 1, sizeof *in_top);
	const char *path;
	FILE *fp;
	int rc;

	ntop = series_regions_top(rs, top, st->top);
	/* Regions that did not grow are not named: they add up in "other". */
	while (ntop > 1 && !(plot_region_growth(rs, top[ntop - 1]) > 0))
		ntop--;
	for (j = 0; j < ntop; j++)
		in_top[top[j]] = true;
	if ((rc = gnuplot_tmp_create(g, "regions.dat", &fp, &path, err)) < 0)
		goto out;
	gnuplot_param_str(g, "regions", path);
	fprintf(fp, "x\tother");
	for (j = ntop; j > 0; j--) {
		plot_region_label(&rs->r[top[j - 1]], label, sizeof label);
		units_format_kib(growth, sizeof growth,
				 plot_region_growth(rs, top[j - 1]), false,
				 true);
		fprintf(fp, "\t%s  %s", label, growth);
	}
	fputc('\n', fp);
	for (k = 0; k < rs->nt; k++) {
		if (!plot_stackable(rs, k))
			continue;
		other = 0;
		for (i = 0; i < rs->n; i++)
			if (!in_top[i])
				other += plot_kb_or_zero(&rs->r[i], k);
		fprintf(fp, "%.10g\t%.10g", plot_region_x(ax, rs, k), other);
		sum = other;
		for (j = ntop; j > 0; j--) {
			sum += plot_kb_or_zero(&rs->r[top[j - 1]], k);
			fprintf(fp, "\t%.10g", sum);
		}
		fputc('\n', fp);
		max_kb = fmax(max_kb, sum);
	}
	if ((rc = plot_close_data(fp, path, err)) < 0)
		goto out;
	plot_params_unit(g, max_kb);
	gnuplot_param_num(g, "xmin", plot_region_x(ax, rs, 0));
	gnuplot_param_num(g, "xmax", plot_region_x(ax, rs, rs->nt - 1));
	gnuplot_param_num(g, "bands", (double)ntop + 1);
	gnuplot_param_str(g, "metric", rs->uss ? "USS" : "RSS");
	plot_run_name(s, name, sizeof name);
	snprintf(label, sizeof label, "%s: %s by region", name,
		 rs->uss ? "USS" : "RSS");
	gnuplot_param_str(g, "title", label);
	units_format_duration(span, sizeof span,
			      rs->nt > 0 ? rs->t[rs->nt - 1] - rs->t[0] : 0);
	snprintf(caption, sizeof caption,
		 "Stacked: the %zu region%s that "
		 "grew most over %s (%lu region samples), the most on top; the "
		 "other %zu as \"other\" at the bottom.",
		 ntop, ntop == 1 ? "" : "s", span, rs->track.samples,
		 rs->n - ntop);
	wrapped = plot_wrap(caption, plot_caption_chars(st));
	gnuplot_param_str(g, "caption", wrapped);
	free(wrapped);
out:
	free(top);
	free(in_top);
	return rc;
}
