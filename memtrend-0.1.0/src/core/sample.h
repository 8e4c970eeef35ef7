/*
 * The one record a tick produces.  Sources fill it; sinks and analysis
 * only read it.  A value the kernel did not give is NAN, never 0.
 */
#ifndef MEMTREND_SAMPLE_H
#define MEMTREND_SAMPLE_H

#include <sys/types.h>

#include <stdbool.h>

#include "core/fields.h"

struct region_set;

struct sample {
	double wall_s;		/* CLOCK_REALTIME, seconds since the epoch */
	double elapsed_s;	/* monotonic, since the first sample */
	pid_t pid;
	double value[FIELD_COUNT];
	double cost_s;		/* CPU time this sample took to take */
	unsigned int tiers;	/* the tiers that ran (1 << enum tier) */
	/* Per-region values when a region tier ran this tick, else NULL. */
	const struct region_set *regions;
	bool partial;		/* a source was cut short by the target exiting */
};

/* Marks every value unavailable. */
void sample_clear(struct sample *s);

#endif
