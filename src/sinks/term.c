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

#define TERM_COL 10
#define TERM_VERDICT_ROWS 60

/* The live view's memory columns, in order. */
static const enum field_id term_mem_fields[] = {
	FIELD_RSS_KB, FIELD_PSS_KB, FIELD_USS_KB, FIELD_ANON_KB,
	FIELD_FILE_KB, FIELD_SHMEM_KB, FIELD_SWAP_KB,
};
#define TERM_NMEM (sizeof term_mem_fields / sizeof term_mem_fields[0])

struct term_sink {
	FILE *fp;
	bool raw;
	size_t top;
	bool tty;
	unsigned long rows;	/* rows since the last header */
	bool have_prev;
	struct sample prev;
	double first_uss;
	int verdict;		/* last verdict printed; -1: none */
	unsigned long verdict_rows;	/* rows since */
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
		fprintf(t->fp, " %*s", TERM_COL, fields[term_mem_fields[i]].label);
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

/* A region name cut to width from the left, where paths differ least. */
static const char *
term_fit(char *buf, size_t len, const char *name, size_t width)
{
	size_t n = strlen(name);

	if (n <= width)
		return name;
	snprintf(buf, len, "...%s", name + n - (width - 3));
	return buf;
}

/* One line per region: name, kind, USS (or RSS), growth, rate. */
static void
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
		v = isnan(e->last[RF_USS_KB]) ? e->last[RF_RSS_KB] :
		    e->last[RF_USS_KB];
		units_format_kib(now, sizeof now, v, raw, false);
		units_format_kib(first, sizeof first, isnan(e->first[RF_USS_KB])
		    ? e->first[RF_RSS_KB] : e->first[RF_USS_KB], raw, false);
		units_format_kib(growth, sizeof growth, regtrack_growth_kb(e),
		    raw, true);
		units_format_kib(rate, sizeof rate, regtrack_rate_per_hour(e),
		    raw, true);
		if (last_only && !isnan(e->last[RF_IDLE_PCT]))
			fprintf(fp, "  %-34s %-12s %*s %*s %*s/h %5.1f%%%s\n",
			    term_fit(name, sizeof name, e->name, 34),
			    region_kind_names[e->kind], TERM_COL, now, TERM_COL,
			    growth, TERM_COL, rate, e->last[RF_IDLE_PCT],
			    e->last[RF_IDLE_ERR_PCT] > 0.05 ? "±" : "");
		else if (last_only)
			fprintf(fp, "  %-34s %-12s %*s %*s %*s/h\n",
			    term_fit(name, sizeof name, e->name, 34),
			    region_kind_names[e->kind], TERM_COL, now, TERM_COL,
			    growth, TERM_COL, rate);
		else
			fprintf(fp, "  %-34s %-12s %*s %*s %*s %*s/h\n",
			    term_fit(name, sizeof name, e->name, 34),
			    region_kind_names[e->kind], TERM_COL, first,
			    TERM_COL, now, TERM_COL, growth, TERM_COL, rate);
	}
	free(top);
}

void
term_row(struct term_sink *t, const struct sample *s,
    const struct regtrack *rt)
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
		units_format_kib(buf, sizeof buf,
		    s->value[term_mem_fields[i]], t->raw, false);
		fprintf(t->fp, " %*s", TERM_COL, buf);
	}
	for (f = FIELD_MINFLT; f <= FIELD_MAJFLT; f++) {
		/* perf events when they run, else the stat counters. */
		rate = term_rate(t, s, isnan(s->value[f - FIELD_MINFLT +
		    FIELD_PERF_MINFLT]) ? f : f - FIELD_MINFLT +
		    FIELD_PERF_MINFLT);
		if (isnan(rate))
			snprintf(buf, sizeof buf, "-");
		else
			snprintf(buf, sizeof buf, "%.0f", rate);
		fprintf(t->fp, " %*s", TERM_COL, buf);
	}
	if (isnan(t->first_uss))
		t->first_uss = s->value[FIELD_USS_KB];
	units_format_kib(buf, sizeof buf,
	    s->value[FIELD_USS_KB] - t->first_uss, t->raw, true);
	fprintf(t->fp, " %*s\n", TERM_COL, buf);
	if (t->top > 0 && s->regions != NULL && rt != NULL) {
		fprintf(t->fp, "  %-34s %-12s %*s %*s %*s %6s\n", "region (by "
		    "growth)", "kind", TERM_COL, "uss", TERM_COL, "growth",
		    TERM_COL + 2, "rate", "idle");
		term_region_lines(t->fp, rt, t->raw, t->top, true);
		t->rows = 0;	/* the header again after the block */
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

static void
term_summary_kib_row(FILE *fp, const struct summary_stat *st,
    const char *label, bool raw)
{
	const double vals[] = { st->first, st->last, st->min, st->max };
	char buf[32];
	size_t i;

	fprintf(fp, "  %-8s", label);
	if (st->n == 0) {
		fprintf(fp, " %*s\n", TERM_COL, "unavailable");
		return;
	}
	for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		units_format_kib(buf, sizeof buf, vals[i], raw, false);
		fprintf(fp, " %*s", TERM_COL, buf);
	}
	units_format_kib(buf, sizeof buf, st->last - st->first, raw, true);
	fprintf(fp, " %*s", TERM_COL, buf);
	units_format_kib(buf, sizeof buf, summary_rate_per_hour(st), raw, true);
	fprintf(fp, " %*s\n", TERM_COL, buf);
}

void
term_summary(FILE *fp, const struct summary *sum, bool raw,
    double interval_s, unsigned long overruns)
{
	const struct summary_stat *st;
	char span[32], every[32], cost[32], cmax[32];
	double secs = sum->last_s - sum->first_s;
	size_t i;
	int f;

	units_format_duration(span, sizeof span, secs);
	units_format_duration(every, sizeof every, interval_s);
	fprintf(fp, "summary: %lu sample%s over %s (every %s), %lu "
	    "overrun%s\n", sum->samples, sum->samples == 1 ? "" : "s", span,
	    every, overruns, overruns == 1 ? "" : "s");
	if (sum->samples == 0)
		return;
	units_format_duration(cost, sizeof cost,
	    sum->cost_total_s / (double)sum->samples);
	units_format_duration(cmax, sizeof cmax, sum->cost_max_s);
	fprintf(fp, "  sampling cost: %s CPU per sample on average, %s at "
	    "most\n", cost, cmax);
	fprintf(fp, "  %-8s %*s %*s %*s %*s %*s %*s\n", "", TERM_COL, "first",
	    TERM_COL, "last", TERM_COL, "min", TERM_COL, "max", TERM_COL,
	    "change", TERM_COL, "per hour");
	for (i = 0; i < TERM_NMEM; i++)
		term_summary_kib_row(fp, &sum->stat[term_mem_fields[i]],
		    fields[term_mem_fields[i]].label, raw);
	for (f = FIELD_MINFLT; f <= FIELD_MAJFLT; f++) {
		st = &sum->stat[f];
		if (st->n < 2 || st->last_s <= st->first_s)
			continue;
		fprintf(fp, "  %-8s %.0f during the run, %.1f/s on average\n",
		    fields[f].label, st->last - st->first,
		    (st->last - st->first) / (st->last_s - st->first_s));
	}
}

void
term_regions_summary(FILE *fp, const struct regtrack *rt, bool raw, size_t n)
{
	if (rt->samples == 0)
		return;
	fprintf(fp, "  regions that grew most (%lu region samples):\n",
	    rt->samples);
	fprintf(fp, "  %-34s %-12s %*s %*s %*s %*s\n", "region", "kind",
	    TERM_COL, "first", TERM_COL, "last", TERM_COL, "growth",
	    TERM_COL + 2, "rate");
	term_region_lines(fp, rt, raw, n, false);
}

/* The oldest idle memory of a region: the KiB in the oldest non-empty
 * age bin and the bins older, and the time that bin's age means. */
static bool
term_oldest_idle(const struct regtrack_entry *e, double *kb, double *secs)
{
	static const double edge[] = { 1, 2, 5, 17, 65 };
	int b;

	*kb = 0;
	for (b = 4; b >= 0; b--) {
		if (isnan(e->last[RF_IDLE_1_KB + b]))
			return false;
		*kb += e->last[RF_IDLE_1_KB + b];
		if (*kb >= 4) {
			*secs = edge[b] * e->last[RF_IDLE_SCAN_S];
			return true;
		}
	}
	return false;
}

struct term_idle {
	const struct regtrack_entry *e;
	double kb, secs;
};

static int
term_idle_cmp(const void *a_, const void *b_)
{
	const struct term_idle *a = a_, *b = b_;

	return a->kb < b->kb ? 1 : a->kb > b->kb ? -1 : 0;
}

void
term_idle_summary(FILE *fp, const struct regtrack *rt, bool raw, size_t n)
{
	struct term_idle *v;
	char amount[32], age[32], name[64];
	size_t i, k = 0;

	v = xcalloc(rt->n + 1, sizeof *v);
	for (i = 0; i < rt->n; i++) {
		v[k].e = &rt->v[i];
		if (!isnan(rt->v[i].last[RF_IDLE_PCT]) &&
		    term_oldest_idle(&rt->v[i], &v[k].kb, &v[k].secs))
			k++;
	}
	qsort(v, k, sizeof *v, term_idle_cmp);
	if (k > 0)
		fprintf(fp, "  idle memory (resident, not accessed since), "
		    "largest first:\n");
	for (i = 0; i < k && i < n; i++) {
		units_format_kib(amount, sizeof amount, v[i].kb, raw, false);
		units_format_duration(age, sizeof age, v[i].secs);
		fprintf(fp, "  %-34s %*s idle for >= %s (%.0f %% of it idle at "
		    "the last scan", term_fit(name, sizeof name, v[i].e->name,
		    34), TERM_COL, amount, age, v[i].e->last[RF_IDLE_PCT]);
		if (!isnan(v[i].e->last[RF_STALE_NEW_PCT]))
			fprintf(fp, "; %.0f %% of its new memory never touched "
			    "again", v[i].e->last[RF_STALE_NEW_PCT]);
		fprintf(fp, ")\n");
	}
	free(v);
}

void
term_tiers(FILE *fp, const struct tiers *s, double span_s, double wall_s)
{
	const struct tiers_tier *t;
	char cost[32], every[32];
	double total = 0;
	int i;

	for (i = 0; i < TIER_COUNT; i++) {
		t = &s->t[i];
		if (!t->enabled)
			continue;
		total += t->total_s;
		units_format_duration(cost, sizeof cost,
		    t->runs ? t->total_s / (double)t->runs : NAN);
		units_format_duration(every, sizeof every, t->runs > 1 ?
		    span_s / (double)(t->runs - 1) : NAN);
		fprintf(fp, "  %-13s %6lu run%s, every %s, %s CPU each\n",
		    tier_names[i], t->runs, t->runs == 1 ? " " : "s", every,
		    cost);
	}
	if (s->budget >= 1)
		fprintf(fp, "  monitor CPU: %.2f %% of one core (no budget)\n",
		    wall_s > 0 ? total / wall_s * 100 : 0);
	else
		fprintf(fp, "  monitor CPU: %.2f %% of one core (budget "
		    "%.3g %%)\n", wall_s > 0 ? total / wall_s * 100 : 0,
		    s->budget * 100);
}

void
term_verdict(struct term_sink *t, const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);
	char sentence[2048];

	if (ev->samples == 0)
		return;
	if ((int)ev->verdict == t->verdict &&
	    ++t->verdict_rows < TERM_VERDICT_ROWS)
		return;
	t->verdict = (int)ev->verdict;
	t->verdict_rows = 0;
	verdict_sentence(v, sentence, sizeof sentence);
	if (t->tty)
		fputs("\033[1m", t->fp);
	fprintf(t->fp, "verdict: %s:", verdict_name(ev->verdict));
	if (t->tty)
		fputs("\033[0m", t->fp);
	fprintf(t->fp, " %s\n", sentence);
	fflush(t->fp);
}

void
term_verdict_summary(FILE *fp, const struct verdict *v)
{
	const struct trend_evidence *ev = verdict_evidence(v);
	char sentence[2048];

	verdict_sentence(v, sentence, sizeof sentence);
	fprintf(fp, "verdict: %s: %s\n", verdict_name(ev->verdict), sentence);
}

void
term_notice(const char *fmt, ...)
{
	va_list ap;

	fputs("memtrend: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
