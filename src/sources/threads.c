/*
 * Thread stack pointers from /proc/PID/task/TID/syscall (see threads.h).
 * The file reads "NR ARG1 .. ARG6 SP PC" for a thread in a system call,
 * "-1 SP PC" for one blocked outside of one, and "running" otherwise
 * (fs/proc/base.c, proc_pid_syscall).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/tasks.h"
#include "sources/threads.h"
#include "util/root.h"
#include "util/xmalloc.h"

int
threads_parse_syscall(const char *text, uint64_t *sp)
{
	unsigned long long words[9];
	const char *p = text;
	char *end;
	int n = 0;

	if (strncmp(text, "running", 7) == 0)
		return -EAGAIN;
	while (n < 9) {
		while (*p == ' ')
			p++;
		if (*p == '\n' || *p == '\0')
			break;
		words[n++] = strtoull(p, &end, 0);
		if (end == p)
			return -EINVAL;
		p = end;
	}
	if (n != 3 && n != 9)
		return -EINVAL;
	*sp = words[n - 2];
	return 0;
}

static const struct stack_hint *
threads_find(const struct stack_hint *v, size_t n, pid_t tid)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].tid == tid)
			return &v[i];
	}
	return NULL;
}

struct threads_scan {
	struct threads *t;
	const struct stack_hint *old;
	size_t nold;
	int task_fd;
	pid_t pid;
};

static int
threads_add(void *ctx, pid_t tid)
{
	struct threads_scan *sc = ctx;
	struct threads *t = sc->t;
	const struct stack_hint *prev;
	struct stack_hint *hint;
	char path[64], buf[256];
	uint64_t sp = 0;
	int fd;

	if (tid == sc->pid)
		return 0;
	snprintf(path, sizeof path, "%ld/syscall", (long)tid);
	fd = openat(sc->task_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (root_pread_all(fd, buf, sizeof buf) < 0 ||
		    threads_parse_syscall(buf, &sp) < 0)
			sp = 0;
		close(fd);
	}
	if (sp == 0 && (prev = threads_find(sc->old, sc->nold, tid)) != NULL)
		sp = prev->sp;
	if (sp == 0) {
		t->unknown++;
		return 0;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	hint = &t->v[t->n++];
	hint->tid = tid;
	hint->sp = sp;
	return 0;
}

int
threads_read(struct threads *t, int proc_fd, pid_t pid, struct error *err)
{
	struct threads_scan sc = {
	    .t = t, .old = t->v, .nold = t->n, .pid = pid};
	int rc;

	sc.task_fd =
	    openat(proc_fd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sc.task_fd < 0)
		return error_set(err, errno,
				 "cannot list the threads of pid "
				 "%d: %s",
				 (int)pid, strerror(errno));
	t->v = NULL;
	t->n = t->cap = t->unknown = 0;
	rc = tasks_each(sc.task_fd, threads_add, &sc);
	close(sc.task_fd);
	if (rc < 0) {
		/* Keep the hints of the last good read. */
		free(t->v);
		t->v = (struct stack_hint *)sc.old;
		t->n = t->cap = sc.nold;
		return error_set(err, -rc,
				 "cannot list the threads of pid "
				 "%d: %s",
				 (int)pid, strerror(-rc));
	}
	free((void *)sc.old);
	return 0;
}

void
threads_free(struct threads *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}
