/*
 * The terminal: live rows vmstat-style (header again every screenful on a
 * terminal; plain text otherwise) and the summary at exit.
 */
#ifndef MEMTREND_SINKS_TERM_H
#define MEMTREND_SINKS_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/regtrack.h"
#include "analysis/summary.h"
#include "analysis/verdict.h"
#include "core/sample.h"
#include "core/tiers.h"

struct term_sink;

/* top_regions: how many regions to list after a row that brought region
 * data (0: none). */
struct term_sink *term_open(FILE *fp, bool raw_kib, size_t top_regions);
/* One row; then, when the sample has regions, the top regions of rt. */
void term_row(struct term_sink *t, const struct sample *s,
    const struct regtrack *rt);
void term_close(struct term_sink *t);

/* The regions that grew most over the run (rt), n at most. */
void term_regions_summary(FILE *fp, const struct regtrack *rt, bool raw_kib,
    size_t n);

/* For the regions that grew most (n at most): their oldest idle memory,
 * the time its age means, and the share of their new memory never
 * touched again ("[heap] 41 MiB idle for >= 10 min"). */
void term_idle_summary(FILE *fp, const struct regtrack *rt, bool raw_kib,
    size_t n);

/* How often each tier ran over span_s (first to last sample), what it
 * cost, and the monitor's CPU share of wall_s. */
void term_tiers(FILE *fp, const struct tiers *s, double span_s,
    double wall_s);

/* The end-of-run table: first/last/min/max, change and rate of each
 * field, faults, overruns and the sampling cost. */
void term_summary(FILE *fp, const struct summary *sum, bool raw_kib,
    double interval_s, unsigned long overruns);

/* The live verdict line: printed when the verdict changes, and again
 * every TERM_VERDICT_ROWS rows while it holds. */
void term_verdict(struct term_sink *t, const struct verdict *v);
/* The verdict sentence that ends the summary. */
void term_verdict_summary(FILE *fp, const struct verdict *v);

/* A one-line notice on standard error ("memtrend: ..."). */
void term_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
