/*
 * The recap printed when a run ends: the table of each size's first, last,
 * minimum, maximum, change and rate, the regions that grew most, their
 * idle memory, what each sampling tier cost, and the verdict sentence.
 */
#ifndef MEMTREND_SINKS_RECAP_H
#define MEMTREND_SINKS_RECAP_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/regtrack.h"
#include "analysis/summary.h"
#include "analysis/verdict.h"
#include "core/tiers.h"

/* The regions that grew most over the run (rt), n at most. */
void recap_regions(FILE *fp, const struct regtrack *rt, bool raw_kib, size_t n);

/* For the regions that grew most (n at most): their oldest idle memory,
 * the time its age means, and the share of their new memory never
 * touched again ("[heap] 41 MiB idle for >= 10 min"). */
void recap_idle(FILE *fp, const struct regtrack *rt, bool raw_kib, size_t n);

/* How often each tier ran over span_s (first to last sample), what it
 * cost, and the monitor's CPU share of wall_s. */
void recap_tiers(FILE *fp, const struct tiers *s, double span_s, double wall_s);

/* How often the exact reads lay outside the estimates' bounds (nothing
 * when none was compared). */
void recap_estimates(FILE *fp, unsigned long compared, unsigned long outside);

/* The end-of-run table: first/last/min/max, change and rate of each
 * field, faults, overruns and the sampling cost. */
void recap_table(FILE *fp, const struct summary *sum, bool raw_kib,
		 double interval_s, unsigned long overruns);

/* The verdict sentence that ends the summary. */
void recap_verdict(FILE *fp, const struct verdict *v);

#endif
