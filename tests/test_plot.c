/*
 * memtrend plot and report (src/charts/): every chart to PNG and SVG
 * from fixture CSVs, checked as
 * images (size, not blank) and as text (the verdict, the series names);
 * the report self-contained; no temporary file left, also after errors
 * and signals; gnuplot missing; every kind of bad input.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/replay.h"
#include "charts/gnuplot.h"
#include "charts/series.h"
#include "pngcheck.h"
#include "testutil.h"
#include "tracegen.h"
#include "util/xmalloc.h"

static char *mt;
static char demo[512], demo_regions[512], idle_regions[512];
static char tmp[512]; /* TMPDIR for memtrend: must stay empty */

static void
plot_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	snprintf(demo, sizeof demo, "%s/plot/demo.csv", tu_fixtures());
	snprintf(demo_regions, sizeof demo_regions, "%s/plot/demo-regions.csv",
		 tu_fixtures());
	snprintf(idle_regions, sizeof idle_regions, "%s/plot/idle-regions.csv",
		 tu_fixtures());
	snprintf(tmp, sizeof tmp, "%s/tmp", tu_tmpdir());
	cr_assert(mkdir(tmp, 0700) == 0);
	setenv("TMPDIR", tmp, 1);
	unsetenv("MEMTREND_GNUPLOT");
	unsetenv("MEMTREND_PLOTS");
}

TestSuite(plot, .init = plot_setup, .fini = tu_tmp_cleanup);

static const char *
out_path(const char *name)
{
	static char path[8][512];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
	return p;
}

/* Entries in a directory ("." and ".." not counted); with hidden, only
 * those whose name starts with a dot. */
static int
dir_entries(const char *dir, bool hidden, char *first, size_t len)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	cr_assert(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (hidden && de->d_name[0] != '.'))
			continue;
		if (n++ == 0 && first != NULL)
			snprintf(first, len, "%s", de->d_name);
	}
	closedir(d);
	return n;
}

/* Nothing left in TMPDIR, and no hidden temporary output file (".NAME.
 * XXXXXX") beside the outputs. */
static void
assert_no_temporaries(void)
{
	char name[256] = "";

	cr_assert_eq(dir_entries(tmp, false, name, sizeof name), 0,
		     "left in TMPDIR: %s", name);
	cr_assert_eq(dir_entries(tu_tmpdir(), true, name, sizeof name), 0,
		     "left beside the output: %s", name);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	cr_assert(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert(fread(buf, 1, (size_t)n, fp) == (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

static void
run_ok(char *const argv[])
{
	struct run r;

	tu_run(&r, argv, 60);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.err, "");
}

/* A valid PNG of that size with more than a blank canvas's colours. */
static void
assert_png(const char *path, unsigned int w, unsigned int h)
{
	unsigned int pw, ph;
	size_t colours;
	int rc;

	cr_assert_eq(png_size(path, &pw, &ph), 0, "%s is not a PNG", path);
	cr_assert(pw == w && ph == h, "%s is %ux%u, not %ux%u", path, pw, ph, w,
		  h);
	rc = png_colours(path, 100000, &colours);
	cr_assert_eq(rc, 0, "cannot decode %s", path);
	/* Lines, text and fills in several colours, antialiased. */
	cr_assert_gt(colours, 50, "%s has only %zu colours: blank?", path,
		     colours);
}

/* An attribute of the <svg> element, as a number. */
static double
svg_attr(const char *svg, const char *name)
{
	const char *p = strstr(svg, "<svg"), *end = p ? strchr(p, '>') : NULL;
	char key[64];

	cr_assert(p != NULL && end != NULL, "no <svg> element");
	snprintf(key, sizeof key, " %s=\"", name);
	p = strstr(p, key);
	cr_assert(p != NULL && p < end, "<svg> has no %s", name);
	return strtod(p + strlen(key), NULL);
}

/* The text of every <text> element, XML entities undone, joined by
 * spaces: the wrapped caption reads as one sentence again. */
static char *
svg_text(const char *svg)
{
	size_t cap = strlen(svg) + 1, n = 0;
	char *out = calloc(cap, 1);
	const char *p = svg, *q;
	int depth;

	while ((p = strstr(p, "<text")) != NULL) {
		p = strchr(p, '>') + 1;
		for (depth = 0; *p != '\0'; p++) {
			if (strncmp(p, "</text>", 7) == 0 && depth == 0)
				break;
			if (*p == '<') {
				q = strchr(p, '>');
				depth += p[1] == '/'	? -1
					 : q[-1] == '/' ? 0
							: 1;
				p = q;
				continue;
			}
			if (strncmp(p, "&lt;", 4) == 0) {
				out[n++] = '<';
				p += 3;
			} else if (strncmp(p, "&gt;", 4) == 0) {
				out[n++] = '>';
				p += 3;
			} else if (strncmp(p, "&amp;", 5) == 0) {
				out[n++] = '&';
				p += 4;
			} else if (strncmp(p, "&quot;", 6) == 0) {
				out[n++] = '"';
				p += 5;
			} else if (strncmp(p, "&apos;", 6) == 0) {
				out[n++] = '\'';
				p += 5;
			} else {
				out[n++] = *p;
			}
		}
		out[n++] = ' ';
	}
	out[n] = '\0';
	return out;
}

static void
assert_has(const char *text, const char *what)
{
	cr_assert(strstr(text, what) != NULL, "'%s' not found", what);
}

/* The verdict sentence analyze prints for a CSV (and its regions CSV,
 * or NULL). */
static void
analyze_sentence(const char *csv, const char *regions, char *buf, size_t len)
{
	struct run r;

	if (regions != NULL)
		tu_run(&r,
		       (char *[]){mt, "analyze", "--no-daily-cycle",
				  "--regions", (char *)regions, (char *)csv,
				  NULL},
		       30);
	else
		tu_run(&r,
		       (char *[]){mt, "analyze", "--no-daily-cycle",
				  (char *)csv, NULL},
		       30);
	cr_assert(r.status == 0 || r.status == 1, "%s", r.err);
	r.out[strcspn(r.out, "\n")] = '\0';
	cr_assert_lt(strlen(r.out), len);
	memcpy(buf, r.out, strlen(r.out) + 1);
}

/* The longest run of line-to commands in any <path d="...">: a series
 * drawn from many points. */
static int
svg_longest_path(const char *svg)
{
	const char *p = svg, *end;
	int best = 0, n;

	while ((p = strstr(p, " d='")) != NULL) {
		end = strchr(p + 4, '\'');
		for (n = 0; p < end; p++)
			n += *p == 'L';
		best = n > best ? n : best;
	}
	return best;
}

/* ---- growth ----------------------------------------------------------- */

Test(plot, growth_png_is_an_image_of_the_asked_size)
{
	const char *png = out_path("g.png"), *small = out_path("s.png");

	run_ok((char *[]){mt, "plot", demo, "-o", (char *)png, NULL});
	assert_png(png, 1000, 650);
	run_ok((char *[]){mt, "plot", demo, "-o", (char *)small, "--size",
			  "640x400", NULL});
	assert_png(small, 640, 400);
	assert_no_temporaries();
}

Test(plot, growth_svg_has_the_verdict_and_the_series)
{
	const char *svg_path = out_path("g.svg");
	char sentence[2048], *svg, *text;

	/* The demo was a command memtrend started: a test run. */
	run_ok((char *[]){mt, "plot", "--no-daily-cycle", demo, "-o",
			  (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	cr_assert_eq(svg_attr(svg, "width"), 1000);
	cr_assert_eq(svg_attr(svg, "height"), 650);
	text = svg_text(svg);
	analyze_sentence(demo, NULL, sentence, sizeof sentence);
	cr_assert(strncmp(sentence, "USS growing", 11) == 0, "%s", sentence);
	/* The caption wraps the sentence at spaces: a newline became a
	 * text element boundary, which svg_text() joins with a space. */
	assert_has(text, sentence);
	assert_has(text, "demo.csv: USS growing");
	assert_has(text, "RSS");
	assert_has(text, "PSS");
	assert_has(text, "USS trend (Theil–Sen)");
	assert_has(text, "USS floor");
	/* The demo's slope is known to 988–988 MiB/h: a band too thin to
	 * see is not in the legend either. */
	cr_assert_null(strstr(text, "slope, 95 % CI"), "%s", text);
	/* A test run's rise is a leak once it lasted 90 s (and 90 samples)
	 * after the start-up; three evaluations later the flag is up. */
	assert_has(text, "flagged at 1 min 41 s");
	assert_has(text, "minor faults/s");
	assert_has(text, "memory (MiB)");
	assert_has(text, "elapsed (s)");
	/* 480 samples: the series are drawn point by point. */
	cr_assert_gt(svg_longest_path(svg), 60);
	free(text);
	free(svg);
	assert_no_temporaries();
}

Test(plot, pdf_by_extension)
{
	const char *pdf = out_path("g.pdf");
	size_t len;
	char *buf;

	run_ok((char *[]){mt, "plot", demo, "-o", (char *)pdf, NULL});
	buf = slurp(pdf, &len);
	cr_assert(len > 1000 && strncmp(buf, "%PDF-", 5) == 0);
	free(buf);
}

/* Only elapsed_s and one memory column still makes a chart. */
Test(plot, minimal_csv_gets_its_chart)
{
	const char *csv = out_path("min.csv"), *png = out_path("min.png");
	const char *svg_path = out_path("min.svg");
	char *svg, *text;
	FILE *fp = fopen(csv, "w");
	int i;

	fprintf(fp, "elapsed_s,rss_kb\n");
	for (i = 0; i < 20; i++)
		fprintf(fp, "%d,%d\n", i, 1000 + (i % 3) * 10);
	fclose(fp);
	run_ok((char *[]){mt, "plot", (char *)csv, "-o", (char *)png, NULL});
	assert_png(png, 1000, 650);
	run_ok(
	    (char *[]){mt, "plot", (char *)csv, "-o", (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	text = svg_text(svg);
	assert_has(text, "RSS: not enough data yet");
	assert_has(text, "memory (KiB)");
	cr_assert(strstr(text, "PSS") == NULL && strstr(text, "faults") == NULL,
		  "series drawn that the CSV does not have");
	free(text);
	free(svg);
}

/* An 8-hour run with timestamps: a clock axis (UTC); elapsed on request. */
Test(plot, long_runs_get_a_wall_clock_axis)
{
	const struct tracegen_spec leak = {.shape = TG_LINEAR,
					   .seed = 3,
					   .interval_s = 30,
					   .duration_s = 8 * 3600,
					   .base_kb = 2.0 * 1024 * 1024,
					   .rate = 0.02,
					   .noise = 0.01};
	const char *csv = out_path("long.csv"), *svg_path = out_path("l.svg");
	struct tracegen g;
	double at, kb;
	char *svg, *text;
	FILE *fp = fopen(csv, "w");

	fprintf(fp, "timestamp,elapsed_s,uss_kb\n");
	tracegen_start(&g, &leak);
	while (tracegen_next(&g, &at, &kb))
		fprintf(fp, "2026-03-01T%02d:%02d:%02dZ,%.0f,%.0f\n",
			6 + (int)at / 3600, (int)at / 60 % 60, (int)at % 60, at,
			kb);
	fclose(fp);
	run_ok(
	    (char *[]){mt, "plot", (char *)csv, "-o", (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	text = svg_text(svg);
	assert_has(text, "time (UTC)");
	assert_has(text, "08:00");
	assert_has(text, "12:00");
	assert_has(text, "memory (GiB)");
	free(text);
	free(svg);
	run_ok((char *[]){mt, "plot", (char *)csv, "-o", (char *)svg_path,
			  "--time", "elapsed", "--force", NULL});
	svg = slurp(svg_path, NULL);
	text = svg_text(svg);
	assert_has(text, "elapsed (h)");
	cr_assert(strstr(text, "12:00") == NULL);
	free(text);
	free(svg);
}

/* A long CSV is drawn from the minimum and maximum of buckets of rows,
 * not row by row: gnuplot gets a bounded amount of data. */
Test(plot, long_csvs_are_bucketed)
{
	const struct tracegen_spec saw = {.shape = TG_SAWTOOTH_RISING,
					  .seed = 5,
					  .interval_s = 1,
					  .duration_s = 30000,
					  .base_kb = 100000,
					  .rate = 0.01,
					  .noise = 0.05,
					  .period_s = 600};
	const char *csv = out_path("big.csv"), *svg_path = out_path("b.svg");
	struct tracegen g;
	double at, kb;
	int longest;
	char *svg;
	FILE *fp = fopen(csv, "w");

	fprintf(fp, "elapsed_s,uss_kb,minflt\n");
	tracegen_start(&g, &saw);
	while (tracegen_next(&g, &at, &kb))
		fprintf(fp, "%.0f,%.0f,%.0f\n", at, kb, at * 7);
	fclose(fp);
	run_ok(
	    (char *[]){mt, "plot", (char *)csv, "-o", (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	longest = svg_longest_path(svg);
	cr_assert(longest > 1000 && longest <= 4100, "%d points", longest);
	assert_has(svg, "minor faults/s");
	free(svg);
}

/* ---- regions and idle ------------------------------------------------- */

Test(plot, regions_chart_png_and_svg)
{
	const char *png = out_path("r.png"), *svg_path = out_path("r.svg");
	char *svg, *text;

	run_ok((char *[]){mt, "plot", demo, "--regions", demo_regions, "-o",
			  (char *)png, NULL});
	assert_png(png, 1000, 650);
	run_ok((char *[]){mt, "plot", demo, "--regions", demo_regions, "-o",
			  (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	cr_assert_eq(svg_attr(svg, "width"), 1000);
	text = svg_text(svg);
	/* The demo leaks into its heap; nothing else grows, so the rest
	 * (its working set in [anon], libraries, stack) is "other". */
	assert_has(text, "[heap]  +32.9 MiB");
	assert_has(text, "Stacked: the 1 region that grew most");
	assert_has(text, "other");
	assert_has(text, "USS (MiB)");
	/* Titled with the run (here the samples CSV: no provenance line),
	 * never the regions CSV's file name. */
	assert_has(text, "demo.csv: USS by region");
	cr_assert_null(strstr(text, "demo-regions.csv"), "%s", text);
	free(text);
	free(svg);
	assert_no_temporaries();
}

Test(plot, idle_chart_png_and_svg)
{
	const char *png = out_path("i.png"), *svg_path = out_path("i.svg");
	char *svg, *text;

	run_ok((char *[]){mt, "plot", demo, "--regions", idle_regions,
			  "--chart", "idle", "-o", (char *)png, NULL});
	assert_png(png, 1000, 650);
	run_ok((char *[]){mt, "plot", demo, "--regions", idle_regions,
			  "--chart", "idle", "-o", (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	text = svg_text(svg);
	assert_has(text, "[heap]");
	assert_has(text, "[anon]");
	assert_has(text, "libc.so.6 (code)");
	assert_has(text, "idle 17-64 scans");
	assert_has(text, "accessed");
	assert_has(text, "a scan every 30.0 s (page_idle)");
	/* [stack] has no idle data: not drawn. */
	cr_assert(strstr(text, "[stack]") == NULL);
	free(text);
	free(svg);
}

Test(plot, idle_chart_needs_idle_data)
{
	struct run r;

	tu_run(&r,
	       (char *[]){mt, "plot", demo, "--regions", demo_regions,
			  "--chart", "idle", "-o", (char *)out_path("i.png"),
			  NULL},
	       30);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "has no idle data");
	tu_run(&r,
	       (char *[]){mt, "plot", demo, "--chart", "regions", "-o",
			  (char *)out_path("r.png"), NULL},
	       30);
	cr_assert_eq(r.status, 2);
	assert_has(r.err, "the regions chart needs a regions CSV");
	assert_no_temporaries();
}

/* ---- faults ----------------------------------------------------------- */

/* Rates from cumulative counters: none across a restart (the counter
 * went back) or a gap, none from an unknown value. */
Test(plot, fault_rates_skip_restarts_and_gaps)
{
	const char *csv = out_path("f.csv");
	struct series s;
	struct error err;
	FILE *fp = fopen(csv, "w");

	fprintf(fp,
		"elapsed_s,rss_kb,minflt,majflt\n"
		"0,100,1000,5\n1,100,1100,5\n2,100,1300,6\n" /* 100/s, 200/s */
		"3,100,50,0\n4,100,150,0\n"		     /* restart */
		"5,100,,0\n6,100,400,0\n"		     /* unknown */
		"60,100,1000,1\n61,100,1010,1\n");	     /* a gap */
	fclose(fp);
	cr_assert_eq(series_load(&s, csv, -1, true, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 9);
	cr_assert_eq(s.interval_s, 1);
	cr_assert_float_eq(series_rate(&s, SERIES_MINFLT, 1), 100, 1e-9);
	cr_assert_float_eq(series_rate(&s, SERIES_MINFLT, 2), 200, 1e-9);
	cr_assert(isnan(series_rate(&s, SERIES_MINFLT, 3)), "restart");
	cr_assert_float_eq(series_rate(&s, SERIES_MINFLT, 4), 100, 1e-9);
	cr_assert(isnan(series_rate(&s, SERIES_MINFLT, 5)), "unknown");
	cr_assert(isnan(series_rate(&s, SERIES_MINFLT, 6)), "unknown");
	cr_assert(isnan(series_rate(&s, SERIES_MINFLT, 7)), "gap");
	cr_assert_float_eq(series_rate(&s, SERIES_MINFLT, 8), 10, 1e-9);
	cr_assert_float_eq(series_rate(&s, SERIES_MAJFLT, 2), 1, 1e-9);
	series_free(&s);
}

/* The regions CSV is long format, names may be quoted, cells empty. */
Test(plot, regions_csv_is_read_per_region)
{
	const char *csv = out_path("r.csv");
	struct series_regions rs;
	struct error err;
	size_t top[4], n;
	FILE *fp = fopen(csv, "w");

	fprintf(fp, "timestamp,elapsed_s,region,kind,rss_kb,uss_kb\n"
		    "2026-01-01T00:00:00Z,0,[heap],heap,100,90\n"
		    "2026-01-01T00:00:00Z,0,\"/srv/a,b.so\",data,50,\n"
		    "2026-01-01T00:00:01Z,1,[heap],heap,300,290\n"
		    "2026-01-01T00:00:01Z,1,\"/srv/a,b.so\",data,60,40\n"
		    "2026-01-01T00:00:01Z,1,[anon],anon,20,20\n");
	fclose(fp);
	cr_assert_eq(series_load_regions(&rs, csv, &err), 0, "%s", err.msg);
	cr_assert_eq(rs.nt, 2);
	cr_assert_eq(rs.n, 3);
	cr_assert(rs.uss && !rs.has_idle && rs.has_wall);
	cr_assert_str_eq(rs.r[1].name, "/srv/a,b.so");
	cr_assert(isnan(rs.r[1].kb[0]), "an empty cell is unknown, not 0");
	cr_assert(isnan(rs.r[2].kb[0]), "[anon] was not there at first");
	n = series_regions_top(&rs, top, 4);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(rs.r[top[0]].name, "[heap]");
	series_regions_free(&rs);
}

/* ---- report ----------------------------------------------------------- */

Test(plot, report_is_self_contained)
{
	const char *html = out_path("rep.html");
	static const char *const banned[] = {
	    "http://", "https://", "src=",     "<link",
	    "@import", "<script",  "url(http", "url(data"};
	char sentence[2048], *buf, *p;
	size_t i, svgs = 0;

	run_ok((char *[]){mt, "report", "--no-daily-cycle", demo, "--regions",
			  idle_regions, "-o", (char *)html, NULL});
	buf = slurp(html, NULL);
	for (i = 0; i < sizeof banned / sizeof banned[0]; i++)
		cr_assert(strcasestr(buf, banned[i]) == NULL,
			  "the report has "
			  "'%s'",
			  banned[i]);
	cr_assert(strncmp(buf, "<!DOCTYPE html>", 15) == 0);
	for (p = buf; (p = strstr(p, "<svg")) != NULL; p++)
		svgs++;
	cr_assert_eq(svgs, 3, "growth, regions, idle: %zu charts", svgs);
	cr_assert_eq(strstr(buf, "<?xml"), NULL);
	analyze_sentence(demo, idle_regions, sentence, sizeof sentence);
	assert_has(sentence, "[heap] accounts for ");
	/* The sentence has a '<', which HTML escapes. */
	p = strstr(sentence, "p < 1e-9");
	cr_assert(p != NULL);
	memmove(p + 6, p + 3, strlen(p + 3) + 1);
	memcpy(p + 2, "&lt;", 4);
	assert_has(buf, sentence);
	assert_has(buf, "<h2>Verdict: growing</h2>");
	/* The cells say their unit; the row labels are the sizes' names. */
	assert_has(buf, "<tr><td>uss</td><td>2.15 MiB</td>");
	cr_assert_null(strstr(buf, "<td>uss_kb</td>"));
	/* The verdict is said once: above the growth chart, not under its
	 * title too. */
	p = strstr(buf, "Best explanation");
	cr_assert(p != NULL && strstr(p + 1, "Best explanation") == NULL,
		  "the verdict sentence is in the report more than once");
	/* The charts' text is as large as the page's (15 px, the charts
	 * drawn at about the page's width). */
	assert_has(buf, "font-size=\"15.12\"");
	assert_has(buf, "<td>[heap]</td>");
	/* Ids are prefixed per chart, so none repeats. */
	assert_has(buf, "id='c0-gpPt0'");
	assert_has(buf, "id='c1-gpPt0'");
	assert_has(buf, "xlink:href='#c1-gpPt");
	free(buf);
	assert_no_temporaries();
}

Test(plot, report_without_regions)
{
	const char *html = out_path("rep.html");
	char *buf, *p;
	size_t svgs = 0;

	run_ok((char *[]){mt, "report", demo, "-o", (char *)html, NULL});
	buf = slurp(html, NULL);
	for (p = buf; (p = strstr(p, "<svg")) != NULL; p++)
		svgs++;
	cr_assert_eq(svgs, 1);
	assert_has(buf, "minflt");
	free(buf);
}

/* ---- errors ----------------------------------------------------------- */

static void
expect_fail(char *const argv[], const char *words)
{
	struct run r;

	tu_run(&r, argv, 30);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strncmp(r.err, "memtrend: ", 10) == 0, "%s", r.err);
	cr_assert(strchr(r.err, '\n') == r.err + strlen(r.err) - 1 ||
		      strstr(r.err, "Try 'memtrend ") != NULL,
		  "more than one line: %s", r.err);
	assert_has(r.err, words);
	cr_assert_str_eq(r.out, "");
}

Test(plot, gnuplot_missing_says_which_package)
{
	const char *png = out_path("g.png"), *csv = out_path("copy.csv");
	char *before, *after, *cmd;
	struct stat st0, st1;

	xasprintf(&cmd, "cp %s %s", demo, csv);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	stat(csv, &st0);
	before = slurp(csv, NULL);
	setenv("MEMTREND_GNUPLOT", "/nonexistent/gnuplot", 1);
	expect_fail(
	    (char *[]){mt, "plot", (char *)csv, "-o", (char *)png, NULL},
	    "gnuplot-nox");
	expect_fail((char *[]){mt, "report", (char *)csv, "-o",
			       (char *)out_path("r.html"), NULL},
		    "gnuplot-nox");
	/* Searched on PATH when named without a slash. */
	setenv("MEMTREND_GNUPLOT", "gnuplot", 1);
	setenv("PATH", "/nonexistent", 1);
	expect_fail(
	    (char *[]){mt, "plot", (char *)csv, "-o", (char *)png, NULL},
	    "apt-get install gnuplot-nox");
	/* A live run with --plot fails before it starts. */
	expect_fail((char *[]){mt, "-c", "3", "-o", (char *)out_path("n.csv"),
			       "--plot", (char *)png, "--", "/bin/true", NULL},
		    "gnuplot-nox");
	cr_assert(access(out_path("n.csv"), F_OK) != 0);
	cr_assert(access(png, F_OK) != 0, "no chart");
	after = slurp(csv, NULL);
	stat(csv, &st1);
	cr_assert_str_eq(before, after, "the CSV changed");
	cr_assert_eq(st0.st_mtime, st1.st_mtime);
	free(before);
	free(after);
	assert_no_temporaries();
}

Test(plot, bad_input_is_one_clear_line)
{
	const char *png = out_path("g.png"), *bad = out_path("bad.csv");
	FILE *fp = fopen(bad, "w");

	fprintf(fp, "elapsed_s,vsz_kb\n0,1\n");
	fclose(fp);
	expect_fail(
	    (char *[]){mt, "plot", (char *)bad, "-o", (char *)png, NULL},
	    "line 1: no uss_kb, pss_kb or rss_kb column");
	expect_fail(
	    (char *[]){mt, "plot", "/nonexistent.csv", "-o", (char *)png, NULL},
	    "cannot open /nonexistent.csv");
	expect_fail(
	    (char *[]){mt, "plot", demo, "-o", (char *)out_path("g.gif"), NULL},
	    "end it in .png, .svg or .pdf");
	expect_fail(
	    (char *[]){mt, "plot", demo, "-o", "/nonexistent/g.png", NULL},
	    "its directory does not exist");
	expect_fail((char *[]){mt, "plot", demo, NULL}, "plot needs -o");
	expect_fail((char *[]){mt, "plot", "-o", (char *)png, NULL},
		    "plot needs a CSV file");
	expect_fail((char *[]){mt, "plot", demo, "--chart", "pie", "-o",
			       (char *)png, NULL},
		    "invalid chart 'pie'");
	expect_fail((char *[]){mt, "plot", demo, "--size", "10x10", "-o",
			       (char *)png, NULL},
		    "invalid size '10x10'");
	expect_fail((char *[]){mt, "plot", demo, "--regions", (char *)bad, "-o",
			       (char *)png, NULL},
		    "no region column");
	expect_fail((char *[]){mt, "report", demo, "-o",
			       (char *)out_path("r.png"), NULL},
		    "name it .html");
	expect_fail((char *[]){mt, "-c", "3", "--plot", (char *)png, "--",
			       "/bin/true", NULL},
		    "--plot draws the chart from the run's CSV: "
		    "give -o FILE.csv too");
	cr_assert(access(png, F_OK) != 0);
	assert_no_temporaries();
}

Test(plot, existing_output_needs_force)
{
	const char *png = out_path("g.png");
	FILE *fp = fopen(png, "w");
	char *buf;

	fputs("keep me", fp);
	fclose(fp);
	expect_fail((char *[]){mt, "plot", demo, "-o", (char *)png, NULL},
		    "already exists; use --force");
	buf = slurp(png, NULL);
	cr_assert_str_eq(buf, "keep me");
	free(buf);
	run_ok((char *[]){mt, "plot", demo, "-o", (char *)png, "-f", NULL});
	assert_png(png, 1000, 650);
	assert_no_temporaries();
}

/* A template that makes gnuplot fail: its message, and nothing left. */
Test(plot, gnuplot_failure_is_reported_and_cleaned_up)
{
	const char *dir = out_path("tpl"), *png = out_path("g.png");
	char path[600];
	FILE *fp;

	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/growth.gp", dir);
	fp = fopen(path, "w");
	fputs("load common\nplot no_such_variable\n", fp);
	fclose(fp);
	expect_fail((char *[]){mt, "plot", demo, "-o", (char *)png,
			       "--templates", (char *)dir, NULL},
		    "gnuplot failed on");
	expect_fail((char *[]){mt, "plot", demo, "-o", (char *)png,
			       "--templates", (char *)dir, NULL},
		    "undefined variable");
	cr_assert(access(png, F_OK) != 0);
	assert_no_temporaries();
}

/* A restyled copy of a template is used; the rest come from plots/. */
Test(plot, templates_can_be_overridden)
{
	const char *dir = out_path("tpl"), *svg_path = out_path("g.svg");
	char *cmd, *svg;

	xasprintf(&cmd,
		  "mkdir %s && sed 's/memory (/MEMORY (/' %s/growth.gp "
		  "> %s/growth.gp",
		  dir, tu_bin("PLOTS", "plots"), dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	setenv("MEMTREND_PLOTS", dir, 1);
	/* The demo was a command memtrend started: a test run. */
	run_ok((char *[]){mt, "plot", "--no-daily-cycle", demo, "-o",
			  (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	assert_has(svg, "MEMORY (MiB)");
	free(svg);
}

/* SIGTERM while gnuplot runs: it is stopped, nothing is written and the
 * temporaries go.  The "gnuplot" here only sleeps. */
Test(plot, a_signal_leaves_nothing_behind)
{
	const char *png = out_path("g.png"), *fake = out_path("slow-gnuplot");
	char started[600];
	int i, st;
	pid_t pid;
	FILE *fp = fopen(fake, "w");

	fprintf(fp, "#!/bin/sh\ntouch '%s.started'\nexec sleep 60\n", fake);
	fclose(fp);
	chmod(fake, 0755);
	setenv("MEMTREND_GNUPLOT", fake, 1);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", 1);

		dup2(null, 2);
		execl(mt, mt, "plot", demo, "-o", png, (char *)NULL);
		_exit(127);
	}
	/* Wait until the data is written and "gnuplot" started (it says
	 * so with a file). */
	snprintf(started, sizeof started, "%s.started", fake);
	for (i = 0; i < 3000 && access(started, F_OK) != 0; i++)
		usleep(10000);
	cr_assert(access(started, F_OK) == 0, "gnuplot never started");
	cr_assert(dir_entries(tmp, false, NULL, 0) > 0,
		  "no temporary directory");
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %d", st);
	cr_assert(access(png, F_OK) != 0);
	assert_no_temporaries();
}

/* --plot on a live run: the chart of the run's own CSV at the end. */
Test(plot, live_run_writes_its_chart)
{
	const char *csv = out_path("live.csv"), *png = out_path("live.png");
	const char *demo_bin = tu_bin("MEMTREND_DEMO", "./memtrend-demo");
	struct run r;

	/* The whole budget: 40 stretched ticks (ASan, load) and gnuplot
	 * could outlast the 60 s limit. */
	tu_run(&r,
	       (char *[]){mt, "-q", "--every", "50ms", "--budget", "100%",
			  "--count", "40", "-o", (char *)csv, "--plot",
			  (char *)png, "--", (char *)demo_bin, NULL},
	       60);
	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_has(r.out, "chart: ");
	assert_png(png, 1000, 650);
	assert_no_temporaries();
}

/* Every byte value but NUL reaches gnuplot as data: a template that
 * prints each string parameter back gives the exact bytes, and nothing
 * in them runs (backquotes, macros) or ends the assignment. */
Test(plot, gnuplot_strings_arrive_byte_for_byte)
{
	const char *tpl = out_path("echo.gp"), *back = out_path("back.txt");
	const char *pwned = out_path("PWNED");
	char name[16], value[64], *expect, *got, all[256];
	size_t len, elen = 0;
	struct gnuplot *g;
	struct error err;
	FILE *fp;
	int b;

	cr_assert_eq(chdir(tu_tmpdir()), 0);
	fp = fopen(tpl, "w");
	fputs("set print back\ndo for [i=0:255] { print value(sprintf('s%d', "
	      "i)) }\n",
	      fp);
	fclose(fp);
	cr_assert_eq(gnuplot_open(&g, NULL, &err), 0, "%s", err.msg);
	expect = xmalloc(256 * sizeof value);
	for (b = 1; b < 256; b++)
		all[b - 1] = (char)b;
	all[255] = '\0';
	gnuplot_param_str(g, "s0", all);
	elen += (size_t)snprintf(expect, 300, "%s\n", all);
	for (b = 1; b < 256; b++) {
		snprintf(name, sizeof name, "s%d", b);
		snprintf(value, sizeof value, "%c`touch PWNED`@back'\"\\%c;#%c",
			 b, b, b);
		gnuplot_param_str(g, name, value);
		elen += (size_t)sprintf(expect + elen, "%s\n", value);
	}
	gnuplot_param_str(g, "back", back);
	cr_assert_eq(gnuplot_run(g, tpl, &err), 0, "%s", err.msg);
	gnuplot_close(g);
	cr_assert(access(pwned, F_OK) != 0, "a backquote ran a command");
	got = slurp(back, &len);
	cr_assert_eq(len, elen, "%zu bytes back, %zu sent", len, elen);
	cr_assert(memcmp(got, expect, len) == 0, "bytes changed on the way");
	free(got);
	free(expect);
}

/* A CSV's name and a regions CSV's cells are text, never commands. */
Test(plot, names_and_cells_never_run_commands)
{
	const char *png = out_path("x.png");
	char *cmd, csv[600], rcsv[600];

	cr_assert_eq(chdir(tu_tmpdir()), 0);
	snprintf(csv, sizeof csv, "%s/a`touch PWNED1`.csv", tu_tmpdir());
	snprintf(rcsv, sizeof rcsv, "%s/r.csv", tu_tmpdir());
	xasprintf(&cmd,
		  "cp %s '%s' && sed 's/,page_idle,/,`touch PWNED2`,/' "
		  "%s > %s",
		  demo, csv, idle_regions, rcsv);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	run_ok((char *[]){mt, "plot", csv, "-o", (char *)png, NULL});
	cr_assert(access("PWNED1", F_OK) != 0, "the CSV's name ran a command");
	run_ok((char *[]){mt, "plot", csv, "--regions", rcsv, "--chart", "idle",
			  "-o", (char *)png, "--force", NULL});
	cr_assert(access("PWNED2", F_OK) != 0, "a CSV cell ran a command");
	run_ok((char *[]){mt, "plot", csv, "-o", "`touch PWNED3`.png", NULL});
	cr_assert(access("PWNED3", F_OK) != 0, "the -o name ran a command");
	cr_assert(access("`touch PWNED3`.png", F_OK) == 0);
}

/* A CSV's provenance line names the run in every title, escaped for
 * gnuplot and HTML: a hostile command line is text, never a command or
 * markup; the report gives the live run's region evidence. */
Test(plot, titles_name_the_watched_process)
{
	const char *svg_path = out_path("t.svg"), *html = out_path("t.html");
	const char *rsvg = out_path("tr.svg");
	static const char who[] =
	    "./evil'$(touch PWNED)`touch PWNED`@x <b>&amp;</b> \"q\"";
	char csv[600], regions[600], *cmd, *buf, *text;
	FILE *fp;

	cr_assert_eq(chdir(tu_tmpdir()), 0);
	snprintf(csv, sizeof csv, "%s/run.csv", tu_tmpdir());
	snprintf(regions, sizeof regions,
		 "%s/analyze/live-regions/demo-regions.csv.gz", tu_fixtures());
	/* The command as the CSV sink quotes it (libcsv: "" for "). */
	xasprintf(&cmd, "%s/analyze/live-regions/demo.csv", tu_fixtures());
	buf = slurp(cmd, NULL);
	free(cmd);
	fp = fopen(csv, "w");
	cr_assert(fp != NULL);
	fprintf(fp,
		"# memtrend 0.1.0,\"command=./evil'$(touch PWNED)`touch "
		"PWNED`@x <b>&amp;</b> \"\"q\"\"\",pid=42,host=web1,"
		"kernel=6.1.0-18-amd64,started=2026-11-30T08:03:14Z\n%s",
		buf);
	fclose(fp);
	free(buf);

	run_ok((char *[]){mt, "plot", "--no-daily-cycle", csv, "-o",
			  (char *)svg_path, NULL});
	text = svg_text(buf = slurp(svg_path, NULL));
	assert_has(text, who);
	assert_has(text,
		   " (pid 42) on web1, Linux 6.1.0-18-amd64: USS growing");
	free(text);
	free(buf);
	run_ok((char *[]){mt, "plot", csv, "--regions", regions, "-o",
			  (char *)rsvg, NULL});
	text = svg_text(buf = slurp(rsvg, NULL));
	assert_has(text, " (pid 42) on web1, Linux 6.1.0-18-amd64: USS by "
			 "region");
	free(text);
	free(buf);

	run_ok((char *[]){mt, "report", "--no-daily-cycle", csv, "--regions",
			  regions, "-o", (char *)html, NULL});
	buf = slurp(html, NULL);
	assert_has(buf, "<title>memtrend report: ./evil&#39;$(touch PWNED)"
			"`touch PWNED`@x &lt;b&gt;&amp;amp;&lt;/b&gt; "
			"&quot;q&quot; (pid 42) on web1, Linux "
			"6.1.0-18-amd64</title>");
	cr_assert_null(strstr(buf, "<b>"), "unescaped markup");
	assert_has(buf, "[heap] accounts for 100 % of the growth.");
	free(buf);
	cr_assert(access("PWNED", F_OK) != 0, "the command line ran");
	assert_no_temporaries();
}

/* The y coordinates of the data of the path drawn in colour (gnuplot's
 * SVG "rgb(r, g, b)"), its first subpath (the legend's sample) left out;
 * returns how many. */
static size_t
svg_path_ys(const char *svg, const char *colour, double *y, size_t max)
{
	const char *p = strstr(svg, colour), *end;
	size_t n = 0;
	double x;
	int subpaths = 0;

	cr_assert(p != NULL, "no path in %s", colour);
	p = strstr(p, " d='");
	cr_assert(p != NULL);
	end = strchr(p + 4, '\'');
	for (p += 4; p < end && n < max; p++) {
		if (*p == 'M')
			subpaths++;
		if ((*p == 'M' || *p == 'L') && subpaths > 1 &&
		    sscanf(p + 1, "%lf,%lf", &x, &y[n]) == 2)
			n++;
	}
	return n;
}

/* The demo's faults come at a steady 70 a second from a 100 ms loop; a
 * 250 ms sample holds two or three of its ticks, so row by row the rate
 * zig-zagged between 56 and 84.  Drawn over buckets of rows it is flat;
 * and the log axis has no 0 tick. */
Test(plot, fault_rates_are_steady_without_a_zero_tick)
{
	const char *svg_path = out_path("f.svg");
	double y[600], lo = INFINITY, hi = -INFINITY;
	char *svg, *text;
	size_t n, i;

	run_ok((char *[]){mt, "plot", demo, "-o", (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	/* c_minflt, #56B4E9 */
	n = svg_path_ys(svg, "stroke='rgb( 86, 180, 233)'", y, 600);
	cr_assert(n > 50 && n <= 121, "%zu points", n);
	for (i = n / 10; i < n - n / 10; i++) {
		lo = fmin(lo, y[i]);
		hi = fmax(hi, y[i]);
	}
	cr_assert_leq(hi - lo, 3, "the rate wanders over %.1f pixels", hi - lo);
	text = svg_text(svg);
	assert_has(text, "faults/s");
	assert_has(text, " 1 10 100 ");
	free(text);
	free(svg);
}

static double
plot_hue(const char *hex)
{
	unsigned int r, g, b;
	double R, G, B, max, min, h;

	cr_assert_eq(sscanf(hex, "#%2x%2x%2x", &r, &g, &b), 3, "%s", hex);
	R = r / 255.0;
	G = g / 255.0;
	B = b / 255.0;
	max = fmax(R, fmax(G, B));
	min = fmin(R, fmin(G, B));
	cr_assert_gt(max - min, 0.2, "%s is nearly grey", hex);
	if (max == R)
		h = fmod((G - B) / (max - min), 6);
	else if (max == G)
		h = (B - R) / (max - min) + 2;
	else
		h = (R - G) / (max - min) + 4;
	return fmod(h * 60 + 360, 360);
}

/* RSS, PSS and USS in colours told apart at a glance: PSS and USS at
 * least 90 degrees apart in hue (orange beside vermillion was 15), RSS
 * 30 from either. */
Test(plot, size_colours_differ_in_hue)
{
	static const char *const names[] = {"c_rss", "c_pss", "c_uss"};
	char path[600], *gp, *p, want[16];
	double hue[3], d;
	int i, j;

	snprintf(path, sizeof path, "%s/common.gp",
		 getenv("PLOTS") != NULL ? getenv("PLOTS") : "plots");
	gp = slurp(path, NULL);
	for (i = 0; i < 3; i++) {
		snprintf(want, sizeof want, "\n%s = '", names[i]);
		p = strstr(gp, want);
		cr_assert(p != NULL, "no %s in %s", names[i], path);
		hue[i] = plot_hue(p + strlen(want));
	}
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++) {
			d = fabs(hue[i] - hue[j]);
			d = d > 180 ? 360 - d : d;
			/* PSS and USS often overlap: the farthest apart. */
			cr_assert_geq(d, i == 1 ? 90 : 30,
				      "%s and %s are %.0f degrees apart",
				      names[i], names[j], d);
		}
	free(gp);
}

/* A noisy rise's slope is known within a band wide enough to see: drawn,
 * and in the legend. */
Test(plot, a_visible_slope_band_is_drawn)
{
	const char *csv = out_path("noisy.csv"), *svg_path = out_path("n.svg");
	char *svg, *text;
	FILE *fp = fopen(csv, "w");
	int i;

	/* Noise from a linear congruential generator: (i * 7919) % 601
	 * was a sawtooth, which the verdict now fits as a cycle, leaving a
	 * narrow band. */
	fprintf(fp, "elapsed_s,uss_kb\n");
	for (i = 0; i < 200; i++)
		fprintf(fp, "%d,%ld\n", i * 10,
			10000 + 2L * i +
			    (long)((((unsigned long)i * 1103515245u + 12345u) &
				    0x7fffffffu) >>
				   8) %
				601);
	fclose(fp);
	run_ok(
	    (char *[]){mt, "plot", (char *)csv, "-o", (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	text = svg_text(svg);
	assert_has(text, "USS trend (Theil–Sen)");
	assert_has(text, "slope, 95 % CI");
	free(text);
	free(svg);
}

/* memtrend kernel's CSVs: its series as lines, and the caches that grew
 * most stacked, a hostile cache name drawn as text. */
Test(plot, kernel_charts_from_the_kernel_csvs)
{
	const char *kcsv = out_path("kernel.csv"),
		   *ccsv = out_path("caches.csv");
	const char *svg_path = out_path("k.svg"), *png = out_path("c.png");
	char *svg, *text;
	FILE *f;
	int k;

	f = fopen(kcsv, "w");
	cr_assert_not_null(f);
	fprintf(f, "timestamp,elapsed_s,mem_available_kb,slab_kb,"
		   "slab_reclaimable_kb,slab_unreclaim_kb,vmalloc_used_kb,"
		   "percpu_kb,kernel_stack_kb,page_tables_kb,unaccounted_kb\n");
	for (k = 0; k < 60; k++)
		fprintf(f,
			"2026-11-30T10:00:%02d.000Z,%d,900000,%d,20000,%d,"
			"30000,4000,3000,2000,%d\n",
			k, k, 60000 + 100 * k, 40000 + 100 * k, 5000 - k);
	cr_assert_eq(fclose(f), 0);
	run_ok(
	    (char *[]){mt, "plot", (char *)kcsv, "-o", (char *)svg_path, NULL});
	svg = slurp(svg_path, NULL);
	text = svg_text(svg);
	assert_has(text, "kernel.csv: the kernel's own memory");
	assert_has(text, "slab, unreclaimable");
	assert_has(text, "unaccounted");
	free(text);
	free(svg);

	f = fopen(ccsv, "w");
	cr_assert_not_null(f);
	fprintf(f, "timestamp,elapsed_s,kind,name,kb,pages_kb,reclaimable\n");
	for (k = 0; k < 60; k++) {
		fprintf(f,
			"2026-11-30T10:00:%02d.000Z,%d,slab,kmalloc-256,%d,"
			"%d,0\n",
			k, k, 1000 + 50 * k, 1024 + 50 * k);
		fprintf(f,
			"2026-11-30T10:00:%02d.000Z,%d,slab,\"evil\"\"'`$(x)\","
			"%d,%d,0\n",
			k, k, 500 + 10 * k, 512 + 10 * k);
		fprintf(f,
			"2026-11-30T10:00:%02d.000Z,%d,vmalloc,flat_caller,"
			"800,800,0\n",
			k, k);
	}
	cr_assert_eq(fclose(f), 0);
	run_ok((char *[]){mt, "plot", "--caches", (char *)ccsv, "-o",
			  (char *)png, NULL});
	assert_png(png, 1000, 650);
	run_ok((char *[]){mt, "plot", "--caches", (char *)ccsv, "-o",
			  (char *)svg_path, "--force", NULL});
	svg = slurp(svg_path, NULL);
	text = svg_text(svg);
	assert_has(text, "slab kmalloc-256  +2.88 MiB");
	assert_has(text, "slab evil\u201d'`$(x)  +590 KiB");
	assert_has(text, "Stacked: the 2 caches and callers that grew most");
	free(text);
	free(svg);
	assert_no_temporaries();
}
