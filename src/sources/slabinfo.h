/*
 * Slab caches from /proc/slabinfo, version 2.1 (slabinfo(5);
 * mm/slab_common.c).  Per cache: the memory its objects in use take
 * (active_objs x objsize) and the pages its slabs hold (num_slabs x
 * pagesperslab).  Whether the cache is reclaimable comes from SLUB's
 * /sys/kernel/slab/NAME/reclaim_account.  Reading slabinfo needs root.
 */
#ifndef MEMTREND_SOURCES_SLABINFO_H
#define MEMTREND_SOURCES_SLABINFO_H

#include <stddef.h>

#include "core/kernel.h"
#include "util/error.h"

/* Lines a parse skipped. */
struct slabinfo_skipped {
	unsigned long lines;
	char first[96]; /* the first of them, cut, made printable */
};

/* Appends one KCACHE_SLAB row per cache of text (a whole slabinfo file)
 * to out; page_kb is the page size in KiB.  A line that does not parse
 * (cut short, a number missing) is skipped and counted.  Returns 0, or
 * -EPROTO when the version is not 2.1 (nothing appended). */
int slabinfo_parse(const char *text, double page_kb, struct kcache_list *out,
		   struct slabinfo_skipped *skipped, struct error *err);

struct slabinfo;

/* Opens root/proc/slabinfo; -errno (EACCES for a user) with a message
 * saying what is missing.  Nothing is allocated on failure. */
int slabinfo_open(struct slabinfo **out, const char *root, struct error *err);
/* Re-reads the file and appends its rows to s->caches (s->slab_read
 * says it did).  Returns 0, or -errno with a message (an unknown
 * version: -EPROTO). */
int slabinfo_sample(struct slabinfo *si, struct ksample *s, struct error *err);
/* A one-line note about skipped lines or unknown reclaimability, once;
 * NULL when there is nothing (new) to say. */
const char *slabinfo_note(struct slabinfo *si);
void slabinfo_close(struct slabinfo *si);

#endif
