/*
 * A run's time series read back whole from memtrend's CSV files, for the
 * charts and the report.  The samples CSV is read through the replay's
 * column mapping (replay_file_each), so its verdict is exactly the one
 * `memtrend analyze` gives; the long-format regions CSV becomes one
 * series per region, ranked by growth as the live summary ranks them
 * (analysis/regtrack).  Unknown values are NAN, never 0.
 */
#ifndef MEMTREND_SERIES_H
#define MEMTREND_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/regtrack.h"
#include "analysis/summary.h"
#include "analysis/verdict.h"
#include "core/regions.h"
#include "util/error.h"

/* The columns kept row by row (the summary keeps the rest). */
enum series_col {
	SERIES_RSS,
	SERIES_PSS,
	SERIES_USS,
	SERIES_MINFLT,
	SERIES_MAJFLT,
	SERIES_NCOLS
};

extern const enum field_id series_fields[SERIES_NCOLS];

struct series {
	char *path;
	size_t n, cap;
	double *t;    /* elapsed seconds since the first row */
	double *wall; /* since the epoch; NAN: no timestamp */
	double *v[SERIES_NCOLS];
	size_t known[SERIES_NCOLS]; /* rows where the value is known */
	bool has_wall;		    /* every row has a timestamp */
	double interval_s;	    /* the usual time between rows (median) */
	struct verdict verdict;
	struct summary summary;
};

/* Reads path as `memtrend analyze` does (metric: VERDICT_AUTO or a field
 * id; daily_cycle: whether one is possible); bad input fails with
 * -EINVAL and a message naming the line. */
int series_load(struct series *s, const char *path, int metric,
		bool daily_cycle, struct error *err);
/* The same for one process of a long-format CSV (a set's or memtrend
 * top's): pid, or SERIES_AUTO_PID for a set's sum (pid 0); a file of one
 * process reads whole either way. */
#define SERIES_AUTO_PID (-1L)
int series_load_pid(struct series *s, const char *path, int metric,
		    bool daily_cycle, long pid, struct error *err);
void series_free(struct series *s);

/* The wall-clock time at elapsed t, interpolated between rows (elapsed
 * time stops while a machine is suspended; wall-clock time does not). */
double series_wall_at(const struct series *s, double t);

/* Events per second of a cumulative counter between rows i - 1 and i;
 * NAN when either value is unknown, the counter went back (a restarted
 * process), or the rows are a gap apart (sample_is_gap). */
double series_rate(const struct series *s, enum series_col c, size_t i);

/* ---- regions ---------------------------------------------------------- */

/* The idle-age columns: KiB idle for that many consecutive scans (the
 * bins of field_idle_age_scans). */
#define SERIES_NAGES FIELD_IDLE_AGES

struct series_region {
	char *name;
	enum region_kind kind;
	double *kb; /* per region sample: USS or RSS (uss) */
	double *rss_kb, *uss_kb;
	double *idle_pct, *idle_err_pct;
	/* The idle ages at the last region sample that had them. */
	bool has_ages;
	double age_kb[SERIES_NAGES];
	double age_rss_kb; /* rss_kb on that row; NAN */
	double age_t;
};

struct series_regions {
	char *path;
	size_t nt, cap; /* region samples */
	double *t;	/* elapsed_s (or seconds since the first
			 * timestamp) */
	double *wall;	/* NAN: no timestamp */
	bool has_wall;
	size_t n, ncap;
	struct series_region *r;
	bool uss;		 /* kb is USS (some row has it), else RSS */
	bool has_idle;		 /* some row has an idle_pct value */
	double idle_scan_s;	 /* the last one given; NAN */
	char idle_method[64];	 /* the last one given; "" */
	struct regtrack track;	 /* growth per region, as the summary */
	struct region_set index; /* (kind, name) -> r[]: regions_index() */
};

int series_load_regions(struct series_regions *rs, const char *path,
			struct error *err);

/* Both at once, as plot and report take them: the samples CSV, and the
 * regions CSV when regions_path is not NULL.  Nothing to free on error. */
int series_load_both(struct series *s, struct series_regions *rs,
		     const char *path, const char *regions_path, int metric,
		     bool daily_cycle, long pid, struct error *err);
void series_regions_free(struct series_regions *rs);

/* Up to n regions (indices into r), largest growth first, as the live
 * summary ranks them; returns how many. */
size_t series_regions_top(const struct series_regions *rs, size_t *out,
			  size_t n);

#endif
