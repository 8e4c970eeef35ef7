/*
 * Terminal output.  Escape codes (bold headers) only when the stream is a
 * terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is
 * not "dumb"; the header repeats every screenful there, as vmstat does,
 * counting every line printed (rows, region blocks, verdicts).  Rows fit
 * the width (term_width()): the least important columns go first, and a
 * line before the header says which.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "sinks/term.h"
#include "util/units.h"
#include "util/xmalloc.h"

#define TERM_VERDICT_ROWS 60
#define TERM_TIME_COL 8	     /* "HH:MM:SS" */
#define TERM_MIN_COLUMNS 80  /* a terminal whose width is unknown */
#define TERM_REGION_FIXED 58 /* a live region line but its name */

const enum field_id term_mem_fields[] = {
    FIELD_RSS_KB,  FIELD_PSS_KB,   FIELD_USS_KB,  FIELD_ANON_KB,
    FIELD_FILE_KB, FIELD_SHMEM_KB, FIELD_SWAP_KB,
};
const size_t term_nmem_fields =
    sizeof term_mem_fields / sizeof term_mem_fields[0];
#define TERM_NMEM (sizeof term_mem_fields / sizeof term_mem_fields[0])

/* The live columns after the time: the memory fields, then these. */
enum { TERM_MINFLT = TERM_NMEM, TERM_MAJFLT, TERM_USS_CHG, TERM_NCOLS };

/* Which columns go first when the terminal is too narrow: the least
 * important first (shmem ... rss); uss, pss and rss always stay. */
static const unsigned char term_drop_order[] = {
    5 /* shmem */, TERM_MAJFLT,	 6 /* swap */, 4 /* file */,
    TERM_MINFLT,   3 /* anon */, TERM_USS_CHG,
};

struct term_sink {
	FILE *fp;
	bool raw;
	size_t top;
	bool tty;
	bool bold;	    /* escape codes allowed */
	double interval_s;  /* for "the first verdict in about ..." */
	unsigned long rows; /* lines since the last header */
	bool headed;
	bool shown[TERM_NCOLS];
	size_t width; /* columns to fit; 0: no limit */
	bool have_prev;
	struct sample prev;
	double first_uss;
	int verdict;		    /* last verdict printed; -1: none */
	unsigned long verdict_rows; /* rows since */
	bool waiting_said;	    /* "no verdict before N samples" said */
};

bool
term_escapes_ok(FILE *fp)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (!isatty(fileno(fp)))
		return false;
	if (no_color != NULL && *no_color != '\0')
		return false;
	return term == NULL || strcmp(term, "dumb") != 0;
}

size_t
term_width(FILE *fp)
{
	const char *columns = getenv("COLUMNS");
	struct winsize ws;
	long n;

	if (isatty(fileno(fp)) && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	if (columns != NULL && (n = strtol(columns, NULL, 10)) > 0)
		return (size_t)n;
	return isatty(fileno(fp)) ? TERM_MIN_COLUMNS : 0;
}

struct term_sink *
term_open(FILE *fp, bool raw_kib, size_t top_regions, double interval_s)
{
	struct term_sink *t = xcalloc(1, sizeof *t);

	t->fp = fp;
	t->raw = raw_kib;
	t->top = top_regions;
	t->tty = isatty(fileno(fp));
	t->bold = term_escapes_ok(fp);
	t->interval_s = interval_s;
	t->first_uss = NAN;
	t->verdict = -1;
	return t;
}

static unsigned long
term_screen_rows(FILE *fp)
{
	struct winsize ws;

	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 3)
		return ws.ws_row - 1;
	return 24 - 1;
}

/* Drops the least important columns until a row fits width; returns
 * whether the set changed. */
static bool
term_fit(struct term_sink *t)
{
	bool shown[TERM_NCOLS];
	size_t i, n = TERM_NCOLS, width = term_width(t->fp);

	for (i = 0; i < TERM_NCOLS; i++)
		shown[i] = true;
	for (i = 0; width > 0 && i < sizeof term_drop_order &&
		    TERM_TIME_COL + n * (TERM_COL + 1) > width;
	     i++, n--)
		shown[term_drop_order[i]] = false;
	t->width = width;
	if (t->headed && memcmp(shown, t->shown, sizeof shown) == 0)
		return false;
	memcpy(t->shown, shown, sizeof shown);
	return true;
}

static const char *
term_col_label(size_t i)
{
	static const char *const extra[] = {"minflt/s", "majflt/s", "uss_chg"};

	return i < TERM_NMEM ? fields[term_mem_fields[i]].label
			     : extra[i - TERM_NMEM];
}

/* Which columns are left out to fit, wrapped to the width:
 * "(not shown, to fit: file, shmem, swap, majflt/s; the -o CSV has them)". */
static void
term_dropped_note(struct term_sink *t)
{
	const char *word;
	size_t i, col = 0, len;
	int k = 0;

	for (i = 0; i <= TERM_NCOLS; i++) {
		if (i < TERM_NCOLS && t->shown[i])
			continue;
		if (i == TERM_NCOLS && k == 0)
			return;
		word =
		    i < TERM_NCOLS ? term_col_label(i) : "the -o CSV has them)";
		len = strlen(word) + 2;
		if (k == 0) {
			fputs("(not shown, to fit:", t->fp);
			col = 19;
		}
		if (k > 0)
			fputc(i < TERM_NCOLS ? ',' : ';', t->fp);
		if (t->width > 0 && col + len > t->width) {
			fputc('\n', t->fp);
			t->rows++;
			col = 0;
		}
		fprintf(t->fp, " %s", word);
		col += len;
		k++;
	}
	fputc('\n', t->fp);
	t->rows++;
}

/* The header; first, when columns are left out to fit, which. */
static void
term_header(struct term_sink *t)
{
	size_t i;

	if (term_fit(t))
		term_dropped_note(t);
	t->headed = true;
	if (t->bold)
		fputs("\033[1m", t->fp);
	fprintf(t->fp, "%-*s", TERM_TIME_COL, "time");
	for (i = 0; i < TERM_NCOLS; i++)
		if (t->shown[i])
			fprintf(t->fp, " %*s", TERM_COL, term_col_label(i));
	if (t->bold)
		fputs("\033[0m", t->fp);
	fputc('\n', t->fp);
}

/* Per-second rate of a counter since the previous row. */
static double
term_rate(const struct term_sink *t, const struct sample *s, enum field_id f)
{
	double dt;

	if (!t->have_prev)
		return NAN;
	dt = s->elapsed_s - t->prev.elapsed_s;
	if (dt <= 0 || isnan(s->value[f]) || isnan(t->prev.value[f]))
		return NAN;
	return (s->value[f] - t->prev.value[f]) / dt;
}

const char *
term_fit_name(char *buf, size_t len, const char *name, size_t width)
{
	char safe[1024];
	size_t n;

	units_escape_text(safe, sizeof safe, name);
	n = strlen(safe);
	if (n <= width)
		snprintf(buf, len, "%s", safe);
	else
		snprintf(buf, len, "...%s", safe + n - (width - 3));
	return buf;
}

/* term_region_lines() with names namew wide; returns the lines printed. */
static size_t
term_region_lines_w(FILE *fp, const struct regtrack *rt, bool raw, size_t n,
		    bool last_only, int namew)
{
	const struct regtrack_entry **top;
	const struct regtrack_entry *e;
	char now[32], first[32], growth[32], rate[32], name[64];
	size_t i, k;
	double v;

	top = xcalloc(n + 1, sizeof *top);
	k = regtrack_top(rt, top, n);
	for (i = 0; i < k; i++) {
		e = top[i];
		v = isnan(e->last[RF_USS_KB]) ? e->last[RF_RSS_KB]
					      : e->last[RF_USS_KB];
		units_format_kib(now, sizeof now, v, raw, false);
		units_format_kib(first, sizeof first,
				 isnan(e->first[RF_USS_KB])
				     ? e->first[RF_RSS_KB]
				     : e->first[RF_USS_KB],
				 raw, false);
		units_format_kib(growth, sizeof growth, regtrack_growth_kb(e),
				 raw, true);
		units_format_kib(rate, sizeof rate, regtrack_rate_per_hour(e),
				 raw, true);
		term_fit_name(name, sizeof name, e->name, (size_t)namew);
		if (last_only && !isnan(e->last[RF_IDLE_PCT]))
			fprintf(fp, "  %-*s %-12s %*s %*s %*s/h %5.1f%%%s\n",
				namew, name, region_kind_names[e->kind],
				TERM_COL, now, TERM_COL, growth, TERM_COL, rate,
				e->last[RF_IDLE_PCT],
				e->last[RF_IDLE_ERR_PCT] > 0.05 ? "±" : "");
		else if (last_only)
			fprintf(fp, "  %-*s %-12s %*s %*s %*s/h\n", namew, name,
				region_kind_names[e->kind], TERM_COL, now,
				TERM_COL, growth, TERM_COL, rate);
		else
			fprintf(fp, "  %-*s %-12s %*s %*s %*s %*s/h\n", namew,
				name, region_kind_names[e->kind], TERM_COL,
				first, TERM_COL, now, TERM_COL, growth,
				TERM_COL, rate);
	}
	free(top);
	return k;
}

void
term_region_lines(FILE *fp, const struct regtrack *rt, bool raw, size_t n,
		  bool last_only)
{
	term_region_lines_w(fp, rt, raw, n, last_only, 34);
}

/* The live block of the regions that grew most, as wide as fits. */
static void
term_regions(struct term_sink *t, const struct regtrack *rt)
{
	int namew = 34;

	if (t->width > 0 && t->width < TERM_REGION_FIXED + 34)
		namew = t->width > TERM_REGION_FIXED + 12
			    ? (int)(t->width - TERM_REGION_FIXED)
			    : 12;
	fprintf(t->fp, "  %-*s %-12s %*s %*s %*s %6s\n", namew,
		"region (by growth)", "kind", TERM_COL, "uss", TERM_COL,
		"growth", TERM_COL + 2, "rate", "idle");
	t->rows +=
	    1 + term_region_lines_w(t->fp, rt, t->raw, t->top, true, namew);
}

void
term_row(struct term_sink *t, const struct sample *s, const struct regtrack *rt)
{
	time_t secs = (time_t)s->wall_s;
	char buf[TERM_NCOLS][32], clock[16];
	double rate;
	struct tm tm;
	size_t i, lines;
	int f;

	/* The row and its region block stay under one header. */
	lines = 1;
	if (t->top > 0 && s->regions != NULL && rt != NULL)
		lines += 1 + (rt->n < t->top ? rt->n : t->top);
	if (!t->headed ||
	    (t->tty && t->rows + lines > term_screen_rows(t->fp))) {
		t->rows = 0;
		term_header(t);
	}
	localtime_r(&secs, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	for (i = 0; i < TERM_NMEM; i++)
		units_format_kib(buf[i], sizeof buf[i],
				 s->value[term_mem_fields[i]], t->raw, false);
	for (f = FIELD_MINFLT; f <= FIELD_MAJFLT; f++) {
		/* perf events when they run, else the stat counters. */
		rate = term_rate(
		    t, s,
		    isnan(s->value[f - FIELD_MINFLT + FIELD_PERF_MINFLT])
			? f
			: f - FIELD_MINFLT + FIELD_PERF_MINFLT);
		i = TERM_MINFLT + (size_t)(f - FIELD_MINFLT);
		if (isnan(rate))
			snprintf(buf[i], sizeof buf[i], "-");
		else
			snprintf(buf[i], sizeof buf[i], "%.0f", rate);
	}
	if (isnan(t->first_uss))
		t->first_uss = s->value[FIELD_USS_KB];
	units_format_kib(buf[TERM_USS_CHG], sizeof buf[TERM_USS_CHG],
			 s->value[FIELD_USS_KB] - t->first_uss, t->raw, true);
	fprintf(t->fp, "%-*s", TERM_TIME_COL, clock);
	for (i = 0; i < TERM_NCOLS; i++)
		if (t->shown[i])
			fprintf(t->fp, " %*s", TERM_COL, buf[i]);
	fputc('\n', t->fp);
	t->rows++;
	if (t->top > 0 && s->regions != NULL && rt != NULL)
		term_regions(t, rt);
	fflush(t->fp);
	t->prev = *s;
	t->have_prev = true;
}

void
term_close(struct term_sink *t)
{
	free(t);
}

/* Before there are enough samples for a verdict: when there will be one,
 * said once. */
static void
term_verdict_waiting(struct term_sink *t, const struct trend_evidence *ev)
{
	char when[32];

	if (t->waiting_said)
		return;
	t->waiting_said = true;
	units_format_duration(when, sizeof when,
			      (double)ev->need_samples * t->interval_s);
	fprintf(t->fp, "verdict: the first after %lu more samples (about %s)\n",
		ev->need_samples, when);
	t->rows++;
}

void
term_verdict(struct term_sink *t, const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);
	char sentence[2048], safe[4096];

	if (ev->samples == 0)
		return;
	if (ev->verdict == TREND_INSUFFICIENT && ev->why == TREND_WHY_FEW &&
	    t->verdict == -1) {
		term_verdict_waiting(t, ev);
		return;
	}
	if ((int)ev->verdict == t->verdict &&
	    ++t->verdict_rows < TERM_VERDICT_ROWS)
		return;
	t->verdict = (int)ev->verdict;
	t->verdict_rows = 0;
	verdict_sentence(v, sentence, sizeof sentence);
	units_escape_text(safe, sizeof safe, sentence); /* regions */
	if (t->bold)
		fputs("\033[1m", t->fp);
	fprintf(t->fp, "verdict: %s:", verdict_name(ev->verdict));
	if (t->bold)
		fputs("\033[0m", t->fp);
	fprintf(t->fp, " %s\n", safe);
	t->rows++;
	fflush(t->fp);
}

void
term_notice(const char *fmt, ...)
{
	char msg[2048], safe[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Notices name processes and files: escaped for the terminal. */
	units_escape_text(safe, sizeof safe, msg);
	fprintf(stderr, "memtrend: %s\n", safe);
}
