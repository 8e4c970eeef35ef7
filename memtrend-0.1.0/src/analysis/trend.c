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

#include "analysis/trend.h"
#include "util/xmalloc.h"

#define TREND_SCALES 20
#define TREND_RING 128			/* floor buckets kept per scale */
#define TREND_BASE_S (1.0 / 64)		/* scale k holds buckets of 2^k x this */
#define TREND_PAIRS (TREND_RING * (TREND_RING - 1) / 2)

#define TREND_Z95 1.959963984540054	/* two-sided 95 % normal quantile */
#define TREND_MIN_SAMPLES 30
#define TREND_MIN_POINTS 12
#define TREND_ALPHA 1e-4		/* one-sided p needed for growth */
#define TREND_MIN_REL_H 0.002		/* slope floor: 0.2 % of the level/h */
#define TREND_MIN_KB_H 64.0		/* and 64 KiB/h */
#define TREND_MIN_RISE_KB 64.0		/* lower-bound rise over the window */
#define TREND_KEEP 0.5			/* last third vs the whole window */
#define TREND_STEADY 0.5		/* parabola's slope, last vs first third */
#define TREND_DECEL 1.5			/* slowing down by this many std errors */
#define TREND_DECEL_REL 0.2		/* ... and by this part of the first */
#define TREND_RECENT 4			/* finer scales judged as recent parts */
#define TREND_TAIL 1.5			/* rose this much faster before: a tail */
#define TREND_SEG_MIN 6			/* points for a segment to show a trend */
#define TREND_SEG_ALPHA 0.01
#define TREND_STEP_RSS 0.8		/* step model this much better: a step */
#define TREND_MIN_SPAN_S 1800.0		/* rising this long before a leak, */
#define TREND_SHORT_RISE 1.0		/* unless the floor rose this much */
#define TREND_DAY_S 86400.0
#define TREND_CYCLE_AMP 0.10		/* daily swing assumed possible: +-10 % */
#define TREND_PERSIST 3			/* passing evaluations to raise the flag */
#define TREND_PERSIST_FRAC 0.35		/* ... over this part of the time before */
#define TREND_PERSIST_MAX_S 3600.0	/* ... or this long */
#define TREND_WITHDRAW 3		/* failing ones to lower it */
#define TREND_QUIET 50.0		/* rise / residual range: no correction */
#define TREND_GAP 10.0			/* a pause of 10 usual intervals: a gap */

struct trend_bucket {
	int64_t index;
	double min;
	double t_first, t_last;
	unsigned int n;
};

struct trend_scale {
	double width_s;
	struct trend_bucket open;	/* being filled; n == 0: none yet */
	struct trend_bucket ring[TREND_RING];
	unsigned int head;		/* next slot to write */
	unsigned int count;
	bool closed;			/* a bucket closed at the last sample */
};

struct trend {
	struct trend_scale scale[TREND_SCALES];
	struct trend_evidence ev;
	double interval_s;		/* usual interval (moving average) */
	bool daily;			/* a daily cycle is possible */
	unsigned int pass_run, fail_run;
	double pass_since_s;		/* when the gates started to pass */
	bool flag;
	/* Work space for one evaluation. */
	double x[TREND_RING], y[TREND_RING], raw[TREND_RING];
	double before_x[TREND_RING], before_y[TREND_RING];
	double tmp[3 * TREND_RING];
	double pairs[TREND_PAIRS];
};

/* The result of the core statistics over one series. */
struct trend_fit {
	double slope, lo, hi;		/* per second */
	double intercept;
	double z, p;			/* one-sided, for growth */
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
	for (i = 1; i < n; i++) {	/* insertion sort: n is small */
		double cur = idx[i];

		for (j = i; j > 0 && v[(size_t)idx[j - 1]] > v[(size_t)cur];
		    j--)
			idx[j] = idx[j - 1];
		idx[j] = cur;
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n &&
		    v[(size_t)idx[j]] == v[(size_t)idx[i]]; j++)
			;
		r = (double)(i + 1 + j) / 2;	/* mean of ranks i+1 .. j */
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
trend_sen_interval(double *pairs, size_t m, double var_s, double z,
    double *lo, double *hi)
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

/* The whole test on one series: Sen slope, Hamed-Rao corrected
 * Mann-Kendall, the slope's interval with the same variance.  The
 * correction is never allowed below 1 (iid): a flag must not rest on
 * negative autocorrelation. */
static void
trend_fit(struct trend *t, const double *x, const double *y, size_t n,
    struct trend_fit *f)
{
	double s, var, factor;
	size_t m, i;

	m = trend_pair_slopes(x, y, n, t->pairs);
	f->slope = trend_median(t->pairs, m);
	s = trend_mk_s(y, n);
	var = trend_mk_var(y, n, t->tmp);
	factor = trend_hamed_rao(x, y, n, f->slope, t->tmp);
	factor = fmax(factor, trend_ar1_factor(x, y, n, f->slope, t->tmp));
	var *= fmax(1, factor);
	if (var <= 0)
		f->z = 0;
	else
		f->z = s > 0 ? (s - 1) / sqrt(var) : s < 0 ? (s + 1) / sqrt(var) :
		    0;
	f->p = trend_normal_sf(f->z);
	trend_sen_interval(t->pairs, m, var > 0 ? var : 0, TREND_Z95, &f->lo,
	    &f->hi);
	for (i = 0; i < n; i++)
		t->tmp[i] = y[i] - f->slope * (x[i] - x[0]);
	f->intercept = trend_median(t->tmp, n);
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
	return t;
}

void
trend_set_daily_cycle(struct trend *t, bool possible)
{
	t->daily = possible;
}

void
trend_free(struct trend *t)
{
	free(t);
}

const struct trend_evidence *
trend_evidence(const struct trend *t)
{
	return &t->ev;
}

static void
trend_scale_add(struct trend_scale *sc, double t_s, double v)
{
	int64_t index = (int64_t)floor(t_s / sc->width_s);
	struct trend_bucket *b = &sc->open;

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
	b->min = fmin(b->min, v);
	b->t_last = t_s;
	b->n++;
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
    size_t max)
{
	size_t i, n = sc->count < max ? sc->count : max;
	unsigned int at;

	for (i = 0; i < n; i++) {
		at = (sc->head + TREND_RING - (unsigned int)n + (unsigned int)i) %
		    TREND_RING;
		x[i] = (sc->ring[at].t_first + sc->ring[at].t_last) / 2;
		y[i] = sc->ring[at].min;
	}
	return n;
}

size_t
trend_floor(const struct trend *t, double *x, double *y, size_t max,
    double *bucket_s)
{
	int k = trend_pick_scale(t);

	*bucket_s = t->scale[k].width_s;
	return trend_scale_points(&t->scale[k], x, y, max);
}

/* ---- gates ------------------------------------------------------------ */

/* Removes a fitted 24-hour harmonic from y (least squares jointly with a
 * line, so the cycle cannot absorb the trend); returns its amplitude. */
static double
trend_deseasonalize(const double *x, double *y, size_t n)
{
	double a[4][5], w = 2 * M_PI / TREND_DAY_S, f[4], x0 = x[0], c, d;
	size_t i;
	int r, s, col, piv;

	memset(a, 0, sizeof a);
	for (i = 0; i < n; i++) {
		f[0] = 1;
		f[1] = (x[i] - x0) / TREND_DAY_S;
		f[2] = cos(w * (x[i] - x0));
		f[3] = sin(w * (x[i] - x0));
		for (r = 0; r < 4; r++) {
			for (s = 0; s < 4; s++)
				a[r][s] += f[r] * f[s];
			a[r][4] += f[r] * y[i];
		}
	}
	for (col = 0; col < 4; col++) {	/* Gauss-Jordan, partial pivoting */
		piv = col;
		for (r = col + 1; r < 4; r++)
			if (fabs(a[r][col]) > fabs(a[piv][col]))
				piv = r;
		if (fabs(a[piv][col]) < 1e-12)
			return 0;
		for (s = 0; s < 5; s++) {
			double v = a[col][s];

			a[col][s] = a[piv][s];
			a[piv][s] = v;
		}
		for (r = 0; r < 4; r++) {
			double m = a[r][col] / a[col][col];

			if (r == col)
				continue;
			for (s = col; s < 5; s++)
				a[r][s] -= m * a[col][s];
		}
	}
	c = a[2][4] / a[2][2];
	d = a[3][4] / a[3][3];
	for (i = 0; i < n; i++)
		y[i] -= c * cos(w * (x[i] - x0)) + d * sin(w * (x[i] - x0));
	return sqrt(c * c + d * d);
}

/* Residual sum of squares of a least-squares line over y[from..to). */
static double
trend_rss_line(const double *x, const double *y, size_t from, size_t to)
{
	double n = (double)(to - from), sx = 0, sy = 0, sxx = 0, sxy = 0;
	double syy = 0, vx, cxy;
	size_t i;

	for (i = from; i < to; i++) {
		sx += x[i];
		sy += y[i];
	}
	for (i = from; i < to; i++) {
		double dx = x[i] - sx / n, dy = y[i] - sy / n;

		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}
	vx = sxx;
	cxy = sxy;
	return vx > 0 ? syy - cxy * cxy / vx : syy;
}

/* One step, flat on both sides?  The best single mean shift must explain
 * the floor clearly better than a line, and neither side may show a
 * trend of its own. */
static bool
trend_is_step(struct trend *t, const double *x, const double *y, size_t n,
    double *step_kb, double *step_at_s)
{
	double total = 0, left = 0, best = -1, ssb, rss_step, mean, rss_line;
	double m1, m2, d;
	size_t k, at = 0, i;
	struct trend_fit f;

	for (i = 0; i < n; i++)
		total += y[i];
	for (k = 1; k < n; k++) {
		left += y[k - 1];
		m1 = left / (double)k;
		m2 = (total - left) / (double)(n - k);
		d = m2 - m1;
		ssb = (double)k * (double)(n - k) / (double)n * d * d;
		if (ssb > best) {
			best = ssb;
			at = k;
		}
	}
	mean = total / (double)n;
	rss_step = 0;
	for (i = 0; i < n; i++)
		rss_step += (y[i] - mean) * (y[i] - mean);
	rss_step -= best;
	rss_line = trend_rss_line(x, y, 0, n);
	left = 0;
	for (i = 0; i < at; i++)
		left += y[i];
	*step_kb = (total - left) / (double)(n - at) - left / (double)at;
	*step_at_s = (x[at - 1] + x[at]) / 2;
	if (rss_step > TREND_STEP_RSS * rss_line)
		return false;
	if (at >= TREND_SEG_MIN) {
		trend_fit(t, x, y, at, &f);
		if (f.p < TREND_SEG_ALPHA)
			return false;
	}
	if (n - at >= TREND_SEG_MIN) {
		trend_fit(t, x + at, y + at, n - at, &f);
		if (f.p < TREND_SEG_ALPHA)
			return false;
	}
	return true;
}

/* Levelling off by the whole window's curvature: a least-squares
 * parabola y = a + b u + c u^2 (u the time scaled to [-1, 1]) whose c is
 * negative at 95 % (its error from the residuals, widened for their
 * lag-1 autocorrelation) and whose slope at the last third's middle is
 * under TREND_STEADY of that at the first third's.  All the points
 * count, so this sees a warm-up's bend long before the thirds' own
 * slopes, each from a third of the points, can. */
static bool
trend_is_concave(struct trend *t, const double *x, const double *y,
    size_t n)
{
	double h = (x[n - 1] - x[0]) / 2, mid = x[0] + h, u;
	double a[3][4], m[5] = { 0 }, rss = 0, f, det, a0, b, c, var_c;
	double *res = t->tmp + 2 * TREND_RING;	/* ar1 uses the first two */
	size_t i;
	int r, k;

	if (n < 3 * TREND_SEG_MIN || h <= 0)
		return false;
	memset(a, 0, sizeof a);
	for (i = 0; i < n; i++) {
		u = (x[i] - mid) / h;
		for (k = 0, f = 1; k < 5; k++, f *= u)
			m[k] += f;
		a[0][3] += y[i];
		a[1][3] += u * y[i];
		a[2][3] += u * u * y[i];
	}
	for (r = 0; r < 3; r++)
		for (k = 0; k < 3; k++)
			a[r][k] = m[r + k];
	/* Cramer's rule for a0, b and c; (X'X)^-1 at [2][2] for c's
	 * variance. */
	det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
	    a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
	    a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
	if (fabs(det) < 1e-12)
		return false;
	a0 = (a[0][3] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
	    a[0][1] * (a[1][3] * a[2][2] - a[1][2] * a[2][3]) +
	    a[0][2] * (a[1][3] * a[2][1] - a[1][1] * a[2][3])) / det;
	b = (a[0][0] * (a[1][3] * a[2][2] - a[1][2] * a[2][3]) -
	    a[0][3] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
	    a[0][2] * (a[1][0] * a[2][3] - a[1][3] * a[2][0])) / det;
	c = (a[0][0] * (a[1][1] * a[2][3] - a[1][3] * a[2][1]) -
	    a[0][1] * (a[1][0] * a[2][3] - a[1][3] * a[2][0]) +
	    a[0][3] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])) / det;
	if (!(c < 0) || b + 4 * c / 3 >= TREND_STEADY * (b - 4 * c / 3))
		return false;
	for (i = 0; i < n; i++) {
		u = (x[i] - mid) / h;
		res[i] = y[i] - (a0 + b * u + c * u * u);
		rss += res[i] * res[i];
	}
	var_c = rss / (double)(n - 3) *
	    (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det *
	    trend_ar1_factor(x, res, n, 0, t->tmp);
	return c + TREND_Z95 * sqrt(var_c) < 0;
}

/* Still rising, not levelling off: the last third keeps up with the
 * whole window, the whole window does not bend down (above), and the
 * last third has not slowed from the first by both a material part
 * (TREND_DECEL_REL) and TREND_DECEL standard errors of the difference.
 * Noise alone must not read as levelling off: on a nearly noise-free
 * climb the errors shrink to nothing and a slope differing in the
 * fourth digit would; on a noisy one the thirds' point slopes often
 * differ by half. */
static bool
trend_is_saturating(struct trend *t, const double *x, const double *y,
    size_t n, double slope)
{
	size_t third = n / 3;
	struct trend_fit first, last;
	double se, drop;

	if (third < TREND_SEG_MIN)
		return false;
	trend_fit(t, x, y, third, &first);
	trend_fit(t, x + n - third, y + n - third, third, &last);

	if (last.hi < TREND_KEEP * slope || trend_is_concave(t, x, y, n))
		return true;
	/* Standard errors from the 95 % intervals. */
	se = hypot(first.hi - first.lo, last.hi - last.lo) / (2 * TREND_Z95);
	drop = first.slope - last.slope;
	return drop > fmax(TREND_DECEL_REL * first.slope, TREND_DECEL * se);
}

/* The most a daily cycle of +-TREND_CYCLE_AMP of level could rise over
 * a window of span_s, as the rise of the line fitted to it (slope times
 * span), which is what the cycle is compared with.  For A sin(wt + p)
 * seen over a span s, the least-squares slope times s is at most
 * 6 A (sin h - h cos h) / h^2 with h = w s / 2: 2 A h for a short span,
 * but 2.43 A over half a day and 2.62 A at most (h = 2.08, 16 h), more
 * than the 2 A between trough and crest. */
static double
trend_cycle_rise(double level, double span_s)
{
	double h = M_PI * span_s / TREND_DAY_S;

	if (h < 1e-6)
		return 2 * TREND_CYCLE_AMP * fabs(level) * h;
	return TREND_CYCLE_AMP * fabs(level) * 6 * (sin(h) - h * cos(h)) /
	    (h * h);
}

/* Span needed before a rise at slope_lo (per second) beats any daily
 * cycle, or before a whole day is seen and the cycle can be fitted. */
static double
trend_cycle_need(double level, double span_s, double slope_lo)
{
	double l;
	int i;

	for (i = 1; i <= 64; i++) {
		l = span_s + (TREND_DAY_S - span_s) * i / 64;
		if (slope_lo > 0 && slope_lo * l > trend_cycle_rise(level, l))
			return l - span_s;
	}
	return TREND_DAY_S - span_s;
}

static enum trend_why
trend_judge(struct trend *t, const double *x, double *y, size_t n)
{
	struct trend_evidence *ev = &t->ev;
	double span = x[n - 1] - x[0], mid, recent;
	double min_rate;
	struct trend_fit f;
	size_t m;

	memcpy(t->tmp, y, n * sizeof *y);
	ev->level_kb = trend_median(t->tmp, n);
	memcpy(t->raw, y, n * sizeof *y);
	ev->deseasonalized = span >= TREND_DAY_S;
	ev->cycle_kb = ev->deseasonalized ? trend_deseasonalize(x, y, n) : 0;

	trend_fit(t, x, y, n, &f);
	ev->slope = f.slope * 3600;
	ev->slope_lo = f.lo * 3600;
	ev->slope_hi = f.hi * 3600;
	ev->p_value = f.p;
	ev->floor_start_kb = f.intercept;
	ev->floor_end_kb = f.intercept + f.slope * span;
	ev->step_kb = 0;
	ev->step_at_s = NAN;

	if (f.p >= TREND_ALPHA)
		return trend_normal_sf(-f.z) < TREND_ALPHA ? TREND_WHY_FALLING :
		    TREND_WHY_FLAT;

	/* Receded: the recent floor is back below the line's middle. */
	m = n / 8 > 3 ? n / 8 : 3;
	memcpy(t->tmp, y + n - m, m * sizeof *y);
	recent = trend_median(t->tmp, m);
	mid = f.intercept + f.slope * span / 2;
	if (recent < mid)
		return TREND_WHY_RECEDED;

	if (trend_is_step(t, x, t->raw, n, &ev->step_kb, &ev->step_at_s))
		return TREND_WHY_STEP;
	if (trend_is_saturating(t, x, y, n, f.slope))
		return TREND_WHY_SATURATING;

	min_rate = fmax(TREND_MIN_KB_H, TREND_MIN_REL_H * fabs(ev->level_kb));
	if (ev->slope_lo < min_rate || f.lo * span < TREND_MIN_RISE_KB)
		return TREND_WHY_SLOW;
	/* A warm-up or the first tooth of a sawtooth rises like a leak for
	 * a while; a leak that doubles the floor needs no more watching. */
	if (span < TREND_MIN_SPAN_S && f.lo * span < TREND_SHORT_RISE *
	    fabs(f.intercept)) {
		ev->need_s = TREND_MIN_SPAN_S - span;
		return TREND_WHY_SHORT;
	}
	if (t->daily && !ev->deseasonalized &&
	    f.lo * span <= trend_cycle_rise(ev->level_kb, span)) {
		ev->need_s = trend_cycle_need(ev->level_kb, span, f.lo);
		return TREND_WHY_CYCLE;
	}
	return TREND_WHY_GROWING;
}

/* A leak that began late in the window: the line over the whole window
 * bends at the onset, so judge the recent parts on their own too: the
 * full rings of the finer scales, each covering half the one before.
 * The whole window's evidence stays unless one of them passes, the
 * floor before that part did not rise much faster (the tail of a
 * warm-up, whose curve the whole window's test cannot call), and the
 * recent part ends above every floor point before it. */
static enum trend_why
trend_judge_recent(struct trend *t, int k, enum trend_why why)
{
	struct trend_evidence whole = t->ev;
	const struct trend_scale *sc;
	struct trend_fit before;
	size_t m, nb, all, i;
	double slope, high, spread;
	int j;

	all = trend_scale_points(&t->scale[k], t->before_x, t->before_y,
	    TREND_RING);
	for (j = k - 1; j >= 0 && j >= k - TREND_RECENT; j--) {
		sc = &t->scale[j];
		if (sc->count < TREND_RING)
			break;
		m = trend_scale_points(sc, t->x, t->y, TREND_RING);
		if (trend_judge(t, t->x, t->y, m) == TREND_WHY_GROWING) {
			slope = t->ev.slope / 3600;
			for (nb = 0; nb < all && t->before_x[nb] < t->x[0]; nb++)
				;
			if (nb >= TREND_SEG_MIN) {
				trend_fit(t, t->before_x, t->before_y, nb,
				    &before);
				if (before.slope > TREND_TAIL * slope) {
					t->ev = whole;
					return TREND_WHY_SATURATING;
				}
				/* An onset climbs to new heights, clear of
				 * the old floor's own spread; a wander only
				 * back to about where it has been. */
				high = t->before_y[0];
				for (i = 1; i < nb; i++)
					high = fmax(high, t->before_y[i]);
				memcpy(t->tmp, t->before_y, nb * sizeof *t->tmp);
				spread = high - trend_median(t->tmp, nb);
				if (t->ev.floor_end_kb <= high + spread) {
					t->ev = whole;
					return why;
				}
			}
			t->ev.points = m;
			t->ev.bucket_s = sc->width_s;
			t->ev.start_s = t->x[0];
			return TREND_WHY_GROWING;
		}
		t->ev = whole;
	}
	return why;
}

static void
trend_evaluate(struct trend *t, int k)
{
	struct trend_evidence *ev = &t->ev;
	enum trend_why why;
	size_t n;

	ev->evaluations++;
	ev->need_s = 0;
	ev->need_samples = 0;
	n = trend_scale_points(&t->scale[k], t->x, t->y, TREND_RING);
	ev->points = n;
	ev->bucket_s = t->scale[k].width_s;
	ev->start_s = n > 0 ? t->x[0] : NAN;
	ev->end_s = n > 0 ? t->x[n - 1] : NAN;
	if (ev->samples < TREND_MIN_SAMPLES || n < TREND_MIN_POINTS) {
		ev->need_samples = ev->samples < TREND_MIN_SAMPLES ?
		    TREND_MIN_SAMPLES - ev->samples : 0;
		if (n < TREND_MIN_POINTS && ev->need_samples <
		    TREND_MIN_POINTS - n)
			ev->need_samples = TREND_MIN_POINTS - n;
		why = TREND_WHY_FEW;
	} else {
		why = trend_judge(t, t->x, t->y, n);
		/* Not when the whole window levels off: a warm-up's tail. */
		if (why == TREND_WHY_FLAT || why == TREND_WHY_SLOW ||
		    why == TREND_WHY_CYCLE || why == TREND_WHY_SHORT)
			why = trend_judge_recent(t, k, why);
	}

	if (why == TREND_WHY_GROWING) {
		t->fail_run = 0;
		if (t->pass_run++ == 0)
			t->pass_since_s = ev->last_s;
		if (!t->flag && t->pass_run >= TREND_PERSIST &&
		    ev->last_s - t->pass_since_s >= fmin(TREND_PERSIST_MAX_S,
		    TREND_PERSIST_FRAC * (t->pass_since_s - ev->start_s))) {
			t->flag = true;
			ev->raises++;
			if (isnan(ev->detected_at_s))
				ev->detected_at_s = ev->last_s;
		}
	} else {
		t->pass_run = 0;
		if (t->flag && (why == TREND_WHY_RECEDED ||
		    why == TREND_WHY_FALLING ||
		    ++t->fail_run >= TREND_WITHDRAW))
			t->flag = false;
	}
	if (t->flag) {
		ev->verdict = TREND_GROWING;
		ev->why = TREND_WHY_GROWING;
	} else if (why == TREND_WHY_GROWING) {
		ev->verdict = TREND_INSUFFICIENT;
		ev->why = TREND_WHY_CONFIRMING;
	} else {
		ev->verdict = why == TREND_WHY_FEW || why == TREND_WHY_CYCLE ||
		    why == TREND_WHY_SHORT ?
		    TREND_INSUFFICIENT : TREND_STABLE;
		ev->why = why;
	}
}

int
trend_add(struct trend *t, double t_s, double v)
{
	struct trend_evidence *ev = &t->ev;
	double dt;
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
			t->interval_s = t->interval_s > 0 ?
			    0.9 * t->interval_s + 0.1 * dt : dt;
		}
	}
	ev->last_s = t_s;
	ev->samples++;
	if (ev->why == TREND_WHY_FEW && ev->samples < TREND_MIN_SAMPLES)
		ev->need_samples = TREND_MIN_SAMPLES - ev->samples;
	for (k = 0; k < TREND_SCALES; k++)
		trend_scale_add(&t->scale[k], t_s, v);
	k = trend_pick_scale(t);
	if (t->scale[k].closed)
		trend_evaluate(t, k);
	return 0;
}
