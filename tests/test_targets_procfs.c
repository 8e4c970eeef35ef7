/*
 * The capture-only build's target sets (src/sources/targets-procfs.c,
 * built into this test beside the full library, whose targets.c it
 * stands in for) on a fixture /proc tree: tests/fixtures/procscan/ has
 * init, a kernel thread, a web server with a worker, a zombie and a
 * shell under it, a process named web only by its argv[0], a child whose
 * pid is lower than its parent's, and a command name with ") ".
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/target.h"
#include "sources/targets.h"
#include "testutil.h"
#include "util/procfs.h"

static char root[PATH_MAX];

static void
setup(void)
{
	snprintf(root, sizeof root, "%s/procscan", tu_fixtures());
}

TestSuite(targets_procfs, .init = setup);

/* The pids a set finds, in order, as "a b c". */
static void
scan(const struct targets_spec *sp, char *out, size_t len)
{
	const struct targets_found *found;
	struct targets *ts;
	struct error err;
	long n, i;
	size_t used = 0;

	cr_assert_eq(targets_open(&ts, sp, &err), 0, "%s", err.msg);
	n = targets_scan(ts, &found, &err);
	cr_assert_geq(n, 0, "%s", err.msg);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%d",
					 i ? " " : "", (int)found[i].pid);
	targets_close(ts);
}

Test(targets_procfs, a_name_is_its_comm_or_argv0_not_a_zombie)
{
	struct targets_spec sp = {
	    .kind = TARGETS_NAME, .name = "web", .root = root};
	struct targets *ts;
	const struct targets_found *f;
	struct error err;

	cr_assert_eq(targets_open(&ts, &sp, &err), 0, "%s", err.msg);
	cr_assert_eq(targets_scan(ts, &f, &err), 3);
	cr_assert_eq(f[0].pid, 100);
	cr_assert_eq(f[1].pid, 101);
	cr_assert_eq(f[2].pid, 102); /* python3 running /opt/web */
	cr_assert_eq(f[0].start_ticks, 500);
	cr_assert_str_eq(f[0].comm, "web");
	cr_assert_str_eq(f[0].cmdline, "/usr/sbin/web --port 8080");
	cr_assert_str_eq(f[2].comm, "python3");
	/* Scanned again: the same, not appended. */
	cr_assert_eq(targets_scan(ts, &f, &err), 3);
	targets_close(ts);
}

Test(targets_procfs, hostile_and_missing_names)
{
	struct targets_spec sp = {
	    .kind = TARGETS_NAME, .name = "we) b", .root = root};
	char pids[256];

	scan(&sp, pids, sizeof pids);
	cr_assert_str_eq(pids, "300");
	sp.name = "kthreadd"; /* a kernel thread is never a target */
	scan(&sp, pids, sizeof pids);
	cr_assert_str_eq(pids, "");
	sp.name = "webhelper";
	scan(&sp, pids, sizeof pids);
	cr_assert_str_eq(pids, "50");
}

Test(targets_procfs, a_tree_is_its_root_and_every_descendant)
{
	struct targets_spec sp = {
	    .kind = TARGETS_TREE, .pid = 100, .root = root};
	char pids[256];

	/* 50's parent is 150, whose parent is 101: found in later passes. */
	scan(&sp, pids, sizeof pids);
	cr_assert_str_eq(pids, "50 100 101 150");
	sp.pid = 1;
	scan(&sp, pids, sizeof pids);
	cr_assert_str_eq(pids, "1 50 100 101 102 150 200 300");
	sp.pid = 4242; /* gone: nothing */
	scan(&sp, pids, sizeof pids);
	cr_assert_str_eq(pids, "");
}

/* A kernel thread's or a zombie's cmdline is empty on a live system, so
 * a scan does not read it (most of a scan's processes are kernel
 * threads): the fixture's pids 2 and 103 have one, never seen; a user
 * process's is read. */
Test(targets_procfs, kernel_threads_and_zombies_cmdline_not_read)
{
	struct procfs_stat st;
	struct target_proc p;
	char argv[256];

	cr_assert_eq(target_proc_read(root, 2, &st, &p, argv, sizeof argv), 0);
	cr_assert_null(p.argv0);
	cr_assert_str_eq(p.comm, "kthreadd");
	cr_assert_eq(target_proc_read(root, 103, &st, &p, argv, sizeof argv),
		     0);
	cr_assert_null(p.argv0);
	cr_assert_eq(p.state, 'Z');
	cr_assert_gt(target_proc_read(root, 100, &st, &p, argv, sizeof argv),
		     0);
	cr_assert_str_eq(p.argv0, "/usr/sbin/web");
}

Test(targets_procfs, other_sets_are_the_full_builds)
{
	struct targets_spec sp = {
	    .kind = TARGETS_CGROUP, .cgroup = "x", .root = root};
	struct targets *ts;
	struct error err;

	cr_assert_eq(targets_open(&ts, &sp, &err), -ENOTSUP);
	cr_assert(strstr(err.msg, "capture -n NAME") != NULL, "%s", err.msg);
}
