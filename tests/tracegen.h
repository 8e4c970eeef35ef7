/*
 * Labelled synthetic memory traces, seeded and deterministic on any
 * machine (own generator, no libc rand): leaks of several shapes, rates
 * and noise levels, and the non-leaks that fool a straight line.  The
 * tests assert verdicts on some of the fixed set (tracegen_set);
 * bench/score runs the families (tracegen_families), whose parameters
 * are drawn from ranges by the seed, in three contexts: a CI-length run
 * of a program memtrend started, a watch of hours, a server over days.
 */
#ifndef MEMTREND_TRACEGEN_H
#define MEMTREND_TRACEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tracegen_shape {
	/* Leaks. */
	TG_LINEAR,	    /* steady growth */
	TG_STAIRCASE,	    /* equal steps every period */
	TG_SAWTOOTH_RISING, /* GC sawtooth whose floor rises */
	TG_DAILY_LEAK,	    /* growth under a daily cycle */
	TG_LATE_ONSET,	    /* flat, then steady growth from onset */
	/* Not leaks. */
	TG_FLAT,	  /* noise only */
	TG_WARMUP,	  /* rises to a plateau (time constant period) */
	TG_SAWTOOTH_FLAT, /* GC sawtooth over a flat floor */
	TG_STEP,	  /* one step up at onset, flat after */
	TG_DAILY,	  /* a daily cycle */
	TG_WANDER,	  /* mean-reverting random wander */
	TG_BURSTS,	  /* temporary allocations that are freed */
	TG_SHAPES
};

struct tracegen_spec {
	enum tracegen_shape shape;
	uint64_t seed;
	double interval_s;
	double duration_s;
	double base_kb;	 /* the floor at the start */
	double rate;	 /* leak per hour, a fraction of base_kb */
	double noise;	 /* usage above the floor, fraction of base */
	double onset_s;	 /* late onset, step: when it happens */
	double period_s; /* tooth, stair, warm-up, wander, bursts */
	double amp;	 /* tooth, cycle, step, plateau, wander, burst */
	/* Components any shape can carry; zero is off (the fixed set uses
	 * none).  A leak (linear, staircase, rising sawtooth, daily+leak)
	 * grows from onset_s.  A start-up fills the working set base_kb
	 * from startup_amp * base_kb below it: exponentially with time
	 * constant startup_s, or linearly over startup_s (startup_ramp). */
	double startup_amp, startup_s;
	bool startup_ramp;
	/* Batch jobs: for batch_duty of every batch_period_s, batch_amp *
	 * base_kb more (a trapezoid). */
	double batch_period_s, batch_duty, batch_amp;
	double daily_amp; /* a daily cycle over any shape, of base */
	/* Hash-table resizes in a leak: a table of resize_frac of its
	 * capacity that doubles whenever the leaked amount (of base)
	 * passes it, first at resize_first: steps in the residuals. */
	double resize_frac, resize_first;
	double noise_tau_s;  /* the noise's time constant; 0: 10 samples */
	double burst_hold_s; /* the longest burst; 0: 5 min */
};

struct tracegen {
	struct tracegen_spec spec;
	uint64_t rng;
	uint64_t i;
	double ar;    /* autocorrelated part of the noise */
	double ou;    /* wander */
	double phase; /* daily cycle */
	double burst_end_s, burst_kb, next_burst_s;
	double batch_phase; /* batch jobs: fraction of a period */
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

/* ---- families and contexts (bench/score) ------------------------------ */

enum tracegen_context {
	TG_CI,	  /* 5-20 min at 0.25-2 s, no daily cycle possible */
	TG_HOURS, /* 1-12 h at 1-10 s */
	TG_DAYS,  /* 1-7 days at 10-60 s, a server */
	TG_CONTEXTS
};

enum tracegen_family {
	/* Leaks. */
	TF_STARTUP_LEAK, /* fills a working set, then leaks */
	TF_LINEAR,
	TF_STAIRCASE,
	TF_SAWTOOTH_RISING,
	TF_BATCH_LEAK, /* leaks under batch jobs of 1-8 h */
	TF_DAILY_LEAK,
	TF_LATE_ONSET,
	/* Not leaks. */
	TF_FLAT,
	TF_STARTUP_PLATEAU, /* fills a working set, then flat */
	TF_SAWTOOTH_FLAT,
	TF_BATCH,
	TF_DAILY,
	TF_STEP,
	TF_WANDER,
	TF_BURSTS,
	TF_FAMILIES
};

struct tracegen_case {
	struct tracegen_spec spec;
	enum tracegen_family family;
	enum tracegen_context context;
	size_t index; /* within its family and context */
	bool leak;
	/* A leak the context lets one identify (recall counts these):
	 * CI, >= 3 min and >= 150 samples after the start-up and grown >=
	 * 2 % of the working set; otherwise >= 3 %/h or >= 20 h seen, and
	 * grown >= 2 %.  Leaks draw 0.2-10 %/min in CI, 0.25-20 %/h
	 * log-uniform otherwise, with one in four at 4-6 %/h. */
	bool identifiable;
	double onset_s;	      /* the leak begins; a flag before is false */
	double startup_end_s; /* the start-up is within 2 % of its end */
	bool daily_cycle;     /* judged with a daily cycle possible */
};

const char *tracegen_context_name(enum tracegen_context c);
const char *tracegen_family_name(enum tracegen_family f);
/* The context or family of that name; -1 when none is. */
int tracegen_context_parse(const char *name);
int tracegen_family_parse(const char *name);
bool tracegen_family_is_leak(enum tracegen_family f);
/* Whether a family occurs in a context (no 1-8 h cycle in 20 min). */
bool tracegen_family_in(enum tracegen_family f, enum tracegen_context c);

/* The scored set: every family in every context it occurs in, its
 * parameters drawn by seeds that salt changes (salt 0 is the tuning
 * set); returns its size (at most max). */
size_t tracegen_families(struct tracegen_case *out, size_t max, uint64_t salt);

/* "startup+leak ci #3: 2.1 %/min after a 40 s start-up, ..." */
void tracegen_case_describe(const struct tracegen_case *c, char *buf,
			    size_t len);

#endif
