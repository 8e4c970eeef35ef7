/*
 * Mappings grouped the way a person thinks about them: [heap], the main
 * [stack], one region per thread stack, anonymous memory, each file split
 * into code and data, shared memory and SysV segments, hugetlb, the vDSO.
 * Optionally grouped by path only, or one region per mapping.
 */
#ifndef MEMTREND_REGIONS_H
#define MEMTREND_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/fields.h"
#include "core/mapping.h"

enum region_kind {
	REGION_HEAP,
	REGION_STACK,
	REGION_THREAD_STACK,
	REGION_ANON,
	REGION_CODE,
	REGION_DATA,
	REGION_FILE, /* --group-by path: code and data together */
	REGION_SHMEM,
	REGION_SYSV,
	REGION_HUGETLB,
	REGION_VDSO,
	REGION_OTHER,
	REGION_KIND_COUNT
};

extern const char *const region_kind_names[REGION_KIND_COUNT];

enum region_group {
	REGION_GROUP_KIND,    /* the default described above */
	REGION_GROUP_PATH,    /* one region per path (or bracketed name) */
	REGION_GROUP_MAPPING, /* every mapping its own region */
};

/* Where a region's values came from. */
enum region_source {
	REGION_SOURCE_SMAPS,
	REGION_SOURCE_PAGEMAP,
	REGION_SOURCE_PAGEMAP_SMAPS, /* pagemap, PSS from smaps (no PFNs) */
	REGION_SOURCE_ESTIMATE,	     /* a sample of pages (estimate.h) */
};

extern const char *const region_source_names[];

/* A thread's stack pointer, to find its stack mapping. */
struct stack_hint {
	pid_t tid;
	uint64_t sp;
};

struct region {
	char *name;
	enum region_kind kind;
	double v[REGION_FIELD_COUNT]; /* NAN: not known */
};

struct region_set {
	struct region *v;
	size_t n, cap;
	enum region_source source;
	const char *idle_method; /* when the idle columns are filled */
	size_t *slots;		 /* hash of (kind, name) -> index + 1 */
	size_t nslots;
};

/* Empties the set (keeping its memory for the next sample). */
void regions_reset(struct region_set *set);

/*
 * Puts every mapping of list into a region of set, creating regions as
 * needed, and writes the region index of mapping i into region_of[i]
 * (SIZE_MAX for mappings that hold no user memory, like [vsyscall]).
 * Every value of a new region starts at 0, and its mapping count and size
 * are filled.
 */
void regions_assign(struct region_set *set, const struct mapping_list *list,
		    const struct stack_hint *hints, size_t nhints,
		    enum region_group group, size_t *region_of);

/* Adds each mapping's smaps counts to its region. */
void regions_add_smaps(struct region_set *set, const struct mapping_list *list,
		       const size_t *region_of);

/* Sets one region value to the sum of one smaps counter over the
 * region's mappings (the page walk takes PSS from smaps this way when it
 * cannot see PFNs). */
void regions_set_from_smaps(struct region_set *set,
			    const struct mapping_list *list,
			    const size_t *region_of, enum smaps_field from,
			    enum region_field to);

/* Adds a region (kind, name) with every value 0, or returns the one
 * there is. */
struct region *regions_append(struct region_set *set, const char *name,
			      enum region_kind kind);

/* The region named name of kind, or NULL. */
const struct region *regions_find(const struct region_set *set,
				  const char *name, enum region_kind kind);

/* The position of the region named name of kind in set, or SIZE_MAX.  A
 * set filled by regions_append() in step with a table of one's own is
 * that table's (kind, name) -> row map (regtrack, series). */
size_t regions_index(const struct region_set *set, const char *name,
		     enum region_kind kind);

/* Copies src into dst (dst keeps its own memory). */
void regions_copy(struct region_set *dst, const struct region_set *src);

void regions_free(struct region_set *set);

#endif
