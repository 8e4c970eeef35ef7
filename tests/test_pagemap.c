/*
 * The page walk (src/sources/pagemap.c) on synthetic pagemap, kpagecount
 * and kpageflags files under a test root: little-endian 64-bit entries at
 * the offsets the kernel uses (virtual page number * 8, PFN * 8).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/regions.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "testutil.h"

#define ZERO_PFN 500

/* Two mappings: 16 anonymous pages at 0x10000, 4 file pages at 0x40000. */
static const char *pm_maps =
    "00010000-00020000 rw-p 00000000 00:00 0 \n"
    "00040000-00044000 r--p 00000000 08:01 77 /srv/data.bin\n";

static char pm_root[256];

static void
pm_put(const char *path, uint64_t index, uint64_t value)
{
	char full[512];
	int fd;

	snprintf(full, sizeof full, "%s%s", pm_root, path);
	fd = open(full, O_WRONLY | O_CREAT, 0600);
	cr_assert(fd >= 0, "%s", full);
	/* x86-64 and arm64 are little-endian, as the kernel writes. */
	cr_assert_eq(pwrite(fd, &value, 8, (off_t)(index * 8)), 8);
	close(fd);
}

/* Builds the tree; with pfns false the entries carry no PFN, as an
 * unprivileged reader sees them. */
static void
pm_tree(bool pfns)
{
	const uint64_t a = 0x10000 / 4096, b = 0x40000 / 4096;
	uint64_t p = PM_PRESENT, i;
	char dir[512];

	snprintf(pm_root, sizeof pm_root, "%s", tu_tmpdir());
	snprintf(dir, sizeof dir, "%s/proc", pm_root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/proc/4242", pm_root);
	mkdir(dir, 0700);
	for (i = 0; i < 10; i++) /* exclusive, THP+dirty or referenced */
		pm_put("/proc/4242/pagemap", a + i,
		       p | PM_MMAP_EXCLUSIVE | (pfns ? 1000 + i : 0));
	pm_put("/proc/4242/pagemap", a + 10, p | (pfns ? 2000 : 0));
	pm_put("/proc/4242/pagemap", a + 11, p | (pfns ? 2001 : 0));
	pm_put("/proc/4242/pagemap", a + 12, p | (pfns ? ZERO_PFN : 0));
	pm_put("/proc/4242/pagemap", a + 13, PM_SWAP | 0x1234);
	pm_put("/proc/4242/pagemap", a + 15, 0); /* absent */
	for (i = 0; i < 4; i++)
		pm_put("/proc/4242/pagemap", b + i,
		       p | PM_FILE | (pfns ? 3000 + i : 0));
	for (i = 0; i < 10; i++) {
		pm_put("/proc/kpagecount", 1000 + i, 1);
		pm_put("/proc/kpageflags", 1000 + i,
		       i < 5 ? (1ULL << KPF_THP | 1ULL << KPF_DIRTY)
			     : 1ULL << KPF_REFERENCED);
	}
	pm_put("/proc/kpagecount", 2000, 2);
	pm_put("/proc/kpagecount", 2001, 4);
	pm_put("/proc/kpageflags", 2000, 1ULL << KPF_KSM);
	pm_put("/proc/kpageflags", 2001, 1ULL << KPF_KSM);
	pm_put("/proc/kpagecount", ZERO_PFN, 100);
	pm_put("/proc/kpageflags", ZERO_PFN, 1ULL << KPF_ZERO_PAGE);
	for (i = 0; i < 4; i++) {
		pm_put("/proc/kpagecount", 3000 + i, 3);
		pm_put("/proc/kpageflags", 3000 + i,
		       1ULL << KPF_ACTIVE | 1ULL << KPF_REFERENCED);
	}
}

struct pm_run {
	struct mapping_list list;
	struct page_stats stats[2];
	size_t region_of[2];
	struct region_set set;
	struct pagemap *pm;
};

static void
pm_walk(struct pm_run *r, bool pss)
{
	struct pagemap_opts o = {
	    .pss = pss, .flags_sample = 4096, .zero_pfn = ZERO_PFN};
	struct error err;
	char dir[512];
	int fd;

	memset(r, 0, sizeof *r);
	cr_assert_eq(smaps_parse(pm_maps, &r->list, &err), 0);
	regions_assign(&r->set, &r->list, NULL, 0, REGION_GROUP_KIND,
		       r->region_of);
	snprintf(dir, sizeof dir, "%s/proc/4242", pm_root);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	cr_assert(fd >= 0);
	cr_assert_eq(pagemap_open(&r->pm, fd, pm_root, &err), 0, "%s", err.msg);
	close(fd);
	cr_assert(!pagemap_has_scan(r->pm), "a regular file has no ioctl");
	cr_assert_eq(
	    pagemap_walk(r->pm, &r->list, r->region_of, &o, r->stats, &err), 0,
	    "%s", err.msg);
	pagemap_add_regions(r->pm, &r->set, &r->list, r->region_of, r->stats);
}

static void
pm_done(struct pm_run *r)
{
	pagemap_close(r->pm);
	regions_free(&r->set);
	mapping_list_free(&r->list);
	tu_tmp_cleanup();
}

Test(pagemap, counts_per_mapping)
{
	const struct page_stats *a, *b;
	struct pm_run r;

	pm_tree(true);
	pm_walk(&r, true);
	a = &r.stats[0];
	b = &r.stats[1];
	cr_assert(pagemap_pfns_visible(r.pm));
	cr_assert_eq(a->present, 12, "the zero page is not resident memory");
	cr_assert_eq(a->exclusive, 10);
	cr_assert_eq(a->swapped, 1);
	cr_assert_eq(a->zero, 1);
	cr_assert_eq(a->file, 0);
	cr_assert_float_eq(a->pss, 10 + 1.0 / 2 + 1.0 / 4, 1e-9);
	cr_assert_eq(b->present, 4);
	cr_assert_eq(b->file, 4);
	cr_assert_eq(b->exclusive, 0);
	cr_assert_float_eq(b->pss, 4.0 / 3, 1e-9);
	/* Fewer pages than the sample size: every one was read. */
	cr_assert_eq(a->sampled, 12);
	cr_assert_eq(a->thp, 5);
	cr_assert_eq(a->dirty, 5);
	cr_assert_eq(a->referenced, 5);
	cr_assert_eq(a->ksm, 2);
	cr_assert_eq(b->active, 4);
	pm_done(&r);
}

Test(pagemap, regions_in_kib)
{
	const struct region *anon, *file;
	struct pm_run r;

	pm_tree(true);
	pm_walk(&r, true);
	anon = regions_find(&r.set, "[anon]", REGION_ANON);
	file = regions_find(&r.set, "/srv/data.bin", REGION_DATA);
	cr_assert(anon != NULL && file != NULL);
	cr_assert_eq(r.set.source, REGION_SOURCE_PAGEMAP);
	cr_assert_eq(anon->v[RF_RSS_KB], 48);
	cr_assert_eq(anon->v[RF_USS_KB], 40);
	cr_assert_float_eq(anon->v[RF_PSS_KB], 43, 1e-9);
	cr_assert_eq(anon->v[RF_SWAP_KB], 4);
	cr_assert_eq(anon->v[RF_ZERO_KB], 4);
	cr_assert_eq(anon->v[RF_ANON_KB], 48);
	cr_assert_eq(anon->v[RF_THP_KB], 20);
	cr_assert_eq(anon->v[RF_KSM_KB], 8);
	cr_assert_eq(anon->v[RF_FLAGS_ERR_PCT], 0, "every page was read");
	cr_assert_eq(anon->v[RF_SIZE_KB], 64);
	cr_assert_eq(file->v[RF_FILE_KB], 16);
	cr_assert_float_eq(file->v[RF_PSS_KB], 16.0 / 3, 1e-9);
	cr_assert_eq(file->v[RF_ACTIVE_KB], 16);
	cr_assert_eq(file->v[RF_REFERENCED_KB], 16);
	pm_done(&r);
}

/* Without PFNs (not root): presence, exclusivity and swap still count;
 * PSS, page kinds and the zero page are unknown, never 0. */
Test(pagemap, without_pfns)
{
	const struct region *anon;
	struct pm_run r;

	pm_tree(false);
	pm_walk(&r, true);
	cr_assert(!pagemap_pfns_visible(r.pm));
	cr_assert_eq(r.stats[0].present, 13, "the zero page can't be told");
	cr_assert_eq(r.stats[0].exclusive, 10);
	cr_assert(isnan(r.stats[0].pss));
	anon = regions_find(&r.set, "[anon]", REGION_ANON);
	cr_assert_eq(anon->v[RF_USS_KB], 40);
	cr_assert(isnan(anon->v[RF_PSS_KB]));
	cr_assert(isnan(anon->v[RF_THP_KB]));
	cr_assert(isnan(anon->v[RF_ZERO_KB]));
	cr_assert(isnan(anon->v[RF_FLAGS_ERR_PCT]));
	pm_done(&r);
}

/* Without kpagecount wanted, PSS is unknown rather than guessed. */
Test(pagemap, pss_off)
{
	struct pm_run r;

	pm_tree(true);
	pm_walk(&r, false);
	cr_assert(isnan(r.stats[0].pss));
	cr_assert_eq(r.stats[0].exclusive, 10);
	pm_done(&r);
}

/* Adjacent mappings are read together, in preads of PM_CHUNK entries (16 Ki:
 * edges at 0x4100, 0x8100, 0xc100, 0x10100 from the first page) that
 * can end inside a mapping: each page still counts for its own mapping. */
Test(pagemap, joined_mappings_split_at_their_bounds)
{
	static const char *maps = "00100000-00200000 rw-p 00000000 00:00 0 \n"
				  "00200000-10200000 rw-p 00000000 00:00 0 \n"
				  "10200000-10201000 r--p 00000000 00:00 0 \n"
				  "10203000-10205000 rw-p 00000000 00:00 0 \n";
	static const uint64_t present[] = {
	    0x100,   0x1ff,			/* first mapping: its ends */
	    0x200,   0x101ff, 0x10100, 0x100ff, /* second: ends, chunk edge */
	    0x10200,				/* third */
	    0x10204,				/* fourth, after a 2-page gap */
	    0x10201, 0x10202,			/* in the gap: no mapping's */
	};
	static const uint64_t want[] = {2, 4, 1, 1};
	struct page_stats stats[4];
	struct pagemap_opts o = {0};
	struct mapping_list list = {0};
	size_t region_of[4] = {0, 0, 0, 0}, i;
	struct pagemap *pm;
	struct error err;
	char dir[512];
	int fd;

	pm_tree(false);
	for (i = 0; i < sizeof present / sizeof present[0]; i++)
		pm_put("/proc/4242/pagemap", present[i],
		       PM_PRESENT | PM_MMAP_EXCLUSIVE);
	cr_assert_eq(smaps_parse(maps, &list, &err), 0, "%s", err.msg);
	snprintf(dir, sizeof dir, "%s/proc/4242", pm_root);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	cr_assert_eq(pagemap_open(&pm, fd, pm_root, &err), 0, "%s", err.msg);
	close(fd);
	cr_assert_eq(pagemap_walk(pm, &list, region_of, &o, stats, &err), 0,
		     "%s", err.msg);
	for (i = 0; i < 4; i++) {
		cr_assert_eq(stats[i].present, want[i], "mapping %zu: %lu", i,
			     (unsigned long)stats[i].present);
		cr_assert_eq(stats[i].exclusive, want[i]);
	}
	pagemap_close(pm);
	mapping_list_free(&list);
	tu_tmp_cleanup();
}
