/*
 * libFuzzer target for vmallocinfo_parse() (src/sources/vmallocinfo.c);
 * built and run by scripts/fuzz.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sources/vmallocinfo.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcache_list l = {0};
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	vmallocinfo_parse(text, 4.0, &l);
	kcache_list_free(&l);
	free(text);
	return 0;
}
