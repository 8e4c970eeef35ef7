/*
 * Constant-memory run summary (see summary.h).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "analysis/summary.h"

void
summary_init(struct summary *sum)
{
	memset(sum, 0, sizeof *sum);
}

void
summary_add(struct summary *sum, const struct sample *s)
{
	struct summary_stat *st;
	int i;

	if (sum->samples++ == 0)
		sum->first_s = s->elapsed_s;
	sum->last_s = s->elapsed_s;
	sum->cost_total_s += s->cost_s;
	sum->cost_max_s = fmax(sum->cost_max_s, s->cost_s);
	for (i = 0; i < FIELD_COUNT; i++) {
		st = &sum->stat[i];
		if (isnan(s->value[i]))
			continue;
		if (st->n++ == 0) {
			st->first = st->min = st->max = s->value[i];
			st->first_s = s->elapsed_s;
		}
		st->last = s->value[i];
		st->last_s = s->elapsed_s;
		st->min = fmin(st->min, s->value[i]);
		st->max = fmax(st->max, s->value[i]);
	}
}

double
summary_rate_per_hour(const struct summary_stat *st)
{
	if (st->n < 2 || st->last_s <= st->first_s)
		return NAN;
	return (st->last - st->first) / (st->last_s - st->first_s) * 3600;
}
