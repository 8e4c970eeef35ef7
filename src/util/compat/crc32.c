/*
 * CRC-32 without zlib (see util/crc32.h): the reflected polynomial
 * 0xEDB88320 a byte at a time, for the capture-only build, whose devices
 * may have no zlib.  tests/test_archive.c checks it against zlib's.
 */
#include "config.h"

#include "util/crc32.h"

uint32_t
crc32_update(uint32_t crc, const void *p, size_t len)
{
	static uint32_t table[256];
	const unsigned char *b = p;
	uint32_t c;
	int i, k;

	if (table[1] == 0) {
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (len-- > 0)
		crc = table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
