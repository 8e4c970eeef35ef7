/*
 * MemAvailable from /proc/meminfo (Documentation/filesystems/proc.rst),
 * for the system context of every sample: memavail-proc2.c reads it
 * through libproc2 (procps_meminfo(3)), memavail-procfs.c -- the
 * capture-only build's -- with the project's own key:value reader.
 */
#ifndef MEMTREND_SOURCES_MEMAVAIL_H
#define MEMTREND_SOURCES_MEMAVAIL_H

struct memavail;

/* NULL when /proc/meminfo cannot be read. */
struct memavail *memavail_open(void);
/* KiB; NAN when unknown. */
double memavail_kb(struct memavail *m);
void memavail_close(struct memavail *m);

#endif
