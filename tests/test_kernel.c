/*
 * memtrend kernel end to end (src/cmd/cmd-kernel.c): on fixture trees
 * (tests/fixtures/kernel/tick0 and tick1, the second the first grown by
 * 1000 kmalloc-256 objects and eight kernel stacks), with the files
 * rewritten between ticks, with slabinfo missing, and live: a child
 * holding thousands of sockets makes sock_inode_cache grow.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sources/meminfo.h"
#include "sources/slabinfo.h"
#include "sources/vmallocinfo.h"
#include "testutil.h"
#include "util/root.h"
#include "util/xmalloc.h"

#define KERNEL_HEADER                                                          \
	"timestamp,elapsed_s,mem_available_kb,slab_kb,"                        \
	"slab_reclaimable_kb,slab_unreclaim_kb,vmalloc_used_kb,percpu_kb,"     \
	"kernel_stack_kb,page_tables_kb,unaccounted_kb,"
#define CACHES_HEADER "timestamp,elapsed_s,kind,name,kb"

static char *mt;

static void
kernel_setup(void)
{
	mt = (char *)tu_bin("MEMTREND_BIN", "./memtrend");
}

TestSuite(kernel, .init = kernel_setup, .fini = tu_tmp_cleanup);

static char *
kernel_path(const char *dir, const char *name)
{
	char *p;

	xasprintf(&p, "%s/%s", dir, name);
	return p;
}

/* The first line of a file. */
static void
kernel_first_line(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");

	cr_assert_not_null(fp, "%s", path);
	cr_assert_not_null(fgets(buf, (int)len, fp));
	fclose(fp);
}

/* The kb of (kind, name) in each row of a caches CSV, in order. */
static size_t
kernel_cache_series(const char *path, const char *kind, const char *name,
		    double *kb, size_t max)
{
	struct table t;
	size_t r, n = 0, ck = 0, cn = 0, cv = 0, c;

	cr_assert_eq(tu_table_load(&t, path), 0, "%s", path);
	for (c = 0; c < t.ncols; c++) {
		if (strcmp(t.header[c], "kind") == 0)
			ck = c;
		else if (strcmp(t.header[c], "name") == 0)
			cn = c;
		else if (strcmp(t.header[c], "kb") == 0)
			cv = c;
	}
	for (r = 0; r < t.nrows && n < max; r++)
		if (strcmp(t.rows[r][ck], kind) == 0 &&
		    strcmp(t.rows[r][cn], name) == 0)
			kb[n++] = strtod(t.rows[r][cv], NULL);
	tu_table_free(&t);
	return n;
}

Test(kernel, fixture_tree_gives_the_contract_columns_and_numbers)
{
	char root[1024], line[4096], *csv, *caches, *argv[16];
	const char *dir = tu_tmpdir();
	struct table t;
	struct run r;
	double kb[4];

	snprintf(root, sizeof root, "%s/kernel/tick0", tu_fixtures());
	csv = kernel_path(dir, "k.csv");
	caches = kernel_path(dir, "c.csv");
	argv[0] = mt;
	argv[1] = "kernel";
	argv[2] = "--root";
	argv[3] = root;
	argv[4] = "--every";
	argv[5] = "100ms";
	argv[6] = "--count";
	argv[7] = "2";
	argv[8] = "-o";
	argv[9] = csv;
	argv[10] = "--caches-csv";
	argv[11] = caches;
	argv[12] = NULL;
	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kernel_first_line(csv, line, sizeof line);
	cr_assert(strncmp(line, KERNEL_HEADER, strlen(KERNEL_HEADER)) == 0,
		  "%s", line);
	cr_assert(strstr(line, "shmem_kb,anon_pages_kb,buffers_kb,cached_kb,"
			       "hugetlb_kb") != NULL,
		  "%s", line);
	cr_assert_eq(tu_table_load(&t, csv), 0);
	cr_assert_eq(t.nrows, 2);
	cr_assert_float_eq(tu_table_num(&t, 0, "mem_available_kb"), 23986520,
			   0.5);
	cr_assert_float_eq(tu_table_num(&t, 1, "slab_unreclaim_kb"), 24528,
			   0.5);
	cr_assert_float_eq(tu_table_num(&t, 0, "unaccounted_kb"), 60816, 0.5);
	tu_table_free(&t);
	kernel_first_line(caches, line, sizeof line);
	cr_assert(strncmp(line, CACHES_HEADER, strlen(CACHES_HEADER)) == 0,
		  "%s", line);
	cr_assert_eq(kernel_cache_series(caches, "slab", "kmalloc-256", kb, 4),
		     2);
	cr_assert_float_eq(kb[0], 765 * 256 / 1024.0, 1e-3);
	cr_assert_eq(
	    kernel_cache_series(caches, "vmalloc", "kernel_clone", kb, 4), 2);
	cr_assert_float_eq(kb[1], 464 * 4, 1e-3);
	cr_assert(strstr(r.out, "slab_unreclaim_kb") != NULL, "%s", r.out);
	/* analyze reads it, finds no process column, and says why. */
	argv[1] = "analyze";
	argv[2] = csv;
	argv[3] = NULL;
	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "memtrend kernel CSV") != NULL, "%s", r.err);
	free(csv);
	free(caches);
}

/* Rewrites dst in place (same inode, as /proc files change) from src. */
static void
kernel_rewrite(const char *src, const char *dst)
{
	char *text;
	long n = root_read_alloc("/", src, &text);
	int fd = open(dst, O_WRONLY | O_TRUNC | O_CREAT, 0644);

	if (n < 0 || fd < 0 || write(fd, text, (size_t)n) != n)
		_exit(1);
	close(fd);
	free(text);
}

static void
kernel_copy_tree(const char *from, const char *to)
{
	static const char *const files[] = {"proc/meminfo", "proc/slabinfo",
					    "proc/vmallocinfo"};
	char a[2048], b[2048];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(a, sizeof a, "%s/%s", from, files[i]);
		snprintf(b, sizeof b, "%s/%s", to, files[i]);
		kernel_rewrite(a, b);
	}
}

Test(kernel, files_that_change_between_ticks_are_read_again)
{
	char t0[1024], t1[1024], proc[1100], *csv, *caches, *argv[16];
	const char *dir = tu_tmpdir();
	struct table t;
	struct run r;
	double kb[8];
	size_t n;
	pid_t p;
	int st;

	snprintf(t0, sizeof t0, "%s/kernel/tick0", tu_fixtures());
	snprintf(t1, sizeof t1, "%s/kernel/tick1", tu_fixtures());
	snprintf(proc, sizeof proc, "%s/proc", dir);
	cr_assert(mkdir(proc, 0755) == 0);
	kernel_copy_tree(t0, dir);
	csv = kernel_path(dir, "k.csv");
	caches = kernel_path(dir, "c.csv");
	p = fork();
	cr_assert(p >= 0);
	if (p == 0) {
		/* Between the second tick (0.5 s) and the third (1 s). */
		usleep(750000);
		kernel_copy_tree(t1, dir);
		_exit(0);
	}
	argv[0] = mt;
	argv[1] = "kernel";
	argv[2] = "--root";
	argv[3] = (char *)dir;
	argv[4] = "--every";
	argv[5] = "500ms";
	argv[6] = "--count";
	argv[7] = "4";
	argv[8] = "-o";
	argv[9] = csv;
	argv[10] = "--caches-csv";
	argv[11] = caches;
	argv[12] = "-q";
	argv[13] = NULL;
	tu_run(&r, argv, 20);
	waitpid(p, &st, 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(tu_table_load(&t, csv), 0);
	cr_assert_eq(t.nrows, 4);
	cr_assert_float_eq(tu_table_num(&t, 0, "slab_unreclaim_kb"), 24528,
			   0.5);
	cr_assert_float_eq(tu_table_num(&t, 3, "slab_unreclaim_kb"), 24778,
			   0.5);
	cr_assert_float_eq(tu_table_num(&t, 3, "vmalloc_used_kb"), 6180, 0.5);
	tu_table_free(&t);
	n = kernel_cache_series(caches, "slab", "kmalloc-256", kb, 8);
	cr_assert_eq(n, 4);
	cr_assert_float_eq(kb[0], 765 * 256 / 1024.0, 1e-3);
	cr_assert_float_eq(kb[3], 1765 * 256 / 1024.0, 1e-3);
	n = kernel_cache_series(caches, "vmalloc", "kernel_clone", kb, 8);
	cr_assert_eq(n, 4);
	cr_assert_float_eq(kb[3] - kb[0], 8 * 4 * 4, 1e-3);
	/* The summary names the cache that grew. */
	cr_assert(strstr(r.out, "kmalloc-256") != NULL, "%s", r.out);
	free(csv);
	free(caches);
}

Test(kernel, unreadable_slabinfo_is_said_once_and_the_rest_sampled)
{
	char root[1024], *csv, *caches, *argv[16], *nl;
	const char *dir = tu_tmpdir();
	struct table t;
	struct run r;

	snprintf(root, sizeof root, "%s/kernel/meminfo-only", tu_fixtures());
	csv = kernel_path(dir, "k.csv");
	caches = kernel_path(dir, "c.csv");
	argv[0] = mt;
	argv[1] = "kernel";
	argv[2] = "--root";
	argv[3] = root;
	argv[4] = "--every";
	argv[5] = "50ms";
	argv[6] = "--count";
	argv[7] = "3";
	argv[8] = "-o";
	argv[9] = csv;
	argv[10] = "-q";
	argv[11] = "--caches-csv";
	argv[12] = caches;
	argv[13] = NULL;
	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "slabinfo") != NULL, "%s", r.err);
	nl = strstr(r.err, "slabinfo");
	cr_assert_null(strstr(nl + 1, "/proc/slabinfo"), "said once: %s",
		       r.err);
	cr_assert(strstr(r.err, "vmallocinfo") != NULL, "%s", r.err);
	cr_assert_eq(tu_table_load(&t, csv), 0);
	cr_assert_eq(t.nrows, 3);
	cr_assert_float_eq(tu_table_num(&t, 2, "mem_available_kb"), 23986520,
			   0.5);
	tu_table_free(&t);
	cr_assert_eq(tu_table_load(&t, caches), 0);
	cr_assert_eq(t.nrows, 0, "no cache rows for what was not read");
	tu_table_free(&t);
	free(csv);
	free(caches);
}

Test(kernel, an_existing_output_is_refused_without_force)
{
	char root[1024], *csv, *argv[12];
	struct run r;
	FILE *fp;

	snprintf(root, sizeof root, "%s/kernel/tick0", tu_fixtures());
	csv = kernel_path(tu_tmpdir(), "k.csv");
	fp = fopen(csv, "w");
	fputs("keep\n", fp);
	fclose(fp);
	argv[0] = mt;
	argv[1] = "kernel";
	argv[2] = "--root";
	argv[3] = root;
	argv[4] = "--count";
	argv[5] = "1";
	argv[6] = "-o";
	argv[7] = csv;
	argv[8] = NULL;
	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--force") != NULL, "%s", r.err);
	argv[8] = "-f";
	argv[9] = "-q";
	argv[10] = NULL;
	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 0, "%s", r.err);
	free(csv);
}

Test(kernel, help_and_bad_options)
{
	char *argv[4] = {mt, "kernel", "--help", NULL};
	struct run r;

	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--caches-csv") != NULL);
	argv[2] = "--bogus";
	tu_run(&r, argv, 20);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--bogus") != NULL, "%s", r.err);
}

/* Socket pairs the live test can hold: 4000, or what the hard limit on
 * open files allows. */
static int
kernel_pairs(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 8064)
		return 4000;
	return rl.rlim_max > 64 ? (int)(rl.rlim_max - 64) / 2 : 0;
}

/* Holds ever more socket pairs until killed. */
static void
kernel_hold_sockets(int pairs)
{
	struct rlimit rl;
	int sv[2], i;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = (rlim_t)pairs * 2 + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	usleep(400000);
	for (i = 0; i < pairs; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
			break;
		if (i % 100 == 99)
			usleep(20000);
	}
	for (;;)
		pause();
}

Test(kernel, live_sockets_make_sock_inode_cache_grow)
{
	char *caches, *argv[16];
	struct run r;
	double kb[64], want;
	int pairs = kernel_pairs();
	size_t n;
	pid_t p;
	int st;

	if (geteuid() != 0)
		cr_skip_test("/proc/slabinfo needs root");
	if (pairs < 1000)
		cr_skip_test("the open-file limit allows %d socket pairs; the "
			     "test wants 1000",
			     pairs);
	caches = kernel_path(tu_tmpdir(), "c.csv");
	p = fork();
	cr_assert(p >= 0);
	if (p == 0)
		kernel_hold_sockets(pairs);
	argv[0] = mt;
	argv[1] = "kernel";
	argv[2] = "--every";
	argv[3] = "250ms";
	argv[4] = "--count";
	argv[5] = "12";
	argv[6] = "--caches-csv";
	argv[7] = caches;
	argv[8] = "-q";
	argv[9] = NULL;
	tu_run(&r, argv, 30);
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	n = kernel_cache_series(caches, "slab", "sock_inode_cache", kb, 64);
	cr_assert_eq(n, 12, "sock_inode_cache in every sample");
	/* Two socket inodes per pair, 832 bytes each here; at least 512
	 * bytes on any kernel. */
	want = pairs * 2 * 512 / 1024.0;
	cr_assert_gt(kb[n - 1] - kb[0], want, "grew %.0f KiB, want %.0f",
		     kb[n - 1] - kb[0], want);
	cr_assert(strstr(r.out, "sock_inode_cache") != NULL,
		  "the summary names it: %s", r.out);
	free(caches);
}

/* As nobody: meminfo reads, slabinfo and vmallocinfo refuse with a
 * message naming root. */
static bool
kernel_unprivileged(void *arg)
{
	struct slabinfo *si;
	struct vmallocinfo *vi;
	struct meminfo *m;
	struct ksample s = {0};
	struct error err;

	(void)arg;
	if (slabinfo_open(&si, "/", &err) != -EACCES ||
	    strstr(err.msg, "run as root") == NULL)
		return false;
	if (vmallocinfo_open(&vi, "/", &err) != -EACCES ||
	    strstr(err.msg, "run as root") == NULL)
		return false;
	if (meminfo_open(&m, "/", &err) != 0)
		return false;
	ksample_clear(&s);
	if (meminfo_sample(m, &s, &err) != 0 ||
	    !(s.value[KF_MEM_TOTAL_KB] > 0) || isnan(s.value[KF_SLAB_KB]))
		return false;
	meminfo_close(m);
	return true;
}

Test(kernel, without_root_meminfo_is_read_and_the_caches_say_why_not)
{
	if (geteuid() == 0 && access("/proc/slabinfo", R_OK) != 0)
		cr_skip_test("/proc/slabinfo is not readable even by root");
	cr_assert(tu_as_nobody(kernel_unprivileged, NULL),
		  "as nobody: "
		  "slabinfo/vmallocinfo must refuse with EACCES and a hint, "
		  "meminfo must read");
}
