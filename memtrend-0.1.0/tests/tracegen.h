/*
 * Labelled synthetic memory traces, seeded and deterministic on any
 * machine (own generator, no libc rand): leaks of several shapes, rates
 * and noise levels, and the non-leaks that fool a straight line.  The
 * tests assert verdicts on some; bench/score runs the whole set.
 */
#ifndef MEMTREND_TRACEGEN_H
#define MEMTREND_TRACEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tracegen_shape {
	/* Leaks. */
	TG_LINEAR,		/* steady growth */
	TG_STAIRCASE,		/* equal steps every period */
	TG_SAWTOOTH_RISING,	/* GC sawtooth whose floor rises */
	TG_DAILY_LEAK,		/* growth under a daily cycle */
	TG_LATE_ONSET,		/* flat, then steady growth from onset */
	/* Not leaks. */
	TG_FLAT,		/* noise only */
	TG_WARMUP,		/* rises to a plateau (time constant period) */
	TG_SAWTOOTH_FLAT,	/* GC sawtooth over a flat floor */
	TG_STEP,		/* one step up at onset, flat after */
	TG_DAILY,		/* a daily cycle */
	TG_WANDER,		/* mean-reverting random wander */
	TG_BURSTS,		/* temporary allocations that are freed */
	TG_SHAPES
};

struct tracegen_spec {
	enum tracegen_shape shape;
	uint64_t seed;
	double interval_s;
	double duration_s;
	double base_kb;		/* the floor at the start */
	double rate;		/* leak per hour, a fraction of base_kb */
	double noise;		/* usage above the floor, fraction of base */
	double onset_s;		/* late onset, step: when it happens */
	double period_s;	/* tooth, stair, warm-up, wander, bursts */
	double amp;		/* tooth, cycle, step, plateau, wander, burst */
};

struct tracegen {
	struct tracegen_spec spec;
	uint64_t rng;
	uint64_t i;
	double ar;		/* autocorrelated part of the noise */
	double ou;		/* wander */
	double phase;		/* daily cycle */
	double burst_end_s, burst_kb, next_burst_s;
};

const char *tracegen_name(enum tracegen_shape shape);
bool tracegen_is_leak(enum tracegen_shape shape);

void tracegen_start(struct tracegen *g, const struct tracegen_spec *spec);
/* The next sample; false when the trace is over. */
bool tracegen_next(struct tracegen *g, double *t_s, double *kb);

/* The labelled set bench/score runs; returns its size (at most max). */
size_t tracegen_set(struct tracegen_spec *out, size_t max);

/* A short name for a spec, for messages: "linear 5%/h noise 1% #2". */
void tracegen_describe(const struct tracegen_spec *s, char *buf, size_t len);

#endif
