/*
 * Constant-cost estimates of each region's RSS, USS and PSS from a random
 * sample of its pages, read from /proc/PID/pagemap at the sampled offsets
 * (and /proc/kpagecount for the sampled pages mapped more than once), so
 * that a sample costs what its size says, not what the target's size does
 * (Documentation/admin-guide/mm/pagemap.rst).
 *
 * Each region's pages (its mappings' virtual pages, in address order) are
 * cut into n equal strata and one page is drawn at random in each: a
 * stratified sample, whose variance is at most that of a simple random
 * sample of n pages.  With N pages in the region and k of the n drawn
 * resident, rss = N * k / n pages, and the 95 % bound is N times the
 * larger distance from k / n to the ends of its Wilson interval with the
 * finite-population correction (util/bound.h).  USS is the same with the
 * pages mapped exclusively; PSS is the mean of 1 / mapcount over the
 * drawn pages (0 for pages not resident), a value in [0, 1] whose
 * variance is at most mean * (1 - mean), so the same interval bounds it.
 * A region of at most n pages is read whole: exact, bound 0.
 */
#ifndef MEMTREND_SOURCES_ESTIMATE_H
#define MEMTREND_SOURCES_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mapping.h"
#include "core/regions.h"
#include "util/error.h"

/* Pages drawn per region by default: a bound of at most 1.5 % of the
 * region's virtual size (at half resident; less when nearly all or none
 * of it is), for one pread of 8 bytes per page drawn. */
#define ESTIMATE_SAMPLE 4096

struct estimate_opts {
	unsigned int sample;	/* pages drawn per region; 0: the default */
	bool pss;		/* read kpagecount (PSS) when it is readable */
	uint64_t zero_pfn;	/* the zero page is not resident memory */
	uint64_t huge_zero_pfn; /* first PFN of the huge zero page, or 0 */
	uint64_t seed;		/* the draw; mixed with each call's count */
};

struct estimate;

/* Opens pagemap through proc_fd, and ROOT/proc/kpagecount if readable. */
int estimate_open(struct estimate **out, int proc_fd, const char *root,
		  struct error *err);

/*
 * Fills rss_kb, pss_kb, uss_kb, swap_kb, anon_kb, file_kb, zero_kb (and
 * hugetlb_kb for hugetlb regions) of each region of set, assigned from
 * list by region_of, with estimates and their 95 % bounds rss_err_kb,
 * pss_err_kb, uss_err_kb; sets the page-kind columns to NAN (unknown) and
 * set->source to REGION_SOURCE_ESTIMATE.  PSS is NAN when PFNs or
 * kpagecount cannot be read.  Returns 0, -ESRCH when the process went
 * away, or another -errno, with err filled.
 */
int estimate_regions(struct estimate *e, const struct mapping_list *list,
		     const size_t *region_of, struct region_set *set,
		     const struct estimate_opts *o, struct error *err);

/* Pages read by the last estimate_regions (the cost, in entries). */
size_t estimate_pages_read(const struct estimate *e);

void estimate_close(struct estimate *e);

#endif
