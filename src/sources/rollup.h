/*
 * Tier 0/1 source: per-process totals through libproc2 -- smaps_rollup
 * (RSS, PSS, USS, anon, swap), status (RssShmem) and stat (faults,
 * threads, and the start time that proves the PID is still our process).
 */
#ifndef MEMTREND_SOURCES_ROLLUP_H
#define MEMTREND_SOURCES_ROLLUP_H

#include "error.h"
#include "sample.h"
#include "target.h"

struct rollup;

int rollup_open(struct rollup **out, struct error *err);

/*
 * Fills the totals of s.  Returns 0, -ESRCH when the target has exited
 * (or is a zombie), or -ESTALE when its PID now names another process.
 * When smaps_rollup could not be read the memory fields stay NAN.
 */
int rollup_sample(struct rollup *r, const struct target *t, struct sample *s,
    struct error *err);

void rollup_close(struct rollup *r);

#endif
