/*
 * Every /proc and /sys path memtrend opens is built from one root
 * directory ("/" normally; a fixture tree in tests, set by --root or
 * MEMTREND_ROOT).  Nothing else in memtrend spells "/proc" by itself.
 */
#ifndef MEMTREND_ROOT_H
#define MEMTREND_ROOT_H

#include <stdbool.h>
#include <stddef.h>

/* The root from MEMTREND_ROOT, or "/" when unset or empty. */
const char *root_default(void);

/* True when root is the running system's own "/". */
bool root_is_live(const char *root);

/* Writes root + path (path starts with '/') into buf. */
void root_path(char *buf, size_t len, const char *root, const char *path);

/* open() of root + path; returns the fd or -errno. */
int root_open(const char *root, const char *path, int flags);

/* Reads a whole small file under the root into buf (NUL-terminated);
 * returns the length or -errno. */
long root_read_file(const char *root, const char *path, char *buf, size_t len);

/* Reads a whole file of any size under the root into a malloc'd,
 * NUL-terminated buffer; returns the length or -errno. */
long root_read_alloc(const char *root, const char *path, char **out);

/* Reads a whole file of any size from offset 0 with pread (so a file kept
 * open is re-read), into *buf, growing it (and *cap) as needed; the text
 * is NUL-terminated.  Returns the length or -errno. */
long root_pread_grow(int fd, char **buf, size_t *cap);

/* Reads a small file relative to a directory fd (pread from 0, so a
 * file kept open can be re-read); returns the length or -errno. */
long root_pread_all(int fd, char *buf, size_t len);

#endif
