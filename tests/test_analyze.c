/*
 * memtrend analyze (src/analysis/replay.c, src/cmd/cmd-analyze.c): replaying
 * CSVs, the exit status, the JSON, and every kind of bad input named by its
 * line.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/replay.h"
#include "analysis/trend.h"
#include "core/regions.h"
#include "testutil.h"
#include "tracegen.h"

static char *mt;

static void
analyze_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
}

TestSuite(analyze, .init = analyze_setup, .fini = tu_tmp_cleanup);

static char *
write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
	fp = fopen(path, "w");
	cr_assert(fp != NULL);
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* A labelled trace as a CSV in memtrend's own format (timestamp,
 * elapsed_s, pid, the memory columns, then an unknown one). */
static char *
write_trace(const char *name, const struct tracegen_spec *spec)
{
	static char path[512];
	struct tracegen g;
	double at, kb;
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
	fp = fopen(path, "w");
	cr_assert(fp != NULL);
	fprintf(fp, "timestamp,elapsed_s,pid,rss_kb,pss_kb,uss_kb,extra\n");
	tracegen_start(&g, spec);
	while (tracegen_next(&g, &at, &kb))
		fprintf(fp,
			"2026-01-01T00:00:00.000Z,%.3f,42,%.0f,%.0f,%.0f,"
			"x\n",
			at, kb + 3000, kb + 1000, kb);
	fclose(fp);
	return path;
}

static const struct tracegen_spec leak = {
    .shape = TG_LINEAR,
    .seed = 7,
    .interval_s = 10,
    .duration_s = 8 * 3600,
    .base_kb = 300 * 1024,
    .rate = 0.05,
    .noise = 0.01,
};

static const struct tracegen_spec flat = {
    .shape = TG_FLAT,
    .seed = 7,
    .interval_s = 10,
    .duration_s = 8 * 3600,
    .base_kb = 300 * 1024,
    .noise = 0.01,
};

/* The replay flags the leak at the very moment the detector fed live
 * would have. */
Test(analyze, growing_exits_1_with_the_live_detection_time)
{
	struct trend *t = trend_new();
	char *path = write_trace("leak.csv", &leak), want[64];
	struct tracegen g;
	double at, kb;
	struct run r;

	tracegen_start(&g, &leak);
	while (tracegen_next(&g, &at, &kb))
		trend_add(t, at, kb);
	cr_assert_eq(trend_evidence(t)->verdict, TREND_GROWING);
	snprintf(want, sizeof want, "\"detected_at_s\":%.3f,",
		 trend_evidence(t)->detected_at_s);
	trend_free(t);

	tu_run(&r, (char *[]){mt, "analyze", "--json", path, NULL}, 30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strncmp(r.out,
			  "{\"verdict\":\"growing\",\"metric\":\"uss\","
			  "\"slope_kb_per_hour\":",
			  54) == 0,
		  "%s", r.out);
	cr_assert(strstr(r.out, want) != NULL, "want %s in %s", want, r.out);
	cr_assert_str_eq(r.err, "");

	tu_run(&r, (char *[]){mt, "analyze", path, NULL}, 30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strncmp(r.out, "USS growing ", 12) == 0, "%s", r.out);
}

/* analyze converts only the cells it judges (the time, the metric, the
 * system's context), but bad input stays bad input (issue 9: "bad
 * input to analyze is unchanged"): a cell that is no number in a column
 * it does not judge is refused with its line, as the judged one is.  A
 * directory's files are each read by their own header: the second with
 * its columns in another order, the metric's among those no longer
 * where the first file had it, replays as the one file. */
Test(analyze, unjudged_columns_are_checked_not_converted)
{
	char *path = write_trace("whole.csv", &leak), whole[512], cmd[8192];
	char bad[600], dir[600];
	struct run a, b;

	snprintf(whole, sizeof whole, "%s", path);
	snprintf(bad, sizeof bad, "%s/bad.csv", tu_tmpdir());
	snprintf(dir, sizeof dir, "%s/dir", tu_tmpdir());
	snprintf(cmd, sizeof cmd,
		 "awk -F, -v OFS=, 'NR == 100 { $5 = \"lots\" } 1' '%s' > "
		 "'%s' && mkdir '%s' && "
		 "awk 'NR <= 1000' '%s' > '%s/a.csv' && "
		 "awk -F, -v OFS=, 'NR == 1 || NR > 1000 "
		 "{ print $7, $6, $3, $2, $5, $4, $1 }' '%s' > '%s/b.csv'",
		 whole, bad, dir, whole, dir, whole, dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);

	tu_run(&a, (char *[]){mt, "analyze", "--json", whole, NULL}, 30);
	cr_assert_eq(a.status, 1, "%s", a.err);
	cr_assert(strstr(a.out, "\"samples\":2881,") != NULL, "%s", a.out);
	tu_run(&b, (char *[]){mt, "analyze", "--json", bad, NULL}, 30);
	cr_assert_eq(b.status, 2, "%s", b.out);
	cr_assert(strstr(b.err, "line 100: pss_kb is 'lots', not a number") !=
		      NULL,
		  "%s", b.err);
	tu_run(&b, (char *[]){mt, "analyze", "--json", dir, NULL}, 30);
	cr_assert_eq(b.status, 1, "%s", b.err);
	cr_assert_str_eq(a.out, b.out);

	tu_run(&b, (char *[]){mt, "analyze", "--metric", "pss", bad, NULL}, 30);
	cr_assert_eq(b.status, 2, "%s", b.out);
	cr_assert(strstr(b.err, "line 100: pss_kb is 'lots', not a number") !=
		      NULL,
		  "%s", b.err);
	tu_run(
	    &a,
	    (char *[]){mt, "analyze", "--json", "--metric", "pss", whole, NULL},
	    30);
	tu_run(
	    &b,
	    (char *[]){mt, "analyze", "--json", "--metric", "pss", dir, NULL},
	    30);
	cr_assert_eq(a.status, 1, "%s", a.err);
	cr_assert(strstr(a.out, "\"metric\":\"pss\"") != NULL, "%s", a.out);
	cr_assert_str_eq(a.out, b.out);
}

Test(analyze, stable_exits_0)
{
	char *path = write_trace("flat.csv", &flat);
	struct run r;

	tu_run(&r, (char *[]){mt, "analyze", "--json", path, NULL}, 30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "{\"verdict\":\"stable\"", 19) == 0, "%s",
		  r.out);
	cr_assert(strstr(r.out, "\"detected_at_s\":null") != NULL, "%s", r.out);
}

Test(analyze, insufficient_exits_0)
{
	char *path = write_file("short.csv", "elapsed_s,rss_kb\n0,100\n1,200\n"
					     "2,300\n");
	struct run r;

	tu_run(&r, (char *[]){mt, "analyze", "--json", path, NULL}, 10);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"verdict\":\"insufficient\",\"metric\":"
				"\"rss\"") != NULL,
		  "%s", r.out);
}

Test(analyze, metric_choice)
{
	char *path = write_trace("m.csv", &leak);
	struct run r;

	tu_run(
	    &r,
	    (char *[]){mt, "analyze", "--json", "--metric", "rss", path, NULL},
	    30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.out, "\"metric\":\"rss\"") != NULL, "%s", r.out);
	path = write_file("pss.csv", "elapsed_s,rss_kb,pss_kb\n0,1,2\n");
	tu_run(&r, (char *[]){mt, "analyze", "--json", path, NULL}, 10);
	cr_assert(strstr(r.out, "\"metric\":\"pss\"") != NULL, "%s", r.out);
	tu_run(&r, (char *[]){mt, "analyze", "--metric", "uss", path, NULL},
	       10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "line 1: no uss_kb column for --metric uss") !=
		      NULL,
		  "%s", r.err);
	tu_run(&r, (char *[]){mt, "analyze", "--metric", "vsz", path, NULL},
	       10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "invalid metric 'vsz'") != NULL, "%s", r.err);
}

/* Only an ISO 8601 timestamp, columns in another order, extra columns,
 * and standard input. */
Test(analyze, timestamps_and_foreign_csv)
{
	char text[200000], *path;
	struct verdict v;
	struct error err;
	size_t used = 0;
	int i;

	used += (size_t)snprintf(text, sizeof text, "host,uss_kb,timestamp\n");
	for (i = 0; i < 2000; i++)
		used += (size_t)snprintf(
		    text + used, sizeof text - used,
		    "web1,%d,2026-03-01T%02d:%02d:%02d+01:00\n", 50000 + i * 20,
		    i / 360, i / 6 % 60, i % 6 * 10);
	path = write_file("ts.csv", text);
	verdict_init(&v, VERDICT_AUTO);
	cr_assert_eq(replay_file(path, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(verdict_evidence(&v)->samples, 2000);
	cr_assert_eq(verdict_evidence(&v)->last_s, 19990);
	cr_assert_eq(verdict_evidence(&v)->verdict, TREND_GROWING);
	verdict_free(&v);
}

Test(analyze, iso_8601_times)
{
	double s;

	cr_assert_eq(replay_parse_time("2026-11-18T11:06:40.125Z", &s), 0);
	cr_assert_eq(s, 1795000000.125);
	cr_assert_eq(replay_parse_time("2026-11-18 12:06:40+01:00", &s), 0);
	cr_assert_eq(s, 1795000000);
	cr_assert_eq(replay_parse_time("2026-11-18T06:06:40-0500", &s), 0);
	cr_assert_eq(s, 1795000000);
	cr_assert_eq(replay_parse_time("2026-11-18T11:06:40", &s), 0);
	cr_assert_eq(replay_parse_time("18/11/2026 11:06", &s), -EINVAL);
	cr_assert_eq(replay_parse_time("2026-13-18T11:06:40Z", &s), -EINVAL);
	cr_assert_eq(replay_parse_time("2026-11-18T11:06:40Zjunk", &s),
		     -EINVAL);
}

/* The shortcut for memtrend's own form reads what sscanf() reads, and
 * leaves every other form to it: short strings, an exponent in the
 * seconds, a bare point. */
Test(analyze, iso_8601_shortcut_agrees_with_sscanf)
{
	static const struct {
		const char *text;
		int rc;
		double s;
	} cases[] = {
	    {"2026-11-18T11:06:40.Z", 0, 1795000000},
	    {"2026-11-18T11:06:40.000000001Z", 0, 1795000000.000000001},
	    {"2026-11-18 11:06:04", 0, 1794999964},
	    {"2026-11-18T11:06:4", 0, 1794999964},
	    {"2026-11-18T11:06:4e1Z", 0, 1795000000},
	    {"2026-11-18T11:06:40e1Z", -EINVAL, 0},
	    {"2026-11-18T11:06:40.5.5Z", -EINVAL, 0},
	    {"2026-11-18T11:06:xxZ", -EINVAL, 0},
	    {"2026", -EINVAL, 0},
	    {"", -EINVAL, 0},
	};
	double s;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = 0;
		cr_assert_eq(replay_parse_time(cases[i].text, &s), cases[i].rc,
			     "%s", cases[i].text);
		cr_assert_eq(s, cases[i].s, "%s read as %.17g", cases[i].text,
			     s);
	}
}

struct analyze_cells {
	double kb[16];
	size_t n;
};

static int
analyze_cells_take(void *ctx, const struct sample *s)
{
	struct analyze_cells *c = ctx;

	if (c->n < 16)
		c->kb[c->n++] = s->value[FIELD_RSS_KB];
	return 0;
}

/* The numbers memtrend writes ("4242", "12.000") are read by a shortcut:
 * every cell reads as strtod() reads it, whole or not. */
Test(analyze, numbers_read_as_strtod_reads_them)
{
	static const char *cells[] = {"4242",
				      "12.000",
				      "0.",
				      "000017",
				      "999999999999999",
				      "0123456789012345",
				      "12.5",
				      "1e3",
				      "0.0000001",
				      " 7 ",
				      "00.100",
				      "4096.0"};
	size_t n = sizeof cells / sizeof cells[0], i;
	char text[1024], *path;
	struct analyze_cells got = {0};
	struct verdict v;
	struct error err;
	int len;

	len = snprintf(text, sizeof text, "elapsed_s,uss_kb,rss_kb\n");
	for (i = 0; i < n; i++)
		len += snprintf(text + len, sizeof text - (size_t)len,
				"%zu,100,%s\n", i, cells[i]);
	path = write_file("numbers.csv", text);
	verdict_init(&v, FIELD_USS_KB);
	cr_assert_eq(replay_file_each(path, &v, analyze_cells_take, &got, &err),
		     0, "%s", err.msg);
	cr_assert_eq(got.n, n);
	for (i = 0; i < n; i++)
		cr_assert_eq(got.kb[i], strtod(cells[i], NULL),
			     "%s read as %.17g", cells[i], got.kb[i]);
	verdict_free(&v);
}

/* Dates that do not exist and offsets no time zone has are refused. */
Test(analyze, impossible_dates_and_offsets_are_refused)
{
	static const char *bad[] = {
	    "2026-02-31T00:00:00Z",	 "2026-04-31T00:00:00Z",
	    "2025-02-29T00:00:00Z",	 "2026-11-18T11:06:40+99:99",
	    "2026-11-18T11:06:40+15:00", "2026-11-18T11:06:40-13:00",
	    "2026-11-18T11:06:40+01:60", "2026-11-18T11:06:40+0",
	    "2026-11-18T24:00:00Z"};
	double s;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(replay_parse_time(bad[i], &s), -EINVAL,
			     "%s accepted", bad[i]);
	cr_assert_eq(replay_parse_time("2024-02-29T00:00:00Z", &s), 0);
	cr_assert_eq(replay_parse_time("2026-11-18T11:06:40+14:00", &s), 0);
	cr_assert_eq(replay_parse_time("2026-11-18T11:06:40-12:00", &s), 0);
	cr_assert_eq(replay_parse_time("2026-11-18T11:06:40+05:45", &s), 0);
}

/* Exit 2, one line naming the file and the line, nothing on stdout. */
static void
expect_bad(const char *text, const char *words)
{
	char *path = write_file("bad.csv", text);
	struct run r;

	tu_run(&r, (char *[]){mt, "analyze", path, NULL}, 10);
	cr_assert_eq(r.status, 2, "status %d: %s", r.status, r.err);
	cr_assert(strncmp(r.err, "memtrend: ", 10) == 0, "%s", r.err);
	cr_assert(strstr(r.err, path) != NULL, "%s", r.err);
	cr_assert(strstr(r.err, words) != NULL, "stderr '%s' lacks '%s'", r.err,
		  words);
	cr_assert_str_eq(r.out, "");
}

Test(analyze, bad_input_names_the_line)
{
	expect_bad("", "is empty: no header line");
	expect_bad("elapsed_s,uss_kb\n", "line 1: a header but no rows");
	expect_bad("time,uss_kb\n0,1\n", "line 1: no elapsed_s or timestamp "
					 "column");
	expect_bad("elapsed_s,vsz_kb\n0,1\n", "line 1: no uss_kb, pss_kb or "
					      "rss_kb column");
	expect_bad("elapsed_s,uss_kb\n0,1\n1,2\n2,lots\n",
		   "line 4: uss_kb is 'lots', not a number");
	expect_bad(
	    "elapsed_s,uss_kb\n0,1\n1,2\n1,3\n",
	    "line 4: elapsed_s 1 is not after the previous row's elapsed_s "
	    "(rows must be in time order, without duplicates)");
	expect_bad("elapsed_s,uss_kb\n0,1\n5,2\n3,3\n", "line 4: elapsed_s 3 "
							"is not after");
	expect_bad("elapsed_s,uss_kb\n0,1\n1\n", "line 3: 1 cell, but the "
						 "header has 2 columns");
	expect_bad("elapsed_s,uss_kb\n0,1\n,2\n", "line 3: elapsed_s is empty");
	expect_bad("timestamp,uss_kb\nyesterday,1\n",
		   "line 2: timestamp "
		   "'yesterday' is not an ISO 8601 time");
	expect_bad("elapsed_s,uss_kb\n0,1\n1,\"2\n", "line 3: malformed CSV");
	expect_bad("elapsed_s,uss_kb\n0,nan\n", "line 2: uss_kb is 'nan', not "
						"a number");
	/* Columns the verdict does not judge are checked all the same. */
	expect_bad("elapsed_s,uss_kb,anon_kb\n0,1,1\n1,2,x2\n",
		   "line 3: anon_kb is 'x2', not a number");
	expect_bad("elapsed_s,uss_kb,minflt\n0,1,1\n1,2,-\n",
		   "line 3: minflt is '-', not a number");
	expect_bad("elapsed_s,uss_kb,anon_kb\n0,1,1\n1,2,99999999999999999\n",
		   "line 3: anon_kb is '99999999999999999', not a size in KiB");
	expect_bad("timestamp,elapsed_s,uss_kb\n"
		   "2026-11-18T11:06:40Z,0,1\nyesterday,1,2\n",
		   "line 3: timestamp 'yesterday' is not an ISO 8601 time");
}

/* Numbers no run can produce are refused with their line, not turned
 * into "2 samples over -2147483648 d" or sizes without a unit. */
Test(analyze, absurd_numbers_name_the_line)
{
	expect_bad("elapsed_s,rss_kb\n0,1\n2e14,2\n", "line 3: elapsed_s is "
						      "'2e14'");
	expect_bad("elapsed_s,uss_kb\n0,1\n1,1e300\n", "line 3: uss_kb is "
						       "'1e300'");
	expect_bad("elapsed_s,uss_kb\n0,1\n1,-5\n", "line 3: uss_kb is '-5'");
	expect_bad("elapsed_s,uss_kb,mem_available_kb\n0,1,-1e200\n",
		   "line 2: mem_available_kb is '-1e200'");
	expect_bad("timestamp,uss_kb\n1970-01-01T00:00:00Z,1\n"
		   "9999-01-01T00:00:00Z,2\n",
		   "line 3: timestamp 9999-01-01T00:00:00Z"
		   " is more than a century");
}

Test(analyze, empty_cells_are_unknown_not_zero)
{
	char *path = write_file("gaps.csv", "elapsed_s,uss_kb\n0,1\n1,\n2,3\n");
	struct verdict v;
	struct error err;

	verdict_init(&v, VERDICT_AUTO);
	cr_assert_eq(replay_file(path, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(verdict_evidence(&v)->samples, 2);
	verdict_free(&v);
}

Test(analyze, usage_errors)
{
	struct run r;

	tu_run(&r, (char *[]){mt, "analyze", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "analyze needs a CSV file") != NULL, "%s",
		  r.err);
	tu_run(&r, (char *[]){mt, "analyze", "a.csv", "b.csv", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "one file") != NULL, "%s", r.err);
	tu_run(&r, (char *[]){mt, "analyze", "/nonexistent.csv", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "cannot open /nonexistent.csv") != NULL, "%s",
		  r.err);
}

/* A real 2 min capture of the bundled demo (memtrend --every 250ms
 * --duration 2m -- ./memtrend-demo, so judged as a test run): one
 * sample before its working set, then a climb so steady that its
 * curvature is nil; a line that straight once read as "levelling off"
 * and withdrew the flag.  Every prefix past the first flag stays
 * flagged. */
Test(analyze, steady_demo_capture_stays_flagged)
{
	char path[512], line[4096], *cut;
	FILE *in, *out;
	int rows = 0, flagged = 0;
	struct run r;

	snprintf(path, sizeof path, "%s/analyze/demo-2m.csv", tu_fixtures());
	in = fopen(path, "r");
	cr_assert(in != NULL, "%s", path);
	cut = write_file("prefix.csv", "");
	while (fgets(line, sizeof line, in) != NULL) {
		out = fopen(cut, "a");
		cr_assert(out != NULL);
		fputs(line, out);
		fclose(out);
		if (rows++ < 40 || rows % 10 != 0)
			continue;
		tu_run(&r,
		       (char *[]){mt, "analyze", "--no-daily-cycle", cut, NULL},
		       30);
		if (r.status == 1)
			flagged++;
		else
			cr_assert_eq(flagged, 0, "withdrawn after %d rows: %s",
				     rows, r.out);
	}
	fclose(in);
	cr_assert_gt(flagged, 5, "flagged in %d prefixes: %s", flagged, r.out);
	cr_assert_eq(r.status, 1, "%s", r.out);
}

/* A gzipped CSV (tests/fixtures/analyze/demo-2m.csv.gz is demo-2m.csv
 * through gzip -9n) replays to the very same JSON, from a file and from
 * standard input; a gzip file cut short is read up to its cut row, and
 * says so. */
Test(analyze, gzipped_csv_reads_as_the_plain_one)
{
	char plain[512], gz[520], cut[600], cmd[1400];
	struct run a, b;

	snprintf(plain, sizeof plain, "%s/analyze/demo-2m.csv", tu_fixtures());
	snprintf(gz, sizeof gz, "%s.gz", plain);
	tu_run(&a,
	       (char *[]){mt, "analyze", "--json", "--no-daily-cycle", plain,
			  NULL},
	       30);
	tu_run(
	    &b,
	    (char *[]){mt, "analyze", "--json", "--no-daily-cycle", gz, NULL},
	    30);
	cr_assert_eq(a.status, 1, "%s", a.err);
	cr_assert_eq(b.status, 1, "%s", b.err);
	cr_assert(strstr(b.out, "\"samples\":480,") != NULL, "%s", b.out);
	cr_assert_str_eq(a.out, b.out);

	snprintf(cmd, sizeof cmd, "%s analyze --json --no-daily-cycle - < '%s'",
		 mt, gz);
	tu_run(&b, (char *[]){"/bin/sh", "-c", cmd, NULL}, 30);
	cr_assert_eq(b.status, 1, "%s", b.err);
	cr_assert_str_eq(a.out, b.out);

	snprintf(cut, sizeof cut, "%s/cut.csv.gz", tu_tmpdir());
	snprintf(cmd, sizeof cmd, "head -c 3000 '%s' > '%s'", gz, cut);
	cr_assert_eq(system(cmd), 0);
	tu_run(&b, (char *[]){mt, "analyze", cut, NULL}, 30);
	cr_assert_eq(b.status, 0, "%s", b.err);
	cr_assert(strstr(b.err, "cut.csv.gz line ") != NULL &&
		      strstr(b.err, "is cut short") != NULL,
		  "%s", b.err);
}

/* The region evidence a live run gave ("[heap] accounts for 100 % of
 * the growth", tests/fixtures/analyze/live-regions/live-verdict.txt) comes
 * back from its CSVs with --regions, in the sentence and the JSON; without
 * --regions there is none. */
Test(analyze, regions_csv_gives_the_live_region_evidence)
{
	char dir[512], csv[600], regions[600], live[4096], *clause, *end;
	struct run r;
	FILE *fp;

	snprintf(dir, sizeof dir, "%s/analyze/live-regions", tu_fixtures());
	snprintf(csv, sizeof csv, "%s/demo.csv", dir);
	snprintf(regions, sizeof regions, "%s/demo-regions.csv.gz", dir);
	snprintf(live, sizeof live, "%s/live-verdict.txt", dir);
	fp = fopen(live, "r");
	cr_assert(fp != NULL, "%s", live);
	cr_assert(fgets(live, sizeof live, fp) != NULL);
	fclose(fp);
	clause = strstr(live, " [heap] accounts for ");
	cr_assert(clause != NULL, "%s", live);
	end = strchr(clause + 1, '.');
	cr_assert(end != NULL);
	end[1] = '\0';

	tu_run(&r,
	       (char *[]){mt, "analyze", "--no-daily-cycle", "--regions",
			  regions, csv, NULL},
	       30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.out, clause) != NULL, "want '%s' in %s", clause,
		  r.out);
	tu_run(&r,
	       (char *[]){mt, "analyze", "--json", "--no-daily-cycle",
			  "--regions", regions, csv, NULL},
	       30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.out, "\"regions\":[{\"name\":\"[heap]\","
				"\"growth_share\":1") != NULL,
		  "%s", r.out);

	tu_run(
	    &r,
	    (char *[]){mt, "analyze", "--json", "--no-daily-cycle", csv, NULL},
	    30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.out, "\"regions\":[]") != NULL, "%s", r.out);

	tu_run(&r, (char *[]){mt, "analyze", "--regions", csv, csv, NULL}, 30);
	cr_assert_eq(r.status, 2, "%s", r.out);
	cr_assert(strstr(r.err, "no region column") != NULL, "%s", r.err);
}

/* A set's long-format CSV has no one process whose regions --regions
 * could give: refused, unless --pid picks one. */
Test(analyze, regions_need_one_process)
{
	char regions[600], *csv;
	struct run r;

	snprintf(regions, sizeof regions,
		 "%s/analyze/live-regions/demo-regions.csv.gz", tu_fixtures());
	csv = write_file("set.csv", "elapsed_s,pid,uss_kb,comm\n"
				    "0,0,300,(sum)\n0,11,100,a\n0,12,200,b\n"
				    "1,0,301,(sum)\n1,11,100,a\n1,12,201,b\n");
	tu_run(&r,
	       (char *[]){mt, "analyze", "--top", "2", "--regions", regions,
			  csv, NULL},
	       30);
	cr_assert_eq(r.status, 2, "%s", r.out);
	cr_assert(strstr(r.err, "has 3 processes (give --pid PID)") != NULL,
		  "%s", r.err);
	tu_run(&r,
	       (char *[]){mt, "analyze", "--json", "--pid", "12", "--regions",
			  regions, csv, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"regions\":[{\"name\":\"[heap]\"") != NULL,
		  "%s", r.out);
}

/* Rows whose uss_err_kb is filled hold estimates (README, "Estimates"):
 * analyze tells them from the exact rows as the live run does, and
 * judges the exact ones when they can decide. */
Test(analyze, estimated_rows_are_told_by_their_bound)
{
	char *path = write_file("est.csv", "elapsed_s,uss_kb,uss_err_kb\n"
					   "0,100,\n1,101,\n2,150,20\n"
					   "3,102,\n4,160,20\n");
	struct verdict v;
	struct error err;

	verdict_init(&v, VERDICT_AUTO);
	cr_assert_eq(replay_file(path, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v.estimated, 2);
	cr_assert_eq(verdict_evidence(&v)->samples, 3, "the exact rows");
	/* from the last exact row before the first estimate on */
	cr_assert_eq(trend_evidence(v.mixed)->samples, 4);
	verdict_free(&v);
}

static int
count_region_sample(void *ctx, const struct sample *s)
{
	size_t *n = ctx;

	cr_assert_eq(s->regions->n, 2, "sample %zu has %zu regions", n[0],
		     s->regions->n);
	n[0]++;
	return 0;
}

/* A regions CSV whose last write was cut short (kill -9): the region
 * sample the cut row belongs to is left out whole, not read short of a
 * region, and the reader says so; a samples CSV cut short is analysed
 * without its cut row, the notice after the verdict. */
Test(analyze, a_file_cut_short_is_read_up_to_its_last_whole_sample)
{
	char *path, csv[600], cmd[1400];
	struct error err = {""};
	size_t n = 0;
	struct run r;

	path =
	    write_file("r.csv", "timestamp,elapsed_s,pid,region,kind,rss_kb\n"
				"2026-12-01T10:00:00.000Z,0,1,[heap],heap,10\n"
				"2026-12-01T10:00:00.000Z,0,1,[stack],stack,2\n"
				"2026-12-01T10:00:01.000Z,1,1,[heap],heap,11\n"
				"2026-12-01T10:00:01.000Z,1,1,[stack],stack,2\n"
				"2026-12-01T10:00:02.000Z,2,1,[heap],heap,12\n"
				"2026-12-01T10:00:02.000Z,2,1,[sta");
	cr_assert_eq(replay_regions_file(path, count_region_sample, &n, &err),
		     0, "%s", err.msg);
	cr_assert_eq(n, 2);
	cr_assert(strstr(err.msg, "r.csv line 7 is cut short") != NULL &&
		      strstr(err.msg, "region sample before it") != NULL,
		  "%s", err.msg);

	snprintf(csv, sizeof csv, "%s/cut.csv", tu_tmpdir());
	snprintf(cmd, sizeof cmd, "head -c -7 '%s/analyze/demo-2m.csv' > '%s'",
		 tu_fixtures(), csv);
	cr_assert_eq(system(cmd), 0);
	tu_run(
	    &r,
	    (char *[]){mt, "analyze", "--json", "--no-daily-cycle", csv, NULL},
	    30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.out, "\"samples\":479,") != NULL, "%s", r.out);
	cr_assert(strstr(r.err, "cut.csv line 481 is cut short") != NULL, "%s",
		  r.err);

	/* Both files of one run cut: both are said. */
	snprintf(cmd, sizeof cmd,
		 "cd '%s/analyze/live-regions' && head -c -7 demo.csv > "
		 "'%s/s.csv' && gzip -dc demo-regions.csv.gz | head -c -9 > "
		 "'%s/r2.csv'",
		 tu_fixtures(), tu_tmpdir(), tu_tmpdir());
	cr_assert_eq(system(cmd), 0);
	snprintf(csv, sizeof csv, "%s/s.csv", tu_tmpdir());
	snprintf(cmd, sizeof cmd, "%s/r2.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "analyze", "--no-daily-cycle", "--regions", cmd,
			  csv, NULL},
	       30);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "s.csv line ") != NULL &&
		      strstr(r.err, "r2.csv line ") != NULL,
		  "%s", r.err);
}

/* Case 102 of bench/score -s 2 (ci), a leak under aliased GC teeth: at
 * 5.6 min a flat floor under the teeth leads growth by 77 in BIC, at the
 * end (9.6 min) by 4.  Neither is "no significant trend" (its p is
 * 6e-05, then under 1e-9): the words name what explains the rise, and
 * how decisively. */
/* memtrend analyze --no-daily-cycle on spec written as name: its
 * output, which never says "no significant trend" here. */
static const char *
analyze_aliased(const struct tracegen_spec *spec, const char *name)
{
	static struct run r;
	char *path = write_trace(name, spec);

	tu_run(&r, (char *[]){mt, "analyze", "--no-daily-cycle", path, NULL},
	       60);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "no significant trend") == NULL, "%s", r.out);
	return r.out;
}

Test(analyze, a_significant_rise_explained_otherwise_is_not_no_trend)
{
	static struct tracegen_case cases[1024];
	size_t n = tracegen_families(cases, 1024, 2);
	struct tracegen_spec spec;
	const char *out;

	cr_assert_gt(n, 102);
	spec = cases[102].spec;
	out = analyze_aliased(&spec, "aliased.csv");
	cr_assert(strstr(out, "USS rising 144 MiB/h") != NULL, "%s", out);
	cr_assert(strstr(out, "sampled near their period (the least sample "
			      "drifts along them) explains it as well or "
			      "better; ") != NULL,
		  "%s", out);

	spec.duration_s = 337;
	out = analyze_aliased(&spec, "aliased-early.csv");
	cr_assert(strstr(out, "USS stable at 484 MiB") != NULL, "%s", out);
	cr_assert(strstr(out, "explains its rise better than growth (BIC "
			      "77 ahead; slope 126 MiB/h") != NULL,
		  "%s", out);
}
