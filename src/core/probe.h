/*
 * What this kernel and these privileges allow (memtrend --probe, a
 * contract in DESIGN.md).  Every check reads files under the root, so
 * tests feed fixture trees; checks that need the live kernel (an ioctl, a
 * perf event) run only when the root is "/" or fail as on a kernel
 * without the feature.
 */
#ifndef MEMTREND_PROBE_H
#define MEMTREND_PROBE_H

#include <stdbool.h>
#include <sys/types.h>

enum probe_cap {
	PROBE_SMAPS_ROLLUP,
	PROBE_PAGEMAP_PFN,
	PROBE_KPAGEFLAGS,
	PROBE_KPAGECOUNT,
	PROBE_PAGE_IDLE,
	PROBE_CLEAR_REFS,
	PROBE_SOFT_DIRTY,
	PROBE_PAGEMAP_SCAN,
	PROBE_PERF_FAULTS,
	PROBE_CGROUP_MEMORY,
	PROBE_COUNT
};

struct probe_info {
	const char *name;
	const char *gives;	/* what memtrend uses it for */
	const char *fallback;	/* what memtrend does without it */
};

extern const struct probe_info probe_info[PROBE_COUNT];

struct probe_result {
	bool available;
	char detail[200];	/* why, or what was found */
};

struct probe {
	pid_t pid;		/* the process probed; 0 for memtrend itself */
	struct probe_result cap[PROBE_COUNT];
};

/* Probes everything for pid (0: memtrend's own process). */
void probe_run(struct probe *p, const char *root, pid_t pid);

#define PROBE_CAP_SYS_ADMIN 21
#define PROBE_CAP_PERFMON 38

/* True when the effective capability set of memtrend (from
 * ROOT/proc/self/status CapEff) holds capability number cap. */
bool probe_has_capability(const char *root, int cap);

#endif
