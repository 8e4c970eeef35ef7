/*
 * Tiers 0 and 1: per-process totals through libproc2 -- status (RSS and
 * its anon/file/shmem parts, swap: O(1)), stat (faults, threads, and the
 * start time that proves the PID is still our process: O(1)), and
 * smaps_rollup (PSS, USS: a walk of every page table).
 */
#ifndef MEMTREND_SOURCES_ROLLUP_H
#define MEMTREND_SOURCES_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sample.h"
#include "core/target.h"
#include "util/error.h"

struct rollup;

int rollup_open(struct rollup **out, struct error *err);

/*
 * Fills the totals of s: the stat/status ones (tier 0) always, and the
 * smaps_rollup ones (tier 1: PSS, USS, ...) when with_smaps is set.  Returns 0,
 * -ESRCH when the target has exited (or is a zombie; s->partial is set when it
 * was caught releasing its memory, the sizes then NAN), or -ESTALE when its PID
 * now names another process. When smaps_rollup could not be read the memory
 * fields stay NAN.
 */
int rollup_sample(struct rollup *r, const struct target *t, bool with_smaps,
		  struct sample *s, struct error *err);

void rollup_close(struct rollup *r);

struct probe;
/* The smaps_rollup row of memtrend --probe (Documentation/filesystems/
 * proc.rst). */
void rollup_probe(struct probe *p, const char *root);

#endif
