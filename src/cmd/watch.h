/*
 * The sampling loop: on every tick the scheduler picks the tiers that fit
 * the budget, the sources fill one sample, and the sinks (terminal, CSV,
 * regions CSV) and analysis (summary, region growth) then read it.  Data
 * flows one way.
 */
#ifndef MEMTREND_WATCH_H
#define MEMTREND_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/regtrack.h"
#include "analysis/summary.h"
#include "analysis/verdict.h"
#include "core/regions.h"
#include "core/target.h"
#include "core/tiers.h"
#include "sinks/archive.h"
#include "util/error.h"

struct watch_opts {
	uint64_t interval_ns;
	uint64_t count;	      /* stop after this many samples; 0: never */
	uint64_t duration_ns; /* stop after this long; 0: never */
	const char *csv_path; /* NULL: no CSV */
	const char *regions_csv_path;	    /* NULL: no regions CSV */
	const struct archive_opts *archive; /* NULL: no capture archive */
	bool force;			    /* overwrite existing CSV files */
	bool live;			    /* print a row per sample */
	bool raw_kib;
	double budget;		   /* fraction of one core; 1: unlimited */
	bool regions;		   /* tier 2: regions from smaps */
	bool pages;		   /* tier 3: regions from a pagemap walk */
	size_t top_regions;	   /* regions listed live and in the summary */
	bool idle;		   /* access tracking on each region sample */
	bool allow_clear_refs;	   /* false: --no-clear-refs */
	unsigned int idle_sample;  /* pages followed per region */
	bool faults;		   /* perf page-fault events */
	bool fault_addresses;	   /* ... and where they happen */
	unsigned int fault_period; /* one address sample per N faults */
	enum region_group group;
	int metric;	  /* judged by the verdict; VERDICT_AUTO */
	bool daily_cycle; /* the verdict waits out a daily cycle */
	const char *root;
};

enum watch_end {
	WATCH_END_COUNT,
	WATCH_END_DURATION,
	WATCH_END_SIGNAL,
	WATCH_END_TARGET_EXIT, /* the target exited (or its pid was reused) */
	WATCH_END_ERROR,       /* a source or sink failed; see the error */
};

struct watch_result {
	enum watch_end end;
	struct error why; /* what ended the run, for the user */
	struct summary summary;
	struct regtrack regions;
	struct tiers tiers;
	double elapsed_s;
	struct verdict verdict; /* freed by the caller: verdict_free() */
	uint64_t overruns;
	unsigned long csv_rows;
	unsigned long regions_csv_samples; /* written whole */
	struct archive_sink_stats archive; /* what the archive took */
	uint64_t faults_lost; /* address samples the kernel dropped */
};

/* Runs until an end condition; sets up its own signal handling.  The
 * result holds memory: release it with watch_result_free(). */
void watch_run(const struct watch_opts *o, struct target *t,
	       struct watch_result *res);
void watch_result_free(struct watch_result *res);

#endif
