/*
 * Tier 3 source: page-level accounting from /proc/PID/pagemap, with
 * /proc/kpagecount for the PSS of shared pages and /proc/kpageflags for a
 * sample of pages' kinds.  Present (bit 63) and exclusively-mapped (bit 56)
 * give RSS and USS without touching kpagecount; only pages mapped more
 * than once are looked up there.
 */
#ifndef MEMTREND_SOURCES_PAGEMAP_H
#define MEMTREND_SOURCES_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/regions.h"
#include "sources/smaps.h"
#include "util/error.h"

/* pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst). */
#define PM_PFN_MASK ((1ULL << 55) - 1)
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)

/* kpageflags bits (include/uapi/linux/kernel-page-flags.h). */
#define KPF_REFERENCED 2
#define KPF_DIRTY 4
#define KPF_ACTIVE 6
#define KPF_KSM 21
#define KPF_THP 22
#define KPF_ZERO_PAGE 24

/* What a walk found in one mapping, in pages. */
struct page_stats {
	uint64_t present;   /* resident, the zero page excluded */
	uint64_t exclusive; /* mapped by this process alone */
	uint64_t swapped;
	uint64_t file; /* file-backed or shared anonymous */
	uint64_t zero; /* mapped to the zero page */
	double pss;    /* sum of 1/mapcount; NAN without PFNs */
	/* The kpageflags sample: pages read, and how many had each flag
	 * (32 bits: a sample is small, and one such struct per mapping is
	 * kept, 20 000 of them on some targets). */
	uint32_t sampled, thp, ksm, dirty, referenced, active;
};

struct pagemap_opts {
	bool pss;		   /* read kpagecount for shared pages */
	unsigned int flags_sample; /* kpageflags sample size; 0: none */
	uint64_t zero_pfn;	   /* PFN of the zero page; 0: unknown */
	uint64_t huge_zero_pfn;	   /* first PFN of the huge zero page; 0 */
	uint64_t seed;		   /* for the page sample */
};

struct pagemap;

/* Opens ROOT/proc/PID/pagemap through proc_fd, and ROOT/proc/kpagecount
 * and kpageflags when readable. */
int pagemap_open(struct pagemap **out, int proc_fd, const char *root,
		 struct error *err);

/* Whether kpagecount / kpageflags could be opened, whether the last walk
 * saw real PFNs (root), and whether PAGEMAP_SCAN is used. */
bool pagemap_has_kpagecount(const struct pagemap *pm);
bool pagemap_has_kpageflags(const struct pagemap *pm);
bool pagemap_pfns_visible(const struct pagemap *pm);
bool pagemap_has_scan(const struct pagemap *pm);

/*
 * Walks every mapping i with region_of[i] != SIZE_MAX and fills stats[i].
 * Returns 0, or -ESRCH when the process went away during the walk (the
 * stats then cover only part of it), or another -errno.
 */
int pagemap_walk(struct pagemap *pm, const struct mapping_list *list,
		 const size_t *region_of, const struct pagemap_opts *opts,
		 struct page_stats *stats, struct error *err);

/* Adds a walk's stats into the regions (values in KiB); without PFNs the
 * PSS and flag columns stay NAN for the caller to fill from smaps. */
void pagemap_add_regions(const struct pagemap *pm, struct region_set *set,
			 const struct mapping_list *list,
			 const size_t *region_of,
			 const struct page_stats *stats);

/*
 * Reads the 64-bit entry of each item's PFN from a PFN-indexed file
 * (kpagecount, kpageflags): items of size bytes each begin with their
 * uint64_t PFN; they are sorted by it and read in one pread per run of
 * nearby PFNs, and fn gets each item with its entry.  0 or -errno.
 */
int pagemap_read_by_pfn(int fd, void *items, size_t n, size_t size,
			void (*fn)(void *item, uint64_t value, void *ctx),
			void *ctx);

/* Whether pfn is the zero page or in the huge zero page (whose PFNs
 * pagemap_find_zero_pfns finds; 0: unknown). */
bool pagemap_pfn_is_zero(uint64_t pfn, uint64_t zero_pfn,
			 uint64_t huge_zero_pfn);

/* The PFNs of the zero page and the huge zero page as this process sees
 * them (needs CAP_SYS_ADMIN; 0 when unknown). */
void pagemap_find_zero_pfns(uint64_t *zero_pfn, uint64_t *huge_zero_pfn);

void pagemap_close(struct pagemap *pm);

struct probe;
/* The pagemap PFN, PAGEMAP_SCAN, kpageflags and kpagecount rows of
 * memtrend --probe (Documentation/admin-guide/mm/pagemap.rst). */
void pagemap_probe(struct probe *p, const char *root);

#endif
