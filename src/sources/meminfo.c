/*
 * /proc/meminfo for `memtrend kernel` (see meminfo.h).  One table says,
 * for each series, its libproc2 item and its key in the file.
 */
#include "config.h"

#include <errno.h>
#include <libproc2/meminfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sources/meminfo.h"
#include "util/root.h"
#include "util/xmalloc.h"

static const struct {
	enum meminfo_item item;
	const char *key; /* without the colon */
} meminfo_map[KF_COUNT] = {
    [KF_MEM_AVAILABLE_KB] = {MEMINFO_MEM_AVAILABLE, "MemAvailable"},
    [KF_SLAB_KB] = {MEMINFO_MEM_SLAB, "Slab"},
    [KF_SLAB_RECLAIMABLE_KB] = {MEMINFO_MEM_SLAB_RECLAIM, "SReclaimable"},
    [KF_SLAB_UNRECLAIM_KB] = {MEMINFO_MEM_SLAB_UNRECLAIM, "SUnreclaim"},
    [KF_VMALLOC_USED_KB] = {MEMINFO_MEM_VM_ALLOC_USED, "VmallocUsed"},
    [KF_PERCPU_KB] = {MEMINFO_MEM_PER_CPU, "Percpu"},
    [KF_KERNEL_STACK_KB] = {MEMINFO_MEM_KERNEL_STACK, "KernelStack"},
    [KF_PAGE_TABLES_KB] = {MEMINFO_MEM_PAGE_TABLES, "PageTables"},
    [KF_UNACCOUNTED_KB] = {MEMINFO_noop, NULL}, /* computed */
    [KF_SHMEM_KB] = {MEMINFO_MEM_SHARED, "Shmem"},
    [KF_ANON_PAGES_KB] = {MEMINFO_MEM_ANON, "AnonPages"},
    [KF_BUFFERS_KB] = {MEMINFO_MEM_BUFFERS, "Buffers"},
    [KF_CACHED_KB] = {MEMINFO_MEM_CACHED, "Cached"},
    [KF_HUGETLB_KB] = {MEMINFO_MEM_HUGETBL, "Hugetlb"},
    [KF_MEM_TOTAL_KB] = {MEMINFO_MEM_TOTAL, "MemTotal"},
    [KF_MEM_FREE_KB] = {MEMINFO_MEM_FREE, "MemFree"},
    [KF_ACTIVE_KB] = {MEMINFO_MEM_ACTIVE, "Active"},
    [KF_INACTIVE_KB] = {MEMINFO_MEM_INACTIVE, "Inactive"},
    [KF_UNEVICTABLE_KB] = {MEMINFO_MEM_UNEVICTABLE, "Unevictable"},
    [KF_MAPPED_KB] = {MEMINFO_MEM_MAPPED, "Mapped"},
    [KF_KRECLAIMABLE_KB] = {MEMINFO_MEM_KERNEL_RECLAIM, "KReclaimable"},
    [KF_COMMITTED_AS_KB] = {MEMINFO_MEM_COMMITTED_AS, "Committed_AS"},
};

struct meminfo {
	const char *root;
	struct meminfo_info *info; /* live root only */
	char *buf;		   /* fixture root: the file's text */
};

int
meminfo_parse(const char *text, double value[KF_COUNT])
{
	const char *line, *colon, *end;
	int i, found = 0;
	size_t klen;
	char *num_end;
	double v;

	for (i = 0; i < KF_COUNT; i++)
		value[i] = NAN;
	for (line = text; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		colon = memchr(line, ':', (size_t)(end - line));
		if (colon == NULL)
			continue;
		klen = (size_t)(colon - line);
		for (i = 0; i < KF_COUNT; i++) {
			if (meminfo_map[i].key == NULL ||
			    strlen(meminfo_map[i].key) != klen ||
			    memcmp(meminfo_map[i].key, line, klen) != 0)
				continue;
			v = strtod(colon + 1, &num_end);
			if (num_end != colon + 1 && num_end <= end && v >= 0) {
				if (isnan(value[i]))
					found++;
				value[i] = v;
			}
			break;
		}
	}
	return found;
}

double
meminfo_unaccounted(const double value[KF_COUNT])
{
	double left = value[KF_MEM_TOTAL_KB];
	size_t i;

	for (i = 0; i < kfield_naccounted; i++)
		left -= value[kfield_accounted[i]];
	return left; /* NAN propagates */
}

int
meminfo_open(struct meminfo **out, const char *root, struct error *err)
{
	struct meminfo *m = xcalloc(1, sizeof *m);
	long n;
	int rc;

	m->root = root;
	if (!root_is_live(root)) {
		n = root_read_alloc(root, "/proc/meminfo", &m->buf);
		if (n < 0) {
			free(m);
			return error_set(err, (int)-n,
					 "cannot read "
					 "%s/proc/meminfo: %s",
					 root, strerror((int)-n));
		}
	} else {
		rc = procps_meminfo_new(&m->info);
		if (rc < 0) {
			free(m);
			return error_set(err, -rc,
					 "cannot read /proc/meminfo "
					 "through libproc2: %s",
					 strerror(-rc));
		}
	}
	*out = m;
	return 0;
}

/* The live values through libproc2.  procps_meminfo_select() reads the
 * file on every call, where procps_meminfo_get() re-reads it only when
 * the wall-clock second changed: at --every 250ms three samples in four
 * would repeat the last one.  libproc2 reports a line the kernel does
 * not have (Percpu before 4.0, Hugetlb before 5.1) as 0. */
static int
meminfo_sample_live(struct meminfo *m, struct ksample *s, struct error *err)
{
	enum meminfo_item items[KF_COUNT];
	enum kfield_id ids[KF_COUNT];
	struct meminfo_stack *st;
	int i, n = 0;

	for (i = 0; i < KF_COUNT; i++) {
		if (meminfo_map[i].item == MEMINFO_noop)
			continue;
		items[n] = meminfo_map[i].item;
		ids[n++] = (enum kfield_id)i;
	}
	st = procps_meminfo_select(m->info, items, n);
	if (st == NULL)
		return error_set(err, errno ? errno : EIO,
				 "cannot read "
				 "/proc/meminfo through libproc2: %s",
				 strerror(errno ? errno : EIO));
	for (i = 0; i < n; i++)
		s->value[ids[i]] = (double)st->head[i].result.ul_int;
	return 0;
}

int
meminfo_sample(struct meminfo *m, struct ksample *s, struct error *err)
{
	double v[KF_COUNT];
	long n;
	int i, rc;

	if (m->info != NULL) {
		rc = meminfo_sample_live(m, s, err);
		if (rc < 0)
			return rc;
	} else {
		free(m->buf);
		m->buf = NULL;
		n = root_read_alloc(m->root, "/proc/meminfo", &m->buf);
		if (n < 0)
			return error_set(err, (int)-n,
					 "cannot read "
					 "%s/proc/meminfo: %s",
					 m->root, strerror((int)-n));
		meminfo_parse(m->buf, v);
		for (i = 0; i < KF_COUNT; i++)
			s->value[i] = v[i];
	}
	s->value[KF_UNACCOUNTED_KB] = meminfo_unaccounted(s->value);
	return 0;
}

void
meminfo_close(struct meminfo *m)
{
	if (m == NULL)
		return;
	if (m->info != NULL)
		procps_meminfo_unref(&m->info);
	free(m->buf);
	free(m);
}
