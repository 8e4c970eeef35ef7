/*
 * CRC-32 through zlib's crc32() (see crc32.h).
 */
#include "config.h"

#include <zlib.h>

#include "util/crc32.h"

uint32_t
crc32_update(uint32_t crc, const void *p, size_t len)
{
	const unsigned char *b = p;
	uInt part;

	/* zlib takes a uInt length: feed larger buffers in parts. */
	while (len > 0) {
		part = len > 0x40000000u ? 0x40000000u : (uInt)len;
		crc = (uint32_t)crc32(crc, b, part);
		b += part;
		len -= part;
	}
	return crc;
}
