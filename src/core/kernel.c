/*
 * The kernel series table and record (see kernel.h).  The meminfo fields
 * are described in Documentation/filesystems/proc.rst ("meminfo").
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/kernel.h"
#include "util/xmalloc.h"

#define KF(id, col, lab, src, txt)                                             \
	[id] = {col, lab, FIELD_KIB, "/proc/meminfo " src, txt}

const struct field kfields[KF_COUNT] = {
    KF(KF_MEM_AVAILABLE_KB, "mem_available_kb", "memavail", "MemAvailable",
       "memory the system can still give without swapping"),
    KF(KF_SLAB_KB, "slab_kb", "slab", "Slab", "all slab caches"),
    KF(KF_SLAB_RECLAIMABLE_KB, "slab_reclaimable_kb", "sreclaim",
       "SReclaimable",
       "slab the kernel frees under pressure (dentries, "
       "inodes)"),
    KF(KF_SLAB_UNRECLAIM_KB, "slab_unreclaim_kb", "sunreclm", "SUnreclaim",
       "slab that is not reclaimable: where kernel leaks show"),
    KF(KF_VMALLOC_USED_KB, "vmalloc_used_kb", "vmalloc", "VmallocUsed",
       "pages allocated by vmalloc"),
    KF(KF_PERCPU_KB, "percpu_kb", "percpu", "Percpu",
       "per-CPU allocator chunks"),
    KF(KF_KERNEL_STACK_KB, "kernel_stack_kb", "kstack", "KernelStack",
       "kernel stacks of every thread"),
    KF(KF_PAGE_TABLES_KB, "page_tables_kb", "ptables", "PageTables",
       "page tables of every process"),
    [KF_UNACCOUNTED_KB] =
	{"unaccounted_kb", "unacct", FIELD_KIB,
	 "MemTotal - (MemFree + Active + Inactive + Unevictable + Slab + "
	 "KernelStack + PageTables + VmallocUsed + Percpu + Hugetlb)",
	 "memory no counter explains (driver and other direct page "
	 "allocations)"},
    KF(KF_SHMEM_KB, "shmem_kb", "shmem", "Shmem", "shared memory and tmpfs"),
    KF(KF_ANON_PAGES_KB, "anon_pages_kb", "anon", "AnonPages",
       "anonymous pages mapped by processes"),
    KF(KF_BUFFERS_KB, "buffers_kb", "buffers", "Buffers",
       "block device buffers"),
    KF(KF_CACHED_KB, "cached_kb", "cached", "Cached",
       "page cache (files and shmem)"),
    KF(KF_HUGETLB_KB, "hugetlb_kb", "hugetlb", "Hugetlb",
       "hugetlbfs pages of every size"),
    KF(KF_MEM_TOTAL_KB, "mem_total_kb", "total", "MemTotal", "usable RAM"),
    KF(KF_MEM_FREE_KB, "mem_free_kb", "free", "MemFree", "unused RAM"),
    KF(KF_ACTIVE_KB, "active_kb", "active", "Active",
       "LRU pages recently used"),
    KF(KF_INACTIVE_KB, "inactive_kb", "inactive", "Inactive",
       "LRU pages less recently used"),
    KF(KF_UNEVICTABLE_KB, "unevictable_kb", "unevict", "Unevictable",
       "LRU pages that cannot be evicted (mlocked, ramfs)"),
    KF(KF_MAPPED_KB, "mapped_kb", "mapped", "Mapped",
       "page cache mapped by processes"),
    KF(KF_KRECLAIMABLE_KB, "kreclaimable_kb", "kreclaim", "KReclaimable",
       "kernel memory reclaimable under pressure (slab and more)"),
    KF(KF_COMMITTED_AS_KB, "committed_as_kb", "commit", "Committed_AS",
       "memory promised to processes"),
};

const enum kfield_id kfield_judged[] = {
    KF_SLAB_UNRECLAIM_KB,
    KF_VMALLOC_USED_KB,
    KF_PERCPU_KB,
    KF_UNACCOUNTED_KB,
};
const size_t kfield_njudged = sizeof kfield_judged / sizeof kfield_judged[0];

const enum kfield_id kfield_accounted[] = {
    KF_MEM_FREE_KB, KF_ACTIVE_KB,	KF_INACTIVE_KB,	   KF_UNEVICTABLE_KB,
    KF_SLAB_KB,	    KF_KERNEL_STACK_KB, KF_PAGE_TABLES_KB, KF_VMALLOC_USED_KB,
    KF_PERCPU_KB,   KF_HUGETLB_KB,
};
const size_t kfield_naccounted =
    sizeof kfield_accounted / sizeof kfield_accounted[0];

const char *const kcache_kind_names[] = {
    [KCACHE_SLAB] = "slab",
    [KCACHE_VMALLOC] = "vmalloc",
};

int
kfields_find(const char *name)
{
	int i;

	for (i = 0; i < KF_COUNT; i++)
		if (strcmp(kfields[i].name, name) == 0)
			return i;
	return -1;
}

struct kcache *
kcache_list_add(struct kcache_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	l->v[l->n].kb = l->v[l->n].pages_kb = NAN;
	l->v[l->n].reclaimable = -1;
	return &l->v[l->n++];
}

void
kcache_list_free(struct kcache_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

void
kcache_set_name(char *dst, const char *name, size_t len)
{
	size_t i;

	if (len > KCACHE_NAME - 1)
		len = KCACHE_NAME - 1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		dst[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[len] = '\0';
}

void
ksample_clear(struct ksample *s)
{
	int i;

	s->wall_s = s->elapsed_s = 0;
	for (i = 0; i < KF_COUNT; i++)
		s->value[i] = NAN;
	s->slab_read = s->vmalloc_read = false;
	s->caches.n = 0;
}

void
ksample_free(struct ksample *s)
{
	kcache_list_free(&s->caches);
}
