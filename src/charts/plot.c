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

#include "util/output.h"
#include "charts/plot.h"
#include "util/units.h"
#include "util/xmalloc.h"

#define PLOT_MAX_ROWS 4000	/* beyond: min/max per bucket of rows */
#define PLOT_GAP 10.0		/* a pause of 10 usual intervals: a gap */
#define PLOT_WALL_S 7200.0	/* runs this long get a wall-clock axis */
#define PLOT_FIT_POINTS 64
#define PLOT_LABEL 40		/* longest region label, in characters */

static const char *const plot_chart_names[] = {
	[PLOT_AUTO] = "auto", [PLOT_GROWTH] = "growth",
	[PLOT_REGIONS] = "regions", [PLOT_IDLE] = "idle",
};
static const char *const plot_format_names[] = {
	[PLOT_PNG] = "png", [PLOT_SVG] = "svg", [PLOT_PDF] = "pdf",
};

/* The time axis: elapsed time in a unit that suits the span, or wall
 * clock (UTC) for long runs. */
struct plot_axis {
	bool wall;
	double x_per_unit;	/* elapsed seconds per axis unit */
	const char *label;
	const char *format;	/* wall: strftime-like, gnuplot's */
};

void
plot_opts_init(struct plot_opts *o)
{
	memset(o, 0, sizeof *o);
	o->chart = PLOT_AUTO;
	o->metric = -1;		/* VERDICT_AUTO */
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
	return error_set(err, EINVAL, "invalid chart '%s' (use growth, "
	    "regions or idle)", text);
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
		return error_set(err, EINVAL, "invalid time axis '%s' (use "
		    "auto, elapsed or wall)", text);
	return 0;
}

int
plot_parse_size(const char *text, struct plot_style *style, struct error *err)
{
	unsigned int w, h;
	int n = 0;

	if (sscanf(text, "%4u%*1[xX]%4u%n", &w, &h, &n) != 2 ||
	    text[n] != '\0' || w < 320 || h < 240 || w > 8000 || h > 8000)
		return error_set(err, EINVAL, "invalid size '%s' (use WIDTHx"
		    "HEIGHT in pixels, from 320x240 to 8000x8000)", text);
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
	return error_set(err, EINVAL, "cannot tell the chart format from the "
	    "name %s: end it in .png, .svg or .pdf", path);
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

/* ---- axes and words --------------------------------------------------- */

static void
plot_axis_init(struct plot_axis *ax, enum plot_time mode, bool has_wall,
    double span_s)
{
	memset(ax, 0, sizeof *ax);
	ax->wall = has_wall && (mode == PLOT_TIME_WALL ||
	    (mode == PLOT_TIME_AUTO && span_s >= PLOT_WALL_S));
	ax->x_per_unit = 1;
	if (ax->wall) {
		ax->label = "time (UTC)";
		ax->format = span_s <= 86400 ? "%H:%M" : "%d %b\n%H:%M";
	} else if (span_s < 180) {
		ax->label = "elapsed (s)";
	} else if (span_s < 3 * 3600) {
		ax->label = "elapsed (min)";
		ax->x_per_unit = 60;
	} else if (span_s < 3 * 86400) {
		ax->label = "elapsed (h)";
		ax->x_per_unit = 3600;
	} else {
		ax->label = "elapsed (days)";
		ax->x_per_unit = 86400;
	}
}

/* Parameters every template takes. */
static int
plot_params_common(struct gnuplot *g, const struct plot_style *st,
    enum plot_format fmt, const char *out, const struct plot_axis *ax,
    struct error *err)
{
	const char *common;
	int rc;

	if ((rc = gnuplot_template(g, "common.gp", &common, err)) < 0)
		return rc;
	gnuplot_param_str(g, "common", common);
	gnuplot_param_str(g, "out", out);
	gnuplot_param_str(g, "fmt", plot_format_names[fmt]);
	gnuplot_param_num(g, "width", st->width);
	gnuplot_param_num(g, "height", st->height);
	gnuplot_param_num(g, "wall", ax->wall);
	gnuplot_param_num(g, "x_per_unit", ax->x_per_unit);
	gnuplot_param_str(g, "xlabel", ax->label);
	gnuplot_param_str(g, "xformat", ax->wall ? ax->format : "");
	return 0;
}

/* The memory unit that suits values up to max_kb. */
static void
plot_params_unit(struct gnuplot *g, double max_kb)
{
	static const char *names[] = { "KiB", "MiB", "GiB", "TiB" };
	double div = 1;
	size_t u = 0;

	while (max_kb / div >= 2048 && u + 1 < sizeof names / sizeof names[0]) {
		div *= 1024;
		u++;
	}
	gnuplot_param_str(g, "unit", names[u]);
	gnuplot_param_num(g, "kib_per_unit", div);
}

/* text with a newline instead of the last space before every width
 * characters (counting UTF-8 sequences once). */
static char *
plot_wrap(const char *text, size_t width)
{
	char *out = xstrdup(text), *p, *space = NULL;
	size_t col = 0;

	for (p = out; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		if (*p == '\n') {
			col = 0;
			space = NULL;
			continue;
		}
		if (*p == ' ')
			space = p;
		if (++col > width && space != NULL) {
			*space = '\n';
			col = (size_t)(p - space);
			space = NULL;
		}
	}
	return out;
}

/* A region's name as a legend shows it: a file's base name and part,
 * at most PLOT_LABEL characters (the end kept, where names differ). */
static void
plot_region_label(const struct series_region *r, char *buf, size_t len)
{
	const char *slash = strrchr(r->name, '/');
	char full[512];
	size_t n, chars = 0, i;

	if (r->name[0] == '/' && slash != NULL && slash[1] != '\0' &&
	    (r->kind == REGION_CODE || r->kind == REGION_DATA))
		snprintf(full, sizeof full, "%s (%s)", slash + 1,
		    region_kind_names[r->kind]);
	else if (r->name[0] == '/' && slash != NULL && slash[1] != '\0')
		snprintf(full, sizeof full, "%s", slash + 1);
	else
		snprintf(full, sizeof full, "%s", r->name);
	for (i = 0; full[i] != '\0'; i++) {
		if (full[i] == '\t' || full[i] == '\n' || full[i] == '\r')
			full[i] = ' ';
		if ((full[i] & 0xc0) != 0x80)
			chars++;
	}
	if (chars > PLOT_LABEL) {
		n = strlen(full);
		for (i = n, chars = 0; i > 0 && chars < PLOT_LABEL - 1; i--)
			if ((full[i - 1] & 0xc0) != 0x80)
				chars++;
		memmove(full + 3, full + i, n - i + 1);
		memcpy(full, "…", 3);	/* U+2026, 3 bytes in UTF-8 */
	}
	snprintf(buf, len, "%s", full);
}

static const char *
plot_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (strcmp(path, "-") == 0)
		return "standard input";
	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* One value cell: '?' is gnuplot's "missing" (the line goes on). */
static void
plot_cell(FILE *fp, double v)
{
	if (isnan(v))
		fputs("\t?", fp);
	else
		fprintf(fp, "\t%.10g", v);
}

static int
plot_close_data(FILE *fp, const char *path, struct error *err)
{
	bool bad = ferror(fp) != 0;

	if (fclose(fp) != 0 || bad)
		return error_set(err, EIO, "cannot write %s: %s (is TMPDIR "
		    "full?)", path, strerror(errno));
	return 0;
}

/* ---- growth ----------------------------------------------------------- */

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
	step = s->n > PLOT_MAX_ROWS ? (s->n + PLOT_MAX_ROWS / 2 - 1) /
	    (PLOT_MAX_ROWS / 2) : 1;
	*max_kb = 0;
	for (i = 0; i < s->n; i = j) {
		j = i + step < s->n ? i + step : s->n;
		if (i > 0 && s->interval_s > 0 &&
		    s->t[i] - s->t[i - 1] > PLOT_GAP * s->interval_s)
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
				fprintf(fp, "%.10g\t%.10g\n",
				    plot_x(ax, s, x), min);
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
		    ev->floor_start_kb + ev->slope / 3600 * (x - ev->start_s),
		    fmin(a, b), fmax(a, b));
	}
	return plot_close_data(fp, path, err);
}

/* Faults per second from the cumulative counters: NAN (a break in the
 * line) across a restart or a gap; beyond PLOT_MAX_ROWS the mean rate
 * of each bucket of rows. */
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
	step = s->n > PLOT_MAX_ROWS ? (s->n + PLOT_MAX_ROWS - 1) /
	    PLOT_MAX_ROWS : 1;
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

/* The title ("web.csv: USS growing") and the verdict as the caption. */
static void
plot_params_words(struct gnuplot *g, const struct series *s, size_t wrap)
{
	const struct trend_evidence *ev = verdict_evidence(&s->verdict);
	char title[512], sentence[2048], *caption;
	static const char *metric_labels[] = { "RSS", "PSS", "USS" };

	snprintf(title, sizeof title, "%s: %s %s", plot_basename(s->path),
	    metric_labels[plot_metric_col(s)], ev->verdict == TREND_GROWING ?
	    "growing" : ev->verdict == TREND_STABLE ? "stable" :
	    "- no verdict yet");
	gnuplot_param_str(g, "title", title);
	verdict_sentence(&s->verdict, sentence, sizeof sentence);
	caption = plot_wrap(sentence, wrap);
	gnuplot_param_str(g, "caption", caption);
	free(caption);
	gnuplot_param_str(g, "metric", metric_labels[plot_metric_col(s)]);
	gnuplot_param_str(g, "verdict", verdict_name(ev->verdict));
}

static int
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
	plot_params_words(g, s, st->width / 7);
	for (c = SERIES_RSS; c <= SERIES_USS; c++) {
		snprintf(at, sizeof at, "has_%s", c == SERIES_RSS ? "rss" :
		    c == SERIES_PSS ? "pss" : "uss");
		gnuplot_param_num(g, at, s->known[c] > 0);
	}
	gnuplot_param_num(g, "xmin", plot_x(ax, s, s->t[0]));
	gnuplot_param_num(g, "xmax", plot_x(ax, s, s->t[s->n - 1]));
	gnuplot_param_num(g, "has_fit", fit);
	gnuplot_param_num(g, "has_faults", faults);
	gnuplot_param_num(g, "has_majflt", s->known[SERIES_MAJFLT] > 0);
	st_maj = &s->summary.stat[FIELD_MAJFLT];
	gnuplot_param_str(g, "majflt_title", st_maj->n > 1 &&
	    st_maj->max == st_maj->min ? "major faults/s (none)" :
	    "major faults/s");
	if (ev->verdict == TREND_GROWING && !isnan(ev->detected_at_s)) {
		units_format_duration(when, sizeof when, ev->detected_at_s -
		    ev->first_s);
		snprintf(at, sizeof at, "flagged at %s", when);
		gnuplot_param_num(g, "flagged", plot_x(ax, s,
		    ev->detected_at_s));
		gnuplot_param_str(g, "flagged_label", at);
	} else {
		gnuplot_param_num(g, "flagged", NAN);
		gnuplot_param_str(g, "flagged_label", "");
	}
	return 0;
}

/* ---- regions ---------------------------------------------------------- */

static double
plot_region_x(const struct plot_axis *ax, const struct series_regions *rs,
    size_t k)
{
	return ax->wall ? rs->wall[k] : rs->t[k];
}

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
	const struct region *idx = regions_find(&rs->track.index,
	    rs->r[i].name, rs->r[i].kind);

	if (idx == NULL)
		return NAN;
	return regtrack_growth_kb(&rs->track.v[(size_t)idx->v[RF_MAPPINGS]]);
}

/* The stack's tops, bottom to top: "other", then the top regions from
 * the least growth to the most. */
static int
plot_regions(struct gnuplot *g, const struct series_regions *rs,
    const struct plot_style *st, const struct plot_axis *ax,
    struct error *err)
{
	size_t *top = xcalloc(st->top + 1, sizeof *top), ntop, i, k, j;
	char label[256], caption[512], span[32], growth[32];
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
		units_format_kib(growth, sizeof growth, plot_region_growth(rs,
		    top[j - 1]), false, true);
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
	snprintf(label, sizeof label, "%s: %s by region", plot_basename(
	    rs->path), rs->uss ? "USS" : "RSS");
	gnuplot_param_str(g, "title", label);
	units_format_duration(span, sizeof span, rs->nt > 0 ?
	    rs->t[rs->nt - 1] - rs->t[0] : 0);
	snprintf(caption, sizeof caption, "Stacked: the %zu region%s that "
	    "grew most over %s (%lu region samples), the most on top; the "
	    "other %zu as \"other\" at the bottom.", ntop, ntop == 1 ? "" :
	    "s", span, rs->track.samples, rs->n - ntop);
	gnuplot_param_str(g, "caption", caption);
out:
	free(top);
	free(in_top);
	return rc;
}

/* ---- idle ------------------------------------------------------------- */

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
		fprintf(fp, "\tidle %s", series_age_labels[a]);
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

static int
plot_idle(struct gnuplot *g, const struct series_regions *rs,
    const struct plot_style *st, const struct plot_axis *ax,
    struct error *err)
{
	size_t *sel = xcalloc(st->top + 1, sizeof *sel), n;
	char caption[512], scan[64], when[32], method[80], title[512];
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
	snprintf(title, sizeof title, "%s: idle memory by region",
	    plot_basename(rs->path));
	gnuplot_param_str(g, "title", title);
	scan[0] = method[0] = '\0';
	if (!isnan(rs->idle_scan_s)) {
		units_format_duration(when, sizeof when, rs->idle_scan_s);
		snprintf(scan, sizeof scan, ", a scan every %s", when);
	}
	if (rs->idle_method[0] != '\0')
		snprintf(method, sizeof method, " (%s)", rs->idle_method);
	snprintf(caption, sizeof caption, "Idle: resident pages not accessed "
	    "since the previous scan%s%s; the %zu largest regions with idle "
	    "data.", scan, method, n);
	gnuplot_param_str(g, "caption", caption);
	return 0;
}

/* ---- drawing ---------------------------------------------------------- */

int
plot_can_draw(enum plot_chart chart, const struct series *s,
    const struct series_regions *rs, struct error *err)
{
	(void)s;
	if (chart == PLOT_REGIONS && rs == NULL)
		return error_set(err, EINVAL, "the regions chart needs a "
		    "regions CSV: give --regions FILE (from a run with "
		    "--regions-csv FILE)");
	if (chart == PLOT_IDLE && rs == NULL)
		return error_set(err, EINVAL, "the idle chart needs a regions "
		    "CSV with idle data: give --regions FILE");
	if (chart == PLOT_IDLE && !rs->has_idle)
		return error_set(err, EINVAL, "%s has no idle data (no "
		    "idle_pct values): it comes from a run that tracks idle "
		    "pages", rs->path);
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
		plot_axis_init(&ax, st->time, s->has_wall, s->n > 0 ?
		    s->t[s->n - 1] - s->t[0] : 0);
	else
		plot_axis_init(&ax, st->time, rs->has_wall, rs->nt > 0 ?
		    rs->t[rs->nt - 1] - rs->t[0] : 0);
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
	if ((rc = gnuplot_template(g, chart == PLOT_REGIONS ? "regions.gp" :
	    chart == PLOT_IDLE ? "idle.gp" : "growth.gp", &template, err)) < 0)
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

	if ((rc = plot_format_of(o->out, &fmt, err)) < 0 ||
	    (rc = output_check(o->out, o->force, err)) < 0)
		return rc;
	if (chart == PLOT_AUTO)
		chart = o->regions_csv != NULL ? PLOT_REGIONS : PLOT_GROWTH;
	if ((rc = series_load_both(&s, &rs, o->csv, o->regions_csv, o->metric,
	    err)) < 0)
		return rc;
	rc = plot_can_draw(chart, &s, o->regions_csv != NULL ? &rs : NULL,
	    err);
	if (rc == 0)
		rc = gnuplot_open(&g, o->templates, err);
	if (rc == 0 && (rc = output_open(&out, o->out, o->force, err)) == 0) {
		rc = plot_draw(g, chart, &s, o->regions_csv != NULL ? &rs :
		    NULL, &o->style, fmt, out.tmp, err);
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
