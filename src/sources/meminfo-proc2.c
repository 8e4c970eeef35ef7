/*
 * The live /proc/meminfo through libproc2 (see meminfo.h): one table
 * says each series' libproc2 item.
 */
#include "config.h"

#include <errno.h>
#include <libproc2/meminfo.h>
#include <string.h>

#include "sources/meminfo.h"

static const enum meminfo_item meminfo_items[KF_COUNT] = {
    [KF_MEM_AVAILABLE_KB] = MEMINFO_MEM_AVAILABLE,
    [KF_SLAB_KB] = MEMINFO_MEM_SLAB,
    [KF_SLAB_RECLAIMABLE_KB] = MEMINFO_MEM_SLAB_RECLAIM,
    [KF_SLAB_UNRECLAIM_KB] = MEMINFO_MEM_SLAB_UNRECLAIM,
    [KF_VMALLOC_USED_KB] = MEMINFO_MEM_VM_ALLOC_USED,
    [KF_PERCPU_KB] = MEMINFO_MEM_PER_CPU,
    [KF_KERNEL_STACK_KB] = MEMINFO_MEM_KERNEL_STACK,
    [KF_PAGE_TABLES_KB] = MEMINFO_MEM_PAGE_TABLES,
    [KF_UNACCOUNTED_KB] = MEMINFO_noop, /* computed */
    [KF_SHMEM_KB] = MEMINFO_MEM_SHARED,
    [KF_ANON_PAGES_KB] = MEMINFO_MEM_ANON,
    [KF_BUFFERS_KB] = MEMINFO_MEM_BUFFERS,
    [KF_CACHED_KB] = MEMINFO_MEM_CACHED,
    [KF_HUGETLB_KB] = MEMINFO_MEM_HUGETBL,
    [KF_MEM_TOTAL_KB] = MEMINFO_MEM_TOTAL,
    [KF_MEM_FREE_KB] = MEMINFO_MEM_FREE,
    [KF_ACTIVE_KB] = MEMINFO_MEM_ACTIVE,
    [KF_INACTIVE_KB] = MEMINFO_MEM_INACTIVE,
    [KF_UNEVICTABLE_KB] = MEMINFO_MEM_UNEVICTABLE,
    [KF_MAPPED_KB] = MEMINFO_MEM_MAPPED,
    [KF_KRECLAIMABLE_KB] = MEMINFO_MEM_KERNEL_RECLAIM,
    [KF_COMMITTED_AS_KB] = MEMINFO_MEM_COMMITTED_AS,
};

int
meminfo_live_open(struct meminfo_live **out, struct error *err)
{
	struct meminfo_info *info = NULL;
	int rc = procps_meminfo_new(&info);

	if (rc < 0)
		return error_set(err, -rc,
				 "cannot read /proc/meminfo through libproc2: "
				 "%s",
				 strerror(-rc));
	*out = (struct meminfo_live *)info;
	return 0;
}

/* procps_meminfo_select() reads the file on every call, where
 * procps_meminfo_get() re-reads it only when the wall-clock second
 * changed: at --every 250ms three samples in four would repeat the last
 * one.  libproc2 reports a line the kernel does not have (Percpu before
 * 4.0, Hugetlb before 5.1) as 0. */
int
meminfo_live_sample(struct meminfo_live *l, double value[KF_COUNT],
		    struct error *err)
{
	enum meminfo_item items[KF_COUNT];
	enum kfield_id ids[KF_COUNT];
	struct meminfo_stack *st;
	int i, n = 0;

	for (i = 0; i < KF_COUNT; i++) {
		if (meminfo_items[i] == MEMINFO_noop)
			continue;
		items[n] = meminfo_items[i];
		ids[n++] = (enum kfield_id)i;
	}
	st = procps_meminfo_select((struct meminfo_info *)l, items, n);
	if (st == NULL)
		return error_set(err, errno ? errno : EIO,
				 "cannot read "
				 "/proc/meminfo through libproc2: %s",
				 strerror(errno ? errno : EIO));
	for (i = 0; i < n; i++)
		value[ids[i]] = (double)st->head[i].result.ul_int;
	return 0;
}

void
meminfo_live_close(struct meminfo_live *l)
{
	struct meminfo_info *info = (struct meminfo_info *)l;

	if (info != NULL)
		procps_meminfo_unref(&info);
}
