/*
 * Target sets in the capture-only build, without libproc2 (see
 * targets.h; the full build's is targets.c): a walk of ROOT/proc, each
 * process's stat and cmdline read by target_proc_read()
 * (core/target-procfs.c, over util/procfs.c's stat reader), the name
 * decided by target.c as for -n.  Names (capture -n) and process trees;
 * cgroups, patterns, pidfiles, every process and the daemon's shared
 * scan are the full build's.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/target.h"
#include "sources/targets.h"
#include "util/procfs.h"
#include "util/root.h"
#include "util/xmalloc.h"

struct targets {
	struct targets_spec spec;
	struct targets_found *found;
	pid_t *ppid; /* each found one's parent (TARGETS_TREE) */
	size_t n, cap;
};

int
targets_open(struct targets **out, const struct targets_spec *spec,
	     struct error *err)
{
	*out = NULL;
	if (spec->kind != TARGETS_NAME && spec->kind != TARGETS_TREE &&
	    spec->kind != TARGETS_PID)
		return error_set(err, ENOTSUP,
				 "only sets by name, pid or process tree are "
				 "in the capture-only build: capture -n NAME");
	*out = xcalloc(1, sizeof **out);
	(*out)->spec = *spec;
	return 0;
}

/* One process as found: its argv joined by spaces. */
static void
targets_add(struct targets *ts, const struct target_proc *p, long ppid,
	    char *argv, long len)
{
	struct targets_found *f;
	long i;
	int k;

	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 8;
		ts->found = xreallocarray(ts->found, ts->cap, sizeof *f);
		ts->ppid = xreallocarray(ts->ppid, ts->cap, sizeof *ts->ppid);
	}
	ts->ppid[ts->n] = (pid_t)ppid;
	f = &ts->found[ts->n++];
	memset(f, 0, sizeof *f);
	f->pid = p->pid;
	f->start_ticks = p->start_ticks;
	snprintf(f->comm, sizeof f->comm, "%s", p->comm);
	while (len > 0 && argv[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++)
		if (argv[i] == '\0')
			argv[i] = ' ';
	snprintf(f->cmdline, sizeof f->cmdline, "%s", len > 0 ? argv : "");
	for (k = 0; k < FIELD_COUNT; k++)
		f->value[k] = NAN;
}

static bool
targets_listed(const struct targets *ts, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ts->found[i].pid == pid)
			return true;
	return false;
}

/* Keeps the tree's root and every process whose parent is kept, by
 * passes until none is added (a child may have a lower pid than its
 * parent once pids wrap). */
static void
targets_keep_tree(struct targets *ts)
{
	struct targets_found f;
	size_t kept = 0, i = 0;
	bool grew = true;
	pid_t pp;

	while (grew) {
		grew = false;
		for (; i < ts->n; i++) {
			if (ts->found[i].pid != ts->spec.pid &&
			    !targets_listed(ts, kept, ts->ppid[i]))
				continue;
			/* Move it to the kept ones at the front. */
			f = ts->found[kept];
			ts->found[kept] = ts->found[i];
			ts->found[i] = f;
			pp = ts->ppid[kept];
			ts->ppid[kept] = ts->ppid[i];
			ts->ppid[i] = pp;
			kept++;
			grew = true;
		}
		i = kept;
	}
	ts->n = kept;
}

static int
targets_cmp(const void *a, const void *b)
{
	const struct targets_found *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

long
targets_scan(struct targets *ts, const struct targets_found **found,
	     struct error *err)
{
	const struct targets_spec *sp = &ts->spec;
	char path[4096], argv[256];
	struct procfs_stat st;
	struct target_proc p;
	struct dirent *de;
	pid_t self = getpid();
	long len;
	DIR *d;

	ts->n = 0;
	if (sp->kind == TARGETS_PID) { /* one process: no walk */
		len = target_proc_read(sp->root, sp->pid, &st, &p, argv,
				       sizeof argv);
		if (len >= 0 && p.start_ticks == sp->start_ticks &&
		    target_name_candidate(&p, self, NULL))
			targets_add(ts, &p, st.ppid, argv, len);
		*found = ts->found;
		return (long)ts->n;
	}
	root_path(path, sizeof path, sp->root, "/proc");
	if ((d = opendir(path)) == NULL)
		return error_set(err, errno, "cannot list processes in %s: %s",
				 path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		len = target_proc_read(sp->root, (pid_t)atoi(de->d_name), &st,
				       &p, argv, sizeof argv);
		if (len < 0)
			continue; /* gone meanwhile */
		/* A process called name, or any user process for a tree. */
		if (!target_name_candidate(
			&p, self, sp->kind == TARGETS_NAME ? sp->name : NULL))
			continue;
		targets_add(ts, &p, st.ppid, argv, len);
	}
	closedir(d);
	if (sp->kind == TARGETS_TREE)
		targets_keep_tree(ts);
	if (ts->n > 1)
		qsort(ts->found, ts->n, sizeof *ts->found, targets_cmp);
	*found = ts->found;
	return (long)ts->n;
}

void
targets_describe(const struct targets_spec *spec, char *buf, size_t len)
{
	if (spec->kind == TARGETS_TREE)
		snprintf(buf, len, "pid %d and its descendants",
			 (int)spec->pid);
	else if (spec->kind == TARGETS_PID)
		snprintf(buf, len, "pid %d", (int)spec->pid);
	else
		snprintf(buf, len, "every process named '%s'",
			 spec->name != NULL ? spec->name : "");
}

void
targets_close(struct targets *ts)
{
	if (ts == NULL)
		return;
	free(ts->found);
	free(ts->ppid);
	free(ts);
}

void
targets_cgroup_dir(char *buf, size_t len, const char *root, const char *cgroup)
{
	(void)root;
	(void)cgroup;
	if (len > 0)
		buf[0] = '\0';
}

/* The daemon's shared scan: not in this build. */
int
targets_source_new(struct targets_source **out, struct error *err)
{
	*out = NULL;
	return error_set(err, ENOTSUP,
			 "the daemon is not in the capture-only build");
}

void
targets_source_next(struct targets_source *src)
{
	(void)src;
}

void
targets_source_free(struct targets_source *src)
{
	(void)src;
}

int
targets_open_shared(struct targets **out, const struct targets_spec *spec,
		    struct targets_source *src, struct error *err)
{
	(void)src;
	return targets_open(out, spec, err);
}
