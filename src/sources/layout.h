/*
 * Tiers 2 and 3: the target's memory layout as regions.  Reads the
 * mappings (smaps, or maps when pagemap supplies the counts), the threads'
 * stack pointers, and for tier 3 walks pagemap, then groups everything
 * into the regions of regions.h.
 */
#ifndef MEMTREND_SOURCES_LAYOUT_H
#define MEMTREND_SOURCES_LAYOUT_H

#include <stdbool.h>

#include "error.h"
#include "regions.h"
#include "sample.h"
#include "target.h"

struct layout;

int layout_open(struct layout **out, const struct target *t,
    const char *root, enum region_group group, bool pages,
    struct error *err);

/* Tier 2: regions from smaps.  Points s->regions at the layout's set.
 * Returns 0, -ESRCH when the target went away (s->partial then says
 * whether some regions were read), or another -errno. */
int layout_sample_smaps(struct layout *l, struct sample *s,
    struct error *err);

/* Tier 3: regions from a pagemap walk (PSS from smaps without PFNs). */
int layout_sample_pages(struct layout *l, struct sample *s,
    struct error *err);

/* After a region sample that was not cut short: fills the PSS/USS totals
 * (and swap PSS and THP from smaps) that smaps_rollup did not supply this
 * tick, as the sums over the regions -- the same pages, counted the same
 * way. */
void layout_fill_totals(const struct layout *l, struct sample *s);

/* What the page walk cannot see here (no PFNs, no kpagecount) and what
 * it does instead, in one line; NULL when it sees everything. */
const char *layout_pages_note(const struct layout *l);

void layout_close(struct layout *l);

#endif
