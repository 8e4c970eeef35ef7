/*
 * Cost of the per-region sources on one process, beside the floor (a
 * plain read of smaps_rollup, which gives only totals), in CPU time
 * (user + system), averaged over N rounds:
 *
 *   rollup      read /proc/PID/smaps_rollup
 *   walk        maps + pagemap walk: exact RSS/USS per region
 *   walk+pss    the same, with kpagecount for pages not mapped alone
 *   walk+flags  the same, with a kpageflags sample (what --pages does)
 *   smaps       read, parse and group /proc/PID/smaps (what --regions does
 *               on a target of few mappings)
 *   estimate    maps + a sample of pages per region (estimate.h, the
 *               default sample)
 *
 *   bench/pages PID [N]
 *   bench/pages PID N SOURCE EVERY_MS   runs one source N times, EVERY_MS
 *                                       apart (for bench/stall.sh)
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/regions.h"
#include "core/target.h"
#include "sources/estimate.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "util/root.h"
#include "util/ticker.h"
#include "util/xmalloc.h"

struct pages_ctx {
	struct target t;
	int maps_fd, smaps_fd, rollup_fd;
	char *text; /* SMAPS_READ_BUF, as the layout source reads */
	struct mapping_list list;
	size_t *region_of;
	struct page_stats *stats;
	struct region_set set;
	struct pagemap *pm;
	struct estimate *est;
};

static void
pages_layout(struct pages_ctx *c, int fd)
{
	struct error err;

	if (c->text == NULL)
		c->text = xmalloc(SMAPS_READ_BUF);
	if (smaps_read(fd, c->text, SMAPS_READ_BUF, &c->list, &err) < 0) {
		fprintf(stderr, "pages: cannot read the mappings\n");
		exit(1);
	}
	c->region_of =
	    xreallocarray(c->region_of, c->list.n, sizeof *c->region_of);
	c->stats = xreallocarray(c->stats, c->list.n, sizeof *c->stats);
	regions_assign(&c->set, &c->list, NULL, 0, REGION_GROUP_KIND,
		       c->region_of);
}

static void
pages_walk(struct pages_ctx *c, bool pss, unsigned int flags)
{
	struct pagemap_opts o = {.pss = pss, .flags_sample = flags};
	struct error err;

	pages_layout(c, c->maps_fd);
	if (pagemap_walk(c->pm, &c->list, c->region_of, &o, c->stats, &err) <
	    0) {
		fprintf(stderr, "pages: %s\n", err.msg);
		exit(1);
	}
	pagemap_add_regions(c->pm, &c->set, &c->list, c->region_of, c->stats);
}

static const char *pages_names[] = {"rollup",	  "walk",  "walk+pss",
				    "walk+flags", "smaps", "estimate"};
#define PAGES_NSOURCES (sizeof pages_names / sizeof pages_names[0])

static void
pages_one(struct pages_ctx *c, int k)
{
	struct estimate_opts eo = {.pss = true};
	struct error err;
	char buf[4096];

	switch (k) {
	case 0:
		if (root_pread_all(c->rollup_fd, buf, sizeof buf) < 0)
			exit(1);
		break;
	case 1:
		pages_walk(c, false, 0);
		break;
	case 2:
		pages_walk(c, true, 0);
		break;
	case 3:
		pages_walk(c, true, 1024);
		break;
	case 4:
		pages_layout(c, c->smaps_fd);
		regions_add_smaps(&c->set, &c->list, c->region_of);
		break;
	case 5:
		pages_layout(c, c->maps_fd);
		if (estimate_regions(c->est, &c->list, c->region_of, &c->set,
				     &eo, &err) < 0) {
			fprintf(stderr, "pages: %s\n", err.msg);
			exit(1);
		}
		break;
	}
}

/* One source n times, every ms apart. */
static int
pages_repeat(struct pages_ctx *c, int n, const char *source, long every_ms)
{
	struct timespec ts = {every_ms / 1000, (every_ms % 1000) * 1000000L};
	size_t k;
	int i;

	for (k = 0; k < PAGES_NSOURCES; k++)
		if (strcmp(pages_names[k], source) == 0)
			break;
	if (k == PAGES_NSOURCES) {
		fprintf(stderr, "pages: no source '%s'\n", source);
		return 2;
	}
	for (i = 0; i < n; i++) {
		pages_one(c, (int)k);
		nanosleep(&ts, NULL);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct pages_ctx c = {0};
	double cost[PAGES_NSOURCES], t0;
	struct error err;
	size_t k;
	int n, i;

	if (argc < 2) {
		fprintf(stderr, "usage: pages PID [N [SOURCE EVERY_MS]]\n");
		return 2;
	}
	n = argc > 2 ? atoi(argv[2]) : 10;
	if (target_from_pid(&c.t, "/", atoi(argv[1]), &err) < 0 ||
	    pagemap_open(&c.pm, c.t.proc_fd, "/", &err) < 0 ||
	    estimate_open(&c.est, c.t.proc_fd, "/", &err) < 0) {
		fprintf(stderr, "pages: %s\n", err.msg);
		return 1;
	}
	c.maps_fd = openat(c.t.proc_fd, "maps", O_RDONLY);
	c.smaps_fd = openat(c.t.proc_fd, "smaps", O_RDONLY);
	c.rollup_fd = openat(c.t.proc_fd, "smaps_rollup", O_RDONLY);
	pagemap_find_zero_pfns(&(uint64_t){0}, &(uint64_t){0});
	pages_walk(&c, true, 1024); /* learn which mappings are sparse */
	if (argc > 4)
		return pages_repeat(&c, n, argv[3], atol(argv[4]));
	for (k = 0; k < PAGES_NSOURCES; k++) {
		t0 = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
		for (i = 0; i < n; i++)
			pages_one(&c, (int)k);
		cost[k] = (ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0) / n;
	}
	for (k = 0; k < PAGES_NSOURCES; k++)
		printf("%-11s %9.3f ms %7.3fx\n", pages_names[k],
		       cost[k] * 1000, cost[k] / cost[0]);
	return 0;
}
