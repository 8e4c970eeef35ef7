/*
 * Thread stack pointers, to tell which anonymous mapping is which
 * thread's stack: /proc/PID/task/TID/syscall ends with the stack pointer
 * and program counter of a blocked thread (proc(5)).  Reading it does not
 * stop the thread; a running thread answers "running", and the pointer
 * last seen for it is kept.
 */
#ifndef MEMTREND_SOURCES_THREADS_H
#define MEMTREND_SOURCES_THREADS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/regions.h"
#include "util/error.h"

struct threads {
	struct stack_hint *v; /* threads other than the main one */
	size_t n, cap;
	size_t unknown; /* threads whose stack pointer is unknown */
};

/* Stack pointer from the text of a task's syscall file; -EAGAIN when the
 * thread is running, -EINVAL when the text cannot be read. */
int threads_parse_syscall(const char *text, uint64_t *sp);

/* Refreshes t from ROOT/proc/PID/task (proc_fd is ROOT/proc/PID). */
int threads_read(struct threads *t, int proc_fd, pid_t pid, struct error *err);

void threads_free(struct threads *t);

#endif
