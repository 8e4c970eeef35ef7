/*
 * The base page size of the running kernel, from sysconf(_SC_PAGESIZE):
 * 4 KiB on most x86 machines, 16 KiB or 64 KiB on many arm64 and ppc64
 * kernels.  pagemap has one entry per page of this size, so every page
 * count and address in memtrend goes through it, never a literal 4096.
 */
#ifndef MEMTREND_UTIL_PAGE_H
#define MEMTREND_UTIL_PAGE_H

#include <stdint.h>

uint64_t page_size(void);

#endif
