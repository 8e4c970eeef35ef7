/*
 * JSON lines out (https://jsonlines.org, also called NDJSON): one JSON
 * object per sample, for jq and log shippers.  The keys are the CSV's
 * (timestamp, elapsed_s, pid, then the field table in order); an
 * unavailable value is null, never 0.  The file is written as the CSV is
 * (sinks/csv.h): one write per sample, a failed write cut back to the last
 * whole line.
 */
#ifndef MEMTREND_SINKS_JSONL_H
#define MEMTREND_SINKS_JSONL_H

#include <stdbool.h>

#include "core/sample.h"
#include "sinks/csv.h"
#include "util/error.h"

struct jsonl_sink;

/* True when path names a JSON lines file: .ndjson or .jsonl. */
bool jsonl_path(const char *path);

/* path "-" writes to standard output; an existing file is refused
 * unless force is set, a symbolic link always. */
int jsonl_sink_open(struct jsonl_sink **out, const char *path, bool force,
		    struct error *err);
int jsonl_sink_write(struct jsonl_sink *j, const struct sample *s,
		     struct error *err);
/* Returns 0 or -errno when the final flush failed; j may be NULL. */
int jsonl_sink_close(struct jsonl_sink *j, struct error *err);

/* The sample's object and a newline, appended to b. */
void jsonl_format(struct csv_buf *b, const struct sample *s);

#endif
