/*
 * CSV time series out, through libcsv (reading back: util/csvread.h).  The
 * header contract is in DESIGN.md: timestamp,elapsed_s,pid then the field table
 * in order.  A row is written whole with one write(2) per tick; a failed write
 * is cut back so every row before it stays intact and parseable.
 */
#ifndef MEMTREND_SINKS_CSV_H
#define MEMTREND_SINKS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sample.h"
#include "util/error.h"

struct csv_sink;

enum csv_kind {
	CSV_SAMPLES, /* one row per sample (the contract) */
	CSV_REGIONS, /* long format: one row per region per region sample */
	CSV_LONG,    /* a set's: the CSV_SAMPLES columns, then comm and
			cmdline, one row per process per sample (the sum's
			pid is 0) */
	CSV_DAEMON,  /* CSV_LONG, then the instance column */
};

/* A growable text buffer rows are built in. */
struct csv_buf {
	char *text;
	size_t len, cap;
};

void csv_buf_add(struct csv_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends src as one CSV field, quoted (by libcsv) only when it must be. */
void csv_buf_text(struct csv_buf *b, const char *src);

/* path "-" writes to standard output.  An existing file is refused unless
 * force is set; a symbolic link always. */
int csv_sink_open(struct csv_sink **out, const char *path, enum csv_kind kind,
		  bool force, struct error *err);
/* The same, the header preceded by the run's provenance line ("# memtrend
 * VERSION,command=...,pid=...,host=...,kernel=...,started=...",
 * docs/formats.md), which memtrend's readers take back and skip. */
struct provenance;
int csv_sink_open_about(struct csv_sink **out, const char *path,
			enum csv_kind kind, bool force,
			const struct provenance *about, struct error *err);
/* A regular file appended to (a daemon's, after a restart): the header
 * (and provenance) only when it is empty. */
int csv_sink_open_append(struct csv_sink **out, const char *path,
			 enum csv_kind kind, const struct provenance *about,
			 struct error *err);
/* Bytes in the file up to the last row written whole. */
long long csv_sink_size(const struct csv_sink *c);
/* Writes the sample's row (CSV_SAMPLES), or its region rows when it has
 * any (CSV_REGIONS), in one write. */
int csv_sink_write(struct csv_sink *c, const struct sample *s,
		   struct error *err);
/* -EEXIST, with a message, when path ("-": standard output) is the file
 * c writes (same device and inode), else 0. */
int csv_sink_same_file(const struct csv_sink *c, const char *path,
		       struct error *err);
const char *csv_sink_path(const struct csv_sink *c);
/* A sink for another table (the kernel's): header is the first line,
 * without its newline ("": none, for sinks/jsonl.c's lines); rows go in
 * through csv_sink_put_rows(). */
int csv_sink_open_header(struct csv_sink **out, const char *path,
			 const char *header, bool force, struct error *err);
/* Writes b's text (whole rows) in one write; a failed write is cut back
 * to the last whole row. */
int csv_sink_put_rows(struct csv_sink *c, const struct csv_buf *b,
		      struct error *err);
/* "2026-11-30T07:31:53.123Z" for a CLOCK_REALTIME time. */
void csv_format_time(char *buf, size_t len, double wall_s);
/* Returns 0 or -errno when the final flush to disk failed. */
int csv_sink_close(struct csv_sink *c, struct error *err);

/* The header and rows, appended to b, each ending in "\n". */
void csv_format_header(struct csv_buf *b, enum csv_kind kind);
void csv_format_about(struct csv_buf *b, const struct provenance *p);
void csv_format_row(struct csv_buf *b, const struct sample *s);
void csv_format_long(struct csv_buf *b, const struct sample *s);
void csv_format_daemon(struct csv_buf *b, const struct sample *s);
void csv_format_regions(struct csv_buf *b, const struct sample *s);

#endif
