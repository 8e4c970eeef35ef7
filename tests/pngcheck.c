/*
 * PNG decoding for the chart tests (see pngcheck.h): chunks per the PNG
 * specification (ISO/IEC 15948), IDAT inflated with zlib, the five row
 * filters undone.  8-bit grey, RGB, palette, grey+alpha and RGBA, not
 * interlaced: what gnuplot's cairo terminals write.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pngcheck.h"

static uint32_t
png_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static unsigned char *
png_load(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

int
png_size(const char *path, unsigned int *width, unsigned int *height)
{
	static const unsigned char sig[8] = {0x89, 'P',	 'N',  'G',
					     '\r', '\n', 0x1a, '\n'};
	unsigned char head[24];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL)
		return -errno;
	n = fread(head, 1, sizeof head, fp);
	fclose(fp);
	if (n != sizeof head || memcmp(head, sig, 8) != 0 ||
	    memcmp(head + 12, "IHDR", 4) != 0)
		return -EINVAL;
	*width = png_be32(head + 16);
	*height = png_be32(head + 20);
	return 0;
}

static int
png_paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* Undoes the row filters in place; returns -EINVAL on a bad one. */
static int
png_unfilter(unsigned char *data, uint32_t h, size_t stride, size_t bpp)
{
	unsigned char *row, *prev = NULL;
	size_t x;
	uint32_t y;
	int a, b, c;

	for (y = 0; y < h; y++) {
		row = data + y * (stride + 1);
		for (x = 0; x < stride; x++) {
			a = x >= bpp ? row[1 + x - bpp] : 0;
			b = prev != NULL ? prev[1 + x] : 0;
			c = prev != NULL && x >= bpp ? prev[1 + x - bpp] : 0;
			switch (row[0]) {
			case 0:
				break;
			case 1:
				row[1 + x] += a;
				break;
			case 2:
				row[1 + x] += b;
				break;
			case 3:
				row[1 + x] += (a + b) / 2;
				break;
			case 4:
				row[1 + x] += png_paeth(a, b, c);
				break;
			default:
				return -EINVAL;
			}
		}
		prev = row;
	}
	return 0;
}

/* Counts distinct pixel values (up to 4 bytes each) with a small open
 * hash set, stopping at max. */
static size_t
png_count(const unsigned char *data, uint32_t w, uint32_t h, size_t stride,
	  size_t bpp, size_t max)
{
	size_t cap = 1, n = 0, slot, x;
	uint32_t *set, v, y;

	while (cap < 4 * max)
		cap <<= 1;
	set = calloc(cap, sizeof *set);
	if (set == NULL)
		return 0;
	for (y = 0; y < h && n < max; y++) {
		for (x = 0; x < w && n < max; x++) {
			const unsigned char *p =
			    data + y * (stride + 1) + 1 + x * bpp;

			v = 0;
			memcpy(&v, p, bpp);
			v = v * 2 + 1; /* never 0, the empty slot */
			for (slot = (v * 2654435761u) & (cap - 1);
			     set[slot] != 0 && set[slot] != v;
			     slot = (slot + 1) & (cap - 1))
				;
			if (set[slot] == 0) {
				set[slot] = v;
				n++;
			}
		}
	}
	free(set);
	return n;
}

int
png_colours(const char *path, size_t max, size_t *colours)
{
	static const size_t channels[7] = {1, 0, 3, 1, 2, 0, 4};
	unsigned char *file, *idat = NULL, *data = NULL;
	size_t len, off = 8, nidat = 0, stride, bpp;
	uint32_t w = 0, h = 0, clen;
	uLongf out;
	int rc = -EINVAL, type = -1;

	if ((file = png_load(path, &len)) == NULL)
		return -EINVAL;
	idat = malloc(len);
	while (idat != NULL && off + 12 <= len) {
		clen = png_be32(file + off);
		if (off + 12 + clen > len)
			break;
		if (memcmp(file + off + 4, "IHDR", 4) == 0 && clen >= 13) {
			w = png_be32(file + off + 8);
			h = png_be32(file + off + 12);
			if (file[off + 16] != 8 || file[off + 20] != 0)
				goto out; /* 8-bit, not interlaced */
			type = file[off + 17];
		} else if (memcmp(file + off + 4, "IDAT", 4) == 0) {
			memcpy(idat + nidat, file + off + 8, clen);
			nidat += clen;
		}
		off += 12 + clen;
	}
	if (type < 0 || type > 6 || channels[type] == 0 || w == 0 || h == 0)
		goto out;
	bpp = channels[type];
	stride = (size_t)w * bpp;
	out = (uLongf)((stride + 1) * h);
	data = malloc(out);
	if (data == NULL || uncompress(data, &out, idat, nidat) != Z_OK ||
	    out != (stride + 1) * h || png_unfilter(data, h, stride, bpp) < 0)
		goto out;
	*colours = png_count(data, w, h, stride, bpp, max);
	rc = 0;
out:
	free(file);
	free(idat);
	free(data);
	return rc;
}
