/*
 * memtrend [OPTIONS] -p PID | -n NAME | [--] COMMAND: the default command
 * line.  Besides watching, its options select --probe, --list-fields,
 * --help and --version.
 */
#ifndef MEMTREND_CMD_CMD_WATCH_H
#define MEMTREND_CMD_CMD_WATCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "charts/plot.h"
#include "cmd/watch.h"
#include "util/error.h"

enum cmd_watch_action {
	CMD_WATCH_RUN,
	CMD_WATCH_PROBE,
	CMD_WATCH_HELP,
	CMD_WATCH_VERSION,
	CMD_WATCH_FIELDS, /* --list-fields[=man] */
};

struct cmd_watch {
	enum cmd_watch_action action;
	pid_t pid;	    /* -p */
	const char *name;   /* -n */
	bool all_matching;  /* -n names a set: every process so named */
	bool tree;	    /* -p or the command, and its descendants */
	const char *cgroup; /* --cgroup: every process in it */
	struct targets_spec set;
	char **command; /* after "--" or the first non-option */
	const char *fields_format;
	bool fail_on_growth; /* exit 1 when the verdict is growing */
	int daily_cycle;     /* -1: by the target (none for a COMMAND) */
	struct watch_opts watch;
	const char *plot_out; /* --plot, drawn from -o */
	struct plot_opts plot;
};

/* Fills c from the default command line; returns 0 or -EINVAL with a
 * message for the user. */
int cmd_watch_parse(struct cmd_watch *c, int argc, char **argv,
		    struct error *err);

#endif
