/*
 * CRC-32 (ISO-HDLC, the one of zlib, gzip and PNG) for the capture
 * archive's records.  zlib's crc32() computes it (crc32.c); a build
 * without zlib (the capture-only build for a device) takes the
 * table-driven copy in compat/crc32.c instead, chosen by configure.
 */
#ifndef MEMTREND_CRC32_H
#define MEMTREND_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* The CRC of len bytes at p, continuing crc (0 to start). */
uint32_t crc32_update(uint32_t crc, const void *p, size_t len);

#endif
