/*
 * Wilson score intervals (see bound.h).
 */
#include "config.h"

#include <math.h>

#include "util/bound.h"

#define BOUND_Z 1.959963984540054 /* two-sided 95 % of the normal */

void
bound_wilson(double p, double n, double population, double *lo, double *hi)
{
	const double z = BOUND_Z;
	double centre, w, fpc;

	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	if (population <= n) {
		*lo = *hi = p;
		return;
	}
	fpc = sqrt((population - n) / (population - 1));
	centre = (p + z * z / (2 * n)) / (1 + z * z / n);
	w = z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n));
	*lo = fmax(0, centre - w * fpc);
	*hi = fmin(1, centre + w * fpc);
}

double
bound_wilson_err(double p, double n, double population)
{
	double lo, hi;

	bound_wilson(p, n, population, &lo, &hi);
	return fmax(p - lo, hi - p);
}
