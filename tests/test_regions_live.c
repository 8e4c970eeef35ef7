/*
 * Regions and page-level accounting against real children with known
 * layouts (memchild zoo): per-thread stacks, a shared file mapping, a
 * MAP_SHARED region split with a child, SysV and memfd segments, a heap
 * that grows by a known amount; smaps and pagemap agreeing; a process
 * that exits mid-walk.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/regions.h"
#include "core/sample.h"
#include "core/target.h"
#include "sources/layout.h"
#include "sources/pagemap.h"
#include "sources/smaps.h"
#include "testutil.h"
#include "util/csvread.h"
#include "util/root.h"

static char *mt, *memchild;
static char zoo_file[512];

static void
rl_setup(void)
{
	char cmd[1200];

	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
	memchild = (char *)tu_bin("MEMCHILD", "tests/helpers/memchild");
	snprintf(zoo_file, sizeof zoo_file, "%s/zoo.bin", tu_tmpdir());
	snprintf(cmd, sizeof cmd, "head -c 8388608 /dev/urandom > '%s'",
		 zoo_file);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(regions_live, .init = rl_setup, .fini = tu_tmp_cleanup);

struct zoo {
	struct child c;
	pid_t pid, child, tids[3];
};

static void
zoo_start(struct zoo *z)
{
	tu_child_start(&z->c, (char *[]){memchild, "zoo", zoo_file, NULL});
	cr_assert_eq(sscanf(z->c.first, "started %d %d %d %d %d", &z->pid,
			    &z->child, &z->tids[0], &z->tids[1], &z->tids[2]),
		     5, "%s", z->c.first);
}

/* One memtrend sample of pid's regions, read back. */
static void
regions_once(struct table *t, pid_t pid, const char *mode, const char *tag)
{
	char pidtext[16], path[512];
	struct run r;

	snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
	snprintf(path, sizeof path, "%s/%s-%s.csv", tu_tmpdir(), tag, mode);
	tu_run(&r,
	       (char *[]){mt, "-p", pidtext, "-c", "1", "-q", (char *)mode,
			  "--budget", "100%", "--regions-csv", path, NULL},
	       60);
	cr_assert_eq(r.status, 0, "memtrend failed: %s", r.err);
	cr_assert_eq(tu_table_load(t, path), 0);
	cr_assert_gt(t->nrows, 5);
}

/* The row of region (name, kind), or -1. */
static long
find_row(const struct table *t, const char *name, const char *kind)
{
	size_t i, rc = 3, kc = 4;

	cr_assert_str_eq(t->header[rc], "region");
	cr_assert_str_eq(t->header[kc], "kind");
	for (i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i][rc], name) == 0 &&
		    strcmp(t->rows[i][kc], kind) == 0)
			return (long)i;
	return -1;
}

/* 0 when the region is not there (yet). */
static double
region_kb_or0(const struct table *t, const char *name, const char *kind,
	      const char *col)
{
	long row = find_row(t, name, kind);

	return row < 0 ? 0 : tu_table_num(t, (size_t)row, col);
}

static double
region_kb(const struct table *t, const char *name, const char *kind,
	  const char *col)
{
	long row = find_row(t, name, kind);

	cr_assert_geq(row, 0, "no region %s (%s)", name, kind);
	return tu_table_num(t, (size_t)row, col);
}

static void
near(double got, double want, double tol, const char *what)
{
	cr_assert(fabs(got - want) <= tol,
		  "%s: got %.1f KiB, want %.1f "
		  "(within %.1f)",
		  what, got, want, tol);
}

/* Every kind of region is where it should be, in both modes. */
static void
zoo_layout(const char *mode)
{
	struct table t;
	struct zoo z;
	char name[32];
	int i;

	zoo_start(&z);
	regions_once(&t, z.pid, mode, "zoo");
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof name, "[stack:%d]", (int)z.tids[i]);
		cr_assert_geq(region_kb(&t, name, "thread_stack", "rss_kb"), 64,
			      "%s: one region per thread, its 64 KiB touched",
			      name);
	}
	near(region_kb(&t, zoo_file, "data", "rss_kb"), 8192, 8,
	     "shared file mapping");
	near(region_kb(&t, zoo_file, "data", "file_kb"), 8192, 8,
	     "its pages are file pages");
	near(region_kb(&t, "[shared anon]", "shmem", "rss_kb"), 16384, 8,
	     "MAP_SHARED anon");
	near(region_kb(&t, "[shared anon]", "shmem", "pss_kb"), 8192, 8,
	     "PSS is half: a child maps it too");
	near(region_kb(&t, "[shared anon]", "shmem", "uss_kb"), 0, 8,
	     "not unique to us");
	near(region_kb(&t, "SYSV 0x00000000", "sysv", "rss_kb"), 4096, 8,
	     "SysV segment");
	near(region_kb(&t, "memfd:mtzoo", "shmem", "rss_kb"), 2048, 8, "memfd");
	tu_table_free(&t);
	tu_child_end(&z.c);
}

Test(regions_live, zoo_from_smaps)
{
	zoo_layout("--regions");
}

Test(regions_live, zoo_from_pagemap)
{
	zoo_layout("--pages");
}

/* The heap grows by 16 MiB: [heap] does, by that much, in both modes. */
Test(regions_live, heap_growth_is_found)
{
	const char *modes[] = {"--regions", "--pages"};
	struct table before[2], after[2];
	struct zoo z;
	char line[64];
	int i;

	zoo_start(&z);
	for (i = 0; i < 2; i++)
		regions_once(&before[i], z.pid, modes[i], "before");
	tu_child_send(&z.c, "go");
	cr_assert(tu_child_line(&z.c, line, sizeof line));
	cr_assert_str_eq(line, "ready");
	for (i = 0; i < 2; i++) {
		regions_once(&after[i], z.pid, modes[i], "after");
		/* (A malloc that never calls brk has no [heap] before.) */
		near(region_kb(&after[i], "[heap]", "heap", "uss_kb") -
			 region_kb_or0(&before[i], "[heap]", "heap", "uss_kb"),
		     16384, 16384 * 0.02, modes[i]);
		near(region_kb(&after[i], "[heap]", "heap", "rss_kb") -
			 region_kb_or0(&before[i], "[heap]", "heap", "rss_kb"),
		     16384, 16384 * 0.02, modes[i]);
		tu_table_free(&before[i]);
		tu_table_free(&after[i]);
	}
	tu_child_end(&z.c);
}

/* An estimate, then the heap grows by 16 MiB, then an exact region
 * sample (what a tick does when the target changes between the two):
 * the exact [heap] row shows the growth as its USS drift from the
 * estimate, with the estimate's bound beside it; the target's own
 * regions that held still drift by no more than their bound; the
 * estimate's rows have no drift. */
Test(regions_live, exact_regions_show_their_drift)
{
	struct layout_opts lo = {.root = "/", .estimate_sample = 512};
	const struct region *heap;
	double est_uss, est_err, d;
	struct layout *l;
	struct target t;
	struct sample s;
	struct error err;
	struct zoo z;
	struct layout_drift drift = {0, 0};
	char line[64];
	size_t i, filled = 0;

	zoo_start(&z);
	cr_assert_eq(target_from_pid(&t, "/", z.pid, &err), 0, "%s", err.msg);
	cr_assert_eq(layout_open(&l, &t, &lo, &err), 0, "%s", err.msg);
	sample_clear(&s);
	cr_assert_eq(layout_sample_estimate(l, &s, &err), 0, "%s", err.msg);
	heap = regions_find(s.regions, "[heap]", REGION_HEAP);
	cr_assert_not_null(heap, "glibc's stdio buffer is on the heap");
	est_uss = heap->v[RF_USS_KB];
	est_err = heap->v[RF_USS_ERR_KB];
	for (i = 0; i < s.regions->n; i++)
		cr_assert(isnan(s.regions->v[i].v[RF_USS_DRIFT_KB]));

	tu_child_send(&z.c, "go");
	cr_assert(tu_child_line(&z.c, line, sizeof line));
	cr_assert_str_eq(line, "ready");
	sample_clear(&s);
	cr_assert_eq(layout_sample_smaps(l, &s, &err), 0, "%s", err.msg);
	layout_anchor(l, &s, &drift);
	cr_assert_geq(drift.outside, 1, "the heap moved out of its bound");

	heap = regions_find(s.regions, "[heap]", REGION_HEAP);
	cr_assert_not_null(heap);
	d = heap->v[RF_USS_DRIFT_KB];
	cr_assert_float_eq(d, heap->v[RF_USS_KB] - est_uss, 1e-9);
	cr_assert_float_eq(heap->v[RF_USS_DRIFT_BOUND_KB], est_err, 1e-9);
	cr_assert(d > 16384 * 0.98 - est_err && d < 16384 * 1.02 + est_err,
		  "heap drift %.0f KiB +- %.0f", d, est_err);
	for (i = 0; i < s.regions->n; i++) {
		const double *v = s.regions->v[i].v;

		if (isnan(v[RF_USS_DRIFT_KB]))
			continue;
		filled++;
		if (&s.regions->v[i] == heap)
			continue;
		/* A library's pages are other processes' too: one that maps
		 * or drops a page between the two reads moves its USS with
		 * no estimate wrong (seen: libc.so.6 -8 KiB, bound 0, while
		 * other tests ran). */
		if (s.regions->v[i].name[0] == '/' &&
		    strcmp(s.regions->v[i].name, zoo_file) != 0)
			continue;
		cr_assert_leq(fabs(v[RF_USS_DRIFT_KB]),
			      v[RF_USS_DRIFT_BOUND_KB] + 4, "%s: %.0f +- %.0f",
			      s.regions->v[i].name, v[RF_USS_DRIFT_KB],
			      v[RF_USS_DRIFT_BOUND_KB]);
	}
	cr_assert_geq(filled, 5, "%zu regions with a drift", filled);
	layout_close(l);
	target_close(&t);
	tu_child_end(&z.c);
}

/* Maps n bytes of a new file named name in the test's directory. */
static char *
map_file(const char *name, size_t n, char *path, size_t size)
{
	char *p;
	int fd;

	snprintf(path, size, "%s/%s", tu_tmpdir(), name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)n), 0);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	cr_assert_neq(p, MAP_FAILED);
	close(fd);
	return p;
}

/* 300 000 fault addresses in one file's mapping, then 300 000 in
 * another's, all counted, between two region samples 10 s apart: each
 * region is given half the faults.  Only the first 262 144 addresses
 * were kept, so the first file was given them all and the second none. */
Test(regions_live, fault_rates_share_a_long_interval_evenly)
{
	enum { N = 300000, SIZE = 1 << 20 };
	struct layout_opts lo = {.root = "/", .group = REGION_GROUP_PATH};
	static uint64_t addrs[N];
	char path_a[512], path_b[512];
	const struct region *a, *b;
	char *map_a, *map_b;
	struct layout *l;
	struct target t;
	struct sample s;
	struct error err;
	size_t i;

	map_a = map_file("faults-a", SIZE, path_a, sizeof path_a);
	map_b = map_file("faults-b", SIZE, path_b, sizeof path_b);
	cr_assert_eq(target_from_pid(&t, "/", getpid(), &err), 0, "%s",
		     err.msg);
	cr_assert_eq(layout_open(&l, &t, &lo, &err), 0, "%s", err.msg);
	sample_clear(&s);
	s.elapsed_s = 0;
	cr_assert_eq(layout_sample_smaps(l, &s, &err), 0, "%s", err.msg);
	for (i = 0; i < N; i++)
		addrs[i] = (uint64_t)(uintptr_t)map_a + (i * 4096) % SIZE;
	layout_add_faults(l, addrs, N, N);
	for (i = 0; i < N; i++)
		addrs[i] = (uint64_t)(uintptr_t)map_b + (i * 4096) % SIZE;
	layout_add_faults(l, addrs, N, N);
	sample_clear(&s);
	s.elapsed_s = 10;
	cr_assert_eq(layout_sample_smaps(l, &s, &err), 0, "%s", err.msg);
	a = regions_find(s.regions, path_a, REGION_FILE);
	b = regions_find(s.regions, path_b, REGION_FILE);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	/* 30 000 faults a second each; the sample's share is within 0.6 %
	 * of all 60 000 (95 %): 5 % is far outside chance. */
	near(a->v[RF_FAULTS_PER_S], 30000, 1500, "first file's faults/s");
	near(b->v[RF_FAULTS_PER_S], 30000, 1500, "second file's faults/s");
	layout_close(l);
	target_close(&t);
	munmap(map_a, SIZE);
	munmap(map_b, SIZE);
}

/* A quiescent process: the page walk agrees with smaps within 0.5 % on
 * every sizeable region and in total (needs root for PFNs). */
Test(regions_live, pagemap_agrees_with_smaps)
{
	static const char *cols[] = {"rss_kb", "uss_kb", "pss_kb", "swap_kb"};
	struct table sm, pg;
	double sum_sm[4] = {0}, sum_pg[4] = {0}, a, b;
	struct zoo z;
	size_t i, c;
	long row;

	if (geteuid() != 0)
		cr_skip_test("page-level PSS needs root (PFNs)");
	zoo_start(&z);
	regions_once(&sm, z.pid, "--regions", "agree");
	regions_once(&pg, z.pid, "--pages", "agree");
	for (i = 0; i < sm.nrows; i++) {
		row = find_row(&pg, sm.rows[i][3], sm.rows[i][4]);
		cr_assert_geq(row, 0, "region %s only in smaps", sm.rows[i][3]);
		for (c = 0; c < 4; c++) {
			a = tu_table_num(&sm, i, cols[c]);
			b = tu_table_num(&pg, (size_t)row, cols[c]);
			sum_sm[c] += a;
			sum_pg[c] += b;
			if (a >= 1024)
				near(b, a, a * 0.005, cols[c]);
		}
	}
	for (c = 0; c < 4; c++)
		near(sum_pg[c], sum_sm[c], sum_sm[c] * 0.005, cols[c]);
	cr_assert_eq(pg.nrows, sm.nrows);
	tu_table_free(&sm);
	tu_table_free(&pg);
	tu_child_end(&z.c);
}

/* The process exits between listing its mappings and walking them: the
 * walk says so, nothing crashes. */
Test(regions_live, exit_mid_walk)
{
	struct pagemap_opts o = {.pss = true, .flags_sample = 64};
	struct mapping_list list = {0};
	struct page_stats *stats;
	struct pagemap *pm;
	size_t *region_of, i;
	struct region_set set = {0};
	struct target t;
	struct child c;
	struct error err;
	char *text = NULL;
	size_t cap = 0;
	int fd;

	tu_child_start(&c, (char *[]){memchild, "hold", "16777216", NULL});
	cr_assert(tu_child_line(&c, (char[64]){0}, 64)); /* ready */
	cr_assert_eq(target_from_pid(&t, "/", c.pid, &err), 0, "%s", err.msg);
	fd = openat(t.proc_fd, "maps", O_RDONLY);
	cr_assert_gt(root_pread_grow(fd, &text, &cap), 0);
	close(fd);
	cr_assert_eq(smaps_parse(text, &list, &err), 0);
	region_of = calloc(list.n, sizeof *region_of);
	stats = calloc(list.n, sizeof *stats);
	regions_assign(&set, &list, NULL, 0, REGION_GROUP_KIND, region_of);
	cr_assert_eq(pagemap_open(&pm, t.proc_fd, "/", &err), 0, "%s", err.msg);

	kill(c.pid, SIGKILL);
	tu_child_end(&c); /* reaped: its address space is gone */
	cr_assert_eq(pagemap_walk(pm, &list, region_of, &o, stats, &err),
		     -ESRCH);
	cr_assert(strstr(err.msg, "exited during the page walk") != NULL, "%s",
		  err.msg);
	for (i = 0; i < list.n; i++)
		cr_assert_eq(stats[i].present, 0);
	pagemap_close(pm);
	target_close(&t);
	regions_free(&set);
	mapping_list_free(&list);
	free(region_of);
	free(stats);
	free(text);
}

/* Not root: PFNs read as zero, so PSS per region comes from smaps, with
 * one line saying so; USS still comes from the walk. */
static bool
rl_unprivileged_pages(void *path)
{
	struct run r;

	tu_run(&r,
	       (char *[]){mt, "-c", "1", "-q", "--pages", "--budget", "100%",
			  "--regions-csv", path, "--", memchild, "exit-after",
			  "3000", "0", NULL},
	       30);
	return r.status == 0 && strstr(r.err, "PFNs read as zero") &&
	       strstr(r.err, "smaps");
}

Test(regions_live, unprivileged_pages_fall_back)
{
	char path[512];
	struct table t;

	snprintf(path, sizeof path, "%s/unpriv.csv", tu_tmpdir());
	cr_assert_eq(chmod(tu_tmpdir(), 0777), 0);
	cr_assert(tu_as_nobody(rl_unprivileged_pages, path),
		  "the "
		  "unprivileged run did not say it falls back");
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_gt(t.nrows, 3);
	cr_assert_str_eq(t.rows[0][csv_column(t.header, t.ncols, "source")],
			 "pagemap+smaps");
	cr_assert(!isnan(region_kb(&t, "[stack]", "stack", "pss_kb")));
	cr_assert(!isnan(region_kb(&t, "[stack]", "stack", "uss_kb")));
	cr_assert(isnan(region_kb(&t, "[stack]", "stack", "thp_kb")),
		  "page kinds are unknown without PFNs, not 0");
	tu_table_free(&t);
}

/* A mapped file and a command name full of terminal escapes: every
 * line memtrend prints shows them escaped (\x1b), never raw. */
Test(regions_live, control_characters_in_names_are_escaped)
{
	char file[600], link[600], pid[16], cmd[1400];
	struct child c;
	struct run r;
	size_t i;

	snprintf(file, sizeof file, "%s/evil\033[31m\033]0;t\007.bin",
		 tu_tmpdir());
	snprintf(link, sizeof link, "%s/mc\033[2J", tu_tmpdir());
	snprintf(cmd, sizeof cmd, "head -c 1048576 /dev/urandom > '%s'", file);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(symlink(memchild, link), 0);
	tu_child_start(&c, (char *[]){link, "zoo", file, NULL});
	snprintf(pid, sizeof pid, "%d", (int)c.pid);
	tu_run(&r,
	       (char *[]){mt, "-p", pid, "-c", "3", "--every", "50ms",
			  "--regions=50", "--group-by", "path", "--budget",
			  "100%", NULL},
	       60);
	tu_child_end(&c);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "evil\\x1b[31m\\x1b]0;t\\x07.bin") != NULL,
		  "%s", r.out);
	for (i = 0; r.out[i] != '\0'; i++)
		cr_assert(r.out[i] == '\n' || (unsigned char)r.out[i] >= 0x20,
			  "byte 0x%02x at %zu in: %s", r.out[i], i, r.out);
	for (i = 0; r.err[i] != '\0'; i++)
		cr_assert(r.err[i] == '\n' || (unsigned char)r.err[i] >= 0x20,
			  "byte 0x%02x at %zu in: %s", r.err[i], i, r.err);
}

/* On a target of 2500 mappings --regions walks maps and pagemap rather
 * than read smaps (as root, where the walk sees PFNs and kpagecount):
 * every row says pagemap, and the 2500 two-page mappings (20 000 KiB,
 * all written) are in the anonymous memory. */
Test(regions_live, many_mappings_walked_not_smaps)
{
	struct table t;
	struct child c;
	char line[64];
	double anon = 0;
	size_t i, sc;

	if (geteuid() != 0)
		cr_skip_test("the walk in place of smaps needs root (PFNs)");
	tu_child_start(&c, (char *[]){memchild, "maps", "2500", NULL});
	cr_assert(tu_child_line(&c, line, sizeof line)); /* ready */
	regions_once(&t, c.pid, "--regions", "many");
	for (sc = 0; sc < t.ncols; sc++)
		if (strcmp(t.header[sc], "source") == 0)
			break;
	cr_assert_lt(sc, t.ncols, "no source column");
	for (i = 0; i < t.nrows; i++) {
		cr_assert_str_eq(t.rows[i][sc], "pagemap", "row %zu", i);
		if (strcmp(t.rows[i][4], "anon") == 0)
			anon += tu_table_num(&t, i, "rss_kb");
	}
	near(anon, 20000 + 512, 512, "anon rss_kb");
	tu_table_free(&t);
	tu_child_end(&c);
}

/* ---- the estimate tier in the sampling loop ----------------------------- */

/* "estimates: N compared with exact reads, M outside their 95 % bound"
 * in a summary; false when the line is not there. */
static bool
drift_of(const char *out, unsigned long *n, unsigned long *m)
{
	const char *p = strstr(out, "estimates: ");

	return p != NULL && sscanf(p,
				   "estimates: %lu compared with exact "
				   "reads, %lu outside",
				   n, m) == 2;
}

/* Runs memtrend on pid with the options given, 5 samples 10 ms apart
 * with no budget; returns the summary. */
static void
estimate_run(struct run *r, pid_t pid, char *const *opts, size_t nopts)
{
	char pidtext[16];
	/* Ten words, up to six options, the NULL. */
	char *argv[17] = {mt,	     "-p",   pidtext, "-c",	  "5",
			  "--every", "10ms", "-q",    "--budget", "100%"};
	size_t i;

	cr_assert_leq(nopts, 6);
	snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
	for (i = 0; i < nopts; i++)
		argv[10 + i] = opts[i];
	argv[10 + nopts] = NULL;
	tu_run(r, argv, 60);
	cr_assert_eq(r->status, 0, "memtrend failed: %s", r->err);
}

/* With --estimate, every exact read is anchored by an estimate taken
 * just before it: per region (RSS, USS and PSS of each region both
 * have) with --regions, the USS/PSS totals of smaps_rollup without; a
 * child that holds still stays within the bounds. */
Test(regions_live, estimates_are_compared_with_exact_reads)
{
	struct child c;
	struct run r;
	unsigned long n, m;

	tu_child_start(&c, (char *[]){memchild, "hold", "67108864", NULL});
	cr_assert(tu_child_line(&c, (char[64]){0}, 64)); /* ready */

	estimate_run(&r, c.pid, (char *[]){"--estimate", "--regions"}, 2);
	cr_assert(drift_of(r.out, &n, &m), "%s", r.out);
	/* 5 ticks, a dozen regions or more, 2 or 3 values each */
	cr_assert_geq(n, 5 * 10 * 2, "%lu compared", n);
	cr_assert_leq(m, n / 20, "%lu of %lu outside", m, n);
	cr_assert(strstr(r.out, "  estimate ") != NULL, "%s", r.out);

	estimate_run(&r, c.pid, (char *[]){"--estimate"}, 1);
	cr_assert(drift_of(r.out, &n, &m), "%s", r.out);
	cr_assert(n == 5 || n == 10, "%lu compared: USS (and PSS) a tick", n);
	cr_assert_leq(m, 1, "%lu of %lu outside", m, n);
	tu_child_end(&c);
}

/* A small target whose exact reads the default budget affords every tick
 * (16 MiB: smaps_rollup well under the 20 ms of 2 % of a 1 s tick; at
 * 200 ms, 4 ms a tick, a loaded machine once took 6.2 ms a read and
 * estimated) is read exactly, as before the estimate existed;
 * --no-estimate never estimates. */
Test(regions_live, small_targets_are_read_exactly)
{
	char path[512], *opts[6];
	struct table t;
	struct child c;
	struct run r;
	unsigned long n, m;
	size_t i;

	tu_child_start(&c, (char *[]){memchild, "hold", "16777216", NULL});
	cr_assert(tu_child_line(&c, (char[64]){0}, 64)); /* ready */
	snprintf(path, sizeof path, "%s/exact.csv", tu_tmpdir());
	opts[0] = "-o";
	opts[1] = path;
	opts[2] = "--budget"; /* the default, at 1 s: 20 ms a tick */
	opts[3] = "2%";
	opts[4] = "--every";
	opts[5] = "1s";
	estimate_run(&r, c.pid, opts, 6);
	cr_assert(!drift_of(r.out, &n, &m), "%s", r.out);
	cr_assert(strstr(r.out, "  estimate ") == NULL, "%s", r.out);
	cr_assert_eq(tu_table_load(&t, path), 0);
	cr_assert_eq(t.nrows, 5);
	for (i = 0; i < t.nrows; i++) {
		cr_assert(isnan(tu_table_num(&t, i, "uss_err_kb")));
		cr_assert_geq(tu_table_num(&t, i, "uss_kb"), 16384);
	}
	tu_table_free(&t);
	opts[0] = "--no-estimate";
	opts[1] = "--regions";
	estimate_run(&r, c.pid, opts, 2);
	cr_assert(!drift_of(r.out, &n, &m), "%s", r.out);
	tu_child_end(&c);
}
