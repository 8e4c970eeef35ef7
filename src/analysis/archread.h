/*
 * Reading a capture archive back (docs/archive.md; the codec:
 * core/archive.c): every process sample, in time order, with its regions
 * when it has some.  A damaged record ends the read there -- what came
 * before is still analysed, and the damage (which record, which byte
 * offset, how many bytes skipped) is described for the user.  A ring's
 * older segment (PATH.1) is read first when it is there.
 */
#ifndef MEMTREND_ANALYSIS_ARCHREAD_H
#define MEMTREND_ANALYSIS_ARCHREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/archive.h"
#include "core/kernel.h"
#include "core/sample.h"
#include "util/error.h"

#define ARCHREAD_NOTES 4

struct archread_info {
	struct archive_session session; /* the first one */
	unsigned long sessions, records, samples;
	unsigned long system_samples; /* capture --system's */
	unsigned int targets;	      /* distinct target ids seen */
	bool named;		      /* of capture -n: every process its own */
	unsigned long restarts; /* restart records (a name's new process) */
	unsigned long exits;	/* exit records */
	unsigned int segments;	/* 2 when PATH.1 was read too */
	uint64_t skipped_bytes; /* after the first bad record */
	char damage[400];	/* "" or what was bad and where */
	char notes[ARCHREAD_NOTES][256]; /* the archive's first notes */
	unsigned int nnotes;
};

/* Each process sample of target id (its elapsed_s counted from the
 * archive's first session, across appended runs and ring segments, its
 * pid and comm) goes to fn; a non-zero return stops the read and is
 * returned. */
typedef int (*archread_fn)(void *ctx, unsigned int id, const struct sample *s);

/* 0 with info filled (damage noted there), or -errno with err filled
 * when path cannot be read or is not an archive at all. */
int archread_file(const char *path, archread_fn fn, void *ctx,
		  struct archread_info *info, struct error *err);

/* Each system sample (capture --system: /proc/meminfo), its values by
 * the kernel table (core/kernel.h), no cache rows. */
typedef int (*archread_system_fn)(void *ctx, const struct ksample *k);

/* archread_file(), the system samples going to sysfn. */
int archread_file_system(const char *path, archread_fn fn,
			 archread_system_fn sysfn, void *ctx,
			 struct archread_info *info, struct error *err);

/* Each start, restart and exit record (kind ARCHIVE_START...) after the
 * samples before it, and each session record (t NULL: the ids that
 * follow are the new run's) goes to tfn. */
typedef int (*archread_target_fn)(void *ctx, unsigned int kind,
				  const struct archive_target *t);
int archread_file_targets(const char *path, archread_fn fn,
			  archread_target_fn tfn, void *ctx,
			  struct archread_info *info, struct error *err);

/* Whether an archive reads in the long format, a row per process (pid
 * and comm tell them apart): capture -n's, or one of several targets.
 * Else it is one process's series, target 0's. */
bool archread_is_long(const struct archread_info *info);

/* Whether path starts with the archive's magic (whatever its name). */
bool archread_is_archive(const char *path);

/* Reads an archive held in memory (the fuzz target's entry). */
int archread_buffer(const char *name, const unsigned char *buf, size_t len,
		    archread_fn fn, void *ctx, struct archread_info *info,
		    struct error *err);

#endif
