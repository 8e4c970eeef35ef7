/*
 * Access tracking (see idle.h).  Interfaces:
 *   Documentation/admin-guide/mm/idle_page_tracking.rst (page_idle bitmap:
 *     64 PFNs per little-endian 64-bit word, 8-byte aligned I/O; a 1 bit
 *     read back means the page was not accessed since the bit was set)
 *   Documentation/admin-guide/mm/soft-dirty.rst (clear_refs 4, pagemap
 *     bit 55)
 *   Documentation/filesystems/proc.rst (clear_refs 1, smaps Referenced)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/probe.h"
#include "sources/idle.h"
#include "sources/pagemap.h"
#include "util/bound.h"
#include "util/page.h"
#include "util/rand.h"
#include "util/root.h"
#include "util/xmalloc.h"

#define IDLE_MAX_CANDIDATES 65536 /* per mapping and scan */
#define IDLE_SPAN 512		  /* pagemap entries read at once */

const char *const idle_method_names[] = {
    [IDLE_NONE] = "none",
    [IDLE_PAGE_IDLE] = "page_idle",
    [IDLE_SOFT_DIRTY] = "soft-dirty",
    [IDLE_REFERENCED] = "referenced",
};

/* A followed page (page methods). */
struct idle_page {
	uint64_t vaddr;
	uint64_t pfn;	     /* armed at the last scan (page_idle) */
	uint32_t age;	     /* consecutive scans without access */
	uint32_t first_scan; /* the scan it was first seen in */
	uint32_t seen_scan;  /* the last scan it was present in */
	uint32_t region;
	uint32_t weight_log2; /* it stands for 2^weight_log2 pages */
	bool armed;	      /* its flag was set at the previous scan */
	bool known, idle;     /* this scan's observation */
};

/* A present followed page as read from pagemap, before it is matched. */
struct idle_obs {
	uint64_t vaddr, entry;
	uint32_t region, weight_log2;
};

/* A followed mapping (referenced method), by start address, with the
 * Referenced and Rss KiB of its last IDLE_HISTORY scans. */
#define IDLE_HISTORY 65 /* field_idle_age_scans[] last edge */
struct idle_mapping {
	uint64_t start;
	uint32_t first_scan;
	uint32_t nref;		 /* scans in ref[] so far */
	float first_rss;	 /* when it was armed */
	float ref[IDLE_HISTORY]; /* ring, newest at (nref - 1) */
	float rss[IDLE_HISTORY];
};

struct idle {
	enum idle_method method;
	struct idle_opts o;
	int pagemap_fd, bitmap_fd, clear_fd;
	int kflags_fd; /* kpageflags for the hints, or -1 */
	char why[300];
	uint32_t scan; /* scans done */
	double last_s;
	uint64_t seed;
	/* Page methods: the followed pages, a hash by address. */
	struct idle_page *pages;
	size_t npages, cap;
	uint64_t *entries;
	/* Referenced method: mappings of the previous scan, sorted. */
	struct idle_mapping *maps, *next_maps;
	size_t nmaps;
};

/* ---- method choice ----------------------------------------------------- */

static int
idle_pick(struct idle *id, struct error *err)
{
	struct probe p;
	char tried[448];

	probe_init(&p, 0);
	pagemap_probe(&p, id->o.root);
	idle_probe(&p, id->o.root);
	snprintf(tried, sizeof tried, "page_idle: %s; soft-dirty: %s",
		 p.cap[PROBE_PAGE_IDLE].detail, p.cap[PROBE_SOFT_DIRTY].detail);
	if (p.cap[PROBE_PAGE_IDLE].available &&
	    p.cap[PROBE_PAGEMAP_PFN].available)
		id->method = IDLE_PAGE_IDLE;
	else if (p.cap[PROBE_SOFT_DIRTY].available)
		id->method = IDLE_SOFT_DIRTY;
	else if (p.cap[PROBE_CLEAR_REFS].available && id->o.allow_clear_refs)
		id->method = IDLE_REFERENCED;
	else
		return error_set(
		    err, ENOTSUP,
		    "no way to track idle pages "
		    "here (%s; %s)",
		    tried,
		    id->o.allow_clear_refs
			? p.cap[PROBE_CLEAR_REFS].detail
			: "--no-clear-refs forbids the referenced fallback");
	if (id->method == IDLE_PAGE_IDLE)
		snprintf(id->why, sizeof id->why, "page_idle bitmap (passive)");
	else if (id->method == IDLE_SOFT_DIRTY)
		snprintf(id->why, sizeof id->why,
			 "soft-dirty (clear_refs 4 + "
			 "pagemap bit 55: counts writes only), as there is no "
			 "page_idle here (%.100s)",
			 p.cap[PROBE_PAGE_IDLE].detail);
	else
		snprintf(
		    id->why, sizeof id->why,
		    "referenced (clear_refs 1 + "
		    "smaps Referenced: clears the target's accessed bits; "
		    "--no-clear-refs forbids it), as there is no page_idle or "
		    "soft-dirty here");
	return 0;
}

int
idle_open(struct idle **out, int proc_fd, const struct idle_opts *o,
	  struct error *err)
{
	struct idle *id = xcalloc(1, sizeof *id);
	int rc;

	id->o = *o;
	id->seed = o->seed ^ 0x6a09e667f3bcc909ULL;
	id->pagemap_fd = id->bitmap_fd = id->clear_fd = id->kflags_fd = -1;
	if (id->o.sample == 0)
		id->o.sample = 256;
	if (o->force != IDLE_NONE) {
		id->method = o->force;
		snprintf(id->why, sizeof id->why, "%s (chosen)",
			 idle_method_names[o->force]);
	} else if ((rc = idle_pick(id, err)) < 0) {
		free(id);
		return rc;
	}
	if (id->method != IDLE_PAGE_IDLE)
		id->clear_fd =
		    openat(proc_fd, "clear_refs", O_WRONLY | O_CLOEXEC);
	/* The kernel's own referenced/active flags of the followed pages:
	 * a passive hint, whenever kpageflags and PFNs can be read. */
	if (probe_has_capability(o->root, PROBE_CAP_SYS_ADMIN))
		id->kflags_fd =
		    root_open(o->root, "/proc/kpageflags", O_RDONLY);
	if (id->method != IDLE_REFERENCED || id->kflags_fd >= 0)
		id->pagemap_fd =
		    openat(proc_fd, "pagemap", O_RDONLY | O_CLOEXEC);
	if (id->method == IDLE_PAGE_IDLE)
		id->bitmap_fd = root_open(
		    o->root, "/sys/kernel/mm/page_idle/bitmap", O_RDWR);
	if ((id->method != IDLE_PAGE_IDLE && id->clear_fd < 0) ||
	    (id->method != IDLE_REFERENCED && id->pagemap_fd < 0) ||
	    (id->method == IDLE_PAGE_IDLE && id->bitmap_fd < 0)) {
		rc = error_set(err, errno,
			       "cannot open the files for %s idle "
			       "tracking: %s (%s)",
			       idle_method_names[id->method], strerror(errno),
			       error_hint(errno));
		idle_close(id);
		return rc;
	}
	*out = id;
	return 0;
}

enum idle_method
idle_method(const struct idle *id)
{
	return id->method;
}

const char *
idle_describe(const struct idle *id)
{
	return id->why;
}

bool
idle_needs_smaps(const struct idle *id)
{
	return id->method == IDLE_REFERENCED;
}

/* ---- shared ------------------------------------------------------------ */

/* The age histogram's bin of a page idle for age scans in a row. */
static enum region_field
idle_bin(uint32_t age)
{
	int b = FIELD_IDLE_AGES - 1;

	while (b > 0 && age < field_idle_age_scans[b])
		b--;
	return (enum region_field)(RF_IDLE_1_KB + b);
}

/* Per region tallies of one scan, in pages (or KiB for referenced). */
struct idle_tally {
	double known, idle, bins[FIELD_IDLE_AGES], fresh, stale;
	unsigned long n;   /* pages observed (for the error bound) */
	double population; /* pages they stand for */
};

/* The 95 % Wilson half-width for k of n, with the finite-population
 * correction, in percentage points. */
static double
idle_bound(double p, double n, double population)
{
	double lo, hi;

	if (n <= 0)
		return NAN;
	bound_wilson(p, n, population, &lo, &hi);
	return 100 * (hi - lo) / 2;
}

static void
idle_write_regions(struct idle *id, struct region_set *set,
		   const struct idle_tally *tl, double scan_s, bool sampled)
{
	const struct idle_tally *t;
	double *v, rss;
	size_t r;
	int b;

	for (r = 0; r < set->n; r++) {
		t = &tl[r];
		v = set->v[r].v;
		rss = v[RF_RSS_KB];
		v[RF_IDLE_SCAN_S] = scan_s;
		if (t->known <= 0) {
			/* Nothing resident seen twice: idle share unknown. */
			continue;
		}
		v[RF_IDLE_PCT] = 100 * t->idle / t->known;
		v[RF_IDLE_ERR_PCT] =
		    sampled ? idle_bound(t->idle / t->known, (double)t->n,
					 t->population)
			    : 0;
		for (b = 0; b < FIELD_IDLE_AGES; b++)
			v[RF_IDLE_1_KB + b] =
			    sampled ? rss * t->bins[b] / t->known : t->bins[b];
		v[RF_STALE_NEW_PCT] =
		    t->fresh > 0 ? 100 * t->stale / t->fresh : NAN;
	}
	(void)id;
}

static int
idle_clear_refs(struct idle *id, const char *how, struct error *err)
{
	if (pwrite(id->clear_fd, how, 1, 0) == 1)
		return 0;
	if (errno == ESRCH)
		return error_set(err, ESRCH,
				 "the process exited during the "
				 "idle scan");
	return error_set(err, errno, "cannot write clear_refs: %s",
			 strerror(errno));
}

/* ---- referenced method -------------------------------------------------- */

static const struct idle_mapping *
idle_old_mapping(const struct idle *id, uint64_t start)
{
	size_t lo = 0, hi = id->nmaps, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (id->maps[mid].start == start)
			return &id->maps[mid];
		if (id->maps[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A lower bound of the KiB idle in each of the last k scans: a page
 * referenced in any of them is one of the sum of their Referenced, so at
 * least rss minus that sum were referenced in none.  0 when fewer than k
 * scans are known.
 */
static double
idle_idle_for(const struct idle_mapping *m, double rss, uint32_t k)
{
	double sum = 0;
	uint32_t j;

	if (m->nref < k)
		return 0;
	for (j = 0; j < k; j++)
		sum += m->ref[(m->nref - 1 - j) % IDLE_HISTORY];
	return fmax(0, rss - sum);
}

/*
 * The memory added over the last k scans (k up to IDLE_HISTORY - 1, or
 * since the start; a mapping that appeared during the run counts whole
 * as added) and a lower bound of how much of it was never referenced
 * again after it appeared.  A page added in a scan is referenced in that
 * scan, so of a scan's Referenced at least the growth it brought was
 * creation; only the rest, ref - added, can be new pages touched again.
 */
static void
idle_stale_referenced(const struct idle_mapping *m, double rss,
		      struct idle_tally *t)
{
	uint32_t k = m->nref < IDLE_HISTORY - 1 ? m->nref : IDLE_HISTORY - 1;
	double base, prev, fresh, again = 0, now, added;
	uint32_t j;

	if (k < m->nref)
		base = m->rss[(m->nref - 1 - k) % IDLE_HISTORY];
	else
		base = m->first_scan > 1 ? 0 : m->first_rss;
	fresh = rss - base;
	if (fresh <= 0)
		return;
	prev = base;
	for (j = m->nref - k; j < m->nref; j++) {
		now = m->rss[j % IDLE_HISTORY];
		added = now > prev ? now - prev : 0;
		if (m->ref[j % IDLE_HISTORY] > added)
			again += m->ref[j % IDLE_HISTORY] - added;
		prev = now;
	}
	t->fresh += fresh;
	t->stale += again >= fresh ? 0 : fresh - again;
}

static int
idle_scan_referenced(struct idle *id, const struct mapping_list *list,
		     const size_t *region_of, struct idle_tally *tl,
		     struct error *err)
{
	const struct idle_mapping *old;
	struct idle_mapping *now;
	const struct mapping *m;
	double rss, ref, at_least[FIELD_IDLE_AGES];
	size_t i, n = 0;
	struct idle_tally *t;
	int b;

	id->next_maps =
	    xreallocarray(id->next_maps, list->n + 1, sizeof *id->next_maps);
	for (i = 0; i < list->n; i++) {
		m = &list->v[i];
		if (region_of[i] == SIZE_MAX || !m->has_counts)
			continue;
		rss = isnan(m->kb[SMAPS_RSS]) ? 0 : m->kb[SMAPS_RSS];
		ref = isnan(m->kb[SMAPS_REFERENCED]) ? 0
						     : m->kb[SMAPS_REFERENCED];
		old = idle_old_mapping(id, m->start);
		now = &id->next_maps[n++];
		if (old == NULL || id->scan == 1) {
			/* Armed only now: nothing to say yet. */
			memset(now, 0, sizeof *now);
			now->start = m->start;
			now->first_scan = id->scan;
			now->first_rss = (float)rss;
			continue;
		}
		*now = *old;
		now->ref[now->nref % IDLE_HISTORY] = (float)ref;
		now->rss[now->nref++ % IDLE_HISTORY] = (float)rss;
		if (now->nref > 2 * IDLE_HISTORY)
			now->nref -= IDLE_HISTORY; /* same ring slots */
		t = &tl[region_of[i]];
		t->known += rss;
		t->idle += rss - ref;
		for (b = 0; b < FIELD_IDLE_AGES; b++)
			at_least[b] =
			    idle_idle_for(now, rss, field_idle_age_scans[b]);
		for (b = 0; b + 1 < FIELD_IDLE_AGES; b++)
			t->bins[b] += at_least[b] - at_least[b + 1];
		t->bins[b] += at_least[b];
		idle_stale_referenced(now, rss, t);
	}
	/* Mappings come sorted by address, so the new list is too. */
	{
		struct idle_mapping *tmp = id->maps;

		id->maps = id->next_maps;
		id->next_maps = tmp;
		id->nmaps = n;
	}
	return idle_clear_refs(id, "1", err);
}

/* ---- page methods ------------------------------------------------------- */

static size_t
idle_slot(const struct idle *id, uint64_t vaddr)
{
	size_t s = (size_t)(rand_mix(vaddr) % id->cap);

	while (id->pages[s].vaddr != 0 && id->pages[s].vaddr != vaddr)
		s = (s + 1) % id->cap;
	return s;
}

/* Resizes the table for want pages (at most half full); with sweep,
 * drops the pages that were not present in this scan. */
static void
idle_rehash(struct idle *id, size_t want, bool sweep)
{
	struct idle_page *old = id->pages;
	size_t oldcap = id->cap, i, s;

	id->cap = 1024;
	while (id->cap < want * 2)
		id->cap *= 2;
	id->pages = xcalloc(id->cap, sizeof *id->pages);
	id->npages = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i].vaddr == 0 ||
		    (sweep && old[i].seen_scan != id->scan))
			continue;
		s = idle_slot(id, old[i].vaddr);
		id->pages[s] = old[i];
		id->npages++;
	}
	free(old);
}

/* The sample level of a mapping: it follows one page in each aligned
 * block of 2^level pages, enough for the region's sample size and never
 * more than IDLE_MAX_CANDIDATES addresses per mapping. */
static unsigned int
idle_level(const struct idle *id, double region_pages, uint64_t pages)
{
	unsigned int k = 0;

	while (region_pages / (double)(1ULL << k) > id->o.sample ||
	       (pages >> k) > IDLE_MAX_CANDIDATES)
		k++;
	return k;
}

/*
 * The followed page of the aligned block b of 2^k pages.  Each level
 * halves the block by a hash of its address, so the pages followed at
 * level k are a subset of those at level k - 1: when a region grows and
 * its level rises, half its followed pages leave and the rest keep their
 * ages.
 */
static uint64_t
idle_pick_page(const struct idle *id, uint64_t b, unsigned int k)
{
	uint64_t vpn = b << k;
	unsigned int l;

	for (l = k; l > 0; l--)
		if (rand_mix((vpn >> l) ^ ((uint64_t)l << 56) ^ id->seed) & 1)
			vpn |= 1ULL << (l - 1);
	return vpn;
}

/* Reads the pagemap entries of the followed pages of a mapping into
 * id->entries (one per block); -ESRCH when the process is gone. */
static int
idle_read_entries(struct idle *id, const struct mapping *m, unsigned int k,
		  uint64_t *vpns, size_t *n)
{
	uint64_t first = m->start / page_size(), last = m->end / page_size();
	uint64_t b, vpn, lo, buf[IDLE_SPAN];
	size_t i = 0, j;
	ssize_t got;

	for (b = first >> k; (b << k) < last; b++) {
		vpn = idle_pick_page(id, b, k);
		if (vpn >= first && vpn < last)
			vpns[i++] = vpn;
	}
	*n = i;
	for (j = 0; j < i;) {
		lo = vpns[j];
		got = pread(id->pagemap_fd, buf, sizeof buf, (off_t)(lo * 8));
		if (got < 0)
			return errno == ESRCH ? -ESRCH : -errno;
		if (got == 0)
			return -ESRCH;
		for (; j < i && vpns[j] - lo < (uint64_t)got / 8; j++)
			id->entries[j] = buf[vpns[j] - lo];
	}
	return 0;
}

static int
idle_pfn_cmp(const void *a_, const void *b_)
{
	const struct idle_page *a = *(struct idle_page *const *)a_;
	const struct idle_page *b = *(struct idle_page *const *)b_;

	return a->pfn < b->pfn ? -1 : a->pfn > b->pfn;
}

/*
 * page_idle: reads the words holding the followed pages' PFNs (a page
 * armed at the last scan whose bit is still set was not accessed since),
 * then sets the bits of every followed page for the next scan.
 */
static int
idle_bitmap(struct idle *id, struct idle_page **v, size_t n, struct error *err)
{
	uint64_t word, mask;
	size_t i, j;

	qsort(v, n, sizeof *v, idle_pfn_cmp);
	for (i = 0; i < n; i = j) {
		uint64_t w = v[i]->pfn / 64;

		if (pread(id->bitmap_fd, &word, 8, (off_t)(w * 8)) != 8)
			return error_set(err, errno ? errno : EIO,
					 "cannot read "
					 "the page_idle bitmap: %s",
					 strerror(errno));
		mask = 0;
		for (j = i; j < n && v[j]->pfn / 64 == w; j++) {
			if (v[j]->armed && v[j]->known)
				v[j]->idle = (word >> (v[j]->pfn % 64)) & 1;
			mask |= 1ULL << (v[j]->pfn % 64);
		}
		if (pwrite(id->bitmap_fd, &mask, 8, (off_t)(w * 8)) != 8)
			return error_set(
			    err, errno ? errno : EIO,
			    "cannot set "
			    "idle bits in the page_idle bitmap: %s",
			    strerror(errno));
	}
	for (i = 0; i < n; i++)
		v[i]->armed = true;
	return 0;
}

/* Reads every mapping's followed pages; appends the present ones to obs. */
static int
idle_observe(struct idle *id, const struct mapping_list *list,
	     const size_t *region_of, const struct region_set *set,
	     struct idle_obs **obs, size_t *nobs, struct error *err)
{
	size_t cap = 0, i, j, n;
	const struct mapping *m;
	unsigned int k;
	uint64_t *vpns;
	int rc = 0;

	*obs = NULL;
	*nobs = 0;
	vpns = xcalloc(IDLE_MAX_CANDIDATES + 1, sizeof *vpns);
	id->entries = xreallocarray(id->entries, IDLE_MAX_CANDIDATES + 1,
				    sizeof *id->entries);
	for (i = 0; i < list->n && rc == 0; i++) {
		m = &list->v[i];
		if (region_of[i] == SIZE_MAX)
			continue;
		k = idle_level(
		    id, set->v[region_of[i]].v[RF_RSS_KB] * 1024 / page_size(),
		    (m->end - m->start) / page_size());
		rc = idle_read_entries(id, m, k, vpns, &n);
		for (j = 0; j < n && rc == 0; j++) {
			if (!(id->entries[j] & PM_PRESENT) ||
			    (id->method == IDLE_PAGE_IDLE &&
			     (id->entries[j] & PM_PFN_MASK) == 0))
				continue; /* absent, or no PFN to flag */
			if (*nobs == cap) {
				cap = cap ? cap * 2 : 1024;
				*obs = xreallocarray(*obs, cap, sizeof **obs);
			}
			(*obs)[*nobs].vaddr = vpns[j] * page_size();
			(*obs)[*nobs].entry = id->entries[j];
			(*obs)[*nobs].region = (uint32_t)region_of[i];
			(*obs)[(*nobs)++].weight_log2 = k;
		}
	}
	free(vpns);
	if (rc == -ESRCH)
		return error_set(err, ESRCH,
				 "the process exited during the "
				 "idle scan");
	if (rc < 0)
		return error_set(err, -rc,
				 "cannot read pagemap for the idle "
				 "scan: %s",
				 strerror(-rc));
	return 0;
}

/* Matches the observations with the followed pages (adding new ones). */
static void
idle_match(struct idle *id, const struct idle_obs *obs, size_t nobs,
	   struct idle_page **present)
{
	struct idle_page *pg;
	uint64_t pfn;
	size_t i;

	if ((id->npages + nobs) * 2 >= id->cap)
		idle_rehash(id, id->npages + nobs, false);
	for (i = 0; i < nobs; i++) {
		pfn = obs[i].entry & PM_PFN_MASK;
		pg = &id->pages[idle_slot(id, obs[i].vaddr)];
		if (pg->vaddr == 0) {
			memset(pg, 0, sizeof *pg);
			pg->vaddr = obs[i].vaddr;
			pg->first_scan = id->scan;
			id->npages++;
		} else if (id->method == IDLE_PAGE_IDLE && pg->pfn != pfn) {
			pg->armed = false; /* moved: start over */
			pg->age = 0;
		}
		pg->seen_scan = id->scan;
		pg->region = obs[i].region;
		pg->weight_log2 = obs[i].weight_log2;
		pg->pfn = pfn;
		pg->known = pg->armed;
		pg->idle = !(obs[i].entry & PM_SOFT_DIRTY);
		present[i] = pg;
	}
}

static void
idle_tally_pages(struct idle *id, struct idle_page **present, size_t n,
		 struct idle_tally *tl)
{
	struct idle_page *pg;
	struct idle_tally *t;
	size_t i;
	double w;

	for (i = 0; i < n; i++) {
		pg = present[i];
		t = &tl[pg->region];
		w = (double)(1ULL << pg->weight_log2);
		t->population += w;
		if (!pg->known)
			continue;
		pg->age = pg->idle ? pg->age + 1 : 0;
		t->n++;
		t->known += w;
		if (pg->idle) {
			t->idle += w;
			t->bins[idle_bin(pg->age) - RF_IDLE_1_KB] += w;
		}
		if (pg->first_scan > 1) {
			t->fresh += w;
			/* Idle at every scan since it appeared. */
			if (pg->age == id->scan - pg->first_scan)
				t->stale += w;
		}
	}
}

/* A followed page's PFN with its region, for kpageflags. */
struct idle_hint {
	uint64_t pfn; /* first: pagemap_read_by_pfn sorts by it */
	uint32_t region;
	double w;
};

struct idle_hint_tally {
	double w, referenced, active;
};

static void
idle_hint_add(void *item, uint64_t flags, void *ctx)
{
	struct idle_hint *h = item;
	struct idle_hint_tally *t = &((struct idle_hint_tally *)ctx)[h->region];

	t->w += h->w;
	t->referenced += (flags >> KPF_REFERENCED) & 1 ? h->w : 0;
	t->active += (flags >> KPF_ACTIVE) & 1 ? h->w : 0;
}

/* The kernel's referenced/active flags of the followed pages, per region:
 * recorded whatever the method, as they cost the target nothing. */
static void
idle_hints(struct idle *id, const struct idle_obs *obs, size_t nobs,
	   struct region_set *set)
{
	struct idle_hint_tally *tl;
	struct idle_hint *h;
	size_t i, n = 0;

	if (id->kflags_fd < 0 || nobs == 0)
		return;
	h = xcalloc(nobs, sizeof *h);
	for (i = 0; i < nobs; i++) {
		if ((obs[i].entry & PM_PFN_MASK) == 0)
			continue;
		h[n].pfn = obs[i].entry & PM_PFN_MASK;
		h[n].region = obs[i].region;
		h[n++].w = (double)(1ULL << obs[i].weight_log2);
	}
	tl = xcalloc(set->n + 1, sizeof *tl);
	if (pagemap_read_by_pfn(id->kflags_fd, h, n, sizeof *h, idle_hint_add,
				tl) == 0) {
		for (i = 0; i < set->n; i++) {
			if (tl[i].w <= 0)
				continue;
			set->v[i].v[RF_HINT_REFERENCED_PCT] =
			    100 * tl[i].referenced / tl[i].w;
			set->v[i].v[RF_HINT_ACTIVE_PCT] =
			    100 * tl[i].active / tl[i].w;
		}
	}
	free(tl);
	free(h);
}

static int
idle_scan_pages(struct idle *id, const struct mapping_list *list,
		const size_t *region_of, struct region_set *set,
		struct idle_tally *tl, struct error *err)
{
	struct idle_page **present;
	struct idle_obs *obs;
	size_t nobs, i;
	int rc;

	rc = idle_observe(id, list, region_of, set, &obs, &nobs, err);
	if (rc < 0) {
		free(obs);
		return rc;
	}
	present = xcalloc(nobs + 1, sizeof *present);
	idle_match(id, obs, nobs, present);
	idle_hints(id, obs, nobs, set);
	free(obs);
	if (id->method == IDLE_PAGE_IDLE) {
		rc = idle_bitmap(id, present, nobs, err);
	} else {
		for (i = 0; i < nobs; i++)
			present[i]->armed = true;
		rc = idle_clear_refs(id, "4", err);
	}
	if (rc == 0)
		idle_tally_pages(id, present, nobs, tl);
	free(present);
	idle_rehash(id, id->npages, true); /* forget pages gone */
	return rc;
}

int
idle_scan(struct idle *id, const struct mapping_list *list,
	  const size_t *region_of, struct region_set *set, double now_s,
	  struct error *err)
{
	struct idle_tally *tl;
	double scan_s;
	int rc;

	id->scan++;
	scan_s = id->scan > 1 ? now_s - id->last_s : NAN;
	id->last_s = now_s;
	tl = xcalloc(set->n + 1, sizeof *tl);
	if (id->method == IDLE_REFERENCED) {
		rc = idle_scan_referenced(id, list, region_of, tl, err);
		if (rc == 0 && id->kflags_fd >= 0) {
			struct idle_obs *obs;
			size_t nobs;

			if (idle_observe(id, list, region_of, set, &obs, &nobs,
					 err) == 0)
				idle_hints(id, obs, nobs, set);
			free(obs);
		}
	} else {
		if (id->pages == NULL)
			idle_rehash(id, 512, false);
		rc = idle_scan_pages(id, list, region_of, set, tl, err);
	}
	if (rc == 0 && id->scan > 1) {
		idle_write_regions(id, set, tl, scan_s,
				   id->method != IDLE_REFERENCED);
		set->idle_method = idle_method_names[id->method];
	}
	free(tl);
	return rc;
}

void
idle_close(struct idle *id)
{
	if (id == NULL)
		return;
	if (id->pagemap_fd >= 0)
		close(id->pagemap_fd);
	if (id->bitmap_fd >= 0)
		close(id->bitmap_fd);
	if (id->clear_fd >= 0)
		close(id->clear_fd);
	if (id->kflags_fd >= 0)
		close(id->kflags_fd);
	free(id->pages);
	free(id->entries);
	free(id->maps);
	free(id->next_maps);
	free(id);
}

/* A VMA created on a kernel with CONFIG_MEM_SOFT_DIRTY carries VM_SOFTDIRTY,
 * shown as "sd" in its smaps VmFlags; without the option the flag does not
 * exist.  Mapping a fresh page first makes sure one new VMA is there. */
static void
idle_probe_soft_dirty(struct probe *p, const char *root)
{
	char path[64], *smaps, *flags;
	bool found = false;
	void *fresh = MAP_FAILED;
	long n;

	if (p->pid == 0 && root_is_live(root))
		fresh = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh != MAP_FAILED)
		*(volatile char *)fresh = 1;
	probe_pid_path(path, sizeof path, p->pid, "smaps");
	n = root_read_alloc(root, path, &smaps);
	if (fresh != MAP_FAILED)
		munmap(fresh, page_size());
	if (n < 0) {
		probe_set(p, PROBE_SOFT_DIRTY, false, "%s: %s", path,
			  probe_why((int)-n, "missing"));
		return;
	}
	for (flags = strstr(smaps, "VmFlags:"); flags != NULL && !found;
	     flags = strstr(flags + 8, "VmFlags:")) {
		size_t len = strcspn(flags, "\n");
		char line[256];

		snprintf(line, sizeof line, "%.*s ", (int)len, flags);
		found = strstr(line, " sd ") != NULL;
	}
	free(smaps);
	if (!found)
		probe_set(p, PROBE_SOFT_DIRTY, false,
			  "no 'sd' in %s VmFlags: "
			  "kernel built without CONFIG_MEM_SOFT_DIRTY",
			  path);
	else if (!p->cap[PROBE_CLEAR_REFS].available)
		probe_set(p, PROBE_SOFT_DIRTY, false, "kernel has it, but %s",
			  p->cap[PROBE_CLEAR_REFS].detail);
	else
		probe_set(p, PROBE_SOFT_DIRTY, true, "VmFlags 'sd' in %s",
			  path);
}

void
idle_probe(struct probe *p, const char *root)
{
	char path[64];

	probe_file(p, PROBE_PAGE_IDLE, root, "/sys/kernel/mm/page_idle/bitmap",
		   O_RDWR,
		   "missing (kernel built without CONFIG_IDLE_PAGE_TRACKING)");
	probe_pid_path(path, sizeof path, p->pid, "clear_refs");
	probe_file(p, PROBE_CLEAR_REFS, root, path, O_WRONLY,
		   "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
	idle_probe_soft_dirty(p, root);
}
