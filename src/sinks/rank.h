/*
 * The ranked view of memtrend top: every process watched, ranked by the
 * growth rate of its judged metric, with its verdict, size and share of
 * the growth.  On a terminal the screen is redrawn each tick; otherwise
 * a block per tick is appended, top -b style.
 */
#ifndef MEMTREND_SINKS_RANK_H
#define MEMTREND_SINKS_RANK_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "analysis/summary.h"
#include "analysis/verdict.h"

struct rank_row {
	pid_t pid;
	const char *comm;
	const char *cmdline;
	const struct summary *summary;
	const struct verdict *verdict;
	double rate_kb_h; /* NAN: not known yet */
};

struct rank_sink;

/* rows: how many processes a screen lists (0: as many as fit). */
struct rank_sink *rank_open(FILE *fp, bool raw_kib, size_t rows);
/* Ranks rows (in place) and shows them. */
void rank_show(struct rank_sink *r, struct rank_row *rows, size_t n,
	       double elapsed_s);
void rank_close(struct rank_sink *r);

/* Fastest growth first; not yet known last. */
void rank_sort(struct rank_row *rows, size_t n);
/* The latest size of the judged metric (USS, else PSS, else RSS), and
 * which it is. */
double rank_size_kb(const struct rank_row *row, const char **metric);
/* The header and up to max rows of the table, each line at most width
 * columns (at least 60). */
void rank_table(FILE *fp, const struct rank_row *rows, size_t n, size_t max,
		bool raw_kib, size_t width);

#endif
