/*
 * The system-wide series of `memtrend kernel` and `capture --system`,
 * from /proc/meminfo (Documentation/filesystems/proc.rst, "meminfo").  On
 * the live system they come through the back end: libproc2
 * (procps_meminfo(3), meminfo-proc2.c) in the full build, the file read
 * and parsed by meminfo_parse() in the capture-only build
 * (meminfo-procfs.c); under another root (a fixture tree) the file there
 * is parsed, so tests see what the code computes.
 */
#ifndef MEMTREND_SOURCES_MEMINFO_H
#define MEMTREND_SOURCES_MEMINFO_H

#include "core/kernel.h"
#include "util/error.h"

struct meminfo;

int meminfo_open(struct meminfo **out, const char *root, struct error *err);
/* Fills the KF_* values of s (unaccounted_kb from the others); a value
 * the file did not have stays NAN.  Returns 0 or -errno. */
int meminfo_sample(struct meminfo *m, struct ksample *s, struct error *err);
void meminfo_close(struct meminfo *m);

/* Parses /proc/meminfo text ("Key:   123 kB" lines) into value[KF_*];
 * keys it does not know are ignored, fields it does not find stay NAN.
 * Returns the number of fields found. */
int meminfo_parse(const char *text, double value[KF_COUNT]);

/* MemTotal minus the accounted counters (kfield_accounted); NAN when any
 * of them is unknown. */
double meminfo_unaccounted(const double value[KF_COUNT]);

/* The back end: the live /proc/meminfo, its values into value[KF_*]
 * (NAN, or 0 through libproc2, for a line the kernel does not have). */
struct meminfo_live;

int meminfo_live_open(struct meminfo_live **out, struct error *err);
int meminfo_live_sample(struct meminfo_live *l, double value[KF_COUNT],
			struct error *err);
void meminfo_live_close(struct meminfo_live *l);

#endif
