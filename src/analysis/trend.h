/*
 * The streaming leak detector.  It judges the floor of a memory series
 * (the minimum of each time bucket, so a GC sawtooth or a burst of
 * temporary allocations cancels out), kept at several bucket widths in
 * fixed rings so memory stays bounded for a run of any length.  The slope
 * is Theil-Sen's with its confidence interval, significance is
 * Mann-Kendall's with the Hamed-Rao correction for autocorrelation, and a
 * set of gates (rate, still rising, not one step, not a daily cycle,
 * persistence) decides the flag.  The same code runs live and on a
 * replayed CSV, so both give the same verdict at the same moment.
 */
#ifndef MEMTREND_ANALYSIS_TREND_H
#define MEMTREND_ANALYSIS_TREND_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/models.h"

enum trend_verdict {
	TREND_INSUFFICIENT,
	TREND_STABLE,
	TREND_GROWING,
};

/* Why the verdict is what it is (the gate that decided). */
enum trend_why {
	TREND_WHY_GROWING,    /* every gate passed, for long enough */
	TREND_WHY_FEW,	      /* too few samples or floor points yet */
	TREND_WHY_FLAT,	      /* no significant trend */
	TREND_WHY_FALLING,    /* a significant decrease */
	TREND_WHY_SLOW,	      /* rising, below the minimum rate */
	TREND_WHY_CYCLE,      /* a daily cycle could rise this much */
	TREND_WHY_SHORT,      /* rising, but not for long enough yet */
	TREND_WHY_SATURATING, /* rising, but levelling off (warm-up) */
	TREND_WHY_STEP,	      /* one step, flat on both sides */
	TREND_WHY_RECEDED,    /* the floor fell back */
	TREND_WHY_CONFIRMING, /* gates pass, not yet for long enough */
	TREND_WHY_PERIODIC,   /* a cycle over a flat floor */
	TREND_WHY_AMBIGUOUS,  /* growth fits best, not yet decisively */
	TREND_WHY_WANDER,     /* a mean-reverting wander */
	TREND_WHY_UNSURE,     /* rising, its interval above zero, not
				 significant yet */
};

#define TREND_ALPHA 1e-3 /* one-sided p of a significant trend */
#define TREND_FLAGS 32	 /* raises and withdrawals kept */

/* One raise of the flag (an alert someone got) and its withdrawal. */
struct trend_flag {
	double raised_s;
	double withdrawn_s; /* NAN while it stands */
};

struct trend_evidence {
	enum trend_verdict verdict;
	enum trend_why why;
	unsigned long samples; /* values added */
	unsigned long evaluations;
	double first_s, last_s; /* first and last sample */
	/* The judged window of floor points. */
	size_t points;
	double bucket_s;	   /* width of one floor bucket */
	double start_s, end_s;	   /* the regime judged: first, last point */
	double slope;		   /* Theil-Sen, KiB per hour */
	double slope_lo, slope_hi; /* its 95 % confidence interval */
	double p_value;		   /* one-sided (growth), Hamed-Rao corrected */
	double level_kb;	   /* median floor in the window */
	double floor_start_kb, floor_end_kb; /* the fitted floor line */
	double step_kb, step_at_s;	     /* the largest single step seen */
	double cycle_kb;	    /* amplitude of a fitted cycle, or 0 */
	bool deseasonalized;	    /* a cycle was fitted and removed */
	double need_s;		    /* insufficient: more span needed, or 0 */
	unsigned long need_samples; /* insufficient: more samples needed */
	unsigned long gaps;	    /* pauses longer than the usual interval */
	double gap_s;		    /* their total length */
	double detected_at_s;	    /* when the flag was first raised; NAN */
	unsigned long raises;	    /* times the flag was raised */
	/* The explanations compared (models.h). */
	enum models_kind explanation; /* the best; MODELS_KINDS: none */
	enum models_kind runner_up;   /* the best of the other side */
	double delta_bic;	  /* growth's lead over the best bounded one */
	double cycle_period_s;	  /* a cycle found (0: none) */
	double plateau_kb, tau_s; /* the best warm-up's level and pace */
	bool daily_cycle;	  /* judged as if a daily cycle were possible */
	size_t nflags; /* raises recorded (the last TREND_FLAGS kept) */
	struct trend_flag flags[TREND_FLAGS];
};

struct trend;

struct trend *trend_new(void);
void trend_free(struct trend *t);

/* Whether a daily cycle is possible in this run (default yes: a server).
 * A test or a command memtrend launched has none to wait for. */
void trend_set_daily_cycle(struct trend *t, bool possible);

/* Adds one value (KiB) at t_s seconds.  A NAN value is skipped.  Returns
 * -EINVAL when t_s is not after the previous time. */
int trend_add(struct trend *t, double t_s, double value);

/* The evidence as of the last evaluation. */
const struct trend_evidence *trend_evidence(const struct trend *t);

/* The floor points of the window the detector judges now (times and
 * values, at most max); returns their number and the bucket width. */
size_t trend_floor(const struct trend *t, double *x, double *y, size_t max,
		   double *bucket_s);

/* ---- the statistics, exposed for tests -------------------------------- */

/* Mann-Kendall S: sum over i < j of sign(y[j] - y[i]). */
double trend_mk_s(const double *y, size_t n);

/* Var(S) under no trend, corrected for ties; work holds n doubles. */
double trend_mk_var(const double *y, size_t n, double *work);

/* P(S >= s) under no trend, exactly, for n <= 10 values without ties
 * or serial correlation; NAN for more. */
double trend_mk_exact_sf(double s, size_t n);

/* Hamed and Rao (1998) variance factor n/n*: from the autocorrelation of
 * the ranks of y - slope * x at the lags significant at 5 %.  Not
 * clamped; work holds 3 * n doubles. */
double trend_hamed_rao(const double *x, const double *y, size_t n, double slope,
		       double *work);

/* Theil-Sen slope (median of pairwise slopes) with the confidence
 * interval of Sen (1968) from var_s at two-sided normal quantile z; work
 * holds n * (n - 1) / 2 doubles.  Returns the slope. */
double trend_theil_sen(const double *x, const double *y, size_t n, double var_s,
		       double z, double *work, double *lo, double *hi);

/* One-sided upper tail of the standard normal. */
double trend_normal_sf(double z);

#endif
