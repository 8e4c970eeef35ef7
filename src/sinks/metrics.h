/*
 * Metrics out for Prometheus: a snapshot of what the daemon knows
 * rendered in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), served
 * over HTTP, or written atomically for node_exporter's textfile collector (the
 * server: sinks/metrics-server.h).
 *
 * The snapshot is plain data: names are the caller's strings (escaped
 * here: backslash, double quote and newline as the format says, bytes
 * that are not UTF-8 as U+FFFD), and NAN means unavailable: that series
 * is left out, never written as 0.
 */
#ifndef MEMTREND_SINKS_METRICS_H
#define MEMTREND_SINKS_METRICS_H

#include <stddef.h>

#include "util/error.h"

struct metrics_proc {
	const char *target;
	int pid;
	/* 1, 2, ... across restarts: the process_instance label (Prometheus
	 * keeps "instance" for the scraped host) */
	unsigned instance;
	double rss_bytes, pss_bytes, uss_bytes; /* NAN: unavailable */
};

struct metrics_region {
	const char *target;
	int pid;
	const char *region;
	double bytes;
};

struct metrics_target {
	const char *target;
	/* verdict_name()'s ("growing", "stable", "insufficient"); another
	 * string is listed as a state of its own */
	const char *verdict_state;
	double growth_bps, growth_lo_bps, growth_hi_bps; /* NAN: none yet */
	double hours_to_exhaustion;			 /* NAN: none */
	unsigned long restarts_total;
	int up; /* processes matched now */
};

struct metrics_self {
	double sample_seconds_total; /* CPU time spent sampling */
	double budget_fraction;	     /* of one core, allowed */
	double budget_used_fraction; /* of one core, used */
	unsigned long overruns_total, samples_total;
	double rss_bytes; /* the daemon's own */
};

struct metrics_snapshot {
	const struct metrics_proc *procs;
	size_t nprocs;
	const struct metrics_region *regions;
	size_t nregions;
	const struct metrics_target *targets;
	size_t ntargets;
	struct metrics_self self;
	double timestamp_s; /* CLOCK_REALTIME of the last sample */
};

/* The snapshot's text in *text (malloc'd, NUL-terminated, *len bytes
 * without the NUL).  Returns 0. */
int metrics_render(const struct metrics_snapshot *s, char **text, size_t *len,
		   struct error *err);

/* Writes text to path through path.tmp and rename(2), so a reader
 * (node_exporter's textfile collector) sees the old file or the new,
 * never half of one. */
int metrics_write_textfile(const char *path, const char *text, size_t len,
			   struct error *err);

#endif
