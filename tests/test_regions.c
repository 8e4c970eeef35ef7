/*
 * Mappings grouped into regions (src/core/regions.c) and thread stack
 * pointers (src/sources/threads.c), on captured and hand-made maps.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/regtrack.h"
#include "core/regions.h"
#include "sources/smaps.h"
#include "sources/threads.h"
#include "testutil.h"
#include "util/root.h"

struct grouped {
	struct mapping_list list;
	struct region_set set;
	size_t region_of[64];
	char *text;
};

static void
group(struct grouped *g, const char *fixture, const struct stack_hint *hints,
      size_t nhints, enum region_group how)
{
	char path[512];
	struct error err;

	memset(g, 0, sizeof *g);
	snprintf(path, sizeof path, "%s/smaps/%s", tu_fixtures(), fixture);
	cr_assert_gt(root_read_alloc("/", path, &g->text), 0, "%s", path);
	cr_assert_eq(smaps_parse(g->text, &g->list, &err), 0, "%s", err.msg);
	cr_assert_leq(g->list.n, 64);
	regions_assign(&g->set, &g->list, hints, nhints, how, g->region_of);
	if (g->list.n > 0 && g->list.v[0].has_counts)
		regions_add_smaps(&g->set, &g->list, g->region_of);
}

static void
ungroup(struct grouped *g)
{
	regions_free(&g->set);
	mapping_list_free(&g->list);
	free(g->text);
}

/* The region exists with this many mappings. */
static const struct region *
expect(const struct grouped *g, const char *name, enum region_kind kind,
       double mappings)
{
	const struct region *r = regions_find(&g->set, name, kind);

	cr_assert(r != NULL, "no region '%s' (%s)", name,
		  region_kind_names[kind]);
	cr_assert_eq(r->v[RF_MAPPINGS], mappings, "%s: %.0f mappings", name,
		     r->v[RF_MAPPINGS]);
	return r;
}

static const struct stack_hint kinds_hints[] = {
    {101, 0x7f00027ffe90}, /* in 7f0002001000-7f0002801000 */
    {102, 0x7f0002ffff00}, /* in 7f0002802000-7f0003002000 */
    {103, 0x1234},	   /* in no mapping */
};

Test(regions, every_kind_by_default)
{
	struct grouped g;

	group(&g, "kinds.maps", kinds_hints, 3, REGION_GROUP_KIND);
	expect(&g, "/usr/bin/my server", REGION_CODE, 1);
	expect(&g, "/usr/bin/my server", REGION_DATA, 1);
	expect(&g, "[heap]", REGION_HEAP, 1);
	expect(&g, "[stack]", REGION_STACK, 1);
	expect(&g, "[stack:101]", REGION_THREAD_STACK, 1);
	expect(&g, "[stack:102]", REGION_THREAD_STACK, 1);
	expect(&g, "[shared anon]", REGION_SHMEM, 1);
	expect(&g, "SYSV 0x0001e240", REGION_SYSV, 1);
	expect(&g, "memfd:cache", REGION_SHMEM, 1);
	expect(&g, "/dev/shm/queue.0", REGION_SHMEM, 1);
	expect(&g, "/anon_hugepage (deleted)", REGION_HUGETLB, 1);
	expect(&g, "[anon:jemalloc]", REGION_ANON, 1);
	expect(&g, "[anon_shmem:ring]", REGION_SHMEM, 1);
	/* Two guard pages and one plain anonymous mapping. */
	expect(&g, "[anon]", REGION_ANON, 3);
	expect(&g, "/usr/lib/libc.so.6", REGION_CODE, 1);
	expect(&g, "/usr/lib/libc.so.6", REGION_DATA, 3);
	expect(&g, "[vvar]", REGION_VDSO, 1);
	expect(&g, "[vdso]", REGION_VDSO, 1);
	expect(&g, "[uprobes]", REGION_OTHER, 1);
	cr_assert_eq(g.set.n, 19, "%zu regions", g.set.n);
	cr_assert_eq(g.region_of[23], SIZE_MAX, "[vsyscall] is kernel memory");
	cr_assert_eq(expect(&g, "[heap]", REGION_HEAP, 1)->v[RF_SIZE_KB],
		     (0x1f5f000 - 0x1d3e000) / 1024);
	ungroup(&g);
}

Test(regions, without_hints_thread_stacks_are_anon)
{
	struct grouped g;

	group(&g, "kinds.maps", NULL, 0, REGION_GROUP_KIND);
	expect(&g, "[anon]", REGION_ANON, 5);
	cr_assert_null(
	    regions_find(&g.set, "[stack:101]", REGION_THREAD_STACK));
	ungroup(&g);
}

Test(regions, group_by_path_joins_code_and_data)
{
	struct grouped g;

	group(&g, "kinds.maps", kinds_hints, 3, REGION_GROUP_PATH);
	expect(&g, "/usr/lib/libc.so.6", REGION_FILE, 4);
	expect(&g, "/usr/bin/my server", REGION_FILE, 2);
	cr_assert_null(regions_find(&g.set, "/usr/lib/libc.so.6", REGION_CODE));
	expect(&g, "[heap]", REGION_HEAP, 1);
	ungroup(&g);
}

Test(regions, group_by_mapping_keeps_each)
{
	struct grouped g;

	group(&g, "kinds.maps", kinds_hints, 3, REGION_GROUP_MAPPING);
	cr_assert_eq(g.set.n, 23, "every mapping but [vsyscall]");
	expect(&g, "/usr/lib/libc.so.6@7f00041c2000", REGION_DATA, 1);
	expect(&g, "[anon]@7f0003002000", REGION_ANON, 1);
	ungroup(&g);
}

/* A captured process: the region sums are the smaps sums, and each of
 * its threads has its own stack region. */
Test(regions, captured_zoo)
{
	struct stack_hint hints[3];
	struct grouped g;
	char path[512], *text = NULL, *line, *save = NULL;
	double rss = 0;
	size_t i, n = 0;
	long tid;

	snprintf(path, sizeof path, "%s/smaps/zoo.syscall", tu_fixtures());
	cr_assert_gt(root_read_alloc("/", path, &text), 0);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		tid = strtol(line, &line, 10);
		if (n++ == 0)
			continue; /* the main thread */
		hints[n - 2].tid = (pid_t)tid;
		cr_assert_eq(threads_parse_syscall(line + 1, &hints[n - 2].sp),
			     0, "%s", line);
	}
	free(text);
	cr_assert_eq(n, 4);
	group(&g, "zoo.smaps", hints, 3, REGION_GROUP_KIND);
	for (i = 0; i < 3; i++) {
		char name[32];
		const struct region *r;

		snprintf(name, sizeof name, "[stack:%d]", (int)hints[i].tid);
		r = expect(&g, name, REGION_THREAD_STACK, 1);
		cr_assert_geq(r->v[RF_RSS_KB], 64, "%s touched 64 KiB", name);
	}
	expect(&g, "[shared anon]", REGION_SHMEM, 1);
	cr_assert_eq(
	    regions_find(&g.set, "[shared anon]", REGION_SHMEM)->v[RF_PSS_KB],
	    8192, "shared with one child");
	expect(&g, "SYSV 0x00000000", REGION_SYSV, 1);
	expect(&g, "memfd:mtzoo", REGION_SHMEM, 1);
	for (i = 0; i < g.set.n; i++)
		rss += g.set.v[i].v[RF_RSS_KB];
	/* zoo.rollup was captured with it: Rss 32576 kB. */
	cr_assert_eq(rss, 32576, "every resident page in some region");
	ungroup(&g);
}

Test(threads, syscall_text)
{
	uint64_t sp = 0;

	cr_assert_eq(
	    threads_parse_syscall("0 0x3 0x7f410d7eeecf 0x1 0x0 0x0 "
				  "0x0 0x7f410d7eee90 0x7f410f8de2ec\n",
				  &sp),
	    0);
	cr_assert_eq(sp, 0x7f410d7eee90ULL);
	cr_assert_eq(threads_parse_syscall("-1 0x7ffc00001000 0x401000\n", &sp),
		     0);
	cr_assert_eq(sp, 0x7ffc00001000ULL);
	cr_assert_eq(threads_parse_syscall("running\n", &sp), -EAGAIN);
	cr_assert_eq(threads_parse_syscall("0 0x1 junk\n", &sp), -EINVAL);
	cr_assert_eq(threads_parse_syscall("", &sp), -EINVAL);
}

/* Threads that come and go each leave a [stack:TID] region behind: the
 * tracker forgets those that went away without growing, so its memory
 * stays bounded over a long run, and what grew is still ranked first. */
Test(regions, tracker_forgets_regions_that_went_away)
{
	const struct regtrack_entry *top[1];
	struct region_set set = {0};
	struct regtrack rt;
	struct sample s;
	struct region *r;
	char name[32];
	int i;

	regtrack_init(&rt);
	for (i = 0; i < 5000; i++) {
		regions_reset(&set);
		r = regions_append(&set, "[heap]", REGION_HEAP);
		r->v[RF_USS_KB] = r->v[RF_RSS_KB] = 100 + i;
		snprintf(name, sizeof name, "[stack:%d]", 1000 + i);
		r = regions_append(&set, name, REGION_THREAD_STACK);
		r->v[RF_USS_KB] = r->v[RF_RSS_KB] = 8;
		sample_clear(&s);
		s.elapsed_s = i;
		s.regions = &set;
		regtrack_add(&rt, &s);
	}
	cr_assert_lt(rt.n, 200, "%zu regions tracked after 5000 threads", rt.n);
	cr_assert_eq(rt.samples, 5000);
	cr_assert_eq(regtrack_top(&rt, top, 1), 1);
	cr_assert_str_eq(top[0]->name, "[heap]");
	cr_assert_float_eq(regtrack_growth_kb(top[0]), 4999, 1e-9);
	regtrack_free(&rt);
	regions_free(&set);
}
