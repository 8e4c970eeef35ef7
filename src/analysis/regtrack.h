/*
 * Growth per region over a run: each region's first and latest values,
 * for the live top-N, the summary, and the verdict's "where".  A region
 * that went away is forgotten (its memory is back); one that comes back
 * later starts anew.
 */
#ifndef MEMTREND_ANALYSIS_REGTRACK_H
#define MEMTREND_ANALYSIS_REGTRACK_H

#include <stddef.h>

#include "core/regions.h"
#include "core/sample.h"

struct regtrack_entry {
	char *name;
	enum region_kind kind;
	double first_s, last_s; /* elapsed_s when first/last seen */
	double first[REGION_FIELD_COUNT];
	double last[REGION_FIELD_COUNT];
	bool present; /* in the latest region sample */
};

struct regtrack {
	struct regtrack_entry *v;
	size_t n, cap;
	struct region_set index; /* (kind, name) -> entry number:
				  * regions_index() */
	unsigned long samples;	 /* region samples seen */
};

/* The entry of the region named name of kind, or NULL. */
const struct regtrack_entry *regtrack_find(const struct regtrack *rt,
					   const char *name,
					   enum region_kind kind);

void regtrack_init(struct regtrack *rt);
/* Takes the sample's regions, if it has any. */
void regtrack_add(struct regtrack *rt, const struct sample *s);

/* The growth that ranks regions: USS, or RSS where USS is not known. */
double regtrack_growth_kb(const struct regtrack_entry *e);
double regtrack_rate_per_hour(const struct regtrack_entry *e);

/* Up to n entries, largest growth first; returns how many. */
size_t regtrack_top(const struct regtrack *rt,
		    const struct regtrack_entry **out, size_t n);

/* Where the growth is, as the verdict's region evidence: the (up to 3)
 * regions that grew most, each with its share of all the regions'
 * growth.  The live run and analyze/report --regions both call this
 * after each region sample. */
struct verdict;
void regtrack_evidence(const struct regtrack *rt, struct verdict *v);

void regtrack_free(struct regtrack *rt);

#endif
