/*
 * Page-level accounting (Documentation/admin-guide/mm/pagemap.rst).
 *
 * Cost is what matters here, so, as tools/mm/page-types.c does:
 *  - pagemap is read in large preads (16 Ki entries), never per page,
 *    and mappings that (nearly) touch share them: a process with 20 000
 *    small mappings costs a few preads, not 20 000;
 *  - kpagecount is read only for present pages not mapped exclusively,
 *    queued across mappings, sorted by PFN and read in coalesced runs;
 *  - kpageflags is read only for a reservoir sample of present pages,
 *    also sorted and coalesced;
 *  - PAGEMAP_SCAN (Linux 6.7) finds the present and swapped ranges of a
 *    sparse mapping without copying an entry per absent page; on dense
 *    mappings it costs more than a plain read, so it is used only where
 *    the previous walk found the mapping mostly empty.
 * PFNs read as 0 without CAP_SYS_ADMIN: then PSS and page flags are not
 * known here, while presence, exclusivity and swap still are.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/probe.h"
#include "sources/pagemap.h"
#include "util/compat/pagemap_scan.h"
#include "util/page.h"
#include "util/root.h"
#include "util/xmalloc.h"

#define PM_CHUNK 16384	/* pagemap entries per pread (64 MiB mapped) */
#define PM_QUEUE 65536	/* shared pages queued for kpagecount */
#define PM_SCAN_VEC 256 /* PAGEMAP_SCAN ranges per ioctl */
#define PM_RUN_GAP 16	/* PFNs this close share one pread */
#define PM_KBUF 4096	/* entries per kpagecount/kpageflags pread */
#define PM_SPARSE 0.25	/* below this density, scan */
#define PM_SCAN_MIN 512 /* pages: smaller mappings are just read */
#define PM_JOIN_GAP 64	/* pages: mappings this close share one pread */

struct pm_ref {
	uint64_t pfn; /* first: pagemap_read_by_pfn sorts by it */
	uint32_t mapping;
};

struct pm_density {
	uint64_t start;
	double density;
};

struct pagemap {
	int fd, count_fd, flags_fd;
	bool scan_ok;	/* the kernel has PAGEMAP_SCAN */
	bool pfns_seen; /* the last walk saw a PFN */
	uint64_t page;
	uint64_t *buf;
	struct pm_ref *queue;
	size_t nqueue;
	struct pm_ref *sample;
	size_t nsample, sample_cap;
	uint64_t sample_seen;
	struct pm_density *dens, *next_dens;
	size_t ndens, nnext;
	uint64_t rng;
};

int
pagemap_open(struct pagemap **out, int proc_fd, const char *root,
	     struct error *err)
{
	struct pm_scan_arg arg;
	struct page_region region;
	struct pagemap *pm;
	int fd;

	fd = openat(proc_fd, "pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "cannot open pagemap: %s (%s)",
				 strerror(errno), error_hint(errno));
	pm = xcalloc(1, sizeof *pm);
	pm->fd = fd;
	pm->page = page_size();
	pm->count_fd = root_open(root, "/proc/kpagecount", O_RDONLY);
	pm->flags_fd = root_open(root, "/proc/kpageflags", O_RDONLY);
	pm->buf = xcalloc(PM_CHUNK, sizeof *pm->buf);
	pm->queue = xcalloc(PM_QUEUE, sizeof *pm->queue);
	pm->rng = 0x9e3779b97f4a7c15ULL;

	memset(&arg, 0, sizeof arg);
	arg.size = sizeof arg;
	arg.end = pm->page;
	arg.vec = (uintptr_t)&region;
	arg.vec_len = 1;
	arg.return_mask = PAGE_IS_PRESENT;
	pm->scan_ok = ioctl(fd, PAGEMAP_SCAN, &arg) >= 0;
	*out = pm;
	return 0;
}

bool
pagemap_has_kpagecount(const struct pagemap *pm)
{
	return pm->count_fd >= 0;
}

bool
pagemap_has_kpageflags(const struct pagemap *pm)
{
	return pm->flags_fd >= 0;
}

bool
pagemap_pfns_visible(const struct pagemap *pm)
{
	return pm->pfns_seen;
}

bool
pagemap_has_scan(const struct pagemap *pm)
{
	return pm->scan_ok;
}

static uint64_t
pm_random(struct pagemap *pm)
{
	pm->rng ^= pm->rng >> 12;
	pm->rng ^= pm->rng << 25;
	pm->rng ^= pm->rng >> 27;
	return pm->rng * 2685821657736338717ULL;
}

static int
pm_pfn_cmp(const void *a_, const void *b_)
{
	uint64_t a = *(const uint64_t *)a_, b = *(const uint64_t *)b_;

	return a < b ? -1 : a > b;
}

int
pagemap_read_by_pfn(int fd, void *items, size_t n, size_t size,
		    void (*fn)(void *item, uint64_t value, void *ctx),
		    void *ctx)
{
	uint64_t buf[PM_KBUF], first, last;
	char *base = items;
	size_t i = 0, j;
	ssize_t got;

#define PM_PFN(k) (*(const uint64_t *)(base + (k)*size))
	qsort(items, n, size, pm_pfn_cmp);
	while (i < n) {
		first = last = PM_PFN(i);
		for (j = i + 1; j < n && PM_PFN(j) - last <= PM_RUN_GAP &&
				PM_PFN(j) - first < PM_KBUF;
		     j++)
			last = PM_PFN(j);
		got =
		    pread(fd, buf, (last - first + 1) * 8, (off_t)(first * 8));
		if (got < 0)
			return -errno;
		if ((size_t)got < (last - first + 1) * 8)
			return -EIO;
		for (; i < j; i++)
			fn(base + i * size, buf[PM_PFN(i) - first], ctx);
	}
#undef PM_PFN
	return 0;
}

static void
pm_add_count(void *ref, uint64_t count, void *stats)
{
	struct page_stats *st =
	    &((struct page_stats *)stats)[((struct pm_ref *)ref)->mapping];

	st->pss += count > 1 ? 1.0 / (double)count : 1.0;
}

static void
pm_add_flags(void *ref, uint64_t flags, void *stats)
{
	struct page_stats *st =
	    &((struct page_stats *)stats)[((struct pm_ref *)ref)->mapping];

	st->sampled++;
	st->thp += (flags >> KPF_THP) & 1;
	st->ksm += (flags >> KPF_KSM) & 1;
	st->dirty += (flags >> KPF_DIRTY) & 1;
	st->referenced += (flags >> KPF_REFERENCED) & 1;
	st->active += (flags >> KPF_ACTIVE) & 1;
}

static int
pm_flush_counts(struct pagemap *pm, struct page_stats *stats)
{
	int rc = 0;

	if (pm->nqueue > 0)
		rc =
		    pagemap_read_by_pfn(pm->count_fd, pm->queue, pm->nqueue,
					sizeof *pm->queue, pm_add_count, stats);
	pm->nqueue = 0;
	return rc;
}

/* Algorithm R over the present pages with a PFN. */
static void
pm_sample_page(struct pagemap *pm, uint64_t pfn, uint32_t mapping)
{
	uint64_t j;

	if (pm->nsample < pm->sample_cap) {
		pm->sample[pm->nsample].pfn = pfn;
		pm->sample[pm->nsample++].mapping = mapping;
	} else if ((j = pm_random(pm) % (pm->sample_seen + 1)) <
		   pm->sample_cap) {
		pm->sample[j].pfn = pfn;
		pm->sample[j].mapping = mapping;
	}
	pm->sample_seen++;
}

bool
pagemap_pfn_is_zero(uint64_t pfn, uint64_t zero_pfn, uint64_t huge_zero_pfn)
{
	return (zero_pfn != 0 && pfn == zero_pfn) ||
	       (huge_zero_pfn != 0 && pfn >= huge_zero_pfn &&
		pfn < huge_zero_pfn + 512);
}

static int
pm_entries(struct pagemap *pm, const uint64_t *e, size_t n, uint32_t mi,
	   const struct pagemap_opts *o, struct page_stats *stats)
{
	struct page_stats *st = &stats[mi];
	uint64_t pfn;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (!(e[i] & PM_PRESENT)) {
			st->swapped += (e[i] & PM_SWAP) != 0;
			continue;
		}
		pfn = e[i] & PM_PFN_MASK;
		if (pfn != 0) {
			pm->pfns_seen = true;
			if (pagemap_pfn_is_zero(pfn, o->zero_pfn,
						o->huge_zero_pfn)) {
				st->zero++;
				continue;
			}
		}
		st->present++;
		st->file += (e[i] & PM_FILE) != 0;
		if (e[i] & PM_MMAP_EXCLUSIVE) {
			st->exclusive++;
			st->pss += 1;
		} else if (pfn != 0 && o->pss && pm->count_fd >= 0) {
			pm->queue[pm->nqueue].pfn = pfn;
			pm->queue[pm->nqueue++].mapping = mi;
			if (pm->nqueue == PM_QUEUE &&
			    (rc = pm_flush_counts(pm, stats)) < 0)
				return rc;
		}
		if (pfn != 0 && pm->sample_cap > 0)
			pm_sample_page(pm, pfn, mi);
	}
	return 0;
}

/* Reads and accounts the pagemap entries of pages [first, first + n). */
static int
pm_read_range(struct pagemap *pm, uint64_t first, uint64_t n, uint32_t mi,
	      const struct pagemap_opts *o, struct page_stats *stats)
{
	uint64_t want;
	ssize_t got;
	int rc;

	while (n > 0) {
		want = n < PM_CHUNK ? n : PM_CHUNK;
		got = pread(pm->fd, pm->buf, want * 8, (off_t)(first * 8));
		if (got < 0)
			return errno == ESRCH ? -ESRCH : -errno;
		if (got == 0)
			return -ESRCH; /* the address space is gone */
		want = (uint64_t)got / 8;
		if (want == 0)
			return -EIO;
		rc = pm_entries(pm, pm->buf, want, mi, o, stats);
		if (rc < 0)
			return rc;
		first += want;
		n -= want;
	}
	return 0;
}

/* Reads mappings [first, last] of list, which lie close together, with
 * preads spanning them all; the entries of the gaps between them are
 * skipped. */
static int
pm_read_run(struct pagemap *pm, const struct mapping_list *list, size_t first,
	    size_t last, const struct pagemap_opts *o, struct page_stats *stats)
{
	uint64_t page = list->v[first].start / pm->page;
	uint64_t end = list->v[last].end / pm->page, want, lo, hi, ms, me;
	size_t k = first;
	ssize_t got;
	int rc;

	while (page < end) {
		want = end - page < PM_CHUNK ? end - page : PM_CHUNK;
		got = pread(pm->fd, pm->buf, want * 8, (off_t)(page * 8));
		if (got < 0)
			return errno == ESRCH ? -ESRCH : -errno;
		if (got == 0)
			return -ESRCH; /* the address space is gone */
		want = (uint64_t)got / 8;
		if (want == 0)
			return -EIO;
		for (; k <= last; k++) {
			ms = list->v[k].start / pm->page;
			me = list->v[k].end / pm->page;
			if (ms >= page + want)
				break;
			lo = ms > page ? ms : page;
			hi = me < page + want ? me : page + want;
			rc = pm_entries(pm, pm->buf + (lo - page), hi - lo,
					(uint32_t)k, o, stats);
			if (rc < 0)
				return rc;
			if (me > page + want)
				break; /* goes on in the next chunk */
		}
		page += want;
	}
	return 0;
}

/* A sparse mapping: let the kernel find its present and swapped ranges. */
static int
pm_scan_mapping(struct pagemap *pm, const struct mapping *m, uint32_t mi,
		const struct pagemap_opts *o, struct page_stats *stats)
{
	struct page_region vec[PM_SCAN_VEC];
	struct pm_scan_arg arg;
	uint64_t cur = m->start;
	long n, i;
	int rc;

	/* Valgrind cannot know this ioctl fills vec: start it defined. */
	memset(vec, 0, sizeof vec);
	while (cur < m->end) {
		memset(&arg, 0, sizeof arg);
		arg.size = sizeof arg;
		arg.start = cur;
		arg.end = m->end;
		arg.vec = (uintptr_t)vec;
		arg.vec_len = PM_SCAN_VEC;
		arg.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
		arg.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
		n = ioctl(pm->fd, PAGEMAP_SCAN, &arg);
		if (n < 0)
			return errno == ESRCH ? -ESRCH : -errno;
		for (i = 0; i < n; i++) {
			uint64_t pages = (vec[i].end - vec[i].start) / pm->page;

			if (!(vec[i].categories & PAGE_IS_PRESENT)) {
				stats[mi].swapped += pages;
				continue;
			}
			rc = pm_read_range(pm, vec[i].start / pm->page, pages,
					   mi, o, stats);
			if (rc < 0)
				return rc;
		}
		if (n < PM_SCAN_VEC || arg.walk_end <= cur)
			break;
		cur = arg.walk_end;
	}
	return 0;
}

/* The density the previous walk found at this start address, or -1. */
static double
pm_old_density(const struct pagemap *pm, uint64_t start)
{
	size_t lo = 0, hi = pm->ndens, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (pm->dens[mid].start == start)
			return pm->dens[mid].density;
		if (pm->dens[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Whether the previous walk found this (big) mapping mostly empty. */
static bool
pm_should_scan(const struct pagemap *pm, const struct mapping *m)
{
	return pm->scan_ok && (m->end - m->start) / pm->page >= PM_SCAN_MIN &&
	       pm_old_density(pm, m->start) < PM_SPARSE;
}

int
pagemap_walk(struct pagemap *pm, const struct mapping_list *list,
	     const size_t *region_of, const struct pagemap_opts *o,
	     struct page_stats *stats, struct error *err)
{
	const struct mapping *m;
	uint64_t pages;
	size_t i, j;
	int rc = 0;

	memset(stats, 0, list->n * sizeof *stats);
	pm->nqueue = 0;
	pm->nsample = 0;
	pm->sample_seen = 0;
	pm->pfns_seen = false;
	pm->rng ^= o->seed;
	if (pm->flags_fd >= 0 && o->flags_sample > pm->sample_cap) {
		pm->sample = xreallocarray(pm->sample, o->flags_sample,
					   sizeof *pm->sample);
	}
	pm->sample_cap = pm->flags_fd >= 0 ? o->flags_sample : 0;
	pm->next_dens =
	    xreallocarray(pm->next_dens, list->n + 1, sizeof *pm->next_dens);
	pm->nnext = 0;

	for (i = 0; i < list->n && rc == 0; i = j) {
		j = i + 1;
		if (region_of[i] == SIZE_MAX)
			continue;
		m = &list->v[i];
		if (pm_should_scan(pm, m)) {
			rc = pm_scan_mapping(pm, m, (uint32_t)i, o, stats);
		} else {
			while (j < list->n && region_of[j] != SIZE_MAX &&
			       list->v[j].start >= list->v[j - 1].end &&
			       list->v[j].start - list->v[j - 1].end <=
				   PM_JOIN_GAP * pm->page &&
			       !pm_should_scan(pm, &list->v[j]))
				j++;
			rc = pm_read_run(pm, list, i, j - 1, o, stats);
		}
	}
	/* Densities only of the mappings that could be scanned. */
	for (i = 0; i < list->n; i++) {
		if (region_of[i] == SIZE_MAX)
			continue;
		m = &list->v[i];
		pages = (m->end - m->start) / pm->page;
		if (pages < PM_SCAN_MIN)
			continue;
		pm->next_dens[pm->nnext].start = m->start;
		pm->next_dens[pm->nnext++].density =
		    pages == 0 ? 0
			       : (double)(stats[i].present + stats[i].zero +
					  stats[i].swapped) /
				     (double)pages;
	}
	if (rc == 0)
		rc = pm_flush_counts(pm, stats);
	if (rc == 0 && pm->nsample > 0)
		rc = pagemap_read_by_pfn(pm->flags_fd, pm->sample, pm->nsample,
					 sizeof *pm->sample, pm_add_flags,
					 stats);

	/* Mappings come sorted by address, so the densities are too. */
	{
		struct pm_density *t = pm->dens;

		pm->dens = pm->next_dens;
		pm->ndens = pm->nnext;
		pm->next_dens = t;
	}
	if (!pm->pfns_seen || !o->pss || pm->count_fd < 0) {
		for (i = 0; i < list->n; i++)
			stats[i].pss = NAN;
	}
	if (rc == -ESRCH)
		return error_set(err, ESRCH,
				 "the process exited during the "
				 "page walk; the sample is partial");
	if (rc < 0)
		return error_set(err, -rc, "page walk failed: %s",
				 strerror(-rc));
	return 0;
}

/* Page counts to KiB. */
static double
pm_kb(const struct pagemap *pm, double pages)
{
	return pages * (double)pm->page / 1024;
}

static const enum region_field pm_flag_fields[] = {
    RF_THP_KB, RF_KSM_KB, RF_DIRTY_KB, RF_REFERENCED_KB, RF_ACTIVE_KB,
};
#define PM_NFLAGS (sizeof pm_flag_fields / sizeof pm_flag_fields[0])

void
pagemap_add_regions(const struct pagemap *pm, struct region_set *set,
		    const struct mapping_list *list, const size_t *region_of,
		    const struct page_stats *stats)
{
	/* Per region: pages sampled, and how many had each flag. */
	struct {
		double sampled, present, hits[PM_NFLAGS];
	} * acc;
	bool flags = pm->pfns_seen && pm->flags_fd >= 0;
	const struct page_stats *st;
	double *v, n;
	size_t i, f, r;

	set->source = REGION_SOURCE_PAGEMAP;
	acc = xcalloc(set->n + 1, sizeof *acc);
	for (r = 0; r < set->n; r++) {
		v = set->v[r].v;
		for (f = RF_RSS_KB; f <= RF_FLAGS_ERR_PCT; f++)
			v[f] = 0;
	}
	for (i = 0; i < list->n; i++) {
		if (region_of[i] == SIZE_MAX)
			continue;
		st = &stats[i];
		r = region_of[i];
		v = set->v[r].v;
		v[RF_USS_KB] += pm_kb(pm, (double)st->exclusive);
		v[RF_PSS_KB] += pm_kb(pm, st->pss);
		acc[r].sampled += (double)st->sampled;
		acc[r].present += (double)st->present;
		acc[r].hits[0] += (double)st->thp;
		acc[r].hits[1] += (double)st->ksm;
		acc[r].hits[2] += (double)st->dirty;
		acc[r].hits[3] += (double)st->referenced;
		acc[r].hits[4] += (double)st->active;
		if (set->v[r].kind == REGION_HUGETLB) {
			/* smaps keeps hugetlb pages out of Rss. */
			v[RF_HUGETLB_KB] += pm_kb(pm, (double)st->present);
			continue;
		}
		v[RF_RSS_KB] += pm_kb(pm, (double)st->present);
		v[RF_SWAP_KB] += pm_kb(pm, (double)st->swapped);
		v[RF_FILE_KB] += pm_kb(pm, (double)st->file);
		v[RF_ANON_KB] += pm_kb(pm, (double)(st->present - st->file));
		v[RF_ZERO_KB] += pm_kb(pm, (double)st->zero);
	}
	/*
	 * The sample is uniform over all present pages, so the part of it
	 * in a region is a uniform sample of that region: each flag's share
	 * there estimates the region's pages with the flag.  The 95 % bound
	 * is the binomial one at p = 0.5, which covers every flag column,
	 * with the finite-population correction (0 when all were read).
	 */
	for (r = 0; r < set->n; r++) {
		v = set->v[r].v;
		n = acc[r].sampled;
		for (f = 0; f < PM_NFLAGS; f++)
			v[pm_flag_fields[f]] =
			    n > 0
				? pm_kb(pm, acc[r].present * acc[r].hits[f] / n)
				: 0;
		v[RF_FLAGS_ERR_PCT] =
		    n > 0 && acc[r].present > 1
			? 196 * sqrt(0.25 / n *
				     fmax(0, (acc[r].present - n) /
						 (acc[r].present - 1)))
			: 0;
		if (acc[r].present > 0 && n == 0)
			v[RF_FLAGS_ERR_PCT] = 100;
		if (flags)
			continue;
		for (f = 0; f < PM_NFLAGS; f++)
			v[pm_flag_fields[f]] = NAN;
		v[RF_FLAGS_ERR_PCT] = NAN;
		if (!pm->pfns_seen)
			v[RF_ZERO_KB] = NAN;
	}
	free(acc);
}

void
pagemap_find_zero_pfns(uint64_t *zero_pfn, uint64_t *huge_zero_pfn)
{
	const size_t huge = 2 << 20;
	uint64_t entry;
	volatile char *p;
	char *raw;
	int fd;

	*zero_pfn = *huge_zero_pfn = 0;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* A read fault on untouched private anonymous memory maps the zero
	 * page (or, in a THP-eligible aligned range, the huge zero page). */
	raw =
	    mmap(NULL, 2 * huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw != MAP_FAILED) {
		p = (char *)(((uintptr_t)raw + huge - 1) &
			     ~(uintptr_t)(huge - 1));
		madvise((void *)p, huge, MADV_NOHUGEPAGE);
		(void)p[0];
		if (pread(fd, &entry, 8,
			  (off_t)((uintptr_t)p / page_size() * 8)) == 8 &&
		    (entry & PM_PRESENT))
			*zero_pfn = entry & PM_PFN_MASK;
		munmap(raw, 2 * huge);
	}
	raw =
	    mmap(NULL, 2 * huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw != MAP_FAILED) {
		p = (char *)(((uintptr_t)raw + huge - 1) &
			     ~(uintptr_t)(huge - 1));
		madvise((void *)p, huge, MADV_HUGEPAGE);
		(void)p[0];
		if (pread(fd, &entry, 8,
			  (off_t)((uintptr_t)p / page_size() * 8)) == 8 &&
		    (entry & PM_PRESENT) &&
		    (entry & PM_PFN_MASK) != *zero_pfn &&
		    (entry & PM_PFN_MASK) % 512 == 0)
			*huge_zero_pfn = entry & PM_PFN_MASK;
		munmap(raw, 2 * huge);
	}
	close(fd);
}

void
pagemap_close(struct pagemap *pm)
{
	if (pm == NULL)
		return;
	close(pm->fd);
	if (pm->count_fd >= 0)
		close(pm->count_fd);
	if (pm->flags_fd >= 0)
		close(pm->flags_fd);
	free(pm->buf);
	free(pm->queue);
	free(pm->sample);
	free(pm->dens);
	free(pm->next_dens);
	free(pm);
}

static void
pagemap_probe_kpage(struct probe *p, const char *root)
{
	probe_file(p, PROBE_KPAGEFLAGS, root, "/proc/kpageflags", O_RDONLY,
		   "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
	probe_file(p, PROBE_KPAGECOUNT, root, "/proc/kpagecount", O_RDONLY,
		   "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
}

void
pagemap_probe(struct probe *p, const char *root)
{
	struct pm_scan_arg arg;
	struct page_region region;
	char path[64];
	int fd;

	probe_pid_path(path, sizeof path, p->pid, "pagemap");
	fd = probe_open(
	    p, PROBE_PAGEMAP_PFN, root, path, O_RDONLY,
	    "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
	if (fd < 0) {
		probe_set(p, PROBE_PAGEMAP_SCAN, false, "%s",
			  p->cap[PROBE_PAGEMAP_PFN].detail);
		pagemap_probe_kpage(p, root);
		return;
	}
	if (probe_has_capability(root, PROBE_CAP_SYS_ADMIN))
		probe_set(p, PROBE_PAGEMAP_PFN, true, "%s: CAP_SYS_ADMIN held",
			  path);
	else
		probe_set(p, PROBE_PAGEMAP_PFN, false,
			  "%s: PFNs read as zero "
			  "without CAP_SYS_ADMIN (run as root)",
			  path);

	/* A one-page scan at address 0: any kernel with the ioctl accepts
	 * it; older kernels (and fixture files) answer ENOTTY. */
	memset(&arg, 0, sizeof arg);
	arg.size = sizeof arg;
	arg.start = 0;
	arg.end = page_size();
	arg.vec = (uintptr_t)&region;
	arg.vec_len = 1;
	arg.return_mask = PAGE_IS_PRESENT;
	if (ioctl(fd, PAGEMAP_SCAN, &arg) >= 0)
		probe_set(p, PROBE_PAGEMAP_SCAN, true, "ioctl on %s works",
			  path);
	else if (errno == ENOTTY || errno == EINVAL)
		probe_set(p, PROBE_PAGEMAP_SCAN, false,
			  "kernel lacks the "
			  "PAGEMAP_SCAN ioctl (Linux 6.7 or later)");
	else
		probe_set(p, PROBE_PAGEMAP_SCAN, false, "ioctl on %s: %s", path,
			  strerror(errno));
	close(fd);
	pagemap_probe_kpage(p, root);
}
