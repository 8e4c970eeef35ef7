/*
 * What memtrend concludes about a run: the trend detector's evidence on
 * one metric, the system context (MemAvailable, a cgroup limit) for the
 * time until memory runs out, and -- when the per-region work provides it
 * -- which regions account for the growth.  It turns these into the
 * sentence a person can check and the JSON object of the contract in
 * DESIGN.md.  The live monitor and `memtrend analyze` both feed samples
 * through verdict_add(), so they run exactly the same detector.
 */
#ifndef MEMTREND_ANALYSIS_VERDICT_H
#define MEMTREND_ANALYSIS_VERDICT_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/trend.h"
#include "core/sample.h"
#include "util/error.h"

#define VERDICT_AUTO (-1) /* metric: USS, else PSS, else RSS */
#define VERDICT_REGIONS 8

/* One region's part in the growth ("[heap] accounts for 94 % ..."). */
struct verdict_region {
	char name[64];
	double growth_share; /* of the metric's growth, 0..1 */
	double idle_share;   /* of its new pages never touched again; NAN */
	double idle_s;	     /* for how long they were followed */
};

/* An instance of a restarted target, judged from its own start. */
#define VERDICT_INSTANCES 8
struct verdict_instance {
	enum trend_verdict verdict;
	double slope, slope_lo; /* KiB per hour; NAN without a fit */
	double p_value;
	double span_s;
};

struct verdict {
	int metric;	     /* a field id, or VERDICT_AUTO until chosen */
	struct trend *trend; /* the exact values of the current instance */
	/* Every value, exact and estimated (an estimate has its bound in
	 * the metric's _err_kb field): NULL until the first estimate.  The
	 * verdict judges the exact series when it can decide, this one
	 * otherwise (verdict_estimated). */
	struct trend *mixed;
	bool daily_cycle;
	unsigned long estimated;  /* values that were estimates */
	double exact_s, exact_kb; /* the last exact value, to seed mixed */
	/* Instances before the current one (the last VERDICT_INSTANCES
	 * kept, oldest first). */
	unsigned long instance; /* the current one's (sample.h); 0 */
	unsigned long ninstances;
	struct verdict_instance past[VERDICT_INSTANCES];
	/* The latest known system context; NAN when unknown. */
	double mem_available_kb, cgroup_limit_kb, cgroup_usage_kb;
	size_t nregions;
	struct verdict_region region[VERDICT_REGIONS];
};

void verdict_init(struct verdict *v, int metric);
/* Whether a daily cycle is possible in this run (default: yes, a
 * server); none in a test run or a command memtrend launched. */
void verdict_set_daily_cycle(struct verdict *v, bool possible);
void verdict_free(struct verdict *v);

/* Feeds one sample's metric to the detector.  Returns -EINVAL when its
 * time is not after the previous sample's. */
int verdict_add(struct verdict *v, const struct sample *s);

/* The target restarted: the instance so far is kept as a past one and
 * the detector starts afresh (a restart's drop is not a receding floor).
 * A verdict with no sample yet is left as it is. */
void verdict_new_instance(struct verdict *v);

/* How many of the last past instances, up to the newest, each grew at a
 * like rate (within a factor of 2, each significantly); their median
 * rate in KiB/h goes to *slope.  0 when fewer than 3 did. */
unsigned long verdict_instances_alike(const struct verdict *v, double *slope);

/* Empties the region evidence (before it is given again). */
void verdict_clear_regions(struct verdict *v);

/* Adds a region to the evidence, largest share first; -ENOSPC when the
 * list is full.  idle_share: of its new pages, those never touched again
 * after they appeared (NAN: unknown); idle_s: how long they were
 * followed. */
int verdict_add_region(struct verdict *v, const char *name, double growth_share,
		       double idle_share, double idle_s);

/* The evidence of the series judged: the exact values where they are
 * dense enough to decide (a verdict other than insufficient, or no
 * estimates at all), else the exact and estimated values together. */
const struct trend_evidence *verdict_evidence(const struct verdict *v);

/* Whether verdict_evidence() judges the series with estimates. */
bool verdict_estimated(const struct verdict *v);

/* The field holding the 95 % bound of a metric's estimates
 * (FIELD_USS_ERR_KB for USS...), or -1 when it is never estimated. */
int verdict_err_field(int metric);

/* "growing", "stable", "insufficient". */
const char *verdict_name(enum trend_verdict verdict);
/* "uss", "pss", "rss" (or "" before the metric is known). */
const char *verdict_metric_name(const struct verdict *v);
/* uss|pss|rss to a field id; -EINVAL for anything else. */
int verdict_parse_metric(const char *text, int *metric, struct error *err);

/* Hours until MemAvailable, and the cgroup limit, would run out at the
 * growth rate; NAN unless growing and the context is known. */
double verdict_hours_to_mem(const struct verdict *v);
double verdict_hours_to_limit(const struct verdict *v);

/* The evidence in words, one paragraph without a final newline. */
void verdict_sentence(const struct verdict *v, char *buf, size_t len);

/* The JSON object, on one line, with a final newline. */
void verdict_json(FILE *fp, const struct verdict *v);
/* s as a JSON string, quoted and escaped. */
void verdict_json_string(FILE *fp, const char *s);

#endif
