/*
 * Labelled synthetic traces (see tracegen.h).  Values are KiB rounded to
 * whole 4 KiB pages, as the kernel reports them, so floors have ties.
 * Noise is usage above the floor: the absolute value of an AR(1) series
 * (time constant about ten samples), so it is autocorrelated as real load
 * is.
 */
#include "config.h"

#include <math.h>
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
	g->ar = tracegen_normal(g);	/* stationary from the start */
	g->ou = spec->shape == TG_WANDER ? spec->amp * tracegen_normal(g) : 0;
	g->next_burst_s = spec->period_s * -log(1 - tracegen_uniform(g));
}

static double
tracegen_frac(double v)
{
	return v - floor(v);
}

/* The floor and shape at t, as a multiple of base, before noise. */
static double
tracegen_shape_at(struct tracegen *g, double t)
{
	const struct tracegen_spec *s = &g->spec;
	double h = t / 3600, leak = s->rate * h;

	switch (s->shape) {
	case TG_LINEAR:
		return 1 + leak;
	case TG_STAIRCASE:
		return 1 + s->rate * s->period_s / 3600 *
		    floor(t / s->period_s);
	case TG_SAWTOOTH_RISING:
		return 1 + leak + s->amp * tracegen_frac(t / s->period_s);
	case TG_DAILY_LEAK:
		return 1 + leak + s->amp * sin(2 * M_PI * t / TG_DAY_S +
		    g->phase);
	case TG_LATE_ONSET:
		return 1 + s->rate * fmax(0, t - s->onset_s) / 3600;
	case TG_FLAT:
		return 1;
	case TG_WARMUP:
		return 1 + s->amp * (1 - exp(-t / s->period_s));
	case TG_SAWTOOTH_FLAT:
		return 1 + s->amp * tracegen_frac(t / s->period_s);
	case TG_STEP:
		return 1 + (t >= s->onset_s ? s->amp : 0);
	case TG_DAILY:
		return 1 + s->amp * sin(2 * M_PI * t / TG_DAY_S + g->phase);
	case TG_WANDER:
		return 1 + g->ou;
	case TG_BURSTS:
	case TG_SHAPES:
		break;
	}
	return 1;
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

	while (t >= g->next_burst_s) {
		g->burst_end_s = g->next_burst_s + 10 + 290 *
		    tracegen_uniform(g);
		g->burst_kb = s->base_kb * s->amp * (0.2 + 0.8 *
		    tracegen_uniform(g));
		g->next_burst_s += s->period_s * -log(1 -
		    tracegen_uniform(g));
	}
	return t < g->burst_end_s ? g->burst_kb : 0;
}

bool
tracegen_next(struct tracegen *g, double *t_s, double *kb)
{
	const struct tracegen_spec *s = &g->spec;
	double t = (double)g->i * s->interval_s, v;

	if (t > s->duration_s)
		return false;
	g->i++;
	if (s->shape == TG_WANDER)
		tracegen_step_wander(g);
	/* Usage above the floor: |AR(1)|, phi 0.9. */
	g->ar = 0.9 * g->ar + sqrt(1 - 0.81) * tracegen_normal(g);
	v = s->base_kb * (tracegen_shape_at(g, t) + s->noise * fabs(g->ar));
	if (s->shape == TG_BURSTS)
		v += tracegen_burst(g, t);
	*t_s = t;
	*kb = 4 * round(v / 4);
	return true;
}

/* ---- the labelled set ------------------------------------------------- */

static const double tracegen_rates[] = { 0.0025, 0.005, 0.01, 0.02, 0.05,
	0.2 };
#define TG_NRATES (sizeof tracegen_rates / sizeof tracegen_rates[0])

struct tracegen_builder {
	struct tracegen_spec *out;
	size_t n, max;
};

static void
tracegen_put(struct tracegen_builder *b, enum tracegen_shape shape,
    double rate, double noise, double onset_s, double period_s, double amp,
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
		s->base_kb = 51200 * pow(40, (double)((s->seed * 37) % 101) /
		    100);
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
	static const double noises[] = { 0.002, 0.01, 0.03 };
	struct tracegen_builder b = { out, 0, max };
	size_t r, i;
	double rate;

	for (r = 0; r < TG_NRATES; r++) {
		rate = tracegen_rates[r];
		for (i = 0; i < 3; i++)
			tracegen_put(&b, TG_LINEAR, rate, noises[i], 0, 0, 0, 2);
		tracegen_put(&b, TG_STAIRCASE, rate, 0.01, 0, 600, 0, 2);
		tracegen_put(&b, TG_STAIRCASE, rate, 0.01, 0, 3600, 0, 2);
		tracegen_put(&b, TG_SAWTOOTH_RISING, rate, 0.01, 0, 120, 0.3, 2);
		tracegen_put(&b, TG_SAWTOOTH_RISING, rate, 0.01, 0, 600, 0.5, 2);
		tracegen_put(&b, TG_DAILY_LEAK, rate, 0.01, 0, 0, 0.03, 2);
		tracegen_put(&b, TG_DAILY_LEAK, rate, 0.01, 0, 0, 0.08, 2);
		tracegen_put(&b, TG_LATE_ONSET, rate, 0.01, 6 * 3600, 0, 0, 2);
		tracegen_put(&b, TG_LATE_ONSET, rate, 0.01, 18 * 3600, 0, 0, 2);
	}
	for (i = 0; i < 3; i++)
		tracegen_put(&b, TG_FLAT, 0, noises[i], 0, 0, 0, 4);
	for (i = 0; i < 3; i++) {
		static const double amps[] = { 0.1, 0.3, 0.6 };

		tracegen_put(&b, TG_WARMUP, 0, 0.01, 0, 120, amps[i], 2);
		tracegen_put(&b, TG_WARMUP, 0, 0.01, 0, 600, amps[i], 2);
		tracegen_put(&b, TG_WARMUP, 0, 0.01, 0, 1800, amps[i], 2);
	}
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 60, 0.2, 2);
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 300, 0.5, 2);
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 900, 0.3, 2);
	tracegen_put(&b, TG_SAWTOOTH_FLAT, 0, 0.01, 0, 900, 0.5, 2);
	for (i = 0; i < 3; i++) {
		static const double steps[] = { 0.05, 0.2, 0.5 };

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
		static const double amps[] = { 0.1, 0.5, 1.0 };

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
