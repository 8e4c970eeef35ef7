/*
 * The libproc2 side of rollup.c that sources/targets.c shares: apart from
 * rollup.h so that header stays free of libproc2 for the capture-only
 * build, whose rollup-procfs.c implements rollup.h without it.
 */
#ifndef MEMTREND_SOURCES_ROLLUP_ITEMS_H
#define MEMTREND_SOURCES_ROLLUP_ITEMS_H

#include <libproc2/pids.h>
#include <stdbool.h>
#include <stddef.h>

/* The stat/status items of tier 0, for a reader that lists processes
 * with them after its own items (sources/targets.c), and their values
 * from a stack whose items from base on are these.  False when the
 * process has no address space left (exiting): sizes unknown. */
extern const enum pids_item *const rollup_tier0_items;
extern const size_t rollup_ntier0;
bool rollup_tier0_values(struct pids_stack *st, int base, double *v);

#endif
