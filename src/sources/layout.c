/*
 * The layout source (see layout.h): /proc/PID/{maps,smaps,task} and
 * pagemap, kept open and re-read with pread each time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/probe.h"
#include "sources/estimate.h"
#include "sources/idle.h"
#include "sources/layout.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "sources/threads.h"
#include "util/rand.h"
#include "util/root.h"
#include "util/xmalloc.h"

/* Pages whose kpageflags are read: a 95 % bound of +-3 points on a region
 * that gets all of them, for a few ms of preads at most. */
#define LAYOUT_FLAGS_SAMPLE 1024

struct layout {
	const struct target *target;
	enum region_group group;
	int maps_fd, smaps_fd;
	char *buf; /* SMAPS_READ_BUF: smaps is parsed as it is read */
	struct mapping_list list;
	size_t *region_of;
	size_t region_cap;
	struct threads threads;
	struct pagemap *pm;
	struct pagemap_opts pm_opts;
	struct page_stats *stats;
	struct region_set set;
	bool pss_from_smaps; /* no PFNs or no kpagecount here */
	bool walk_many;	     /* tier 2 walks pagemap on many mappings */
	bool counted;	     /* the mappings were counted once */
	char note[200];
	struct idle *idle;
	struct estimate *est;
	struct estimate_opts est_opts;
	struct region_set est_set; /* the last estimate, for layout_anchor */
	bool est_kept;		   /* ... taken this tick */
	/* Fault addresses since the last region sample (a uniform sample of
	 * at most LAYOUT_FAULTS_MAX of them), and when that was; the next
	 * sample attributes them with its own mappings, so faults in memory
	 * mapped since are found too. */
	struct reservoir faults;
	double faults_total; /* faults counted meanwhile */
	bool faults_on;
	double faults_since_s;
};

/* 32 768 addresses (256 KiB): a region's share of the faults is then
 * within 0.6 % of all of them (95 %), however long the interval.  The
 * first 262 144 (2 MiB) were kept before, which a target faulting fast
 * filled in seconds, leaving the rest of a minute's faults unseen. */
#define LAYOUT_FAULTS_MAX 32768

/* The page walk's options, and what it cannot see here. */
static void
layout_pages_setup(struct layout *l, const char *root)
{
	l->pm_opts.pss = true;
	l->pm_opts.flags_sample = LAYOUT_FLAGS_SAMPLE;
	l->pm_opts.seed = (uint64_t)l->target->pid;
	if (root_is_live(root))
		pagemap_find_zero_pfns(&l->pm_opts.zero_pfn,
				       &l->pm_opts.huge_zero_pfn);
	if (!probe_has_capability(root, PROBE_CAP_SYS_ADMIN))
		snprintf(l->note, sizeof l->note,
			 "pagemap PFNs read "
			 "as zero without CAP_SYS_ADMIN: PSS per region "
			 "comes from smaps and page kinds are not reported "
			 "(run as root for them)");
	else if (!pagemap_has_kpagecount(l->pm))
		snprintf(l->note, sizeof l->note,
			 "cannot read "
			 "/proc/kpagecount: PSS per region comes from smaps "
			 "(run as root)");
	l->pss_from_smaps = l->note[0] != '\0';
}

int
layout_open(struct layout **out, const struct target *t,
	    const struct layout_opts *o, struct error *err)
{
	struct layout *l = xcalloc(1, sizeof *l);
	const char *root = o->root;
	int rc;

	l->target = t;
	l->group = o->group;
	reservoir_init(&l->faults, LAYOUT_FAULTS_MAX,
		       (uint64_t)t->pid ^ 0x510e527fade682d1ULL);
	l->buf = xmalloc(SMAPS_READ_BUF);
	l->maps_fd = openat(t->proc_fd, "maps", O_RDONLY | O_CLOEXEC);
	l->smaps_fd = openat(t->proc_fd, "smaps", O_RDONLY | O_CLOEXEC);
	if (l->maps_fd < 0 || l->smaps_fd < 0) {
		rc = error_set(err, errno,
			       "cannot open /proc/%d/smaps: %s "
			       "(%s)",
			       (int)t->pid, strerror(errno), error_hint(errno));
		layout_close(l);
		return rc;
	}
	if (o->idle) {
		struct idle_opts io = {
		    .root = root,
		    .allow_clear_refs = o->allow_clear_refs,
		    .sample = o->idle_sample,
		    .seed = (uint64_t)t->pid,
		};

		rc = idle_open(&l->idle, t->proc_fd, &io, err);
		if (rc < 0) {
			layout_close(l);
			return rc;
		}
	}
	if (o->estimate_sample > 0) {
		rc = estimate_open(&l->est, t->proc_fd, root, err);
		if (rc < 0) {
			layout_close(l);
			return rc;
		}
		l->est_opts.sample = o->estimate_sample;
		l->est_opts.pss = true;
		l->est_opts.seed = (uint64_t)t->pid;
		if (root_is_live(root))
			pagemap_find_zero_pfns(&l->est_opts.zero_pfn,
					       &l->est_opts.huge_zero_pfn);
	}
	/* Tier 2 takes the page walk's way too on a target with many
	 * mappings, when the walk sees everything smaps would give: smaps
	 * costs the kernel about 5 us per mapping to print, maps and a joined
	 * pagemap read a tenth of that. */
	if (o->pages || probe_has_capability(root, PROBE_CAP_SYS_ADMIN)) {
		rc = pagemap_open(&l->pm, t->proc_fd, root, err);
		if (rc < 0) {
			layout_close(l);
			return rc;
		}
		layout_pages_setup(l, root);
		l->walk_many = !l->pss_from_smaps;
		if (!o->pages && !l->walk_many) {
			pagemap_close(l->pm);
			l->pm = NULL;
			l->note[0] = '\0';
		}
	}
	*out = l;
	return 0;
}

/* Reads and parses maps or smaps; -ESRCH when the process is gone. */
static int
layout_read(struct layout *l, int fd, struct error *err)
{
	int rc;

	rc = smaps_read(fd, l->buf, SMAPS_READ_BUF, &l->list, err);
	if (rc == -ESRCH)
		return error_set(err, ESRCH, "pid %d (%s) has exited",
				 (int)l->target->pid, l->target->comm);
	if (rc == -EINVAL)
		return rc;
	if (rc < 0)
		return error_set(err, -rc,
				 "cannot read the mappings of "
				 "pid %d: %s",
				 (int)l->target->pid, strerror(-rc));
	if (l->list.n > l->region_cap) {
		l->region_cap = l->list.n * 2;
		l->region_of = xreallocarray(l->region_of, l->region_cap,
					     sizeof *l->region_of);
		l->stats =
		    xreallocarray(l->stats, l->region_cap, sizeof *l->stats);
	}
	/* Without thread stack pointers, thread stacks count as [anon]. */
	if (threads_read(&l->threads, l->target->proc_fd, l->target->pid,
			 NULL) < 0)
		l->threads.n = 0;
	regions_assign(&l->set, &l->list, l->threads.v, l->threads.n, l->group,
		       l->region_of);
	return 0;
}

void
layout_add_faults(struct layout *l, const uint64_t *addrs, size_t n,
		  double counted)
{
	l->faults_on = true;
	l->faults_total += counted;
	reservoir_add(&l->faults, addrs, n);
}

/* The mapping holding addr, or SIZE_MAX. */
static size_t
layout_mapping_at(const struct layout *l, uint64_t addr)
{
	size_t lo = 0, hi = l->list.n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (addr < l->list.v[mid].start)
			hi = mid;
		else if (addr >= l->list.v[mid].end)
			lo = mid + 1;
		else
			return mid;
	}
	return SIZE_MAX;
}

/* Fault rates per region since the last region sample. */
static void
layout_fault_rates(struct layout *l, double now_s)
{
	double dt = now_s - l->faults_since_s, scale;
	size_t i, m;

	if (!l->faults_on)
		return;
	if (dt > 0) {
		for (i = 0; i < l->set.n; i++)
			l->set.v[i].v[RF_FAULTS_PER_S] = 0;
		/* The addresses are a sample (one per period faults, fewer
		 * when the ring buffer overflowed, and a uniform sample of
		 * those past the cap): they share out the faults the
		 * counters counted. */
		scale = l->faults.n > 0
			    ? l->faults_total / (double)l->faults.n / dt
			    : 0;
		for (i = 0; i < l->faults.n; i++) {
			m = layout_mapping_at(l, l->faults.v[i]);
			if (m != SIZE_MAX && l->region_of[m] != SIZE_MAX)
				l->set.v[l->region_of[m]].v[RF_FAULTS_PER_S] +=
				    scale;
		}
	}
	reservoir_clear(&l->faults);
	l->faults_total = 0;
	l->faults_since_s = now_s;
}

/* With idle tracking, the region sample is also an idle scan. */
static int
layout_idle(struct layout *l, struct sample *s, struct error *err)
{
	int rc;

	layout_fault_rates(l, s->elapsed_s);
	if (l->idle == NULL)
		return 0;
	rc = idle_scan(l->idle, &l->list, l->region_of, &l->set, s->elapsed_s,
		       err);
	if (rc == -ESRCH)
		s->partial = true;
	return rc;
}

/* Mappings from which tier 2 walks pagemap rather than read smaps, when
 * the walk sees PFNs and kpagecount (the same RSS, PSS and USS; the page
 * kinds then come from a kpageflags sample, flags_err_pct). */
#define LAYOUT_MANY_MAPPINGS 2000

/* Whether tier 2 walks maps + pagemap rather than read smaps: where the
 * walk sees what smaps would give, on many mappings, and with an idle
 * method that follows pages itself (page_idle, soft-dirty: smaps would
 * be a second page-table walk for nothing).  The referenced method
 * needs smaps' Referenced: the accessed bits clear_refs 1 clears are
 * shown nowhere else (kpageflags' referenced is the LRU flag). */
static bool
layout_walks(const struct layout *l)
{
	if (!l->walk_many)
		return false;
	if (l->idle != NULL)
		return !idle_needs_smaps(l->idle);
	return l->list.n >= LAYOUT_MANY_MAPPINGS;
}

int
layout_sample_smaps(struct layout *l, struct sample *s, struct error *err)
{
	int rc;

	/* The first time, maps says how many mappings there are (smaps
	 * would cost and hold what the walk is there to save). */
	if (l->walk_many && l->idle == NULL && !l->counted) {
		l->counted = true;
		rc = layout_read(l, l->maps_fd, err);
		if (rc == -ESRCH)
			s->partial = true;
		if (rc < 0)
			return rc;
	}
	if (layout_walks(l))
		return layout_sample_pages(l, s, err);
	rc = layout_read(l, l->smaps_fd, err);
	if (rc == -ESRCH)
		s->partial = true; /* the totals were read, regions not */
	if (rc < 0)
		return rc;
	regions_add_smaps(&l->set, &l->list, l->region_of);
	s->regions = &l->set;
	return layout_idle(l, s, err);
}

int
layout_sample_pages(struct layout *l, struct sample *s, struct error *err)
{
	int rc;

	/* smaps lists the mappings too, with the PSS the walk cannot get
	 * without PFNs; otherwise maps (no page walk of its own) will do. */
	rc = layout_read(l,
			 l->pss_from_smaps ||
				 (l->idle != NULL && idle_needs_smaps(l->idle))
			     ? l->smaps_fd
			     : l->maps_fd,
			 err);
	if (rc == -ESRCH)
		s->partial = true;
	if (rc < 0)
		return rc;
	rc = pagemap_walk(l->pm, &l->list, l->region_of, &l->pm_opts, l->stats,
			  err);
	if (rc < 0 && rc != -ESRCH)
		return rc;
	pagemap_add_regions(l->pm, &l->set, &l->list, l->region_of, l->stats);
	if (l->pss_from_smaps) {
		regions_set_from_smaps(&l->set, &l->list, l->region_of,
				       SMAPS_PSS, RF_PSS_KB);
		l->set.source = REGION_SOURCE_PAGEMAP_SMAPS;
	}
	s->regions = &l->set;
	if (rc == -ESRCH) {
		s->partial = true;
		return rc;
	}
	return layout_idle(l, s, err);
}

int
layout_sample_estimate(struct layout *l, struct sample *s, struct error *err)
{
	int rc;

	l->est_kept = false;
	rc = layout_read(l, l->maps_fd, err);
	if (rc == -ESRCH)
		s->partial = true;
	if (rc < 0)
		return rc;
	rc = estimate_regions(l->est, &l->list, l->region_of, &l->set,
			      &l->est_opts, err);
	if (rc == -ESRCH)
		s->partial = true;
	if (rc < 0)
		return rc;
	s->regions = &l->set;
	regions_copy(&l->est_set, &l->set);
	l->est_kept = true;
	return 0;
}

bool
layout_estimates(const struct layout *l)
{
	return l->est != NULL;
}

static void
layout_fill(struct sample *s, enum field_id f, double v)
{
	if (isnan(s->value[f]))
		s->value[f] = v;
}

/*
 * Totals from estimated regions, where no exact read gave them this tick:
 * the sums, with their bounds in pss_err_kb / uss_err_kb (which say the
 * value is an estimate).  Each region is drawn independently, so the
 * bound of the sum is the regions' bounds in quadrature.
 */
struct layout_totals {
	double pss, uss, pss_err, uss_err;
};

static void
layout_estimate_totals(const struct region_set *set, struct layout_totals *t)
{
	const double *v;
	size_t i;

	memset(t, 0, sizeof *t);
	for (i = 0; i < set->n; i++) {
		v = set->v[i].v;
		t->pss += v[RF_PSS_KB];
		t->uss += v[RF_USS_KB];
		t->pss_err += v[RF_PSS_ERR_KB] * v[RF_PSS_ERR_KB];
		t->uss_err += v[RF_USS_ERR_KB] * v[RF_USS_ERR_KB];
	}
	t->pss_err = sqrt(t->pss_err);
	t->uss_err = sqrt(t->uss_err);
}

static void
layout_fill_estimates(const struct layout *l, struct sample *s)
{
	struct layout_totals t;

	layout_estimate_totals(&l->set, &t);
	if (isnan(s->value[FIELD_PSS_KB]) && !isnan(t.pss)) {
		s->value[FIELD_PSS_KB] = t.pss;
		s->value[FIELD_PSS_ERR_KB] = t.pss_err;
	}
	if (isnan(s->value[FIELD_USS_KB])) {
		s->value[FIELD_USS_KB] = t.uss;
		s->value[FIELD_USS_ERR_KB] = t.uss_err;
	}
}

/* One exact value against an estimate and its bound (KiB; half a KiB
 * of slack for the sums' rounding; PSS also has 1 KiB per mapping: smaps
 * prints each mapping's PSS rounded down to a KiB). */
static void
layout_drift_add(struct layout_drift *d, double exact, double est, double err)
{
	if (isnan(exact) || isnan(est) || isnan(err))
		return;
	d->compared++;
	d->outside += fabs(exact - est) > err + 0.5;
}

void
layout_anchor(struct layout *l, const struct sample *s, struct layout_drift *d)
{
	static const enum region_field f[][2] = {
	    {RF_RSS_KB, RF_RSS_ERR_KB},
	    {RF_USS_KB, RF_USS_ERR_KB},
	    {RF_PSS_KB, RF_PSS_ERR_KB},
	};
	const struct region *e;
	struct region *x;
	struct layout_totals t;
	size_t i, j, k;

	if (!l->est_kept)
		return;
	l->est_kept = false;
	if (s->partial)
		return;
	if (s->regions == &l->set && l->set.source != REGION_SOURCE_ESTIMATE) {
		for (i = 0; i < l->est_set.n; i++) {
			e = &l->est_set.v[i];
			/* hugetlb pages are not in smaps' Rss. */
			k = regions_index(&l->set, e->name, e->kind);
			if (k == SIZE_MAX || e->kind == REGION_HUGETLB)
				continue;
			x = &l->set.v[k];
			/* The exact row shows its drift (regions CSV). */
			x->v[RF_USS_DRIFT_KB] =
			    x->v[RF_USS_KB] - e->v[RF_USS_KB];
			x->v[RF_USS_DRIFT_BOUND_KB] = e->v[RF_USS_ERR_KB];
			for (j = 0; j < sizeof f / sizeof f[0]; j++)
				layout_drift_add(
				    d, x->v[f[j][0]], e->v[f[j][0]],
				    e->v[f[j][1]] + (f[j][0] == RF_PSS_KB
							 ? x->v[RF_MAPPINGS]
							 : 0));
		}
		return;
	}
	/* The totals, when smaps_rollup gave them exactly this tick. */
	layout_estimate_totals(&l->est_set, &t);
	if (isnan(s->value[FIELD_USS_ERR_KB]))
		layout_drift_add(d, s->value[FIELD_USS_KB], t.uss, t.uss_err);
	if (isnan(s->value[FIELD_PSS_ERR_KB]))
		layout_drift_add(d, s->value[FIELD_PSS_KB], t.pss, t.pss_err);
}

void
layout_fill_totals(const struct layout *l, struct sample *s)
{
	double pss = 0, uss = 0, swap_pss = 0, thp = 0;
	const struct mapping *m;
	size_t i;

	if (s->regions != &l->set || s->partial)
		return;
	if (l->set.source == REGION_SOURCE_ESTIMATE) {
		layout_fill_estimates(l, s);
		return;
	}
	for (i = 0; i < l->set.n; i++) {
		pss += l->set.v[i].v[RF_PSS_KB];
		uss += l->set.v[i].v[RF_USS_KB];
	}
	layout_fill(s, FIELD_PSS_KB, pss);
	layout_fill(s, FIELD_USS_KB, uss);
	if (l->set.source != REGION_SOURCE_SMAPS)
		return;
	for (i = 0; i < l->list.n; i++) {
		m = &l->list.v[i];
		swap_pss +=
		    isnan(m->kb[SMAPS_SWAP_PSS]) ? 0 : m->kb[SMAPS_SWAP_PSS];
		thp +=
		    isnan(m->kb[SMAPS_ANON_HUGE]) ? 0 : m->kb[SMAPS_ANON_HUGE];
	}
	layout_fill(s, FIELD_SWAP_PSS_KB, swap_pss);
	layout_fill(s, FIELD_ANON_THP_KB, thp);
}

const char *
layout_idle_note(const struct layout *l)
{
	return l->idle != NULL ? idle_describe(l->idle) : NULL;
}

const char *
layout_pages_note(const struct layout *l)
{
	return l->note[0] != '\0' ? l->note : NULL;
}

void
layout_close(struct layout *l)
{
	if (l == NULL)
		return;
	if (l->maps_fd >= 0)
		close(l->maps_fd);
	if (l->smaps_fd >= 0)
		close(l->smaps_fd);
	pagemap_close(l->pm);
	idle_close(l->idle);
	estimate_close(l->est);
	regions_free(&l->est_set);
	reservoir_free(&l->faults);
	threads_free(&l->threads);
	mapping_list_free(&l->list);
	regions_free(&l->set);
	free(l->buf);
	free(l->region_of);
	free(l->stats);
	free(l);
}
