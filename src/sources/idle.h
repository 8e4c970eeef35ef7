/*
 * Access tracking: which of a region's resident pages were not touched
 * since the previous scan, and for how many scans in a row.  Methods,
 * best first, chosen at open:
 *
 *   page_idle   set the idle flag of sampled pages' PFNs in
 *               /sys/kernel/mm/page_idle/bitmap and, a scan later, read
 *               which are still idle (passive for the target);
 *   soft-dirty  write 4 to /proc/PID/clear_refs and, a scan later, read
 *               pagemap bit 55 of sampled pages: written or not;
 *   referenced  write 1 to /proc/PID/clear_refs and, a scan later, read
 *               each mapping's Referenced in smaps (clears the accessed
 *               bits, which can nudge reclaim; forbidden by
 *               --no-clear-refs).
 *
 * The page methods follow a random sample of each region's pages whose
 * membership depends only on the page's address, so a page keeps its age
 * from scan to scan and new pages join as a region grows.
 */
#ifndef MEMTREND_SOURCES_IDLE_H
#define MEMTREND_SOURCES_IDLE_H

#include <stdbool.h>

#include "core/regions.h"
#include "sources/smaps.h"
#include "util/error.h"

enum idle_method {
	IDLE_NONE,
	IDLE_PAGE_IDLE,
	IDLE_SOFT_DIRTY,
	IDLE_REFERENCED,
};

extern const char *const idle_method_names[];

struct idle_opts {
	const char *root;
	bool allow_clear_refs;	/* false: --no-clear-refs */
	enum idle_method force; /* tests: use this method; IDLE_NONE: pick */
	unsigned int sample;	/* pages followed per region (page methods) */
	uint64_t seed;
};

struct idle;

/* Picks the best method this kernel and these privileges allow for the
 * process whose /proc directory is proc_fd.  With none, returns -ENOTSUP
 * and says why. */
int idle_open(struct idle **out, int proc_fd, const struct idle_opts *o,
	      struct error *err);

enum idle_method idle_method(const struct idle *id);

/* One line: the method, and what was not available (e.g. "referenced
 * (clear_refs 1 + smaps Referenced): no page_idle, no soft-dirty"). */
const char *idle_describe(const struct idle *id);

/* True when the method needs each mapping's smaps counts in list. */
bool idle_needs_smaps(const struct idle *id);

/*
 * One scan at time now_s: reads what happened since the previous scan,
 * fills the idle columns of each region of set (regions assigned from
 * list by region_of, RSS already filled), and arms the next scan.  The
 * first scan only arms: its idle columns stay NAN.
 */
int idle_scan(struct idle *id, const struct mapping_list *list,
	      const size_t *region_of, struct region_set *set, double now_s,
	      struct error *err);

void idle_close(struct idle *id);

struct probe;
/* The page_idle, clear_refs and soft-dirty rows of memtrend --probe
 * (Documentation/admin-guide/mm/idle_page_tracking.rst, soft-dirty.rst). */
void idle_probe(struct probe *p, const char *root);

#endif
