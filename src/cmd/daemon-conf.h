/*
 * memtrend daemon's configuration (memtrend.conf(5)): an INI file read
 * with inih (ini_parse_stream(3)), a [daemon] section and one [target
 * NAME] section per target.  Every error names the file, the line and
 * the key; nothing is started on a config with one.
 */
#ifndef MEMTREND_CMD_DAEMON_CONF_H
#define MEMTREND_CMD_DAEMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd/watch.h"
#include "sources/targets.h"
#include "util/error.h"

#define DAEMON_NAME_MAX 64

struct daemon_target {
	char name[DAEMON_NAME_MAX]; /* [target NAME]: its directory too */
	enum targets_kind kind;	    /* TARGETS_NAME, _PATTERN, _CGROUP,
				       _PIDFILE (a unit is its cgroup) */
	char *value;		    /* the name, regex, cgroup or pidfile */
	char *unit;		    /* unit = X: value is its cgroup; NULL */
	uint64_t every_ns;	    /* 0: the daemon's */
	int metric;		    /* VERDICT_AUTO unless metric = */
	bool regions;
	unsigned int line; /* its section's first key, for messages */
};

struct daemon_conf {
	char *path;
	char *state_dir;
	char *listen;	     /* HOST:PORT for /metrics; NULL: none */
	char *textfile;	     /* node_exporter textfile; NULL: none */
	char *alert_command; /* run with execve; NULL: none */
	uint64_t alert_min_interval_ns;
	double budget;		      /* of one core */
	enum watch_estimate estimate; /* estimate = auto|yes|no */
	uint64_t every_ns; /* the loop's base tick and the default every */
	uint64_t rotate_size, keep_size; /* bytes; 0: no size limit */
	uint64_t keep_ns;		 /* rotated files' age limit */
	struct daemon_target *targets;
	size_t ntargets;
};

#define DAEMON_STATE_DIR "/var/lib/memtrend"
#define DAEMON_CONFIG "/etc/memtrend/memtrend.conf"

/* Reads path into c (released with daemon_conf_free() in all cases). */
int daemon_conf_read(const char *path, struct daemon_conf *c,
		     struct error *err);
void daemon_conf_free(struct daemon_conf *c);

/* A target's set (its strings point into t). */
void daemon_conf_spec(const struct daemon_target *t, struct targets_spec *sp);

#endif
