/*
 * The capture archive sink (memtrend capture -o FILE.mtc; the format:
 * docs/archive.md, the codec: core/archive.c).  Append-only: each tick's
 * records go out in one write() and are synced, a short write is cut
 * back, so a crash or power cut loses at most the record being written.
 * An existing archive is appended to after its last good record (a torn
 * tail is cut off, and said so).  With a size limit the archive is a ring
 * of two segments, FILE.mtc.1 (older) and FILE.mtc: when FILE.mtc
 * reaches half the limit it becomes FILE.mtc.1, dropping the older one.
 */
#ifndef MEMTREND_SINKS_ARCHIVE_H
#define MEMTREND_SINKS_ARCHIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/archive.h"
#include "core/sample.h"
#include "core/target.h"
#include "util/error.h"

struct archive_opts {
	const char *path;
	uint64_t max_bytes; /* 0: no limit; else both segments together */
	bool sync;	    /* fdatasync() after each tick (default) */
	struct archive_session session; /* filled by the caller */
};

struct archive_sink;

/* Opens or creates the archive and writes a session record and the start
 * record of target t (id 0; NULL: none yet, capture -n).  note, when not NULL,
 * receives what the user should hear about the file found ("" when nothing): a
 * cut torn tail. */
int archive_sink_open(struct archive_sink **out, const struct archive_opts *o,
		      const struct target *t, char *note, size_t note_len,
		      struct error *err);

/* A process sample of target id (and its regions when it has some). */
int archive_sink_write(struct archive_sink *a, unsigned int id,
		       const struct sample *s, struct error *err);

/* A process of capture -n group (its NAME) is first seen: it takes the
 * id a process of the same name left (a restart record), else a new one
 * (a start record).  Returns the id, -ENOSPC when ARCHIVE_MAX_TARGETS
 * are taken (noted in the archive once; the process is not captured),
 * or -errno with err filled. */
int archive_sink_join(struct archive_sink *a, const struct target *t,
		      const char *group, struct error *err);

/* Target id has gone: its exit record (how: "exited"...). */
int archive_sink_leave(struct archive_sink *a, unsigned int id, const char *how,
		       struct error *err);

/* A note record: one line for whoever analyses the archive. */
int archive_sink_note(struct archive_sink *a, const char *text,
		      struct error *err);

/* A system sample: the kernel table's values (core/kernel.h; NAN: not
 * read), only those changed since the segment's previous one. */
int archive_sink_system(struct archive_sink *a, double elapsed_s,
			const double value[KF_COUNT], struct error *err);

/* Records the target's exit (how: "exited with status 3"...) when
 * exited, then closes; err NULL: an error is already reported. */
int archive_sink_close(struct archive_sink *a, bool exited, const char *how,
		       struct error *err);

/* Bytes and process samples written by this run, segments rotated. */
struct archive_sink_stats {
	uint64_t bytes, samples, rotations;
};
void archive_sink_stats(const struct archive_sink *a,
			struct archive_sink_stats *st);

#endif
