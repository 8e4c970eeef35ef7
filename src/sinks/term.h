/*
 * The terminal: live rows vmstat-style (header again every screenful on a
 * terminal; plain text otherwise), the live verdict line and notices.
 * The recap at the end of a run is sinks/recap.h.
 */
#ifndef MEMTREND_SINKS_TERM_H
#define MEMTREND_SINKS_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/regtrack.h"
#include "analysis/verdict.h"
#include "core/sample.h"

#define TERM_COL 10 /* width of a number column */

struct term_sink;

/* The memory columns of the live rows and the recap, in order. */
extern const enum field_id term_mem_fields[];
extern const size_t term_nmem_fields;

/* top_regions: how many regions to list after a row that brought region
 * data (0: none); interval_s: the sampling interval, for saying when the
 * first verdict comes. */
struct term_sink *term_open(FILE *fp, bool raw_kib, size_t top_regions,
			    double interval_s);
/* The columns rows must fit in fp: a terminal's width (TIOCGWINSZ), else
 * $COLUMNS when set, else 80 on a terminal and 0 (no limit) elsewhere. */
size_t term_width(FILE *fp);
/* Whether escape codes (bold) may go to fp: a terminal, NO_COLOR unset
 * or empty, TERM not "dumb". */
bool term_escapes_ok(FILE *fp);
/* One row; then, when the sample has regions, the top regions of rt. */
void term_row(struct term_sink *t, const struct sample *s,
	      const struct regtrack *rt);
void term_close(struct term_sink *t);

/* The live verdict line: printed when the verdict changes, and again
 * every TERM_VERDICT_ROWS rows while it holds. */
void term_verdict(struct term_sink *t, const struct verdict *v);
/* A region name cut to width from the left, where paths differ least;
 * buf holds the cut name when it must be cut. */
const char *term_fit_name(char *buf, size_t len, const char *name,
			  size_t width);
/* One line per region of rt (n at most): name, kind, USS (or RSS),
 * growth, rate; first and last values unless last_only. */
void term_region_lines(FILE *fp, const struct regtrack *rt, bool raw, size_t n,
		       bool last_only);

/* A one-line notice on standard error ("memtrend: ..."). */
void term_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
