/*
 * A daemon target's files under state_dir/NAME/: samples.csv (the long
 * format with the instance column) and regions.csv, appended to across
 * daemon restarts, rotated daily or at a size into samples-STAMP.csv.gz
 * (zlib), and kept for an age and a total size.  Its history is read
 * back, through the same replay analyze runs, to resume the verdict.
 */
#ifndef MEMTREND_CMD_DAEMON_STORE_H
#define MEMTREND_CMD_DAEMON_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "analysis/verdict.h"
#include "util/error.h"

struct csv_sink;

struct daemon_store {
	char dir[4096];
	bool regions;
	struct csv_sink *csv, *regions_csv;
	long day; /* the UTC day the current files began */
};

/* What the stored history ended with. */
struct daemon_history {
	bool any;
	double last_elapsed_s, last_wall_s;
	unsigned long instance;
	pid_t pids[8]; /* the processes of its last tick */
	size_t npids;
};

int daemon_store_open(struct daemon_store *st, const char *state_dir,
		      const char *name, bool regions, struct error *err);
/* Rotates when the day changed or the samples file passed rotate_size
 * bytes, then prunes the rotated files beyond keep_ns or keep_size. */
int daemon_store_rotate(struct daemon_store *st, double wall_s,
			uint64_t rotate_size, uint64_t keep_ns,
			uint64_t keep_size, struct error *err);
void daemon_store_close(struct daemon_store *st);

/* Replays the stored samples (the sum, pid 0) into v; h says where they
 * ended.  No history is no error (h->any false). */
int daemon_store_resume(const char *dir, struct verdict *v,
			struct daemon_history *h, struct error *err);

#endif
