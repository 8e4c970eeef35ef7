/*
 * Target identity, and launching a command.  A PID and its start_time
 * (proc(5) stat field 22) name one process for the life of the system.
 * Finding a process by PID or name reads /proc through a back end:
 * target-proc2.c (libproc2's pids API) or, in the capture-only build,
 * target-procfs.c (the project's own readers); both decide through the
 * functions here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/target.h"
#include "util/root.h"
#include "util/spawn.h"

#define TARGET_PF_KTHREAD 0x00200000UL /* include/linux/sched.h */

/* Opens ROOT/proc/PID and checks that its smaps_rollup may be read. */
int
target_open_proc(struct target *t, const char *root, struct error *err)
{
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/proc/%d", (int)t->pid);
	t->proc_fd = root_open(root, path, O_RDONLY | O_DIRECTORY);
	if (t->proc_fd < 0)
		return error_set(err, -t->proc_fd, "cannot open %s: %s (%s)",
				 path, strerror(-t->proc_fd),
				 error_hint(-t->proc_fd));
	fd = openat(t->proc_fd, "smaps_rollup", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == ENOENT)
		return error_set(
		    err, ENOENT,
		    "cannot read %s/smaps_rollup: "
		    "the kernel does not provide it (Linux 4.14 or later "
		    "needed)",
		    path);
	return error_set(err, errno, "cannot read %s/smaps_rollup: %s (%s)",
			 path, strerror(errno), error_hint(errno));
}

int
target_accept(struct target *t, const struct target_proc *p, struct error *err)
{
	if (p->flags & TARGET_PF_KTHREAD)
		return error_set(err, EINVAL,
				 "pid %d (%s) is a kernel "
				 "thread: it has no user memory to watch",
				 (int)p->pid, p->comm);
	if (p->state == 'Z' || p->state == 'X')
		return error_set(err, ESRCH,
				 "pid %d (%s) has exited (zombie "
				 "not yet reaped by its parent)",
				 (int)p->pid, p->comm);
	t->pid = p->pid;
	t->start_ticks = p->start_ticks;
	snprintf(t->comm, sizeof t->comm, "%s", p->comm);
	return 0;
}

void
target_reset(struct target *t)
{
	memset(t, 0, sizeof *t);
	t->proc_fd = -1;
}

int
target_no_pid(pid_t pid, struct error *err)
{
	return error_set(err, ESRCH,
			 "no process with pid %d (check "
			 "the pid with ps or pgrep)",
			 (int)pid);
}

bool
target_called(const char *comm, char *const *argv, const char *name)
{
	const char *slash;

	if (strcmp(comm, name) == 0)
		return true;
	if (argv == NULL || argv[0] == NULL)
		return false;
	slash = strrchr(argv[0], '/');
	return strcmp(slash != NULL ? slash + 1 : argv[0], name) == 0;
}

bool
target_proc_has_argv(const struct target_proc *p)
{
	return !(p->flags & TARGET_PF_KTHREAD) && p->state != 'Z' &&
	       p->state != 'X';
}

bool
target_name_candidate(const struct target_proc *p, pid_t self, const char *name)
{
	char *argv[2] = {(char *)p->argv0, NULL};

	if (p->pid == self || !target_proc_has_argv(p))
		return false;
	return name == NULL || target_called(p->comm, argv, name);
}

void
target_match_add(struct target_match *m, const struct target_proc *p)
{
	size_t used = strlen(m->list);

	if (m->n++ < TARGET_LIST_MAX)
		snprintf(m->list + used, sizeof m->list - used, "%s %d (%s)",
			 used ? "," : "", (int)p->pid,
			 p->argv0 != NULL ? p->argv0 : p->comm);
}

int
target_match_check(const struct target_match *m, const char *name,
		   struct error *err)
{
	if (m->n == 0)
		return error_set(err, ESRCH,
				 "no process named '%s' (check the "
				 "name with pgrep -l, or use -p PID)",
				 name);
	if (m->n > 1)
		return error_set(err, EEXIST,
				 "%d processes are named '%s':%s%s; "
				 "choose one with -p PID, or watch them all "
				 "with --all-matching",
				 m->n, name, m->list,
				 m->n > TARGET_LIST_MAX ? ", ..." : "");
	return 0;
}

int
target_adopt(struct target *t, const char *root, pid_t pid,
	     unsigned long long start_ticks, const char *comm, bool open_proc,
	     struct error *err)
{
	target_reset(t);
	t->pid = pid;
	t->start_ticks = start_ticks;
	snprintf(t->comm, sizeof t->comm, "%s", comm);
	return open_proc ? target_open_proc(t, root, err) : 0;
}

int
target_launch(struct target *t, const char *root, char *const argv[],
	      struct error *err)
{
	/* The command lives only as long as the monitor. */
	const struct spawn_opts so = {.fd = {-1, -1, -1},
				      .die_with_parent = true};
	pid_t pid;
	int rc;

	target_reset(t);
	rc = spawn_run(&pid, argv, &so);
	if (rc < 0)
		return error_set(err, -rc,
				 "cannot start '%s': %s (check the "
				 "command name and PATH)",
				 argv[0], strerror(-rc));
	rc = target_from_pid(t, root, pid, err);
	/* Ours to reap and stop even when it could not be identified. */
	t->pid = pid;
	t->launched = true;
	if (rc < 0)
		target_stop(t);
	return rc;
}

bool
target_reap(struct target *t)
{
	pid_t r;

	if (!t->launched || t->reaped)
		return t->reaped;
	do
		r = waitpid(t->pid, &t->wait_status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == t->pid || (r < 0 && errno == ECHILD))
		t->reaped = true;
	return t->reaped;
}

void
target_stop(struct target *t)
{
	struct timespec pause = {0, 20 * 1000 * 1000};
	int i;

	if (!t->launched || t->pid <= 0 || target_reap(t))
		return;
	kill(t->pid, SIGTERM);
	for (i = 0; i < 100 && !target_reap(t); i++) /* 2 s grace */
		nanosleep(&pause, NULL);
	if (target_reap(t))
		return;
	kill(t->pid, SIGKILL);
	while (waitpid(t->pid, &t->wait_status, 0) < 0 && errno == EINTR)
		;
	t->reaped = true;
}

void
target_describe_exit(const struct target *t, char *buf, size_t len)
{
	int st = t->wait_status;

	if (!t->reaped)
		snprintf(buf, len, "is still running");
	else if (WIFEXITED(st))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(buf, len, "ended (wait status %#x)", st);
}

int
target_exit_code(const struct target *t)
{
	if (!t->reaped)
		return 0;
	if (WIFEXITED(t->wait_status))
		return WEXITSTATUS(t->wait_status);
	if (WIFSIGNALED(t->wait_status))
		return 128 + WTERMSIG(t->wait_status);
	return 1;
}

void
target_close(struct target *t)
{
	if (t->proc_fd >= 0)
		close(t->proc_fd);
	t->proc_fd = -1;
}
