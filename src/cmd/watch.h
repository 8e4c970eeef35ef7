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
#include "sources/targets.h"
#include "util/error.h"

/* When USS and PSS are estimated from a sample of pages (README,
 * "Estimates"). */
enum watch_estimate {
	WATCH_ESTIMATE_AUTO,   /* when the budget cannot read them every tick */
	WATCH_ESTIMATE_ALWAYS, /* --estimate: every tick the budget allows */
	WATCH_ESTIMATE_NEVER,  /* --no-estimate */
};

struct watch_opts {
	uint64_t interval_ns;
	uint64_t count;	      /* stop after this many samples; 0: never */
	uint64_t duration_ns; /* stop after this long; 0: never */
	const char *csv_path; /* NULL: no CSV */
	bool json_lines;      /* csv_path gets JSON lines, not CSV */
	const char *regions_csv_path;	    /* NULL: no regions CSV */
	const struct archive_opts *archive; /* NULL: no capture archive */
	bool system_samples; /* /proc/meminfo each tick, to the archive */
	bool force;	     /* overwrite existing CSV files */
	bool live;	     /* print a row per sample */
	bool raw_kib;
	double budget; /* fraction of one core; 1: unlimited */
	/* The daemon: notices name its config's keys ("budget ="), not
	 * the command line's options. */
	bool conf_keys;
	bool regions;		   /* tier 2: regions from smaps */
	bool pages;		   /* tier 3: regions from a pagemap walk */
	size_t top_regions;	   /* regions listed live and in the summary */
	bool idle;		   /* access tracking on each region sample */
	bool allow_clear_refs;	   /* false: --no-clear-refs */
	unsigned int idle_sample;  /* pages followed per region */
	bool faults;		   /* perf page-fault events */
	bool fault_addresses;	   /* ... and where they happen */
	unsigned int fault_period; /* one address sample per N faults */
	enum watch_estimate estimate;
	enum region_group group;
	int metric;	  /* judged by the verdict; VERDICT_AUTO */
	bool daily_cycle; /* the verdict waits out a daily cycle */
	bool no_verdict;  /* capture: judged later, from the archive */
	const char *root;
	/* A set of targets, found again every tick (NULL: the one target
	 * given to watch_run).  The members' heavy tiers run in the same
	 * tick, and their sum (pid 0 in the CSV) is judged -- unless rank
	 * is set (memtrend top): then each member is judged alone and the
	 * budget serves the biggest and fastest-growing first. */
	const struct targets_spec *set;
	bool rank;
	bool keep_on_empty; /* a set that matches nothing is waited for */
	/* capture -n NAME -p PID ...: sets each a group of its own on the
	 * loop's clock (set and the target given to watch_run are then
	 * NULL), every process of them archived as a target of its own.
	 * Names are followed across restarts until the run is stopped;
	 * when every set is a TARGETS_PID, the run ends once all of them
	 * have gone.  Their sums are neither archived nor shown. */
	const struct targets_spec *sets;
	size_t nsets;
};

enum watch_end {
	WATCH_END_COUNT,
	WATCH_END_DURATION,
	WATCH_END_SIGNAL,
	WATCH_END_TARGET_EXIT, /* the target exited (or its pid was reused) */
	WATCH_END_ERROR,       /* a source or sink failed; see the error */
};

/* One process watched, and what is known of it. */
struct layout;
struct faults;
struct csv_sink;
struct system;

/*
 * A group of members judged together: the one target, a set, or one of a
 * daemon's targets.  A daemon's groups share the loop's clock, tier
 * scheduler and budget; each has its own set, sum, verdict and files, and
 * samples every `every` ticks of the loop.
 */
struct watch_group {
	/* Given by the caller (watch_group_add). */
	struct targets_spec spec; /* its strings outlive the group */
	unsigned int every;	  /* ticks of the loop between samples; >= 1 */
	int metric;		  /* judged by its verdicts; VERDICT_AUTO */
	bool regions;		  /* its members' regions, when the loop's on */
	bool sum_only;		  /* only the sum is judged: its members
				     have no detector (~100 KiB each once
				     filled) */
	double first_elapsed_s;	  /* the elapsed_s of its first sample (the
				     history it resumes ran to then) */
	unsigned long instance;	  /* the instance last stored; 0: none */
	pid_t resume_pids[8];	  /* its processes then (same instance) */
	size_t nresume;
	/* Its CSVs (CSV_DAEMON and CSV_REGIONS), the caller's to open,
	 * rotate and close between ticks; NULL: none.  A failing write is
	 * noted in write_error and the sampling goes on. */
	struct csv_sink *csv, *regions_csv;
	/* Loop state, read by the caller after each tick. */
	struct targets *set;	  /* NULL: the one target of watch_run */
	struct system *system;	  /* the context of its sum */
	struct watch_member *sum; /* judged; NULL for a ranked set */
	double offset_s; /* its elapsed_s less the loop's; NAN: unset */
	double departed[FIELD_COUNT]; /* counters of members gone */
	bool ticked;		      /* sampled in the last tick */
	bool had_members;	      /* matched something once */
	size_t live;		      /* members there now */
	unsigned long restarts;	      /* new instances since it was added */
	int write_rc;		      /* the last write's; 0: fine */
	struct error write_error;
	int scan_rc; /* the last scan's; 0: fine */
	struct error scan_error;
	bool unreadable_noted; /* a capture's: a process it cannot read */
};

struct watch_member {
	struct watch_group *g;
	struct target t;
	char cmdline[256];
	struct summary summary;
	struct regtrack regions;
	struct verdict verdict;
	double joined_s; /* elapsed_s when it was first sampled */
	double left_s;	 /* ... when it was last seen; NAN while present */
	double last[FIELD_COUNT];  /* its latest sample's values (NAN: not
				      read then) */
	double known[FIELD_COUNT]; /* the latest value read of each field
				      (USS between budgeted reads) */
	/* Loop state (watch.c). */
	struct layout *layout;
	struct faults *faults;
	uint64_t *fault_addrs;
	size_t nfault_addrs, fault_cap;
	double faults_counted;
	double stat_cost_s;   /* a stat-only read, measured at the start */
	double rollup_cost_s; /* its smaps_rollup walk (EWMA) */
	double rollup_s;      /* when it last ran; -1: never */
	double rollup_rss_kb; /* RSS then */
	bool seen;	      /* in this tick's scan */
	/* A ranked set's stat/status values, from this tick's scan. */
	double scan[FIELD_COUNT];
	bool scan_sized;
	bool rollup_now;      /* smaps_rollup runs this tick */
	double need;	      /* how much it needs one (ranked sets) */
	bool estimate_failed; /* no layout for the totals' estimate */
	bool cut;	      /* its last sample was cut by its exit */
	int archive_id;	      /* its target id in the archive (watch_opts.sets);
				 -1: none yet, -2: never (the archive is full) */
};

struct watch_result {
	enum watch_end end;
	struct error why; /* what ended the run, for the user */
	/* Every process watched, gone ones too, in the order they joined;
	 * judged is the series the verdict is about: the one target's, or
	 * the sum of a set's (NULL for a ranked set). */
	struct watch_member **members;
	size_t nmembers;
	struct watch_member *judged;
	struct tiers tiers;
	double elapsed_s;
	uint64_t overruns;
	unsigned long csv_rows;		   /* -o rows (or JSON lines) written */
	unsigned long regions_csv_samples; /* written whole */
	struct archive_sink_stats archive; /* what the archive took */
	uint64_t faults_lost; /* address samples the kernel dropped */
	/* Exact values compared with the estimate taken just before them,
	 * and how many lay outside its 95 % bound. */
	unsigned long estimates_compared, estimates_outside;
};

/* Runs until an end condition; sets up its own signal handling.  t is
 * the one target watched, or for a set the process whose exit ends the
 * run (a launched command watched with its tree), or NULL.  The result
 * holds memory: release it with watch_result_free(). */
void watch_run(const struct watch_opts *o, struct target *t,
	       struct watch_result *res);

/* The growth rate of a member's judged metric in KiB/h: the verdict's
 * fitted slope once it has one, else first to last; NAN before two
 * samples. */
double watch_member_rate(const struct watch_member *m);

/* A member as a row of the ranked table (sinks/rank.h). */
struct rank_row;
void watch_member_row(const struct watch_member *m, struct rank_row *row);
void watch_result_free(struct watch_result *res);

/*
 * The loop driven by its caller (memtrend daemon): groups added and
 * removed between ticks.  watch_begin() returns NULL with res->why
 * filled when the sources cannot open; watch_step() takes one tick
 * (returns 0 or -errno with res->why filled); watch_wait() sleeps until
 * the next tick, false when a signal asked to stop (stop_signal() says
 * which; stop_install() again to go on).
 */
struct watch;
struct watch *watch_begin(const struct watch_opts *o, struct watch_result *res);
int watch_group_add(struct watch *w, struct watch_group *g, struct error *err);
/* Its members leave the result and are freed; the group's CSVs stay the
 * caller's. */
void watch_group_remove(struct watch *w, struct watch_group *g);
int watch_step(struct watch *w);
bool watch_wait(struct watch *w);
void watch_end_run(struct watch *w);

#endif
