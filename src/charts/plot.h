/*
 * memtrend plot: growth charts from a run's CSV files, drawn by gnuplot
 * from the templates in plots/ (see gnuplot.h for how gnuplot and the
 * templates are found).
 *
 *   growth   RSS, PSS and USS over time; the fitted trend of the metric
 *            the verdict judged, its 95 % band and the floor points it
 *            was fitted to; a marker where growth was first flagged; the
 *            verdict sentence as the caption; page faults per second in
 *            a panel below when the CSV has minflt/majflt.
 *   regions  stacked areas of the regions that grew most (USS, or RSS),
 *            the rest as "other" (needs a regions CSV).
 *   idle     per region, idle % over time and the idle-age histogram at
 *            the end (needs a regions CSV with idle columns).
 *
 * The format follows the output's extension: .png, .svg or .pdf.
 */
#ifndef MEMTREND_PLOT_H
#define MEMTREND_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "charts/gnuplot.h"
#include "charts/series.h"
#include "util/error.h"

enum plot_chart {
	PLOT_AUTO, /* regions with a regions CSV, else growth */
	PLOT_GROWTH,
	PLOT_REGIONS,
	PLOT_IDLE,
};

enum plot_format {
	PLOT_PNG,
	PLOT_SVG,
	PLOT_PDF,
};

enum plot_time {
	PLOT_TIME_AUTO, /* wall clock for runs of 2 h or more */
	PLOT_TIME_ELAPSED,
	PLOT_TIME_WALL,
};

#define PLOT_WIDTH 1000
#define PLOT_HEIGHT 650
#define PLOT_TOP 5

/* How a chart looks, beyond the templates' own style. */
struct plot_style {
	unsigned int width, height; /* pixels (PDF: 1/100 inch) */
	enum plot_time time;
	size_t top; /* regions shown by name */
};

struct plot_opts {
	const char *csv;	 /* the samples CSV */
	const char *regions_csv; /* NULL: none */
	const char *out;
	enum plot_chart chart;
	int metric;	  /* VERDICT_AUTO or a field id */
	bool daily_cycle; /* one is possible (default) */
	long pid;	  /* of a long-format CSV; SERIES_AUTO_PID: a sum */
	const char *caches_csv; /* memtrend kernel --caches-csv: stacked */
	bool force;
	const char *templates; /* searched first; NULL */
	struct plot_style style;
};

void plot_opts_init(struct plot_opts *o);

/* Whether path is a memtrend kernel CSV (its header has
 * slab_unreclaim_kb and no process sizes). */
bool plot_is_kernel_csv(const char *path);
/* The kernel charts (plot-kernel.c): the kernel's series of o->csv, or
 * with o->caches_csv the caches and callers that grew most, stacked. */
int plot_kernel_run(const struct plot_opts *o, struct error *err);

/* "growth", "regions", "idle" to a chart; -EINVAL for anything else. */
int plot_parse_chart(const char *text, enum plot_chart *chart,
		     struct error *err);
/* "auto", "elapsed", "wall". */
int plot_parse_time(const char *text, enum plot_time *time, struct error *err);
/* "1000x650". */
int plot_parse_size(const char *text, struct plot_style *style,
		    struct error *err);

/* The format of a chart file, from its name's extension. */
int plot_format_of(const char *path, enum plot_format *fmt, struct error *err);

/* What can be checked before a long run: the output's extension, that
 * its directory exists, that it does not exist (unless force), and that
 * gnuplot is there. */
int plot_check(const char *out, bool force, struct error *err);

/* memtrend plot: reads the CSVs and draws the chart o asks for. */
int plot_run(const struct plot_opts *o, struct error *err);

/* Whether a chart can be drawn from these series (rs may be NULL);
 * -EINVAL saying what is missing. */
int plot_can_draw(enum plot_chart chart, const struct series *s,
		  const struct series_regions *rs, struct error *err);

/* Draws one chart into out (any path: the report's go to g's temporary
 * directory). */
int plot_draw(struct gnuplot *g, enum plot_chart chart, const struct series *s,
	      const struct series_regions *rs, const struct plot_style *style,
	      enum plot_format fmt, const char *out, struct error *err);

#endif
