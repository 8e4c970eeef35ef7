/*
 * The capability probe against fixture trees under a test root, and its
 * agreement with the running kernel (src/cmd/cmd-probe.c, each
 * source's *_probe()).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd-probe.h"
#include "testutil.h"

static void
probe_fixture(struct probe *p, const char *name)
{
	char root[512];

	snprintf(root, sizeof root, "%s/probe/%s", tu_fixtures(), name);
	cr_assert_eq(access(root, F_OK), 0, "no fixture %s", root);
	cmd_probe_collect(p, root, 0);
}

#define assert_cap(p, which, ok, text)                                         \
	do {                                                                   \
		cr_assert_eq((p)->cap[which].available, ok, "%s: %s",          \
			     probe_info[which].name, (p)->cap[which].detail);  \
		cr_assert(strstr((p)->cap[which].detail, text) != NULL,        \
			  "%s: '%s' lacks '%s'", probe_info[which].name,       \
			  (p)->cap[which].detail, text);                       \
	} while (0)

Test(probe, full_kernel_as_root)
{
	struct probe p;

	probe_fixture(&p, "full");
	assert_cap(&p, PROBE_SMAPS_ROLLUP, true, "/proc/self/smaps_rollup");
	assert_cap(&p, PROBE_PAGEMAP_PFN, true, "CAP_SYS_ADMIN");
	assert_cap(&p, PROBE_KPAGEFLAGS, true, "/proc/kpageflags");
	assert_cap(&p, PROBE_KPAGECOUNT, true, "/proc/kpagecount");
	assert_cap(&p, PROBE_PAGE_IDLE, true, "page_idle/bitmap");
	assert_cap(&p, PROBE_CLEAR_REFS, true, "clear_refs");
	assert_cap(&p, PROBE_SOFT_DIRTY, true, "'sd'");
	/* A regular file answers the ioctl as an old kernel would. */
	assert_cap(&p, PROBE_PAGEMAP_SCAN, false, "Linux 6.7");
	assert_cap(&p, PROBE_PERF_FAULTS, true, "perf_event_paranoid 2");
	assert_cap(&p, PROBE_CGROUP_MEMORY, true,
		   "v2 /sys/fs/cgroup/system.slice/web.service/memory.max = "
		   "2147483648 bytes");
}

Test(probe, minimal_kernel_unprivileged)
{
	struct probe p;

	probe_fixture(&p, "minimal");
	assert_cap(&p, PROBE_SMAPS_ROLLUP, true, "smaps_rollup");
	assert_cap(&p, PROBE_PAGEMAP_PFN, false, "without CAP_SYS_ADMIN");
	assert_cap(&p, PROBE_KPAGEFLAGS, false, "CONFIG_PROC_PAGE_MONITOR");
	assert_cap(&p, PROBE_KPAGECOUNT, false, "missing");
	assert_cap(&p, PROBE_PAGE_IDLE, false, "CONFIG_IDLE_PAGE_TRACKING");
	assert_cap(&p, PROBE_SOFT_DIRTY, false, "CONFIG_MEM_SOFT_DIRTY");
	assert_cap(&p, PROBE_PERF_FAULTS, false, "perf_event_paranoid is 3");
	assert_cap(&p, PROBE_CGROUP_MEMORY, true,
		   "v1 /sys/fs/cgroup/memory/"
		   "user/app/memory.limit_in_bytes: no limit set");
}

Test(probe, missing_process_files)
{
	struct probe p;
	char root[512];

	snprintf(root, sizeof root, "%s/probe/full", tu_fixtures());
	cmd_probe_collect(&p, root, 999999);
	assert_cap(&p, PROBE_SMAPS_ROLLUP, false, "/proc/999999/smaps_rollup");
	assert_cap(&p, PROBE_PAGEMAP_PFN, false, "/proc/999999/pagemap");
	assert_cap(&p, PROBE_CGROUP_MEMORY, false, "unreadable");
}

/* On the running kernel, each verdict matches what the files say. */
Test(probe, live_matches_this_kernel)
{
	struct probe p;
	bool idle = access("/sys/kernel/mm/page_idle/bitmap", R_OK | W_OK) == 0;

	cmd_probe_collect(&p, "/", 0);
	cr_assert(p.cap[PROBE_SMAPS_ROLLUP].available);
	cr_assert_eq(p.cap[PROBE_PAGE_IDLE].available, idle, "%s",
		     p.cap[PROBE_PAGE_IDLE].detail);
	cr_assert_eq(p.cap[PROBE_KPAGEFLAGS].available,
		     access("/proc/kpageflags", R_OK) == 0);
	cr_assert_eq(p.cap[PROBE_PAGEMAP_PFN].available,
		     probe_has_capability("/", 21));
	if (!p.cap[PROBE_SOFT_DIRTY].available)
		cr_log_info("soft-dirty here: %s",
			    p.cap[PROBE_SOFT_DIRTY].detail);
}
