/*
 * Explanations of a memory floor compared by penalised likelihood (see
 * models.h).  Every explanation is linear in its coefficients once its
 * shape parameter is fixed -- the warm-up's time constant, the step's or
 * the onset's time, the cycle's period -- so each is a least-squares fit
 * over a small grid of those.  Times are scaled to [0, 1] over the
 * window and values centred and scaled, so the normal equations stay
 * well conditioned whatever the units.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/models.h"
#include "util/xmalloc.h"

#define MODELS_MAX_COLS 8
#define MODELS_TAUS 16		   /* warm-up time constants tried */
#define MODELS_PERIODS 32	   /* cycle periods tried */
#define MODELS_CYCLE_GAIN 10.0	   /* BIC a cycle must gain to be kept */
#define MODELS_CYCLE_MIN_KB 8.0	   /* a cycle smaller is rounding */
#define MODELS_CYCLE_MIN_REL 0.001 /* ... and of the level */
#define MODELS_CYCLE_K 5	   /* its parameters: 2 harmonics, period */
#define MODELS_PHI_MAX 0.6	   /* short-memory noise */
#define MODELS_PHI_WANDER 0.99	   /* a wander's memory */
#define MODELS_PHI_STEPS 40
#define MODELS_DAY_S 86400.0
#define MODELS_DAY_NEAR 0.1	 /* a period this near a day is the day's */
#define MODELS_BOX_GRID 16	 /* an episode's edges: a coarse grid first */
#define MODELS_BOX_MAX (2.0 / 3) /* of the points: the line is seen beside */

/* The columns whose sums of products are kept (models_known_update):
 * the window's, and the same after a start-up's mask.  Only sums within
 * one group are kept (no fit mixes them). */
enum {
	MODELS_KNOWN_ONE,
	MODELS_KNOWN_U,
	MODELS_KNOWN_V,
	MODELS_KNOWN_CYC, /* 4 */
	MODELS_KNOWN_ONEM = MODELS_KNOWN_CYC + 4,
	MODELS_KNOWN_VM,
	MODELS_KNOWN_CYCM, /* 4 */
	MODELS_KNOWN = MODELS_KNOWN_CYCM + 4
};

/* The grid of phi models_bic_ar searches, up to a largest phi, with
 * what depends on phi alone worked out once: 1 - phi^2, its log, phi^2
 * and 2 phi (the same expressions, so the same bits). */
struct models_phi_grid {
	double p[MODELS_PHI_STEPS + 1];
	double q[MODELS_PHI_STEPS + 1], log_q[MODELS_PHI_STEPS + 1];
	double pp[MODELS_PHI_STEPS + 1], p2[MODELS_PHI_STEPS + 1];
};

/* The window in the scaled units, and scratch for the fits. */
struct models_work {
	size_t n;
	double x0, span, y0, ys;
	double u[MODELS_MAX_POINTS]; /* time, 0..1 */
	double v[MODELS_MAX_POINTS]; /* value, centred and scaled */
	double one[MODELS_MAX_POINTS];
	double col[4][MODELS_MAX_POINTS]; /* shape columns */
	double cyc[4][MODELS_MAX_POINTS]; /* periodic columns */
	double res[MODELS_MAX_POINTS];
	double eps; /* least innovation variance */
	bool has_cycle;
	double period_s; /* the cycle's, when has_cycle */
	/* A start-up's first mask points fitted exactly: the fits see vm,
	 * onem and cycm, which are zero there. */
	size_t mask;
	double vm[MODELS_MAX_POINTS], onem[MODELS_MAX_POINTS];
	double cycm[4][MODELS_MAX_POINTS];
	/* A daily cycle's columns (for day_mask masked points, when
	 * day_ok), and the shape it rides on. */
	double day[2][MODELS_MAX_POINTS];
	bool day_ok;
	size_t day_mask;
	double shape[MODELS_MAX_POINTS];
	/* The best warm-up's time constant, or a fill's corner (window
	 * units; 0: none yet). */
	double warm_u;
	bool warm_fill;
	struct models_phi_grid phi_short, phi_wander;
	/* The sums of products of the columns that stay put between fits
	 * (models_known_update), each as models_solve_to sums it. */
	const double *known[MODELS_KNOWN];
	double known_dot[MODELS_KNOWN][MODELS_KNOWN];
	bool known_ok[MODELS_KNOWN];
	bool known_off;		    /* models_work_keep_sums() */
	bool score_all;		    /* models_work_score_all() */
	double res_a, res_b, res_c; /* models_res_sums() */
};

struct models_ls {
	double beta[MODELS_MAX_COLS];
	double inv_diag[MODELS_MAX_COLS];
	double rss;
};

static const char *models_names[MODELS_KINDS] = {
    [MODELS_FLAT] = "flat",
    [MODELS_STEP] = "step",
    [MODELS_WARMUP] = "warm-up",
    [MODELS_DAILY] = "daily-cycle",
    [MODELS_WANDER] = "wander",
    [MODELS_EPISODE] = "episode",
    [MODELS_ALIAS] = "aliased-teeth",
    [MODELS_LINEAR] = "linear",
    [MODELS_STARTUP_LINEAR] = "start-up+linear",
    [MODELS_ONSET] = "onset+linear",
    [MODELS_LINEAR_EPISODE] = "linear+episode",
};

const char *
models_name(enum models_kind kind)
{
	return kind < MODELS_KINDS ? models_names[kind] : "";
}

bool
models_is_growth(enum models_kind kind)
{
	return kind >= MODELS_LINEAR && kind < MODELS_KINDS;
}

/* The sums of the residuals' products models_bic_ar needs, over i from
 * 1: res[i]^2, res[i] res[i - 1] and res[i - 1]^2.  Whatever writes
 * w->res calls this. */
static void
models_res_sums(struct models_work *w)
{
	double a = 0, b = 0, c = 0;
	size_t i;

	for (i = 1; i < w->n; i++) {
		a += w->res[i] * w->res[i];
		b += w->res[i] * w->res[i - 1];
		c += w->res[i - 1] * w->res[i - 1];
	}
	w->res_a = a;
	w->res_b = b;
	w->res_c = c;
}

/* The points where column c can be nonzero: from *lo to *hi - 1. */
static void
models_span(const double *c, size_t n, size_t *lo, size_t *hi)
{
	size_t a = 0, b = n;

	while (a < b && c[a] == 0)
		a++;
	while (b > a && c[b - 1] == 0)
		b--;
	*lo = a;
	*hi = b;
}

/* A sum over the points of p[i] q[i], into *out: lo to hi - 1 are the
 * points where the product can be nonzero. */
struct models_pair {
	const double *p, *q;
	size_t lo, hi;
	double *out;
};

/* The pairs' sums, each in order from +0, four at a time (four sums in
 * step), over the points where some pair's product can be nonzero.
 * Adding a product with a zero factor (+-0) leaves such a sum as it is
 * (it is never -0), so the bits are those of the sum over every point. */
static void
models_dots(struct models_pair *pr, int np)
{
	const double *p0, *p1, *p2, *p3, *q0, *q1, *q2, *q3;
	double s0, s1, s2, s3;
	size_t i, from, to;
	int m, j, c;

	for (m = 0; m < np; m += 4) {
		c = np - m < 4 ? np - m : 4;
		from = pr[m].lo;
		to = pr[m].hi;
		for (j = 1; j < c; j++) {
			from = pr[m + j].lo < from ? pr[m + j].lo : from;
			to = pr[m + j].hi > to ? pr[m + j].hi : to;
		}
		p0 = pr[m].p;
		q0 = pr[m].q;
		p1 = pr[m + (c > 1)].p;
		q1 = pr[m + (c > 1)].q;
		p2 = pr[m + (c > 2) * 2].p;
		q2 = pr[m + (c > 2) * 2].q;
		p3 = pr[m + (c > 3) * 3].p;
		q3 = pr[m + (c > 3) * 3].q;
		s0 = s1 = s2 = s3 = 0;
		for (i = from; i < to; i++) {
			s0 += p0[i] * q0[i];
			s1 += p1[i] * q1[i];
			s2 += p2[i] * q2[i];
			s3 += p3[i] * q3[i];
		}
		*pr[m].out = s0;
		if (c > 1)
			*pr[m + 1].out = s1;
		if (c > 2)
			*pr[m + 2].out = s2;
		if (c > 3)
			*pr[m + 3].out = s3;
	}
}

/* The pair *pr: the sum of p and q into out, over the points where
 * both of them (spans lo to hi - 1) can be nonzero. */
static void
models_pair_set(struct models_pair *pr, const double *p, size_t plo, size_t phi,
		const double *q, size_t qlo, size_t qhi, double *out)
{
	pr->p = p;
	pr->q = q;
	pr->lo = plo > qlo ? plo : qlo;
	pr->hi = phi < qhi ? phi : qhi;
	pr->out = out;
}

/* The group of known column j: its first and one past its last. */
static void
models_known_group(int j, int *first, int *end)
{
	*first = j < MODELS_KNOWN_ONEM ? 0 : MODELS_KNOWN_ONEM;
	*end = j < MODELS_KNOWN_ONEM ? MODELS_KNOWN_ONEM : MODELS_KNOWN;
}

/* Known columns first to first + count - 1 were written: their sums of
 * products with the columns of their group (those still valid, and each
 * other) worked out again.  Every writer of a known column calls this;
 * models_prepare() drops them all. */
static void
models_known_update(struct models_work *w, int first, int count)
{
	struct models_pair pr[MODELS_KNOWN * MODELS_KNOWN];
	size_t lo[MODELS_KNOWN], hi[MODELS_KNOWN];
	int i, j, g0, g1, np = 0;

	models_known_group(first, &g0, &g1);
	for (i = first; i < first + count; i++)
		w->known_ok[i] = false;
	for (j = g0; j < g1; j++)
		models_span(w->known[j], w->n, &lo[j], &hi[j]);
	for (i = first; i < first + count; i++)
		for (j = g0; j < g1; j++) {
			if (j >= first && j < first + count ? j < i
							    : !w->known_ok[j])
				continue;
			models_pair_set(&pr[np++], w->known[i], lo[i], hi[i],
					w->known[j], lo[j], hi[j],
					&w->known_dot[i][j]);
		}
	models_dots(pr, np);
	for (i = first; i < first + count; i++) {
		for (j = g0; j < g1; j++)
			w->known_dot[j][i] = w->known_dot[i][j];
		w->known_ok[i] = true;
	}
}

/* Which known column c is (-1: none). */
static int
models_known_of(const struct models_work *w, const double *c)
{
	int j;

	for (j = 0; j < MODELS_KNOWN && !w->known_off; j++)
		if (w->known[j] == c)
			return w->known_ok[j] ? j : -1;
	return -1;
}

/* Least squares of v on the k columns: Gauss-Jordan on the normal
 * equations with the identity alongside, for the coefficients' variance
 * factors.  Leaves the residuals in w->res.  False when singular. */
static bool
models_solve_to(struct models_work *w, const double *v,
		const double *const *cols, int k, struct models_ls *ls)
{
	double a[MODELS_MAX_COLS][2 * MODELS_MAX_COLS + 1];
	int r, s, c, piv, m = 2 * k + 1, np = 0, g0, g1;
	struct models_pair pr[MODELS_MAX_COLS * (MODELS_MAX_COLS + 3) / 2];
	const double *cr[MODELS_MAX_COLS + 1];
	size_t lo[MODELS_MAX_COLS + 1], hi[MODELS_MAX_COLS + 1];
	int kn[MODELS_MAX_COLS + 1];
	double fit[MODELS_MAX_POINTS];
	size_t i;

	for (r = 0; r < k; r++)
		memset(a[r], 0, (size_t)m * sizeof a[r][0]);
	/* The sums of the normal equations: those of known columns kept,
	 * the others (models_dots) over the points where they can be
	 * nonzero -- each in the order of a sum over every point. */
	for (r = 0; r <= k; r++) {
		cr[r] = r < k ? cols[r] : v;
		kn[r] = models_known_of(w, cr[r]);
		models_span(cr[r], w->n, &lo[r], &hi[r]);
	}
	for (r = 0; r < k; r++)
		for (s = r; s <= k; s++) {
			c = s < k ? s : 2 * k;
			if (kn[r] >= 0 && kn[s] >= 0) {
				models_known_group(kn[r], &g0, &g1);
				if (kn[s] >= g0 && kn[s] < g1) {
					a[r][c] = w->known_dot[kn[r]][kn[s]];
					continue;
				}
			}
			models_pair_set(&pr[np++], cr[r], lo[r], hi[r], cr[s],
					lo[s], hi[s], &a[r][c]);
		}
	models_dots(pr, np);
	for (r = 0; r < k; r++) {
		for (s = 0; s < r; s++)
			a[r][s] = a[s][r];
		a[r][k + r] = 1;
	}
	for (c = 0; c < k; c++) {
		piv = c;
		for (r = c + 1; r < k; r++)
			if (fabs(a[r][c]) > fabs(a[piv][c]))
				piv = r;
		if (fabs(a[piv][c]) < 1e-10)
			return false;
		if (piv != c)
			for (s = 0; s < m; s++) {
				double t = a[c][s];

				a[c][s] = a[piv][s];
				a[piv][s] = t;
			}
		for (r = 0; r < k; r++) {
			double f;

			if (r == c || a[r][c] == 0)
				continue;
			f = a[r][c] / a[c][c];
			for (s = c; s < m; s++)
				a[r][s] -= f * a[c][s];
		}
	}
	for (r = 0; r < k; r++) {
		ls->beta[r] = a[r][2 * k] / a[r][r];
		ls->inv_diag[r] = a[r][k + r] / a[r][r];
	}
	/* Each point's fit summed over the columns in order, a column at
	 * a time (over its span: the rest adds zeros); the sum of squares
	 * is the lag sums' c and the last point's. */
	memset(fit, 0, w->n * sizeof *fit);
	for (r = 0; r < k; r++) {
		double b = ls->beta[r];
		const double *col = cols[r];

		for (i = lo[r]; i < hi[r]; i++)
			fit[i] += b * col[i];
	}
	for (i = 0; i < w->n; i++)
		w->res[i] = v[i] - fit[i];
	models_res_sums(w);
	ls->rss = w->res_c + w->res[w->n - 1] * w->res[w->n - 1];
	return true;
}

/* Least squares of the window's values (masked: after the start-up). */
static bool
models_solve(struct models_work *w, const double *const *cols, int k,
	     struct models_ls *ls)
{
	return models_solve_to(w, w->mask > 0 ? w->vm : w->v, cols, k, ls);
}

/* The exact Gaussian AR(1) likelihood of the residuals (Box, Jenkins
 * and Reinsel, section 7.1.2), with the innovation variance profiled
 * out and phi by grid search over [0, MODELS_PHI_MAX]:
 *
 *   -2 ln L = n ln(S(phi) / n) - ln(1 - phi^2) + n,
 *   S(phi) = (1 - phi^2) r0^2 + sum (r_i - phi r_{i-1})^2.
 *
 * The first point's term is what keeps a smooth misfit -- a line's
 * residuals under a flat model -- from passing for a near-random walk.
 * Returned as a BIC with k parameters; fills phi and the innovation
 * variance. */
static double
models_bic_ar(struct models_work *w, const struct models_phi_grid *g, int k,
	      double sd_cap, double *phi, double *var)
{
	double a = w->res_a, b = w->res_b, c = w->res_c, r0 = w->res[0];
	double best = INFINITY, f, sp, v, best_v = 0, cap, l, l_at = 0, at = 0;
	double iv, nn = (double)w->n;
	int j;

	*phi = 0;
	for (j = 0; j <= MODELS_PHI_STEPS; j++) {
		sp = g->q[j] * r0 * r0 + a - g->p2[j] * b + g->pp[j] * c;
		/* fmax(sp / nn, w->eps) as glibc's (maxsd; w->eps for a NAN),
		 * without a call to libm. */
		v = sp / nn > w->eps ? sp / nn : w->eps;
		/* A bounded wander: its stationary spread is at most
		 * sd_cap. */
		cap = sd_cap * sd_cap * g->q[j];
		if (v > cap)
			v = fmax(cap, w->eps);
		/* ln v >= ln at + 1 - at / v: a phi this bound puts beyond
		 * the best by far more than rounding cannot be the best, and
		 * its log is not needed (the same phi wins, the same bits). */
		iv = 1 / v;
		if (at > 0 &&
		    nn * (l_at + 1 - at * iv) + sp * iv - g->log_q[j] >
			best + 1e-6 * (1 + fabs(best)))
			continue;
		l = log(v);
		l_at = l;
		at = v;
		f = nn * l + sp / v - g->log_q[j];
		if (f < best) {
			best = f;
			*phi = g->p[j];
			best_v = v;
		}
	}
	*var = best_v;
	return best + k * log(nn);
}

static double
models_bic(struct models_work *w, int k, double *phi, double *var)
{
	return models_bic_ar(w, &w->phi_short, k, INFINITY, phi, var);
}

/* A bound models_bic(w, k) is never below, for the residuals in w->res:
 * S(phi) = (r0^2 + a) - 2 phi b + phi^2 (c - r0^2) at its least over the
 * whole of [0, MODELS_PHI_MAX] rather than the grid's, -ln(1 - phi^2)
 * (never negative) left out, and a margin far wider than rounding.  A
 * fit this puts above the best so far cannot beat it: it is not scored
 * (the same fits win, the same bits), as most fits of a search lose. */
static double
models_bic_floor(const struct models_work *w, int k)
{
	double r2 = w->res[0] * w->res[0], a = r2 + w->res_a, b = w->res_b;
	double c = w->res_c - r2, nn = (double)w->n, pm = MODELS_PHI_MAX;
	double p, s, lb;

	if (w->score_all)
		return -INFINITY;
	if (c > 0)
		p = fmin(fmax(b / c, 0), pm);
	else
		p = a - 2 * b * pm + c * pm * pm < a ? pm : 0;
	s = a - 2 * b * p + c * p * p;
	s = (s - 1e-9 * (a + 2 * fabs(b) + fabs(c))) / nn;
	/* f = n ln v + S / v - ln(1 - phi^2), v = max(S / n, eps): at
	 * least n ln(S / n) + n where S / n > eps, n ln eps + S / eps
	 * (and S / eps <= n) where not. */
	lb = s > w->eps ? nn * log(s) + nn : nn * log(w->eps) + nn * s / w->eps;
	return lb - 1e-6 * (1 + fabs(lb)) + k * log(nn);
}

/* Fits the columns (with the cycle's when asked) and keeps the fit in
 * *best when its BIC is lower.  slope_col: the column whose coefficient
 * is the growth rate, or -1. */
static bool
models_try(struct models_work *w, const double *const *base, int nbase,
	   int kpar, bool cycle, int slope_col, struct models_fit *best,
	   struct models_ls *out)
{
	const double *cols[MODELS_MAX_COLS];
	struct models_ls ls;
	double phi, var, bic;
	int k = nbase, j;

	memcpy(cols, base, (size_t)nbase * sizeof *cols);
	if (cycle)
		for (j = 0; j < 4; j++)
			cols[k++] = w->mask > 0 ? w->cycm[j] : w->cyc[j];
	if (!models_solve(w, cols, k, &ls))
		return false;
	kpar += (int)w->mask;
	if (best->valid && models_bic_floor(w, kpar + (cycle ? MODELS_CYCLE_K
							     : 0)) > best->bic)
		return false;
	bic = models_bic(w, kpar + (cycle ? MODELS_CYCLE_K : 0), &phi, &var);
	if (best->valid && bic >= best->bic)
		return false;
	memset(best, 0, sizeof *best);
	best->valid = true;
	best->cycle = cycle;
	best->k = kpar + (cycle ? MODELS_CYCLE_K : 0);
	best->bic = bic;
	best->phi = phi;
	best->sigma_kb = sqrt(var) * w->ys;
	if (slope_col >= 0) {
		best->slope = ls.beta[slope_col] * w->ys / w->span;
		best->slope_se =
		    sqrt(ls.rss / (double)(w->n - w->mask - (size_t)k) *
			 ls.inv_diag[slope_col] * (1 + phi) / (1 - phi)) *
		    w->ys / w->span;
	}
	for (j = 0; cycle && j < 4; j++)
		best->cyc[j] = ls.beta[nbase + j] * w->ys;
	best->end_kb = w->y0 + w->ys * (w->v[w->n - 1] - w->res[w->n - 1]);
	for (j = 0; cycle && j < 4; j++)
		best->end_kb -= best->cyc[j] * w->cyc[j][w->n - 1];
	*out = ls;
	return true;
}

/* The same explanation without and with the cycle. */
static void
models_try_both(struct models_work *w, const double *const *base, int nbase,
		int kpar, int slope_col, struct models_fit *best,
		struct models_ls *ls, bool *improved)
{
	*improved = false;
	if (models_try(w, base, nbase, kpar, false, slope_col, best, ls))
		*improved = true;
	if (w->has_cycle &&
	    models_try(w, base, nbase, kpar, true, slope_col, best, ls))
		*improved = true;
}

/* The periodic columns as the masked fits see them: zero over the
 * start-up's w->mask points (the caller updates their known sums). */
static void
models_mask_cycle(struct models_work *w)
{
	size_t i;
	int j;

	for (j = 0; j < 4; j++)
		for (i = 0; i < w->n; i++)
			w->cycm[j][i] = i < w->mask ? 0 : w->cyc[j][i];
}

/* The two harmonics of period p_s at every point (masked: zero over the
 * start-up, in cycm). */
static void
models_cycle_columns(struct models_work *w, double p_s)
{
	double c, s;
	size_t i;

	for (i = 0; i < w->n; i++) {
		sincos(2 * M_PI * w->u[i] * w->span / p_s, &s, &c);
		w->cyc[0][i] = c;
		w->cyc[1][i] = s;
		w->cyc[2][i] = 2 * c * c - 1;
		w->cyc[3][i] = 2 * s * c;
	}
	models_known_update(w, MODELS_KNOWN_CYC, 4);
	if (w->mask == 0)
		return;
	models_mask_cycle(w);
	models_known_update(w, MODELS_KNOWN_CYCM, 4);
}

/* The best BIC of a level, a jump and a line from an onset (every
 * other point; masked: after the start-up): a leak that began late in
 * the window, or a step, which a cycle of half the window would
 * otherwise pass for. */
static double
models_onset_bic(struct models_work *w)
{
	const double *cols[3] = {w->mask > 0 ? w->onem : w->one, w->col[0],
				 w->col[1]};
	double best = INFINITY, phi, var, uc;
	struct models_ls ls;
	size_t i, c;

	for (c = w->mask + 2; c + 4 <= w->n; c += 2) {
		uc = (w->u[c - 1] + w->u[c]) / 2;
		for (i = 0; i < w->n; i++) {
			w->col[0][i] = w->u[i] >= uc ? 1 : 0;
			w->col[1][i] = fmax(0, w->u[i] - uc);
		}
		if (models_solve(w, cols, 3, &ls) &&
		    !(models_bic_floor(w, 4) > best))
			best = fmin(best, models_bic(w, 4, &phi, &var));
	}
	return best;
}

/* Whether a cycle of period p_s whose fit scores bic is kept: it gains
 * MODELS_CYCLE_GAIN over the line alone (base), and, seen under four
 * times, over a line from an onset too (a late leak's bend), whose BIC
 * is worked out once, into *onset (NAN: not yet). */
static bool
models_cycle_kept(struct models_work *w, double bic, double base, double p_s,
		  double *onset)
{
	if (bic > base - MODELS_CYCLE_GAIN)
		return false;
	if (4 * p_s <= (1 - w->u[w->mask]) * w->span)
		return true;
	if (isnan(*onset))
		*onset = models_onset_bic(w);
	return !(bic > *onset - MODELS_CYCLE_GAIN);
}

/* The periodic component: harmonic regression (two harmonics, jointly
 * with a line) at each of a grid of periods the window shows at least
 * twice, kept when it gains MODELS_CYCLE_GAIN over the line alone --
 * and, when seen under four times, over a line from an onset (which a
 * late leak is, and a cycle of half the window would otherwise fit).  A
 * daily period is tried too where a daily cycle is possible and a day
 * has been seen.  Masked, on the points after the start-up (the mask's
 * points fitted exactly): a start-up's jump, a misfit larger than any
 * cycle, must not hide one. */
static double
models_find_cycle(struct models_work *w, const struct models_opts *opts,
		  double step_s, double *amp_kb)
{
	bool m = w->mask > 0;
	const double *cols[6] = {
	    m ? w->onem : w->one,	m ? w->col[3] : w->u,
	    m ? w->cycm[0] : w->cyc[0], m ? w->cycm[1] : w->cyc[1],
	    m ? w->cycm[2] : w->cyc[2], m ? w->cycm[3] : w->cyc[3]};
	double lo = 4 * step_s, hi = (1 - w->u[w->mask]) * w->span / 2;
	double p, best_p = 0, phi, var;
	double base, bic, best = INFINITY, mn = INFINITY, mx = -INFINITY, h;
	double onset = NAN;
	struct models_ls ls;
	int j, np = MODELS_PERIODS;
	size_t i;

	for (i = 0; m && i < w->n; i++)
		w->col[3][i] = i < w->mask ? 0 : w->u[i];
	if (!models_solve(w, cols, 2, &ls))
		return 0;
	base = models_bic(w, 2, &phi, &var);
	for (j = 0; j <= np; j++) {
		if (j < np) {
			if (hi <= lo)
				continue;
			p = lo * pow(hi / lo, (double)j / (np - 1));
		} else {
			if (!opts->daily || w->span < MODELS_DAY_S)
				continue;
			p = MODELS_DAY_S;
		}
		models_cycle_columns(w, p);
		if (!models_solve(w, cols, 6, &ls) ||
		    models_bic_floor(w, 2 + MODELS_CYCLE_K) > best)
			continue;
		bic = models_bic(w, 2 + MODELS_CYCLE_K, &phi, &var);
		if (bic < best) {
			best = bic;
			best_p = p;
		}
	}
	/* The grid is 9 % apart at most: over ten periods a cycle fitted
	 * that far off drifts by half a period.  Bisect towards the best
	 * period between its neighbours. */
	for (h = 0.5;
	     best_p > 0 && best_p < MODELS_DAY_S && hi > lo && h > 0.06; h /= 2)
		for (j = -1; j <= 1; j += 2) {
			p = best_p * pow(hi / lo, j * h / (np - 1));
			if (p < lo || p > hi)
				continue;
			models_cycle_columns(w, p);
			if (!models_solve(w, cols, 6, &ls) ||
			    models_bic_floor(w, 2 + MODELS_CYCLE_K) > best)
				continue;
			bic = models_bic(w, 2 + MODELS_CYCLE_K, &phi, &var);
			if (bic < best) {
				best = bic;
				best_p = p;
				break;
			}
		}
	if (best_p == 0 || !models_cycle_kept(w, best, base, best_p, &onset))
		return 0;
	/* Where a daily cycle is possible, a cycle of about a day is the
	 * day's: the grid's nearest period drifts off it by hours over a
	 * few days, and a step or a job fits that drift better -- where
	 * the day's period is kept as a cycle must be (else a cycle of
	 * 26 h that the day does not fit is kept as it is). */
	if (opts->daily && best_p != MODELS_DAY_S &&
	    fabs(best_p / MODELS_DAY_S - 1) < MODELS_DAY_NEAR) {
		models_cycle_columns(w, MODELS_DAY_S);
		if (models_solve(w, cols, 6, &ls) &&
		    models_cycle_kept(
			w, models_bic(w, 2 + MODELS_CYCLE_K, &phi, &var), base,
			MODELS_DAY_S, &onset))
			best_p = MODELS_DAY_S;
	}
	models_cycle_columns(w, best_p);
	models_solve(w, cols, 6, &ls);
	/* Half the range of the fitted component over one period. */
	for (j = 0; j < 64; j++) {
		double a = 2 * M_PI * (double)j / 64, f;

		f = ls.beta[2] * cos(a) + ls.beta[3] * sin(a) +
		    ls.beta[4] * cos(2 * a) + ls.beta[5] * sin(2 * a);
		mn = fmin(mn, f);
		mx = fmax(mx, f);
	}
	*amp_kb = (mx - mn) / 2 * w->ys;
	/* A cycle of a page or two, or of a thousandth of the level, is
	 * rounding on a nearly noise-free climb, not a cycle to explain. */
	if (*amp_kb <
	    fmax(MODELS_CYCLE_MIN_KB, MODELS_CYCLE_MIN_REL * fabs(w->y0)))
		return 0;
	return best_p;
}

static int
models_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
models_prepare(struct models_work *w, const double *x, const double *y,
	       size_t n, double *level)
{
	double tmp[MODELS_MAX_POINTS], lo = INFINITY, hi = -INFINITY;
	size_t i;

	w->n = n;
	w->x0 = x[0];
	w->span = x[n - 1] - x[0];
	w->day_ok = false;
	memcpy(tmp, y, n * sizeof *y);
	qsort(tmp, n, sizeof *tmp, models_cmp);
	w->y0 = n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
	*level = w->y0;
	for (i = 0; i < n; i++) {
		lo = fmin(lo, y[i]);
		hi = fmax(hi, y[i]);
	}
	w->ys = fmax(hi - lo, 1);
	for (i = 0; i < n; i++) {
		w->u[i] = (x[i] - w->x0) / w->span;
		w->v[i] = (y[i] - w->y0) / w->ys;
		w->one[i] = 1;
	}
	memset(w->known_ok, 0, sizeof w->known_ok);
	models_known_update(w, MODELS_KNOWN_ONE, 3);
	/* Values come in whole 4 KiB pages: a rounding error's variance is
	 * the least innovation variance believable. */
	w->eps = 16.0 / 12 / (w->ys * w->ys);
}

/* The time between floor points, as the median spacing. */
static double
models_step_s(const double *x, size_t n)
{
	double d[MODELS_MAX_POINTS];
	size_t i;

	for (i = 1; i < n; i++)
		d[i - 1] = x[i] - x[i - 1];
	qsort(d, n - 1, sizeof *d, models_cmp);
	return d[(n - 1) / 2];
}

static void
models_fit_flat_linear(struct models_work *w, struct models_result *r)
{
	const double *cols[2] = {w->one, w->u};
	struct models_ls ls;
	bool imp;

	models_try_both(w, cols, 1, 1, -1, &r->fit[MODELS_FLAT], &ls, &imp);
	models_try_both(w, cols, 2, 2, 1, &r->fit[MODELS_LINEAR], &ls, &imp);
	r->fit[MODELS_LINEAR].start_s = w->x0;
}

/* An onset's line must see the cycle at least twice to carry it: else
 * the cycle bends round the onset and passes a step for a leak.
 * Returns whether the cycle was on, to be put back. */
static bool
models_onset_cycle(struct models_work *w, double uc)
{
	bool had = w->has_cycle;

	if (had && (1 - uc) * w->span < 2 * w->period_s)
		w->has_cycle = false;
	return had;
}

/* The step between points c - 1 and c, on the level column lev (masked
 * after a start-up): kept in the step's fit when better. */
static void
models_try_step(struct models_work *w, struct models_result *r, const double *x,
		const double *lev, size_t c)
{
	const double *cols[2] = {lev, w->col[0]};
	struct models_fit *f = &r->fit[MODELS_STEP];
	double uc = (w->u[c - 1] + w->u[c]) / 2;
	struct models_ls ls;
	size_t i;
	bool imp;

	for (i = 0; i < w->n; i++)
		w->col[0][i] = w->u[i] >= uc ? 1 : 0;
	models_try_both(w, cols, 2, 3, -1, f, &ls, &imp);
	if (imp) {
		f->step_kb = ls.beta[1] * w->ys;
		f->step_at_s = (x[c - 1] + x[c]) / 2;
	}
}

/* The points a search by stride from first skipped beside point b,
 * from models_beside_from to models_beside_to (b among them), within
 * first and last. */
static size_t
models_beside_from(size_t b, size_t first, size_t stride)
{
	return b > first + stride ? b - stride + 1 : first;
}

static size_t
models_beside_to(size_t b, size_t last, size_t stride)
{
	return b + stride - 1 < last ? b + stride - 1 : last;
}

/* The steps beside the best one, between first and last (a search
 * with a stride skips them): a step found one point off leaves that
 * point's whole jump as a residual, and a step under a daily swing then
 * lost to a line under an episode. */
static void
models_refine_step(struct models_work *w, struct models_result *r,
		   const double *x, const double *lev, size_t stride,
		   size_t first, size_t last)
{
	const struct models_fit *f = &r->fit[MODELS_STEP];
	size_t c, b;

	if (stride < 2 || !f->valid || f->step_kb == 0)
		return;
	for (b = first; b <= last && (x[b - 1] + x[b]) / 2 < f->step_at_s; b++)
		;
	for (c = models_beside_from(b, first, stride);
	     c <= models_beside_to(b, last, stride); c++)
		if (c != b)
			models_try_step(w, r, x, lev, c);
}

/* Whether an onset at uc (in windows) comes once a start-up's decay
 * of time constant tau_s has settled to 5 % (three time constants). */
static bool
models_after_decay(const struct models_work *w, double uc, double tau_s)
{
	return uc * w->span >= 3 * tau_s;
}

/* One step between points i - 1 and i; the onset adds a line from
 * there on (with a jump allowed), and a start-up's decay before it
 * where the best warm-up found one, or the best start-up + line did
 * (its time constant is kept).  The warm-up fitted to a window that
 * ends in a leak is often a slow fill that takes the leak's rise, not
 * the start-up: a start-up, a flat while and a leak from 3.2 min (ci
 * seed 2 case 120) was then a start-up + line from the start-up's end,
 * whose line through the flat while is no test of the leak.  That
 * onset comes once the start-up has settled to 5 % (three time
 * constants): one sooner is the same curve as the start-up's;
 * and only where that start-up is worth its parameters (the start-up +
 * line beats a line), which spares the search on a plain line.  So
 * does an onset on the warm-up's decay in a test run (no daily cycle),
 * whose warm-up is the program's start-up (a minute at most): one at a
 * burst 20 s in, within a decay of 26 s, had the decay take the burst's
 * fall, read the flat floor under it as a rise and was flagged (ci seed
 * 3 case 307).  Not on a server, whose warm-up runs to an hour and is
 * fitted to whatever bends the window: there the rule missed a leak
 * that began 27.6 h in (days seed 2 case 691). */
static void
models_fit_changes(struct models_work *w, struct models_result *r,
		   const double *x, const struct models_opts *opts)
{
	const double *cols[4] = {w->one, w->col[0], w->col[1], w->col[2]};
	const double *cols_sl[4] = {w->one, w->col[0], w->col[1], w->col[3]};
	const struct models_fit *wu = &r->fit[MODELS_WARMUP];
	const struct models_fit *sl = &r->fit[MODELS_STARTUP_LINEAR];
	bool startup = wu->valid && wu->tau_s > 0 && wu->tau_s < w->span / 4;
	bool sl_up = sl->valid && sl->tau_s > 0 && sl->tau_s < w->span / 4 &&
		     !(startup && sl->tau_s == wu->tau_s) &&
		     r->fit[MODELS_LINEAR].valid &&
		     sl->bic < r->fit[MODELS_LINEAR].bic;
	struct models_ls ls;
	size_t i, c, stride = w->n > 64 ? 2 : 1;
	bool imp, imp2, imp3, had;
	double tau_s;

	for (i = 0; startup && i < w->n; i++)
		w->col[2][i] = exp(-w->u[i] * w->span / wu->tau_s);
	for (i = 0; sl_up && i < w->n; i++)
		w->col[3][i] = exp(-w->u[i] * w->span / sl->tau_s);
	for (c = 2; c + 2 < w->n; c += stride) {
		double uc = (w->u[c - 1] + w->u[c]) / 2;

		for (i = 0; i < w->n; i++) {
			w->col[0][i] = w->u[i] >= uc ? 1 : 0;
			w->col[1][i] = fmax(0, w->u[i] - uc);
		}
		models_try_both(w, cols, 2, 3, -1, &r->fit[MODELS_STEP], &ls,
				&imp);
		if (imp) {
			r->fit[MODELS_STEP].step_kb = ls.beta[1] * w->ys;
			r->fit[MODELS_STEP].step_at_s = (x[c - 1] + x[c]) / 2;
		}
		if (c + 4 > w->n)
			continue;
		had = models_onset_cycle(w, uc);
		models_try_both(w, cols, 3, 4, 2, &r->fit[MODELS_ONSET], &ls,
				&imp);
		imp2 = imp3 = false;
		if (startup &&
		    (opts->daily || models_after_decay(w, uc, wu->tau_s)))
			models_try_both(w, cols, 4, 6, 2, &r->fit[MODELS_ONSET],
					&ls, &imp2);
		if (sl_up && models_after_decay(w, uc, sl->tau_s))
			models_try_both(w, cols_sl, 4, 6, 2,
					&r->fit[MODELS_ONSET], &ls, &imp3);
		w->has_cycle = had;
		tau_s = imp3 ? sl->tau_s : imp2 ? wu->tau_s : 0;
		if (imp || imp2 || imp3) {
			r->fit[MODELS_ONSET].step_kb = ls.beta[1] * w->ys;
			r->fit[MODELS_ONSET].step_at_s = (x[c - 1] + x[c]) / 2;
			r->fit[MODELS_ONSET].start_s = (x[c - 1] + x[c]) / 2;
			r->fit[MODELS_ONSET].exp_kb =
			    tau_s > 0 ? ls.beta[3] * w->ys : 0;
			r->fit[MODELS_ONSET].tau_s = tau_s;
		}
	}
	models_refine_step(w, r, x, w->one, stride, 2, w->n - 3);
}

/* The daily columns' fit at the largest amplitude allowed, cap: the
 * phase that fits best, with the other k columns refitted.  With P the
 * projection off those columns, the residual at phase p is
 * Pv - a (cos p Pc + sin p Ps), so three fits and a scan of dot
 * products find it; the coefficients are those of the three fits
 * combined the same way (the daily columns' last), into *out.  Leaves
 * the residuals in w->res. */
static bool
models_daily_capped(struct models_work *w, const double *v,
		    const double *const *cols, int k, double cap,
		    struct models_ls *out)
{
	double pv[MODELS_MAX_POINTS], pc[MODELS_MAX_POINTS];
	double vc = 0, vs = 0, cc = 0, cs = 0, ss = 0, a0 = cap / w->ys;
	double best = INFINITY, e, c, s, ps = 0;
	struct models_ls lv, lc, ls;
	size_t i;
	int j;

	if (!models_solve_to(w, v, cols, k, &lv))
		return false;
	memcpy(pv, w->res, w->n * sizeof *pv);
	if (!models_solve_to(w, w->day[0], cols, k, &lc))
		return false;
	memcpy(pc, w->res, w->n * sizeof *pc);
	if (!models_solve_to(w, w->day[1], cols, k, &ls))
		return false;
	for (i = 0; i < w->n; i++) {
		vc += pv[i] * pc[i];
		vs += pv[i] * w->res[i];
		cc += pc[i] * pc[i];
		cs += pc[i] * w->res[i];
		ss += w->res[i] * w->res[i];
	}
	for (j = 0; j < 96; j++) {
		sincos(2 * M_PI * j / 96, &s, &c);
		e = -2 * a0 * (c * vc + s * vs) +
		    a0 * a0 * (c * c * cc + 2 * s * c * cs + s * s * ss);
		if (e < best) {
			best = e;
			ps = 2 * M_PI * j / 96;
		}
	}
	sincos(ps, &s, &c);
	for (i = 0; i < w->n; i++)
		w->res[i] = pv[i] - a0 * (c * pc[i] + s * w->res[i]);
	models_res_sums(w);
	for (j = 0; j < k; j++) {
		out->beta[j] =
		    lv.beta[j] - a0 * (c * lc.beta[j] + s * ls.beta[j]);
		out->inv_diag[j] = lv.inv_diag[j];
	}
	out->beta[k] = a0 * c;
	out->beta[k + 1] = a0 * s;
	out->rss = w->res_c + w->res[w->n - 1] * w->res[w->n - 1];
	return true;
}

/* The daily columns, zero over a start-up's masked points: worked out
 * once a window and mask, as every daily fit of a search (a step at a
 * time) needs the same. */
static void
models_day_columns(struct models_work *w)
{
	double a;
	size_t i;

	if (w->day_ok && w->day_mask == w->mask)
		return;
	w->day_ok = true;
	w->day_mask = w->mask;
	for (i = 0; i < w->n; i++) {
		a = 2 * M_PI * w->u[i] * w->span / MODELS_DAY_S;
		w->day[0][i] = i < w->mask ? 0 : cos(a);
		w->day[1][i] = i < w->mask ? 0 : sin(a);
	}
}

/* The columns base (kpar parameters) with a daily cycle of at most cap
 * (KiB) on them, and with the periodic component too where one was
 * found: kept in *f when its BIC is lower, and then returns true with
 * its least squares in *out.  slope_col as models_try.  The daily
 * columns are in w->day (models_day_columns). */
static bool
models_try_daily(struct models_work *w, const double *const *base, int nbase,
		 int kpar, double cap, int slope_col, struct models_fit *f,
		 struct models_ls *out)
{
	const double *v = w->mask > 0 ? w->vm : w->v;
	const double *cols[MODELS_MAX_COLS];
	double amp, phi, var, bic;
	struct models_ls ls;
	int k, j, cycle, kp;
	bool kept = false;

	for (cycle = 0; cycle <= (w->has_cycle ? 1 : 0); cycle++) {
		memcpy(cols, base, (size_t)nbase * sizeof *cols);
		k = nbase;
		for (j = 0; cycle && j < 4; j++)
			cols[k++] = w->mask > 0 ? w->cycm[j] : w->cyc[j];
		cols[k] = w->day[0];
		cols[k + 1] = w->day[1];
		if (!models_solve_to(w, v, cols, k + 2, &ls))
			continue;
		amp = hypot(ls.beta[k], ls.beta[k + 1]) * w->ys;
		if (amp > cap && !models_daily_capped(w, v, cols, k, cap, &ls))
			continue;
		kp = kpar + 2 + (int)w->mask + (cycle ? MODELS_CYCLE_K : 0);
		if (f->valid && models_bic_floor(w, kp) > f->bic)
			continue;
		bic = models_bic(w, kp, &phi, &var);
		if (f->valid && bic >= f->bic)
			continue;
		memset(f, 0, sizeof *f);
		f->valid = true;
		f->cycle = cycle;
		f->k = kp;
		f->bic = bic;
		f->phi = phi;
		f->sigma_kb = sqrt(var) * w->ys;
		if (slope_col >= 0) {
			f->slope = ls.beta[slope_col] * w->ys / w->span;
			f->slope_se =
			    sqrt(ls.rss /
				 (double)(w->n - w->mask - (size_t)k - 2) *
				 ls.inv_diag[slope_col] * (1 + phi) /
				 (1 - phi)) *
			    w->ys / w->span;
		}
		for (j = 0; cycle && j < 4; j++)
			f->cyc[j] = ls.beta[nbase + j] * w->ys;
		f->day[0] = ls.beta[k] * w->ys;
		f->day[1] = ls.beta[k + 1] * w->ys;
		f->amp_kb = fmin(amp, cap);
		f->start_s = w->x0;
		f->end_kb = w->y0 + w->ys * (w->v[w->n - 1] - w->res[w->n - 1]);
		*out = ls;
		kept = true;
	}
	return kept;
}

/* A daily cycle of at most daily_amp of the level, where one is
 * possible and less than two days are seen (after that the periodic
 * component finds it), on a bounded shape -- a level, one step, a
 * warm-up: base, kpar parameters -- and with the periodic component
 * where one was found; after a start-up of any shape too, when its
 * points are masked.  Over a short window such a cycle can rise like a
 * line; its bound is what keeps it from explaining every rise.  Kept
 * when it fits better than the daily cycle found so far. */
static void
models_fit_daily_on(struct models_work *w, struct models_result *r,
		    const struct models_opts *opts, const double *const *base,
		    int nbase, int kpar)
{
	struct models_ls ls;

	if (!opts->daily || w->span >= 2 * MODELS_DAY_S)
		return;
	models_day_columns(w);
	models_try_daily(w, base, nbase, kpar,
			 opts->daily_amp * fabs(r->level_kb), -1,
			 &r->fit[MODELS_DAILY], &ls);
}

/* A daily cycle on a level (masked: after a start-up). */
static void
models_fit_daily(struct models_work *w, struct models_result *r,
		 const struct models_opts *opts)
{
	const double *cols[1] = {w->mask > 0 ? w->onem : w->one};

	models_fit_daily_on(w, r, opts, cols, 1, 1);
}

/* A line from the start under a daily swing, where a daily cycle is
 * possible and under two days are seen: the swing of at most daily_amp
 * of the level (the bound the bounded daily cycle has), into r->swing.
 * A growth explanation without it leaves such a swing in its residuals,
 * where it passes for strongly correlated noise, and the trend's own
 * test on them then fails however clearly growth wins (a leak of
 * 4.7 %/h under a swing of 11 %, watched 11 h: p = 0.07); where it fits
 * better, the growth is judged on what it leaves (models_judged).  Not
 * an explanation of its own: over less than a day a line and a swing
 * trade off, and a line under a swing, chosen over the bounded
 * explanations, passed a wander under a swing for a leak.  Nor where
 * the window shows a cycle of its own -- one found here, which the
 * growth fits take out, or one whose envelope the points are: a day's
 * sine fitted with the line then soaks up what that cycle's shape
 * leaves (a batch job's trapezoid, its envelope's steps), and the
 * trend's test sees residuals less correlated than they are; a batch
 * job every few hours under a swing of +-5 % passed for a leak. */
static void
models_fit_swing(struct models_work *w, struct models_result *r,
		 const struct models_opts *opts)
{
	const double *line[2] = {w->one, w->u};
	struct models_ls ls;

	if (!opts->daily || w->span >= 2 * MODELS_DAY_S || w->mask > 0 ||
	    w->has_cycle || opts->envelope)
		return;
	models_day_columns(w);
	models_try_daily(w, line, 2, 2, opts->daily_amp * fabs(r->level_kb), 1,
			 &r->swing, &ls);
}

/* Whether an episode's fit covers time x. */
static bool
models_in_box(const struct models_fit *f, double x)
{
	return x < f->box_first_s || (x >= f->box_from_s && x < f->box_to_s) ||
	       x >= f->box_last_s;
}

/* A daily cycle on a step between points c - 1 and c: whether it fits
 * better than the daily cycle found so far. */
static bool
models_try_daily_step(struct models_work *w, struct models_result *r,
		      const double *x, const struct models_opts *opts, size_t c)
{
	const double *cols[2] = {w->mask > 0 ? w->onem : w->one, w->shape};
	const struct models_fit *f = &r->fit[MODELS_DAILY];
	double bic = f->valid ? f->bic : INFINITY;
	size_t i;

	for (i = 0; i < w->n; i++)
		w->shape[i] = i >= w->mask && x[i] > (x[c - 1] + x[c]) / 2;
	models_fit_daily_on(w, r, opts, cols, 2, 3);
	return f->bic < bic;
}

/* After a start-up, a daily cycle on each step from point first to
 * last, by stride, then beside the best: the step that fits best alone
 * is not the start-up's last bend under a swing, which a jump and a
 * line from an onset fitted better than the best step with the swing
 * on it.  (Searched on every window, a step and a swing also passed a
 * leak under a daily cycle for bounded for longer.) */
static void
models_fit_daily_steps(struct models_work *w, struct models_result *r,
		       const double *x, const struct models_opts *opts,
		       size_t first, size_t last, size_t stride)
{
	size_t c, b = 0;

	if (!opts->daily || w->span >= 2 * MODELS_DAY_S)
		return;
	for (c = first; c <= last; c += stride)
		if (models_try_daily_step(w, r, x, opts, c))
			b = c;
	for (c = models_beside_from(b, first, stride);
	     b > 0 && c <= models_beside_to(b, last, stride); c++)
		if (c != b)
			models_try_daily_step(w, r, x, opts, c);
}

/* A daily cycle on the best step, on the best warm-up, on the start-up
 * the best start-up + line has (one that settles within the window's
 * first quarter, as a step's start-up must: a slower one beside a free
 * coefficient is nearly a line) and on the episodes found (a line's
 * episode less its line: a level and a box, or a step): a step, a
 * cache filling, a start-up or a batch job under a daily swing is still
 * bounded, and a line under an episode otherwise fits a daily swing's
 * rise better than the swing alone. */
static void
models_fit_daily_shapes(struct models_work *w, struct models_result *r,
			const double *x, const struct models_opts *opts)
{
	const struct models_fit *st = &r->fit[MODELS_STEP];
	const struct models_fit *sl = &r->fit[MODELS_STARTUP_LINEAR];
	const double *cols[2] = {w->mask > 0 ? w->onem : w->one, w->shape};
	size_t i;
	int k;

	if (st->valid && st->step_kb != 0) {
		for (i = 0; i < w->n; i++)
			w->shape[i] = i >= w->mask && x[i] >= st->step_at_s;
		models_fit_daily_on(w, r, opts, cols, 2, 3);
	}
	if (w->mask == 0 && w->warm_u > 0) {
		for (i = 0; i < w->n; i++)
			w->shape[i] = w->warm_fill ? fmin(w->u[i], w->warm_u)
						   : exp(-w->u[i] / w->warm_u);
		models_fit_daily_on(w, r, opts, cols, 2, 3);
	}
	/* A start-up, then a swing, is what a start-up, then a line, is to
	 * be told from. */
	if (w->mask == 0 && sl->valid && sl->tau_s > 0 &&
	    sl->tau_s < w->span / 4 &&
	    (w->warm_fill || sl->tau_s != w->warm_u * w->span)) {
		for (i = 0; i < w->n; i++)
			w->shape[i] = exp(-w->u[i] * w->span / sl->tau_s);
		models_fit_daily_on(w, r, opts, cols, 2, 3);
	}
	for (k = MODELS_EPISODE; w->mask == 0 && k <= MODELS_LINEAR_EPISODE;
	     k += MODELS_LINEAR_EPISODE - MODELS_EPISODE) {
		if (!r->fit[k].valid)
			continue;
		for (i = 0; i < w->n; i++)
			w->shape[i] = models_in_box(&r->fit[k], x[i]);
		models_fit_daily_on(w, r, opts, cols, 2, 4);
	}
}

/* Least squares of v on the k columns with each coefficient fix[j]
 * that is not NAN held at that value (a bound it reached), the others
 * refitted to what those leave.  Leaves the residuals in w->res. */
static bool
models_solve_held(struct models_work *w, const double *v,
		  const double *const *cols, int k, const double *fix,
		  struct models_ls *ls)
{
	double rest[MODELS_MAX_POINTS];
	const double *free_cols[MODELS_MAX_COLS];
	struct models_ls sub;
	size_t i;
	int j, m = 0;

	memcpy(rest, v, w->n * sizeof *rest);
	for (j = 0; j < k; j++) {
		if (isnan(fix[j])) {
			free_cols[m++] = cols[j];
			continue;
		}
		for (i = 0; i < w->n; i++)
			rest[i] -= fix[j] * cols[j][i];
	}
	if (!models_solve_to(w, rest, free_cols, m, &sub))
		return false;
	for (j = 0, m = 0; j < k; j++)
		ls->beta[j] = isnan(fix[j]) ? sub.beta[m++] : fix[j];
	ls->rss = sub.rss;
	return true;
}

/* Aliased teeth on the columns (a level, a line, and with k = 3 a
 * step), with the periodic component too when one was found: the
 * line's rise over the points fitted held within the comb's spacing,
 * cap (scaled).  Kept in the fit when better; returns whether it was. */
static bool
models_try_alias(struct models_work *w, struct models_result *r,
		 const double *const *base, int k, double cap)
{
	const double *v = w->mask > 0 ? w->vm : w->v;
	const double *cols[MODELS_MAX_COLS];
	struct models_fit *f = &r->fit[MODELS_ALIAS];
	double fix[MODELS_MAX_COLS], lim[3], phi, var, bic;
	struct models_ls ls;
	bool held, kept = false;
	int j, m, cycle, kpar;

	lim[0] = INFINITY;
	lim[1] = cap / (1 - w->u[w->mask]);
	lim[2] = INFINITY;
	for (cycle = 0; cycle <= (w->has_cycle ? 1 : 0); cycle++) {
		memcpy(cols, base, (size_t)k * sizeof *cols);
		for (m = k, j = 0; cycle && j < 4; j++)
			cols[m++] = w->mask > 0 ? w->cycm[j] : w->cyc[j];
		for (j = 0; j < m; j++)
			fix[j] = NAN;
		for (held = true; held;) {
			if (!models_solve_held(w, v, cols, m, fix, &ls))
				break;
			held = false;
			for (j = 1; j < k; j++)
				if (isnan(fix[j]) &&
				    fabs(ls.beta[j]) > lim[j]) {
					fix[j] = copysign(lim[j], ls.beta[j]);
					held = true;
				}
		}
		if (held)
			continue;
		kpar = 2 * k - 2 + (int)w->mask + (cycle ? MODELS_CYCLE_K : 0);
		if (f->valid && models_bic_floor(w, kpar) > f->bic)
			continue;
		bic = models_bic(w, kpar, &phi, &var);
		if (f->valid && bic >= f->bic)
			continue;
		memset(f, 0, sizeof *f);
		f->valid = true;
		f->cycle = cycle;
		f->k = kpar;
		f->bic = bic;
		f->phi = phi;
		f->sigma_kb = sqrt(var) * w->ys;
		f->start_s = w->x0;
		f->step_kb = k == 3 ? ls.beta[2] * w->ys : 0;
		for (j = 0; cycle && j < 4; j++)
			f->cyc[j] = ls.beta[k + j] * w->ys;
		f->end_kb = w->y0 + w->ys * (w->v[w->n - 1] - w->res[w->n - 1]);
		for (j = 0; cycle && j < 4; j++)
			f->end_kb -= f->cyc[j] * w->cyc[j][w->n - 1];
		kept = true;
	}
	return kept;
}

/* Aliased teeth with a step between points c - 1 and c: whether it
 * fits better than the aliased teeth found so far. */
static bool
models_try_alias_step(struct models_work *w, struct models_result *r,
		      const double *x, const double *const *cols, size_t c,
		      double cap)
{
	double uc = (w->u[c - 1] + w->u[c]) / 2;
	size_t i;

	for (i = 0; i < w->n; i++)
		w->col[1][i] = i >= w->mask && w->u[i] >= uc;
	if (!models_try_alias(w, r, cols, 3, cap))
		return false;
	r->fit[MODELS_ALIAS].step_at_s = (x[c - 1] + x[c]) / 2;
	return true;
}

/* Aliased teeth: a sawtooth sampled near a multiple of its period (or
 * more slowly than its teeth) has its samples on a comb of phases, so
 * a floor bucket's least sample sits anywhere up to the comb's spacing
 * (opts->alias_kb, measured on the samples) above the trough, and as
 * the comb drifts along the teeth the floor beats: it rises slowly by
 * at most that spacing, then drops back.  A level (masked: after a
 * start-up) with a line rising at most the spacing over the points,
 * alone or with one step between two points (every other, every
 * fourth once the window has more than 64, and beside the best): the
 * drop back, or a start-up's last jump (both bounded; a step is one
 * explanation already).  Before the beat has come round twice no cycle
 * is found; a leak under the teeth rises past the spacing. */
static void
models_fit_alias(struct models_work *w, struct models_result *r,
		 const double *x, const struct models_opts *opts)
{
	const struct models_fit *sl = &r->fit[MODELS_STARTUP_LINEAR];
	const double *cols[3] = {w->mask > 0 ? w->onem : w->one, w->col[0],
				 w->col[1]};
	double cap = opts->alias_kb / w->ys;
	size_t i, c, b = 0, stride = w->n > 64 ? 4 : 2;
	size_t first = w->mask + 2, last = w->n - 3;

	if (!(opts->alias_kb > 0))
		return;
	for (i = 0; i < w->n; i++)
		w->col[0][i] = i < w->mask ? 0 : w->u[i];
	models_try_alias(w, r, cols, 2, cap);
	for (c = first; c <= last; c += stride)
		if (models_try_alias_step(w, r, x, cols, c, cap))
			b = c;
	for (c = models_beside_from(b, first, stride);
	     b > 0 && c <= models_beside_to(b, last, stride); c++)
		if (c != b)
			models_try_alias_step(w, r, x, cols, c, cap);
	/* After the start-up a start-up, then a line, uses (when it
	 * settles early): the teeth's beat is what that line is to be
	 * told from, as a swing is (models_fit_daily_shapes). */
	if (w->mask == 0 && sl->valid && sl->tau_s > 0 &&
	    sl->tau_s < w->span / 4) {
		for (i = 0; i < w->n; i++)
			w->col[1][i] = exp(-w->u[i] * w->span / sl->tau_s);
		if (models_try_alias(w, r, cols, 3, cap)) {
			r->fit[MODELS_ALIAS].step_kb = 0;
			r->fit[MODELS_ALIAS].step_at_s = NAN;
		}
	}
}

/* Fits the first m points exactly from now on (m = 0: none). */
static void
models_set_mask(struct models_work *w, size_t m)
{
	size_t i;

	w->mask = m;
	for (i = 0; i < w->n; i++) {
		w->vm[i] = i < m ? 0 : w->v[i];
		w->onem[i] = i < m ? 0 : 1;
	}
	models_mask_cycle(w);
	models_known_update(w, MODELS_KNOWN_ONEM, 6);
}

/* The points of the start-up: up to where the best warm-up has settled
 * to 2 % (four time constants; a fill's corner and a third), if within
 * the first quarter of the window; 0: no start-up. */
static size_t
models_startup_end(const struct models_work *w, const struct models_result *r,
		   const double *x)
{
	const struct models_fit *wu = &r->fit[MODELS_WARMUP];
	size_t m;

	if (!wu->valid || !(wu->tau_s > 0))
		return 0;
	for (m = 0; m < w->n && x[m] < x[0] + 4 * wu->tau_s; m++)
		;
	return m < 2 || m > w->n / 4 ? 0 : m;
}

/* A start-up of any shape (models_startup_end): its points fitted
 * exactly (a parameter each, as if left out), then flat (a warm-up),
 * one step, a line, or a level and an onset.  A ramp, or a start-up the
 * warm-up's exponential fits badly, would otherwise decide every
 * comparison by its misfit. */
static void
models_fit_startups(struct models_work *w, struct models_result *r,
		    const double *x, const struct models_opts *opts)
{
	const double *cols[3] = {w->onem, w->col[0], w->col[1]};
	struct models_fit *f;
	struct models_ls ls;
	size_t m = models_startup_end(w, r, x), i, c;
	size_t stride = w->n > 64 ? 4 : 2;
	double y0 = w->y0 + w->ys * w->v[0];
	bool imp, had;

	if (m == 0)
		return;
	models_set_mask(w, m);
	models_fit_daily(w, r, opts);
	f = &r->fit[MODELS_WARMUP];
	models_try_both(w, cols, 1, 1, -1, f, &ls, &imp);
	if (imp) {
		f->plateau_kb = w->y0 + w->ys * ls.beta[0];
		f->tau_s = (x[m] - x[0]) / 4;
		f->start_s = x[0];
		f->exp_kb = y0 - f->plateau_kb;
	}
	for (i = 0; i < w->n; i++)
		w->col[0][i] = i < m ? 0 : w->u[i];
	cols[1] = w->col[0];
	f = &r->fit[MODELS_STARTUP_LINEAR];
	models_try_both(w, cols, 2, 2, 1, f, &ls, &imp);
	if (imp) {
		f->tau_s = 0;
		f->exp_kb = 0;
		f->start_s = x[m];
	}
	for (c = m + 2; c + 4 <= w->n; c += stride) {
		double uc = (w->u[c - 1] + w->u[c]) / 2;

		for (i = 0; i < w->n; i++) {
			w->col[0][i] = w->u[i] >= uc ? 1 : 0;
			w->col[1][i] = fmax(0, w->u[i] - uc);
		}
		f = &r->fit[MODELS_STEP];
		models_try_both(w, cols, 2, 3, -1, f, &ls, &imp);
		if (imp) {
			f->step_kb = ls.beta[1] * w->ys;
			f->step_at_s = (x[c - 1] + x[c]) / 2;
		}
		f = &r->fit[MODELS_ONSET];
		had = models_onset_cycle(w, uc);
		models_try_both(w, cols, 3, 4, 2, f, &ls, &imp);
		w->has_cycle = had;
		if (imp) {
			f->step_kb = ls.beta[1] * w->ys;
			f->step_at_s = f->start_s = (x[c - 1] + x[c]) / 2;
			f->exp_kb = 0;
			f->tau_s = 0;
		}
	}
	models_refine_step(w, r, x, w->onem, stride, m + 2, w->n - 4);
	models_fit_daily_steps(w, r, x, opts, m + 2, w->n - 3, stride);
	models_fit_daily_shapes(w, r, x, opts);
	models_fit_alias(w, r, x, opts);
	models_set_mask(w, 0);
}

/* A wander: a level with strongly correlated noise of bounded spread
 * (an Ornstein-Uhlenbeck process seen at the floor points).  Over a
 * window shorter than its memory a wander rises like a line; its
 * bounded spread is what keeps it from explaining every rise. */
static void
models_fit_wander(struct models_work *w, struct models_result *r,
		  const struct models_opts *opts)
{
	const double *cols[1] = {w->one};
	struct models_fit *f = &r->fit[MODELS_WANDER];
	struct models_ls ls;
	double phi, var;

	if (opts->wander_amp <= 0 || !models_solve(w, cols, 1, &ls))
		return;
	memset(f, 0, sizeof *f);
	f->valid = true;
	f->k = 3;
	f->bic = models_bic_ar(w, &w->phi_wander, 3,
			       opts->wander_amp * fabs(r->level_kb) / w->ys,
			       &phi, &var);
	f->phi = phi;
	f->sigma_kb = sqrt(var) * w->ys;
	f->start_s = w->x0;
	f->end_kb = w->y0 + w->ys * (w->v[w->n - 1] - w->res[w->n - 1]);
}

/* An episode over points e[1] to e[2] - 1, the end of the one before
 * over points 0 to e[0] - 1 (the window began in it; e[0] = 0: not) and
 * the start of the one after over the last e[3] points (the window ends
 * in it; 0: not), on a level, or on a line (growth); kept in its fit
 * when better and up (a dip between two episodes is not one; one of a
 * page or a thousandth of the level is rounding).  The episode is whole:
 * it begins after the first point and ends before the last, so that
 * level and line differ only by the slope (a step in progress is the
 * step's and the onset's); the one after is seen only beside another,
 * as tall (the same job), and so are the two at the window's ends
 * without one between (e[1] = e[2] = 0): a batch job seen for less than
 * two of its periods, whose floor a line under it keeps rising across.
 * Episodes leave a third of the points at least: a line judged under an
 * episode is seen beside it (a leak whose memory was freed at once is
 * not a line under an episode). */
static bool
models_try_box(struct models_work *w, struct models_result *r, const double *x,
	       bool growth, const size_t *e)
{
	const double *cols[3] = {w->one, w->col[0], w->u};
	struct models_fit *f =
	    &r->fit[growth ? MODELS_LINEAR_EPISODE : MODELS_EPISODE];
	struct models_fit tmp;
	struct models_ls ls;
	size_t i, n = w->n, a = e[1], b = e[2], last = n - e[3];
	bool whole = a > 0 || b > 0;
	int kpar = (growth ? 3 : 2) + 2 * whole + (e[0] > 0) + (e[3] > 0);

	if (e[3] >= n || (e[3] > 0 && e[3] < 2) ||
	    (whole &&
	     (a == 0 || a + 2 > b || b >= n || (e[3] > 0 && b + 2 > last) ||
	      (e[0] > 0 && e[0] + 2 > a))) ||
	    (!whole && (e[0] == 0 || e[3] == 0 || e[0] + 2 > last)) ||
	    MODELS_BOX_MAX * (double)n < (double)(e[0] + b - a + e[3]))
		return false;
	for (i = 0; i < n; i++)
		w->col[0][i] = i < e[0] || (i >= a && i < b) || i >= last;
	tmp = *f;
	if (!models_try(w, cols, growth ? 3 : 2, kpar, false, growth ? 2 : -1,
			&tmp, &ls) ||
	    ls.beta[1] * w->ys <
		fmax(MODELS_CYCLE_MIN_KB, MODELS_CYCLE_MIN_REL * fabs(w->y0)))
		return false;
	*f = tmp;
	f->box_kb = ls.beta[1] * w->ys;
	f->box_from_s = whole ? (x[a - 1] + x[a]) / 2 : x[0];
	f->box_to_s = whole ? (x[b - 1] + x[b]) / 2 : x[0];
	f->box_first_s = e[0] > 0 ? (x[e[0] - 1] + x[e[0]]) / 2 : x[0];
	f->box_last_s = e[3] > 0 ? (x[last - 1] + x[last]) / 2 : INFINITY;
	f->start_s = w->x0;
	return true;
}

/* Moves the edges e[from..3] one at a time by halving distances from d
 * while the fit improves. */
static void
models_refine_box(struct models_work *w, struct models_result *r,
		  const double *x, bool growth, size_t d, int from, size_t *e)
{
	size_t t[4];
	int j;

	for (; d > 0; d /= 2)
		for (j = 2 * from; j < 8; j++) {
			memcpy(t, e, sizeof t);
			if (j % 2 == 0 && t[j / 2] >= d)
				t[j / 2] -= d;
			else if (j % 2 == 1)
				t[j / 2] += d;
			if (memcmp(t, e, sizeof t) != 0 &&
			    models_try_box(w, r, x, growth, t))
				memcpy(e, t, sizeof t);
		}
}

/* One episode: a batch job that went up and will come back down (a
 * level and a box, bounded), against a line under such an episode
 * (growth): a leak under a batch job seen once is judged
 * by the line under it, not by the box.  The window may begin in the
 * episode before and end in the one after (as tall: the same job).  The
 * edges on a coarse grid, each fit's from the better of its own and the
 * other's; then refined, then the end of an episode at the start and
 * the start of one at the end.  Then the two at the ends without one
 * between, on a coarse grid, refined. */
static void
models_fit_episodes(struct models_work *w, struct models_result *r,
		    const double *x)
{
	size_t n = w->n, g = n / MODELS_BOX_GRID > 2 ? n / MODELS_BOX_GRID : 2;
	size_t e[2][4] = {{0, 0, 0, 0}, {0, 0, 0, 0}}, t[4] = {0, 0, 0, 0};
	int k;

	for (t[1] = g; t[1] + 2 <= n; t[1] += g)
		for (t[2] = t[1] + g;; t[2] += g) {
			t[2] = t[2] < n ? t[2] : n;
			for (k = 0; k < 2; k++)
				if (models_try_box(w, r, x, k, t))
					memcpy(e[k], t, sizeof t);
			if (t[2] == n)
				break;
		}
	for (k = 0; k < 2; k++) {
		if (models_try_box(w, r, x, k, e[!k]))
			memcpy(e[k], e[!k], sizeof t);
		if (e[k][2] == 0)
			continue;
		models_refine_box(w, r, x, k, g / 2, 1, e[k]);
		memcpy(t, e[k], sizeof t);
		for (t[0] = 2; t[0] + 2 <= e[k][1]; t[0] += g)
			if (models_try_box(w, r, x, k, t))
				e[k][0] = t[0];
		memcpy(t, e[k], sizeof t);
		for (t[3] = 2; e[k][2] + t[3] + 2 <= n; t[3] += g)
			if (models_try_box(w, r, x, k, t))
				e[k][3] = t[3];
		if (e[k][0] > 0 || e[k][3] > 0)
			models_refine_box(w, r, x, k, g / 2, 0, e[k]);
	}
	memset(t, 0, sizeof t);
	for (t[0] = g; t[0] + 2 * g <= n; t[0] += g)
		for (t[3] = g; t[0] + t[3] + 2 <= n; t[3] += g)
			for (k = 0; k < 2; k++)
				if (models_try_box(w, r, x, k, t))
					memcpy(e[k], t, sizeof t);
	for (k = 0; k < 2; k++)
		if (e[k][2] == 0 && e[k][0] > 0)
			models_refine_box(w, r, x, k, g / 2, 0, e[k]);
	/* Each fit from the other's edges too: the search is greedy, and
	 * a line under an episode whose edges the level's search found
	 * better lost to a swing on the level's episode. */
	for (k = 0; k < 2; k++)
		models_try_box(w, r, x, k, e[!k]);
}

/* How many time constants a start-up, taken out of the points, takes
 * to settle: into the noise -- its part left under the points' own
 * spread (sigma, widened by the residuals' autocorrelation) -- or to
 * 5 % of itself, three, whichever comes first (three too where there
 * is no spread to compare with).  The growth after it is judged from
 * there (the regime, and the points since a raise that may lower the
 * flag): a start-up as large as the noise is settled at once.  A
 * sawtooth's or a resize's bend fitted as a slow start-up put the
 * regime of a leak seen from 6 s at 181 s of 5 min, too short to
 * judge. */
static double
models_settled(const struct models_fit *f)
{
	double sd = f->sigma_kb / sqrt(fmax(1 - f->phi * f->phi, 1e-6));

	if (!(sd > 0) || isnan(f->exp_kb))
		return 3;
	if (fabs(f->exp_kb) <= sd)
		return 0;
	return fmin(3, log(fabs(f->exp_kb) / sd));
}

/* One time constant tau (in windows) of the warm-ups. */
static void
models_try_tau(struct models_work *w, struct models_result *r, double tau)
{
	const double *cols[3] = {w->one, w->col[2], w->u};
	struct models_fit *f;
	struct models_ls ls;
	size_t i;
	bool imp;

	for (i = 0; i < w->n; i++)
		w->col[2][i] = exp(-w->u[i] / tau);
	models_try_both(w, cols, 2, 3, -1, &r->fit[MODELS_WARMUP], &ls, &imp);
	if (imp) {
		f = &r->fit[MODELS_WARMUP];
		f->tau_s = tau * w->span;
		f->plateau_kb = w->y0 + w->ys * ls.beta[0];
		f->start_s = w->x0;
		f->exp_kb = ls.beta[1] * w->ys;
		w->warm_u = tau;
		w->warm_fill = false;
	}
	/* A start-up and a line only when the start-up settles (to 5 %,
	 * three time constants) within the first three quarters of the
	 * window: the growth is judged after it.  A slower one and the
	 * line are one curve, and the line's slope anything: a steady leak
	 * in 100 ms steps sampled off its ticks for 9 s was given 0.4 to
	 * 1.8 times its rate, and called levelling off. */
	if (3 * tau > 0.75)
		return;
	models_try_both(w, cols, 3, 4, 2, &r->fit[MODELS_STARTUP_LINEAR], &ls,
			&imp);
	if (imp) {
		f = &r->fit[MODELS_STARTUP_LINEAR];
		f->tau_s = tau * w->span;
		f->exp_kb = ls.beta[1] * w->ys;
		f->start_s = w->x0 + models_settled(f) * tau * w->span;
	}
}

/* Warm-ups: a + b e^(-t/tau) for tau from 1/64 of the window to
 * tau_cap windows (and tau_max_s), on a grid refined around the best;
 * with a line added, a start-up followed by growth.  A fill -- a rise
 * at a steady rate that stopped, seen flat for at least a quarter of
 * the window -- is a warm-up too. */
static void
models_fit_warmups(struct models_work *w, struct models_result *r,
		   const struct models_opts *opts)
{
	const double *cols[2] = {w->one, w->col[3]};
	double lo = 1.0 / 64, hi = opts->tau_cap, ratio, best, uc;
	struct models_fit *f = &r->fit[MODELS_WARMUP];
	struct models_ls ls;
	size_t i, c;
	int j;
	bool imp;

	if (opts->tau_max_s > 0)
		hi = fmin(hi, opts->tau_max_s / w->span);
	hi = fmax(hi, 4 * lo);
	ratio = pow(hi / lo, 1.0 / (MODELS_TAUS - 1));
	for (j = 0; j < MODELS_TAUS; j++)
		models_try_tau(w, r, lo * pow(ratio, j));
	best = f->tau_s / w->span;
	for (j = -3; j <= 3; j++)
		if (j != 0 && best * pow(ratio, j / 4.0) <= hi)
			models_try_tau(w, r, best * pow(ratio, j / 4.0));
	for (c = 1; c < w->n && w->u[c] <= 0.75; c++) {
		uc = w->u[c];
		for (i = 0; i < w->n; i++)
			w->col[3][i] = fmin(w->u[i], uc);
		models_try_both(w, cols, 2, 3, -1, f, &ls, &imp);
		if (imp) {
			f->tau_s = uc * w->span / 3;
			f->plateau_kb =
			    w->y0 + w->ys * (ls.beta[0] + ls.beta[1] * uc);
			f->start_s = w->x0;
			f->exp_kb = -ls.beta[1] * uc * w->ys;
			w->warm_u = uc;
			w->warm_fill = true;
		}
	}
}

static void
models_phi_grid_init(struct models_phi_grid *g, double phi_max)
{
	double p;
	int j;

	for (j = 0; j <= MODELS_PHI_STEPS; j++) {
		p = phi_max * j / MODELS_PHI_STEPS;
		g->p[j] = p;
		g->q[j] = 1 - p * p;
		g->log_q[j] = log(1 - p * p);
		g->pp[j] = p * p;
		g->p2[j] = 2 * p;
	}
}

struct models_work *
models_work_new(void)
{
	struct models_work *w = xcalloc(1, sizeof *w);

	int j;

	models_phi_grid_init(&w->phi_short, MODELS_PHI_MAX);
	models_phi_grid_init(&w->phi_wander, MODELS_PHI_WANDER);
	w->known[MODELS_KNOWN_ONE] = w->one;
	w->known[MODELS_KNOWN_U] = w->u;
	w->known[MODELS_KNOWN_V] = w->v;
	w->known[MODELS_KNOWN_ONEM] = w->onem;
	w->known[MODELS_KNOWN_VM] = w->vm;
	for (j = 0; j < 4; j++) {
		w->known[MODELS_KNOWN_CYC + j] = w->cyc[j];
		w->known[MODELS_KNOWN_CYCM + j] = w->cycm[j];
	}
	return w;
}

void
models_work_free(struct models_work *w)
{
	free(w);
}

void
models_work_keep_sums(struct models_work *w, bool keep)
{
	w->known_off = !keep;
}

void
models_work_score_all(struct models_work *w, bool all)
{
	w->score_all = all;
}

void
models_compare(struct models_work *w, const double *x, const double *y,
	       size_t n, const struct models_opts *opts,
	       struct models_result *r)
{
	double step_s;
	size_t m;
	int k;

	memset(r, 0, sizeof *r);
	r->best = r->best_bounded = MODELS_FLAT;
	r->best_growth = MODELS_KINDS;
	if (n < 8 || n > MODELS_MAX_POINTS || !(x[n - 1] > x[0]))
		return;
	models_prepare(w, x, y, n, &r->level_kb);
	step_s = models_step_s(x, n);
	w->has_cycle = false;
	r->period_s = models_find_cycle(w, opts, step_s, &r->cycle_amp_kb);
	w->has_cycle = r->period_s > 0;
	w->period_s = r->period_s;
	w->warm_u = 0;
	if (!w->has_cycle)
		r->cycle_amp_kb = 0;
	models_fit_flat_linear(w, r);
	models_fit_warmups(w, r, opts);
	/* None over the window: one after its start-up, whose jump would
	 * hide a cycle as the misfit of every period, is looked for. */
	m = w->has_cycle ? 0 : models_startup_end(w, r, x);
	if (m > 0) {
		models_set_mask(w, m);
		r->period_s =
		    models_find_cycle(w, opts, step_s, &r->cycle_amp_kb);
		models_set_mask(w, 0);
		w->has_cycle = r->period_s > 0;
		w->period_s = r->period_s;
		if (!w->has_cycle) {
			r->cycle_amp_kb = 0;
		} else {
			models_fit_flat_linear(w, r);
			models_fit_warmups(w, r, opts);
		}
	}
	models_fit_changes(w, r, x, opts);
	models_fit_swing(w, r, opts);
	/* A batch job's episode is a server's: in a test run a start-up
	 * ramp's bend passed for a line under an episode. */
	if (opts->daily)
		models_fit_episodes(w, r, x);
	models_fit_daily(w, r, opts);
	models_fit_daily_shapes(w, r, x, opts);
	models_fit_startups(w, r, x, opts);
	models_fit_wander(w, r, opts);
	models_fit_alias(w, r, x, opts);

	for (k = 0; k < MODELS_KINDS; k++) {
		const struct models_fit *f = &r->fit[k];

		if (!f->valid)
			continue;
		if (models_is_growth(k)) {
			if (f->slope <= 0)
				continue;
			if (r->best_growth == MODELS_KINDS ||
			    f->bic < r->fit[r->best_growth].bic)
				r->best_growth = k;
		} else if (f->bic < r->fit[r->best_bounded].bic ||
			   !r->fit[r->best_bounded].valid) {
			r->best_bounded = k;
		}
	}
	r->best = r->best_bounded;
	if (r->best_growth != MODELS_KINDS &&
	    r->fit[r->best_growth].bic < r->fit[r->best_bounded].bic)
		r->best = r->best_growth;
}

const struct models_fit *
models_judged(const struct models_result *r, enum models_kind kind)
{
	const struct models_fit *f = &r->fit[kind];

	return models_is_growth(r->best) && r->swing.valid && f->valid &&
		       r->swing.bic < f->bic
		   ? &r->swing
		   : f;
}

void
models_growth_part(const struct models_result *r, enum models_kind kind,
		   double x0, const double *x, const double *y, size_t n,
		   double *out)
{
	const struct models_fit *f = models_judged(r, kind);
	bool swing = f == &r->swing;
	double a, span;
	size_t i;

	span = n > 0 ? x[n - 1] - x0 : 0;
	for (i = 0; i < n; i++) {
		out[i] = y[i];
		if (f->cycle && r->period_s > 0) {
			a = 2 * M_PI * (x[i] - x0) / r->period_s;
			out[i] -= f->cyc[0] * cos(a) + f->cyc[1] * sin(a) +
				  f->cyc[2] * cos(2 * a) +
				  f->cyc[3] * sin(2 * a);
		}
		if (swing) {
			a = 2 * M_PI * (x[i] - x0) / MODELS_DAY_S;
			out[i] -= f->day[0] * cos(a) + f->day[1] * sin(a);
			continue;
		}
		if ((kind == MODELS_STARTUP_LINEAR || kind == MODELS_ONSET) &&
		    f->tau_s > 0 && span > 0)
			out[i] -= f->exp_kb * exp(-(x[i] - x0) / f->tau_s);
		if (kind == MODELS_LINEAR_EPISODE && models_in_box(f, x[i]))
			out[i] -= f->box_kb;
	}
}

size_t
models_onset_at(const double *x, const double *y, size_t n, size_t tail)
{
	double sy = 0, syy = 0, tx = 0, ty = 0, txx = 0, txy = 0, tyy = 0;
	double best = INFINITY, sse, k, cxx, cxy, cyy, y0, x0;
	size_t c, at = n;

	if (n < tail + 2 || tail < 2)
		return n;
	/* Centred, so that the sums of squares keep their digits. */
	x0 = x[0];
	y0 = y[0];
	for (c = 0; c < n; c++) {
		tx += x[c] - x0;
		ty += y[c] - y0;
		txx += (x[c] - x0) * (x[c] - x0);
		txy += (x[c] - x0) * (y[c] - y0);
		tyy += (y[c] - y0) * (y[c] - y0);
	}
	for (c = 0; c + tail <= n; c++) {
		if (c >= 2) {
			k = (double)(n - c);
			cxx = txx - tx * tx / k;
			cxy = txy - tx * ty / k;
			cyy = tyy - ty * ty / k;
			sse = syy - sy * sy / (double)c + cyy -
			      (cxx > 0 ? cxy * cxy / cxx : 0);
			if (sse < best) {
				best = sse;
				at = c;
			}
		}
		sy += y[c] - y0;
		syy += (y[c] - y0) * (y[c] - y0);
		tx -= x[c] - x0;
		ty -= y[c] - y0;
		txx -= (x[c] - x0) * (x[c] - x0);
		txy -= (x[c] - x0) * (y[c] - y0);
		tyy -= (y[c] - y0) * (y[c] - y0);
	}
	return at;
}

bool
models_daily_out(struct models_work *w, const double *x, double *y, size_t n,
		 double *amp_kb)
{
	const double *cols[4] = {w->one, w->u, w->day[0], w->day[1]};
	struct models_ls ls;
	double level;
	size_t i;

	if (n < 8 || n > MODELS_MAX_POINTS || !(x[n - 1] > x[0]))
		return false;
	models_prepare(w, x, y, n, &level);
	w->mask = 0;
	models_day_columns(w);
	if (!models_solve(w, cols, 4, &ls))
		return false;
	for (i = 0; i < n; i++)
		y[i] -=
		    (ls.beta[2] * w->day[0][i] + ls.beta[3] * w->day[1][i]) *
		    w->ys;
	*amp_kb = hypot(ls.beta[2], ls.beta[3]) * w->ys;
	return true;
}
