/*
 * The growth chart (plots/growth.gp): sizes over time, the fitted trend
 * with its band and floor points, the flag, and page faults below.
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

static double
plot_x(const struct plot_axis *ax, const struct series *s, double t)
{
	return ax->wall ? series_wall_at(s, t) : t;
}

static int
plot_metric_col(const struct series *s)
{
	int c;

	for (c = SERIES_RSS; c <= SERIES_USS; c++)
		if ((int)series_fields[c] == s->verdict.metric)
			return c;
	return SERIES_USS;
}

/* The sizes, one row per sample; beyond PLOT_MAX_ROWS the minimum and
 * maximum of each bucket of rows, so spikes stay visible.  A blank line
 * (a break in the lines) marks each gap. */
static int
plot_write_sizes(struct gnuplot *g, const struct series *s,
		 const struct plot_axis *ax, double *max_kb, struct error *err)
{
	double lo[3], hi[3], v;
	size_t i, j, k, step;
	const char *path;
	FILE *fp;
	int c, rc;

	if ((rc = gnuplot_tmp_create(g, "sizes.dat", &fp, &path, err)) < 0)
		return rc;
	gnuplot_param_str(g, "sizes", path);
	fprintf(fp, "x\tRSS\tPSS\tUSS\n");
	step = s->n > PLOT_MAX_ROWS
		   ? (s->n + PLOT_MAX_ROWS / 2 - 1) / (PLOT_MAX_ROWS / 2)
		   : 1;
	*max_kb = 0;
	for (i = 0; i < s->n; i = j) {
		j = i + step < s->n ? i + step : s->n;
		if (i > 0 &&
		    sample_is_gap(s->t[i] - s->t[i - 1], s->interval_s))
			fputc('\n', fp);
		for (c = 0; c < 3; c++) {
			lo[c] = hi[c] = NAN;
			for (k = i; k < j; k++) {
				v = s->v[c][k];
				lo[c] = isnan(lo[c]) || v < lo[c] ? v : lo[c];
				hi[c] = isnan(hi[c]) || v > hi[c] ? v : hi[c];
			}
			if (hi[c] > *max_kb)
				*max_kb = hi[c];
		}
		fprintf(fp, "%.10g", plot_x(ax, s, s->t[i]));
		for (c = 0; c < 3; c++)
			plot_cell(fp, lo[c]);
		fputc('\n', fp);
		if (step == 1)
			continue;
		fprintf(fp, "%.10g", plot_x(ax, s, s->t[j - 1]));
		for (c = 0; c < 3; c++)
			plot_cell(fp, hi[c]);
		fputc('\n', fp);
	}
	return plot_close_data(fp, path, err);
}

/* The floor points the detector judged: the minimum of each bucket of
 * the evidence's width, at the middle of the samples it holds. */
static int
plot_write_floor(struct gnuplot *g, const struct series *s,
		 const struct plot_axis *ax, const struct trend_evidence *ev,
		 struct error *err)
{
	double w = ev->bucket_s, min = NAN, first = 0, last = 0, x, v;
	long long idx = 0, b;
	int c = plot_metric_col(s), rc;
	const char *path;
	size_t i;
	FILE *fp;

	if ((rc = gnuplot_tmp_create(g, "floor.dat", &fp, &path, err)) < 0)
		return rc;
	gnuplot_param_str(g, "floor", path);
	fprintf(fp, "x\tfloor\n");
	for (i = 0; i <= s->n; i++) {
		v = i < s->n ? s->v[c][i] : NAN;
		if (i < s->n && isnan(v))
			continue;
		b = i < s->n ? (long long)floor(s->t[i] / w) : idx + 1;
		if (!isnan(min) && b != idx) {
			x = (first + last) / 2;
			if (x >= ev->start_s - 1e-9 && x <= ev->end_s + 1e-9)
				fprintf(fp, "%.10g\t%.10g\n", plot_x(ax, s, x),
					min);
			min = NAN;
		}
		if (i == s->n)
			break;
		if (isnan(min)) {
			idx = b;
			min = v;
			first = s->t[i];
		}
		min = fmin(min, v);
		last = s->t[i];
	}
	return plot_close_data(fp, path, err);
}

/* The fitted floor line over the judged window, and the lines through
 * its middle at the ends of the slope's 95 % interval. */
static int
plot_write_fit(struct gnuplot *g, const struct series *s,
	       const struct plot_axis *ax, const struct trend_evidence *ev,
	       struct error *err)
{
	double span = ev->end_s - ev->start_s, mid, ym, x, a, b;
	const char *path;
	FILE *fp;
	int i, rc;

	if ((rc = gnuplot_tmp_create(g, "fit.dat", &fp, &path, err)) < 0)
		return rc;
	gnuplot_param_str(g, "fit", path);
	fprintf(fp, "x\ttrend\tlow\thigh\n");
	mid = ev->start_s + span / 2;
	ym = ev->floor_start_kb + ev->slope / 3600 * span / 2;
	for (i = 0; i < PLOT_FIT_POINTS; i++) {
		x = ev->start_s + span * i / (PLOT_FIT_POINTS - 1);
		a = ym + ev->slope_lo / 3600 * (x - mid);
		b = ym + ev->slope_hi / 3600 * (x - mid);
		fprintf(fp, "%.10g\t%.10g\t%.10g\t%.10g\n", plot_x(ax, s, x),
			ev->floor_start_kb +
			    ev->slope / 3600 * (x - ev->start_s),
			fmin(a, b), fmax(a, b));
	}
	return plot_close_data(fp, path, err);
}

/* Whether the slope's 95 % band is wide enough to see: at its ends at
 * least PLOT_BAND_MIN of the memory axis (about 2 pixels), else it is
 * drawn neither in the plot nor in the legend. */
static bool
plot_band_visible(const struct trend_evidence *ev, double max_kb)
{
	double w = (ev->slope_hi - ev->slope_lo) / 3600 *
		   (ev->end_s - ev->start_s) / 2;

	return max_kb > 0 && w >= PLOT_BAND_MIN * max_kb;
}

/* Faults per second from the cumulative counters: NAN (a break in the
 * line) across a restart or a gap; the mean rate of buckets of rows, at
 * most PLOT_FAULT_POINTS of them.  A program's own tick against the
 * sampling interval makes per-row rates alternate (a 250 ms sample holds
 * two or three of a 100 ms loop's allocations: a zig-zag between 56 and
 * 84 faults/s around a true 70); a bucket of several rows holds many
 * ticks, so it shows the rate over the time the faults really took. */
static int
plot_write_faults(struct gnuplot *g, const struct series *s,
		  const struct plot_axis *ax, struct error *err)
{
	double dv[2], dt[2], r, max = 0;
	size_t i, j, k, step;
	const char *path;
	FILE *fp;
	int c, rc;

	if ((rc = gnuplot_tmp_create(g, "faults.dat", &fp, &path, err)) < 0)
		return rc;
	gnuplot_param_str(g, "faults", path);
	fprintf(fp, "x\tminor\tmajor\n");
	step = s->n > PLOT_FAULT_POINTS
		   ? (s->n + PLOT_FAULT_POINTS - 1) / PLOT_FAULT_POINTS
		   : 1;
	for (i = 1; i < s->n; i = j) {
		j = i + step < s->n ? i + step : s->n;
		for (c = 0; c < 2; c++) {
			dv[c] = dt[c] = 0;
			for (k = i; k < j; k++) {
				r = series_rate(s, SERIES_MINFLT + c, k);
				if (isnan(r))
					continue;
				dt[c] += s->t[k] - s->t[k - 1];
				dv[c] += r * (s->t[k] - s->t[k - 1]);
			}
		}
		fprintf(fp, "%.10g", plot_x(ax, s, s->t[(i + j - 1) / 2]));
		for (c = 0; c < 2; c++) {
			r = dt[c] > 0 ? dv[c] / dt[c] : NAN;
			fprintf(fp, "\t%.10g", r);
			max = r > max ? r : max;
		}
		fputc('\n', fp);
	}
	gnuplot_param_num(g, "faults_max", fmax(max, 10));
	return plot_close_data(fp, path, err);
}

static bool
plot_has_faults(const struct series *s)
{
	size_t i;

	for (i = 1; i < s->n; i++)
		if (!isnan(series_rate(s, SERIES_MINFLT, i)) ||
		    !isnan(series_rate(s, SERIES_MAJFLT, i)))
			return true;
	return false;
}

/* The title ("nginx (pid 812) on web1, Linux 6.1.0: USS growing", or
 * "web.csv: USS growing" without provenance); wrap 0: no caption and the
 * verdict as the caption. */
static void
plot_params_words(struct gnuplot *g, const struct series *s, size_t wrap)
{
	const struct trend_evidence *ev = verdict_evidence(&s->verdict);
	char title[512], name[400], sentence[2048], *caption;
	static const char *metric_labels[] = {"RSS", "PSS", "USS"};

	plot_run_name(s, name, sizeof name);
	snprintf(title, sizeof title, "%s: %s %s", name,
		 metric_labels[plot_metric_col(s)],
		 ev->verdict == TREND_GROWING  ? "growing"
		 : ev->verdict == TREND_STABLE ? "stable"
					       : "- no verdict yet");
	gnuplot_param_str(g, "title", title);
	verdict_sentence(&s->verdict, sentence, sizeof sentence);
	caption = plot_wrap(wrap > 0 ? sentence : "", wrap);
	gnuplot_param_str(g, "caption", caption);
	free(caption);
	gnuplot_param_str(g, "metric", metric_labels[plot_metric_col(s)]);
	gnuplot_param_str(g, "verdict", verdict_name(ev->verdict));
}

int
plot_growth(struct gnuplot *g, const struct series *s,
	    const struct plot_style *st, const struct plot_axis *ax,
	    struct error *err)
{
	const struct trend_evidence *ev = verdict_evidence(&s->verdict);
	bool fit = ev->why != TREND_WHY_FEW && ev->points >= 2;
	bool faults = plot_has_faults(s);
	const struct summary_stat *st_maj;
	char at[64], when[32];
	double max_kb;
	int rc, c;

	if ((rc = plot_write_sizes(g, s, ax, &max_kb, err)) < 0)
		return rc;
	if (fit && ((rc = plot_write_floor(g, s, ax, ev, err)) < 0 ||
		    (rc = plot_write_fit(g, s, ax, ev, err)) < 0))
		return rc;
	if (faults && (rc = plot_write_faults(g, s, ax, err)) < 0)
		return rc;
	plot_params_unit(g, max_kb);
	plot_params_words(g, s, st->no_caption ? 0 : plot_caption_chars(st));
	for (c = SERIES_RSS; c <= SERIES_USS; c++) {
		snprintf(at, sizeof at, "has_%s",
			 c == SERIES_RSS   ? "rss"
			 : c == SERIES_PSS ? "pss"
					   : "uss");
		gnuplot_param_num(g, at, s->known[c] > 0);
	}
	gnuplot_param_num(g, "xmin", plot_x(ax, s, s->t[0]));
	gnuplot_param_num(g, "xmax", plot_x(ax, s, s->t[s->n - 1]));
	gnuplot_param_num(g, "has_fit", fit);
	gnuplot_param_num(g, "has_band", fit && plot_band_visible(ev, max_kb));
	gnuplot_param_num(g, "has_faults", faults);
	gnuplot_param_num(g, "has_majflt", s->known[SERIES_MAJFLT] > 0);
	st_maj = &s->summary.stat[FIELD_MAJFLT];
	gnuplot_param_str(g, "majflt_title",
			  st_maj->n > 1 && st_maj->max == st_maj->min
			      ? "major faults/s (none)"
			      : "major faults/s");
	if (ev->verdict == TREND_GROWING && !isnan(ev->detected_at_s)) {
		units_format_duration(when, sizeof when,
				      ev->detected_at_s - ev->first_s);
		snprintf(at, sizeof at, "flagged at %s", when);
		gnuplot_param_num(g, "flagged",
				  plot_x(ax, s, ev->detected_at_s));
		gnuplot_param_str(g, "flagged_label", at);
	} else {
		gnuplot_param_num(g, "flagged", NAN);
		gnuplot_param_str(g, "flagged_label", "");
	}
	return 0;
}
