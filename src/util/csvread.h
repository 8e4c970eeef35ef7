/*
 * CSV files read row by row (see csvread.c): analyze's replay, the charts
 * and the tests read memtrend's CSVs back this way.
 */
#ifndef MEMTREND_UTIL_CSVREAD_H
#define MEMTREND_UTIL_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/*
 * Reads a CSV file (or "-" for standard input; plain or gzip) row by
 * row.  fn gets the
 * row's 1-based line number and its NUL-terminated cells; a non-zero
 * return stops the read and is passed back.  A last line with no line
 * end (a write cut short) is left out: the read returns 0 and says so in
 * err->msg, which is otherwise left as it was (clear it before to tell).
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

/* The cells of the rows after the header a reader hands on: cell i when
 * i < n and col[i]; any other cell reaches fn as "", its bytes not
 * copied out of the parser (unless plain says otherwise).  n == 0:
 * every cell.  fn sets it when it reads the header (the first row it
 * gets); the header itself comes whole. */
struct csv_want {
	bool *col;
	size_t n;
	/* NULL, or whether an unwanted cell may be left out: one it says
	 * no to reaches fn whole, for fn to check. */
	bool (*plain)(const void *cell, size_t len);
};

/* csv_read_with(), and the rows after the header cut to want's cells
 * (want NULL: every cell). */
int csv_read_want(const char *path, csv_row_fn fn, csv_row_fn comment,
		  void *ctx, const struct csv_want *want, struct error *err);

/* The index of the first header cell equal to name, or -1: the one way a
 * column is found by name in memtrend's CSVs. */
long csv_column(char *const *cells, size_t ncells, const char *name);

/* Whether path is a directory of CSV files (a daemon target's, rotated
 * and compressed) rather than one file. */
bool csv_is_dir(const char *path);

/* The CSV files (NAME.csv, NAME.csv.gz) of such a directory, in name
 * order, which is time order for the daemon's rotated files
 * (samples-20261130T120000.csv.gz before samples.csv): with regions the
 * regions CSVs (names starting "regions"), else the others.  Returns the
 * count (0: none), each path malloc'd; release with csv_dir_free(). */
long csv_dir_list(const char *dir, bool regions, char ***paths,
		  struct error *err);
void csv_dir_free(char **paths, long n);

#endif
