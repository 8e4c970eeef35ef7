/*
 * Region estimates from a stratified sample of pages (see estimate.h).
 * The drawn pages come out in address order, so the pagemap entries of
 * draws that lie close together (small regions read whole, mostly) share
 * one pread, as in pagemap.c; kpagecount is read through
 * pagemap_read_by_pfn, sorted and coalesced.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/estimate.h"
#include "sources/pagemap.h"
#include "util/bound.h"
#include "util/page.h"
#include "util/rand.h"
#include "util/root.h"
#include "util/xmalloc.h"

#define EST_SPAN 512 /* pages at most in one pread */
/* Draws this close share a pread: one of 128 bytes costs what one of 8
 * does. */
#define EST_GAP 16

/* A drawn page: its virtual page number and region. */
struct est_draw {
	uint64_t vpage;
	uint32_t region;
};

/* A drawn page mapped more than once: its PFN (first, for
 * pagemap_read_by_pfn) and region. */
struct est_ref {
	uint64_t pfn;
	uint32_t region;
};

/* Per region: pages, draws and what they found. */
struct est_acc {
	uint64_t pages, want, done, seen, next;
	double drawn, present, exclusive, pss, swapped, file, zero;
};

struct estimate {
	int fd, count_fd;
	uint64_t page, rng;
	struct est_draw *draws;
	size_t ndraws, draws_cap;
	struct est_ref *refs;
	size_t nrefs, refs_cap;
	struct est_acc *acc;
	size_t acc_cap;
	uint64_t buf[EST_SPAN];
	bool pfn_hidden; /* a present page read without its PFN */
	size_t pages_read;
};

int
estimate_open(struct estimate **out, int proc_fd, const char *root,
	      struct error *err)
{
	struct estimate *e;
	int fd;

	fd = openat(proc_fd, "pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "cannot open pagemap: %s (%s)",
				 strerror(errno), error_hint(errno));
	e = xcalloc(1, sizeof *e);
	e->fd = fd;
	e->page = page_size();
	e->count_fd = root_open(root, "/proc/kpagecount", O_RDONLY);
	*out = e;
	return 0;
}

/* k * N / n without overflow and without 128-bit integers (32-bit
 * targets have none): n is at most the sample size, under 2^32, so
 * k * (N mod n) fits in 64 bits. */
static uint64_t
est_stratum(const struct est_acc *a, uint64_t k)
{
	return k * (a->pages / a->want) + k * (a->pages % a->want) / a->want;
}

/* The region page index of draw k: one page at random in stratum k, the
 * pages [k * N / n, (k + 1) * N / n); every page when n = N. */
static uint64_t
est_pick(struct estimate *e, const struct est_acc *a, uint64_t k)
{
	uint64_t lo, hi;

	if (a->want == a->pages)
		return k;
	lo = est_stratum(a, k);
	hi = est_stratum(a, k + 1);
	return lo + rand_next(&e->rng) % (hi - lo);
}

static void
est_add_draw(struct estimate *e, uint64_t vpage, size_t region)
{
	if (e->ndraws == e->draws_cap) {
		e->draws_cap = e->draws_cap ? e->draws_cap * 2 : 4096;
		e->draws =
		    xreallocarray(e->draws, e->draws_cap, sizeof *e->draws);
	}
	e->draws[e->ndraws].vpage = vpage;
	e->draws[e->ndraws++].region = (uint32_t)region;
}

/* Draws each region's pages, in address order. */
static void
est_draw(struct estimate *e, const struct mapping_list *list,
	 const size_t *region_of, size_t nregions, unsigned int sample)
{
	const struct mapping *m;
	struct est_acc *a;
	uint64_t len;
	size_t i, r;

	for (i = 0; i < list->n; i++) {
		if (region_of[i] != SIZE_MAX)
			e->acc[region_of[i]].pages +=
			    (list->v[i].end - list->v[i].start) / e->page;
	}
	for (r = 0; r < nregions; r++) {
		a = &e->acc[r];
		a->want = a->pages < sample ? a->pages : sample;
		if (a->want > 0)
			a->next = est_pick(e, a, 0);
	}
	for (i = 0; i < list->n; i++) {
		if ((r = region_of[i]) == SIZE_MAX)
			continue;
		m = &list->v[i];
		a = &e->acc[r];
		len = (m->end - m->start) / e->page;
		while (a->done < a->want && a->next < a->seen + len) {
			est_add_draw(
			    e, m->start / e->page + (a->next - a->seen), r);
			if (++a->done < a->want)
				a->next = est_pick(e, a, a->done);
		}
		a->seen += len;
	}
}

static void
est_add_ref(struct estimate *e, uint64_t pfn, uint32_t region)
{
	if (e->nrefs == e->refs_cap) {
		e->refs_cap = e->refs_cap ? e->refs_cap * 2 : 1024;
		e->refs = xreallocarray(e->refs, e->refs_cap, sizeof *e->refs);
	}
	e->refs[e->nrefs].pfn = pfn;
	e->refs[e->nrefs++].region = region;
}

/* One drawn page's pagemap entry. */
static void
est_account(struct estimate *e, uint64_t entry, uint32_t region,
	    const struct estimate_opts *o)
{
	struct est_acc *a = &e->acc[region];
	uint64_t pfn = entry & PM_PFN_MASK;

	a->drawn++;
	if (!(entry & PM_PRESENT)) {
		a->swapped += (entry & PM_SWAP) != 0;
		return;
	}
	e->pfn_hidden |= pfn == 0;
	if (pfn != 0) {
		if (pagemap_pfn_is_zero(pfn, o->zero_pfn, o->huge_zero_pfn)) {
			a->zero++;
			return;
		}
	}
	a->present++;
	a->file += (entry & PM_FILE) != 0;
	if (entry & PM_MMAP_EXCLUSIVE) {
		a->exclusive++;
		a->pss += 1;
	} else if (pfn != 0 && o->pss && e->count_fd >= 0) {
		est_add_ref(e, pfn, region);
	}
}

/* Reads the drawn pages' entries, one pread per run of nearby draws. */
static int
est_read(struct estimate *e, const struct estimate_opts *o)
{
	uint64_t first, span;
	size_t i = 0, j;
	ssize_t got;

	e->pages_read = 0;
	while (i < e->ndraws) {
		first = e->draws[i].vpage;
		for (j = i + 1;
		     j < e->ndraws && e->draws[j].vpage - first < EST_SPAN &&
		     e->draws[j].vpage - e->draws[j - 1].vpage <= EST_GAP;
		     j++)
			;
		span = e->draws[j - 1].vpage - first + 1;
		got = pread(e->fd, e->buf, span * 8, (off_t)(first * 8));
		if (got < 0)
			return errno == ESRCH ? -ESRCH : -errno;
		if (got == 0)
			return -ESRCH; /* the address space is gone */
		e->pages_read += span;
		for (; i < j; i++) {
			uint64_t at = e->draws[i].vpage - first;

			/* Past a short read: the mapping went away. */
			if (at >= (uint64_t)got / 8)
				return -ESRCH;
			est_account(e, e->buf[at], e->draws[i].region, o);
		}
	}
	return 0;
}

static void
est_add_count(void *ref, uint64_t count, void *acc)
{
	struct est_acc *a =
	    &((struct est_acc *)acc)[((struct est_ref *)ref)->region];

	a->pss += count > 1 ? 1.0 / (double)count : 1.0;
}

/* A count of drawn pages scaled to the region, in KiB, and its bound. */
static void
est_scale(const struct estimate *e, const struct est_acc *a, double hits,
	  double *kb, double *err_kb)
{
	double page_kb = (double)e->page / 1024, n = a->drawn;
	double pages = (double)a->pages;

	if (n <= 0) {
		*kb = 0;
		if (err_kb != NULL)
			*err_kb = 0;
		return;
	}
	*kb = pages * hits / n * page_kb;
	if (err_kb != NULL)
		*err_kb =
		    pages * page_kb * bound_wilson_err(hits / n, n, pages);
}

static void
est_write(const struct estimate *e, struct region_set *set, bool pss)
{
	const struct est_acc *a;
	double *v, rss, anon;
	size_t r, f;

	set->source = REGION_SOURCE_ESTIMATE;
	for (r = 0; r < set->n; r++) {
		a = &e->acc[r];
		v = set->v[r].v;
		for (f = RF_RSS_KB; f <= RF_FLAGS_ERR_PCT; f++)
			v[f] = f == RF_HUGETLB_KB ? 0 : NAN;
		est_scale(e, a, a->present, &rss, &v[RF_RSS_ERR_KB]);
		est_scale(e, a, a->exclusive, &v[RF_USS_KB], &v[RF_USS_ERR_KB]);
		est_scale(e, a, a->pss, &v[RF_PSS_KB], &v[RF_PSS_ERR_KB]);
		est_scale(e, a, a->swapped, &v[RF_SWAP_KB], NULL);
		est_scale(e, a, a->file, &v[RF_FILE_KB], NULL);
		est_scale(e, a, a->present - a->file, &anon, NULL);
		est_scale(e, a, a->zero, &v[RF_ZERO_KB], NULL);
		v[RF_ANON_KB] = anon;
		v[RF_RSS_KB] = rss;
		if (set->v[r].kind == REGION_HUGETLB) {
			/* As smaps and the walk: hugetlb is not Rss. */
			v[RF_HUGETLB_KB] = rss;
			v[RF_RSS_KB] = v[RF_ANON_KB] = v[RF_FILE_KB] = 0;
		}
		if (!pss) {
			v[RF_PSS_KB] = v[RF_PSS_ERR_KB] = NAN;
		}
		if (e->pfn_hidden)
			v[RF_ZERO_KB] = NAN;
	}
}

int
estimate_regions(struct estimate *e, const struct mapping_list *list,
		 const size_t *region_of, struct region_set *set,
		 const struct estimate_opts *o, struct error *err)
{
	unsigned int sample = o->sample > 0 ? o->sample : ESTIMATE_SAMPLE;
	int rc;

	if (set->n + 1 > e->acc_cap) {
		e->acc_cap = set->n + 1;
		e->acc = xreallocarray(e->acc, e->acc_cap, sizeof *e->acc);
	}
	memset(e->acc, 0, (set->n + 1) * sizeof *e->acc);
	e->ndraws = e->nrefs = 0;
	e->pfn_hidden = false;
	e->rng ^= o->seed;
	est_draw(e, list, region_of, set->n, sample);
	rc = est_read(e, o);
	if (rc == 0 && e->nrefs > 0)
		rc =
		    pagemap_read_by_pfn(e->count_fd, e->refs, e->nrefs,
					sizeof *e->refs, est_add_count, e->acc);
	if (rc == -ESRCH)
		return error_set(err, ESRCH,
				 "the process exited during the "
				 "estimate; the sample is partial");
	if (rc < 0)
		return error_set(err, -rc, "cannot read pagemap: %s",
				 strerror(-rc));
	est_write(e, set, o->pss && !e->pfn_hidden && e->count_fd >= 0);
	return 0;
}

size_t
estimate_pages_read(const struct estimate *e)
{
	return e->pages_read;
}

void
estimate_close(struct estimate *e)
{
	if (e == NULL)
		return;
	close(e->fd);
	if (e->count_fd >= 0)
		close(e->count_fd);
	free(e->draws);
	free(e->refs);
	free(e->acc);
	free(e);
}
