/*
 * 95 % error bounds of a proportion estimated from a sample drawn without
 * replacement: the Wilson score interval (Wilson 1927; Agresti & Coull,
 * "Approximate is better than exact", 1998), which stays honest at 0 and
 * at 1 where the normal one collapses to nothing, narrowed by the
 * finite-population correction sqrt((N - n) / (N - 1)).
 */
#ifndef MEMTREND_UTIL_BOUND_H
#define MEMTREND_UTIL_BOUND_H

/* The interval [*lo, *hi] for a proportion p seen in n draws out of a
 * population of N items (n <= N; all drawn: [p, p]). */
void bound_wilson(double p, double n, double population, double *lo,
		  double *hi);

/* The larger distance from p to either end of that interval: the
 * "plus or minus" a column can state around p. */
double bound_wilson_err(double p, double n, double population);

#endif
