/*
 * Starting a child program: the one fork/exec memtrend does, for a
 * launched target (core/target.c) and for gnuplot (charts/gnuplot.c).
 * The child gets back the default SIGPIPE and SIGXFSZ the monitor
 * ignores, so it fails on a closed pipe or a full file as it would alone.
 */
#ifndef MEMTREND_UTIL_SPAWN_H
#define MEMTREND_UTIL_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

struct spawn_opts {
	/* Put on the child's standard input, output and error; -1: the
	 * monitor's own. */
	int fd[3];
	/* SIGTERM to the child when the monitor dies (PR_SET_PDEATHSIG). */
	bool die_with_parent;
	/* The child's whole environment; NULL: the monitor's.  With it,
	 * argv[0] is run as named (execve), never searched on PATH. */
	char *const *envp;
	/* The child leads a process group of its own, so a signal to
	 * -pid reaches whatever it started too. */
	bool own_group;
};

/* Runs argv[0] (searched on PATH when it has no slash and o->envp is
 * NULL) with argv.
 * Returns 0 with *pid set, or -errno when fork or exec failed; an exec
 * failure is reported here, not as an exit status, and that child is
 * already reaped. */
int spawn_run(pid_t *pid, char *const argv[], const struct spawn_opts *o);

#endif
