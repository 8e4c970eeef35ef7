/*
 * What every chart shares (see plot-common.h).
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

const char *const plot_format_names[] = {
    [PLOT_PNG] = "png",
    [PLOT_SVG] = "svg",
    [PLOT_PDF] = "pdf",
};

void
plot_axis_init(struct plot_axis *ax, enum plot_time mode, bool has_wall,
	       double span_s)
{
	memset(ax, 0, sizeof *ax);
	ax->wall =
	    has_wall && (mode == PLOT_TIME_WALL ||
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
int
plot_params_common(struct gnuplot *g, const struct plot_style *st,
		   enum plot_format fmt, const char *out,
		   const struct plot_axis *ax, struct error *err)
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
void
plot_params_unit(struct gnuplot *g, double max_kb)
{
	const char *unit;
	double div = units_kib_scale(max_kb, 2, &unit);

	gnuplot_param_str(g, "unit", unit);
	gnuplot_param_num(g, "kib_per_unit", div);
}

/* text with a newline instead of the last space before every width
 * characters (counting UTF-8 sequences once). */
char *
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
void
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
	for (i = 0; full[i] != '\0'; i++)
		if ((full[i] & 0xc0) != 0x80)
			chars++;
	if (chars > PLOT_LABEL) {
		n = strlen(full);
		for (i = n, chars = 0; i > 0 && chars < PLOT_LABEL - 1; i--)
			if ((full[i - 1] & 0xc0) != 0x80)
				chars++;
		memmove(full + 3, full + i, n - i + 1);
		memcpy(full, "…", 3); /* U+2026, 3 bytes in UTF-8 */
	}
	plot_header_text(buf, len, full);
}

void
plot_header_text(char *buf, size_t len, const char *text)
{
	size_t o = 0;

	for (; *text != '\0' && o + 4 < len; text++) {
		if (*text == '"') { /* gnuplot would end the field there */
			memcpy(buf + o, "\u201d", 3);
			o += 3;
		} else {
			buf[o++] =
			    *text == '\t' || *text == '\n' || *text == '\r'
				? ' '
				: *text;
		}
	}
	buf[o] = '\0';
}

const char *
plot_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (strcmp(path, "-") == 0)
		return "standard input";
	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* One value cell: '?' is gnuplot's "missing" (the line goes on). */
void
plot_cell(FILE *fp, double v)
{
	if (isnan(v))
		fputs("\t?", fp);
	else
		fprintf(fp, "\t%.10g", v);
}

int
plot_close_data(FILE *fp, const char *path, struct error *err)
{
	bool bad = ferror(fp) != 0;

	if (fclose(fp) != 0 || bad)
		return error_set(err, EIO,
				 "cannot write %s: %s (is TMPDIR "
				 "full?)",
				 path, strerror(errno));
	return 0;
}

double
plot_region_x(const struct plot_axis *ax, const struct series_regions *rs,
	      size_t k)
{
	return ax->wall ? rs->wall[k] : rs->t[k];
}
