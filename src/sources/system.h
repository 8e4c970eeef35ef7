/*
 * Tier 0 source: the system context a growth rate is measured against --
 * MemAvailable, and the memory limit and usage of the target's cgroup --
 * so the verdict can say when memory would run out.  Unknown stays NAN
 * (an empty CSV cell).
 */
#ifndef MEMTREND_SOURCES_SYSTEM_H
#define MEMTREND_SOURCES_SYSTEM_H

#include <stddef.h>
#include <sys/types.h>

#include "core/sample.h"

struct system;

/* Finds pid's memory cgroup under root and the tightest limit among it
 * and its parents.  Nothing here is fatal: what cannot be found is
 * reported as unknown. */
struct system *system_open(const char *root, pid_t pid);

/* The same for a cgroup watched as a set (--cgroup DIR, a path under
 * root): its own usage (memory.current, or v1's memory.usage_in_bytes)
 * whether limited or not, and its own limit. */
struct system *system_open_cgroup(const char *root, const char *dir);

/* Fills mem_available_kb (unless s already has it), cgroup_limit_kb and
 * cgroup_usage_kb. */
void system_sample(struct system *sy, struct sample *s);

void system_close(struct system *sy);

/* The memory cgroup paths in a /proc/PID/cgroup text: the v2 path (the
 * "0::" line) and the v1 "memory" controller's path; "" when absent. */
void system_parse_cgroup(const char *text, char *v2, size_t v2len, char *v1,
			 size_t v1len);

/* A limit or usage file's text in KiB; NAN for "max", for v1's
 * "unlimited" (a number of 2^62 or more) and for anything unreadable. */
double system_parse_kb(const char *text);

struct probe;
/* The cgroup memory row of memtrend --probe (Documentation/admin-guide/
 * cgroup-v2.rst). */
void system_probe(struct probe *p, const char *root);

#endif
