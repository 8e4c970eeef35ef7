/*
 * The charts (see plot.h).  For each one memtrend writes the data gnuplot
 * draws -- tab-separated, with a header of series names -- into the
 * temporary directory, sets the template's parameters (what to draw, the
 * units, the words) and runs it.  The templates say what their
 * parameters and data columns are; the drawing itself is theirs.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/plot-common.h"
#include "charts/plot.h"
#include "util/output.h"
#include "util/units.h"
#include "util/xmalloc.h"

static const char *const plot_chart_names[] = {
    [PLOT_AUTO] = "auto",
    [PLOT_GROWTH] = "growth",
    [PLOT_REGIONS] = "regions",
    [PLOT_IDLE] = "idle",
};

void
plot_opts_init(struct plot_opts *o)
{
	memset(o, 0, sizeof *o);
	o->chart = PLOT_AUTO;
	o->metric = -1; /* VERDICT_AUTO */
	o->daily_cycle = true;
	o->pid = -1; /* SERIES_AUTO_PID: a set's sum */
	o->style.width = PLOT_WIDTH;
	o->style.height = PLOT_HEIGHT;
	o->style.time = PLOT_TIME_AUTO;
	o->style.top = PLOT_TOP;
}

int
plot_parse_chart(const char *text, enum plot_chart *chart, struct error *err)
{
	int i;

	for (i = PLOT_GROWTH; i <= PLOT_IDLE; i++) {
		if (strcmp(text, plot_chart_names[i]) == 0) {
			*chart = (enum plot_chart)i;
			return 0;
		}
	}
	return error_set(err, EINVAL,
			 "invalid chart '%s' (use growth, "
			 "regions or idle)",
			 text);
}

int
plot_parse_time(const char *text, enum plot_time *time, struct error *err)
{
	if (strcmp(text, "auto") == 0)
		*time = PLOT_TIME_AUTO;
	else if (strcmp(text, "elapsed") == 0)
		*time = PLOT_TIME_ELAPSED;
	else if (strcmp(text, "wall") == 0)
		*time = PLOT_TIME_WALL;
	else
		return error_set(err, EINVAL,
				 "invalid time axis '%s' (use "
				 "auto, elapsed or wall)",
				 text);
	return 0;
}

int
plot_parse_size(const char *text, struct plot_style *style, struct error *err)
{
	unsigned int w, h;
	int n = 0;

	if (sscanf(text, "%4u%*1[xX]%4u%n", &w, &h, &n) != 2 ||
	    text[n] != '\0' || w < 320 || h < 240 || w > 8000 || h > 8000)
		return error_set(err, EINVAL,
				 "invalid size '%s' (use WIDTHx"
				 "HEIGHT in pixels, from 320x240 to 8000x8000)",
				 text);
	style->width = w;
	style->height = h;
	return 0;
}

int
plot_format_of(const char *path, enum plot_format *fmt, struct error *err)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	int i;

	if (dot != NULL && (slash == NULL || dot > slash)) {
		for (i = PLOT_PNG; i <= PLOT_PDF; i++) {
			if (strcasecmp(dot + 1, plot_format_names[i]) == 0) {
				*fmt = (enum plot_format)i;
				return 0;
			}
		}
	}
	return error_set(err, EINVAL,
			 "cannot tell the chart format from the "
			 "name %s: end it in .png, .svg or .pdf",
			 path);
}

int
plot_check(const char *out, bool force, struct error *err)
{
	enum plot_format fmt;
	char *gp;
	int rc;

	if ((rc = plot_format_of(out, &fmt, err)) < 0 ||
	    (rc = output_check(out, force, err)) < 0 ||
	    (rc = gnuplot_find(&gp, err)) < 0)
		return rc;
	free(gp);
	return 0;
}

/* ---- drawing ---------------------------------------------------------- */

int
plot_can_draw(enum plot_chart chart, const struct series *s,
	      const struct series_regions *rs, struct error *err)
{
	(void)s;
	if (chart == PLOT_REGIONS && rs == NULL)
		return error_set(
		    err, EINVAL,
		    "the regions chart needs a "
		    "regions CSV: give --regions FILE (from a run with "
		    "--regions-csv FILE)");
	if (chart == PLOT_IDLE && rs == NULL)
		return error_set(err, EINVAL,
				 "the idle chart needs a regions "
				 "CSV with idle data: give --regions FILE");
	if (chart == PLOT_IDLE && !rs->has_idle)
		return error_set(
		    err, EINVAL,
		    "%s has no idle data (no "
		    "idle_pct values): it comes from a run that tracks idle "
		    "pages",
		    rs->path);
	return 0;
}

int
plot_draw(struct gnuplot *g, enum plot_chart chart, const struct series *s,
	  const struct series_regions *rs, const struct plot_style *st,
	  enum plot_format fmt, const char *out, struct error *err)
{
	const char *template;
	struct plot_axis ax;
	int rc;

	if ((rc = plot_can_draw(chart, s, rs, err)) < 0)
		return rc;
	if (chart == PLOT_GROWTH)
		plot_axis_init(&ax, st->time, s->has_wall,
			       s->n > 0 ? s->t[s->n - 1] - s->t[0] : 0);
	else
		plot_axis_init(&ax, st->time, rs->has_wall,
			       rs->nt > 0 ? rs->t[rs->nt - 1] - rs->t[0] : 0);
	if ((rc = plot_params_common(g, st, fmt, out, &ax, err)) < 0)
		return rc;
	switch (chart) {
	case PLOT_REGIONS:
		rc = plot_regions(g, rs, st, &ax, err);
		break;
	case PLOT_IDLE:
		rc = plot_idle(g, rs, st, &ax, err);
		break;
	default:
		chart = PLOT_GROWTH;
		rc = plot_growth(g, s, st, &ax, err);
		break;
	}
	if (rc == 0)
		rc = gnuplot_interrupted(g, err);
	if (rc < 0)
		return rc;
	if ((rc = gnuplot_template(g,
				   chart == PLOT_REGIONS ? "regions.gp"
				   : chart == PLOT_IDLE	 ? "idle.gp"
							 : "growth.gp",
				   &template, err)) < 0)
		return rc;
	return gnuplot_run(g, template, err);
}

int
plot_run(const struct plot_opts *o, struct error *err)
{
	struct series_regions rs;
	struct gnuplot *g = NULL;
	enum plot_chart chart = o->chart;
	enum plot_format fmt;
	struct output out;
	struct series s;
	int rc;

	if (o->caches_csv != NULL ||
	    (o->csv != NULL && plot_is_kernel_csv(o->csv)))
		return plot_kernel_run(o, err);
	if ((rc = plot_format_of(o->out, &fmt, err)) < 0 ||
	    (rc = output_check(o->out, o->force, err)) < 0)
		return rc;
	if (chart == PLOT_AUTO)
		chart = o->regions_csv != NULL ? PLOT_REGIONS : PLOT_GROWTH;
	if ((rc = series_load_both(&s, &rs, o->csv, o->regions_csv, o->metric,
				   o->daily_cycle, o->pid, err)) < 0)
		return rc;
	rc = plot_can_draw(chart, &s, o->regions_csv != NULL ? &rs : NULL, err);
	if (rc == 0)
		rc = gnuplot_open(&g, o->templates, err);
	if (rc == 0 && (rc = output_open(&out, o->out, o->force, err)) == 0) {
		rc =
		    plot_draw(g, chart, &s, o->regions_csv != NULL ? &rs : NULL,
			      &o->style, fmt, out.tmp, err);
		if (rc == 0)
			rc = output_commit(&out, err);
		output_close(&out);
	}
	gnuplot_close(g);
	if (o->regions_csv != NULL)
		series_regions_free(&rs);
	series_free(&s);
	return rc;
}
