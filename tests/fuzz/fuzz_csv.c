/*
 * libFuzzer target: the CSV readers (src/sinks/csv.c csv_read through
 * libcsv, src/analyze.c, src/series.c) on arbitrary bytes, given to them
 * as a file (a memfd: they read paths).  The input is read three ways:
 * by csv_read itself, as a regions CSV by series_load_regions, and, when
 * it is small (the verdict's cost grows with the rows), as a samples CSV
 * by series_load (analyze's reader, every column, and the verdict).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "charts/series.h"
#include "util/csvread.h"

#define FUZZ_CSV_VERDICT 4096 /* bytes: larger inputs skip the verdict */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_csv_row(void *ctx, unsigned long line, char **cells, size_t n)
{
	size_t *count = ctx, i;

	(void)line;
	for (i = 0; i < n; i++)
		*count += strlen(cells[i]) > 0;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct series_regions rs;
	struct series s;
	struct error err;
	size_t cells = 0;

	if (fd < 0) {
		fd = memfd_create("fuzz.csv", MFD_CLOEXEC);
		if (fd < 0)
			return 0;
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	csv_read(path, fuzz_csv_row, &cells, &err);
	if (series_load_regions(&rs, path, &err) == 0)
		series_regions_free(&rs);
	if (size <= FUZZ_CSV_VERDICT &&
	    series_load(&s, path, VERDICT_AUTO, true, &err) == 0)
		series_free(&s);
	return 0;
}
