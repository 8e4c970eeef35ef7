/*
 * /proc/meminfo for `memtrend kernel` and `capture --system` (see
 * meminfo.h).  One table says each series' key in the file; the live
 * system is read by the back end (meminfo-proc2.c through libproc2,
 * meminfo-procfs.c in the capture-only build), a fixture root's file
 * here.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sources/meminfo.h"
#include "util/root.h"
#include "util/xmalloc.h"

static const char *const meminfo_keys[KF_COUNT] = {
    [KF_MEM_AVAILABLE_KB] = "MemAvailable",
    [KF_SLAB_KB] = "Slab",
    [KF_SLAB_RECLAIMABLE_KB] = "SReclaimable",
    [KF_SLAB_UNRECLAIM_KB] = "SUnreclaim",
    [KF_VMALLOC_USED_KB] = "VmallocUsed",
    [KF_PERCPU_KB] = "Percpu",
    [KF_KERNEL_STACK_KB] = "KernelStack",
    [KF_PAGE_TABLES_KB] = "PageTables",
    [KF_UNACCOUNTED_KB] = NULL,
    [KF_SHMEM_KB] = "Shmem",
    [KF_ANON_PAGES_KB] = "AnonPages",
    [KF_BUFFERS_KB] = "Buffers",
    [KF_CACHED_KB] = "Cached",
    [KF_HUGETLB_KB] = "Hugetlb",
    [KF_MEM_TOTAL_KB] = "MemTotal",
    [KF_MEM_FREE_KB] = "MemFree",
    [KF_ACTIVE_KB] = "Active",
    [KF_INACTIVE_KB] = "Inactive",
    [KF_UNEVICTABLE_KB] = "Unevictable",
    [KF_MAPPED_KB] = "Mapped",
    [KF_KRECLAIMABLE_KB] = "KReclaimable",
    [KF_COMMITTED_AS_KB] = "Committed_AS",
};

struct meminfo {
	const char *root;
	struct meminfo_live *live; /* live root only */
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
			if (meminfo_keys[i] == NULL ||
			    strlen(meminfo_keys[i]) != klen ||
			    memcmp(meminfo_keys[i], line, klen) != 0)
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
		rc = meminfo_live_open(&m->live, err);
		if (rc < 0) {
			free(m);
			return rc;
		}
	}
	*out = m;
	return 0;
}

int
meminfo_sample(struct meminfo *m, struct ksample *s, struct error *err)
{
	double v[KF_COUNT];
	long n;
	int i, rc;

	if (m->live != NULL) {
		rc = meminfo_live_sample(m->live, s->value, err);
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
	meminfo_live_close(m->live);
	free(m->buf);
	free(m);
}
