/*
 * CSV time series out and in, through libcsv.  The header contract is in
 * DESIGN.md: timestamp,elapsed_s,pid then the field table in order.  A row
 * is written whole with one write(2) per tick; a failed write is cut back
 * so every row before it stays intact and parseable.
 */
#ifndef MEMTREND_SINKS_CSV_H
#define MEMTREND_SINKS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sample.h"

struct csv_sink;

/* path "-" writes to standard output.  An existing file is refused unless
 * force is set. */
int csv_sink_open(struct csv_sink **out, const char *path, bool force,
    struct error *err);
/* Checks, without creating anything, that csv_sink_open() could create
 * path: its directory exists and is writable, and it does not exist yet
 * unless force is set.  Run before starting a command or a long wait. */
int csv_sink_check(const char *path, bool force, struct error *err);
int csv_sink_write(struct csv_sink *c, const struct sample *s,
    struct error *err);
const char *csv_sink_path(const struct csv_sink *c);
/* Returns 0 or -errno when the final flush to disk failed. */
int csv_sink_close(struct csv_sink *c, struct error *err);

/* The header and one row, each ending in "\n"; return their length. */
size_t csv_format_header(char *buf, size_t len);
size_t csv_format_row(char *buf, size_t len, const struct sample *s);

/* Appends src to buf as one CSV field, quoted only when it must be. */
size_t csv_format_text(char *buf, size_t len, const char *src);

/*
 * Reads a CSV file (or "-" for standard input) row by row.  fn gets the
 * row's 1-based line number and its NUL-terminated cells; a non-zero
 * return stops the read and is passed back.
 */
typedef int (*csv_row_fn)(void *ctx, unsigned long line, char **cells,
    size_t ncells);
int csv_read(const char *path, csv_row_fn fn, void *ctx, struct error *err);

#endif
