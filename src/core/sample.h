/*
 * The one record a tick produces.  Sources fill it; sinks and analysis
 * only read it.  A value the kernel did not give is NAN, never 0.
 */
#ifndef MEMTREND_SAMPLE_H
#define MEMTREND_SAMPLE_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/fields.h"

struct region_set;

struct sample {
	double wall_s;	  /* CLOCK_REALTIME, seconds since the epoch */
	double elapsed_s; /* monotonic, since the first sample */
	pid_t pid;
	double value[FIELD_COUNT];
	double cost_s;	    /* CPU time this sample took to take */
	unsigned int tiers; /* the tiers that ran (1 << enum tier) */
	/* Per-region values when a region tier ran this tick, else NULL. */
	const struct region_set *regions;
	bool partial; /* a source was cut short by the target exiting */
	/* Who, for the long-format CSV of a set (NULL: not given). */
	const char *comm;
	const char *cmdline;
	/* Which instance of a restarted target (memtrend daemon); 0: not
	 * told.  The verdict judges each instance from its own start. */
	unsigned long instance;
};

/* Marks every value unavailable. */
void sample_clear(struct sample *s);

/* The gap rule: a pause between two samples longer than
 * SAMPLE_GAP_INTERVALS usual intervals is a gap (the monitor was stopped,
 * the machine slept), not a slow tick; rates are not taken across it and
 * charts break their lines there.  interval_s 0: not known yet, no gap. */
#define SAMPLE_GAP_INTERVALS 10.0
bool sample_is_gap(double dt_s, double interval_s);

#endif
