/*
 * libFuzzer target: the maps/smaps parser (src/sources/smaps.c), a pure
 * function over text, and the grouping of its mappings into regions
 * (src/regions.c) by kind, path and mapping; and the same text fed to
 * the stream parser in two pieces, cut where the first byte says, which
 * must find the same mappings.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "sources/smaps.h"
#include "util/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The text in two pieces through smaps_parse_lines; its result (0 or
 * -EINVAL) and list, like smaps_parse's. */
static int
fuzz_stream(const char *text, struct mapping_list *list)
{
	size_t len = strlen(text),
	       cut = len > 0 ? (unsigned char)text[0] % (len + 1) : 0;
	struct smaps_parser sp;
	struct error err;
	char *buf = xmalloc(len + 1);
	long used;

	smaps_parser_init(&sp, list);
	memcpy(buf, text, cut);
	used = smaps_parse_lines(&sp, buf, cut, false, &err);
	if (used >= 0) {
		size_t rest = cut - (size_t)used;

		memmove(buf, buf + used, rest);
		memcpy(buf + rest, text + cut, len - cut);
		used =
		    smaps_parse_lines(&sp, buf, rest + len - cut, true, &err);
	}
	free(buf);
	return used < 0 ? (int)used : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum region_group groups[] = {
	    REGION_GROUP_KIND, REGION_GROUP_PATH, REGION_GROUP_MAPPING};
	struct mapping_list list, piece;
	struct region_set set;
	int rc;
	struct error err;
	char *text = xmalloc(size + 1);
	size_t *region_of, i;

	memcpy(text, data, size);
	text[size] = '\0';
	memset(&list, 0, sizeof list);
	memset(&piece, 0, sizeof piece);
	rc = smaps_parse(text, &list, &err);
	if (fuzz_stream(text, &piece) != rc || (rc == 0 && piece.n != list.n))
		abort();
	for (i = 0; rc == 0 && i < list.n; i++) {
		if (piece.v[i].start != list.v[i].start ||
		    piece.v[i].has_counts != list.v[i].has_counts ||
		    memcmp(piece.v[i].kb, list.v[i].kb,
			   SMAPS_NFIELDS * sizeof *list.v[i].kb) != 0)
			abort();
	}
	mapping_list_free(&piece);
	if (rc == 0 && list.n > 0) {
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
