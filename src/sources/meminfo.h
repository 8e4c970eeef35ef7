/*
 * The system-wide series of `memtrend kernel`, from /proc/meminfo
 * (Documentation/filesystems/proc.rst, "meminfo").  On the live system
 * they come through libproc2 (procps_meminfo(3)), which always reads the
 * real /proc/meminfo; under another root (a fixture tree) the file there
 * is parsed by meminfo_parse(), so tests see what the code computes.
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

#endif
