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

bool
sample_is_gap(double dt_s, double interval_s)
{
	return interval_s > 0 && dt_s > SAMPLE_GAP_INTERVALS * interval_s;
}
