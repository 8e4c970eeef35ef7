/*
 * Access tracking (src/sources/idle.c) through its real code paths on
 * files under a test root: a regular file standing in for the page_idle
 * bitmap, synthetic pagemap entries with bit 55, a clear_refs file, and
 * smaps text for the referenced method.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/regions.h"
#include "sources/idle.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "testutil.h"
#include "util/page.h"

#define BASE_VPN 0x100 /* the mapping starts at 0x100000 */
#define PFN0 4096      /* page i has PFN PFN0 + i */

static char id_root[256];
static int id_proc = -1;

static void
id_file(const char *path, char *full, size_t len)
{
	snprintf(full, len, "%s%s", id_root, path);
}

static void
id_put(const char *path, uint64_t index, uint64_t value)
{
	char full[512];
	int fd;

	id_file(path, full, sizeof full);
	fd = open(full, O_RDWR | O_CREAT, 0600);
	cr_assert(fd >= 0, "%s", full);
	cr_assert_eq(pwrite(fd, &value, 8, (off_t)(index * 8)), 8);
	close(fd);
}

static uint64_t
id_get(const char *path, uint64_t index)
{
	uint64_t value = 0;
	char full[512];
	int fd;

	id_file(path, full, sizeof full);
	fd = open(full, O_RDONLY);
	cr_assert(fd >= 0, "%s", full);
	if (pread(fd, &value, 8, (off_t)(index * 8)) != 8)
		value = 0;
	close(fd);
	return value;
}

static void
id_mkdirs(void)
{
	const char *dirs[] = {"/proc",
			      "/proc/4242",
			      "/proc/self",
			      "/sys",
			      "/sys/kernel",
			      "/sys/kernel/mm",
			      "/sys/kernel/mm/page_idle"};
	char full[512];
	FILE *fp;
	size_t i;

	snprintf(id_root, sizeof id_root, "%s", tu_tmpdir());
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		id_file(dirs[i], full, sizeof full);
		mkdir(full, 0700);
	}
	id_file("/proc/4242", full, sizeof full);
	id_proc = open(full, O_RDONLY | O_DIRECTORY);
	cr_assert(id_proc >= 0);
	id_put("/proc/4242/clear_refs", 0, 0);
	id_put("/sys/kernel/mm/page_idle/bitmap", 1024, 0);
	/* Root, so the kernel's page flags of the sample are read too. */
	id_file("/proc/self/status", full, sizeof full);
	fp = fopen(full, "w");
	cr_assert(fp != NULL);
	fputs("Name:\tmemtrend\nCapEff:\t000001ffffffffff\n", fp);
	fclose(fp);
	for (i = 0; i < 128; i++) /* PG_referenced on the first 32 */
		id_put("/proc/kpageflags", PFN0 + i,
		       (i < 32 ? 1ULL << KPF_REFERENCED : 0) |
			   (i < 64 ? 1ULL << KPF_ACTIVE : 0));
}

/* n present pages at BASE_VPN; soft marks them soft-dirty. */
static void
id_pages(size_t first, size_t n, bool soft)
{
	size_t i;

	for (i = first; i < first + n; i++)
		id_put("/proc/4242/pagemap", BASE_VPN + i,
		       PM_PRESENT | (soft ? PM_SOFT_DIRTY : 0) | (PFN0 + i));
}

struct id_case {
	struct mapping_list list;
	struct region_set set;
	size_t region_of[4];
	struct idle *id;
};

/* One anonymous mapping of pages pages; RSS given by hand. */
static void
id_open(struct id_case *c, enum idle_method method, size_t pages,
	double rss_pages, unsigned int sample)
{
	struct idle_opts o = {
	    .root = id_root, .force = method, .sample = sample, .seed = 7};
	char maps[128];
	struct error err;

	memset(c, 0, sizeof *c);
	snprintf(maps, sizeof maps,
		 "%" PRIx64 "-%" PRIx64 " rw-p 00000000 "
		 "00:00 0 \n",
		 (uint64_t)BASE_VPN * page_size(),
		 (uint64_t)(BASE_VPN + pages) * page_size());
	cr_assert_eq(smaps_parse(maps, &c->list, &err), 0, "%s", err.msg);
	regions_assign(&c->set, &c->list, NULL, 0, REGION_GROUP_KIND,
		       c->region_of);
	c->set.v[0].v[RF_RSS_KB] = rss_pages * 4;
	cr_assert_eq(idle_open(&c->id, id_proc, &o, &err), 0, "%s", err.msg);
	cr_assert_eq(idle_method(c->id), method);
}

static void
id_scan(struct id_case *c, double now_s)
{
	struct error err;

	cr_assert_eq(
	    idle_scan(c->id, &c->list, c->region_of, &c->set, now_s, &err), 0,
	    "%s", err.msg);
}

static void
id_close(struct id_case *c)
{
	idle_close(c->id);
	regions_free(&c->set);
	mapping_list_free(&c->list);
	close(id_proc);
	tu_tmp_cleanup();
}

#define V(c, f) ((c)->set.v[0].v[f])

/* The bitmap is armed through the real write path, read back through the
 * real read path: pages whose bit the "kernel" cleared were accessed. */
Test(idle, page_idle_bitmap_round_trip)
{
	const char *bm = "/sys/kernel/mm/page_idle/bitmap";
	struct id_case c;
	size_t i;

	id_mkdirs();
	id_pages(0, 128, false);
	id_open(&c, IDLE_PAGE_IDLE, 128, 128, 1024);
	id_scan(&c, 0);
	cr_assert(isnan(V(&c, RF_IDLE_PCT)), "the first scan only arms");
	/* PFNs 4096..4223 are words 64 and 65: every bit set. */
	cr_assert_eq(id_get(bm, 64), UINT64_MAX);
	cr_assert_eq(id_get(bm, 65), UINT64_MAX);
	cr_assert_eq(id_get(bm, 63), 0);
	/* 32 pages accessed: the kernel clears their idle bits. */
	id_put(bm, 64, UINT64_MAX << 32);
	id_scan(&c, 10);
	cr_assert_float_eq(V(&c, RF_IDLE_PCT), 75, 1e-9);
	cr_assert_eq(V(&c, RF_IDLE_ERR_PCT), 0, "every page is followed");
	cr_assert_float_eq(V(&c, RF_IDLE_1_KB), 96 * 4, 1e-9);
	cr_assert_float_eq(V(&c, RF_IDLE_SCAN_S), 10, 1e-9);
	cr_assert_eq(id_get(bm, 64), UINT64_MAX, "re-armed");
	/* The kernel's own flags, read for the same sample. */
	cr_assert_float_eq(V(&c, RF_HINT_REFERENCED_PCT), 25, 1e-9);
	cr_assert_float_eq(V(&c, RF_HINT_ACTIVE_PCT), 50, 1e-9);
	/* Nothing accessed for two more scans, then page 0 is. */
	id_scan(&c, 20);
	id_scan(&c, 30);
	id_put(bm, 64, UINT64_MAX - 1);
	id_scan(&c, 40);
	cr_assert_float_eq(V(&c, RF_IDLE_PCT), 127.0 / 128 * 100, 1e-9);
	/* Ages: 95 pages idle since scan 2 (age 4: bin 2-4), 32 pages idle
	 * since scan 3 (age 3: bin 2-4), page 0 accessed. */
	cr_assert_float_eq(V(&c, RF_IDLE_2_4_KB), 127 * 4, 1e-9);
	cr_assert_float_eq(V(&c, RF_IDLE_1_KB), 0, 1e-9);
	for (i = 0; i < 12; i++)
		id_scan(&c, 50 + 10.0 * (double)i);
	cr_assert_float_eq(V(&c, RF_IDLE_5_16_KB), 128 * 4, 1e-9);
	id_close(&c);
}

/* Soft-dirty: clear_refs 4 after each scan; bit 55 says written. */
Test(idle, soft_dirty_decoding)
{
	struct id_case c;

	id_mkdirs();
	id_pages(0, 64, true);
	id_open(&c, IDLE_SOFT_DIRTY, 64, 64, 1024);
	id_scan(&c, 0);
	cr_assert_eq(id_get("/proc/4242/clear_refs", 0) & 0xff, '4');
	/* After the clear, 16 pages written again. */
	id_pages(0, 16, true);
	id_pages(16, 48, false);
	id_scan(&c, 5);
	cr_assert_float_eq(V(&c, RF_IDLE_PCT), 75, 1e-9);
	cr_assert_float_eq(V(&c, RF_IDLE_1_KB), 48 * 4, 1e-9);
	id_pages(0, 64, false);
	id_scan(&c, 10);
	cr_assert_float_eq(V(&c, RF_IDLE_PCT), 100, 1e-9);
	cr_assert_float_eq(V(&c, RF_IDLE_1_KB), 16 * 4, 1e-9);
	cr_assert_float_eq(V(&c, RF_IDLE_2_4_KB), 48 * 4, 1e-9);
	id_close(&c);
}

/* Memory that appears during the run and is never touched again is
 * stale; memory that is touched again is not. */
Test(idle, stale_new_pages)
{
	struct id_case c;

	id_mkdirs();
	id_pages(0, 32, true);
	id_put("/proc/4242/pagemap", BASE_VPN + 127, 0); /* absent */
	id_open(&c, IDLE_SOFT_DIRTY, 128, 32, 1024);
	id_scan(&c, 0);
	id_pages(0, 32, false);
	id_scan(&c, 1);
	cr_assert(isnan(V(&c, RF_STALE_NEW_PCT)), "nothing new yet");
	/* 64 new pages appear (written), then 16 of them are used again. */
	id_pages(32, 64, true);
	id_scan(&c, 2);
	id_pages(32, 64, false);
	id_pages(32, 16, true);
	id_scan(&c, 3);
	id_pages(32, 16, false);
	id_scan(&c, 4);
	cr_assert_float_eq(V(&c, RF_STALE_NEW_PCT), 48.0 / 64 * 100, 1e-9);
	id_close(&c);
}

/* A region bigger than the sample: a quarter-size sample, a bound. */
Test(idle, sampled_region_has_a_bound)
{
	struct id_case c;

	id_mkdirs();
	id_pages(0, 1024, true);
	id_open(&c, IDLE_SOFT_DIRTY, 1024, 1024, 256);
	id_scan(&c, 0);
	id_pages(0, 512, false); /* half idle, half written */
	id_scan(&c, 1);
	cr_assert(fabs(V(&c, RF_IDLE_PCT) - 50) < 12, "%.1f",
		  V(&c, RF_IDLE_PCT));
	cr_assert_gt(V(&c, RF_IDLE_ERR_PCT), 2);
	cr_assert_lt(V(&c, RF_IDLE_ERR_PCT), 8);
	id_close(&c);
}

/* Referenced: per mapping, clear_refs 1, Referenced a scan later; ages
 * are a lower bound from the sum of what each scan referenced. */
Test(idle, referenced_from_smaps)
{
	struct idle_opts o = {.force = IDLE_REFERENCED, .seed = 1};
	const int hot[] = {1024, 1024, 1024, 1024, 1024, 1024};
	const int cold[] = {1024, 0, 4, 0, 0, 0};
	struct mapping_list list = {0};
	struct region_set set = {0};
	size_t region_of[2];
	struct error err;
	struct idle *id;
	char text[512];
	int i;

	id_mkdirs();
	o.root = id_root;
	cr_assert_eq(idle_open(&id, id_proc, &o, &err), 0, "%s", err.msg);
	cr_assert(idle_needs_smaps(id));
	for (i = 0; i < 6; i++) {
		snprintf(text, sizeof text,
			 "00100000-00200000 rw-p 00000000 00:00 0 \n"
			 "Rss: 1024 kB\nReferenced: %d kB\n"
			 "00300000-00400000 rw-p 00000000 00:00 0 \n"
			 "Rss: 1024 kB\nReferenced: %d kB\n",
			 hot[i], cold[i]);
		cr_assert_eq(smaps_parse(text, &list, &err), 0);
		regions_assign(&set, &list, NULL, 0, REGION_GROUP_MAPPING,
			       region_of);
		regions_add_smaps(&set, &list, region_of);
		cr_assert_eq(idle_scan(id, &list, region_of, &set, i, &err), 0);
		cr_assert_eq(id_get("/proc/4242/clear_refs", 0) & 0xff, '1');
	}
	cr_assert_float_eq(set.v[0].v[RF_IDLE_PCT], 0, 1e-9);
	cr_assert_float_eq(set.v[1].v[RF_IDLE_PCT], 100, 1e-9);
	cr_assert_eq(set.v[1].v[RF_IDLE_ERR_PCT], 0, "not sampled");
	/* Cold referenced 0, 4, 0, 0, 0 KiB in the scans 2..6: at least
	 * 1020 KiB idle for the last 5 scans (bin 5-16), no less. */
	cr_assert_float_eq(set.v[1].v[RF_IDLE_5_16_KB], 1020, 1e-9);
	cr_assert_float_eq(set.v[1].v[RF_IDLE_2_4_KB], 4, 1e-9);
	idle_close(id);
	regions_free(&set);
	mapping_list_free(&list);
	close(id_proc);
	tu_tmp_cleanup();
}

/* With no method here and clear_refs forbidden: a clear refusal. */
Test(idle, nothing_available_says_why)
{
	struct idle_opts o = {.allow_clear_refs = false};
	struct error err;
	struct idle *id;
	char root[512];
	int fd;

	snprintf(root, sizeof root, "%s/probe/minimal", tu_fixtures());
	o.root = root;
	fd = open(root, O_RDONLY | O_DIRECTORY);
	cr_assert_lt(idle_open(&id, fd, &o, &err), 0);
	cr_assert(strstr(err.msg, "CONFIG_IDLE_PAGE_TRACKING") != NULL &&
		      strstr(err.msg, "CONFIG_MEM_SOFT_DIRTY") != NULL &&
		      strstr(err.msg, "--no-clear-refs") != NULL,
		  "%s", err.msg);
	close(fd);
}

/* Referenced: a mapping that grows in place.  A leak's new pages are
 * referenced only in the scan that adds them; a cache's again and again. */
static double
id_grow(bool leak)
{
	struct idle_opts o = {.force = IDLE_REFERENCED, .seed = 1};
	struct mapping_list list = {0};
	struct region_set set = {0};
	size_t region_of[1];
	struct error err;
	struct idle *id;
	char text[256];
	double stale;
	int i, rss;

	id_mkdirs();
	o.root = id_root;
	cr_assert_eq(idle_open(&id, id_proc, &o, &err), 0, "%s", err.msg);
	for (i = 0; i < 10; i++) {
		rss = 1024 + 256 * i;
		/* The leak: the new 256 KiB, plus 4 KiB of bookkeeping. */
		snprintf(text, sizeof text,
			 "00100000-00f00000 rw-p 00000000 "
			 "00:00 0 [heap]\nRss: %d kB\nReferenced: %d kB\n",
			 rss, leak ? (i ? 260 : rss) : rss);
		cr_assert_eq(smaps_parse(text, &list, &err), 0);
		regions_assign(&set, &list, NULL, 0, REGION_GROUP_KIND,
			       region_of);
		regions_add_smaps(&set, &list, region_of);
		cr_assert_eq(idle_scan(id, &list, region_of, &set, i, &err), 0);
	}
	stale = set.v[0].v[RF_STALE_NEW_PCT];
	idle_close(id);
	regions_free(&set);
	mapping_list_free(&list);
	close(id_proc);
	tu_tmp_cleanup();
	return stale;
}

Test(idle, referenced_stale_growth)
{
	/* 9 scans added 2304 KiB; at most 9 * 4 KiB of it touched again. */
	cr_assert_float_eq(id_grow(true), (2304.0 - 36) / 2304 * 100, 1e-6);
	cr_assert_float_eq(id_grow(false), 0, 1e-9);
}
