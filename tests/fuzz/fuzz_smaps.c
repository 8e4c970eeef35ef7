/*
 * libFuzzer target: the maps/smaps parser (src/sources/smaps.c), a pure
 * function over text, and the grouping of its mappings into regions
 * (src/regions.c) by kind, path and mapping.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "sources/smaps.h"
#include "util/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum region_group groups[] = {
	    REGION_GROUP_KIND, REGION_GROUP_PATH, REGION_GROUP_MAPPING};
	struct mapping_list list;
	struct region_set set;
	struct error err;
	char *text = xmalloc(size + 1);
	size_t *region_of, i;

	memcpy(text, data, size);
	text[size] = '\0';
	memset(&list, 0, sizeof list);
	if (smaps_parse(text, &list, &err) == 0 && list.n > 0) {
		region_of = xreallocarray(NULL, list.n, sizeof *region_of);
		for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
			memset(&set, 0, sizeof set);
			regions_assign(&set, &list, NULL, 0, groups[i],
				       region_of);
			regions_add_smaps(&set, &list, region_of);
			regions_free(&set);
		}
		free(region_of);
	}
	mapping_list_free(&list);
	free(text);
	return 0;
}
