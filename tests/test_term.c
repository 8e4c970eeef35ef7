/*
 * The live view (src/sinks/term.c) as a user sees it: on a terminal (a
 * pseudo-terminal of a known size) and piped; and the JSON lines sink
 * (src/sinks/jsonl.c) through the binary.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static char *mt, *demo;

static void
term_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	demo = (char *)tu_bin("MEMTREND_DEMO", "./memtrend-demo");
}

TestSuite(term, .init = term_setup, .fini = tu_tmp_cleanup);

/* Runs argv with standard output on a pseudo-terminal of rows x cols and
 * the environment env ("NAME=value", NULL-ended, on top of ours); out
 * gets what the terminal received, with the "\r\n" the tty adds turned
 * back into "\n".  Returns the exit status. */
static int
term_run_pty(char *const argv[], char *const env[], int rows, int cols,
	     char *out, size_t len)
{
	struct winsize ws = {.ws_row = (unsigned short)rows,
			     .ws_col = (unsigned short)cols};
	size_t used = 0, i, j;
	int master, slave, status;
	ssize_t n;
	pid_t pid;

	cr_assert_eq(openpty(&master, &slave, NULL, NULL, &ws), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(master);
		dup2(slave, STDOUT_FILENO);
		close(slave);
		unsetenv("COLUMNS");
		unsetenv("NO_COLOR");
		setenv("TERM", "xterm", 1);
		for (i = 0; env != NULL && env[i] != NULL; i++)
			putenv(env[i]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(slave);
	for (;;) {
		n = read(master, out + used, len - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) /* EIO once the child closed the terminal */
			break;
		used += (size_t)n;
		if (used >= len - 1)
			break;
	}
	close(master);
	waitpid(pid, &status, 0);
	for (i = j = 0; i < used; i++)
		if (!(out[i] == '\r' && i + 1 < used && out[i + 1] == '\n'))
			out[j++] = out[i];
	out[j] = '\0';
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The longest line of text, in characters (UTF-8 aware). */
static size_t
term_widest(const char *text)
{
	size_t w = 0, max = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '\n') {
			w = 0;
			continue;
		}
		if ((*p & 0xc0) != 0x80)
			w++;
		if (w > max)
			max = w;
	}
	return max;
}

static size_t
term_count(const char *text, const char *what)
{
	size_t n = 0;
	const char *p;

	for (p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static char out[1 << 18];

/* On an 80-column terminal no line of the live view is wider, and the
 * columns left out are named. */
Test(term, fits_an_80_column_terminal)
{
	int st = term_run_pty(
	    (char *[]){mt, "-c", "3", "-e", "50ms", "--", demo, NULL},
	    (char *[]){"NO_COLOR=1", NULL}, 24, 80, out, sizeof out);

	cr_assert_eq(st, 0, "%s", out);
	cr_assert_eq(term_count(out, "\ntime "), 1, "%s", out);
	cr_assert(strstr(out, "(not shown, to fit: file, shmem, swap, "
			      "majflt/s;") != NULL,
		  "%s", out);
	/* The summary table is not the live view; the live part is. */
	*strstr(out, "summary: ") = '\0';
	cr_assert_leq(term_widest(out), 80, "%s", out);
	cr_assert(strstr(out, "     uss ") != NULL, "%s", out);
}

/* Piped with no COLUMNS: every column (a file keeps them all). */
Test(term, piped_output_keeps_every_column)
{
	struct run r;

	unsetenv("COLUMNS");
	tu_run(&r, (char *[]){mt, "-c", "2", "-e", "50ms", "--", demo, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "majflt/s") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "not shown") == NULL, "%s", r.out);
	cr_assert_eq(term_widest(r.out) > 100, true, "%s", r.out);
	setenv("COLUMNS", "60", 1);
	tu_run(&r, (char *[]){mt, "-c", "2", "-e", "50ms", "--", demo, NULL},
	       30);
	unsetenv("COLUMNS");
	*strstr(r.out, "summary: ") = '\0';
	cr_assert_leq(term_widest(r.out), 60, "%s", r.out);
	cr_assert(strstr(r.out, "to fit: anon, file,") != NULL, "%s", r.out);
}

/* With --regions the header comes back every screenful: a 12-line
 * terminal gets it again and again, never more than a screen apart. */
Test(term, header_repeats_with_regions)
{
	const char *p, *next;
	int st;

	/* --budget 100%: a busy machine's throttling notices (standard
	 * error, the same terminal) would add lines between the headers. */
	st = term_run_pty(
	    (char *[]){mt, "-c", "12", "-e", "50ms", "--regions=3", "--budget",
		       "100%", "--", demo, NULL},
	    (char *[]){"NO_COLOR=1", NULL}, 12, 100, out, sizeof out);
	cr_assert_eq(st, 0, "%s", out);
	*strstr(out, "summary: ") = '\0';
	cr_assert_geq(term_count(out, "\ntime "), 4, "%s", out);
	for (p = strstr(out, "\ntime "); p != NULL; p = next) {
		size_t lines = 0;
		const char *q;

		next = strstr(p + 1, "\ntime ");
		for (q = p + 1; *q != '\0' && (next == NULL || q < next); q++)
			lines += *q == '\n';
		/* The header stays on the 12-line screen: 11 lines under
		 * it at most (the last may end early). */
		cr_assert_leq(lines, 11, "%s", out);
	}
}

/* Bold on a terminal, but not with NO_COLOR set or TERM=dumb. */
Test(term, no_color_and_dumb_terminals_get_no_escapes)
{
	char *const argv[] = {mt, "-c", "2", "-e", "50ms", "--", demo, NULL};

	term_run_pty(argv, NULL, 24, 132, out, sizeof out);
	cr_assert(strstr(out, "\033[1m") != NULL, "%s", out);
	term_run_pty(argv, (char *[]){"NO_COLOR=1", NULL}, 24, 132, out,
		     sizeof out);
	cr_assert(strchr(out, '\033') == NULL, "%s", out);
	term_run_pty(argv, (char *[]){"TERM=dumb", NULL}, 24, 132, out,
		     sizeof out);
	cr_assert(strchr(out, '\033') == NULL, "%s", out);
	/* NO_COLOR empty means unset (no-color.org). */
	term_run_pty(argv, (char *[]){"NO_COLOR=", NULL}, 24, 132, out,
		     sizeof out);
	cr_assert(strstr(out, "\033[1m") != NULL, "%s", out);
}

/* The first live verdict says when there will be one, not "not enough
 * data yet (1 sample over 0 us)". */
Test(term, first_verdict_says_when)
{
	struct run r;
	unsigned long n;
	const char *p;
	char when[64];

	tu_run(&r, (char *[]){mt, "-c", "3", "-e", "100ms", "--", demo, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	p = strstr(r.out, "verdict: the first after ");
	cr_assert(p != NULL, "%s", r.out);
	cr_assert_eq(sscanf(p, "verdict: the first after %lu more", &n), 1);
	cr_assert(n >= 20 && n <= 40, "%lu: %s", n, r.out);
	snprintf(when, sizeof when, "more samples (about %.1f s)\n",
		 (double)n * 0.1);
	cr_assert(strncmp(strstr(p, "more samples"), when, strlen(when)) == 0,
		  "'%s' for %lu samples every 100 ms: %s", when, n, r.out);
	cr_assert(strstr(r.out, "(1 sample over") == NULL, "%s", r.out);
	cr_assert_eq(term_count(r.out, "verdict: the first after"), 1);
}

/* The summary says which rate is which. */
Test(term, summary_names_its_two_rates)
{
	struct run r;

	/* The whole budget: 30 stretched ticks (ASan, load) could outlast
	 * the 30 s limit. */
	tu_run(&r,
	       (char *[]){mt, "-c", "30", "-e", "50ms", "--budget", "100%",
			  "-q", "--", demo, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "avg/h") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "avg/h above is (last - first) / span") &&
		      strstr(r.out, "slope of the trend fitted to the floor"),
		  "%s", r.out);
}

/* One object per line of a JSON lines text; returns how many, the largest
 * numeric uss_kb in *uss (the first samples may come before the launched
 * demo has touched its working set).  Unavailable values are null, never
 * 0. */
static size_t
term_json_lines(const char *text, double *uss)
{
	const char *line, *p;
	size_t n = 0;
	double v;

	*uss = 0;
	for (line = text; *line != '\0'; line = strchr(line, '\n') + 1) {
		cr_assert(strncmp(line, "{\"timestamp\":\"20", 16) == 0, "%s",
			  line);
		cr_assert(strchr(line, '\n') != NULL);
		p = strstr(line, "\"uss_kb\":");
		/* null when the budget skipped smaps_rollup this tick */
		cr_assert(p != NULL &&
			      (sscanf(p, "\"uss_kb\":%lf", &v) == 1 ||
			       strncmp(p, "\"uss_kb\":null,", 14) == 0),
			  "%s", line);
		p = strstr(line, "\"partial\":");
		cr_assert(p != NULL && strncmp(p, "\"partial\":0}\n", 13) == 0,
			  "%s", line);
		if (strncmp(p, "\"uss_kb\":null,", 14) != 0 && v > *uss)
			*uss = v;
		/* No cgroup limit here, or perf (no --faults): null. */
		cr_assert(strstr(line, "\"perf_minflt\":null") != NULL);
		n++;
	}
	return n;
}

Test(term, json_lines_on_stdout_and_by_extension)
{
	char path[512], text[65536];
	struct run r;
	double uss = 0;
	FILE *fp;
	size_t len;

	tu_run(&r,
	       (char *[]){mt, "--json-lines", "-c", "3", "-e", "200ms", "--",
			  demo, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(term_json_lines(r.out, &uss), 3, "%s", r.out);
	/* A number (the demo's 2 MiB once it has touched them; under a
	 * loaded CI the first ticks may come before it has). */
	cr_assert(uss > 100, "uss_kb %g", uss);
	cr_assert(strstr(r.err, "summary: 3 samples") != NULL, "%s", r.err);

	snprintf(path, sizeof path, "%s/run.ndjson", tu_tmpdir());
	tu_run(&r,
	       (char *[]){mt, "-o", path, "-q", "-c", "4", "-e", "200ms", "--",
			  demo, NULL},
	       30);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "JSON lines: 4 lines in ") != NULL, "%s",
		  r.out);
	fp = fopen(path, "r");
	cr_assert(fp != NULL);
	len = fread(text, 1, sizeof text - 1, fp);
	fclose(fp);
	text[len] = '\0';
	cr_assert_eq(term_json_lines(text, &uss), 4, "%s", text);
	cr_assert(uss > 100, "uss_kb %g", uss);
}
