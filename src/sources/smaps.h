/*
 * Tier 2 source: the process's mappings from /proc/PID/maps (layout only,
 * cheap) or /proc/PID/smaps (layout plus per-mapping page counts, one page
 * walk).  The parser is a pure function over the text, shared by both.
 */
#ifndef MEMTREND_SOURCES_SMAPS_H
#define MEMTREND_SOURCES_SMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mapping.h"
#include "util/error.h"

/* Parses maps or smaps text into list (emptied first).  Returns 0 or
 * -EINVAL naming the line that could not be read. */
int smaps_parse(const char *text, struct mapping_list *list, struct error *err);

#endif
