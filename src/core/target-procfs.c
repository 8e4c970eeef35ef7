/*
 * Finding a target in the capture-only build, without libproc2: each
 * process's /proc/PID/stat (util/procfs.c) and cmdline under the root;
 * the decisions are target.c's.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/target.h"
#include "util/procfs.h"
#include "util/root.h"

long
target_proc_read(const char *root, pid_t pid, struct procfs_stat *st,
		 struct target_proc *p, char *argv0, size_t len)
{
	char path[64], text[1024];
	long n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (root_read_file(root, path, text, sizeof text) <= 0 ||
	    procfs_stat(text, st) < 0)
		return -ESRCH;
	p->pid = pid;
	p->start_ticks = st->start;
	p->state = st->state;
	p->flags = st->flags;
	p->comm = st->comm;
	/* A kernel thread's or a zombie's cmdline is empty: not read (most
	 * of a scan's processes are kernel threads). */
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	if (!target_proc_has_argv(p) ||
	    (n = root_read_file(root, path, argv0, len)) <= 0) {
		n = 0;
		argv0[0] = '\0'; /* the argv is NUL-separated: argv[0] stays */
	}
	p->argv0 = argv0[0] != '\0' ? argv0 : NULL;
	return n;
}

int
target_from_pid(struct target *t, const char *root, pid_t pid,
		struct error *err)
{
	struct procfs_stat st;
	struct target_proc p;
	char argv0[256];
	int rc;

	target_reset(t);
	if (pid <= 0)
		return error_set(err, EINVAL, "invalid pid %d", (int)pid);
	if (target_proc_read(root, pid, &st, &p, argv0, sizeof argv0) < 0)
		return target_no_pid(pid, err);
	if ((rc = target_accept(t, &p, err)) < 0)
		return rc;
	return target_open_proc(t, root, err);
}

int
target_from_name(struct target *t, const char *root, const char *name,
		 struct error *err)
{
	struct procfs_stat st, found_st;
	struct target_match m = {0};
	struct target_proc p, found = {0};
	char path[4096], argv0[256];
	struct dirent *de;
	pid_t self = getpid();
	DIR *d;
	int rc;

	target_reset(t);
	root_path(path, sizeof path, root, "/proc");
	if ((d = opendir(path)) == NULL)
		return error_set(err, errno, "cannot list processes in %s: %s",
				 path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]) ||
		    target_proc_read(root, (pid_t)atoi(de->d_name), &st, &p,
				     argv0, sizeof argv0) < 0 ||
		    !target_name_candidate(&p, self, name))
			continue;
		target_match_add(&m, &p);
		found_st = st;
		found = p;
		found.comm = found_st.comm;
		found.argv0 = NULL;
	}
	closedir(d);
	rc = target_match_check(&m, name, err);
	if (rc == 0)
		rc = target_accept(t, &found, err);
	if (rc == 0)
		rc = target_open_proc(t, root, err);
	return rc;
}
