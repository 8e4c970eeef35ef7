/*
 * The threads of a process: the numeric entries of /proc/PID/task
 * (proc(5)), listed for thread stacks (threads.c) and per-thread perf
 * events (faults.c).
 */
#ifndef MEMTREND_SOURCES_TASKS_H
#define MEMTREND_SOURCES_TASKS_H

#include <sys/types.h>

/* Called for each thread id; a non-zero return stops the scan and is
 * returned by tasks_each(). */
typedef int (*tasks_fn)(void *ctx, pid_t tid);

/* Lists the directory task_fd (an open /proc/PID/task, left open and
 * read from its start every time) and calls fn for each thread.
 * Returns 0, fn's non-zero return, or -errno when it cannot be listed. */
int tasks_each(int task_fd, tasks_fn fn, void *ctx);

#endif
