/*
 * Labelled synthetic traces (see tracegen.h).  Values are KiB rounded to
 * whole 4 KiB pages, as the kernel reports them, so floors have ties.
 * Noise is usage above the floor: the absolute value of an AR(1) series
 * (time constant about ten samples), so it is autocorrelated as real load
 * is.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tracegen.h"

#define TG_DAY_S 86400.0

static const char *tracegen_names[TG_SHAPES] = {
    [TG_LINEAR] = "linear",
    [TG_STAIRCASE] = "staircase",
    [TG_SAWTOOTH_RISING] = "sawtooth-rising",
    [TG_DAILY_LEAK] = "daily+leak",
    [TG_LATE_ONSET] = "late-onset",
    [TG_FLAT] = "flat",
    [TG_WARMUP] = "warm-up",
    [TG_SAWTOOTH_FLAT] = "sawtooth-flat",
    [TG_STEP] = "step",
    [TG_DAILY] = "daily",
    [TG_WANDER] = "wander",
    [TG_BURSTS] = "bursts",
};

const char *
tracegen_name(enum tracegen_shape shape)
{
	return tracegen_names[shape];
}

bool
tracegen_is_leak(enum tracegen_shape shape)
{
	return shape < TG_FLAT;
}

/* splitmix64 (Steele, Lea, Flood 2014). */
static uint64_t
tracegen_u64(struct tracegen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
tracegen_uniform(struct tracegen *g)
{
	return (double)(tracegen_u64(g) >> 11) * 0x1p-53;
}

/* Box-Muller; one of the pair is enough here. */
static double
tracegen_normal(struct tracegen *g)
{
	double u = tracegen_uniform(g), v = tracegen_uniform(g);

	return sqrt(-2 * log(u > 0 ? u : 0x1p-53)) * cos(2 * M_PI * v);
}

void
tracegen_start(struct tracegen *g, const struct tracegen_spec *spec)
{
	memset(g, 0, sizeof *g);
	g->spec = *spec;
	g->rng = spec->seed * 0x2545f4914f6cdd1dULL + (uint64_t)spec->shape;
	g->phase = 2 * M_PI * tracegen_uniform(g);
	g->ar = tracegen_normal(g); /* stationary from the start */
	g->ou = spec->shape == TG_WANDER ? spec->amp * tracegen_normal(g) : 0;
	g->next_burst_s = spec->period_s * -log(1 - tracegen_uniform(g));
	/* Draws for components only when they are on, so the fixed set's
	 * traces stay what they were. */
	if (spec->batch_period_s > 0)
		g->batch_phase = tracegen_uniform(g);
}

static double
tracegen_frac(double v)
{
	return v - floor(v);
}

/* The leaked amount at t, a fraction of base (0 for a non-leak). */
static double
tracegen_leak_at(const struct tracegen_spec *s, double t)
{
	double since = fmax(0, t - s->onset_s);

	switch (s->shape) {
	case TG_LINEAR:
	case TG_SAWTOOTH_RISING:
	case TG_DAILY_LEAK:
		return s->rate * (since / 3600);
	case TG_LATE_ONSET:
		return s->rate * since / 3600;
	case TG_STAIRCASE:
		return s->rate * s->period_s / 3600 *
		       floor(since / s->period_s);
	default:
		return 0;
	}
}

/* A hash table of the leaked entries: resize_frac of its capacity,
 * which doubles when the entries pass it (0 until the first resize). */
static double
tracegen_resize_at(const struct tracegen_spec *s, double leak)
{
	double cap;

	if (s->resize_frac <= 0 || s->resize_first <= 0 ||
	    leak <= s->resize_first)
		return 0;
	cap = s->resize_first * exp2(ceil(log2(leak / s->resize_first)));
	return s->resize_frac * (cap - s->resize_first);
}

/* Batch jobs: a trapezoid, up over 5 % of the period, down over 2 %. */
static double
tracegen_batch_at(const struct tracegen *g, double t)
{
	const struct tracegen_spec *s = &g->spec;
	double p, up, down;

	if (s->batch_period_s <= 0)
		return 0;
	p = tracegen_frac(t / s->batch_period_s + g->batch_phase);
	up = fmin(0.05, s->batch_duty / 3);
	down = fmin(0.02, s->batch_duty / 3);
	if (p >= s->batch_duty)
		return 0;
	if (p < up)
		return s->batch_amp * p / up;
	if (p > s->batch_duty - down)
		return s->batch_amp * (s->batch_duty - p) / down;
	return s->batch_amp;
}

/* What the start-up has still to fill at t, a fraction of base. */
static double
tracegen_startup_at(const struct tracegen_spec *s, double t)
{
	if (s->startup_amp <= 0 || s->startup_s <= 0)
		return 0;
	if (s->startup_ramp)
		return s->startup_amp * fmax(0, 1 - t / s->startup_s);
	return s->startup_amp * exp(-t / s->startup_s);
}

/* The floor and shape at t, as a multiple of base, before noise. */
static double
tracegen_shape_at(struct tracegen *g, double t)
{
	const struct tracegen_spec *s = &g->spec;
	double leak = tracegen_leak_at(s, t), v;

	v = 1 + leak + tracegen_resize_at(s, leak) + tracegen_batch_at(g, t) -
	    tracegen_startup_at(s, t);
	if (s->daily_amp > 0)
		v += s->daily_amp * sin(2 * M_PI * t / TG_DAY_S + g->phase);
	switch (s->shape) {
	case TG_SAWTOOTH_RISING:
	case TG_SAWTOOTH_FLAT:
		return v + s->amp * tracegen_frac(t / s->period_s);
	case TG_DAILY_LEAK:
	case TG_DAILY:
		return v + s->amp * sin(2 * M_PI * t / TG_DAY_S + g->phase);
	case TG_WARMUP:
		return v + s->amp * (1 - exp(-t / s->period_s));
	case TG_STEP:
		return v + (t >= s->onset_s ? s->amp : 0);
	case TG_WANDER:
		return v + g->ou;
	default:
		return v;
	}
}

/* Wander: Ornstein-Uhlenbeck, exact discretisation. */
static void
tracegen_step_wander(struct tracegen *g)
{
	const struct tracegen_spec *s = &g->spec;
	double a = exp(-s->interval_s / s->period_s);

	g->ou = a * g->ou + s->amp * sqrt(1 - a * a) * tracegen_normal(g);
}

/* Bursts: Poisson arrivals, each held 10 s to 5 min. */
static double
tracegen_burst(struct tracegen *g, double t)
{
	const struct tracegen_spec *s = &g->spec;
	double hold_s;

	while (t >= g->next_burst_s) {
		if (s->burst_hold_s > 0)
			hold_s = s->burst_hold_s *
				 (0.05 + 0.95 * tracegen_uniform(g));
		else
			hold_s = 10 + 290 * tracegen_uniform(g);
		g->burst_end_s = g->next_burst_s + hold_s;
		g->burst_kb =
		    s->base_kb * s->amp * (0.2 + 0.8 * tracegen_uniform(g));
		g->next_burst_s += s->period_s * -log(1 - tracegen_uniform(g));
	}
	return t < g->burst_end_s ? g->burst_kb : 0;
}

bool
tracegen_next(struct tracegen *g, double *t_s, double *kb)
{
	const struct tracegen_spec *s = &g->spec;
	double t = (double)g->i * s->interval_s, v, phi;

	if (t > s->duration_s)
		return false;
	g->i++;
	if (s->shape == TG_WANDER)
		tracegen_step_wander(g);
	/* Usage above the floor: |AR(1)|, phi 0.9 unless a time constant
	 * is given. */
	phi = s->noise_tau_s > 0 ? exp(-s->interval_s / s->noise_tau_s) : 0.9;
	g->ar = phi * g->ar + sqrt(1 - phi * phi) * tracegen_normal(g);
	v = s->base_kb * (tracegen_shape_at(g, t) + s->noise * fabs(g->ar));
	if (s->shape == TG_BURSTS)
		v += tracegen_burst(g, t);
	*t_s = t;
	*kb = 4 * round(v / 4);
	return true;
}

/* ---- the labelled set ------------------------------------------------- */

static const double tracegen_rates[] = {0.0025, 0.005, 0.01, 0.02, 0.05, 0.2};
#define TG_NRATES (sizeof tracegen_rates / sizeof tracegen_rates[0])

struct tracegen_builder {
	struct tracegen_spec *out;
	size_t n, max;
};

static void
tracegen_put(struct tracegen_builder *b, enum tracegen_shape shape, double rate,
	     double noise, double onset_s, double period_s, double amp,
	     int seeds)
{
	struct tracegen_spec *s;
	int i;

	for (i = 0; i < seeds && b->n < b->max; i++) {
		s = &b->out[b->n];
		memset(s, 0, sizeof *s);
		s->shape = shape;
		s->seed = (uint64_t)b->n * 7919 + (uint64_t)i + 1;
		s->interval_s = 10;
		s->duration_s = 72 * 3600;
		/* 50 MiB to 2 GiB, spread by the seed. */
		s->base_kb =
		    51200 * pow(40, (double)((s->seed * 37) % 101) / 100);
		s->rate = rate;
		s->noise = noise;
		s->onset_s = onset_s;
		s->period_s = period_s;
		s->amp = amp;
		b->n++;
	}
}

size_t
tracegen_set(struct tracegen_spec *out, size_t max)
{
	static const double noises[] = {0.002, 0.01, 0.03};
	struct tracegen_builder b = {out, 0, max};
	size_t r, i;
	double rate;

	for (r = 0; r < TG_NRATES; r++) {
		rate = tracegen_rates[r];
		for (i = 0; i < 3; i++)
			tracegen_put(&b, TG_LINEAR, rate, noises[i], 0, 0, 0,
				     2);
		tracegen_put(&b, TG_STAIRCASE, rate, 0.01, 0, 600, 0, 2);
		tracegen_put(&b, TG_STAIRCASE, rate, 0.01, 0, 3600, 0, 2);
		tracegen_put(&b, TG_SAWTOOTH_RISING, rate, 0.01, 0, 120, 0.3,
			     2);
		tracegen_put(&b, TG_SAWTOOTH_RISING, rate, 0.01, 0, 600, 0.5,
			     2);
		tracegen_put(&b, TG_DAILY_LEAK, rate, 0.01, 0, 0, 0.03, 2);
		tracegen_put(&b, TG_DAILY_LEAK, rate, 0.01, 0, 0, 0.08, 2);
		tracegen_put(&b, TG_LATE_ONSET, rate, 0.01, 6 * 3600, 0, 0, 2);
		tracegen_put(&b, TG_LATE_ONSET, rate, 0.01, 18 * 3600, 0, 0, 2);
	}
	for (i = 0; i < 3; i++)
		tracegen_put(&b, TG_FLAT, 0, noises[i], 0, 0, 0, 4);
	for (i = 0; i < 3; i++) {
		static const double amps[] = {0.1, 0.3, 0.6};

		tracegen_put(&b, TG_WARMUP, 0, 0.01, 0, 120, amps[i], 2);
		tracegen_put(&b, TG_WARMUP, 0, 0.01, 0, 600, amps[i], 2);
		tracegen_put(&b, TG_WARMUP, 0, 0.01, 0, 1800, amps[i], 2);
	}
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 60, 0.2, 2);
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 300, 0.5, 2);
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 900, 0.3, 2);
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 900, 0.5, 2);
	for (i = 0; i < 3; i++) {
		static const double steps[] = {0.05, 0.2, 0.5};

		tracegen_put(&b, TG_STEP, 0, 0.01, 2 * 3600, 0, steps[i], 2);
		tracegen_put(&b, TG_STEP, 0, 0.01, 20 * 3600, 0, steps[i], 2);
	}
	tracegen_put(&b, TG_DAILY, 0, 0.01, 0, 0, 0.03, 4);
	tracegen_put(&b, TG_DAILY, 0, 0.01, 0, 0, 0.06, 4);
	tracegen_put(&b, TG_DAILY, 0, 0.01, 0, 0, 0.10, 4);
	tracegen_put(&b, TG_WANDER, 0, 0.01, 0, 1800, 0.01, 3);
	tracegen_put(&b, TG_WANDER, 0, 0.01, 0, 1800, 0.03, 3);
	tracegen_put(&b, TG_WANDER, 0, 0.01, 0, 7200, 0.01, 3);
	tracegen_put(&b, TG_WANDER, 0, 0.01, 0, 7200, 0.03, 3);
	for (i = 0; i < 3; i++) {
		static const double amps[] = {0.1, 0.5, 1.0};

		tracegen_put(&b, TG_BURSTS, 0, 0.01, 0, 300, amps[i], 2);
		tracegen_put(&b, TG_BURSTS, 0, 0.01, 0, 3600, amps[i], 2);
	}
	return b.n;
}

void
tracegen_describe(const struct tracegen_spec *s, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", tracegen_name(s->shape));

	if (n < 0 || (size_t)n >= len)
		return;
	if (s->rate > 0)
		n += snprintf(buf + n, len - (size_t)n, " %g%%/h",
			      s->rate * 100);
	if (n < 0 || (size_t)n >= len)
		return;
	if (s->amp > 0)
		n += snprintf(buf + n, len - (size_t)n, " amp %g%%",
			      s->amp * 100);
	if (n < 0 || (size_t)n >= len)
		return;
	if (s->period_s > 0)
		n += snprintf(buf + n, len - (size_t)n, " period %gs",
			      s->period_s);
	if (n < 0 || (size_t)n >= len)
		return;
	if (s->onset_s > 0)
		n += snprintf(buf + n, len - (size_t)n, " at %gh",
			      s->onset_s / 3600);
	if (n < 0 || (size_t)n >= len)
		return;
	snprintf(buf + n, len - (size_t)n, " noise %g%% seed %llu",
		 s->noise * 100, (unsigned long long)s->seed);
}

/* ---- families and contexts -------------------------------------------- */

static const char *tracegen_context_names[TG_CONTEXTS] = {
    [TG_CI] = "ci",
    [TG_HOURS] = "hours",
    [TG_DAYS] = "days",
};

static const char *tracegen_family_names[TF_FAMILIES] = {
    [TF_STARTUP_LEAK] = "startup+leak",
    [TF_LINEAR] = "linear",
    [TF_STAIRCASE] = "staircase",
    [TF_SAWTOOTH_RISING] = "sawtooth-rising",
    [TF_BATCH_LEAK] = "batch+leak",
    [TF_DAILY_LEAK] = "daily+leak",
    [TF_LATE_ONSET] = "late-onset",
    [TF_FLAT] = "flat",
    [TF_STARTUP_PLATEAU] = "startup+plateau",
    [TF_SAWTOOTH_FLAT] = "sawtooth-flat",
    [TF_BATCH] = "batch",
    [TF_DAILY] = "daily",
    [TF_STEP] = "step",
    [TF_WANDER] = "wander",
    [TF_BURSTS] = "bursts",
};

/* Traces per family in each context, so that the default bench/score
 * run stays within about two minutes on two cores: the detector costs
 * about 0.2 s of CPU per CI trace, 0.3 s per hours one, 0.35 s per days
 * one (it evaluates a ring of floor points per bucket, and the buckets
 * widen as the span grows). */
static const size_t tracegen_per_family[TG_CONTEXTS] = {
    [TG_CI] = 30,
    [TG_HOURS] = 20,
    [TG_DAYS] = 10,
};

const char *
tracegen_context_name(enum tracegen_context c)
{
	return tracegen_context_names[c];
}

const char *
tracegen_family_name(enum tracegen_family f)
{
	return tracegen_family_names[f];
}

int
tracegen_context_parse(const char *name)
{
	int c;

	for (c = 0; c < TG_CONTEXTS; c++)
		if (strcmp(name, tracegen_context_names[c]) == 0)
			return c;
	return -1;
}

int
tracegen_family_parse(const char *name)
{
	int f;

	for (f = 0; f < TF_FAMILIES; f++)
		if (strcmp(name, tracegen_family_names[f]) == 0)
			return f;
	return -1;
}

bool
tracegen_family_is_leak(enum tracegen_family f)
{
	return f < TF_FLAT;
}

bool
tracegen_family_in(enum tracegen_family f, enum tracegen_context c)
{
	if (c != TG_CI)
		return true;
	return f != TF_BATCH_LEAK && f != TF_DAILY_LEAK && f != TF_BATCH &&
	       f != TF_DAILY;
}

/* Parameter draws, from a generator of their own per case. */
static double
tracegen_draw(struct tracegen *r, double lo, double hi)
{
	return lo + (hi - lo) * tracegen_uniform(r);
}

static double
tracegen_draw_log(struct tracegen *r, double lo, double hi)
{
	return lo * pow(hi / lo, tracegen_uniform(r));
}

static bool
tracegen_chance(struct tracegen *r, double p)
{
	return tracegen_uniform(r) < p;
}

/* The run: its length, interval, size and noise. */
static void
tracegen_draw_run(struct tracegen *r, struct tracegen_case *c)
{
	struct tracegen_spec *s = &c->spec;

	switch (c->context) {
	case TG_CI:
		s->duration_s = tracegen_draw(r, 300, 1200);
		s->interval_s = tracegen_draw_log(r, 0.25, 2);
		s->base_kb = tracegen_draw_log(r, 8 * 1024, 1024 * 1024);
		s->noise = tracegen_draw_log(r, 0.001, 0.02);
		s->noise_tau_s = tracegen_draw_log(r, 1, 60);
		break;
	case TG_HOURS:
		s->duration_s = tracegen_draw_log(r, 3600, 12 * 3600);
		s->interval_s = tracegen_draw_log(r, 1, 10);
		s->base_kb = tracegen_draw_log(r, 50 * 1024, 4 * 1024 * 1024);
		s->noise = tracegen_draw_log(r, 0.001, 0.03);
		s->noise_tau_s = tracegen_draw_log(r, 5, 600);
		break;
	case TG_DAYS:
	case TG_CONTEXTS:
		s->duration_s = tracegen_draw(r, 86400, 7 * 86400);
		s->interval_s = tracegen_draw_log(r, 10, 60);
		s->base_kb = tracegen_draw_log(r, 50 * 1024, 4 * 1024 * 1024);
		s->noise = tracegen_draw_log(r, 0.001, 0.03);
		s->noise_tau_s = tracegen_draw_log(r, 30, 1800);
		break;
	}
	/* Whole milliseconds, as a CSV would carry them. */
	s->interval_s = round(s->interval_s * 1000) / 1000;
}

/* A start-up filling the working set: fast in a CI run (seconds), up to
 * a slow cache warm-up on a server; ramps stay under the 3 minutes a CI
 * leak needs to be identifiable, so a ramp is never a leak that stopped.
 * Returns when it is within 2 % of its end. */
static double
tracegen_draw_startup(struct tracegen *r, struct tracegen_case *c,
		      double slowest_s)
{
	struct tracegen_spec *s = &c->spec;

	s->startup_amp = tracegen_draw(r, 0.3, 0.95);
	s->startup_ramp = tracegen_chance(r, 0.3);
	if (s->startup_ramp) {
		s->startup_s =
		    tracegen_draw(r, 2, c->context == TG_CI ? 90 : 180);
		return s->startup_s;
	}
	s->startup_s = tracegen_draw_log(r, 1, fmax(2, slowest_s));
	/* exp(-4) < 2 % */
	return 4 * s->startup_s;
}

/* CI: 0.2-10 % of the working set a minute; else 0.25-20 %/h, and one
 * leak in four at 4-6 %/h, where a server's delay goal is set (a log-
 * uniform draw puts only 9 % there, too few for a median). */
static double
tracegen_draw_rate(struct tracegen *r, enum tracegen_context ctx, size_t index)
{
	if (ctx == TG_CI)
		return 60 * tracegen_draw_log(r, 0.002, 0.10);
	if (index % 4 == 3)
		return tracegen_draw(r, 0.04, 0.06);
	return tracegen_draw_log(r, 0.0025, 0.20);
}

static double
tracegen_draw_period(struct tracegen *r, enum tracegen_context ctx,
		     double ci_lo, double ci_hi, double lo, double hi,
		     double dur_s)
{
	if (ctx == TG_CI)
		return tracegen_draw_log(r, ci_lo, ci_hi);
	return tracegen_draw_log(r, lo, fmax(lo * 1.01, fmin(hi, dur_s / 8)));
}

/* The shape of one family, its start-up and its onset. */
static void
tracegen_draw_shape(struct tracegen *r, struct tracegen_case *c)
{
	struct tracegen_spec *s = &c->spec;
	enum tracegen_context ctx = c->context;
	bool ci = ctx == TG_CI;
	double dur = s->duration_s, su = 0;
	double warm_s = ci ? 20 : fmin(3600, dur / 20);

	switch (c->family) {
	case TF_STARTUP_LEAK:
		s->shape = TG_LATE_ONSET;
		su =
		    tracegen_draw_startup(r, c, ci ? 20 : fmin(1200, dur / 20));
		s->onset_s = su;
		break;
	case TF_LINEAR:
		s->shape = TG_LINEAR;
		break;
	case TF_STAIRCASE:
		s->shape = TG_STAIRCASE;
		s->period_s =
		    tracegen_draw_period(r, ctx, 5, 60, 120, 7200, dur);
		break;
	case TF_SAWTOOTH_RISING:
	case TF_SAWTOOTH_FLAT:
		s->shape = c->family == TF_SAWTOOTH_FLAT ? TG_SAWTOOTH_FLAT
							 : TG_SAWTOOTH_RISING;
		s->amp = tracegen_draw(r, 0.1, 0.6);
		s->period_s =
		    tracegen_draw_period(r, ctx, 3, 60, 30, 1800, dur);
		break;
	case TF_BATCH_LEAK:
	case TF_BATCH:
		s->shape = c->family == TF_BATCH ? TG_FLAT : TG_LINEAR;
		/* At least two periods seen. */
		s->batch_period_s = tracegen_draw_log(
		    r, 3600, fmax(3601, fmin(8 * 3600, dur / 2)));
		s->batch_duty = tracegen_draw(r, 0.1, 0.6);
		s->batch_amp = tracegen_draw_log(r, 0.05, 0.6);
		break;
	case TF_DAILY_LEAK:
	case TF_DAILY:
		s->shape = c->family == TF_DAILY ? TG_DAILY : TG_DAILY_LEAK;
		s->amp = tracegen_draw(r, 0.03, 0.12);
		break;
	case TF_LATE_ONSET:
		s->shape = TG_LATE_ONSET;
		break;
	case TF_FLAT:
		s->shape = TG_FLAT;
		break;
	case TF_STARTUP_PLATEAU:
		s->shape = TG_FLAT;
		su = tracegen_draw_startup(r, c, warm_s);
		break;
	case TF_STEP:
		s->shape = TG_STEP;
		s->amp = tracegen_draw_log(r, 0.05, 0.5);
		break;
	case TF_WANDER:
		s->shape = TG_WANDER;
		s->amp = tracegen_draw_log(r, 0.005, 0.05);
		s->period_s = tracegen_draw_period(r, ctx, 10, dur / 5, 300,
						   6 * 3600, dur * 8 / 5);
		break;
	case TF_BURSTS:
		s->shape = TG_BURSTS;
		s->amp = tracegen_draw_log(r, 0.1, 1.0);
		s->period_s = ci ? tracegen_draw_log(r, 10, 180)
				 : tracegen_draw_log(r, 60, 3600);
		s->burst_hold_s = ci ? tracegen_draw_log(r, 1, 30)
				     : tracegen_draw_log(r, 10, 600);
		break;
	case TF_FAMILIES:
		break;
	}
	/* A program memtrend started fills its working set first; in CI
	 * most shapes begin with that start-up. */
	if (ci && su == 0 && c->family != TF_FLAT && c->family != TF_LINEAR &&
	    (c->leak || tracegen_chance(r, 0.5)))
		su = tracegen_draw_startup(r, c, 20);
	c->startup_end_s = su;
	if (c->leak && s->onset_s < su)
		s->onset_s = su;
	if (c->family == TF_LATE_ONSET)
		s->onset_s = su + (dur - su) * tracegen_draw(r, 0.2, 0.7);
	if (c->family == TF_STEP)
		s->onset_s = su + (dur - su) * tracegen_draw(r, 0.1, 0.8);
	c->onset_s = c->leak ? s->onset_s : dur + 1;
}

/* Hash-table resizes in half the leaks: 2-5 doublings by the end. */
static void
tracegen_draw_resize(struct tracegen *r, struct tracegen_case *c)
{
	struct tracegen_spec *s = &c->spec;
	double grown = s->rate * (s->duration_s - s->onset_s) / 3600;

	if (!c->leak || !tracegen_chance(r, 0.5))
		return;
	s->resize_frac = tracegen_draw(r, 0.05, 0.3);
	s->resize_first = grown / exp2(floor(tracegen_draw(r, 2, 6)));
}

static void
tracegen_label(struct tracegen_case *c)
{
	const struct tracegen_spec *s = &c->spec;
	double seen_s = s->duration_s - c->onset_s;
	double grown = s->rate * seen_s / 3600;

	if (!c->leak || grown < 0.02) {
		c->identifiable = false;
		return;
	}
	if (c->context == TG_CI)
		c->identifiable =
		    seen_s >= 180 && seen_s / s->interval_s >= 150;
	else
		c->identifiable = s->rate >= 0.03 || seen_s >= 20 * 3600;
}

static void
tracegen_draw_case(struct tracegen_case *c, enum tracegen_context ctx,
		   enum tracegen_family fam, size_t index, uint64_t salt)
{
	struct tracegen r;
	struct tracegen_spec *s = &c->spec;

	memset(c, 0, sizeof *c);
	c->context = ctx;
	c->family = fam;
	c->index = index;
	c->leak = tracegen_family_is_leak(fam);
	c->daily_cycle = ctx != TG_CI;
	memset(&r, 0, sizeof r);
	r.rng = salt * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)ctx << 48) ^
		((uint64_t)fam << 40) ^ (uint64_t)index;
	tracegen_u64(&r);
	s->seed = tracegen_u64(&r);
	tracegen_draw_run(&r, c);
	if (c->leak)
		s->rate = tracegen_draw_rate(&r, ctx, index);
	tracegen_draw_shape(&r, c);
	/* Servers over days: a daily cycle under half of them. */
	if (ctx == TG_DAYS && fam != TF_DAILY && fam != TF_DAILY_LEAK &&
	    tracegen_chance(&r, 0.5))
		s->daily_amp = tracegen_draw(&r, 0.02, 0.08);
	tracegen_draw_resize(&r, c);
	tracegen_label(c);
}

size_t
tracegen_families(struct tracegen_case *out, size_t max, uint64_t salt)
{
	size_t n = 0, i;
	int ctx, fam;

	for (ctx = 0; ctx < TG_CONTEXTS; ctx++)
		for (fam = 0; fam < TF_FAMILIES; fam++) {
			if (!tracegen_family_in(fam, ctx))
				continue;
			for (i = 0; i < tracegen_per_family[ctx] && n < max;
			     i++)
				tracegen_draw_case(&out[n++], ctx, fam, i,
						   salt);
		}
	return n;
}

static void
tracegen_duration(double s, char *buf, size_t len)
{
	if (s < 90)
		snprintf(buf, len, "%.3g s", s);
	else if (s < 5400)
		snprintf(buf, len, "%.3g min", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, len, "%.3g h", s / 3600);
	else
		snprintf(buf, len, "%.3g d", s / 86400);
}

/* Appends to buf at *n, as snprintf would, never past len. */
static void tracegen_cat(char *buf, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
tracegen_cat(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (k > 0)
		*n += (size_t)k;
}

void
tracegen_case_describe(const struct tracegen_case *c, char *buf, size_t len)
{
	const struct tracegen_spec *s = &c->spec;
	char a[32], b[32];
	size_t n = 0;

	tracegen_duration(s->duration_s, a, sizeof a);
	tracegen_cat(buf, len, &n, "%s %s #%zu: %s at %g s, %.0f MiB",
		     tracegen_family_name(c->family),
		     tracegen_context_name(c->context), c->index, a,
		     s->interval_s, s->base_kb / 1024);
	if (s->rate > 0 && c->context == TG_CI)
		tracegen_cat(buf, len, &n, ", leak %.3g %%/min",
			     s->rate * 100 / 60);
	else if (s->rate > 0)
		tracegen_cat(buf, len, &n, ", leak %.3g %%/h", s->rate * 100);
	if (c->leak && s->onset_s > 0) {
		tracegen_duration(s->onset_s, a, sizeof a);
		tracegen_cat(buf, len, &n, " from %s", a);
	}
	if (s->startup_amp > 0) {
		tracegen_duration(s->startup_s, a, sizeof a);
		tracegen_cat(buf, len, &n, ", start-up %s %.0f %% over %s",
			     s->startup_ramp ? "ramp" : "exp",
			     s->startup_amp * 100, a);
	}
	if (s->period_s > 0) {
		tracegen_duration(s->period_s, a, sizeof a);
		tracegen_cat(buf, len, &n, ", period %s", a);
	}
	if (s->amp > 0)
		tracegen_cat(buf, len, &n, ", amp %.3g %%", s->amp * 100);
	if (!c->leak && s->shape == TG_STEP) {
		tracegen_duration(s->onset_s, a, sizeof a);
		tracegen_cat(buf, len, &n, " at %s", a);
	}
	if (s->burst_hold_s > 0) {
		tracegen_duration(s->burst_hold_s, a, sizeof a);
		tracegen_cat(buf, len, &n, ", held up to %s", a);
	}
	if (s->batch_period_s > 0) {
		tracegen_duration(s->batch_period_s, a, sizeof a);
		tracegen_cat(buf, len, &n,
			     ", batch every %s, %.0f %% of it, "
			     "+%.3g %%",
			     a, s->batch_duty * 100, s->batch_amp * 100);
	}
	if (s->daily_amp > 0)
		tracegen_cat(buf, len, &n, ", daily +-%.3g %%",
			     s->daily_amp * 100);
	if (s->resize_frac > 0)
		tracegen_cat(buf, len, &n, ", resizes (%.0f %% of capacity)",
			     s->resize_frac * 100);
	tracegen_duration(s->noise_tau_s, b, sizeof b);
	tracegen_cat(buf, len, &n, ", noise %.2g %% over %s%s", s->noise * 100,
		     b,
		     c->identifiable ? ", identifiable"
		     : c->leak	     ? ", not identifiable"
				     : "");
}
