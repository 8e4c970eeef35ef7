/*
 * How often the estimates' 95 % bounds hold, on a live process whose
 * regions may change while it runs: each round reads maps, walks pagemap
 * exactly, estimates (estimate.h, the default sample), and walks again.
 * A region's estimate is counted as within its bound when it lies within
 * rss_err_kb (uss_err_kb, pss_err_kb) of the range the two exact walks
 * span (the truth at the moment of the estimate lies between them, for a
 * region that only grows or shrinks meanwhile).  Only sampled regions
 * count (bound > 0): one small enough to be read whole is an exact read,
 * whose truth other processes move by mapping the same pages (PSS) in
 * between.  Prints, per column, the regions-rounds within
 * their bound, and the estimate's and the walk's CPU time per round.
 *
 *   bench/estimate PID ROUNDS
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/regions.h"
#include "core/target.h"
#include "sources/estimate.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "util/ticker.h"
#include "util/xmalloc.h"

static void
est_walk(struct pagemap *pm, struct mapping_list *list, size_t *region_of,
	 struct page_stats *stats, struct region_set *set)
{
	struct pagemap_opts o = {.pss = true};
	struct error err;

	if (pagemap_walk(pm, list, region_of, &o, stats, &err) < 0) {
		fprintf(stderr, "estimate: %s\n", err.msg);
		exit(1);
	}
	pagemap_add_regions(pm, set, list, region_of, stats);
}

int
main(int argc, char **argv)
{
	static const enum region_field col[3] = {RF_RSS_KB, RF_USS_KB,
						 RF_PSS_KB};
	static const enum region_field bound[3] = {RF_RSS_ERR_KB, RF_USS_ERR_KB,
						   RF_PSS_ERR_KB};
	static const char *names[3] = {"rss", "uss", "pss"};
	struct region_set a = {0}, b = {0}, e = {0};
	struct mapping_list list = {0};
	struct estimate_opts eo = {.pss = true};
	unsigned long in[3] = {0}, seen[3] = {0};
	double walk_s = 0, est_s = 0, t0, lo, hi, x;
	struct page_stats *stats = NULL;
	size_t *region_of = NULL, r;
	struct estimate *est;
	struct pagemap *pm;
	struct target t;
	struct error err;
	char *buf = xmalloc(SMAPS_READ_BUF);
	int rounds, k, c, maps_fd;

	if (argc != 3) {
		fprintf(stderr, "usage: estimate PID ROUNDS\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	if (target_from_pid(&t, "/", atoi(argv[1]), &err) < 0 ||
	    pagemap_open(&pm, t.proc_fd, "/", &err) < 0 ||
	    estimate_open(&est, t.proc_fd, "/", &err) < 0) {
		fprintf(stderr, "estimate: %s\n", err.msg);
		return 1;
	}
	maps_fd = openat(t.proc_fd, "maps", O_RDONLY);
	for (k = 0; k < rounds; k++) {
		if (smaps_read(maps_fd, buf, SMAPS_READ_BUF, &list, &err) < 0)
			return 1;
		region_of =
		    xreallocarray(region_of, list.n + 1, sizeof *region_of);
		stats = xreallocarray(stats, list.n + 1, sizeof *stats);
		regions_assign(&a, &list, NULL, 0, REGION_GROUP_KIND,
			       region_of);
		regions_assign(&b, &list, NULL, 0, REGION_GROUP_KIND,
			       region_of);
		regions_assign(&e, &list, NULL, 0, REGION_GROUP_KIND,
			       region_of);
		t0 = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
		est_walk(pm, &list, region_of, stats, &a);
		walk_s += ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
		t0 = ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID);
		eo.seed = (uint64_t)k + 1;
		if (estimate_regions(est, &list, region_of, &e, &eo, &err) <
		    0) {
			fprintf(stderr, "estimate: %s\n", err.msg);
			return 1;
		}
		est_s += ticker_clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
		est_walk(pm, &list, region_of, stats, &b);
		for (r = 0; r < e.n; r++) {
			if (a.v[r].v[RF_RSS_KB] <= 0 &&
			    b.v[r].v[RF_RSS_KB] <= 0)
				continue;
			for (c = 0; c < 3; c++) {
				x = e.v[r].v[col[c]];
				if (isnan(x) || !(e.v[r].v[bound[c]] > 0))
					continue;
				lo = fmin(a.v[r].v[col[c]], b.v[r].v[col[c]]);
				hi = fmax(a.v[r].v[col[c]], b.v[r].v[col[c]]);
				seen[c]++;
				in[c] += x >= lo - e.v[r].v[bound[c]] - 1e-9 &&
					 x <= hi + e.v[r].v[bound[c]] + 1e-9;
			}
		}
	}
	for (c = 0; c < 3; c++)
		printf("%s within bound: %lu of %lu region-rounds (%.1f %%)\n",
		       names[c], in[c], seen[c],
		       seen[c] ? 100.0 * (double)in[c] / (double)seen[c] : 0);
	printf("cpu per round: walk+pss %.3f ms, estimate %.3f ms\n",
	       walk_s / rounds * 1000, est_s / rounds * 1000);
	return 0;
}
