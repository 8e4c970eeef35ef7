/*
 * Grouping mappings into regions (see regions.h).  Names follow proc(5):
 * the kernel labels [heap], [stack], [vdso], [vvar], [vsyscall] and named
 * anonymous memory [anon:NAME]; MAP_SHARED anonymous memory shows as
 * "/dev/zero (deleted)", SysV segments as "/SYSV<key> (deleted)", memfd as
 * "/memfd:NAME (deleted)".  Thread stacks carry no label since Linux 4.5,
 * so they are found from each thread's stack pointer.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "util/xmalloc.h"

const char *const region_kind_names[REGION_KIND_COUNT] = {
    [REGION_HEAP] = "heap",
    [REGION_STACK] = "stack",
    [REGION_THREAD_STACK] = "thread_stack",
    [REGION_ANON] = "anon",
    [REGION_CODE] = "code",
    [REGION_DATA] = "data",
    [REGION_FILE] = "file",
    [REGION_SHMEM] = "shmem",
    [REGION_SYSV] = "sysv",
    [REGION_HUGETLB] = "hugetlb",
    [REGION_VDSO] = "vdso",
    [REGION_OTHER] = "other",
};

const char *const region_source_names[] = {
    [REGION_SOURCE_SMAPS] = "smaps",
    [REGION_SOURCE_PAGEMAP] = "pagemap",
    [REGION_SOURCE_PAGEMAP_SMAPS] = "pagemap+smaps",
    [REGION_SOURCE_ESTIMATE] = "estimate",
};

static bool
regions_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
regions_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The kind of a mapping and the name of its region (default grouping). */
static enum region_kind
regions_classify(const struct mapping_list *list, const struct mapping *m,
		 const struct stack_hint *hints, size_t nhints, char *name,
		 size_t len)
{
	const char *path = mapping_path(list, m);
	bool shared = m->perms[3] == 's';
	size_t i;

	snprintf(name, len, "%s", path);
	if (m->vmflags & SMAPS_VM_HUGETLB ||
	    regions_starts(path, "/anon_hugepage"))
		return REGION_HUGETLB;
	if (strcmp(path, "[heap]") == 0)
		return REGION_HEAP;
	if (strcmp(path, "[stack]") == 0)
		return REGION_STACK;
	if (strcmp(path, "[vdso]") == 0 || regions_starts(path, "[vvar") ||
	    strcmp(path, "[vsyscall]") == 0)
		return REGION_VDSO;
	if (regions_starts(path, "[anon_shmem:"))
		return REGION_SHMEM;
	if (regions_starts(path, "[anon:"))
		return REGION_ANON;
	if (path[0] == '[')
		return REGION_OTHER;
	if (regions_starts(path, "/SYSV") && regions_ends(path, " (deleted)")) {
		snprintf(name, len, "SYSV 0x%.8s", path + 5);
		return REGION_SYSV;
	}
	if (shared && strcmp(path, "/dev/zero (deleted)") == 0) {
		snprintf(name, len, "[shared anon]");
		return REGION_SHMEM;
	}
	if (regions_starts(path, "/memfd:")) {
		snprintf(name, len, "%.*s",
			 (int)(strlen(path) -
			       (regions_ends(path, " (deleted)") ? 10 : 0) - 1),
			 path + 1);
		return REGION_SHMEM;
	}
	if (regions_starts(path, "/dev/shm/"))
		return REGION_SHMEM;
	if (path[0] == '\0') {
		for (i = 0; i < nhints; i++) {
			if (hints[i].sp >= m->start && hints[i].sp < m->end) {
				snprintf(name, len, "[stack:%d]",
					 (int)hints[i].tid);
				return REGION_THREAD_STACK;
			}
		}
		snprintf(name, len, shared ? "[shared anon]" : "[anon]");
		return shared ? REGION_SHMEM : REGION_ANON;
	}
	return m->perms[2] == 'x' ? REGION_CODE : REGION_DATA;
}

static uint64_t
regions_hash(const char *name, enum region_kind kind)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ULL;
	return h;
}

static void
regions_rehash(struct region_set *set)
{
	size_t i, slot;

	free(set->slots);
	set->nslots = set->cap * 2;
	set->slots = xcalloc(set->nslots, sizeof *set->slots);
	for (i = 0; i < set->n; i++) {
		slot =
		    regions_hash(set->v[i].name, set->v[i].kind) % set->nslots;
		while (set->slots[slot] != 0)
			slot = (slot + 1) % set->nslots;
		set->slots[slot] = i + 1;
	}
}

/* Index of the region (kind, name), created when missing. */
static size_t
regions_get(struct region_set *set, const char *name, enum region_kind kind)
{
	const struct region *found = regions_find(set, name, kind);
	struct region *r;
	size_t slot;
	int f;

	if (found != NULL)
		return (size_t)(found - set->v);
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 32;
		set->v = xreallocarray(set->v, set->cap, sizeof *set->v);
		memset(set->v + set->n, 0,
		       (set->cap - set->n) * sizeof *set->v);
	}
	r = &set->v[set->n];
	free(r->name);
	r->name = xstrdup(name);
	r->kind = kind;
	for (f = 0; f < REGION_FIELD_COUNT; f++)
		r->v[f] = f >= RF_IDLE_PCT ? NAN : 0; /* measured apart */
	set->n++;
	if (set->nslots < set->cap * 2) {
		regions_rehash(set);
	} else {
		slot = regions_hash(name, kind) % set->nslots;
		while (set->slots[slot] != 0)
			slot = (slot + 1) % set->nslots;
		set->slots[slot] = set->n;
	}
	return set->n - 1;
}

void
regions_reset(struct region_set *set)
{
	set->n = 0;
	set->idle_method = NULL;
	if (set->slots != NULL)
		memset(set->slots, 0, set->nslots * sizeof *set->slots);
}

void
regions_assign(struct region_set *set, const struct mapping_list *list,
	       const struct stack_hint *hints, size_t nhints,
	       enum region_group group, size_t *region_of)
{
	const struct mapping *m;
	enum region_kind kind;
	char name[4096];
	size_t i, r;

	regions_reset(set);
	for (i = 0; i < list->n; i++) {
		m = &list->v[i];
		if (strcmp(mapping_path(list, m), "[vsyscall]") == 0) {
			region_of[i] = SIZE_MAX; /* kernel memory */
			continue;
		}
		kind =
		    regions_classify(list, m, hints, nhints, name, sizeof name);
		if (group == REGION_GROUP_PATH &&
		    (kind == REGION_CODE || kind == REGION_DATA))
			kind = REGION_FILE;
		else if (group == REGION_GROUP_MAPPING) {
			size_t n = strlen(name);

			snprintf(name + n, sizeof name - n, "@%llx",
				 (unsigned long long)m->start);
		}
		r = regions_get(set, name, kind);
		region_of[i] = r;
		set->v[r].v[RF_MAPPINGS]++;
		set->v[r].v[RF_SIZE_KB] += (double)(m->end - m->start) / 1024;
	}
}

/* A counter of an smaps entry; one this kernel does not print is 0. */
static double
regions_kb(const struct mapping *m, enum smaps_field f)
{
	return isnan(m->kb[f]) ? 0 : m->kb[f];
}

void
regions_add_smaps(struct region_set *set, const struct mapping_list *list,
		  const size_t *region_of)
{
	const struct mapping *m;
	double *v;
	size_t i;

	set->source = REGION_SOURCE_SMAPS;
	for (i = 0; i < list->n; i++) {
		if (region_of[i] == SIZE_MAX || !list->v[i].has_counts)
			continue;
		m = &list->v[i];
		v = set->v[region_of[i]].v;
		v[RF_RSS_KB] += regions_kb(m, SMAPS_RSS);
		v[RF_PSS_KB] += regions_kb(m, SMAPS_PSS);
		v[RF_USS_KB] += regions_kb(m, SMAPS_PRIVATE_CLEAN) +
				regions_kb(m, SMAPS_PRIVATE_DIRTY) +
				regions_kb(m, SMAPS_PRIVATE_HUGETLB);
		v[RF_SWAP_KB] += regions_kb(m, SMAPS_SWAP);
		v[RF_ANON_KB] += regions_kb(m, SMAPS_ANONYMOUS);
		v[RF_FILE_KB] +=
		    regions_kb(m, SMAPS_RSS) - regions_kb(m, SMAPS_ANONYMOUS);
		v[RF_REFERENCED_KB] += regions_kb(m, SMAPS_REFERENCED);
		v[RF_THP_KB] += regions_kb(m, SMAPS_ANON_HUGE) +
				regions_kb(m, SMAPS_SHMEM_PMD) +
				regions_kb(m, SMAPS_FILE_PMD);
		v[RF_KSM_KB] += regions_kb(m, SMAPS_KSM);
		v[RF_DIRTY_KB] += regions_kb(m, SMAPS_SHARED_DIRTY) +
				  regions_kb(m, SMAPS_PRIVATE_DIRTY);
		v[RF_HUGETLB_KB] += regions_kb(m, SMAPS_SHARED_HUGETLB) +
				    regions_kb(m, SMAPS_PRIVATE_HUGETLB);
	}
	/* Page-level only. */
	for (i = 0; i < set->n; i++) {
		set->v[i].v[RF_ZERO_KB] = NAN;
		set->v[i].v[RF_ACTIVE_KB] = NAN;
		set->v[i].v[RF_FLAGS_ERR_PCT] = NAN;
	}
}

void
regions_set_from_smaps(struct region_set *set, const struct mapping_list *list,
		       const size_t *region_of, enum smaps_field from,
		       enum region_field to)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		set->v[i].v[to] = 0;
	for (i = 0; i < list->n; i++) {
		if (region_of[i] != SIZE_MAX)
			set->v[region_of[i]].v[to] +=
			    regions_kb(&list->v[i], from);
	}
}

struct region *
regions_append(struct region_set *set, const char *name, enum region_kind kind)
{
	size_t i = regions_get(set, name, kind); /* may move set->v */

	return &set->v[i];
}

const struct region *
regions_find(const struct region_set *set, const char *name,
	     enum region_kind kind)
{
	const struct region *r;
	size_t slot, idx;

	if (set->nslots == 0)
		return NULL;
	slot = regions_hash(name, kind) % set->nslots;
	for (; (idx = set->slots[slot]) != 0; slot = (slot + 1) % set->nslots) {
		r = &set->v[idx - 1];
		if (r->kind == kind && strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

void
regions_copy(struct region_set *dst, const struct region_set *src)
{
	size_t i, r;

	regions_reset(dst);
	for (i = 0; i < src->n; i++) {
		r = regions_get(dst, src->v[i].name, src->v[i].kind);
		memcpy(dst->v[r].v, src->v[i].v, sizeof dst->v[r].v);
	}
	dst->source = src->source;
}

void
regions_free(struct region_set *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->v[i].name);
	free(set->v);
	free(set->slots);
	memset(set, 0, sizeof *set);
}

size_t
regions_index(const struct region_set *set, const char *name,
	      enum region_kind kind)
{
	const struct region *r = regions_find(set, name, kind);

	return r != NULL ? (size_t)(r - set->v) : SIZE_MAX;
}
