/*
 * The terminal: live rows vmstat-style (header again every screenful on a
 * terminal; plain text otherwise), the summary at exit, and the --probe
 * table.
 */
#ifndef MEMTREND_SINKS_TERM_H
#define MEMTREND_SINKS_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/summary.h"
#include "analysis/verdict.h"
#include "probe.h"
#include "sample.h"

struct term_sink;

struct term_sink *term_open(FILE *fp, bool raw_kib);
void term_row(struct term_sink *t, const struct sample *s);
void term_close(struct term_sink *t);

/* The end-of-run table: first/last/min/max, change and rate of each
 * field, faults, overruns and the sampling cost. */
void term_summary(FILE *fp, const struct summary *sum, bool raw_kib,
    double interval_s, unsigned long overruns);

/* The live verdict line: printed when the verdict changes, and again
 * every TERM_VERDICT_ROWS rows while it holds. */
void term_verdict(struct term_sink *t, const struct verdict *v);
/* The verdict sentence that ends the summary. */
void term_verdict_summary(FILE *fp, const struct verdict *v);

void term_probe(FILE *fp, const struct probe *p);

#endif
