/*
 * Just enough PNG reading for the chart tests: the size from the IHDR
 * chunk, and (through zlib) the number of distinct colours in the decoded
 * image, to tell a chart from a blank canvas.
 */
#ifndef MEMTREND_TESTS_PNGCHECK_H
#define MEMTREND_TESTS_PNGCHECK_H

#include <stddef.h>

/* Width and height from the signature and IHDR; -EINVAL if not a PNG. */
int png_size(const char *path, unsigned int *width, unsigned int *height);

/* Distinct colours (at most max); -EINVAL for a PNG it cannot decode. */
int png_colours(const char *path, size_t max, size_t *colours);

#endif
