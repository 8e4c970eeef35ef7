/*
 * Explanations of a memory floor, compared by penalised likelihood.
 *
 * The detector does not test one line against a set of gates: it fits
 * the floor points with the explanations a person would consider --
 * bounded ones (flat, one step, a warm-up levelling off, a cycle, a
 * daily cycle of bounded size) and growing ones (a line, a start-up then
 * a line, a flat stretch then a line from an onset), each with or
 * without a periodic component the data shows at least twice -- and
 * scores each by the Bayesian information criterion under AR(1) noise:
 *
 *   BIC = (n - 1) ln(sigma_e^2) + k ln(n)
 *
 * with sigma_e^2 the innovation variance of the residuals' AR(1) fit
 * (lag-1 autocorrelation clamped to [0, 0.95]), so that correlated noise
 * -- a wander, the tail of a burst -- does not pass for structure.
 * Schwarz (1978); the AR(1) conditional likelihood as in Box, Jenkins
 * and Reinsel, "Time Series Analysis" (4th ed.), section 7.1.
 */
#ifndef MEMTREND_ANALYSIS_MODELS_H
#define MEMTREND_ANALYSIS_MODELS_H

#include <stdbool.h>
#include <stddef.h>

enum models_kind {
	/* Bounded explanations. */
	MODELS_FLAT,	/* a level and noise */
	MODELS_STEP,	/* one step between two levels */
	MODELS_WARMUP,	/* a rise levelling off: a + b e^(-t/tau) */
	MODELS_DAILY,	/* a daily cycle of at most +-10 % */
	MODELS_WANDER,	/* a mean-reverting wander of bounded spread */
	MODELS_EPISODE, /* a level, and one episode up and back down */
	MODELS_ALIAS,	/* a level, the floor drifting along aliased teeth */
	/* Growth. */
	MODELS_LINEAR,	       /* a line from the start */
	MODELS_STARTUP_LINEAR, /* a start-up levelling off, plus a line */
	MODELS_ONSET,	       /* level (and a jump), then a line from c */
	MODELS_LINEAR_EPISODE, /* a line, and one episode up and back down */
	MODELS_KINDS
};

struct models_opts {
	bool daily;	   /* a daily cycle is possible */
	double daily_amp;  /* its largest amplitude, part of the level */
	double tau_cap;	   /* longest warm-up, in window spans */
	double tau_max_s;  /* ... and in seconds (0: no limit) */
	double wander_amp; /* a wander's largest spread, part of the level */
	double alias_kb;   /* the comb of aliased teeth's spacing (0: none) */
	bool envelope;	   /* the points are a cycle's envelope */
};

struct models_fit {
	bool valid;
	bool cycle; /* fitted with the periodic component */
	int k;	    /* parameters */
	double bic;
	double phi;		   /* residuals' lag-1 autocorrelation */
	double sigma_kb;	   /* innovation standard deviation */
	double slope;		   /* growth: KiB per second */
	double slope_se;	   /* its standard error (AR(1)-widened) */
	double start_s;		   /* where the growth (or the regime) starts */
	double tau_s;		   /* warm-ups: time constant */
	double plateau_kb;	   /* warm-up: where it levels off */
	double step_kb, step_at_s; /* step, onset: the jump and when */
	double end_kb;		   /* fitted floor at the last point */
	double amp_kb;		   /* daily: the amplitude fitted */
	/* Episodes: the height over [from, to), over the window's start
	 * to first (the episode before; first at the start: none), and
	 * from last to the window's end (the one after; infinite: none). */
	double box_kb, box_from_s, box_to_s, box_first_s, box_last_s;
	/* Parts to take out before judging the growth part on its own. */
	double cyc[4]; /* periodic component, KiB */
	double exp_kb; /* start-up: the decaying term's size */
	/* A daily cycle (of at most daily_amp, under two days seen):
	 * its cosine and sine parts over the window, KiB. */
	double day[2];
};

struct models_result {
	struct models_fit fit[MODELS_KINDS];
	enum models_kind best_bounded, best_growth, best;
	double period_s;     /* periodic component found; 0: none */
	double cycle_amp_kb; /* its half range */
	double level_kb;     /* median floor */
	/* A line from the start under a daily swing (where a daily cycle
	 * is possible, under two days are seen and no other cycle shows:
	 * none found, and not opts.envelope): not an explanation of
	 * its own, but how a growth that won may be judged
	 * (models_judged). */
	struct models_fit swing;
};

/* Scratch space for the fits (a few KiB), one per detector. */
struct models_work;
struct models_work *models_work_new(void);
void models_work_free(struct models_work *w);
/* Whether w keeps, between the fits of a window, the sums of products
 * of the columns that stay put (on by default).  Off, every sum is
 * worked out at every fit: the same bits, as the tests check. */
void models_work_keep_sums(struct models_work *w, bool keep);
/* Whether w scores every fit (off by default): else a fit whose BIC a
 * bound on its residuals puts above the best so far of its search is
 * not scored, which changes no result, as the tests check. */
void models_work_score_all(struct models_work *w, bool all);

/* Fits every explanation to the floor points (x seconds, y KiB, n at
 * most MODELS_MAX_POINTS, at least 8). */
#define MODELS_MAX_POINTS 128
void models_compare(struct models_work *w, const double *x, const double *y,
		    size_t n, const struct models_opts *opts,
		    struct models_result *out);

bool models_is_growth(enum models_kind kind);
/* "flat", "step", "warm-up", ... (the JSON's explanation names). */
const char *models_name(enum models_kind kind);

/* The fit the growth of kind is judged by: once growth explains the
 * window best (without the swing), the line under a daily swing
 * (r->swing) where it fits better than kind's own; else kind's.  The
 * swing is then what a test of the growth must not see. */
const struct models_fit *models_judged(const struct models_result *r,
				       enum models_kind kind);

/* y less what the fit models_judged() gives for kind explains besides
 * its line -- the periodic component, a start-up's decaying term and an
 * episode, or the daily swing -- into out; x0 is the first point of the
 * window it was fitted on (x may be another cut of that window). */
void models_growth_part(const struct models_result *r, enum models_kind kind,
			double x0, const double *x, const double *y, size_t n,
			double *out);

/* Where an onset lies on a cut x, y (n points) of a window finer than
 * the one the onset explanation was fitted on: the first point c of a
 * line that, after a level over the points before it (at least 2) and a
 * jump, fits best by least squares, with at least tail points from c on
 * (tail >= 2); n if the points are too few. */
size_t models_onset_at(const double *x, const double *y, size_t n, size_t tail);

/* The daily harmonic fitted jointly with a line to the n points (x, y),
 * taken out of y in place: a test of a trend over a day or more must
 * not read a daily swing it was not told of as noise with a long
 * memory.  *amp_kb is its half range.  False, y untouched, when there
 * is nothing to fit. */
bool models_daily_out(struct models_work *w, const double *x, double *y,
		      size_t n, double *amp_kb);

#endif
