/*
 * Running first/last/min/max of every field over a run, in constant
 * memory, for the summary printed at exit.
 */
#ifndef MEMTREND_ANALYSIS_SUMMARY_H
#define MEMTREND_ANALYSIS_SUMMARY_H

#include "core/sample.h"

struct summary_stat {
	unsigned long n; /* samples where the value was known */
	double first, last, min, max;
	double first_s, last_s; /* elapsed_s of first and last */
};

struct summary {
	unsigned long samples;
	double first_s, last_s;
	double cost_total_s, cost_max_s;
	struct summary_stat stat[FIELD_COUNT];
};

void summary_init(struct summary *sum);
void summary_add(struct summary *sum, const struct sample *s);

/* last - first per hour of the span between them; NAN under two points. */
double summary_rate_per_hour(const struct summary_stat *st);

#endif
