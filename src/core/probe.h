/*
 * What this kernel and these privileges allow (memtrend --probe, a
 * contract in DESIGN.md): the table of capabilities and the helpers each
 * source uses to fill its own rows (rollup_probe, pagemap_probe,
 * idle_probe, faults_probe, system_probe); cmd-probe.c asks them all.
 * Every check reads files under the root, so
 * tests feed fixture trees; checks that need the live kernel (an ioctl, a
 * perf event) run only when the root is "/" or fail as on a kernel
 * without the feature.
 */
#ifndef MEMTREND_PROBE_H
#define MEMTREND_PROBE_H

#include <stdbool.h>
#include <stddef.h>
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
	const char *gives;    /* what memtrend uses it for */
	const char *fallback; /* what memtrend does without it */
};

extern const struct probe_info probe_info[PROBE_COUNT];

struct probe_result {
	bool available;
	char detail[200]; /* why, or what was found */
};

struct probe {
	pid_t pid; /* the process probed; 0 for memtrend itself */
	struct probe_result cap[PROBE_COUNT];
};

/* Empties p for pid (0: memtrend's own process); the sources' *_probe()
 * functions then fill their rows. */
void probe_init(struct probe *p, pid_t pid);

/* Sets one row: available or not, and why (or what was found). */
void probe_set(struct probe *p, enum probe_cap cap, bool ok, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));
/* /proc/PID/<file> of the probed process (or /proc/self/<file>) into buf. */
void probe_pid_path(char *buf, size_t len, pid_t pid, const char *file);
/* Words for an errno of an open: missing (ENOENT), permission, other. */
const char *probe_why(int code, const char *missing);
/* Opens ROOT/path and sets row cap by whether that worked; returns the fd
 * or -errno. */
int probe_open(struct probe *p, enum probe_cap cap, const char *root,
	       const char *path, int flags, const char *missing);
/* probe_open(), then closes the file. */
void probe_file(struct probe *p, enum probe_cap cap, const char *root,
		const char *path, int flags, const char *missing);

#define PROBE_CAP_SYS_ADMIN 21
#define PROBE_CAP_PERFMON 38

/* True when the effective capability set of memtrend (from
 * ROOT/proc/self/status CapEff) holds capability number cap. */
bool probe_has_capability(const char *root, int cap);

#endif
