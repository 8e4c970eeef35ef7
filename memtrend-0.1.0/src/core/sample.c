/*
 * The per-tick record (see sample.h).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/sample.h"

void
sample_clear(struct sample *s)
{
	int i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < FIELD_COUNT; i++)
		s->value[i] = NAN;
}
