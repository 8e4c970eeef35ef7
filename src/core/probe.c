/*
 * The capability table memtrend --probe prints (see probe.h).  Each source
 * checks its own kernel interface and fills its rows; the interfaces and
 * where they are documented are listed in those sources.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/probe.h"
#include "util/root.h"

const struct probe_info probe_info[PROBE_COUNT] = {
    [PROBE_SMAPS_ROLLUP] = {"smaps_rollup", "RSS/PSS/USS totals every tick",
			    "none: memtrend cannot watch the process"},
    [PROBE_PAGEMAP_PFN] =
	{"pagemap PFNs", "exact page-level USS/PSS with kpagecount",
	 "presence and exclusivity from pagemap flags, PSS from smaps"},
    [PROBE_KPAGEFLAGS] =
	{"kpageflags",
	 "page kinds (THP, KSM, zero page) and referenced/active hints",
	 "smaps per-mapping counts"},
    [PROBE_KPAGECOUNT] = {"kpagecount", "PSS of shared pages at page level",
			  "smaps Pss"},
    [PROBE_PAGE_IDLE] =
	{"page_idle", "passive idle-page tracking",
	 "clear_refs 1 + smaps Referenced (unless --no-clear-refs)"},
    [PROBE_CLEAR_REFS] = {"clear_refs",
			  "resetting accessed / soft-dirty bits between scans",
			  "kpageflags referenced/active hints only"},
    [PROBE_SOFT_DIRTY] = {"soft-dirty", "pages written since the last scan",
			  "not reported"},
    [PROBE_PAGEMAP_SCAN] = {"PAGEMAP_SCAN",
			    "skipping absent ranges in page walks",
			    "plain pagemap reads"},
    [PROBE_PERF_FAULTS] = {"perf page faults",
			   "per-thread fault counts and fault addresses",
			   "/proc/PID/stat minflt/majflt counters"},
    [PROBE_CGROUP_MEMORY] = {"cgroup memory", "time until the cgroup limit",
			     "time until MemAvailable runs out only"},
};

void
probe_set(struct probe *p, enum probe_cap cap, bool ok, const char *fmt, ...)
{
	va_list ap;

	p->cap[cap].available = ok;
	va_start(ap, fmt);
	vsnprintf(p->cap[cap].detail, sizeof p->cap[cap].detail, fmt, ap);
	va_end(ap);
}

void
probe_pid_path(char *buf, size_t len, pid_t pid, const char *file)
{
	if (pid > 0)
		snprintf(buf, len, "/proc/%d/%s", (int)pid, file);
	else
		snprintf(buf, len, "/proc/self/%s", file);
}

const char *
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

int
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

void
probe_file(struct probe *p, enum probe_cap cap, const char *root,
	   const char *path, int flags, const char *missing)
{
	int fd = probe_open(p, cap, root, path, flags, missing);

	if (fd >= 0)
		close(fd);
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

void
probe_init(struct probe *p, pid_t pid)
{
	memset(p, 0, sizeof *p);
	p->pid = pid;
}
