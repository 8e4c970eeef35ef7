/*
 * A set of targets, found again on every scan: the processes called a
 * name (--all-matching), a process and its descendants (--tree), the
 * processes of a cgroup v2 directory (--cgroup), or every process (top);
 * for the daemon also a regex on the command line and a pidfile.
 * A scan lists who is there now; the sampling loop keeps its members by
 * PID and start time, so a PID reused between scans is a new member.
 */
#ifndef MEMTREND_SOURCES_TARGETS_H
#define MEMTREND_SOURCES_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/fields.h"
#include "util/error.h"

enum targets_kind {
	TARGETS_NAME,	 /* every process called name */
	TARGETS_TREE,	 /* pid and its descendants */
	TARGETS_CGROUP,	 /* every process in a cgroup v2 directory */
	TARGETS_ALL,	 /* every user process (of uid, when set) */
	TARGETS_PATTERN, /* every process whose command line matches */
	TARGETS_PIDFILE, /* the process a pidfile names, read each scan */
	TARGETS_PID,	 /* the one process pid, started at start_ticks */
};

struct targets_spec {
	enum targets_kind kind;
	const char *name;		/* TARGETS_NAME */
	pid_t pid;			/* TARGETS_TREE, TARGETS_PID */
	unsigned long long start_ticks; /* TARGETS_PID: its identity */
	const char *cgroup;		/* TARGETS_CGROUP: absolute, or under
					   /sys/fs/cgroup */
	const char *pattern; /* TARGETS_PATTERN: a POSIX extended regex */
	const char *pidfile; /* TARGETS_PIDFILE */
	/* A cgroup or pidfile not there yet matches nothing, and is looked
	 * for again each scan (a daemon's target), instead of an error. */
	bool patient;
	bool shared; /* set by targets_open_shared() */
	bool by_uid; /* TARGETS_ALL: only processes of uid */
	bool tier0;  /* also read each one's stat and status values */
	uid_t uid;
	const char *root;
};

struct targets_found {
	pid_t pid;
	unsigned long long start_ticks;
	char comm[64];
	char cmdline[256]; /* argv joined by spaces, cut to fit */
	/* With tier0: the stat/status values (sources/rollup.h), the rest
	 * NAN; sized is false when the process was exiting (sizes NAN). */
	double value[FIELD_COUNT];
	bool sized;
};

struct targets;

int targets_open(struct targets **out, const struct targets_spec *spec,
		 struct error *err);

/* Lists the processes that belong now, in PID order, excluding memtrend
 * itself, kernel threads and zombies.  *found stays valid until the next
 * scan.  Returns the count, or -errno with err filled (the cgroup is
 * gone, /proc unreadable). */
long targets_scan(struct targets *ts, const struct targets_found **found,
		  struct error *err);

/* "processes named 'nginx'", "pid 42 and its descendants", ... */
void targets_describe(const struct targets_spec *spec, char *buf, size_t len);

void targets_close(struct targets *ts);

/* Many sets scanned in one round (memtrend daemon's targets) share one
 * read of /proc: targets_source_next() starts a round, and the first
 * targets_scan() of a set opened on the source reads every process for
 * all of them (its own libproc2 reader then stays unused). */
struct targets_source;
int targets_source_new(struct targets_source **out, struct error *err);
void targets_source_next(struct targets_source *src);
void targets_source_free(struct targets_source *src);
int targets_open_shared(struct targets **out, const struct targets_spec *spec,
			struct targets_source *src, struct error *err);

/* The cgroup of a systemd unit ("nginx.service"; ".service" is added
 * to a bare name): system.slice's under the unified hierarchy, the
 * name=systemd hierarchy's on cgroup v1. */
void targets_unit_cgroup(char *buf, size_t len, const char *root,
			 const char *unit);

/* The cgroup directory a --cgroup PATH names, under the root. */
void targets_cgroup_dir(char *buf, size_t len, const char *root,
			const char *cgroup);

#endif
