/*
 * Units people type and read: intervals ("250ms", "5m"), sizes ("64M"),
 * percentages ("1%"), and KiB / durations printed in human units.
 */
#ifndef MEMTREND_UNITS_H
#define MEMTREND_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define UNITS_NS_PER_S 1000000000ULL

/* "250ms", "1s", "1.5s", "5m", "1h", "2d"; a bare number is seconds. */
int units_parse_duration(const char *text, uint64_t *ns, struct error *err);

/* "4096", "512K", "64M", "1.5G", "2GiB" -> bytes. */
int units_parse_size(const char *text, uint64_t *bytes, struct error *err);

/* "2%", "0.5%", "100%" -> fraction 0.02, 0.005, 1.0. */
int units_parse_percent(const char *text, double *fraction, struct error *err);

/* A positive whole number (counts). */
int units_parse_count(const char *text, uint64_t *n, struct error *err);

/* A whole decimal number, 0 among them, and nothing after it: whether
 * text is one (no message; the callers say what it was for). */
bool units_parse_whole(const char *text, uint64_t *n);

/* The unit of the one KiB, MiB, GiB, TiB, PiB ladder that suits kib: the
 * largest in which |kib| is still at least at_least (1 for text, 2 for a
 * chart axis); returns its size in KiB and sets *name. */
double units_kib_scale(double kib, double at_least, const char **name);

/* KiB as "812 KiB", "64.0 MiB", "1.23 GiB"; raw prints plain KiB.  NAN
 * prints "-".  signed_ adds a leading '+' to positive values. */
void units_format_kib(char *buf, size_t len, double kib, bool raw,
		      bool signed_);

/* Text from outside (a mapped file's name, a command name) made safe for
 * a terminal: control characters, C1 controls and bytes that are not
 * UTF-8 become \xHH (a backslash \\); the rest is copied.  Cut to fit
 * len, never inside an escape. */
void units_escape_text(char *buf, size_t len, const char *text);
/* The same, a double quote escaped too (\"): for a value between quotes
 * in a log line. */
void units_escape_quoted(char *buf, size_t len, const char *text);

/* Length of the valid UTF-8 sequence at p (not a C1 control), else 0. */
size_t units_utf8_len(const unsigned char *p);

/* Seconds as "850 ms", "29.0 s", "12 min 5 s", "3 h 12 min", "2 d 4 h". */
void units_format_duration(char *buf, size_t len, double seconds);

#endif
