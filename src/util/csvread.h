/*
 * CSV files read row by row (see csvread.c): analyze's replay, the charts
 * and the tests read memtrend's CSVs back this way.
 */
#ifndef MEMTREND_UTIL_CSVREAD_H
#define MEMTREND_UTIL_CSVREAD_H

#include <stddef.h>

#include "util/error.h"

/*
 * Reads a CSV file (or "-" for standard input; plain or gzip) row by
 * row.  fn gets the
 * row's 1-based line number and its NUL-terminated cells; a non-zero
 * return stops the read and is passed back.
 */
typedef int (*csv_row_fn)(void *ctx, unsigned long line, char **cells,
			  size_t ncells);
int csv_read(const char *path, csv_row_fn fn, void *ctx, struct error *err);

/* The same, and a first line whose first cell starts with "# " (a
 * comment: memtrend's provenance line, docs/formats.md) goes to comment
 * instead of fn.  csv_read() skips it: every reader takes files with and
 * without it, and line numbers count it. */
int csv_read_with(const char *path, csv_row_fn fn, csv_row_fn comment,
		  void *ctx, struct error *err);

/* The index of the first header cell equal to name, or -1: the one way a
 * column is found by name in memtrend's CSVs. */
long csv_column(char *const *cells, size_t ncells, const char *name);

#endif
