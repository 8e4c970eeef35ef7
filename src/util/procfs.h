/*
 * The capture-only build's own /proc readers (the full build reads these
 * files through libproc2): "Key:   value kB" files (status,
 * smaps_rollup, meminfo) and the few /proc/PID/stat fields a capture
 * needs.  proc(5); Documentation/filesystems/proc.rst.  Pure functions
 * over text, so tests and the fuzz target feed them fixtures.
 *
 * A stat reader of our own, against the project's rule of reading stat
 * through libproc2: a device often has no procps-ng, and the capture
 * needs stat's start time (a PID's identity), state, flags, fault
 * counters and thread count, which no key:value file gives (and the
 * parent, for a process tree).  It reads those seven fields and nothing
 * else, and only this build uses it.
 */
#ifndef MEMTREND_UTIL_PROCFS_H
#define MEMTREND_UTIL_PROCFS_H

#include <stddef.h>

/* The number after "key:" at the start of a line of text (sizes are
 * in kB in these files); 0, or -ENOENT when the key is not there. */
int procfs_kv(const char *text, const char *key, double *value);

struct procfs_stat {
	char comm[64];
	char state;		  /* field 3 */
	long ppid;		  /* field 4 */
	unsigned long flags;	  /* field 9 */
	double minflt, majflt;	  /* fields 10, 12 */
	double threads;		  /* field 20 */
	unsigned long long start; /* field 22: start time, clock ticks */
};

/* 0, or -EINVAL when text is not a stat line. */
int procfs_stat(const char *text, struct procfs_stat *st);

#endif
