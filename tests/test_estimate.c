/*
 * Region estimates from a sample of pages (src/sources/estimate.c): on
 * synthetic pagemap and kpagecount files under a test root (entries at
 * virtual page number * 8 and PFN * 8, as the kernel lays them out), and
 * live beside the exact page walk on a child with known memory.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/regions.h"
#include "core/sample.h"
#include "core/target.h"
#include "sources/estimate.h"
#include "sources/layout.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "testutil.h"
#include "util/root.h"

#define BIG_PAGES 100000
#define BIG_VPAGE 0x10000 /* the big mapping's first page */
#define SMALL_VPAGE 0x90000
#define SMALL_PAGES 300

/* A big anonymous mapping whose pages are present (about 30 %, half of
 * them shared with one other process) in a pseudo-random pattern, and a
 * small file mapping with every other page present. */
static const char *est_maps =
    "10000000-286a0000 rw-p 00000000 00:00 0 \n"
    "90000000-9012c000 r--p 00000000 08:01 77 /srv/data.bin\n";

static char est_root[256];

struct est_truth {
	double rss_pages, uss_pages, pss_pages;
};

static uint64_t
est_hash(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
est_write(const char *path, uint64_t index, const uint64_t *v, size_t n)
{
	char full[512];
	int fd;

	snprintf(full, sizeof full, "%s%s", est_root, path);
	fd = open(full, O_WRONLY | O_CREAT, 0600);
	cr_assert(fd >= 0, "%s", full);
	cr_assert_eq(pwrite(fd, v, n * 8, (off_t)(index * 8)),
		     (ssize_t)(n * 8));
	close(fd);
}

/* Builds the tree and says what is true of the big mapping. */
static struct est_truth
est_tree(bool kpagecount)
{
	static uint64_t big[BIG_PAGES], counts[BIG_PAGES], small[SMALL_PAGES];
	struct est_truth t = {0};
	char dir[512];
	uint64_t h, i;

	snprintf(est_root, sizeof est_root, "%s", tu_tmpdir());
	snprintf(dir, sizeof dir, "%s/proc", est_root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/proc/4242", est_root);
	mkdir(dir, 0700);
	for (i = 0; i < BIG_PAGES; i++) {
		h = est_hash(i) % 100;
		big[i] = counts[i] = 0;
		if (h >= 30)
			continue;
		/* PFN 10 + i, exclusive or mapped twice */
		big[i] = PM_PRESENT | (10 + i);
		t.rss_pages++;
		if (h < 15) {
			big[i] |= PM_MMAP_EXCLUSIVE;
			t.uss_pages++;
			t.pss_pages++;
			counts[i] = 1;
		} else {
			counts[i] = 2;
			t.pss_pages += 0.5;
		}
	}
	for (i = 0; i < SMALL_PAGES; i++)
		small[i] = i % 2 ? 0
				 : PM_PRESENT | PM_FILE | PM_MMAP_EXCLUSIVE |
				       (200000 + i);
	est_write("/proc/4242/pagemap", BIG_VPAGE, big, BIG_PAGES);
	est_write("/proc/4242/pagemap", SMALL_VPAGE, small, SMALL_PAGES);
	if (kpagecount)
		est_write("/proc/kpagecount", 10, counts, BIG_PAGES);
	return t;
}

struct est_run {
	struct mapping_list list;
	size_t region_of[2];
	struct region_set set;
	struct estimate *e;
	const struct region *big, *small;
};

static void
est_run(struct est_run *r, unsigned int sample, uint64_t seed)
{
	struct estimate_opts o = {.sample = sample, .pss = true, .seed = seed};
	struct error err;
	char dir[512];
	int fd;

	if (r->e == NULL) {
		memset(r, 0, sizeof *r);
		cr_assert_eq(smaps_parse(est_maps, &r->list, &err), 0);
		regions_assign(&r->set, &r->list, NULL, 0, REGION_GROUP_MAPPING,
			       r->region_of);
		snprintf(dir, sizeof dir, "%s/proc/4242", est_root);
		fd = open(dir, O_RDONLY | O_DIRECTORY);
		cr_assert(fd >= 0);
		cr_assert_eq(estimate_open(&r->e, fd, est_root, &err), 0, "%s",
			     err.msg);
		close(fd);
	}
	cr_assert_eq(
	    estimate_regions(r->e, &r->list, r->region_of, &r->set, &o, &err),
	    0, "%s", err.msg);
	r->big = &r->set.v[r->region_of[0]];
	r->small = &r->set.v[r->region_of[1]];
}

static void
est_done(struct est_run *r)
{
	estimate_close(r->e);
	regions_free(&r->set);
	mapping_list_free(&r->list);
	tu_tmp_cleanup();
}

/* Over 200 draws the stated 95 % bounds hold for RSS, USS and PSS at
 * least 90 % of the time, and are narrow: a few percent of the size. */
Test(estimate, bounds_cover_the_truth)
{
	struct est_truth t = est_tree(true);
	unsigned int covered[3] = {0, 0, 0}, k, n = 200;
	struct est_run r = {0};
	const double *v;

	for (k = 0; k < n; k++) {
		est_run(&r, 1024, k + 1);
		v = r.big->v;
		cr_assert_eq(r.set.source, REGION_SOURCE_ESTIMATE);
		cr_assert_gt(v[RF_RSS_ERR_KB], 0);
		cr_assert_lt(v[RF_RSS_ERR_KB], 0.04 * BIG_PAGES * 4,
			     "bound %f KiB", v[RF_RSS_ERR_KB]);
		covered[0] +=
		    fabs(v[RF_RSS_KB] - t.rss_pages * 4) <= v[RF_RSS_ERR_KB];
		covered[1] +=
		    fabs(v[RF_USS_KB] - t.uss_pages * 4) <= v[RF_USS_ERR_KB];
		covered[2] +=
		    fabs(v[RF_PSS_KB] - t.pss_pages * 4) <= v[RF_PSS_ERR_KB];
	}
	for (k = 0; k < 3; k++)
		cr_assert_geq(covered[k], n * 9 / 10, "column %u: %u of %u", k,
			      covered[k], n);
	est_done(&r);
}

/* A region with no more pages than the sample is read whole: exact, with
 * a bound of 0, and the cost of the big one is the sample, not its size. */
Test(estimate, small_region_exact_big_one_costs_the_sample)
{
	struct est_run r = {0};

	est_tree(true);
	est_run(&r, 1024, 7);
	cr_assert_eq(r.small->v[RF_RSS_KB], SMALL_PAGES / 2 * 4);
	cr_assert_eq(r.small->v[RF_FILE_KB], SMALL_PAGES / 2 * 4);
	cr_assert_eq(r.small->v[RF_USS_KB], SMALL_PAGES / 2 * 4);
	cr_assert_eq(r.small->v[RF_RSS_ERR_KB], 0);
	cr_assert_eq(r.small->v[RF_PSS_ERR_KB], 0);
	/* 300 pages in a few preads, then 1024 draws of the big one (draws
	 * a few pages apart share a pread) */
	cr_assert_leq(estimate_pages_read(r.e), SMALL_PAGES + 2 * 1024,
		      "%zu pages read", estimate_pages_read(r.e));
	cr_assert(isnan(r.big->v[RF_REFERENCED_KB]), "not estimated");
	est_done(&r);
}

/* Without kpagecount the PSS of pages mapped twice is unknown: empty,
 * never a guess; RSS and USS are still estimated. */
Test(estimate, no_kpagecount_no_pss)
{
	struct est_run r = {0};

	est_tree(false);
	est_run(&r, 1024, 3);
	cr_assert(isnan(r.big->v[RF_PSS_KB]));
	cr_assert(isnan(r.big->v[RF_PSS_ERR_KB]));
	cr_assert_gt(r.big->v[RF_RSS_KB], 0);
	est_done(&r);
}

/* On a live child holding 64 MiB, each region's estimate is within its
 * bound of the exact walk of the same mappings (walked before and after:
 * a region that changed meanwhile, like the heap as the child's stdio
 * settles, is not compared). */
Test(estimate, live_within_bound_of_the_walk)
{
	const char *memchild = tu_bin("MEMCHILD", "tests/helpers/memchild");
	struct estimate_opts o = {.sample = 512, .pss = false, .seed = 5};
	struct pagemap_opts po = {0};
	struct mapping_list list = {0};
	struct region_set exact = {0}, after = {0}, est = {0};
	struct page_stats *stats;
	size_t *region_of, i;
	struct estimate *e;
	struct pagemap *pm;
	struct child c;
	struct error err;
	char path[64], *text = NULL;
	double anon_kb = 0;
	int fd;

	tu_child_start(&c,
		       (char *[]){(char *)memchild, "hold", "67108864", NULL});
	cr_assert(tu_child_line(&c, path, sizeof path)); /* ready */
	snprintf(path, sizeof path, "/proc/%d/maps", (int)c.pid);
	cr_assert_gt(root_read_alloc("/", path, &text), 0);
	cr_assert_eq(smaps_parse(text, &list, &err), 0, "%s", err.msg);
	region_of = calloc(list.n, sizeof *region_of);
	stats = calloc(list.n, sizeof *stats);
	regions_assign(&exact, &list, NULL, 0, REGION_GROUP_KIND, region_of);
	regions_assign(&est, &list, NULL, 0, REGION_GROUP_KIND, region_of);
	regions_assign(&after, &list, NULL, 0, REGION_GROUP_KIND, region_of);
	snprintf(path, sizeof path, "/proc/%d", (int)c.pid);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	cr_assert(fd >= 0);
	cr_assert_eq(estimate_open(&e, fd, "/", &err), 0, "%s", err.msg);
	cr_assert_eq(pagemap_open(&pm, fd, "/", &err), 0, "%s", err.msg);
	close(fd);
	cr_assert_eq(pagemap_walk(pm, &list, region_of, &po, stats, &err), 0,
		     "%s", err.msg);
	pagemap_add_regions(pm, &exact, &list, region_of, stats);
	cr_assert_eq(estimate_regions(e, &list, region_of, &est, &o, &err), 0,
		     "%s", err.msg);
	cr_assert_eq(pagemap_walk(pm, &list, region_of, &po, stats, &err), 0,
		     "%s", err.msg);
	pagemap_add_regions(pm, &after, &list, region_of, stats);
	tu_child_end(&c);
	for (i = 0; i < est.n; i++) {
		const double *x = exact.v[i].v, *y = est.v[i].v;

		if (x[RF_RSS_KB] != after.v[i].v[RF_RSS_KB] ||
		    x[RF_USS_KB] != after.v[i].v[RF_USS_KB])
			continue;

		cr_assert_leq(fabs(y[RF_RSS_KB] - x[RF_RSS_KB]),
			      y[RF_RSS_ERR_KB] + 1e-9, "%s rss %f vs %f +- %f",
			      est.v[i].name, y[RF_RSS_KB], x[RF_RSS_KB],
			      y[RF_RSS_ERR_KB]);
		cr_assert_leq(fabs(y[RF_USS_KB] - x[RF_USS_KB]),
			      y[RF_USS_ERR_KB] + 1e-9, "%s uss", est.v[i].name);
		if (est.v[i].kind == REGION_ANON)
			anon_kb = x[RF_RSS_KB];
	}
	cr_assert_geq(anon_kb, 64 * 1024, "the 64 MiB held: %f KiB", anon_kb);
	estimate_close(e);
	pagemap_close(pm);
	regions_free(&exact);
	regions_free(&after);
	regions_free(&est);
	mapping_list_free(&list);
	free(region_of);
	free(stats);
	free(text);
}

/* The estimate tier through the layout source: regions say "estimate",
 * and the totals it fills are estimates with their bounds in
 * uss_err_kb / pss_err_kb (empty when exact); a total an exact read gave
 * this tick is left alone. */
Test(estimate, layout_tier_fills_estimated_totals)
{
	const char *memchild = tu_bin("MEMCHILD", "tests/helpers/memchild");
	struct layout_opts lo = {.root = "/", .estimate_sample = 512};
	struct layout *l;
	struct target t;
	struct sample s;
	struct child c;
	struct error err;
	char line[64];

	tu_child_start(&c,
		       (char *[]){(char *)memchild, "hold", "67108864", NULL});
	cr_assert(tu_child_line(&c, line, sizeof line)); /* ready */
	cr_assert_eq(target_from_pid(&t, "/", c.pid, &err), 0, "%s", err.msg);
	cr_assert_eq(layout_open(&l, &t, &lo, &err), 0, "%s", err.msg);
	sample_clear(&s);
	cr_assert_eq(layout_sample_estimate(l, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.regions->source, REGION_SOURCE_ESTIMATE);
	layout_fill_totals(l, &s);
	cr_assert_geq(s.value[FIELD_USS_KB],
		      64 * 1024 - s.value[FIELD_USS_ERR_KB], "uss %f +- %f",
		      s.value[FIELD_USS_KB], s.value[FIELD_USS_ERR_KB]);
	cr_assert(!isnan(s.value[FIELD_USS_ERR_KB]) &&
		  s.value[FIELD_USS_ERR_KB] >= 0);
	/* An exact USS this tick stays, with no bound. */
	sample_clear(&s);
	s.value[FIELD_USS_KB] = 1234;
	cr_assert_eq(layout_sample_estimate(l, &s, &err), 0, "%s", err.msg);
	layout_fill_totals(l, &s);
	cr_assert_eq(s.value[FIELD_USS_KB], 1234);
	cr_assert(isnan(s.value[FIELD_USS_ERR_KB]));
	layout_close(l);
	target_close(&t);
	tu_child_end(&c);
}
