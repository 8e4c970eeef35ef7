/*
 * The kernel's own memory, for `memtrend kernel`: one table of the
 * system-wide series (from /proc/meminfo, plus the memory no counter
 * explains), and the record a kernel tick produces -- those series and
 * the per-cache rows (slab caches from /proc/slabinfo, vmalloc callers
 * from /proc/vmallocinfo).  Sources fill it; sinks and analysis read it.
 * A value not read is NAN (an empty CSV cell), never 0.
 */
#ifndef MEMTREND_CORE_KERNEL_H
#define MEMTREND_CORE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/fields.h"

enum kfield_id {
	/* The CSV contract (DESIGN.md, "Wide views"): these first. */
	KF_MEM_AVAILABLE_KB,
	KF_SLAB_KB,
	KF_SLAB_RECLAIMABLE_KB,
	KF_SLAB_UNRECLAIM_KB,
	KF_VMALLOC_USED_KB,
	KF_PERCPU_KB,
	KF_KERNEL_STACK_KB,
	KF_PAGE_TABLES_KB,
	KF_UNACCOUNTED_KB,
	/* Then the rest. */
	KF_SHMEM_KB,
	KF_ANON_PAGES_KB,
	KF_BUFFERS_KB,
	KF_CACHED_KB,
	KF_HUGETLB_KB,
	KF_MEM_TOTAL_KB,
	KF_MEM_FREE_KB,
	KF_ACTIVE_KB,
	KF_INACTIVE_KB,
	KF_UNEVICTABLE_KB,
	KF_MAPPED_KB,
	KF_KRECLAIMABLE_KB,
	KF_COMMITTED_AS_KB,
	KF_COUNT
};

extern const struct field kfields[KF_COUNT];

/* The series the leak detector judges: kernel memory that does not
 * shrink under pressure.  Reclaimable slab and the page cache are
 * reported, never judged. */
extern const enum kfield_id kfield_judged[];
extern const size_t kfield_njudged;

/* The counters unaccounted_kb subtracts from MemTotal (README, "The
 * kernel: slab and vmalloc"): the LRU lists hold anonymous and page-cache
 * memory, the rest is the kernel's own. */
extern const enum kfield_id kfield_accounted[];
extern const size_t kfield_naccounted;

/* The field whose CSV column is name, or -1. */
int kfields_find(const char *name);

enum kcache_kind {
	KCACHE_SLAB,
	KCACHE_VMALLOC,
};

extern const char *const kcache_kind_names[];

#define KCACHE_NAME 64 /* slab names are at most 32; symbols longer */

/* One slab cache or one vmalloc caller at one tick. */
struct kcache {
	enum kcache_kind kind;
	char name[KCACHE_NAME]; /* control characters replaced by '?' */
	double kb;		/* slab: active objects x object size;
				 * vmalloc: the pages it holds */
	double pages_kb;	/* slab: the pages of its slabs */
	int reclaimable;	/* 1, 0, or -1 when unknown */
};

struct kcache_list {
	struct kcache *v;
	size_t n, cap;
};

/* Appends an empty row and returns it. */
struct kcache *kcache_list_add(struct kcache_list *l);
void kcache_list_free(struct kcache_list *l);

/* Copies name into dst (KCACHE_NAME bytes), cut to fit, with bytes below
 * 0x20 and 0x7f replaced by '?': names from the kernel are data. */
void kcache_set_name(char *dst, const char *name, size_t len);

struct ksample {
	double wall_s;	  /* CLOCK_REALTIME, seconds since the epoch */
	double elapsed_s; /* monotonic, since the first sample */
	double value[KF_COUNT];
	bool slab_read, vmalloc_read; /* the per-cache rows of each kind */
	struct kcache_list caches;
};

/* Marks every value unavailable and empties the cache rows (keeping
 * their memory). */
void ksample_clear(struct ksample *s);
void ksample_free(struct ksample *s);

#endif
