/*
 * Target discovery and identity.  Process identity (start time, command
 * name, state, flags) comes from libproc2's pids API; a PID and its
 * start_time (proc(5) stat field 22) name one process for the life of the
 * system.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libproc2/pids.h>
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
#define TARGET_LIST_MAX 8

/* libproc2's PIDS_VAL takes (but does not use) the info handle. */
#define TARGET_VAL(i, type, s) PIDS_VAL(i, type, s, NULL)

enum { ID_PID, ID_BEGAN, ID_CMD, ID_STATE, ID_FLAGS, ID_ARGV };

static enum pids_item target_items[] = {PIDS_ID_PID, PIDS_TICS_BEGAN,
					PIDS_CMD,    PIDS_STATE,
					PIDS_FLAGS,  PIDS_CMDLINE_V};

static int
target_open_info(struct pids_info **info, struct error *err)
{
	int rc;

	rc = procps_pids_new(info, target_items,
			     sizeof target_items / sizeof target_items[0]);
	if (rc < 0)
		return error_set(err, -rc,
				 "cannot use libproc2: %s "
				 "(is /proc mounted?)",
				 strerror(-rc));
	return 0;
}

/* Opens ROOT/proc/PID and checks that its smaps_rollup may be read. */
static int
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

static int
target_fill(struct target *t, struct pids_stack *s, struct error *err)
{
	char state = TARGET_VAL(ID_STATE, s_ch, s);
	pid_t pid = TARGET_VAL(ID_PID, s_int, s);

	if (TARGET_VAL(ID_FLAGS, ul_int, s) & TARGET_PF_KTHREAD)
		return error_set(err, EINVAL,
				 "pid %d (%s) is a kernel "
				 "thread: it has no user memory to watch",
				 (int)pid, TARGET_VAL(ID_CMD, str, s));
	if (state == 'Z' || state == 'X')
		return error_set(err, ESRCH,
				 "pid %d (%s) has exited (zombie "
				 "not yet reaped by its parent)",
				 (int)pid, TARGET_VAL(ID_CMD, str, s));
	t->pid = pid;
	t->start_ticks = TARGET_VAL(ID_BEGAN, ull_int, s);
	snprintf(t->comm, sizeof t->comm, "%s", TARGET_VAL(ID_CMD, str, s));
	return 0;
}

static void
target_init(struct target *t)
{
	memset(t, 0, sizeof *t);
	t->proc_fd = -1;
}

int
target_from_pid(struct target *t, const char *root, pid_t pid,
		struct error *err)
{
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	unsigned int want = (unsigned int)pid;
	int rc;

	target_init(t);
	if (pid <= 0)
		return error_set(err, EINVAL, "invalid pid %d", (int)pid);
	rc = target_open_info(&info, err);
	if (rc < 0)
		return rc;
	f = procps_pids_select(info, &want, 1, PIDS_SELECT_PID);
	if (f == NULL || f->counts->total < 1)
		rc = error_set(err, ESRCH,
			       "no process with pid %d (check "
			       "the pid with ps or pgrep)",
			       (int)pid);
	else
		rc = target_fill(t, f->stacks[0], err);
	procps_pids_unref(&info);
	if (rc == 0)
		rc = target_open_proc(t, root, err);
	return rc;
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

static void
target_list_append(char *buf, size_t len, struct pids_stack *s)
{
	char **argv = TARGET_VAL(ID_ARGV, strv, s);
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s %d (%s)", used ? "," : "",
		 TARGET_VAL(ID_PID, s_int, s),
		 argv != NULL && argv[0] != NULL ? argv[0]
						 : TARGET_VAL(ID_CMD, str, s));
}

int
target_from_name(struct target *t, const char *root, const char *name,
		 struct error *err)
{
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	struct pids_stack *s, *found = NULL;
	char list[300] = "";
	int i, matches = 0, rc;
	pid_t self = getpid();

	target_init(t);
	rc = target_open_info(&info, err);
	if (rc < 0)
		return rc;
	f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (f == NULL) {
		procps_pids_unref(&info);
		return error_set(err, EIO, "cannot list processes in /proc");
	}
	for (i = 0; i < f->counts->total; i++) {
		s = f->stacks[i];
		if (TARGET_VAL(ID_PID, s_int, s) == self ||
		    (TARGET_VAL(ID_FLAGS, ul_int, s) & TARGET_PF_KTHREAD) ||
		    TARGET_VAL(ID_STATE, s_ch, s) == 'Z' ||
		    !target_called(TARGET_VAL(ID_CMD, str, s),
				   TARGET_VAL(ID_ARGV, strv, s), name))
			continue;
		if (matches++ < TARGET_LIST_MAX)
			target_list_append(list, sizeof list, s);
		found = s;
	}
	if (matches == 0)
		rc = error_set(err, ESRCH,
			       "no process named '%s' (check the "
			       "name with pgrep -l, or use -p PID)",
			       name);
	else if (matches > 1)
		rc = error_set(err, EEXIST,
			       "%d processes are named '%s':%s%s; "
			       "choose one with -p PID, or watch them all "
			       "with --all-matching",
			       matches, name, list,
			       matches > TARGET_LIST_MAX ? ", ..." : "");
	else
		rc = target_fill(t, found, err);
	procps_pids_unref(&info);
	if (rc == 0)
		rc = target_open_proc(t, root, err);
	return rc;
}

int
target_adopt(struct target *t, const char *root, pid_t pid,
	     unsigned long long start_ticks, const char *comm, bool open_proc,
	     struct error *err)
{
	target_init(t);
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

	target_init(t);
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
