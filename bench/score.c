/*
 * Scores the leak detector (src/analysis/trend.c) on the trace families
 * of tests/tracegen.c, in three contexts (a CI-length run judged without
 * a daily cycle, hours, days), beside the by-hand baseline scored on the
 * same traces in the same run: a least-squares line over everything so
 * far, flagged when R^2 > 0.5 and the growth is above 1 %/h of the mean.
 *
 *   bench/score [-v] [-s SALT|FIRST-LAST] [-c CONTEXT] [-f FAMILY] [-j JOBS]
 *   bench/score -t INDEX [-s SALT] [-o FILE.csv]
 *
 * Every trace is replayed as a live watch would see it, one sample at a
 * time, and every raise of the flag counts: a raise on a leak-free trace,
 * or before a leak's onset, is a false alarm, whatever the verdict at the
 * end.  A flag raised on a leak and lowered while it still leaks (they
 * all leak to the end) is a withdrawal.  Recall counts the leaks the
 * context lets one identify (tracegen.h); a flag on another leak is
 * neither a hit nor a false alarm.
 *
 * -s SALT draws other parameters and seeds (salt 0 is the tuning set);
 * -s FIRST-LAST pools the traces of up to 16 salts in one table, the
 * held-out figures over several seeds at once (-v then names a trace
 * "s5 #12", salt and index); -f FAMILY scores one family, so a family
 * left out of tuning can be scored alone; -c CONTEXT one context; each
 * context's table has a row per family and per band of its run
 * lengths; -v lists every miss, false alarm and withdrawal (-vv the
 * baseline's too, and every delay); -t INDEX prints one trace's
 * evaluations, -o writes it as a CSV for `memtrend analyze`; -j runs
 * that many processes (default 2).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/trend.h"
#include "tracegen.h"
#include "util/units.h"

#define SCORE_MAX 4096	  /* traces of one salt */
#define SCORE_SALTS 16	  /* salts pooled in one run, at most */
#define SCORE_BASE_MIN 20 /* the baseline waits for as many samples */

enum score_method { SCORE_MEMTREND, SCORE_BASELINE, SCORE_METHODS };

static const char *score_method_names[SCORE_METHODS] = {
    [SCORE_MEMTREND] = "memtrend",
    [SCORE_BASELINE] = "baseline",
};

/* One method on one trace. */
struct score_run {
	double hit_s;	/* first raise at or after the onset; NAN */
	double false_s; /* first false raise; NAN */
	unsigned long false_raises;
	double withdrawn_s; /* first withdrawal while leaking; NAN */
	unsigned long withdrawals;
	bool final_growing;
	bool done;
};

/* The flag as the trace goes. */
struct score_flag {
	bool up;
	double raised_s;
};

struct score_stats {
	size_t n, leaks, ident, hits, tp, fa_traces, withdrawn;
	size_t final_ok, final_n;
	unsigned long false_raises;
	double precision, recall, final; /* NAN when undefined */
	/* Delays after the onset, in minutes in CI, hours otherwise. */
	double median, p90, median5;
};

static int score_verbose;

static void
score_run_init(struct score_run *r)
{
	memset(r, 0, sizeof *r);
	r->hit_s = r->false_s = r->withdrawn_s = NAN;
}

static void
score_flag_set(const struct tracegen_case *c, struct score_run *r,
	       struct score_flag *f, double at, bool up)
{
	if (up == f->up)
		return;
	f->up = up;
	if (up) {
		f->raised_s = at;
		if (c->leak && at >= c->onset_s) {
			if (isnan(r->hit_s))
				r->hit_s = at;
		} else if (r->false_raises++ == 0) {
			r->false_s = at;
		}
		return;
	}
	if (c->leak && f->raised_s >= c->onset_s && r->withdrawals++ == 0)
		r->withdrawn_s = at;
}

static void
score_memtrend(const struct tracegen_case *c, struct score_run *r, bool trace)
{
	struct trend *t = trend_new();
	const struct trend_evidence *ev = trend_evidence(t);
	struct score_flag f = {false, NAN};
	unsigned long evals = 0;
	struct tracegen g;
	double at, kb;

	trend_set_daily_cycle(t, c->daily_cycle);
	tracegen_start(&g, &c->spec);
	while (tracegen_next(&g, &at, &kb)) {
		trend_add(t, at, kb);
		if (trace && (ev->verdict == TREND_GROWING) != f.up)
			printf("%9.0f  flag %s\n", at,
			       f.up ? "withdrawn" : "raised");
		score_flag_set(c, r, &f, at, ev->verdict == TREND_GROWING);
		if (trace && ev->evaluations != evals) {
			evals = ev->evaluations;
			printf(
			    "%9.0f %10.0f v%d why%d n%3zu b%7.0fs slope %9.1f "
			    "[%9.1f %9.1f] p %.2g level %.0f cyc %.0f ex %d/%d "
			    "dbic %.1f st %.0f\n",
			    at, kb, ev->verdict, ev->why, ev->points,
			    ev->bucket_s, ev->slope, ev->slope_lo, ev->slope_hi,
			    ev->p_value, ev->level_kb, ev->cycle_kb,
			    ev->explanation, ev->runner_up, ev->delta_bic,
			    ev->start_s);
		}
	}
	r->final_growing = ev->verdict == TREND_GROWING;
	trend_free(t);
}

/* Least squares over everything so far, on values shifted to the first
 * sample so the sums keep their precision. */
static void
score_baseline(const struct tracegen_case *c, struct score_run *r)
{
	double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, x0 = 0;
	double y0 = 0, at, kb, x, y, cxx, cxy, cyy, slope, r2, mean;
	struct score_flag f = {false, NAN};
	struct tracegen g;

	tracegen_start(&g, &c->spec);
	while (tracegen_next(&g, &at, &kb)) {
		if (n == 0) {
			x0 = at;
			y0 = kb;
		}
		x = at - x0;
		y = kb - y0;
		n++;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
		syy += y * y;
		if (n < SCORE_BASE_MIN)
			continue;
		cxx = sxx - sx * sx / n;
		cxy = sxy - sx * sy / n;
		cyy = syy - sy * sy / n;
		if (cxx <= 0 || cyy <= 0)
			continue;
		slope = cxy / cxx;
		r2 = cxy * cxy / (cxx * cyy);
		mean = y0 + sy / n;
		score_flag_set(c, r, &f, at,
			       r2 > 0.5 && slope * 3600 > 0.01 * mean);
	}
	r->final_growing = f.up;
}

/* ---- running the set, in -j processes --------------------------------- */

static bool
score_selected(const struct tracegen_case *c, int ctx, int fam)
{
	return (ctx < 0 || (int)c->context == ctx) &&
	       (fam < 0 || (int)c->family == fam);
}

static void
score_one(const struct tracegen_case *c, struct score_run *r)
{
	score_run_init(&r[SCORE_MEMTREND]);
	score_memtrend(c, &r[SCORE_MEMTREND], false);
	score_run_init(&r[SCORE_BASELINE]);
	score_baseline(c, &r[SCORE_BASELINE]);
	r[SCORE_MEMTREND].done = r[SCORE_BASELINE].done = true;
}

/* Results go to shared memory: worker w takes every jobs-th trace. */
static int
score_all(const struct tracegen_case *cases, size_t n, int ctx, int fam,
	  struct score_run (*res)[SCORE_METHODS], int jobs)
{
	pid_t pids[64];
	int w, status, bad = 0;
	size_t i;

	if (jobs <= 1) {
		for (i = 0; i < n; i++)
			if (score_selected(&cases[i], ctx, fam))
				score_one(&cases[i], res[i]);
		return 0;
	}
	fflush(stdout);
	for (w = 0; w < jobs; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("score: fork");
			return -1;
		}
		if (pids[w] > 0)
			continue;
		for (i = (size_t)w; i < n; i += (size_t)jobs)
			if (score_selected(&cases[i], ctx, fam))
				score_one(&cases[i], res[i]);
		_exit(0);
	}
	for (w = 0; w < jobs; w++)
		if (waitpid(pids[w], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad = -1;
	return bad;
}

/* ---- figures ------------------------------------------------------------ */

static int
score_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
score_quantile(double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, score_cmp);
	return v[(size_t)floor(q * (double)(n - 1) + 0.5)];
}

static double
score_unit_s(enum tracegen_context ctx)
{
	return ctx == TG_CI ? 60 : 3600;
}

/* "5 %/h": leaks of 4-6 %/h, where a server's goal is set. */
static bool
score_is5(const struct tracegen_case *c)
{
	return c->context != TG_CI && c->spec.rate >= 0.04 &&
	       c->spec.rate <= 0.06;
}

static double
score_ratio(size_t a, size_t b)
{
	return b > 0 ? (double)a / (double)b : NAN;
}

/* The runs of a context by length, in three bands: which lengths the
 * misses are at (the priors a server's verdict has -- a warm-up's time
 * constant of up to an hour, a daily cycle's +-10 % -- fit as well as a
 * line over the shortest).  A row each, after the families. */
#define SCORE_LENGTHS 3

static const struct score_length {
	double lo_s, hi_s;
	const char *label;
} score_lengths[TG_CONTEXTS][SCORE_LENGTHS] = {
    [TG_CI] = {{0, 600, "run < 10 min"},
	       {600, 900, "run 10-15 min"},
	       {900, INFINITY, "run >= 15 min"}},
    [TG_HOURS] = {{0, 7200, "run < 2 h"},
		  {7200, 14400, "run 2-4 h"},
		  {14400, INFINITY, "run >= 4 h"}},
    [TG_DAYS] = {{0, 172800, "run < 2 days"},
		 {172800, 345600, "run 2-4 days"},
		 {345600, INFINITY, "run >= 4 days"}},
};

/* The statistics of method m over the cases of context ctx (-1: all),
 * family fam (-1: all) and, len not NULL, that length of run. */
static void
score_stats(const struct tracegen_case *cases, size_t n,
	    struct score_run (*res)[SCORE_METHODS], int m, int ctx, int fam,
	    const struct score_length *len, struct score_stats *st)
{
	static double delays[SCORE_SALTS * SCORE_MAX],
	    delays5[SCORE_SALTS * SCORE_MAX];
	const struct tracegen_case *c;
	const struct score_run *r;
	size_t i, nd = 0, nd5 = 0;
	double d;

	memset(st, 0, sizeof *st);
	for (i = 0; i < n; i++) {
		c = &cases[i];
		r = &res[i][m];
		if (!r->done || !score_selected(c, ctx, fam) ||
		    (len != NULL && (c->spec.duration_s < len->lo_s ||
				     c->spec.duration_s >= len->hi_s)))
			continue;
		st->n++;
		st->false_raises += r->false_raises;
		st->fa_traces += r->false_raises > 0;
		st->leaks += c->leak;
		st->tp += c->leak && !isnan(r->hit_s);
		st->withdrawn += r->withdrawals > 0;
		if (!c->leak || c->identifiable) {
			st->final_n++;
			st->final_ok += r->final_growing == c->leak;
		}
		if (!c->identifiable)
			continue;
		st->ident++;
		if (isnan(r->hit_s))
			continue;
		st->hits++;
		d = (r->hit_s - c->onset_s) / score_unit_s(c->context);
		delays[nd++] = d;
		if (score_is5(c))
			delays5[nd5++] = d;
	}
	st->precision = score_ratio(st->tp, st->tp + st->false_raises);
	st->recall = score_ratio(st->hits, st->ident);
	st->final = score_ratio(st->final_ok, st->final_n);
	st->median = score_quantile(delays, nd, 0.5);
	st->p90 = score_quantile(delays, nd, 0.9);
	st->median5 = score_quantile(delays5, nd5, 0.5);
}

static void
score_cell(double v, int prec)
{
	if (isnan(v))
		printf(" %6s", "-");
	else
		printf(" %6.*f", prec, v);
}

static void
score_header(void)
{
	printf("%-16s %-8s %4s %7s %6s %6s %4s %4s %6s %6s %6s %6s\n", "family",
	       "method", "n", "leak/id", "prec", "recall", "FA", "wdrn",
	       "final", "median", "p90", "5%/h");
}

static void
score_row(const char *label, int m, const struct score_stats *st)
{
	char lk[24];

	snprintf(lk, sizeof lk, "%zu/%zu", st->leaks, st->ident);
	printf("%-16s %-8s %4zu %7s", label, score_method_names[m], st->n, lk);
	score_cell(st->precision, 3);
	score_cell(st->recall, 3);
	printf(" %4lu %4zu", st->false_raises, st->withdrawn);
	score_cell(st->final, 3);
	score_cell(st->median, 2);
	score_cell(st->p90, 2);
	score_cell(st->median5, 2);
	printf("\n");
}

static const char *
score_mark(double v, bool pass)
{
	return isnan(v) ? "n/a " : pass ? "pass" : "FAIL";
}

/* One goal of issue 9's "Must hold", for both methods; returns whether
 * memtrend fails it. */
static bool
score_goal(const char *label, double v[SCORE_METHODS], bool pass[SCORE_METHODS],
	   int prec)
{
	int m;

	printf("  %-44s", label);
	for (m = 0; m < SCORE_METHODS; m++) {
		if (isnan(v[m]))
			printf(" %8s", "-");
		else
			printf(" %8.*f", prec, v[m]);
		printf(" %s", score_mark(v[m], pass[m]));
	}
	printf("\n");
	return isnan(v[0]) || !pass[0];
}

static int
score_goals(enum tracegen_context ctx, const struct score_stats st[])
{
	double v[SCORE_METHODS];
	bool pass[SCORE_METHODS];
	int m, fails = 0;

	printf("goals, %-38s %13s %13s\n", tracegen_context_name(ctx),
	       score_method_names[0], score_method_names[1]);
	for (m = 0; m < SCORE_METHODS; m++) {
		v[m] = st[m].precision;
		pass[m] = v[m] >= 0.98;
	}
	fails += score_goal("precision >= 0.98, every flag", v, pass, 3);
	for (m = 0; m < SCORE_METHODS; m++) {
		v[m] = (double)st[m].withdrawn;
		pass[m] = st[m].withdrawn == 0;
	}
	fails +=
	    score_goal("no flag withdrawn while leaking (traces)", v, pass, 0);
	for (m = 0; m < SCORE_METHODS; m++) {
		v[m] = st[m].recall;
		pass[m] = v[m] >= 0.95;
	}
	fails += score_goal("recall >= 0.95, identifiable leaks", v, pass, 3);
	for (m = 0; m < SCORE_METHODS; m++) {
		v[m] = ctx == TG_CI ? st[m].median : st[m].median5;
		pass[m] = v[m] <= (ctx == TG_CI ? 3 : 1);
	}
	fails += score_goal(ctx == TG_CI ? "median delay <= 3 min after onset"
					 : "median delay, 5 %/h leaks <= 1 h",
			    v, pass, 2);
	return fails;
}

static const char *score_context_what[TG_CONTEXTS] = {
    [TG_CI] = "5-20 min at 0.25-2 s, no daily cycle; delays in minutes",
    [TG_HOURS] = "1-12 h at 1-10 s, daily cycle possible; delays in hours",
    [TG_DAYS] = "1-7 days at 10-60 s, servers; delays in hours",
};

/* One context's table: every family, then all of them and the goals;
 * returns the goals memtrend fails. */
static int
score_print_context(const struct tracegen_case *cases, size_t n,
		    struct score_run (*res)[SCORE_METHODS], int ctx, int fam)
{
	struct score_stats st[SCORE_METHODS];
	int f, m, l;

	score_stats(cases, n, res, 0, ctx, fam, NULL, &st[0]);
	if (st[0].n == 0)
		return 0;
	printf("\n== %s: %s\n", tracegen_context_name(ctx),
	       score_context_what[ctx]);
	score_header();
	for (f = 0; f < TF_FAMILIES; f++) {
		if (fam >= 0 && f != fam)
			continue;
		for (m = 0; m < SCORE_METHODS; m++) {
			score_stats(cases, n, res, m, ctx, f, NULL, &st[m]);
			if (st[m].n > 0)
				score_row(m == 0 ? tracegen_family_name(f) : "",
					  m, &st[m]);
		}
	}
	for (l = 0; l < SCORE_LENGTHS; l++)
		for (m = 0; m < SCORE_METHODS; m++) {
			score_stats(cases, n, res, m, ctx, fam,
				    &score_lengths[ctx][l], &st[m]);
			if (st[m].n > 0)
				score_row(m == 0 ? score_lengths[ctx][l].label
						 : "",
					  m, &st[m]);
		}
	for (m = 0; m < SCORE_METHODS; m++) {
		score_stats(cases, n, res, m, ctx, fam, NULL, &st[m]);
		score_row(m == 0 ? "all" : "", m, &st[m]);
	}
	return score_goals(ctx, st);
}

/* -v: every miss, false alarm and withdrawal (-vv: the baseline's too,
 * and every hit's delay), each with its index in its salt's traces (per
 * of them a salt, the first salt0) for -t; "s5 #12" when salts are
 * pooled. */
static void
score_list(const struct tracegen_case *cases, size_t n,
	   struct score_run (*res)[SCORE_METHODS], uint64_t salt0, size_t per,
	   bool pooled)
{
	const struct tracegen_case *c;
	const struct score_run *r;
	char what[320], id[48];
	double unit;
	size_t i;
	int m;

	printf("\n");
	for (m = 0; m < (score_verbose > 1 ? SCORE_METHODS : 1); m++)
		for (i = 0; i < n; i++) {
			c = &cases[i];
			r = &res[i][m];
			if (!r->done)
				continue;
			unit = score_unit_s(c->context);
			tracegen_case_describe(c, what, sizeof what);
			if (pooled)
				snprintf(id, sizeof id, "s%-3llu #%-4zu",
					 (unsigned long long)(salt0 + i / per),
					 i % per);
			else
				snprintf(id, sizeof id, "#%-4zu", i);
			if (c->identifiable && isnan(r->hit_s))
				printf("%s %s missed       %s\n",
				       score_method_names[m], id, what);
			if (r->false_raises > 0)
				printf("%s %s false alarm  %s (%lu, first "
				       "at %.2f %s)\n",
				       score_method_names[m], id, what,
				       r->false_raises, r->false_s / unit,
				       c->context == TG_CI ? "min" : "h");
			if (r->withdrawals > 0)
				printf("%s %s withdrawn    %s (%lu, first "
				       "at %.2f %s)\n",
				       score_method_names[m], id, what,
				       r->withdrawals, r->withdrawn_s / unit,
				       c->context == TG_CI ? "min" : "h");
			if (score_verbose > 1 && !isnan(r->hit_s))
				printf("%s %s delay %6.2f   %s\n",
				       score_method_names[m], id,
				       (r->hit_s - c->onset_s) / unit, what);
		}
}

static void
score_print_goals(void)
{
	printf(
	    "goals (issue 9, must hold on held-out seeds -s and held-out "
	    "families -f):\n"
	    "  precision >= 0.98, counting every raised flag on a leak-free "
	    "trace\n"
	    "    (or before a late leak's onset) as a false alarm;\n"
	    "  a flag on a leak is not withdrawn while it keeps leaking;\n"
	    "  recall >= 0.95 on leaks identifiable in the context (ci: >= 3 "
	    "min and\n"
	    "    >= 150 samples after the start-up, grown >= 2 %%; hours, "
	    "days: >= 3 %%/h\n"
	    "    or >= 20 h seen);\n"
	    "  median delay <= 3 min after onset (ci), <= 1 h at 4-6 %%/h "
	    "(hours, days).\n"
	    "columns: leak/id leaks and identifiable ones; prec(ision) = "
	    "hits / (hits +\n"
	    "  false raises); FA false raises; wdrn traces with a withdrawal; "
	    "final\n"
	    "  verdict accuracy at the end (leak-free and identifiable); "
	    "delays of\n"
	    "  identifiable leaks after their onset.\n");
}

/* -t: one trace's evaluations, and -o its CSV. */
static int
score_show(const struct tracegen_case *c, const char *csv)
{
	struct score_run r;
	char what[320];
	struct tracegen g;
	double at, kb;
	FILE *fp;

	tracegen_case_describe(c, what, sizeof what);
	printf("%s\n", what);
	if (csv != NULL) {
		fp = fopen(csv, "w");
		if (fp == NULL) {
			perror(csv);
			return 1;
		}
		fprintf(fp, "elapsed_s,uss_kb\n");
		tracegen_start(&g, &c->spec);
		while (tracegen_next(&g, &at, &kb))
			fprintf(fp, "%.3f,%.0f\n", at, kb);
		if (fclose(fp) != 0) {
			perror(csv);
			return 1;
		}
		return 0;
	}
	score_run_init(&r);
	score_memtrend(c, &r, true);
	printf("final %s; flag first raised on the leak at %.0f s, %lu false, "
	       "%lu withdrawn\n",
	       r.final_growing ? "growing" : "not growing", r.hit_s,
	       r.false_raises, r.withdrawals);
	return 0;
}

/* CPU time of this process and its workers: the wall time depends on
 * what else the machine runs. */
static double
score_cpu_s(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec +
			kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
	       (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec +
			kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) /
		   1e6;
}

/* -s: "SALT" or "FIRST-LAST", at most SCORE_SALTS of them, pooled. */
static int
score_salts(const char *arg, uint64_t *first, uint64_t *last)
{
	char buf[64], *dash;

	if (strlen(arg) >= sizeof buf)
		return -1;
	strcpy(buf, arg);
	dash = strchr(buf, '-');
	if (dash != NULL)
		*dash++ = '\0';
	if (!units_parse_whole(buf, first) ||
	    !units_parse_whole(dash != NULL ? dash : buf, last) ||
	    *last < *first || *last - *first >= SCORE_SALTS)
		return -1;
	return 0;
}

static int
score_usage(void)
{
	fprintf(stderr, "usage: score [-v] [-s SALT|FIRST-LAST] [-c CONTEXT] "
			"[-f FAMILY] [-j JOBS]\n       score -t INDEX [-s "
			"SALT] [-o FILE.csv]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static struct tracegen_case cases[SCORE_SALTS * SCORE_MAX];
	struct score_run(*res)[SCORE_METHODS];
	struct timespec t0, t1;
	const char *csv = NULL;
	int opt, ctx = -1, fam = -1, jobs = 2, c, fails = 0;
	uint64_t salt = 0, last = 0, k;
	long only = -1;
	size_t n, per = 0;

	while ((opt = getopt(argc, argv, "vs:c:f:j:t:o:")) != -1) {
		switch (opt) {
		case 'v':
			score_verbose++;
			break;
		case 's':
			if (score_salts(optarg, &salt, &last) < 0)
				return score_usage();
			break;
		case 'c':
			if ((ctx = tracegen_context_parse(optarg)) < 0)
				return score_usage();
			break;
		case 'f':
			if ((fam = tracegen_family_parse(optarg)) < 0)
				return score_usage();
			break;
		case 'j':
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > 64)
				return score_usage();
			break;
		case 't':
			only = atol(optarg);
			break;
		case 'o':
			csv = optarg;
			break;
		default:
			return score_usage();
		}
	}
	for (n = 0, k = 0; k <= last - salt; k++) {
		per = tracegen_families(cases + n, SCORE_MAX, salt + k);
		n += per;
	}
	if (only >= 0 || csv != NULL) {
		if (last != salt) {
			fprintf(stderr, "score: -t takes one salt (-s SALT)\n");
			return 2;
		}
		if (only < 0 || (size_t)only >= n) {
			fprintf(stderr,
				"score: -t takes a trace index below "
				"%zu (-v lists them)\n",
				n);
			return 2;
		}
		return score_show(&cases[only], csv);
	}
	res = mmap(NULL, n * sizeof *res, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED) {
		perror("score: mmap");
		return 1;
	}
	score_print_goals();
	if (last != salt)
		printf("salts %llu-%llu pooled", (unsigned long long)salt,
		       (unsigned long long)last);
	else
		printf("salt %llu", (unsigned long long)salt);
	printf("%s%s%s%s\n", fam >= 0 ? ", family " : "",
	       fam >= 0 ? tracegen_family_name(fam) : "",
	       ctx >= 0 ? ", context " : "",
	       ctx >= 0 ? tracegen_context_name(ctx) : "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (score_all(cases, n, ctx, fam, res, jobs) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (c = 0; c < TG_CONTEXTS; c++)
		if (ctx < 0 || c == ctx)
			fails += score_print_context(cases, n, res, c, fam);
	if (score_verbose)
		score_list(cases, n, res, salt, per, last != salt);
	printf("\nmemtrend fails %d goal%s; scored in %.1f s wall, %.1f s "
	       "CPU (%d job%s)\n",
	       fails, fails == 1 ? "" : "s",
	       (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       score_cpu_s(), jobs, jobs == 1 ? "" : "s");
	return 0;
}
