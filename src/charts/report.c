/*
 * memtrend report (see report.h).  The charts are drawn as SVG into the
 * temporary directory and inlined: the XML prolog and the namespace
 * declarations (which name URLs) are dropped -- an HTML parser puts
 * <svg> in the SVG namespace and knows xlink:href by itself -- and each
 * chart's ids get a prefix so charts in one page cannot collide.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "charts/report.h"
#include "util/output.h"
#include "util/units.h"
#include "util/xmalloc.h"

#define REPORT_MAX_SVG (64 * 1024 * 1024)

static const char report_css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "margin:0 auto;max-width:1040px;padding:1.5em;color:#222;background:#fff}"
    "h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.6em 0 .5em;"
    "border-bottom:1px solid #ddd;padding-bottom:.2em}"
    ".meta{color:#666;margin:0}"
    ".verdict{border-left:6px solid #999;background:#f6f6f6;padding:.6em 1em;"
    "margin:1.2em 0}.verdict h2{border:0;margin:.2em 0}"
    ".growing{border-color:#c00;background:#fdf0f0}"
    ".stable{border-color:#2a7;background:#eff8f2}"
    ".insufficient{border-color:#d90;background:#fdf7ea}"
    "table{border-collapse:collapse;margin:.6em 0;font-variant-numeric:"
    "tabular-nums}th,td{padding:.25em .7em;border-bottom:1px solid #e4e4e4;"
    "text-align:right}th:first-child,td:first-child{text-align:left}"
    "thead th{border-bottom:2px solid #bbb}.evidence td{text-align:left}"
    "figure{margin:.5em 0}svg{max-width:100%;height:auto;display:block}"
    "footer{margin-top:2em;color:#888;font-size:.85em}"
    "code{font-size:.95em}";

struct report {
	FILE *fp; /* the HTML, in memory */
	const struct series *s;
	const struct series_regions *rs; /* NULL: none */
	int charts;			 /* inlined so far, for id prefixes */
};

/* Text with &, <, >, " and ' escaped. */
static void
report_text(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

static const char *
report_kib(char *buf, size_t len, double kb, bool signed_)
{
	units_format_kib(buf, len, kb, false, signed_);
	return buf;
}

static const char *
report_duration(char *buf, size_t len, double s)
{
	if (s >= 0 && s < 0.0005)
		snprintf(buf, len, "0 s"); /* not "0 us": a start */
	else
		units_format_duration(buf, len, s);
	return buf;
}

/* ---- inline SVG ------------------------------------------------------- */

static char *
report_slurp(const char *path, size_t *len, struct error *err)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (fp == NULL)
		return error_set(err, errno, "cannot read the chart %s: %s",
				 path, strerror(errno)),
		       NULL;
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    n > REPORT_MAX_SVG || fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return error_set(err, EIO, "cannot read the chart %s", path),
		       NULL;
	}
	buf = xmalloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

/* Whether p starts with one of the attributes dropped from <svg>. */
static size_t
report_dropped_attr(const char *p)
{
	static const char *const names[] = {"xmlns:xlink=", "xmlns="};
	const char *q;
	size_t i, n;
	char quote;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		n = strlen(names[i]);
		if (strncmp(p, names[i], n) != 0)
			continue;
		quote = p[n];
		if (quote != '"' && quote != '\'')
			return 0;
		q = strchr(p + n + 1, quote);
		return q != NULL ? (size_t)(q + 1 - p) : 0;
	}
	return 0;
}

/* Copies the SVG from its <svg> on, dropping the namespace declarations
 * and prefixing every id and reference to one. */
static void
report_svg_copy(FILE *fp, const char *svg, const char *prefix)
{
	static const char *const refs[] = {" id='", " id=\"", "href='#",
					   "href=\"#", "url(#"};
	const char *p = strstr(svg, "<svg"), *end_tag;
	size_t i, n;

	if (p == NULL)
		return;
	end_tag = strchr(p, '>');
	for (; *p != '\0'; p++) {
		if (end_tag != NULL && p < end_tag &&
		    (n = report_dropped_attr(p)) > 0) {
			p += n - 1;
			continue;
		}
		for (i = 0; i < sizeof refs / sizeof refs[0]; i++) {
			n = strlen(refs[i]);
			if (strncmp(p, refs[i], n) == 0)
				break;
		}
		if (i < sizeof refs / sizeof refs[0]) {
			fprintf(fp, "%s%s-", refs[i], prefix);
			p += n - 1;
			continue;
		}
		fputc(*p, fp);
	}
}

/* Draws a chart as SVG and inlines it in a <figure>. */
static int
report_chart(struct report *r, struct gnuplot *g, enum plot_chart chart,
	     const struct plot_style *style, const char *alt, struct error *err)
{
	char name[32], prefix[16], *svg;
	const char *path;
	size_t len;
	int rc;

	snprintf(name, sizeof name, "chart%d.svg", r->charts);
	path = gnuplot_tmp_path(g, name);
	rc = plot_draw(g, chart, r->s, r->rs, style, PLOT_SVG, path, err);
	if (rc < 0)
		return rc;
	if ((svg = report_slurp(path, &len, err)) == NULL)
		return -EIO;
	snprintf(prefix, sizeof prefix, "c%d", r->charts++);
	fputs("<figure role=\"img\" aria-label=\"", r->fp);
	report_text(r->fp, alt);
	fputs("\">\n", r->fp);
	report_svg_copy(r->fp, svg, prefix);
	fputs("</figure>\n", r->fp);
	free(svg);
	return 0;
}

/* ---- sections --------------------------------------------------------- */

static void
report_head(struct report *r)
{
	const struct series *s = r->s;
	char span[32], when[64];
	time_t t;
	struct tm tm;

	fputs(
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
	    "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,"
	    " initial-scale=1\">\n<title>memtrend report: ",
	    r->fp);
	report_text(r->fp, s->path);
	fprintf(r->fp,
		"</title>\n<style>%s</style>\n</head>\n<body>\n<header>"
		"\n<h1>memtrend report: <code>",
		report_css);
	report_text(r->fp, s->path);
	fprintf(r->fp, "</code></h1>\n<p class=\"meta\">%zu samples over %s",
		s->n,
		report_duration(span, sizeof span,
				s->n > 0 ? s->t[s->n - 1] - s->t[0] : 0));
	if (s->has_wall && s->n > 0) {
		t = (time_t)s->wall[0];
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
		fprintf(r->fp, ", from %s", when);
	}
	if (s->interval_s > 0)
		fprintf(r->fp, ", one every %s",
			report_duration(span, sizeof span, s->interval_s));
	fputs(".</p>\n</header>\n", r->fp);
}

static void
report_row(FILE *fp, const char *name, const char *value)
{
	fputs("<tr><th>", fp);
	report_text(fp, name);
	fputs("</th><td>", fp);
	report_text(fp, value);
	fputs("</td></tr>\n", fp);
}

static void
report_hours(FILE *fp, const char *name, double kb, double hours)
{
	char v[128], a[32], b[32];

	if (isnan(kb))
		return;
	if (isnan(hours))
		snprintf(v, sizeof v, "%s", report_kib(a, sizeof a, kb, false));
	else
		snprintf(v, sizeof v, "%s; runs out in %s at this rate",
			 report_kib(a, sizeof a, kb, false),
			 report_duration(b, sizeof b, hours * 3600));
	report_row(fp, name, v);
}

static void
report_verdict(struct report *r)
{
	const struct verdict *v = &r->s->verdict;
	const struct trend_evidence *ev = verdict_evidence(v);
	char sentence[2048], val[256], a[32], b[32], c[32];
	const char *name = verdict_name(ev->verdict);
	bool judged = ev->why != TREND_WHY_FEW && ev->points > 0;

	verdict_sentence(v, sentence, sizeof sentence);
	fprintf(r->fp,
		"<section class=\"verdict %s\">\n<h2>Verdict: %s</h2>"
		"\n<p>",
		name, name);
	report_text(r->fp, sentence);
	fputs("</p>\n</section>\n<h2>Evidence</h2>\n<table class=\"evidence\">"
	      "\n",
	      r->fp);
	snprintf(val, sizeof val, "%s (%s)", verdict_metric_name(v),
		 fields[v->metric].name);
	report_row(r->fp, "metric judged", val);
	snprintf(val, sizeof val, "%lu", ev->samples);
	report_row(r->fp, "samples", val);
	if (judged) {
		snprintf(val, sizeof val, "%s/h (95 %% CI %s/h to %s/h)",
			 report_kib(a, sizeof a, ev->slope, true),
			 report_kib(b, sizeof b, ev->slope_lo, true),
			 report_kib(c, sizeof c, ev->slope_hi, true));
		report_row(r->fp, "slope of the floor (Theil–Sen)", val);
		snprintf(val, sizeof val,
			 "%.3g (one-sided, Mann–Kendall, "
			 "autocorrelation-corrected)",
			 ev->p_value);
		report_row(r->fp, "p-value for growth", val);
		snprintf(
		    val, sizeof val,
		    "%s to %s: %zu floor points, one "
		    "per %s",
		    report_duration(a, sizeof a, ev->start_s - ev->first_s),
		    report_duration(b, sizeof b, ev->end_s - ev->first_s),
		    ev->points, report_duration(c, sizeof c, ev->bucket_s));
		report_row(r->fp, "window judged", val);
		snprintf(val, sizeof val, "%s to %s (median %s)",
			 report_kib(a, sizeof a, ev->floor_start_kb, false),
			 report_kib(b, sizeof b, ev->floor_end_kb, false),
			 report_kib(c, sizeof c, ev->level_kb, false));
		report_row(r->fp, "fitted floor", val);
	}
	if (ev->verdict == TREND_GROWING)
		report_row(r->fp, "first flagged at",
			   report_duration(a, sizeof a,
					   ev->detected_at_s - ev->first_s));
	if (ev->gaps > 0) {
		snprintf(val, sizeof val, "%lu (%s in all)", ev->gaps,
			 report_duration(a, sizeof a, ev->gap_s));
		report_row(r->fp, "gaps in the samples", val);
	}
	report_hours(r->fp, "MemAvailable", v->mem_available_kb,
		     verdict_hours_to_mem(v));
	report_hours(r->fp, "cgroup limit", v->cgroup_limit_kb,
		     verdict_hours_to_limit(v));
	fputs("</table>\n", r->fp);
}

/* Events of a cumulative counter over the run, restarts not counted. */
static double
report_count(const struct series *s, enum series_col c, double *span)
{
	double sum = 0, d;
	size_t i;

	*span = 0;
	for (i = 1; i < s->n; i++) {
		d = s->v[c][i] - s->v[c][i - 1];
		if (isnan(d) || d < 0)
			continue;
		sum += d;
		*span += s->t[i] - s->t[i - 1];
	}
	return sum;
}

static void
report_summary(struct report *r)
{
	const struct summary_stat *st;
	char a[32], b[32], c[32], d[32], e[32], f[32];
	double count, span;
	int i;

	fputs("<h2>Summary</h2>\n<table>\n<thead><tr><th>size</th><th>first"
	      "</th><th>last</th><th>min</th><th>max</th><th>change</th><th>"
	      "average rate</th></tr></thead>\n<tbody>\n",
	      r->fp);
	for (i = 0; i < FIELD_COUNT; i++) {
		st = &r->s->summary.stat[i];
		/* The system context is in the evidence, not here. */
		if (fields[i].kind != FIELD_KIB || st->n == 0 ||
		    i >= FIELD_MEM_AVAILABLE_KB)
			continue;
		fprintf(
		    r->fp,
		    "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s"
		    "</td><td>%s</td><td>%s</td><td>%s/h</td></tr>\n",
		    fields[i].name, report_kib(a, sizeof a, st->first, false),
		    report_kib(b, sizeof b, st->last, false),
		    report_kib(c, sizeof c, st->min, false),
		    report_kib(d, sizeof d, st->max, false),
		    report_kib(e, sizeof e, st->last - st->first, true),
		    report_kib(f, sizeof f, summary_rate_per_hour(st), true));
	}
	fputs("</tbody>\n</table>\n", r->fp);
	if (r->s->known[SERIES_MINFLT] < 2 && r->s->known[SERIES_MAJFLT] < 2)
		return;
	fputs("<table>\n<thead><tr><th>page faults</th><th>during the run</th>"
	      "<th>per second</th></tr></thead>\n<tbody>\n",
	      r->fp);
	for (i = SERIES_MINFLT; i <= SERIES_MAJFLT; i++) {
		if (r->s->known[i] < 2)
			continue;
		count = report_count(r->s, (enum series_col)i, &span);
		fprintf(r->fp,
			"<tr><td>%s</td><td>%.0f</td><td>%.1f</td></tr>"
			"\n",
			fields[series_fields[i]].name, count,
			span > 0 ? count / span : 0);
	}
	fputs("</tbody>\n</table>\n", r->fp);
}

static void
report_regions_table(struct report *r, size_t top)
{
	const struct regtrack_entry **e = xcalloc(top + 1, sizeof *e);
	char a[32], b[32], c[32], d[32];
	size_t i, n;
	bool uss = r->rs->uss;

	n = regtrack_top(&r->rs->track, e, top);
	fprintf(r->fp,
		"<table>\n<thead><tr><th>region</th><th>kind</th><th>"
		"%s first</th><th>last</th><th>growth</th><th>rate</th></tr>"
		"</thead>\n<tbody>\n",
		uss ? "USS" : "RSS");
	for (i = 0; i < n; i++) {
		fputs("<tr><td>", r->fp);
		report_text(r->fp, e[i]->name);
		fprintf(
		    r->fp,
		    "</td><td>%s</td><td>%s</td><td>%s</td><td>%s"
		    "</td><td>%s/h</td></tr>\n",
		    region_kind_names[e[i]->kind],
		    report_kib(a, sizeof a,
			       e[i]->first[uss ? RF_USS_KB : RF_RSS_KB], false),
		    report_kib(b, sizeof b,
			       e[i]->last[uss ? RF_USS_KB : RF_RSS_KB], false),
		    report_kib(c, sizeof c, regtrack_growth_kb(e[i]), true),
		    report_kib(d, sizeof d, regtrack_rate_per_hour(e[i]),
			       true));
	}
	fputs("</tbody>\n</table>\n", r->fp);
	free(e);
}

static void
report_foot(struct report *r, const struct plot_opts *o)
{
	fprintf(r->fp, "<footer>Made by memtrend %s from <code>",
		PACKAGE_VERSION);
	report_text(r->fp, o->csv);
	fputs("</code>", r->fp);
	if (o->regions_csv != NULL) {
		fputs(" and <code>", r->fp);
		report_text(r->fp, o->regions_csv);
		fputs("</code>", r->fp);
	}
	fputs(". <code>memtrend analyze</code> on the same file gives the "
	      "same verdict.</footer>\n</body>\n</html>\n",
	      r->fp);
}

static int
report_body(struct report *r, struct gnuplot *g, const struct plot_opts *o,
	    struct error *err)
{
	int rc;

	report_head(r);
	report_verdict(r);
	fputs("<h2>Growth</h2>\n", r->fp);
	if ((rc = report_chart(r, g, PLOT_GROWTH, &o->style,
			       "memory over "
			       "time with the fitted trend",
			       err)) < 0)
		return rc;
	report_summary(r);
	if (r->rs != NULL) {
		fputs("<h2>Where: regions</h2>\n", r->fp);
		if ((rc = report_chart(r, g, PLOT_REGIONS, &o->style,
				       "memory "
				       "by region over time",
				       err)) < 0)
			return rc;
		report_regions_table(r, o->style.top);
	}
	if (r->rs != NULL && r->rs->has_idle) {
		fputs("<h2>Idle memory</h2>\n", r->fp);
		if ((rc = report_chart(r, g, PLOT_IDLE, &o->style,
				       "idle "
				       "memory by region",
				       err)) < 0)
			return rc;
	}
	report_foot(r, o);
	return 0;
}

static int
report_check_name(const char *path, struct error *err)
{
	const char *dot = strrchr(path, '.');

	if (dot != NULL &&
	    (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0))
		return 0;
	return error_set(err, EINVAL,
			 "the report is HTML: name it .html, "
			 "not %s",
			 path);
}

int
report_run(const struct plot_opts *o, struct error *err)
{
	struct series_regions rs;
	struct gnuplot *g = NULL;
	struct report r;
	struct output out;
	struct series s;
	char *html = NULL;
	size_t len = 0;
	int rc;

	if ((rc = report_check_name(o->out, err)) < 0 ||
	    (rc = output_check(o->out, o->force, err)) < 0)
		return rc;
	if ((rc = series_load_both(&s, &rs, o->csv, o->regions_csv, o->metric,
				   o->daily_cycle, o->pid, err)) < 0)
		return rc;
	memset(&r, 0, sizeof r);
	r.s = &s;
	r.rs = o->regions_csv != NULL ? &rs : NULL;
	r.fp = open_memstream(&html, &len);
	if (r.fp == NULL)
		rc = error_set(err, errno, "cannot make the report: %s",
			       strerror(errno));
	if (rc == 0 && (rc = gnuplot_open(&g, o->templates, err)) == 0)
		rc = report_body(&r, g, o, err);
	if (r.fp != NULL && fclose(r.fp) != 0 && rc == 0)
		rc = error_set(err, ENOMEM, "cannot make the report");
	if (rc == 0)
		rc = gnuplot_interrupted(g, err);
	if (rc == 0 && (rc = output_open(&out, o->out, o->force, err)) == 0) {
		rc = output_write(&out, html, len, err);
		if (rc == 0)
			rc = output_commit(&out, err);
		output_close(&out);
	}
	gnuplot_close(g);
	free(html);
	if (r.rs != NULL)
		series_regions_free(&rs);
	series_free(&s);
	return rc;
}
