/*
 * Many named series judged at once by the leak detector (trend.h): the
 * kernel's series, each slab cache and each vmalloc caller.  Every name
 * seen keeps its first and last value (a few bytes); a detector, whose
 * rings are the costly part, goes to at most `max` of them: pinned
 * series always, then the largest at the start and, as the run goes on,
 * whichever grew most -- one that grew more than a tracked one by
 * JUDGE_SWAP_KB takes its detector, unless that one is being flagged.
 * A series marked reclaimable is judged and reported, never called a
 * leak: the kernel shrinks it under pressure.
 */
#ifndef MEMTREND_ANALYSIS_JUDGE_H
#define MEMTREND_ANALYSIS_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/trend.h"

#define JUDGE_NAME 64
#define JUDGE_MAX_NAMES 4096 /* names beyond this are not followed */
#define JUDGE_SWAP_KB 256.0

enum {
	JUDGE_PINNED = 1,      /* always has a detector */
	JUDGE_RECLAIMABLE = 2, /* never called a leak */
};

struct judge_series {
	int group; /* the caller's: which kind of series */
	char name[JUDGE_NAME];
	unsigned int flags;
	double first_kb, last_kb;
	double first_s, last_s;
	double since_s;		   /* when its detector started; NAN: none */
	struct trend *trend;	   /* NULL: not judged (now) */
	bool seen;		   /* given a value this tick */
	unsigned long raises_said; /* flags already announced (callers) */
};

struct judge {
	size_t max; /* detectors at most */
	bool daily_cycle;
	struct judge_series *v;
	size_t n, cap;
	size_t detectors;
};

void judge_init(struct judge *j, size_t max, bool daily_cycle);
void judge_free(struct judge *j);

/* Gives series (group, name) its value at t_s.  NAN is skipped. */
void judge_add(struct judge *j, int group, const char *name, unsigned int flags,
	       double t_s, double kb);

/* After a tick's values: moves detectors to the series that earn them. */
void judge_rebalance(struct judge *j);

/* The series's evidence, or NULL when it has no detector. */
const struct trend_evidence *judge_evidence(const struct judge_series *s);

/* True when the detector calls it growing and it is not reclaimable. */
bool judge_leaking(const struct judge_series *s);

/* Up to n series with detectors, most growth first (leaking ones
 * first); returns how many. */
size_t judge_rank(const struct judge *j, const struct judge_series **out,
		  size_t n);

/* "kmalloc-256 growing 38 MiB/day (95% CI 36–40, Mann–Kendall p < 1e-9)
 * for 3 h 12 min: 120 MiB to 125 MiB" and, short of a verdict, the
 * change and why there is none yet.  No final newline. */
void judge_sentence(const struct judge_series *s, char *buf, size_t len);

#endif
