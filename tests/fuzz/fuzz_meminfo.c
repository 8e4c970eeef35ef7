/*
 * libFuzzer target for meminfo_parse() (src/sources/meminfo.c); built
 * and run by scripts/fuzz.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sources/meminfo.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double v[KF_COUNT];
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	meminfo_parse(text, v);
	meminfo_unaccounted(v);
	free(text);
	return 0;
}
