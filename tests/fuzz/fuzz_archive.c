/*
 * libFuzzer target: the capture archive reader (src/analysis/archread.c,
 * over the codec of src/core/archive.c) on arbitrary bytes.  Every sample
 * it yields is checked for what the analysis relies on: time that never
 * runs back (the targets of one tick share its time) and always moves on
 * for each target, and values that are numbers or NAN.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "analysis/archread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_archive {
	double last, id_last[ARCHIVE_MAX_TARGETS];
	unsigned long n, id_n[ARCHIVE_MAX_TARGETS];
};

static int
fuzz_archive_sample(void *ctx, unsigned int id, const struct sample *s)
{
	struct fuzz_archive *f = ctx;
	size_t i;
	int k;

	if (id >= ARCHIVE_MAX_TARGETS || !isfinite(s->elapsed_s))
		abort();
	if (f->n++ > 0 && !(s->elapsed_s >= f->last))
		abort();
	if (f->id_n[id]++ > 0 && !(s->elapsed_s > f->id_last[id]))
		abort();
	f->last = f->id_last[id] = s->elapsed_s;
	for (k = 0; k < FIELD_COUNT; k++)
		if (isinf(s->value[k]))
			abort();
	if (s->regions != NULL)
		for (i = 0; i < s->regions->n; i++)
			if (s->regions->v[i].name == NULL)
				abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_archive f = {0};
	struct archread_info info;
	struct error err;

	archread_buffer("fuzz", data, size, fuzz_archive_sample, &f, &info,
			&err);
	return 0;
}
