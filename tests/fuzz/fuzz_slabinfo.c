/*
 * libFuzzer target for slabinfo_parse() (src/sources/slabinfo.c); built
 * and run by scripts/fuzz.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sources/slabinfo.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kcache_list l = {0};
	struct slabinfo_skipped sk = {0};
	struct error err;
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	slabinfo_parse(text, 4.0, &l, &sk, &err);
	kcache_list_free(&l);
	free(text);
	return 0;
}
