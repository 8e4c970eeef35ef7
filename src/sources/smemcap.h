/*
 * smemcap tarballs: what embedded users already collect (smem's capture
 * tool writes a tar of each process's /proc/PID/smaps, cmdline and stat,
 * and /proc/meminfo).  One tarball is one moment; each process in it
 * becomes a sample (RSS, PSS, USS, anon, swap summed over its smaps).
 * Read with libarchive (archive_read_support_format_all(3)), so a
 * gzip'd tarball reads too; smemcap-none.c stands in when memtrend was
 * built without it.
 */
#ifndef MEMTREND_SOURCES_SMEMCAP_H
#define MEMTREND_SOURCES_SMEMCAP_H

#include <stdbool.h>

#include "core/sample.h"
#include "util/error.h"

/* One process of a tarball: s->pid, s->wall_s (the tarball's time: its
 * newest member's mtime, else the file's) and the sizes; name is its
 * argv[0] (or "" when the tarball had no cmdline). */
typedef int (*smemcap_fn)(void *ctx, const char *name, const struct sample *s);

/* Reads one tarball; 0, or -errno with err filled (which file, what). */
int smemcap_read(const char *path, smemcap_fn fn, void *ctx, struct error *err);

/* Whether this memtrend reads smemcap tarballs (built with libarchive). */
bool smemcap_available(void);

#endif
