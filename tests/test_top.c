/*
 * memtrend top: every process watched as a ranked set, against a real
 * leaking child; its long-format CSV read back by analyze; the ranked
 * table from known rows, hostile names included.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sinks/rank.h"
#include "testutil.h"

static char *mt, *demo;

static void
top_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	demo = (char *)tu_bin("MEMTREND_DEMO", "./memtrend-demo");
}

TestSuite(top, .init = top_setup, .fini = tu_tmp_cleanup);

/* The demo leaks 256 KiB a second: top's CSV shows it, row by row, and
 * analyze finds it by pid in the long-format file. */
Test(top, follows_a_leaking_process_and_analyze_reads_its_csv)
{
	char path[512], pidtext[16], line[128];
	double first = NAN, last = NAN, t0 = 0, t1 = 0;
	struct table t;
	struct run r;
	size_t i, rows = 0;
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		execv(demo, (char *[]){demo, "--for", "60s", NULL});
		_exit(127);
	}
	usleep(200000);
	snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
	snprintf(path, sizeof path, "%s/top.csv", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "top", "-q", "--every", "500ms", "--count", "10",
			  "--budget", "100%", "-o", path, NULL},
	       60);
	cr_assert_eq(r.status, 0, "top: %s", r.err);
	cr_assert(strstr(r.out, "processes: ") != NULL, "%s", r.out);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_str_eq(t.header[t.ncols - 1], "cmdline");
	for (i = 0; i < t.nrows; i++) {
		double uss = tu_table_num(&t, i, "uss_kb");

		if (tu_table_num(&t, i, "pid") != (double)pid || isnan(uss))
			continue;
		if (rows++ == 0) {
			first = uss;
			t0 = tu_table_num(&t, i, "elapsed_s");
		}
		last = uss;
		t1 = tu_table_num(&t, i, "elapsed_s");
		cr_assert_str_eq(t.rows[i][t.ncols - 2], "memtrend-demo");
	}
	/* --budget 100%: every process's smaps_rollup every tick. */
	cr_assert_eq(rows, 10, "%zu rows with USS for the demo", rows);
	cr_assert(t1 - t0 > 3, "span %.1f s", t1 - t0);
	cr_assert(fabs((last - first) / (t1 - t0) - 256) < 256 * 0.3,
		  "the demo grew %.0f KiB/s, not 256",
		  (last - first) / (t1 - t0));
	tu_table_free(&t);

	tu_run(&r, (char *[]){mt, "analyze", "--pid", pidtext, path, NULL}, 30);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "USS") != NULL, "%s", r.out);
	tu_run(
	    &r,
	    (char *[]){mt, "analyze", "--top", "100000", "--json", path, NULL},
	    30);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	snprintf(line, sizeof line, "{\"pid\":%d,", (int)pid);
	cr_assert(strncmp(r.out, "{\"processes\":[", 14) == 0, "%s", r.out);
	cr_assert(strstr(r.out, line) != NULL, "%s", r.out);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A long-format CSV of two processes, one leaking 1 MiB a minute for 10
 * minutes, the other flat: ranked first and flagged; the flat one not. */
static long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

Test(top, analyze_ranks_the_processes_of_a_long_csv)
{
	char path[512], png[512];
	struct run r;
	FILE *f;
	int k;

	snprintf(path, sizeof path, "%s/long.csv", tu_tmpdir());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f,
		"timestamp,elapsed_s,pid,rss_kb,pss_kb,uss_kb,comm,cmdline\n");
	for (k = 0; k <= 600; k++) {
		fprintf(f,
			"2026-11-30T10:%02d:%02d.000Z,%d,100,%d,%d,%d,flat,"
			"\"flat --x, y\"\n",
			k / 60, k % 60, k, 50000 + (k % 3), 40000,
			30000 + (k % 3));
		fprintf(f,
			"2026-11-30T10:%02d:%02d.000Z,%d,200,%d,%d,%d,leaky,"
			"leaky\n",
			k / 60, k % 60, k, 60000 + k * 17, 50000 + k * 17,
			40000 + k * 17 + (k % 5));
	}
	cr_assert_eq(fclose(f), 0);
	tu_run(&r,
	       (char *[]){mt, "analyze", "--no-daily-cycle", "--top", "2", path,
			  NULL},
	       30);
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "2 processes; the 2 growing fastest:\npid 200: "
				"USS growing") != NULL,
		  "%s", r.out);
	cr_assert(strstr(r.out, "\npid 100: ") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\npid 100: USS growing") == NULL, "%s", r.out);
	tu_run(&r,
	       (char *[]){mt, "analyze", "--no-daily-cycle", "--pid", "100",
			  path, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	/* plot and report draw one process of it, chosen by --pid. */
	snprintf(png, sizeof png, "%s/leaky.png", tu_tmpdir());
	tu_run(&r, (char *[]){mt, "plot", path, "-o", png, NULL}, 60);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "holds several processes and no set's sum") !=
		      NULL,
		  "%s", r.err);
	tu_run(&r,
	       (char *[]){mt, "plot", "--pid", "200", path, "-o", png, NULL},
	       60);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_gt(file_size(png), 1000);
	tu_run(&r, (char *[]){mt, "analyze", "--pid", "7", path, NULL}, 30);
	cr_assert_eq(r.status, 2);
	cr_assert(
	    strstr(r.err, "no rows of samples for the process asked for") !=
		NULL,
	    "%s", r.err);
}

/* Rows ranked by rate, shares of the growth, hostile names escaped. */
Test(top, rank_table_orders_shares_and_escapes)
{
	struct summary a, b, c;
	struct verdict va, vb, vc;
	struct rank_row rows[3] = {
	    {.pid = 10, .comm = "slow", .cmdline = "slow", .rate_kb_h = 100},
	    {.pid = 20,
	     .comm = "evil",
	     .cmdline = "evil\033[2J\x07name",
	     .rate_kb_h = 300},
	    {.pid = 30, .comm = "new", .cmdline = "", .rate_kb_h = NAN},
	};
	char buf[4096] = "";
	FILE *f = fmemopen(buf, sizeof buf - 1, "w");
	struct sample s;

	summary_init(&a);
	summary_init(&b);
	summary_init(&c);
	sample_clear(&s);
	s.value[FIELD_USS_KB] = 2048;
	s.value[FIELD_RSS_KB] = 4096;
	summary_add(&a, &s);
	summary_add(&b, &s);
	verdict_init(&va, VERDICT_AUTO);
	verdict_init(&vb, VERDICT_AUTO);
	verdict_init(&vc, VERDICT_AUTO);
	rows[0].summary = &a;
	rows[1].summary = &b;
	rows[2].summary = &c;
	rows[0].verdict = &va;
	rows[1].verdict = &vb;
	rows[2].verdict = &vc;
	rank_sort(rows, 3);
	cr_assert_eq(rows[0].pid, 20);
	cr_assert_eq(rows[1].pid, 10);
	cr_assert_eq(rows[2].pid, 30);
	rank_table(f, rows, 3, 3, false, 80);
	fclose(f);
	cr_assert(strstr(buf, "     20 uss    2.00 MiB    +300 KiB    75%") !=
		      NULL,
		  "%s", buf);
	cr_assert(strstr(buf, "     10 uss    2.00 MiB    +100 KiB    25%") !=
		      NULL,
		  "%s", buf);
	cr_assert(strchr(buf, '\033') == NULL && strchr(buf, '\a') == NULL,
		  "control characters reached the terminal: %s", buf);
	cr_assert(strstr(buf, "evil\\x1b[2J\\x07name") != NULL, "%s", buf);
	verdict_free(&va);
	verdict_free(&vb);
	verdict_free(&vc);
}

Test(top, bad_input_is_one_line_and_status_2)
{
	struct run r;

	tu_run(&r, (char *[]){mt, "top", "--user", "no-such-user-xyz", NULL},
	       10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--user: no user 'no-such-user-xyz'") != NULL,
		  "%s", r.err);
	tu_run(&r, (char *[]){mt, "top", "extra", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "top takes no arguments") != NULL, "%s", r.err);
	/* A bad value names its option, as the other commands' do. */
	tu_run(&r, (char *[]){mt, "top", "--every", "0", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "memtrend: --every: interval '0'") != NULL,
		  "%s", r.err);
	tu_run(&r, (char *[]){mt, "top", "--rows", "0", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "memtrend: --rows: invalid count '0'") != NULL,
		  "%s", r.err);
	tu_run(&r, (char *[]){mt, "top", "-d", "x", NULL}, 10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--duration: invalid duration 'x'") != NULL,
		  "%s", r.err);
	/* uid 0 is a uid (it was refused as "no user '0'"). */
	tu_run(&r, (char *[]){mt, "top", "--user", "0", "-c", "1", "-q", NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* A second --user replaced the first without a word. */
	tu_run(&r, (char *[]){mt, "top", "--user", "0", "--user", "1", NULL},
	       10);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--user: given twice") != NULL, "%s", r.err);
}
