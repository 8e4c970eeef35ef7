/*
 * Capability probe.  Interfaces and where they are documented:
 *   smaps_rollup, clear_refs     Documentation/filesystems/proc.rst
 *   pagemap, kpageflags,
 *   kpagecount, PAGEMAP_SCAN     Documentation/admin-guide/mm/pagemap.rst
 *   page_idle bitmap             Documentation/admin-guide/mm/idle_page_tracking.rst
 *   soft-dirty                   Documentation/admin-guide/mm/soft-dirty.rst
 *   perf software events         perf_event_open(2)
 *   cgroup memory limits         Documentation/admin-guide/cgroup-v2.rst
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <linux/perf_event.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/compat/pagemap_scan.h"
#include "core/probe.h"
#include "sources/system.h"
#include "util/root.h"

const struct probe_info probe_info[PROBE_COUNT] = {
	[PROBE_SMAPS_ROLLUP] = { "smaps_rollup",
	    "RSS/PSS/USS totals every tick",
	    "none: memtrend needs Linux 4.14 or later" },
	[PROBE_PAGEMAP_PFN] = { "pagemap PFNs",
	    "exact page-level USS/PSS with kpagecount",
	    "presence and exclusivity from pagemap flags, PSS from smaps" },
	[PROBE_KPAGEFLAGS] = { "kpageflags",
	    "page kinds (THP, KSM, zero page) and referenced/active hints",
	    "smaps per-mapping counts" },
	[PROBE_KPAGECOUNT] = { "kpagecount",
	    "PSS of shared pages at page level", "smaps Pss" },
	[PROBE_PAGE_IDLE] = { "page_idle",
	    "passive idle-page tracking",
	    "clear_refs 1 + smaps Referenced (unless --no-clear-refs)" },
	[PROBE_CLEAR_REFS] = { "clear_refs",
	    "resetting accessed / soft-dirty bits between scans",
	    "kpageflags referenced/active hints only" },
	[PROBE_SOFT_DIRTY] = { "soft-dirty",
	    "pages written since the last scan",
	    "not reported" },
	[PROBE_PAGEMAP_SCAN] = { "PAGEMAP_SCAN",
	    "skipping absent ranges in page walks",
	    "plain pagemap reads" },
	[PROBE_PERF_FAULTS] = { "perf page faults",
	    "per-thread fault counts and fault addresses",
	    "/proc/PID/stat minflt/majflt counters" },
	[PROBE_CGROUP_MEMORY] = { "cgroup memory",
	    "time until the cgroup limit",
	    "time until MemAvailable runs out only" },
};

static void
probe_set(struct probe *p, enum probe_cap cap, bool ok, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
probe_set(struct probe *p, enum probe_cap cap, bool ok, const char *fmt, ...)
{
	va_list ap;

	p->cap[cap].available = ok;
	va_start(ap, fmt);
	vsnprintf(p->cap[cap].detail, sizeof p->cap[cap].detail, fmt, ap);
	va_end(ap);
}

/* ROOT/proc/PID/<file> (or /proc/self/<file>) into buf. */
static void
probe_pid_path(char *buf, size_t len, pid_t pid, const char *file)
{
	if (pid > 0)
		snprintf(buf, len, "/proc/%d/%s", (int)pid, file);
	else
		snprintf(buf, len, "/proc/self/%s", file);
}

static const char *
probe_why(int code, const char *missing)
{
	switch (code) {
	case ENOENT:
		return missing;
	case EACCES:
	case EPERM:
		return "permission denied: run as root";
	default:
		return strerror(code);
	}
}

/* Opens a file and reports whether that worked; returns the fd or -errno. */
static int
probe_open(struct probe *p, enum probe_cap cap, const char *root,
    const char *path, int flags, const char *missing)
{
	int fd = root_open(root, path, flags);

	if (fd < 0)
		probe_set(p, cap, false, "%s: %s", path,
		    probe_why(-fd, missing));
	else
		probe_set(p, cap, true, "%s", path);
	return fd;
}

bool
probe_has_capability(const char *root, int cap)
{
	char buf[4096], *line;
	uint64_t eff;

	if (root_read_file(root, "/proc/self/status", buf, sizeof buf) < 0)
		return false;
	line = strstr(buf, "\nCapEff:");
	if (line == NULL || sscanf(line + 8, "%" SCNx64, &eff) != 1)
		return false;
	return (eff >> cap) & 1;
}

static void
probe_pagemap(struct probe *p, const char *root)
{
	struct pm_scan_arg arg;
	struct page_region region;
	char path[64];
	int fd;

	probe_pid_path(path, sizeof path, p->pid, "pagemap");
	fd = probe_open(p, PROBE_PAGEMAP_PFN, root, path, O_RDONLY,
	    "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
	if (fd < 0) {
		probe_set(p, PROBE_PAGEMAP_SCAN, false, "%s",
		    p->cap[PROBE_PAGEMAP_PFN].detail);
		return;
	}
	if (probe_has_capability(root, PROBE_CAP_SYS_ADMIN))
		probe_set(p, PROBE_PAGEMAP_PFN, true, "%s: CAP_SYS_ADMIN held",
		    path);
	else
		probe_set(p, PROBE_PAGEMAP_PFN, false, "%s: PFNs read as zero "
		    "without CAP_SYS_ADMIN (run as root)", path);

	/* A one-page scan at address 0: any kernel with the ioctl accepts
	 * it; older kernels (and fixture files) answer ENOTTY. */
	memset(&arg, 0, sizeof arg);
	arg.size = sizeof arg;
	arg.start = 0;
	arg.end = (uint64_t)sysconf(_SC_PAGESIZE);
	arg.vec = (uintptr_t)&region;
	arg.vec_len = 1;
	arg.return_mask = PAGE_IS_PRESENT;
	if (ioctl(fd, PAGEMAP_SCAN, &arg) >= 0)
		probe_set(p, PROBE_PAGEMAP_SCAN, true, "ioctl on %s works",
		    path);
	else if (errno == ENOTTY || errno == EINVAL)
		probe_set(p, PROBE_PAGEMAP_SCAN, false, "kernel lacks the "
		    "PAGEMAP_SCAN ioctl (Linux 6.7 or later)");
	else
		probe_set(p, PROBE_PAGEMAP_SCAN, false, "ioctl on %s: %s",
		    path, strerror(errno));
	close(fd);
}

/* A VMA created on a kernel with CONFIG_MEM_SOFT_DIRTY carries VM_SOFTDIRTY,
 * shown as "sd" in its smaps VmFlags; without the option the flag does not
 * exist.  Mapping a fresh page first makes sure one new VMA is there. */
static void
probe_soft_dirty(struct probe *p, const char *root)
{
	char path[64], *smaps, *flags;
	bool found = false;
	void *fresh = MAP_FAILED;
	long n;

	if (p->pid == 0 && root_is_live(root))
		fresh = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh != MAP_FAILED)
		*(volatile char *)fresh = 1;
	probe_pid_path(path, sizeof path, p->pid, "smaps");
	n = root_read_alloc(root, path, &smaps);
	if (fresh != MAP_FAILED)
		munmap(fresh, 4096);
	if (n < 0) {
		probe_set(p, PROBE_SOFT_DIRTY, false, "%s: %s", path,
		    probe_why((int)-n, "missing"));
		return;
	}
	for (flags = strstr(smaps, "VmFlags:"); flags != NULL && !found;
	    flags = strstr(flags + 8, "VmFlags:")) {
		size_t len = strcspn(flags, "\n");
		char line[256];

		snprintf(line, sizeof line, "%.*s ", (int)len, flags);
		found = strstr(line, " sd ") != NULL;
	}
	free(smaps);
	if (!found)
		probe_set(p, PROBE_SOFT_DIRTY, false, "no 'sd' in %s VmFlags: "
		    "kernel built without CONFIG_MEM_SOFT_DIRTY", path);
	else if (!p->cap[PROBE_CLEAR_REFS].available)
		probe_set(p, PROBE_SOFT_DIRTY, false, "kernel has it, but %s",
		    p->cap[PROBE_CLEAR_REFS].detail);
	else
		probe_set(p, PROBE_SOFT_DIRTY, true, "VmFlags 'sd' in %s",
		    path);
}

static void
probe_perf(struct probe *p, const char *root)
{
	struct perf_event_attr attr;
	char buf[32];
	long paranoid;
	bool privileged;
	int fd;

	if (root_read_file(root, "/proc/sys/kernel/perf_event_paranoid", buf,
	    sizeof buf) < 0) {
		probe_set(p, PROBE_PERF_FAULTS, false, "no perf_event_paranoid:"
		    " kernel built without CONFIG_PERF_EVENTS");
		return;
	}
	paranoid = strtol(buf, NULL, 10);
	privileged = probe_has_capability(root, PROBE_CAP_PERFMON) ||
	    probe_has_capability(root, PROBE_CAP_SYS_ADMIN);
	if (!privileged && paranoid > 2) {
		probe_set(p, PROBE_PERF_FAULTS, false, "perf_event_paranoid is "
		    "%ld: needs CAP_PERFMON or perf_event_paranoid <= 2",
		    paranoid);
		return;
	}
	if (!root_is_live(root)) {
		probe_set(p, PROBE_PERF_FAULTS, true, "perf_event_paranoid %ld%s",
		    paranoid, privileged ? ", CAP_PERFMON held" :
		    " (own processes only)");
		return;
	}
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_PAGE_FAULTS_MIN;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	fd = (int)syscall(SYS_perf_event_open, &attr, p->pid, -1, -1, 0);
	if (fd < 0) {
		probe_set(p, PROBE_PERF_FAULTS, false, "perf_event_open: %s "
		    "(perf_event_paranoid %ld)", strerror(errno), paranoid);
		return;
	}
	close(fd);
	probe_set(p, PROBE_PERF_FAULTS, true, "software page-fault events "
	    "(perf_event_paranoid %ld%s)", paranoid,
	    privileged ? ", privileged" : ", own processes only");
}

/* The limit file of one cgroup version, if it can be read. */
static bool
probe_cgroup_file(const char *root, const char *base, const char *cg,
    const char *name, char *file, size_t len, char *limit, size_t llen)
{
	if (cg[0] == '\0')
		return false;
	snprintf(file, len, "%s%s%s%s", base, cg, strcmp(cg, "/") == 0 ? "" :
	    "/", name);
	return root_read_file(root, file, limit, llen) >= 0;
}

/* Finds the process's memory cgroup (v2 unified, or v1 "memory") and its
 * limit file. */
static void
probe_cgroup(struct probe *p, const char *root)
{
	char path[64], buf[4096], file[1024], limit[64], v2[512], v1[512];
	const char *kind;

	probe_pid_path(path, sizeof path, p->pid, "cgroup");
	if (root_read_file(root, path, buf, sizeof buf) < 0) {
		probe_set(p, PROBE_CGROUP_MEMORY, false, "%s: unreadable", path);
		return;
	}
	system_parse_cgroup(buf, v2, sizeof v2, v1, sizeof v1);
	if (probe_cgroup_file(root, "/sys/fs/cgroup", v2, "memory.max", file,
	    sizeof file, limit, sizeof limit))
		kind = "v2";
	else if (probe_cgroup_file(root, "/sys/fs/cgroup/memory", v1,
	    "memory.limit_in_bytes", file, sizeof file, limit, sizeof limit))
		kind = "v1";
	else {
		probe_set(p, PROBE_CGROUP_MEMORY, false, "no memory controller "
		    "limit file found for %s", path);
		return;
	}
	limit[strcspn(limit, "\n")] = '\0';
	if (isnan(system_parse_kb(limit)))
		probe_set(p, PROBE_CGROUP_MEMORY, true, "cgroup %s %s: no "
		    "limit set", kind, file);
	else
		probe_set(p, PROBE_CGROUP_MEMORY, true, "cgroup %s %s = %s "
		    "bytes", kind, file, limit);
}

void
probe_run(struct probe *p, const char *root, pid_t pid)
{
	char path[64];
	int fd;

	memset(p, 0, sizeof *p);
	p->pid = pid;

	probe_pid_path(path, sizeof path, pid, "smaps_rollup");
	fd = probe_open(p, PROBE_SMAPS_ROLLUP, root, path, O_RDONLY,
	    "missing (Linux 4.14 or later needed)");
	if (fd >= 0)
		close(fd);

	probe_pagemap(p, root);

	fd = probe_open(p, PROBE_KPAGEFLAGS, root, "/proc/kpageflags",
	    O_RDONLY, "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
	if (fd >= 0)
		close(fd);
	fd = probe_open(p, PROBE_KPAGECOUNT, root, "/proc/kpagecount",
	    O_RDONLY, "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
	if (fd >= 0)
		close(fd);
	fd = probe_open(p, PROBE_PAGE_IDLE, root,
	    "/sys/kernel/mm/page_idle/bitmap", O_RDWR,
	    "missing (kernel built without CONFIG_IDLE_PAGE_TRACKING)");
	if (fd >= 0)
		close(fd);

	probe_pid_path(path, sizeof path, pid, "clear_refs");
	fd = probe_open(p, PROBE_CLEAR_REFS, root, path, O_WRONLY,
	    "missing (kernel built without CONFIG_PROC_PAGE_MONITOR)");
	if (fd >= 0)
		close(fd);

	probe_soft_dirty(p, root);
	probe_perf(p, root);
	probe_cgroup(p, root);
}
