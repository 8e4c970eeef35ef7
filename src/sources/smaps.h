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

/* The same parser as a stream, so a big smaps never has to be held whole:
 * smaps_parse_lines() parses the complete lines of buf[0, n) (with last,
 * the rest too, as a final line) and returns the bytes it used, or
 * -EINVAL; the caller keeps the rest for the next call.  The mappings'
 * kb pointers are set by the last call. */
struct smaps_parser {
	struct mapping_list *list;
	unsigned long lineno;
};

void smaps_parser_init(struct smaps_parser *sp, struct mapping_list *list);
long smaps_parse_lines(struct smaps_parser *sp, const char *buf, size_t n,
		       bool last, struct error *err);

/*
 * Reads maps or smaps from fd (from offset 0) through buf, a fixed buffer
 * of cap bytes that must hold the longest line (SMAPS_READ_BUF is enough:
 * a path is at most PATH_MAX), parsing as it goes.  0, -ESRCH when the
 * process has exited (nothing to read), -EINVAL (err says which line) or
 * another -errno.
 */
#define SMAPS_READ_BUF 65536
int smaps_read(int fd, char *buf, size_t cap, struct mapping_list *list,
	       struct error *err);

#endif
