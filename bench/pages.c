/*
 * Cost of the per-region sources on one process, beside the floor (a
 * plain read of smaps_rollup, which gives only totals), in CPU time
 * (user + system), averaged over N rounds:
 *
 *   rollup      read /proc/PID/smaps_rollup
 *   walk        maps + pagemap walk: exact RSS/USS per region
 *   walk+pss    the same, with kpagecount for pages not mapped alone
 *   walk+flags  the same, with a kpageflags sample (what --pages does)
 *   smaps       read, parse and group /proc/PID/smaps (what --regions does)
 *
 *   bench/pages PID [N]
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/regions.h"
#include "core/target.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "util/root.h"
#include "util/xmalloc.h"

static double
pages_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

struct pages_ctx {
	struct target t;
	int maps_fd, smaps_fd, rollup_fd;
	char *text;
	size_t cap;
	struct mapping_list list;
	size_t *region_of;
	struct page_stats *stats;
	struct region_set set;
	struct pagemap *pm;
};

static void
pages_layout(struct pages_ctx *c, int fd)
{
	struct error err;

	if (root_pread_grow(fd, &c->text, &c->cap) <= 0 ||
	    smaps_parse(c->text, &c->list, &err) < 0) {
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

int
main(int argc, char **argv)
{
	static const char *names[] = {"rollup", "walk", "walk+pss",
				      "walk+flags", "smaps"};
	struct pages_ctx c = {0};
	double cost[5], t0;
	struct error err;
	char buf[4096];
	int n, i, k;

	if (argc < 2) {
		fprintf(stderr, "usage: pages PID [N]\n");
		return 2;
	}
	n = argc > 2 ? atoi(argv[2]) : 10;
	if (target_from_pid(&c.t, "/", atoi(argv[1]), &err) < 0 ||
	    pagemap_open(&c.pm, c.t.proc_fd, "/", &err) < 0) {
		fprintf(stderr, "pages: %s\n", err.msg);
		return 1;
	}
	c.maps_fd = openat(c.t.proc_fd, "maps", O_RDONLY);
	c.smaps_fd = openat(c.t.proc_fd, "smaps", O_RDONLY);
	c.rollup_fd = openat(c.t.proc_fd, "smaps_rollup", O_RDONLY);
	pagemap_find_zero_pfns(&(uint64_t){0}, &(uint64_t){0});
	pages_walk(&c, true, 1024); /* learn which mappings are sparse */
	for (k = 0; k < 5; k++) {
		t0 = pages_cpu_s();
		for (i = 0; i < n; i++) {
			switch (k) {
			case 0:
				if (root_pread_all(c.rollup_fd, buf,
						   sizeof buf) < 0)
					return 1;
				break;
			case 1:
				pages_walk(&c, false, 0);
				break;
			case 2:
				pages_walk(&c, true, 0);
				break;
			case 3:
				pages_walk(&c, true, 1024);
				break;
			case 4:
				pages_layout(&c, c.smaps_fd);
				regions_add_smaps(&c.set, &c.list, c.region_of);
				break;
			}
		}
		cost[k] = (pages_cpu_s() - t0) / n;
	}
	for (k = 0; k < 5; k++)
		printf("%-11s %9.2f ms %6.2fx\n", names[k], cost[k] * 1000,
		       cost[k] / cost[0]);
	return 0;
}
