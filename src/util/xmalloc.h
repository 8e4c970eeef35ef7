/*
 * Allocation wrappers: running out of memory is one decision (print and
 * exit 2), not a check at every call site.  Modelled on tmux's xmalloc.
 */
#ifndef MEMTREND_XMALLOC_H
#define MEMTREND_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
int xasprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
