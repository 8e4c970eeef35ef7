/*
 * Who is watched: a PID plus its start time, so a process that later gets
 * the same PID is never taken for the old one.  Found by PID, by name
 * (libproc2, or the capture-only build's own reader), or by launching a
 * command.
 */
#ifndef MEMTREND_TARGET_H
#define MEMTREND_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"

struct target {
	pid_t pid;
	unsigned long long start_ticks; /* stat start_time: the identity */
	char comm[64];
	int proc_fd;   /* ROOT/proc/PID, opened while it was ours */
	bool launched; /* we started it and must reap it */
	bool reaped;
	int wait_status; /* from waitpid(), once reaped */
};

int target_from_pid(struct target *t, const char *root, pid_t pid,
		    struct error *err);

/* Exactly one process whose command name or argv[0] basename is name;
 * several or none is an error that lists them. */
int target_from_name(struct target *t, const char *root, const char *name,
		     struct error *err);

/* True when a process is called name: its command name (which the kernel
 * cuts to 15 characters) or the basename of its argv[0]. */
bool target_called(const char *comm, char *const *argv, const char *name);

/* Takes a process found by a scan (sources/targets.h) as a target; with
 * open_proc, opens ROOT/proc/PID as target_from_pid() does. */
int target_adopt(struct target *t, const char *root, pid_t pid,
		 unsigned long long start_ticks, const char *comm,
		 bool open_proc, struct error *err);

/* Starts argv[0] with PATH lookup; fails if it cannot be executed. */
int target_launch(struct target *t, const char *root, char *const argv[],
		  struct error *err);

/* Reaps a launched child without blocking; returns true once it exited. */
bool target_reap(struct target *t);

/* Stops a launched child still running (SIGTERM, then SIGKILL after a
 * grace period) and reaps it. */
void target_stop(struct target *t);

/* Describes how a launched command ended: "exited with status 3". */
void target_describe_exit(const struct target *t, char *buf, size_t len);

/* The exit status memtrend passes on for a launched command: its own, or
 * 128 + signal. */
int target_exit_code(const struct target *t);

void target_close(struct target *t);

/* For the discovery back ends (target-proc2.c, target-procfs.c): what one
 * process's stat, status and cmdline say. */
struct target_proc {
	pid_t pid;
	unsigned long long start_ticks;
	char state;
	unsigned long flags;
	const char *comm;
	const char *argv0; /* NULL when unknown */
};

#define TARGET_LIST_MAX 8

/* The processes a name matched so far, listed for the error. */
struct target_match {
	int n;
	char list[300];
};

/* The capture-only build's reader (target-procfs.c, util/procfs.c):
 * what ROOT/proc/PID's stat and cmdline say, the NUL-separated argv in
 * argv0 (p points into st and argv0; a kernel thread's or a zombie's
 * empty cmdline is not read).  The argv's length in bytes, or
 * -ESRCH when the process is gone. */
struct procfs_stat;
long target_proc_read(const char *root, pid_t pid, struct procfs_stat *st,
		      struct target_proc *p, char *argv0, size_t len);

void target_reset(struct target *t);
/* Fills t from p, refusing kernel threads and zombies. */
int target_accept(struct target *t, const struct target_proc *p,
		  struct error *err);
/* Opens ROOT/proc/PID and checks that its smaps_rollup may be read. */
int target_open_proc(struct target *t, const char *root, struct error *err);
/* The error for a PID that names no process. */
int target_no_pid(pid_t pid, struct error *err);
/* False for a kernel thread or a zombie: no argv (an empty cmdline), no
 * user memory. */
bool target_proc_has_argv(const struct target_proc *p);
/* True when p is a user process other than self called name: its
 * command name (which the kernel cuts to 15 characters) or the basename
 * of its argv[0]; any user process for a NULL name. */
bool target_name_candidate(const struct target_proc *p, pid_t self,
			   const char *name);
void target_match_add(struct target_match *m, const struct target_proc *p);
/* 0 when exactly one process matched, else the error listing them. */
int target_match_check(const struct target_match *m, const char *name,
		       struct error *err);

#endif
