/*
 * The names of a capture -n archive judged across restarts: each name's
 * processes, one after another, as one series of instances -- the
 * daemon's restart handling (analysis/verdict.c: each instance judged
 * from its own start, and the instances compared).  A name with two
 * processes at once has no such series: its processes are judged one
 * by one (analyze's per-process verdicts) and it is marked several.
 */
#ifndef MEMTREND_ANALYSIS_ARCHNAMES_H
#define MEMTREND_ANALYSIS_ARCHNAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/verdict.h"
#include "util/error.h"

struct archname {
	char name[64];		 /* as given to capture -n */
	unsigned long instances; /* processes of it, one after another */
	bool several;		 /* two at once: no series of its own */
	struct verdict verdict;	 /* of its series, when not several */
	/* Reading state. */
	long last_pid;
	double last_s;
};

struct archnames {
	struct archname *name;
	size_t n;
};

/* Reads the archive at path; each name's verdict is made like tmpl (its
 * metric, its daily cycle).  0, or -errno with err filled. */
int archnames_read(const char *path, const struct verdict *tmpl,
		   struct archnames *out, struct error *err);
void archnames_free(struct archnames *names);

#endif
