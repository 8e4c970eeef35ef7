/*
 * libFuzzer target: the page walk's decoding of pagemap, kpagecount and
 * kpageflags entries (src/sources/pagemap.c; Documentation/admin-guide/
 * mm/pagemap.rst) on arbitrary entries.  The input is cut into three
 * files under a private root, as tests/test_pagemap.c lays them out:
 * the first 80 entries are pagemap from page 16 (two mappings of 32
 * pages, at 0x10000 and 0x40000), the next 256 kpagecount (PFNs 0-255),
 * the rest kpageflags.  PFNs in the entries are kept below 512 so that most of
 * them name a written count or flag entry.  The estimates
 * (src/sources/estimate.c) read the same files: with a sample as large as
 * a region they read it whole and must agree with the walk; with a small
 * one they must stay within the region's size, with a finite bound.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/regions.h"
#include "sources/estimate.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"

#define FP_PAGES 80
#define FP_COUNTS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fp_maps =
    "00010000-00030000 rw-p 00000000 00:00 0 \n"
    "00040000-00060000 r--p 00000000 08:01 77 /srv/data.bin\n";

static char fp_root[64];
static int fp_proc = -1, fp_pagemap = -1, fp_count = -1, fp_flags = -1;

static int
fp_file(const char *rel)
{
	char path[128];

	snprintf(path, sizeof path, "%s%s", fp_root, rel);
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

static int
fp_setup(void)
{
	char dir[128];

	snprintf(fp_root, sizeof fp_root, "/tmp/fuzz-pagemap-XXXXXX");
	if (mkdtemp(fp_root) == NULL)
		return -1;
	snprintf(dir, sizeof dir, "%s/proc", fp_root);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/proc/4242", fp_root);
	mkdir(dir, 0700);
	fp_pagemap = fp_file("/proc/4242/pagemap");
	fp_count = fp_file("/proc/kpagecount");
	fp_flags = fp_file("/proc/kpageflags");
	fp_proc = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fp_proc < 0 || fp_pagemap < 0 || fp_count < 0 || fp_flags < 0
		   ? -1
		   : 0;
}

/* Writes n entries of data (zero-padded) at entry index at. */
static void
fp_write(int fd, const uint8_t *data, size_t size, size_t n, uint64_t at,
	 bool pagemap)
{
	uint64_t e[FP_COUNTS];
	size_t i;

	memset(e, 0, sizeof e);
	memcpy(e, data, size < n * 8 ? size : n * 8);
	if (pagemap) /* keep the PFN field (bits 0-54) small */
		for (i = 0; i < n; i++)
			e[i] &= ~((1ULL << 55) - 1) | 511;
	if (ftruncate(fd, 0) == 0)
		(void)!pwrite(fd, e, n * 8, (off_t)(at * 8));
}

/* The estimates beside the walk's exact set. */
static void
fp_estimate(const struct mapping_list *list, size_t *region_of,
	    const struct region_set *exact)
{
	static const enum region_field same[] = {RF_RSS_KB, RF_USS_KB,
						 RF_SWAP_KB, RF_FILE_KB};
	struct estimate_opts eo = {
	    .pss = true, .zero_pfn = 5, .huge_zero_pfn = 512, .seed = 3};
	static struct estimate *e;
	struct region_set set;
	struct error err;
	const double *v;
	size_t r, f;

	if (e == NULL && estimate_open(&e, fp_proc, fp_root, &err) < 0)
		abort();
	memset(&set, 0, sizeof set);
	regions_assign(&set, list, NULL, 0, REGION_GROUP_KIND, region_of);
	eo.sample = 64; /* more than a region's 32 pages: read whole */
	if (estimate_regions(e, list, region_of, &set, &eo, &err) == 0) {
		for (r = 0; r < set.n; r++)
			for (f = 0; f < sizeof same / sizeof same[0]; f++)
				if (set.v[r].v[same[f]] !=
				    exact->v[r].v[same[f]])
					abort();
	}
	eo.sample = 8;
	if (estimate_regions(e, list, region_of, &set, &eo, &err) == 0) {
		for (r = 0; r < set.n; r++) {
			v = set.v[r].v;
			if (!(v[RF_RSS_KB] >= 0 &&
			      v[RF_RSS_KB] <= v[RF_SIZE_KB] &&
			      v[RF_USS_KB] <= v[RF_RSS_KB] &&
			      isfinite(v[RF_RSS_ERR_KB]) &&
			      v[RF_RSS_ERR_KB] >= 0))
				abort();
		}
	}
	regions_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mapping_list list;
	static size_t region_of[2];
	struct pagemap_opts o = {.pss = true,
				 .flags_sample = 64,
				 .zero_pfn = 5,
				 .huge_zero_pfn = 512,
				 .seed = 1};
	struct page_stats stats[2];
	struct region_set set;
	struct error err;
	size_t used;

	/* Opened once (its buffers are large): each walk preads anew. */
	static struct pagemap *pm;

	if (fp_proc < 0) {
		if (fp_setup() < 0 || smaps_parse(fp_maps, &list, &err) < 0 ||
		    pagemap_open(&pm, fp_proc, fp_root, &err) < 0)
			abort();
	}
	fp_write(fp_pagemap, data, size, FP_PAGES, 0x10000 / 4096, true);
	used = size < FP_PAGES * 8 ? size : FP_PAGES * 8;
	fp_write(fp_count, data + used, size - used, FP_COUNTS, 0, false);
	used += size - used < FP_COUNTS * 8 ? size - used : FP_COUNTS * 8;
	fp_write(fp_flags, data + used, size - used, FP_COUNTS, 0, false);
	memset(&set, 0, sizeof set);
	memset(stats, 0, sizeof stats);
	regions_assign(&set, &list, NULL, 0, REGION_GROUP_KIND, region_of);
	if (pagemap_walk(pm, &list, region_of, &o, stats, &err) == 0) {
		pagemap_add_regions(pm, &set, &list, region_of, stats);
		fp_estimate(&list, region_of, &set);
	}
	regions_free(&set);
	return 0;
}
