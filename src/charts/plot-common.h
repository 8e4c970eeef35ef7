/*
 * What the chart files (plot-growth.c, plot-regions.c, plot-idle.c)
 * share: the time axis, gnuplot parameters every chart sets, labels, and
 * the data-file cells (plot-common.c).  Internal to charts/.
 */
#ifndef MEMTREND_CHARTS_PLOT_COMMON_H
#define MEMTREND_CHARTS_PLOT_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "charts/gnuplot.h"
#include "charts/plot.h"
#include "charts/series.h"
#include "util/error.h"

#define PLOT_MAX_ROWS 4000 /* beyond: min/max per bucket of rows */
#define PLOT_WALL_S 7200.0 /* runs this long get a wall-clock axis */
#define PLOT_FIT_POINTS 64
#define PLOT_LABEL 40 /* longest region label, in characters */

/* "png", "svg", "pdf": the output extensions and gnuplot terminals. */
extern const char *const plot_format_names[];

/* The time axis: elapsed time in a unit that suits the span, or wall
 * clock (UTC) for long runs. */
struct plot_axis {
	bool wall;
	double x_per_unit; /* elapsed seconds per axis unit */
	const char *label;
	const char *format; /* wall: strftime-like, gnuplot's */
};

void plot_axis_init(struct plot_axis *ax, enum plot_time mode, bool has_wall,
		    double span_s);
/* Parameters every template takes. */
int plot_params_common(struct gnuplot *g, const struct plot_style *st,
		       enum plot_format fmt, const char *out,
		       const struct plot_axis *ax, struct error *err);
/* The memory unit that suits values up to max_kb. */
void plot_params_unit(struct gnuplot *g, double max_kb);
/* text with a newline instead of the last space before every width
 * characters (counting UTF-8 sequences once). */
char *plot_wrap(const char *text, size_t width);
/* A region's name as a legend shows it: a file's base name and part,
 * at most PLOT_LABEL characters (the end kept, where names differ). */
void plot_region_label(const struct series_region *r, char *buf, size_t len);
const char *plot_basename(const char *path);
/* text as a header cell of a data file gnuplot reads (columnheader):
 * tabs and newlines as spaces, '"' (which would end the cell) as U+201D. */
void plot_header_text(char *buf, size_t len, const char *text);
/* One value cell: '?' is gnuplot's "missing" (the line goes on). */
void plot_cell(FILE *fp, double v);
int plot_close_data(FILE *fp, const char *path, struct error *err);
/* The x of a region sample k on the axis. */
double plot_region_x(const struct plot_axis *ax,
		     const struct series_regions *rs, size_t k);

/* The charts, each drawn into g's data and parameters. */
int plot_growth(struct gnuplot *g, const struct series *s,
		const struct plot_style *st, const struct plot_axis *ax,
		struct error *err);
int plot_regions(struct gnuplot *g, const struct series_regions *rs,
		 const struct plot_style *st, const struct plot_axis *ax,
		 struct error *err);
int plot_idle(struct gnuplot *g, const struct series_regions *rs,
	      const struct plot_style *st, const struct plot_axis *ax,
	      struct error *err);

#endif
