/*
 * Terminal output.  Escape codes (bold headers) only when the stream is a
 * terminal; the header repeats every screenful there, as vmstat does.
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

const enum field_id term_mem_fields[] = {
    FIELD_RSS_KB,  FIELD_PSS_KB,   FIELD_USS_KB,  FIELD_ANON_KB,
    FIELD_FILE_KB, FIELD_SHMEM_KB, FIELD_SWAP_KB,
};
const size_t term_nmem_fields =
    sizeof term_mem_fields / sizeof term_mem_fields[0];
#define TERM_NMEM (sizeof term_mem_fields / sizeof term_mem_fields[0])

struct term_sink {
	FILE *fp;
	bool raw;
	size_t top;
	bool tty;
	unsigned long rows; /* rows since the last header */
	bool have_prev;
	struct sample prev;
	double first_uss;
	int verdict;		    /* last verdict printed; -1: none */
	unsigned long verdict_rows; /* rows since */
};

struct term_sink *
term_open(FILE *fp, bool raw_kib, size_t top_regions)
{
	struct term_sink *t = xcalloc(1, sizeof *t);

	t->fp = fp;
	t->raw = raw_kib;
	t->top = top_regions;
	t->tty = isatty(fileno(fp));
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

static void
term_header(struct term_sink *t)
{
	size_t i;

	if (t->tty)
		fputs("\033[1m", t->fp);
	fprintf(t->fp, "%-8s", "time");
	for (i = 0; i < TERM_NMEM; i++)
		fprintf(t->fp, " %*s", TERM_COL,
			fields[term_mem_fields[i]].label);
	fprintf(t->fp, " %*s %*s %*s", TERM_COL, "minflt/s", TERM_COL,
		"majflt/s", TERM_COL, "uss_chg");
	if (t->tty)
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

void
term_region_lines(FILE *fp, const struct regtrack *rt, bool raw, size_t n,
		  bool last_only)
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
		if (last_only && !isnan(e->last[RF_IDLE_PCT]))
			fprintf(fp, "  %-34s %-12s %*s %*s %*s/h %5.1f%%%s\n",
				term_fit_name(name, sizeof name, e->name, 34),
				region_kind_names[e->kind], TERM_COL, now,
				TERM_COL, growth, TERM_COL, rate,
				e->last[RF_IDLE_PCT],
				e->last[RF_IDLE_ERR_PCT] > 0.05 ? "±" : "");
		else if (last_only)
			fprintf(fp, "  %-34s %-12s %*s %*s %*s/h\n",
				term_fit_name(name, sizeof name, e->name, 34),
				region_kind_names[e->kind], TERM_COL, now,
				TERM_COL, growth, TERM_COL, rate);
		else
			fprintf(fp, "  %-34s %-12s %*s %*s %*s %*s/h\n",
				term_fit_name(name, sizeof name, e->name, 34),
				region_kind_names[e->kind], TERM_COL, first,
				TERM_COL, now, TERM_COL, growth, TERM_COL,
				rate);
	}
	free(top);
}

void
term_row(struct term_sink *t, const struct sample *s, const struct regtrack *rt)
{
	time_t secs = (time_t)s->wall_s;
	char buf[32], clock[16];
	double rate;
	struct tm tm;
	size_t i;
	int f;

	if (t->rows == 0 || (t->tty && t->rows >= term_screen_rows(t->fp))) {
		term_header(t);
		t->rows = 0;
	}
	localtime_r(&secs, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	fprintf(t->fp, "%-8s", clock);
	for (i = 0; i < TERM_NMEM; i++) {
		units_format_kib(buf, sizeof buf, s->value[term_mem_fields[i]],
				 t->raw, false);
		fprintf(t->fp, " %*s", TERM_COL, buf);
	}
	for (f = FIELD_MINFLT; f <= FIELD_MAJFLT; f++) {
		/* perf events when they run, else the stat counters. */
		rate = term_rate(
		    t, s,
		    isnan(s->value[f - FIELD_MINFLT + FIELD_PERF_MINFLT])
			? f
			: f - FIELD_MINFLT + FIELD_PERF_MINFLT);
		if (isnan(rate))
			snprintf(buf, sizeof buf, "-");
		else
			snprintf(buf, sizeof buf, "%.0f", rate);
		fprintf(t->fp, " %*s", TERM_COL, buf);
	}
	if (isnan(t->first_uss))
		t->first_uss = s->value[FIELD_USS_KB];
	units_format_kib(buf, sizeof buf, s->value[FIELD_USS_KB] - t->first_uss,
			 t->raw, true);
	fprintf(t->fp, " %*s\n", TERM_COL, buf);
	if (t->top > 0 && s->regions != NULL && rt != NULL) {
		fprintf(t->fp, "  %-34s %-12s %*s %*s %*s %6s\n",
			"region (by "
			"growth)",
			"kind", TERM_COL, "uss", TERM_COL, "growth",
			TERM_COL + 2, "rate", "idle");
		term_region_lines(t->fp, rt, t->raw, t->top, true);
		t->rows = 0; /* the header again after the block */
	}
	fflush(t->fp);
	t->rows++;
	t->prev = *s;
	t->have_prev = true;
}

void
term_close(struct term_sink *t)
{
	free(t);
}

void
term_verdict(struct term_sink *t, const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);
	char sentence[2048], safe[4096];

	if (ev->samples == 0)
		return;
	if ((int)ev->verdict == t->verdict &&
	    ++t->verdict_rows < TERM_VERDICT_ROWS)
		return;
	t->verdict = (int)ev->verdict;
	t->verdict_rows = 0;
	verdict_sentence(v, sentence, sizeof sentence);
	units_escape_text(safe, sizeof safe, sentence); /* regions */
	if (t->tty)
		fputs("\033[1m", t->fp);
	fprintf(t->fp, "verdict: %s:", verdict_name(ev->verdict));
	if (t->tty)
		fputs("\033[0m", t->fp);
	fprintf(t->fp, " %s\n", safe);
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
