/*
 * Tiers 2 and 3: the target's memory layout as regions.  Reads the
 * mappings (smaps, or maps when pagemap supplies the counts), the threads'
 * stack pointers, and for tier 3 walks pagemap, then groups everything
 * into the regions of regions.h; with idle tracking, each region sample
 * is also an idle scan.
 */
#ifndef MEMTREND_SOURCES_LAYOUT_H
#define MEMTREND_SOURCES_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/regions.h"
#include "core/sample.h"
#include "core/target.h"
#include "util/error.h"

struct layout;

struct layout_opts {
	const char *root;
	enum region_group group;
	bool pages;		  /* tier 3: the page walk */
	bool idle;		  /* access tracking on every region sample */
	bool allow_clear_refs;	  /* false: --no-clear-refs */
	unsigned int idle_sample; /* pages followed per region */
	/* The estimate tier (layout_sample_estimate): pages drawn per
	 * region, 0 for none. */
	unsigned int estimate_sample;
};

int layout_open(struct layout **out, const struct target *t,
		const struct layout_opts *o, struct error *err);

/* With idle tracking: the method, and why that one, in one line. */
const char *layout_idle_note(const struct layout *l);

/* Tier 2: regions from smaps.  Points s->regions at the layout's set.
 * Returns 0, -ESRCH when the target went away (s->partial then says
 * whether some regions were read), or another -errno. */
int layout_sample_smaps(struct layout *l, struct sample *s, struct error *err);

/* Tier 3: regions from a pagemap walk (PSS from smaps without PFNs). */
int layout_sample_pages(struct layout *l, struct sample *s, struct error *err);

/* The estimate tier: regions from maps and a sample of pages
 * (estimate.h): RSS, USS and PSS per region with 95 % bounds, at a cost
 * set by the sample size, not by the target's size.  Only with
 * layout_opts.estimate_sample > 0.  Returns as layout_sample_smaps. */
int layout_sample_estimate(struct layout *l, struct sample *s,
			   struct error *err);

/* After a region sample that was not cut short: fills the PSS/USS totals
 * (and swap PSS and THP from smaps) that smaps_rollup did not supply this
 * tick, as the sums over the regions -- the same pages, counted the same
 * way.  After an estimate, the sums are estimates: pss_err_kb and
 * uss_err_kb then hold their 95 % bounds (empty otherwise). */
void layout_fill_totals(const struct layout *l, struct sample *s);

/* Whether this layout can estimate (layout_opts.estimate_sample > 0). */
bool layout_estimates(const struct layout *l);

/* How often exact reads fell outside the 95 % bounds of the estimate
 * taken just before them in the same tick. */
struct layout_drift {
	unsigned long compared; /* values compared */
	unsigned long outside;	/* ... outside their estimate's bound */
};

/* After a tick that took an estimate and then an exact read: compares
 * them and adds to d.  Per region (RSS, USS, PSS of each region in both)
 * when the exact read was a region sample, each exact region then
 * holding its USS drift (uss_drift_kb, uss_drift_bound_kb); else the
 * totals (USS, PSS) from smaps_rollup in s.  Does nothing without a
 * fresh estimate. */
void layout_anchor(struct layout *l, const struct sample *s,
		   struct layout_drift *d);

/* Keeps a uniform sample of the page-fault addresses (at most 32 768,
 * whatever the interval) for the next region sample, which
 * shares out among its regions, in proportion to the addresses in each,
 * the faults counted meanwhile (counted: the counters' increase since the
 * last call): faults_per_s. */
void layout_add_faults(struct layout *l, const uint64_t *addrs, size_t n,
		       double counted);

/* What the page walk cannot see here (no PFNs, no kpagecount) and what
 * it does instead, in one line; NULL when it sees everything. */
const char *layout_pages_note(const struct layout *l);

void layout_close(struct layout *l);

#endif
