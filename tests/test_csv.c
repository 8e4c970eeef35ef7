/*
 * CSV out and back in through libcsv (src/sinks/csv.c).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/provenance.h"
#include "core/regions.h"
#include "sinks/csv.h"
#include "testutil.h"
#include "util/csvread.h"
#include "util/output.h"

static const char *contract =
    "timestamp,elapsed_s,pid,rss_kb,pss_kb,uss_kb,anon_kb,file_kb,"
    "shmem_kb,swap_kb,minflt,majflt";

static void
csv_sample(struct sample *s, double base)
{
	int i;

	sample_clear(s);
	s->wall_s = 1795000000.125;
	s->elapsed_s = base / 1000;
	s->pid = 4242;
	for (i = 0; i < FIELD_COUNT; i++)
		s->value[i] = base + i;
}

Test(csv, header_starts_with_contract)
{
	struct csv_buf b = {0};

	csv_format_header(&b, CSV_SAMPLES);
	cr_assert_eq(strncmp(b.text, contract, strlen(contract)), 0, "%s",
		     b.text);
	cr_assert_eq(b.text[strlen(contract)], ',');
	cr_assert_eq(b.text[b.len - 1], '\n');
	free(b.text);
}

Test(csv, unavailable_is_empty_never_zero)
{
	struct csv_buf b = {0};
	struct sample s;

	csv_sample(&s, 100);
	s.value[FIELD_PSS_KB] = NAN;
	csv_format_row(&b, &s);
	cr_assert(strstr(b.text, ",100,,102,") != NULL, "%s", b.text);
	cr_assert(strncmp(b.text, "2026-11-18T11:06:40", 19) == 0, "%s",
		  b.text);
	cr_assert(strstr(b.text, ".125Z,0.100,4242,") != NULL, "%s", b.text);
	free(b.text);
}

Test(csv, text_fields_quoted_only_when_needed)
{
	struct csv_buf b = {0};

	csv_buf_text(&b, "[heap]");
	cr_assert_str_eq(b.text, "[heap]");
	b.len = 0;
	csv_buf_text(&b, "/opt/a,b \"x\".so");
	cr_assert_str_eq(b.text, "\"/opt/a,b \"\"x\"\".so\"");
	/* A command line's line ends: '?', so a raw one only ends a row. */
	b.len = 0;
	csv_buf_text(&b, "sh -c a\nb\r,c");
	cr_assert_str_eq(b.text, "\"sh -c a?b?,c\"");
	free(b.text);
}

/* The long-format regions CSV: the column order, one row per
 * region, names quoted when they must be. */
Test(csv, region_rows_long_format)
{
	static const char *head = "timestamp,elapsed_s,pid,region,kind,"
				  "size_kb,rss_kb,pss_kb,uss_kb,swap_kb,";
	struct region_set set = {0};
	struct csv_buf b = {0};
	struct sample s;
	struct region *r;

	csv_format_header(&b, CSV_REGIONS);
	cr_assert_eq(strncmp(b.text, head, strlen(head)), 0, "%s", b.text);
	/* Columns added after the contract come after its last one. */
	cr_assert(strstr(b.text, ",source,partial,idle_method,uss_drift_kb,"
				 "uss_drift_bound_kb\n") != NULL,
		  "%s", b.text);
	b.len = 0;
	csv_sample(&s, 7);
	r = regions_append(&set, "[heap]", REGION_HEAP);
	r->v[RF_RSS_KB] = 1024;
	r->v[RF_ZERO_KB] = NAN;
	r = regions_append(&set, "/srv/a,b.so", REGION_CODE);
	r->v[RF_USS_KB] = 8;
	r->v[RF_USS_DRIFT_KB] = -3;
	r->v[RF_USS_DRIFT_BOUND_KB] = 5;
	s.regions = &set;
	csv_format_regions(&b, &s);
	cr_assert(strstr(b.text, ",4242,[heap],heap,0,1024,0,0,0,") != NULL,
		  "%s", b.text);
	cr_assert(strstr(b.text, ",4242,\"/srv/a,b.so\",code,0,0,0,8,") != NULL,
		  "%s", b.text);
	cr_assert(strstr(b.text, ",smaps,0,,,\n") != NULL, "%s", b.text);
	cr_assert(strstr(b.text, ",smaps,0,,-3,5\n") != NULL, "%s", b.text);
	free(b.text);
	regions_free(&set);
}

struct rows {
	unsigned long n;
	unsigned long first_line; /* of the first row: 2 after a comment */
	char cells[4][16][64];
	size_t ncells[4];
};

static int
csv_collect(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct rows *r = ctx;
	size_t i;

	if (r->n == 0 && r->first_line == 0)
		r->first_line = line;
	cr_assert_eq(line, r->first_line + r->n);
	if (r->n < 4) {
		for (i = 0; i < n && i < 16; i++)
			snprintf(r->cells[r->n][i], 64, "%s", cells[i]);
		r->ncells[r->n] = n;
	}
	r->n++;
	return 0;
}

Test(csv, rows_round_trip_through_libcsv, .fini = tu_tmp_cleanup)
{
	struct csv_sink *sink;
	struct error err;
	struct rows rows;
	struct sample s;
	char path[256];
	int i;

	snprintf(path, sizeof path, "%s/rt.csv", tu_tmpdir());
	cr_assert_eq(csv_sink_open(&sink, path, CSV_SAMPLES, false, &err), 0,
		     "%s", err.msg);
	csv_sample(&s, 1000);
	cr_assert_eq(csv_sink_write(sink, &s, &err), 0);
	csv_sample(&s, 2000);
	s.value[FIELD_SWAP_KB] = NAN;
	cr_assert_eq(csv_sink_write(sink, &s, &err), 0);
	cr_assert_eq(csv_sink_close(sink, &err), 0);

	memset(&rows, 0, sizeof rows);
	cr_assert_eq(csv_read(path, csv_collect, &rows, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(rows.n, 3);
	cr_assert_eq(rows.ncells[0], 3 + FIELD_COUNT);
	cr_assert_str_eq(rows.cells[0][3], "rss_kb");
	cr_assert_eq(rows.ncells[1], 3 + FIELD_COUNT);
	cr_assert_str_eq(rows.cells[1][2], "4242");
	cr_assert_str_eq(rows.cells[1][1], "1.000");
	for (i = 0; i < 9; i++)
		cr_assert_eq(strtod(rows.cells[1][3 + i], NULL), 1000 + i);
	cr_assert_str_eq(rows.cells[2][3 + FIELD_SWAP_KB], "");
	cr_assert_str_eq(rows.cells[2][3 + FIELD_RSS_KB], "2000");
}

Test(csv, existing_file_needs_force, .fini = tu_tmp_cleanup)
{
	struct csv_sink *sink;
	struct error err;
	char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/keep.csv", tu_tmpdir());
	fp = fopen(path, "w");
	fputs("precious\n", fp);
	fclose(fp);
	cr_assert_lt(csv_sink_open(&sink, path, CSV_SAMPLES, false, &err), 0);
	cr_assert(strstr(err.msg, "--force") != NULL, "%s", err.msg);
	cr_assert_eq(csv_sink_open(&sink, path, CSV_SAMPLES, true, &err), 0);
	cr_assert_eq(csv_sink_close(sink, &err), 0);
}

/* A device or a FIFO is written as it is, without --force: there is no
 * file to lose (-o /dev/null, a named pipe to another program). */
Test(csv, a_device_or_fifo_needs_no_force, .fini = tu_tmp_cleanup)
{
	struct csv_sink *sink;
	struct error err;
	char path[256], buf[64] = "";
	int rfd;

	cr_assert_eq(
	    csv_sink_open(&sink, "/dev/null", CSV_SAMPLES, false, &err), 0,
	    "%s", err.msg);
	cr_assert_eq(csv_sink_close(sink, &err), 0);
	cr_assert_eq(output_check("/dev/null", false, &err), 0, "%s", err.msg);
	snprintf(path, sizeof path, "%s/pipe", tu_tmpdir());
	cr_assert_eq(mkfifo(path, 0600), 0);
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rfd, 0);
	cr_assert_eq(csv_sink_open(&sink, path, CSV_SAMPLES, false, &err), 0,
		     "%s", err.msg);
	cr_assert_gt(read(rfd, buf, sizeof buf - 1), 20);
	cr_assert(strncmp(buf, "timestamp,elapsed_s,pid,", 24) == 0, "%s", buf);
	cr_assert_eq(csv_sink_close(sink, &err), 0);
	close(rfd);
}

/* text as the file name in the test's directory, its path in path. */
static void
csv_write_text(char *path, size_t size, const char *name, const char *text)
{
	FILE *fp;

	snprintf(path, size, "%s/%s", tu_tmpdir(), name);
	fp = fopen(path, "w");
	cr_assert(fp != NULL, "%s", path);
	fputs(text, fp);
	fclose(fp);
}

Test(csv, reader_names_the_bad_line, .fini = tu_tmp_cleanup)
{
	struct error err;
	struct rows rows;
	char path[256];

	csv_write_text(path, sizeof path, "bad.csv",
		       "a,b\n1,2\n3,\"unterminated\n");
	memset(&rows, 0, sizeof rows);
	cr_assert_lt(csv_read(path, csv_collect, &rows, &err), 0);
	cr_assert(strstr(err.msg, "line 3") != NULL, "%s", err.msg);
}

/* A cell of digits may be left out (csv_want.plain). */
static bool
csv_test_short(const void *cell, size_t len)
{
	const char *p = cell;

	return len == 0 || (p[0] >= '0' && p[0] <= '9');
}

/* path read through csv_read_want into rows (comment line included). */
static void
read_want(const char *path, const struct csv_want *want, struct rows *rows)
{
	struct error err;

	memset(rows, 0, sizeof *rows);
	cr_assert_eq(
	    csv_read_want(path, csv_collect, csv_collect, rows, want, &err), 0,
	    "%s", err.msg);
}

/* A reader told which cells a caller reads (csv_read_want) hands the
 * header whole and, of later rows, those cells and "" for the others,
 * each row still as wide as the file's; a comment line comes whole, and
 * line numbers count it.  A row wider than the mask has its extra cells
 * as "" too, and a mask of no width is every cell. */
Test(csv, reader_hands_on_only_the_cells_wanted, .fini = tu_tmp_cleanup)
{
	bool cols[3] = {false, true, false};
	struct csv_want want = {.col = cols, .n = 3};
	struct rows rows;
	char path[256];

	csv_write_text(path, sizeof path, "want.csv",
		       "# memtrend 1\na,b,c\n\"x,1\",22,333\n4,5,6,7\n");
	read_want(path, &want, &rows);
	cr_assert_eq(rows.n, 4);
	cr_assert_eq(rows.first_line, 1);
	cr_assert_str_eq(rows.cells[0][0], "# memtrend 1");
	cr_assert_eq(rows.ncells[1], 3);
	cr_assert_str_eq(rows.cells[1][0], "a");
	cr_assert_str_eq(rows.cells[1][2], "c");
	cr_assert_eq(rows.ncells[2], 3);
	cr_assert_str_eq(rows.cells[2][0], "");
	cr_assert_str_eq(rows.cells[2][1], "22");
	cr_assert_str_eq(rows.cells[2][2], "");
	cr_assert_eq(rows.ncells[3], 4);
	cr_assert_str_eq(rows.cells[3][1], "5");
	cr_assert_str_eq(rows.cells[3][3], "");

	want.n = 0;
	read_want(path, &want, &rows);
	cr_assert_str_eq(rows.cells[2][0], "x,1");
	cr_assert_str_eq(rows.cells[3][3], "7");

	/* With plain, an unwanted cell it refuses comes whole (to be
	 * checked), and the next row's plain one in that column is "". */
	csv_write_text(path, sizeof path, "plain.csv",
		       "a,b,c\n1,2,3\nx,5,6\n7,8,y\n");
	want.n = 3;
	want.plain = csv_test_short;
	read_want(path, &want, &rows);
	cr_assert_eq(rows.n, 4);
	cr_assert_str_eq(rows.cells[1][0], "");
	cr_assert_str_eq(rows.cells[2][0], "x");
	cr_assert_str_eq(rows.cells[2][2], "");
	cr_assert_str_eq(rows.cells[3][0], "");
	cr_assert_str_eq(rows.cells[3][2], "y");
	cr_assert_str_eq(rows.cells[3][1], "8");
}

/* A write that fails part-way (here: the file size limit, as a full disk
 * would) stops cleanly and leaves only whole rows behind. */
Test(csv, failed_write_keeps_whole_rows, .fini = tu_tmp_cleanup)
{
	struct rlimit old, lim;
	struct csv_sink *sink;
	struct error err;
	struct table t;
	struct sample s;
	char path[256];
	int i, rc = 0;

	snprintf(path, sizeof path, "%s/full.csv", tu_tmpdir());
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 1500;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	cr_assert_eq(csv_sink_open(&sink, path, CSV_SAMPLES, false, &err), 0,
		     "%s", err.msg);
	for (i = 0; i < 100 && rc == 0; i++) {
		csv_sample(&s, 1000 + i);
		rc = csv_sink_write(sink, &s, &err);
	}
	setrlimit(RLIMIT_FSIZE, &old);
	cr_assert_lt(rc, 0, "the limit was never hit");
	cr_assert(strstr(err.msg, "intact") != NULL, "%s", err.msg);
	csv_sink_close(sink, NULL);

	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, (size_t)i - 1, "%zu rows for %d writes", t.nrows,
		     i);
	cr_assert_eq(tu_table_num(&t, t.nrows - 1, "rss_kb"), 1000 + i - 2);
	cr_assert_eq(tu_table_num(&t, t.nrows - 1, "threads"),
		     1000 + i - 2 + FIELD_THREADS);
	cr_assert_eq(
	    tu_table_num(&t, t.nrows - 1, fields[FIELD_COUNT - 1].name),
	    1000 + i - 2 + FIELD_COUNT - 1, "the last column is whole");
	tu_table_free(&t);
}

/* rows first, so csv_collect() takes it as its struct rows. */
struct rows_about {
	struct rows rows;
	struct provenance about;
};

static int
csv_about_cells(void *ctx, unsigned long line, char **cells, size_t n)
{
	struct provenance *p = &((struct rows_about *)ctx)->about;
	size_t i;

	cr_assert_eq(line, 1);
	cr_assert(provenance_start(p, cells[0]), "%s", cells[0]);
	for (i = 1; i < n; i++)
		provenance_set(p, cells[i]);
	return 0;
}

/* The provenance line: one line whatever the command holds (commas,
 * quotes, a newline), read back as it was written, skipped by csv_read;
 * line numbers count it. */
Test(csv, provenance_line_round_trips, .fini = tu_tmp_cleanup)
{
	struct rows_about ra;
	struct provenance p, *back = &ra.about;
	struct csv_sink *sink;
	struct rows rows;
	struct error err;
	struct sample s;
	char path[256];

	memset(&p, 0, sizeof p);
	p.known = true;
	snprintf(p.version, sizeof p.version, "9.9");
	snprintf(p.command, sizeof p.command, "a,\"b\"\nc=d");
	p.pid = 4242;
	snprintf(p.host, sizeof p.host, "h");
	snprintf(p.kernel, sizeof p.kernel, "6.1.0");
	snprintf(p.started, sizeof p.started, "2026-11-30T08:03:14Z");
	snprintf(path, sizeof path, "%s/about.csv", tu_tmpdir());
	cr_assert_eq(
	    csv_sink_open_about(&sink, path, CSV_SAMPLES, false, &p, &err), 0,
	    "%s", err.msg);
	csv_sample(&s, 1000);
	cr_assert_eq(csv_sink_write(sink, &s, &err), 0);
	cr_assert_eq(csv_sink_close(sink, &err), 0);
	cr_assert_eq(tu_file_lines(path), 2, "a header and a row");

	memset(&rows, 0, sizeof rows);
	cr_assert_eq(csv_read(path, csv_collect, &rows, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(rows.n, 2);
	cr_assert_eq(rows.first_line, 2);
	cr_assert_str_eq(rows.cells[0][0], "timestamp");
	memset(&ra, 0, sizeof ra);
	cr_assert_eq(
	    csv_read_with(path, csv_collect, csv_about_cells, &ra, &err), 0,
	    "%s", err.msg);
	cr_assert_eq(ra.rows.n, 2);
	cr_assert_str_eq(back->version, "9.9");
	cr_assert_str_eq(back->command, "a,\"b\"?c=d");
	cr_assert_eq(back->pid, 4242);
	cr_assert_str_eq(back->host, "h");
	cr_assert_str_eq(back->kernel, "6.1.0");
	cr_assert_str_eq(back->started, "2026-11-30T08:03:14Z");
}

/* A live run's CSVs start with who was watched. */
Test(csv, live_run_names_the_process, .fini = tu_tmp_cleanup)
{
	const char *mt = tu_bin("MEMTREND_BIN", "./memtrend");
	const char *demo = tu_bin("MEMTREND_DEMO", "./memtrend-demo");
	char path[256], rpath[256], want[600], line[1024];
	struct utsname u;
	struct run r;
	FILE *fp;

	snprintf(path, sizeof path, "%s/live.csv", tu_tmpdir());
	snprintf(rpath, sizeof rpath, "%s/live-regions.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){(char *)mt, "-q", "--every", "100ms", "--count", "3",
			  "-o", path, "--regions-csv", rpath, "--",
			  (char *)demo, "--flat", NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(uname(&u), 0);
	snprintf(want, sizeof want,
		 "# memtrend %s,command=%s --flat,pid=", PACKAGE_VERSION, demo);
	for (int i = 0; i < 2; i++) {
		fp = fopen(i == 0 ? path : rpath, "r");
		cr_assert(fp != NULL);
		cr_assert(fgets(line, sizeof line, fp) != NULL);
		fclose(fp);
		cr_assert(strncmp(line, want, strlen(want)) == 0,
			  "want %s... in %s", want, line);
		snprintf(want, sizeof want,
			 ",host=%s,kernel=%s,started=", u.nodename, u.release);
		cr_assert(strstr(line, want) != NULL, "want %s in %s", want,
			  line);
		snprintf(want, sizeof want, "# memtrend %s,command=%s --flat,",
			 PACKAGE_VERSION, demo);
	}
}

/* A write cut short by kill -9 (the kernel stops a write between pages
 * when a fatal signal is pending) leaves a last row with no line end:
 * the reader hands on the rows before it and says what it left out,
 * even when the cut is inside a quoted cell. */
Test(csv, reader_leaves_out_a_last_row_cut_short, .fini = tu_tmp_cleanup)
{
	static const char *cut[] = {"a,b\n1,2\n3,4", "a,b\n1,2\n3,\"/srv/x"};
	struct error err;
	struct rows rows;
	char path[256];
	size_t k;

	for (k = 0; k < 2; k++) {
		csv_write_text(path, sizeof path, "cut.csv", cut[k]);
		memset(&rows, 0, sizeof rows);
		err.msg[0] = '\0';
		cr_assert_eq(csv_read(path, csv_collect, &rows, &err), 0, "%s",
			     err.msg);
		cr_assert_eq(rows.n, 2, "%zu: %lu rows", k, rows.n);
		cr_assert_str_eq(rows.cells[1][1], "2");
		cr_assert(strstr(err.msg, "cut.csv line 3 is cut short") !=
			      NULL,
			  "%s", err.msg);
	}
	csv_write_text(path, sizeof path, "whole.csv", "a,b\n1,2\n");
	err.msg[0] = '\0';
	memset(&rows, 0, sizeof rows);
	cr_assert_eq(csv_read(path, csv_collect, &rows, &err), 0);
	cr_assert_str_eq(err.msg, "");
	/* A quote never closed swallows the lines after it: that is a
	 * malformed file, not a row cut short. */
	csv_write_text(path, sizeof path, "quote.csv", "a,b\n1,2\n\"3,4\n5,6");
	memset(&rows, 0, sizeof rows);
	cr_assert_lt(csv_read(path, csv_collect, &rows, &err), 0);
	cr_assert(strstr(err.msg, "quote.csv line 3: malformed") != NULL, "%s",
		  err.msg);
}

/* A daemon appending to its file after a kill -9: the row cut short is
 * cut off first (and said), so the new rows start on a line of their
 * own. */
Test(csv, append_cuts_a_row_cut_short, .fini = tu_tmp_cleanup)
{
	struct csv_sink *sink;
	struct error err;
	struct table t;
	struct sample s;
	char path[256], *text;
	size_t len;
	int fd;

	snprintf(path, sizeof path, "%s/d.csv", tu_tmpdir());
	cr_assert_eq(csv_sink_open(&sink, path, CSV_SAMPLES, false, &err), 0);
	csv_sample(&s, 1000);
	cr_assert_eq(csv_sink_write(sink, &s, &err), 0);
	csv_sink_close(sink, NULL);
	text = tu_read_text(path, 1 << 16, &len);
	/* The first 20 bytes of a second row, as a cut write leaves them. */
	fd = open(path, O_WRONLY);
	cr_assert(fd >= 0);
	cr_assert_eq(pwrite(fd, "2026-12-01T10:00:01.", 20, (off_t)len), 20);
	close(fd);
	err.msg[0] = '\0';
	cr_assert_eq(csv_sink_open_append(&sink, path, CSV_SAMPLES, NULL, &err),
		     0, "%s", err.msg);
	cr_assert(strstr(err.msg, "cut off 20 bytes") != NULL, "%s", err.msg);
	cr_assert_eq(csv_sink_size(sink), (long long)len);
	csv_sample(&s, 2000);
	cr_assert_eq(csv_sink_write(sink, &s, &err), 0);
	csv_sink_close(sink, NULL);
	free(text);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, 2);
	cr_assert_eq(tu_table_num(&t, 0, "rss_kb"), 1000);
	cr_assert_eq(tu_table_num(&t, 1, "rss_kb"), 2000);
	tu_table_free(&t);
}

/* A regions CSV of rows (after its header) appended to: what the sink
 * said, and the whole rows left. */
static void
append_regions(const char *rows, const char *said, size_t whole)
{
	struct csv_sink *sink;
	struct csv_buf b = {0};
	struct error err = {""};
	struct table t;
	char path[256];

	csv_format_header(&b, CSV_REGIONS);
	csv_buf_add(&b, "%s", rows);
	csv_write_text(path, sizeof path, "r.csv", b.text);
	free(b.text);
	cr_assert_eq(csv_sink_open_append(&sink, path, CSV_REGIONS, NULL, &err),
		     0, "%s", err.msg);
	cr_assert(strstr(err.msg, said) != NULL, "%s", err.msg);
	csv_sink_close(sink, NULL);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, whole, "%zu rows", t.nrows);
	if (whole > 0)
		cr_assert_eq(tu_table_num(&t, whole - 1, "elapsed_s"), 1);
	tu_table_free(&t);
}

/* A regions CSV holds one sample's rows in one write: a write cut short
 * leaves whole rows of a sample before the cut row.  Appending cuts the
 * whole sample off, not only the cut row. */
Test(csv, append_cuts_a_region_sample_cut_short, .fini = tu_tmp_cleanup)
{
	append_regions("2026-12-01T10:00:00.000Z,1.000,1,[heap],heap\n"
		       "2026-12-01T10:00:00.000Z,1.000,1,[stack],stack\n"
		       "2026-12-01T10:00:01.000Z,2.000,1,[heap],heap\n"
		       "2026-12-01T10:00:01.000Z,2.00",
		       "cut off", 2);
	/* Cut in the first row of a sample: whether it began one or
	 * continued the one before cannot be told, so that one goes too,
	 * as the readers leave it out. */
	append_regions("2026-12-01T10:00:00.000Z,1.000,1,[heap],heap\n"
		       "2026-12-01T10:00:00.000Z,1.000,1,[stack],stack\n"
		       "2026-12-01T10:00:01.000Z,2.0",
		       "cut off 120 bytes", 0);
	/* A fragment shorter than the time: the sample before goes. */
	append_regions("2026-12-01T10:00:00.000Z,1.000,1,[heap],heap\n"
		       "2026-12-01T10:00:01.000Z,2.000,1,[heap],heap\n"
		       "2026-12-01T10:00:01.000Z,2.000,1,[stack],stack\n"
		       "2026-12",
		       "cut off", 1);
}

/* Where a cut can fall: the kernel stops a write only at a page
 * boundary of the file.  A row of a several-row write that would end
 * there ends in "\r\n" instead, so a cut there still leaves a last line
 * with no "\n" (seen as cut), and the rows read back the same. */
Test(csv, no_row_inside_a_write_ends_at_a_page_boundary, .fini = tu_tmp_cleanup)
{
	struct csv_sink *sink;
	struct csv_buf b = {0};
	struct error err;
	struct table t;
	char path[256], *text;
	size_t len;

	snprintf(path, sizeof path, "%s/p.csv", tu_tmpdir());
	cr_assert_eq(csv_sink_open_header(&sink, path, "a,b", false, &err), 0);
	/* "a,b\n" is 4 bytes: the first row ends at byte 4096. */
	csv_buf_add(&b, "1,%0*d\n", 4096 - 4 - 3, 7);
	csv_buf_add(&b, "3,4\n");
	cr_assert_eq(csv_sink_put_rows(sink, &b, &err), 0);
	/* A write's own end at a boundary is a whole write: no "\r". */
	b.len = 0;
	csv_buf_add(&b, "5,%0*d\n", 8192 - 4101 - 3, 6);
	cr_assert_eq(csv_sink_put_rows(sink, &b, &err), 0);
	cr_assert_eq(csv_sink_size(sink), 8192);
	csv_sink_close(sink, NULL);
	free(b.text);
	text = tu_read_text(path, 1 << 16, &len);
	cr_assert_eq(len, 8192);
	cr_assert_eq(text[4095], '\r');
	cr_assert_eq(text[4096], '\n');
	cr_assert_eq(text[8191], '\n');
	cr_assert_eq(text[8190], '6');
	free(text);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, 3);
	cr_assert_eq(tu_table_num(&t, 0, "b"), 7);
	cr_assert_eq(tu_table_num(&t, 1, "b"), 4);
	cr_assert_eq(tu_table_num(&t, 2, "b"), 6);
	tu_table_free(&t);
}

/* -o - onto a file the shell opened for appending (>> FILE): a failed
 * write is cut back to the rows this run wrote, never into what the file
 * held before. */
Test(csv, failed_write_to_appended_stdout_keeps_the_file,
     .fini = tu_tmp_cleanup)
{
	struct rlimit old, lim;
	struct csv_sink *sink = NULL;
	struct error err;
	struct sample s;
	char path[256], before[1200], *text;
	size_t len;
	int fd, saved, i, rc = 0;

	memset(before, 'x', sizeof before - 2);
	before[sizeof before - 2] = '\n';
	before[sizeof before - 1] = '\0';
	csv_write_text(path, sizeof path, "app.csv", before);
	fd = open(path, O_WRONLY | O_APPEND);
	cr_assert(fd >= 0);
	saved = dup(STDOUT_FILENO);
	cr_assert(saved >= 0);
	cr_assert_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 2000;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = csv_sink_open(&sink, "-", CSV_SAMPLES, false, &err);
	for (i = 0; i < 100 && rc == 0; i++) {
		csv_sample(&s, 1000 + i);
		rc = csv_sink_write(sink, &s, &err);
	}
	setrlimit(RLIMIT_FSIZE, &old);
	if (sink != NULL)
		csv_sink_close(sink, NULL);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	cr_assert_lt(rc, 0, "the limit was never hit");
	text = tu_read_text(path, 1 << 16, &len);
	cr_assert_geq(len, sizeof before - 1, "the file was cut to %zu bytes",
		      len);
	cr_assert_eq(memcmp(text, before, sizeof before - 1), 0);
	cr_assert_eq(text[len - 1], '\n', "a row was left cut short");
	free(text);
}
