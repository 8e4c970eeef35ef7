/*
 * Streaming leak detector (see trend.h).  The statistics:
 *   Theil-Sen slope: Theil (1950); Sen, "Estimates of the regression
 *     coefficient based on Kendall's tau", JASA 63 (1968), with the
 *     confidence interval of Gilbert, "Statistical Methods for
 *     Environmental Pollution Monitoring" (1987), section 16.5.
 *   Mann-Kendall test: Mann (1945), Kendall (1975); Var(S) with ties.
 *   Hamed and Rao, "A modified Mann-Kendall trend test for
 *     autocorrelated data", J. Hydrology 204 (1998): Var(S) times n/n*
 *     from the significant autocorrelations of the detrended ranks.
 * The gates and their thresholds are described in README.md ("How the
 * verdict is reached"); bench/score.sh measures them.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/models.h"
#include "analysis/trend.h"
#include "util/xmalloc.h"

#define TREND_SCALES 20
#define TREND_RING 128		/* floor buckets kept per scale */
#define TREND_BASE_S (1.0 / 64) /* scale k holds buckets of 2^k x this */
#define TREND_PAIRS (TREND_RING * (TREND_RING - 1) / 2)

#define TREND_Z95 1.959963984540054 /* two-sided 95 % normal quantile */
#define TREND_MIN_SAMPLES 30
#define TREND_MIN_POINTS 12
#define TREND_Z_ALPHA 3.090232306167813 /* TREND_ALPHA's normal quantile */
#define TREND_EXACT_N 10	 /* Mann-Kendall's exact tail up to here */
#define TREND_DECISIVE 10.0	 /* BIC lead of growth: decisive */
#define TREND_TAU_CAP 3.0	 /* longest warm-up, in windows */
#define TREND_TAU_MAX_S 3600.0	 /* ... a server's, in seconds */
#define TREND_CI_TAU_MAX_S 60.0	 /* ... a test run's */
#define TREND_WANDER 0.03	 /* a server's wander: +-3 % (1 sd) */
#define TREND_CI_WANDER 0.01	 /* a test run's */
#define TREND_MIN_REL_H 0.002	 /* slope floor: 0.2 % of the level/h */
#define TREND_MIN_KB_H 64.0	 /* and 64 KiB/h */
#define TREND_MIN_RISE_KB 64.0	 /* lower-bound rise over the regime */
#define TREND_MIN_RISE_REL 0.005 /* ... and 0.5 % of its floor */
#define TREND_SEG_MIN 6		 /* points for a regime's own test */
#define TREND_MIN_SPAN_S 1800.0	 /* server: rising this long */
#define TREND_CI_SPAN_S 90.0	 /* test run: this long after start-up */
#define TREND_CI_SAMPLES 90	 /* ... and this many samples */
#define TREND_DAY_S 86400.0
#define TREND_CYCLE_AMP 0.10	   /* daily swing assumed possible: +-10 % */
#define TREND_PERSIST 3		   /* passing evaluations to raise the flag */
#define TREND_PERSIST_FRAC 0.1	   /* ... over this part of the regime */
#define TREND_PERSIST_MAX_S 3600.0 /* ... or this long */
#define TREND_WITHDRAW 3	   /* decisively bounded ones to lower it */
#define TREND_QUIET 50.0	   /* rise / residual range: no correction */
#define TREND_JUMP 5.0		   /* a rise at once: robust sds of a step */
#define TREND_FINE_SAMPLES 4.0	   /* a finer scale: samples a bucket, fewest */
#define TREND_GAP 10.0		   /* a pause of 10 usual intervals: a gap */
#define TREND_COMB_PARTS 4	   /* the last samples, cut in this many */
#define TREND_DROPS 8		   /* teeth's drops kept, latest */
#define TREND_DROP_RISES 3.0	   /* a drop: this many usual rises */

struct trend_bucket {
	int64_t index;
	double min;
	double t_first, t_last;
	unsigned int n;
};

struct trend_scale {
	double width_s;
	struct trend_bucket open; /* being filled; n == 0: none yet */
	struct trend_bucket ring[TREND_RING];
	unsigned int head; /* next slot to write */
	unsigned int count;
	bool closed; /* a bucket closed at the last sample */
};

struct trend {
	struct trend_scale scale[TREND_SCALES];
	struct trend_evidence ev;
	double interval_s; /* usual interval (moving average) */
	bool daily;	   /* a daily cycle is possible */
	unsigned int pass_run, fail_run;
	double pass_since_s; /* when the gates started to pass */
	double fail_since_s; /* when a bounded one started to win */
	bool flag;
	double raise_kb;     /* the recent floor when it went up */
	double raise_env_kb; /* and its cycle's envelope (else floor) */
	double raise_s;	     /* when it went up */
	/* A sawtooth's teeth, timed by their drops (a fall of many usual
	 * rises at once): their period, when the floor buckets are too
	 * short to hold a trough each, is measured here, not guessed
	 * from the aliased floor. */
	double prev_v;		     /* the last sample */
	double rise_kb;		     /* a usual rise between samples */
	double drop_s[TREND_DROPS];  /* when the latest drops were */
	double drop_kb[TREND_DROPS]; /* and how deep */
	unsigned int drops;	     /* drops seen */
	/* An undecided rise's projection (trend_undecided_need): when
	 * growth would win by it, counted down to, and projected again
	 * once under a bucket away, or when the runner-up changes
	 * (without a horizon, when to try again); NAN: the last
	 * evaluation was not undecided. */
	double undecided_s;
	bool undecided_found;
	enum models_kind undecided_runner;
	struct models_result models; /* of the last evaluation */
	/* Work space for one evaluation, shared by every trend (below). */
	struct models_work *work;
	double *x, *y, *raw;
	unsigned long *counts; /* samples per floor point */
	double *tmp;
	double *pairs;
	double *jumped;		/* a series less its rises at once */
	double *xs, *ys;	/* a thinned series */
	double *xf, *yf, *rf;	/* a regime's floor on a finer scale */
	size_t fine_i0, fine_n; /* its points xf[i0..), rf[0..n); n 0: none */
};

/*
 * The work space of an evaluation holds nothing between evaluations, so
 * one serves every trend of the process: memtrend top judges hundreds of
 * processes, and 90 KiB each of scratch would be most of its memory.
 * memtrend evaluates on one thread; the space lives while a trend does.
 */
static struct trend_scratch {
	unsigned long users;
	struct models_work *work;
	double x[TREND_RING], y[TREND_RING], raw[TREND_RING];
	unsigned long counts[TREND_RING];
	double tmp[3 * TREND_RING];
	double pairs[TREND_PAIRS];
	double jumped[TREND_RING];
	double xs[TREND_RING], ys[TREND_RING];
	double xf[TREND_RING], yf[TREND_RING], rf[TREND_RING];
} * trend_scratch;

static void
trend_scratch_take(struct trend *t)
{
	struct trend_scratch *sc = trend_scratch;

	if (sc == NULL) {
		sc = trend_scratch = xcalloc(1, sizeof *sc);
		sc->work = models_work_new();
	}
	sc->users++;
	t->work = sc->work;
	t->x = sc->x;
	t->y = sc->y;
	t->raw = sc->raw;
	t->counts = sc->counts;
	t->tmp = sc->tmp;
	t->pairs = sc->pairs;
	t->jumped = sc->jumped;
	t->xs = sc->xs;
	t->ys = sc->ys;
	t->xf = sc->xf;
	t->yf = sc->yf;
	t->rf = sc->rf;
}

static void
trend_scratch_give(void)
{
	if (trend_scratch == NULL || --trend_scratch->users > 0)
		return;
	models_work_free(trend_scratch->work);
	free(trend_scratch);
	trend_scratch = NULL;
}

/* The result of the core statistics over one series. */
struct trend_fit {
	double slope, lo, hi; /* per second */
	double intercept;
	double z, p; /* one-sided, for growth */
};

/* ---- statistics ------------------------------------------------------- */

double
trend_normal_sf(double z)
{
	return 0.5 * erfc(z / M_SQRT2);
}

static void
trend_swap(double *a, long i, long j)
{
	double v = a[i];

	a[i] = a[j];
	a[j] = v;
}

/* The k-th smallest of a[0..n) (0-based), by quickselect; reorders a so
 * that a[0..k) <= a[k] <= a(k..n). */
static double
trend_select(double *a, size_t n, size_t k)
{
	long lo = 0, hi = (long)n - 1, i, j, kk = (long)k;
	double pivot;

	while (lo < hi) {
		pivot = a[lo + (hi - lo) / 2];
		i = lo;
		j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j)
				trend_swap(a, i++, j--);
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			break;
	}
	return a[kk];
}

/* Median of a[0..n), reordering a. */
static double
trend_median(double *a, size_t n)
{
	double hi, lo;
	size_t i;

	if (n == 0)
		return NAN;
	hi = trend_select(a, n, n / 2);
	if (n % 2 == 1)
		return hi;
	lo = a[0];
	for (i = 1; i < n / 2; i++)
		lo = fmax(lo, a[i]);
	return (lo + hi) / 2;
}

static double
trend_sign(double d)
{
	return d > 0 ? 1 : d < 0 ? -1 : 0;
}

double
trend_mk_s(const double *y, size_t n)
{
	double s = 0;
	size_t i, j;

	for (i = 0; i + 1 < n; i++)
		for (j = i + 1; j < n; j++)
			s += trend_sign(y[j] - y[i]);
	return s;
}

static int
trend_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
trend_mk_var(const double *y, size_t n, double *work)
{
	double nn = (double)n, var, tt;
	size_t i, j;

	var = nn * (nn - 1) * (2 * nn + 5);
	memcpy(work, y, n * sizeof *y);
	qsort(work, n, sizeof *work, trend_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && work[j] == work[i]; j++)
			;
		tt = (double)(j - i);
		if (tt > 1)
			var -= tt * (tt - 1) * (2 * tt + 5);
	}
	return var / 18;
}

/* Average ranks (1-based) of v into rank; idx is scratch for n. */
static void
trend_rank(const double *v, size_t n, double *idx, double *rank)
{
	size_t i, j, k;
	double r;

	for (i = 0; i < n; i++)
		idx[i] = (double)i;
	for (i = 1; i < n; i++) { /* insertion sort: n is small */
		double cur = idx[i];

		for (j = i; j > 0 && v[(size_t)idx[j - 1]] > v[(size_t)cur];
		     j--)
			idx[j] = idx[j - 1];
		idx[j] = cur;
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[(size_t)idx[j]] == v[(size_t)idx[i]];
		     j++)
			;
		r = (double)(i + 1 + j) / 2; /* mean of ranks i+1 .. j */
		for (k = i; k < j; k++)
			rank[(size_t)idx[k]] = r;
	}
}

/* The residuals r about the line are too small to matter: the middle
 * 80 % of them spans under 1/TREND_QUIET of the line's rise (rounding,
 * or a page of jitter, on a steady climb; a start-up outlier does not
 * count).  Noise that small, however correlated, cannot make the trend,
 * so no variance correction applies.  scratch holds n doubles. */
static bool
trend_quiet(const double *x, const double *r, size_t n, double slope,
	    double *scratch)
{
	memcpy(scratch, r, n * sizeof *r);
	qsort(scratch, n, sizeof *scratch, trend_cmp);
	return (scratch[n - 1 - n / 10] - scratch[n / 10]) * TREND_QUIET <=
	       fabs(slope * (x[n - 1] - x[0]));
}

double
trend_hamed_rao(const double *x, const double *y, size_t n, double slope,
		double *work)
{
	double *r = work, *idx = work + n, *rank = work + 2 * n;
	double mean = ((double)n + 1) / 2, den = 0, num, rho, bound, sum = 0;
	double nn = (double)n, m;
	size_t i, k;

	if (n < 3)
		return 1;
	for (i = 0; i < n; i++)
		r[i] = y[i] - slope * (x[i] - x[0]);
	if (trend_quiet(x, r, n, slope, idx))
		return 1;
	trend_rank(r, n, idx, rank);
	for (i = 0; i < n; i++)
		den += (rank[i] - mean) * (rank[i] - mean);
	if (den == 0)
		return 1;
	bound = TREND_Z95 / sqrt(nn);
	for (k = 1; k + 2 < n; k++) {
		num = 0;
		for (i = 0; i + k < n; i++)
			num += (rank[i] - mean) * (rank[i + k] - mean);
		rho = num / den;
		if (fabs(rho) <= bound)
			continue;
		m = (double)(n - k);
		sum += m * (m - 1) * (m - 2) * rho;
	}
	return 1 + 2 / (nn * (nn - 1) * (nn - 2)) * sum;
}

/* Variance factor (1 + r) / (1 - r) of an AR(1) process, r the lag-1
 * autocorrelation of y - slope * x corrected for its small-sample bias
 * (r + 1/n) n / (n - 4) (Marriott and Pope 1954).  Hamed-Rao keeps only
 * lags significant at 5 %, which a short window rarely shows: this
 * floor keeps a slow wander over a few dozen points from passing for a
 * trend. */
static double
trend_ar1_factor(const double *x, const double *y, size_t n, double slope,
		 double *work)
{
	double mean = 0, num = 0, den = 0, r, nn = (double)n;
	size_t i;

	if (n < 8)
		return 1;
	for (i = 0; i < n; i++) {
		work[i] = y[i] - slope * (x[i] - x[0]);
		mean += work[i];
	}
	if (trend_quiet(x, work, n, slope, work + n))
		return 1;
	mean /= nn;
	for (i = 0; i < n; i++) {
		den += (work[i] - mean) * (work[i] - mean);
		if (i + 1 < n)
			num += (work[i] - mean) * (work[i + 1] - mean);
	}
	if (den <= 0)
		return 1;
	r = (num / den * nn + 1) / (nn - 4);
	r = fmin(fmax(r, 0), 0.95);
	return (1 + r) / (1 - r);
}

/* Fills pairs with the pairwise slopes; returns how many. */
static size_t
trend_pair_slopes(const double *x, const double *y, size_t n, double *pairs)
{
	size_t i, j, m = 0;

	for (i = 0; i + 1 < n; i++)
		for (j = i + 1; j < n; j++)
			pairs[m++] = (y[j] - y[i]) / (x[j] - x[i]);
	return m;
}

/* Sen's interval from the slopes (reordered): ranks (m -+ C) / 2. */
static void
trend_sen_interval(double *pairs, size_t m, double var_s, double z, double *lo,
		   double *hi)
{
	double c = z * sqrt(var_s);
	double m1 = ((double)m - c) / 2, m2 = ((double)m + c) / 2;
	long ilo = (long)floor(m1) - 1, ihi = (long)ceil(m2);

	if (ilo < 0)
		ilo = 0;
	if (ihi > (long)m - 1)
		ihi = (long)m - 1;
	*lo = trend_select(pairs, m, (size_t)ilo);
	*hi = trend_select(pairs, m, (size_t)ihi);
}

double
trend_theil_sen(const double *x, const double *y, size_t n, double var_s,
		double z, double *work, double *lo, double *hi)
{
	size_t m;
	double b;

	if (n < 2) {
		*lo = *hi = NAN;
		return NAN;
	}
	m = trend_pair_slopes(x, y, n, work);
	b = trend_median(work, m);
	trend_sen_interval(work, m, var_s, z, lo, hi);
	return b;
}

/* The Mann-Kendall z of y, its variance (in *var) widened by the
 * autocorrelation of the residuals about the line of slope b: Hamed-Rao,
 * or AR(1) when that is larger, never below 1 (iid: a flag must not rest
 * on negative autocorrelation).  work holds 3 n doubles. */
static double
trend_mk_z(const double *x, const double *y, size_t n, double b, double *work,
	   double *var)
{
	double s = trend_mk_s(y, n), v = trend_mk_var(y, n, work), factor;

	factor = trend_hamed_rao(x, y, n, b, work);
	factor = fmax(factor, trend_ar1_factor(x, y, n, b, work));
	*var = v *= fmax(1, factor);
	if (v <= 0)
		return 0;
	return s > 0 ? (s - 1) / sqrt(v) : s < 0 ? (s + 1) / sqrt(v) : 0;
}

/* y less its rises at once, into out: a step between two points more
 * than TREND_JUMP robust standard deviations (1.4826 MAD) of the steps
 * above their median.  Only rises: memory taken at once (a hash table's
 * resize, an arena's new block) is how a leak often grows, while memory
 * given back at once must not be explained away.  Returns how many were
 * taken out (0: none, or too few points to tell).  work holds 2 n
 * doubles. */
static size_t
trend_rises_out(const double *y, size_t n, double *work, double *out)
{
	double *d = work, *a = work + n, md, sd, up = 0;
	size_t i, jumps = 0;

	if (n < TREND_SEG_MIN)
		return 0;
	for (i = 1; i < n; i++)
		d[i - 1] = y[i] - y[i - 1];
	memcpy(a, d, (n - 1) * sizeof *d);
	md = trend_median(a, n - 1);
	for (i = 0; i + 1 < n; i++)
		a[i] = fabs(d[i] - md);
	sd = 1.4826 * trend_median(a, n - 1);
	if (!(sd > 0))
		return 0;
	out[0] = y[0];
	for (i = 1; i < n; i++) {
		if (d[i - 1] - md > TREND_JUMP * sd) {
			up += d[i - 1] - md;
			jumps++;
		}
		out[i] = y[i] - up;
	}
	return jumps;
}

/* P(S >= s) for Mann-Kendall's S over n <= TREND_EXACT_N values without
 * ties or serial correlation: S is n (n - 1) / 2 less twice the
 * inversions of a permutation, each of the n! equally likely, and the
 * permutations of n with k inversions are the Mahonian numbers
 * I(n, k) = sum over j <= min(k, n - 1) of I(n - 1, k - j).  Over so
 * few values the normal approximation is far off in the tail a flag
 * needs: seven teeth whose troughs all rose are 1 in 5 040 by chance,
 * not the 1 in 750 it gives.  n above TREND_EXACT_N: NAN. */
double
trend_mk_exact_sf(double s, size_t n)
{
	double count[TREND_EXACT_N * (TREND_EXACT_N - 1) / 2 + 1] = {1};
	double next[TREND_EXACT_N * (TREND_EXACT_N - 1) / 2 + 1];
	double total = 1, below = 0, kmax;
	size_t m, k, j, top = 0;

	if (n > TREND_EXACT_N)
		return NAN;
	for (m = 2; m <= n; m++) {
		top += m - 1;
		for (k = 0; k <= top; k++) {
			next[k] = 0;
			for (j = 0; j < m && j <= k; j++)
				next[k] +=
				    k - j <= top - (m - 1) ? count[k - j] : 0;
		}
		memcpy(count, next, (top + 1) * sizeof *count);
		total *= (double)m;
	}
	/* S >= s: inversions at most (N - s) / 2. */
	kmax = floor(((double)top - s) / 2 + 1e-9);
	for (k = 0; k <= top && (double)k <= kmax; k++)
		below += count[k];
	return below / total;
}

/* The whole test on one series: Sen slope, Hamed-Rao corrected
 * Mann-Kendall, the slope's interval with the same variance.  exact:
 * the values are independent by construction (a cycle's troughs), and
 * over a few of them neither tied nor corrected the tail is counted
 * (trend_mk_exact_sf) -- not on a regime's points, whose serial
 * correlation under eight points no correction can see. */
static void
trend_fit(struct trend *t, const double *x, const double *y, size_t n,
	  bool exact, struct trend_fit *f)
{
	double var, nn;
	size_t m, i;

	m = trend_pair_slopes(x, y, n, t->pairs);
	f->slope = trend_median(t->pairs, m);
	f->z = trend_mk_z(x, y, n, f->slope, t->tmp, &var);
	f->p = trend_normal_sf(f->z);
	nn = (double)n;
	if (exact && n >= 2 && n <= TREND_EXACT_N &&
	    var == nn * (nn - 1) * (2 * nn + 5) / 18)
		f->p = trend_mk_exact_sf(trend_mk_s(y, n), n);
	trend_sen_interval(t->pairs, m, var > 0 ? var : 0, TREND_Z95, &f->lo,
			   &f->hi);
	for (i = 0; i < n; i++)
		t->tmp[i] = y[i] - f->slope * (x[i] - x[0]);
	f->intercept = trend_median(t->tmp, n);
}

/* The trend's p on a regime: a floor that rises in jumps as well as
 * between them (a leak into a hash table that doubles) leaves the jumps
 * in the residuals about one line, whose autocorrelation then widens
 * the variance as a wander's would (p 0.01 to 0.09 on a floor that rose
 * 77 % in 12 min): when the floor less its rises at once still rises
 * significantly between them, that p is the trend's (the smaller of the
 * two tests).  A single step, or a staircase flat between its steps, is
 * flat once its rises are out. */
static void
trend_fit_jumps(struct trend *t, const double *x, const double *y, size_t n,
		struct trend_fit *f)
{
	double var;
	size_t m;

	if (f->p < TREND_ALPHA || trend_rises_out(y, n, t->tmp, t->jumped) == 0)
		return;
	m = trend_pair_slopes(x, t->jumped, n, t->pairs);
	f->p = fmin(f->p, trend_normal_sf(trend_mk_z(x, t->jumped, n,
						     trend_median(t->pairs, m),
						     t->tmp, &var)));
}

/* ---- floor buckets ---------------------------------------------------- */

struct trend *
trend_new(void)
{
	struct trend *t = xcalloc(1, sizeof *t);
	int k;

	for (k = 0; k < TREND_SCALES; k++)
		t->scale[k].width_s = ldexp(TREND_BASE_S, k);
	t->ev.verdict = TREND_INSUFFICIENT;
	t->ev.why = TREND_WHY_FEW;
	t->ev.detected_at_s = NAN;
	t->ev.first_s = t->ev.last_s = NAN;
	t->ev.need_samples = TREND_MIN_SAMPLES;
	t->daily = true;
	t->ev.daily_cycle = true;
	trend_scratch_take(t);
	t->ev.explanation = t->ev.runner_up = MODELS_KINDS;
	t->undecided_s = NAN;
	return t;
}

void
trend_set_daily_cycle(struct trend *t, bool possible)
{
	t->daily = possible;
	t->ev.daily_cycle = possible;
}

void
trend_free(struct trend *t)
{
	if (t == NULL)
		return;
	trend_scratch_give();
	free(t);
}

const struct trend_evidence *
trend_evidence(const struct trend *t)
{
	return &t->ev;
}

/* Adds a sample to scale sc's open bucket, or closes that and opens
 * the sample's.  Returns whether the sample joined the open bucket:
 * then it joins the open buckets of every coarser scale too (a bucket
 * of twice the width holds two whole ones; floor(x / 2) is
 * floor(floor(x) / 2)), and same says so, sparing the division. */
static bool
trend_scale_add(struct trend_scale *sc, double t_s, double v, bool same)
{
	struct trend_bucket *b = &sc->open;
	int64_t index = b->index;
	double q;

	/* floor(t_s / sc->width_s), without a call to libm for it. */
	if (!same) {
		q = t_s / sc->width_s;
		index = (int64_t)q;
		if ((double)index > q)
			index--;
	}
	sc->closed = false;
	if (b->n > 0 && b->index != index) {
		sc->ring[sc->head] = *b;
		sc->head = (sc->head + 1) % TREND_RING;
		if (sc->count < TREND_RING)
			sc->count++;
		sc->closed = true;
		b->n = 0;
	}
	if (b->n == 0) {
		b->index = index;
		b->min = v;
		b->t_first = t_s;
	}
	/* fmin(b->min, v) as glibc's (minsd: v when they are equal), v
	 * never NAN, without a call to libm. */
	b->min = b->min < v ? b->min : v;
	b->t_last = t_s;
	return ++b->n > 1;
}

/* The finest scale whose ring covers the span seen so far. */
static int
trend_pick_scale(const struct trend *t)
{
	double span = t->ev.last_s - t->ev.first_s;
	int k;

	for (k = 0; k < TREND_SCALES - 1; k++)
		if (TREND_RING * t->scale[k].width_s >= span)
			break;
	return k;
}

/* The closed buckets of scale k, oldest first: x at the middle of the
 * samples each holds, y its minimum. */
static size_t
trend_scale_points(const struct trend_scale *sc, double *x, double *y,
		   unsigned long *counts, size_t max)
{
	size_t i, n = sc->count < max ? sc->count : max;
	unsigned int at;

	for (i = 0; i < n; i++) {
		at = (sc->head + TREND_RING - (unsigned int)n +
		      (unsigned int)i) %
		     TREND_RING;
		x[i] = (sc->ring[at].t_first + sc->ring[at].t_last) / 2;
		y[i] = sc->ring[at].min;
		if (counts != NULL)
			counts[i] = sc->ring[at].n;
	}
	return n;
}

size_t
trend_floor(const struct trend *t, double *x, double *y, size_t max,
	    double *bucket_s)
{
	int k = trend_pick_scale(t);

	*bucket_s = t->scale[k].width_s;
	return trend_scale_points(&t->scale[k], x, y, NULL, max);
}

/* ---- judging --------------------------------------------------------- */

/* The most a daily cycle of +-TREND_CYCLE_AMP of level could rise over
 * a window of span_s, as the rise of the line fitted to it (slope times
 * span), which is what the cycle is compared with.  For A sin(wt + p)
 * seen over a span s, the least-squares slope times s is at most
 * 6 A (sin h - h cos h) / h^2 with h = w s / 2: 2 A h for a short span,
 * but 2.43 A over half a day and 2.62 A at most (h = 2.08, 16 h), more
 * than the 2 A between trough and crest; over more than a day its size
 * (the sine turned round): none at 34 h, 0.95 A over two days. */
static double
trend_cycle_rise(double level, double span_s)
{
	double h = M_PI * span_s / TREND_DAY_S;

	if (h < 1e-6)
		return 2 * TREND_CYCLE_AMP * fabs(level) * h;
	return TREND_CYCLE_AMP * fabs(level) * 6 * fabs(sin(h) - h * cos(h)) /
	       (h * h);
}

/* Span needed, beyond span_s, before a rise at slope_lo (per second)
 * beats any daily cycle, or before two days are seen and the cycle is
 * fitted as one (models_fit_daily: a bounded daily cycle is tried on
 * windows under two days). */
static double
trend_cycle_need(double level, double span_s, double slope_lo)
{
	double l, until = 2 * TREND_DAY_S;
	int i;

	if (!(span_s < until))
		return 0;
	for (i = 1; i <= 64; i++) {
		l = span_s + (until - span_s) * i / 64;
		if (slope_lo > 0 && slope_lo * l > trend_cycle_rise(level, l))
			return l - span_s;
	}
	return until - span_s;
}

/* The troughs of an envelope (trend_envelope) under a cycle of period
 * p_s, from the growth part in t->raw: its points from the last back
 * one period apart, from i0 on, into t->xs and t->ys; returns how
 * many (0: no period, or no points).  An envelope's point is the least
 * over the period before it, so each trough is seen a period's worth of
 * times: a trend test on every point reads the repeats as a long memory
 * and deflates a rise of troughs that never once fell (p 0.004 on
 * seven teeth whose floor rose 75 % in 6 min, 0.0002 on the troughs);
 * the troughs, each over its own period (more than one apart: the
 * period before a point holds both its ends), are independent. */
static size_t
trend_troughs(struct trend *t, const double *x, size_t n, size_t i0, double p_s)
{
	size_t m = 0, j, k;

	if (!(p_s > 0) || n <= i0)
		return 0;
	for (j = n - 1;; j--) {
		t->xs[m] = x[j];
		t->ys[m++] = t->raw[j];
		while (j > i0 && x[j - 1] >= t->xs[m - 1] - p_s)
			j--;
		if (j == i0)
			break;
	}
	for (k = 0; k < m / 2; k++) {
		double a = t->xs[k], b = t->ys[k];

		t->xs[k] = t->xs[m - 1 - k];
		t->ys[k] = t->ys[m - 1 - k];
		t->xs[m - 1 - k] = a;
		t->ys[m - 1 - k] = b;
	}
	return m;
}

/* A regime that began late in a long window spans few of the window's
 * buckets (a leak from the third day, on buckets of 34 min, had nine
 * points five hours on, and its test waited for them; an onset is placed
 * on every other bucket, and its line must hold four): its line is
 * tested again on a finer scale, the same floor cut finer, less the same
 * explanation's bounded part (timed from x0, the window's first point):
 * the finest scale whose buckets hold a few samples and whose ring holds
 * the regime from start_s to end_s and as long again before it (or from
 * x0), where an onset is placed again.  Sets f, and the points tested
 * (t->xf[*i0p], and *np of them from there); false where no scale holds
 * the regime. */
static bool
trend_regime_fine(struct trend *t, enum models_kind kind, double x0,
		  double start_s, double end_s, struct trend_fit *f,
		  size_t *i0p, size_t *np)
{
	size_t n, i0;
	int k;

	for (k = 0; k < TREND_SCALES && t->scale[k].width_s < t->ev.bucket_s;
	     k++) {
		if (t->scale[k].width_s < TREND_FINE_SAMPLES * t->interval_s)
			continue;
		n = trend_scale_points(&t->scale[k], t->xf, t->yf, NULL,
				       TREND_RING);
		if (n == 0 || t->xf[0] > fmax(x0, start_s - (end_s - start_s)))
			continue;
		if (kind == MODELS_ONSET) {
			models_growth_part(&t->models, kind, x0, t->xf, t->yf,
					   n, t->rf);
			i0 = models_onset_at(t->xf, t->rf, n, TREND_SEG_MIN);
		} else {
			for (i0 = 0; i0 < n && t->xf[i0] < start_s; i0++)
				;
		}
		if (i0 + TREND_SEG_MIN > n)
			return false;
		models_growth_part(&t->models, kind, x0, t->xf + i0, t->yf + i0,
				   n - i0, t->rf);
		trend_fit(t, t->xf + i0, t->rf, n - i0, false, f);
		trend_fit_jumps(t, t->xf + i0, t->rf, n - i0, f);
		*i0p = i0;
		*np = n - i0;
		return true;
	}
	return false;
}

/* The evidence on the regime the explanation of kind names: its growth
 * part (less a cycle and a start-up's decay) from where it starts,
 * through the robust statistics.  On an envelope under a cycle of
 * trough_s (else 0), where that test does not find the trend, its
 * troughs (trend_troughs), when there are enough, are tested too, and
 * the more significant test is the regime's (as with trend_fit_jumps:
 * a teeth's period the floor bucket holds many of is measured too
 * coarsely to thin by, and the test on every point is then the
 * stronger).  So is a late regime's, tested on a finer scale too
 * (trend_regime_fine), from where it starts there.  Returns the first
 * point's index in the window; ev->start_s is where the regime starts
 * (and ev->end_s where it ends, on a finer scale). */
static size_t
trend_regime(struct trend *t, enum models_kind kind, const double *x,
	     const double *y, size_t n, double trough_s, struct trend_fit *f)
{
	struct trend_evidence *ev = &t->ev;
	const struct models_fit *m = models_judged(&t->models, kind);
	double day_kb = 0, start_s, end_s = x[n - 1];
	bool day_out = false;
	size_t i0 = 0, nt;

	while (i0 < n && x[i0] < m->start_s)
		i0++;
	if (n - i0 < TREND_SEG_MIN)
		i0 = n > TREND_SEG_MIN ? n - TREND_SEG_MIN : 0;
	models_growth_part(&t->models, kind, x[0], x, y, n, t->raw);
	/* A daily swing the explanation left in (the periodic search,
	 * which fits a cycle jointly with a line, lost it in a late
	 * leak's bend or its jumps) is taken out of a regime that spans
	 * a day: a trend test reads it as noise with a long memory.  It
	 * is the cycle the verdict names, when no other was found. */
	if (t->daily && !m->cycle && m != &t->models.swing &&
	    x[n - 1] - x[i0] >= TREND_DAY_S)
		day_out = models_daily_out(t->work, x + i0, t->raw + i0, n - i0,
					   &day_kb);
	trend_fit(t, x + i0, t->raw + i0, n - i0, false, f);
	trend_fit_jumps(t, x + i0, t->raw + i0, n - i0, f);
	start_s = x[i0];
	t->fine_n = 0;
	if (trough_s == 0 && !day_out && m->start_s > x[0]) {
		struct trend_fit ff;
		size_t fi0, fn;

		if (trend_regime_fine(t, kind, x[0], m->start_s, x[n - 1], &ff,
				      &fi0, &fn) &&
		    ff.p < f->p) {
			t->fine_i0 = fi0;
			t->fine_n = fn;
			start_s = t->xf[fi0];
			end_s = t->xf[fi0 + fn - 1];
			*f = ff;
		}
	}
	nt = trend_troughs(t, x, n, i0, trough_s);
	if (f->p >= TREND_ALPHA && nt >= TREND_SEG_MIN) {
		struct trend_fit ft;

		trend_fit(t, t->xs, t->ys, nt, true, &ft);
		trend_fit_jumps(t, t->xs, t->ys, nt, &ft);
		/* Its line anchored, as the regime's, at x[i0]. */
		ft.intercept -= ft.slope * (t->xs[0] - x[i0]);
		if (ft.p < f->p)
			*f = ft;
	}
	ev->slope = f->slope * 3600;
	ev->slope_lo = f->lo * 3600;
	ev->slope_hi = f->hi * 3600;
	ev->p_value = f->p;
	ev->start_s = start_s;
	if (t->fine_n > 0)
		ev->end_s = end_s;
	ev->floor_start_kb = f->intercept;
	ev->floor_end_kb = f->intercept + f->slope * (end_s - start_s);
	if (day_out && ev->cycle_period_s == 0) {
		ev->cycle_period_s = TREND_DAY_S;
		ev->cycle_kb = day_kb;
	}
	ev->deseasonalized = m->cycle || m == &t->models.swing ||
			     (day_out && ev->cycle_period_s == TREND_DAY_S);
	return i0;
}

/* Why a window the growth does not win is what it is: the bounded
 * explanation that fits best, in words.  A daily cycle is waited on
 * only for a floor that rose significantly (rose): one that did not is
 * flat, as under any other explanation -- it was told as "rising -3.27
 * MiB/h, but a daily cycle could rise that much". */
static enum trend_why
trend_bounded_why(struct trend *t, bool rose)
{
	const struct models_result *r = &t->models;
	struct trend_evidence *ev = &t->ev;
	const struct models_fit *b = &r->fit[r->best_bounded];

	switch (r->best_bounded) {
	case MODELS_STEP:
		ev->step_kb = b->step_kb;
		ev->step_at_s = b->step_at_s;
		return TREND_WHY_STEP;
	case MODELS_WARMUP:
		if (b->exp_kb < 0 && b->plateau_kb > ev->floor_start_kb)
			return TREND_WHY_SATURATING;
		break;
	case MODELS_DAILY:
		/* Flat: the cycle found with it, if any, is not the one
		 * ev->cycle_kb holds now (the day's). */
		return rose ? TREND_WHY_CYCLE : TREND_WHY_FLAT;
	case MODELS_WANDER:
		return TREND_WHY_WANDER;
	default:
		break;
	}
	if (b->cycle)
		return TREND_WHY_PERIODIC;
	return TREND_WHY_FLAT;
}

/* Samples in the floor buckets from index i0 on. */
static unsigned long
trend_samples_from(const struct trend *t, size_t i0, size_t n)
{
	unsigned long s = 0;
	size_t i;

	for (i = i0; i < n; i++)
		s += t->counts[i];
	return s;
}

/* The lower envelope of the floor points under a cycle of period p_s:
 * at each point from one period in, the least floor over the period
 * before it (the points, in place; returns how many are left).  A GC
 * sawtooth's teeth and a batch job's episodes are then gone, and what is
 * left is the floor the cycle returns to: a leak under it still rises,
 * a flat floor stays flat.  Two harmonics of a sawtooth or of a batch
 * trapezoid leave half its spread behind.  Too few points left: n, the
 * points untouched. */
static size_t
trend_envelope(struct trend *t, size_t n, double p_s)
{
	size_t i, j, i0 = 0, m = 0;
	double lo;

	while (i0 < n && t->x[i0] - t->x[0] < p_s)
		i0++;
	if (n - i0 < TREND_MIN_POINTS)
		return n;
	for (i = i0; i < n; i++) {
		lo = t->y[i];
		for (j = i; j-- > 0 && t->x[i] - t->x[j] <= p_s;)
			lo = fmin(lo, t->y[j]);
		t->tmp[m++] = lo;
	}
	for (i = 0; i < m; i++) {
		t->x[i] = t->x[i0 + i];
		t->y[i] = t->tmp[i];
		t->counts[i] = t->counts[i0 + i];
	}
	return m;
}

/* The spacing of the comb of levels a sawtooth sampled near a multiple
 * of its period leaves its samples on: the widest gap between two
 * consecutive values in the lower half of a part of the last samples
 * (the finest scale holds one a bucket), least over the parts, so that
 * a start-up's or a burst's spread in one part does not count.  A
 * floor bucket's least sample is on the lowest level of the comb,
 * anywhere up to this above the teeth's trough, and moves by as much
 * as the comb drifts along them; samples not on a comb (teeth sampled
 * at many phases, a flat floor and its noise) give a spacing of the
 * noise.  0: too few samples, or a spacing under half the least rise
 * a flag needs over the latest floor, level (no drift within it could
 * be flagged: a comb of the noise). */
static double
trend_comb_kb(struct trend *t, double level)
{
	size_t n =
	    trend_scale_points(&t->scale[0], t->raw, t->tmp, NULL, TREND_RING);
	size_t m = n / TREND_COMB_PARTS, p, i;
	double least = INFINITY, gap, *v;

	if (m < TREND_MIN_POINTS)
		return 0;
	for (p = 0; p < TREND_COMB_PARTS; p++) {
		v = t->tmp + p * m;
		qsort(v, m, sizeof *v, trend_cmp);
		for (gap = 0, i = 1; i < m / 2; i++)
			gap = fmax(gap, v[i] - v[i - 1]);
		least = fmin(least, gap);
	}
	if (2 * least <
	    fmax(TREND_MIN_RISE_KB, TREND_MIN_RISE_REL * fabs(level)))
		return 0;
	return least;
}

/* Whether the floor, now, is above where it stood, then, by more than
 * a rise the flag would need. */
static bool
trend_above(double now_kb, double then_kb)
{
	return now_kb > then_kb + fmax(TREND_MIN_RISE_KB,
				       TREND_MIN_RISE_REL * fabs(then_kb));
}

/* Times a sawtooth's drops: a fall deeper than TREND_DROP_RISES usual
 * rises and than a rise a flag needs. */
static void
trend_drop_add(struct trend *t, double t_s, double v)
{
	double d = v - t->prev_v;

	if (d > 0) {
		t->rise_kb = t->rise_kb > 0 ? 0.95 * t->rise_kb + 0.05 * d : d;
		return;
	}
	if (!(t->rise_kb > 0) || -d < TREND_DROP_RISES * t->rise_kb ||
	    -d < fmax(TREND_MIN_RISE_KB, TREND_MIN_RISE_REL * fabs(v)))
		return;
	t->drop_s[t->drops % TREND_DROPS] = t_s;
	t->drop_kb[t->drops % TREND_DROPS] = -d;
	t->drops++;
}

/* The teeth's period, by their drops: the longest gap between the
 * latest drops, when there are at least four, alike (the longest under
 * twice the shortest) and still coming (the last within that gap of
 * the last sample); *amp_kb half their mean depth.  0: no teeth. */
static double
trend_teeth_s(const struct trend *t, double *amp_kb)
{
	unsigned int n = t->drops < TREND_DROPS ? t->drops : TREND_DROPS, i;
	double lo = INFINITY, hi = 0, gap, depth = 0, last;

	*amp_kb = 0;
	if (n < 4)
		return 0;
	last = t->drop_s[(t->drops - 1) % TREND_DROPS];
	for (i = 1; i < n; i++) {
		gap = t->drop_s[(t->drops - i) % TREND_DROPS] -
		      t->drop_s[(t->drops - i - 1) % TREND_DROPS];
		lo = fmin(lo, gap);
		hi = fmax(hi, gap);
	}
	for (i = 0; i < n; i++)
		depth += t->drop_kb[i];
	if (hi > 2 * lo || t->ev.last_s - last > hi)
		return 0;
	*amp_kb = depth / n / 2;
	return hi;
}

/* What the explanations may be in this context (models.h), the latest
 * floor point at level. */
static struct models_opts
trend_models_opts(struct trend *t, double level)
{
	struct models_opts opts = {
	    .daily = t->daily,
	    .daily_amp = TREND_CYCLE_AMP,
	    .tau_cap = TREND_TAU_CAP,
	    .tau_max_s = t->daily ? TREND_TAU_MAX_S : TREND_CI_TAU_MAX_S,
	    .wander_amp = t->daily ? TREND_WANDER : TREND_CI_WANDER,
	    .alias_kb = trend_comb_kb(t, level),
	};

	return opts;
}

/* Point j of the floor points 0 .. n - 1 (x, y) gone on as their regime
 * from i0 went: past the last, the regime's points again, each moved on
 * by a whole number of the regime's spans (with its usual spacing d
 * between the repeats) and raised by slope times that time -- its
 * noise, jumps and teeth as they were. */
static void
trend_projected(const double *x, const double *y, size_t n, size_t i0, double d,
		double slope, size_t j, double *px, double *py)
{
	size_t m = n - i0, q;
	double moved;

	if (j < n) {
		*px = x[j];
		*py = y[j];
		return;
	}
	q = j - n;
	moved = (double)(q / m + 1) * (x[n - 1] - x[i0] + d);
	*px = x[i0 + q % m] + moved;
	*py = y[i0 + q % m] + slope * moved;
}

/* How much longer an undecided rise must go on as it has for growth to
 * beat every bounded explanation decisively: the window's n points
 * (t->x, t->y) with their regime from i0 gone on at slope per second
 * (trend_projected), judged again as the floor would hold them then --
 * while there are more than the ring holds, two points merged into one,
 * the lesser, as the buckets double.  Tried for an eighth of the window
 * more, doubling up to four windows more; the first that growth wins is
 * returned, 0 when none is (or the rise is none).  A horizon, not a
 * promise: the rise must go on like this, and pass the other tests too
 * (significance, rate, how long it rose, persistence). */
static double
trend_undecided_need(struct trend *t, const struct models_opts *opts, size_t n,
		     size_t i0, double slope)
{
	double px[MODELS_MAX_POINTS], py[MODELS_MAX_POINTS];
	double span = t->x[n - 1] - t->x[0], d, add, ax, ay, lo, sx;
	size_t total, merge, i, j, np;
	struct models_result r;
	enum models_kind g;

	if (n < TREND_MIN_POINTS || n - i0 < TREND_SEG_MIN || !(slope > 0) ||
	    !(span > 0))
		return 0;
	d = (t->x[n - 1] - t->x[i0]) / (double)(n - i0 - 1);
	if (!(d > 0))
		return 0;
	for (add = span / 8; add <= 4 * span; add *= 2) {
		total = n + (size_t)(add / d);
		for (merge = 1; (total + merge - 1) / merge > MODELS_MAX_POINTS;
		     merge *= 2)
			;
		for (np = 0, i = 0; i < total; i += merge, np++) {
			lo = INFINITY;
			sx = 0;
			for (j = i; j < i + merge && j < total; j++) {
				trend_projected(t->x, t->y, n, i0, d, slope, j,
						&ax, &ay);
				lo = fmin(lo, ay);
				sx += ax;
			}
			px[np] = sx / (double)(j - i);
			py[np] = lo;
		}
		models_compare(t->work, px, py, np, opts, &r);
		g = r.best_growth;
		if (g != MODELS_KINDS && models_is_growth(r.best) &&
		    r.fit[r.best_bounded].bic - r.fit[g].bic >= TREND_DECISIVE)
			return add;
	}
	return 0;
}

/* Span needed, beyond span_s, before a rise whose interval excludes
 * zero but whose test is not yet significant would be, if it goes on as
 * it has: a trend's z grows as the span to the power 3/2 (its slope's
 * error falls as span^-3/2 at a steady rate of samples, and as much
 * under autocorrelated noise once the span is many of its time
 * constants).  0 when the test does not point up at all. */
static double
trend_unsure_need(const struct trend_fit *f, double span_s)
{
	if (!(f->z > 0) || !(span_s > 0))
		return 0;
	if (f->z >= TREND_Z_ALPHA)
		return 0;
	return span_s * (pow(TREND_Z_ALPHA / f->z, 2.0 / 3) - 1);
}

/* Judges the window: every explanation fitted, then growth must beat
 * the best bounded one decisively, be significant on its own regime,
 * fast enough, and have lasted longer than a start-up could.  Under a
 * cycle wider than two floor points and seen twice the envelope is
 * judged (*np is then its length); a day seen once is left to the
 * harmonics, which fit it well. */
static enum trend_why
trend_judge(struct trend *t, size_t *np)
{
	struct trend_evidence *ev = &t->ev;
	struct models_result *r = &t->models;
	struct models_opts opts = trend_models_opts(t, t->y[*np - 1]);
	enum models_kind g;
	struct trend_fit f;
	enum trend_why why;
	double span, rise_lo, min_rate, mid, recent, need;
	unsigned long samples;
	size_t i0, m, last, n = *np;
	const double *x = t->x, *y = t->y, *at;
	double period_s, cycle_kb, teeth_s, teeth_kb = 0;
	bool envelope = false;

	models_compare(t->work, x, y, n, &opts, r);
	period_s = r->period_s;
	cycle_kb = r->cycle_amp_kb;
	/* Teeth longer than a bucket leave buckets with no trough, which
	 * the periodogram of the floor cannot untangle: their period by
	 * their drops, when the floor found none as long.  Not where a
	 * daily cycle is possible: a day's swing on that envelope's steps
	 * lost to a line from an onset (a flat sawtooth of 11 min under a
	 * swing of +-5.9 % was flagged at 7.8 h), as the swing is not
	 * fitted on an envelope (models_fit_swing). */
	teeth_s = t->daily ? 0 : trend_teeth_s(t, &teeth_kb);
	if (teeth_s > ev->bucket_s && teeth_s > period_s) {
		period_s = teeth_s;
		cycle_kb = teeth_kb;
	}
	if ((period_s >= 2 * ev->bucket_s ||
	     (teeth_s > 0 && period_s == teeth_s)) &&
	    !(t->daily && period_s == TREND_DAY_S) &&
	    2 * period_s <= x[n - 1] - x[0] &&
	    (m = trend_envelope(t, n, period_s)) < n) {
		*np = n = m;
		envelope = opts.envelope = true;
		models_compare(t->work, x, y, n, &opts, r);
	}
	g = r->best_growth;
	ev->explanation = r->best;
	ev->runner_up = models_is_growth(r->best) ? r->best_bounded : g;
	ev->level_kb = r->level_kb;
	ev->cycle_period_s = period_s;
	ev->cycle_kb = cycle_kb;
	ev->step_kb = 0;
	ev->step_at_s = NAN;
	ev->plateau_kb = r->fit[MODELS_WARMUP].plateau_kb;
	ev->tau_s = r->fit[MODELS_WARMUP].tau_s;
	ev->delta_bic = g == MODELS_KINDS
			    ? -INFINITY
			    : r->fit[r->best_bounded].bic - r->fit[g].bic;
	if (r->best_bounded == MODELS_DAILY)
		ev->cycle_kb = r->fit[MODELS_DAILY].amp_kb;

	i0 = trend_regime(t, g == MODELS_KINDS ? MODELS_LINEAR : g, x, y, n,
			  envelope ? period_s : 0, &f);
	/* The cycle is named where it was taken out: from the points (an
	 * envelope), by the regime's explanation, or by the best one (a
	 * level under a daily cycle, which is not enveloped). */
	ev->deseasonalized |= envelope || r->fit[r->best].cycle;
	/* The daily swing a growing floor is judged without, when no other
	 * cycle is found, is the cycle the verdict names. */
	if (models_is_growth(r->best) && models_judged(r, g) == &r->swing &&
	    period_s == 0) {
		ev->cycle_period_s = TREND_DAY_S;
		ev->cycle_kb = r->swing.amp_kb;
	}
	/* So is a daily cycle that explains the window best (its
	 * amplitude is ev->cycle_kb already). */
	if (r->best == MODELS_DAILY && ev->cycle_period_s == 0)
		ev->cycle_period_s = TREND_DAY_S;
	span = (t->fine_n > 0 ? ev->end_s : x[n - 1]) - ev->start_s;
	/* Receded: the recent floor is back below the regime line's
	 * middle.  Under a line with an episode the floor itself, and
	 * before the trend's test: taking the episode out must hide
	 * neither the floor's fall nor the trend it leaves (memory freed
	 * at once is not an episode); by a rise the flag would need, so
	 * that a level's noise is not a fall.  The recent floor: the
	 * latest eighth of the regime's points (3 at least), on the scale
	 * its line was tested on. */
	if (t->fine_n > 0) {
		at = g == MODELS_LINEAR_EPISODE ? t->yf + t->fine_i0 : t->rf;
		m = t->fine_n;
	} else {
		at = (g == MODELS_LINEAR_EPISODE ? y : t->raw) + i0;
		m = n - i0;
	}
	last = m / 8 > 3 ? m / 8 : 3;
	memcpy(t->tmp, at + m - last, last * sizeof *y);
	recent = trend_median(t->tmp, last);
	mid = f.intercept + f.slope * span / 2;
	if (g == MODELS_LINEAR_EPISODE && trend_above(mid, recent))
		return TREND_WHY_RECEDED;
	min_rate = fmax(TREND_MIN_KB_H, TREND_MIN_REL_H * fabs(ev->level_kb));
	if (f.p >= TREND_ALPHA) {
		if (trend_normal_sf(-f.z) < TREND_ALPHA)
			return TREND_WHY_FALLING;
		why = trend_bounded_why(t, false);
		/* A rise whose interval is above zero and the least rate
		 * but whose test is not significant yet is not stable (a
		 * leak read "stable ... no trend (slope 254 MiB/h (95% CI
		 * 91.4-402))"): under a level or a wander, or under any
		 * bounded explanation that does not lead decisively (six
		 * rising troughs under GC teeth, p at best 1/6!, read
		 * "levelling off" while a line led the warm-up by 167 in
		 * BIC), it is unsure, with the span it needs. */
		if ((why == TREND_WHY_FLAT || why == TREND_WHY_WANDER ||
		     ev->delta_bic > -TREND_DECISIVE) &&
		    ev->slope_lo > 0 && ev->slope_hi >= min_rate) {
			ev->need_s = trend_unsure_need(&f, span);
			return TREND_WHY_UNSURE;
		}
		return why;
	}
	if (recent < mid)
		return TREND_WHY_RECEDED;
	if (ev->delta_bic < TREND_DECISIVE) {
		/* A bounded explanation ahead, or growth ahead of one by
		 * less than decisively; a daily cycle either way is waited
		 * on for as long as the rise needs to beat one. */
		why = models_is_growth(r->best) ? TREND_WHY_AMBIGUOUS
						: trend_bounded_why(t, true);
		/* A significant rise that a bounded explanation leads by
		 * less than decisively is undecided too, not that
		 * explanation's stable (a leak under aliased teeth read "no
		 * significant trend ... p < 1e-9", and one a step led by
		 * 2.6 "a step, not a leak"). */
		if (why != TREND_WHY_CYCLE && ev->delta_bic > -TREND_DECISIVE)
			why = TREND_WHY_AMBIGUOUS;
		if (why == TREND_WHY_CYCLE ||
		    (why == TREND_WHY_AMBIGUOUS &&
		     r->best_bounded == MODELS_DAILY)) {
			ev->need_s = trend_cycle_need(ev->level_kb,
						      x[n - 1] - x[0], f.lo);
			return TREND_WHY_CYCLE;
		}
		if (why != TREND_WHY_AMBIGUOUS)
			return why;
		if (!(t->undecided_s - ev->last_s >= ev->bucket_s) ||
		    t->undecided_runner != ev->runner_up) {
			need = trend_undecided_need(t, &opts, n, i0, f.slope);
			t->undecided_found = need > 0;
			t->undecided_runner = ev->runner_up;
			t->undecided_s =
			    ev->last_s +
			    (need > 0 ? need : (x[n - 1] - x[0]) / 8);
		}
		ev->need_s =
		    t->undecided_found ? t->undecided_s - ev->last_s : 0;
		return TREND_WHY_AMBIGUOUS;
	}

	rise_lo = f.lo * span;
	if (ev->slope_lo < min_rate ||
	    rise_lo < fmax(TREND_MIN_RISE_KB,
			   TREND_MIN_RISE_REL * fabs(ev->floor_start_kb)))
		return TREND_WHY_SLOW;
	/* Longer than a start-up or a GC's first tooth could rise: a
	 * test run's few minutes and samples, a server's half hour (or
	 * the floor doubled). */
	samples = trend_samples_from(t, i0, n);
	if (!t->daily) {
		need = fmax(TREND_CI_SPAN_S - span,
			    (double)(TREND_CI_SAMPLES -
				     (long)fmin(samples, TREND_CI_SAMPLES)) *
				t->interval_s);
	} else {
		need = TREND_MIN_SPAN_S - span;
	}
	if (need > 0) {
		ev->need_s = need;
		return TREND_WHY_SHORT;
	}
	return TREND_WHY_GROWING;
}

/* Records a raise or a withdrawal of the flag: the latest TREND_FLAGS
 * are kept. */
static void
trend_flag_set(struct trend *t, bool up)
{
	struct trend_evidence *ev = &t->ev;
	struct trend_flag *fl;

	t->flag = up;
	if (up) {
		ev->raises++;
		if (isnan(ev->detected_at_s))
			ev->detected_at_s = ev->last_s;
		fl = &ev->flags[ev->nflags++ % TREND_FLAGS];
		fl->raised_s = ev->last_s;
		fl->withdrawn_s = NAN;
	} else if (ev->nflags > 0) {
		ev->flags[(ev->nflags - 1) % TREND_FLAGS].withdrawn_s =
		    ev->last_s;
	}
}

/* The median of the latest eighth (at least 3) of the n floor points. */
static double
trend_recent_kb(struct trend *t, size_t n)
{
	size_t m = n / 8 > 3 ? n / 8 : 3;

	if (m > n)
		m = n;
	memcpy(t->tmp, t->y + n - m, m * sizeof *t->y);
	return trend_median(t->tmp, m);
}

/* Whether the floor points since the flag went up bound the growth: the
 * evidence a withdrawal needs besides the window's, which spans what
 * came before the raise too, so that a batch job's end, one step in a
 * leak's floor or a change of bucket width, which move the window's
 * judgement, do not lower a flag on a leak that rises on since.  They
 * bound it when a bounded explanation other than the daily cycle wins
 * decisively over them as well (a daily cycle at its bound explains a
 * few hours of any slow leak, so it bounds nothing on its own), when
 * no growth explanation rises there, or when the growth part
 * of the best one rises, at the top of its 95 % interval, slower than a
 * flag needs -- once they span as long as a rise must last to raise the
 * flag (a server's half hour; a test run's 90 s and 90 samples): a fall
 * shorter than that, a job's end or a step down, is what a leak shows
 * too, and bounds nothing.  So once the floor has risen above below_kb,
 * where it stood at the raise, and fallen back, the points from the fall
 * on must bound it, over that span again: what rose before a job's end
 * or a step down, judged with the drop, fits no growth, but a leak rises
 * again after it.  The n points judged are in t->x and t->y; t->raw and
 * t->tmp are used. */
static bool
trend_bounded_since(struct trend *t, size_t n, double below_kb)
{
	struct models_result r;
	struct models_opts opts;
	struct trend_fit f;
	enum models_kind g, k;
	const double *x, *y;
	size_t i0 = 0, i, j = 0, m;

	while (i0 < n && t->x[i0] < t->raise_s)
		i0++;
	/* From the fall on: after the last point above where the flag went
	 * up (by more than a rise the flag needs, as a floor that stands
	 * above it keeps the flag up; one within that is no fall). */
	for (i = n; i > i0 && !trend_above(t->y[i - 1], below_kb); i--)
		;
	i0 = i;
	m = n - i0;
	if (m < TREND_MIN_POINTS)
		return false;
	if (t->daily ? t->x[n - 1] - t->x[i0] < TREND_MIN_SPAN_S
		     : t->x[n - 1] - t->x[i0] < TREND_CI_SPAN_S ||
			   trend_samples_from(t, i0, n) < TREND_CI_SAMPLES)
		return false;
	x = t->x + i0;
	y = t->y + i0;
	opts = trend_models_opts(t, y[m - 1]);
	models_compare(t->work, x, y, m, &opts, &r);
	g = r.best_growth;
	if (g == MODELS_KINDS)
		return true;
	for (k = 0; k < MODELS_KINDS; k++)
		if (k != MODELS_DAILY && !models_is_growth(k) &&
		    r.fit[k].valid &&
		    r.fit[g].bic - r.fit[k].bic >= TREND_DECISIVE)
			return true;
	models_growth_part(&r, g, x[0], x, y, m, t->raw);
	while (j + TREND_SEG_MIN < m && x[j] < models_judged(&r, g)->start_s)
		j++;
	trend_fit(t, x + j, t->raw + j, m - j, false, &f);
	return f.hi * 3600 <
	       fmax(TREND_MIN_KB_H, TREND_MIN_REL_H * fabs(t->ev.level_kb));
}

/* Whether runs evaluations in a row since since_s are evidence enough
 * to raise or to lower the flag: at least need of them, over at least
 * a tenth of the regime before since_s (an hour at most). */
static bool
trend_persisted(const struct trend *t, unsigned int runs, unsigned int need,
		double since_s)
{
	const struct trend_evidence *ev = &t->ev;

	return runs >= need &&
	       ev->last_s - since_s >=
		   fmin(TREND_PERSIST_MAX_S,
			TREND_PERSIST_FRAC * (since_s - ev->start_s));
}

static void
trend_evaluate(struct trend *t, int k)
{
	struct trend_evidence *ev = &t->ev;
	enum trend_why why;
	double recent, recent_env;
	size_t n, judged;

	ev->evaluations++;
	ev->need_s = 0;
	ev->need_samples = 0;
	n = trend_scale_points(&t->scale[k], t->x, t->y, t->counts, TREND_RING);
	ev->points = n;
	ev->bucket_s = t->scale[k].width_s;
	ev->start_s = n > 0 ? t->x[0] : NAN;
	ev->end_s = n > 0 ? t->x[n - 1] : NAN;
	/* Of the floor itself, before a cycle's envelope (which lags it)
	 * replaces the points judged; and of the envelope when one is
	 * judged, where the cycle returns to (below). */
	recent = n > 0 ? trend_recent_kb(t, n) : NAN;
	recent_env = recent;
	judged = n;
	if (ev->samples < TREND_MIN_SAMPLES || n < TREND_MIN_POINTS) {
		ev->need_samples = ev->samples < TREND_MIN_SAMPLES
				       ? TREND_MIN_SAMPLES - ev->samples
				       : 0;
		if (n < TREND_MIN_POINTS &&
		    ev->need_samples < TREND_MIN_POINTS - n)
			ev->need_samples = TREND_MIN_POINTS - n;
		why = TREND_WHY_FEW;
	} else {
		why = trend_judge(t, &judged);
		if (judged < n)
			recent_env = trend_recent_kb(t, judged);
	}
	if (why != TREND_WHY_AMBIGUOUS)
		t->undecided_s = NAN;

	if (why == TREND_WHY_GROWING) {
		t->fail_run = 0;
		if (t->pass_run++ == 0)
			t->pass_since_s = ev->last_s;
		if (!t->flag && trend_persisted(t, t->pass_run, TREND_PERSIST,
						t->pass_since_s)) {
			trend_flag_set(t, true);
			t->raise_kb = recent;
			t->raise_env_kb = recent_env;
			t->raise_s = ev->last_s;
		}
	} else {
		t->pass_run = 0;
		/* A flag stands while the floor, or the lower envelope of
		 * its cycle, is above where it stood when the flag went up
		 * (a flag raised at a batch episode's top or a tooth's
		 * peak has the floor fall back while the envelope rises);
		 * else until the floor falls back,
		 * or a bounded explanation wins decisively for a while: a
		 * change of bucket width, one step in a leaking program's
		 * floor, the end of a batch job's episode, or a daily cycle
		 * that could have risen as much by now must not withdraw it
		 * while memory keeps growing.  A bounded explanation lowers
		 * it on evidence as persistent as what raised it, and a
		 * fall or a bounded explanation only when the points since
		 * the raise bound the growth too. */
		if (!t->flag)
			;
		else if (trend_above(recent, t->raise_kb) ||
			 trend_above(recent_env, t->raise_env_kb))
			;
		else if (why != TREND_WHY_RECEDED && why != TREND_WHY_FALLING &&
			 ev->delta_bic > -TREND_DECISIVE)
			t->fail_run = 0;
		else if (!trend_bounded_since(t, judged,
					      judged < n ? t->raise_env_kb
							 : t->raise_kb))
			t->fail_run = 0;
		else if (why == TREND_WHY_RECEDED || why == TREND_WHY_FALLING)
			trend_flag_set(t, false);
		else if (t->fail_run++ == 0)
			t->fail_since_s = ev->last_s;
		else if (trend_persisted(t, t->fail_run, TREND_WITHDRAW,
					 t->fail_since_s))
			trend_flag_set(t, false);
	}
	if (t->flag) {
		ev->verdict = TREND_GROWING;
		ev->why = TREND_WHY_GROWING;
	} else if (why == TREND_WHY_GROWING) {
		ev->verdict = TREND_INSUFFICIENT;
		ev->why = TREND_WHY_CONFIRMING;
	} else {
		ev->verdict = why == TREND_WHY_FEW || why == TREND_WHY_CYCLE ||
				      why == TREND_WHY_SHORT ||
				      why == TREND_WHY_AMBIGUOUS ||
				      why == TREND_WHY_UNSURE
				  ? TREND_INSUFFICIENT
				  : TREND_STABLE;
		ev->why = why;
	}
}

int
trend_add(struct trend *t, double t_s, double v)
{
	struct trend_evidence *ev = &t->ev;
	double dt;
	bool same;
	int k;

	if (isnan(v) || isnan(t_s))
		return 0;
	if (ev->samples > 0 && !(t_s > ev->last_s))
		return -EINVAL;
	if (ev->samples == 0) {
		ev->first_s = t_s;
	} else {
		dt = t_s - ev->last_s;
		if (t->interval_s > 0 && ev->samples > 3 &&
		    dt > TREND_GAP * t->interval_s) {
			ev->gaps++;
			ev->gap_s += dt;
		} else {
			t->interval_s = t->interval_s > 0
					    ? 0.9 * t->interval_s + 0.1 * dt
					    : dt;
		}
	}
	/* The teeth's drops are only judged where no daily cycle is
	 * possible (trend_judge): not timed elsewhere. */
	if (!t->daily && ev->samples > 0)
		trend_drop_add(t, t_s, v);
	t->prev_v = v;
	ev->last_s = t_s;
	ev->samples++;
	if (ev->why == TREND_WHY_FEW && ev->samples < TREND_MIN_SAMPLES)
		ev->need_samples = TREND_MIN_SAMPLES - ev->samples;
	for (k = 0, same = false; k < TREND_SCALES; k++)
		same = trend_scale_add(&t->scale[k], t_s, v, same);
	k = trend_pick_scale(t);
	if (t->scale[k].closed)
		trend_evaluate(t, k);
	return 0;
}
