/*
 * The sampling loop: on every tick the sources fill one sample, which the
 * sinks (terminal, CSV) and the run summary then read.  Data flows one way.
 */
#ifndef MEMTREND_WATCH_H
#define MEMTREND_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/summary.h"
#include "analysis/verdict.h"
#include "error.h"
#include "target.h"

struct watch_opts {
	uint64_t interval_ns;
	uint64_t count;		/* stop after this many samples; 0: never */
	uint64_t duration_ns;	/* stop after this long; 0: never */
	const char *csv_path;	/* NULL: no CSV */
	bool force;		/* overwrite an existing CSV */
	bool live;		/* print a row per sample */
	bool raw_kib;
	int metric;		/* judged by the verdict; VERDICT_AUTO */
	const char *root;
};

enum watch_end {
	WATCH_END_COUNT,
	WATCH_END_DURATION,
	WATCH_END_SIGNAL,
	WATCH_END_TARGET_EXIT,	/* the target exited (or its pid was reused) */
	WATCH_END_ERROR,	/* a source or sink failed; see the error */
};

struct watch_result {
	enum watch_end end;
	struct error why;	/* what ended the run, for the user */
	struct summary summary;
	struct verdict verdict;	/* freed by the caller: verdict_free() */
	uint64_t overruns;
	unsigned long csv_rows;
};

/* Runs until an end condition; sets up its own signal handling. */
void watch_run(const struct watch_opts *o, struct target *t,
    struct watch_result *res);

#endif
