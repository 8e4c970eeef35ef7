/*
 * Target sets (see targets.h).  Processes are listed through libproc2's
 * pids API (procps_pids_reap(3)); a cgroup's members come from its
 * cgroup.procs file, which cgroup v1 and v2 directories both have.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libproc2/pids.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/target.h"
#include "sources/rollup-items.h"
#include "sources/rollup.h"
#include "sources/targets.h"
#include "util/root.h"
#include "util/xmalloc.h"

#define TARGETS_PF_KTHREAD 0x00200000UL /* include/linux/sched.h */
#define TARGETS_VAL(i, type, s) PIDS_VAL(i, type, s, NULL)

enum { T_PID, T_PPID, T_BEGAN, T_CMD, T_STATE, T_FLAGS, T_ARGV, T_UID, T_N };

static const enum pids_item targets_items[T_N] = {
    [T_PID] = PIDS_ID_PID,	 [T_PPID] = PIDS_ID_PPID,
    [T_BEGAN] = PIDS_TICS_BEGAN, [T_CMD] = PIDS_CMD,
    [T_STATE] = PIDS_STATE,	 [T_FLAGS] = PIDS_FLAGS,
    [T_ARGV] = PIDS_CMDLINE_V,	 [T_UID] = PIDS_ID_EUID,
};

/* One read of every process, shared by the sets scanned in one round. */
struct targets_source {
	struct pids_info *info;
	enum pids_item items[T_N];
	struct pids_fetch *fetch; /* this round's; NULL: not read yet */
};

struct targets {
	struct targets_spec spec;
	struct targets_source *src; /* shared; NULL: its own info */
	struct pids_info *info;
	enum pids_item items[T_N + 32];
	struct targets_found *found;
	size_t n, cap;
	pid_t *tree;	    /* TARGETS_TREE: the pids known to belong */
	unsigned int *want; /* TARGETS_CGROUP: cgroup.procs */
	size_t nwant, want_cap;
	char *procs;
	size_t procs_cap;
	int procs_fd;
	regex_t re; /* TARGETS_PATTERN */
	bool re_set;
};

int
targets_source_new(struct targets_source **out, struct error *err)
{
	struct targets_source *src = xcalloc(1, sizeof *src);
	int rc;

	memcpy(src->items, targets_items, sizeof targets_items);
	rc = procps_pids_new(&src->info, src->items, T_N);
	if (rc < 0) {
		free(src);
		return error_set(err, -rc,
				 "cannot use libproc2: %s (is /proc mounted?)",
				 strerror(-rc));
	}
	*out = src;
	return 0;
}

void
targets_source_next(struct targets_source *src)
{
	if (src != NULL)
		src->fetch = NULL;
}

void
targets_source_free(struct targets_source *src)
{
	if (src == NULL)
		return;
	procps_pids_unref(&src->info);
	free(src);
}

int
targets_open_shared(struct targets **out, const struct targets_spec *spec,
		    struct targets_source *src, struct error *err)
{
	struct targets_spec sp = *spec;
	int rc;

	sp.tier0 = false;
	sp.shared = true;
	if ((rc = targets_open(out, &sp, err)) < 0)
		return rc;
	(*out)->src = src;
	return 0;
}

/* This round's read of every process, made by the first set to ask. */
static struct pids_fetch *
targets_source_fetch(struct targets_source *src)
{
	if (src->fetch == NULL)
		src->fetch = procps_pids_reap(src->info, PIDS_FETCH_TASKS_ONLY);
	return src->fetch;
}

static bool
targets_wanted(const struct targets *ts, pid_t pid)
{
	size_t i;

	for (i = 0; i < ts->nwant; i++)
		if ((pid_t)ts->want[i] == pid)
			return true;
	return false;
}

int
targets_open(struct targets **out, const struct targets_spec *spec,
	     struct error *err)
{
	struct targets *ts = xcalloc(1, sizeof *ts);
	size_t nitems = T_N;
	char dir[4096];
	int rc;

	ts->spec = *spec;
	ts->procs_fd = -1;
	memcpy(ts->items, targets_items, sizeof targets_items);
	if (spec->tier0 && rollup_ntier0 <= 32) {
		memcpy(ts->items + T_N, rollup_tier0_items,
		       rollup_ntier0 * sizeof *ts->items);
		nitems += rollup_ntier0;
	}
	rc = spec->shared ? 0
			  : procps_pids_new(&ts->info, ts->items, (int)nitems);
	if (rc < 0) {
		targets_close(ts);
		return error_set(err, -rc,
				 "cannot use libproc2: %s (is /proc mounted?)",
				 strerror(-rc));
	}
	if (spec->kind == TARGETS_PATTERN) {
		rc = regcomp(&ts->re, spec->pattern, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &ts->re, dir, sizeof dir);
			targets_close(ts);
			return error_set(err, EINVAL,
					 "pattern '%s': %s (give a POSIX "
					 "extended regular expression)",
					 spec->pattern, dir);
		}
		ts->re_set = true;
	}
	if (spec->kind == TARGETS_CGROUP) {
		char path[4200];

		targets_cgroup_dir(dir, sizeof dir, "/", spec->cgroup);
		snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		ts->procs_fd = root_open(spec->root, path, O_RDONLY);
		if (ts->procs_fd < 0 && !spec->patient) {
			rc = -ts->procs_fd;
			targets_close(ts);
			return error_set(err, rc,
					 "--cgroup %s: cannot read %s: %s "
					 "(give a cgroup directory, absolute "
					 "or under /sys/fs/cgroup)",
					 spec->cgroup, path, strerror(rc));
		}
	}
	*out = ts;
	return 0;
}

void
targets_unit_cgroup(char *buf, size_t len, const char *root, const char *unit)
{
	const char *suffix = strchr(unit, '.') != NULL ? "" : ".service";
	char path[4096];

	/* cgroup v2 has cgroup.controllers at its root; v1 does not. */
	root_path(path, sizeof path, root, "/sys/fs/cgroup/cgroup.controllers");
	if (access(path, F_OK) == 0)
		snprintf(buf, len, "/sys/fs/cgroup/system.slice/%s%s", unit,
			 suffix);
	else
		snprintf(buf, len, "/sys/fs/cgroup/systemd/system.slice/%s%s",
			 unit, suffix);
}

void
targets_cgroup_dir(char *buf, size_t len, const char *root, const char *cgroup)
{
	char path[4096];

	if (cgroup[0] == '/')
		snprintf(path, sizeof path, "%s", cgroup);
	else
		snprintf(path, sizeof path, "/sys/fs/cgroup/%s", cgroup);
	root_path(buf, len, root, path);
}

static void
targets_add(struct targets *ts, struct pids_stack *s)
{
	struct targets_found *f;
	char **argv = TARGETS_VAL(T_ARGV, strv, s);
	size_t used = 0;
	int i;

	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 4;
		ts->found = xreallocarray(ts->found, ts->cap, sizeof *f);
	}
	f = &ts->found[ts->n++];
	f->pid = TARGETS_VAL(T_PID, s_int, s);
	f->start_ticks = TARGETS_VAL(T_BEGAN, ull_int, s);
	snprintf(f->comm, sizeof f->comm, "%s", TARGETS_VAL(T_CMD, str, s));
	f->cmdline[0] = '\0';
	for (i = 0; i < FIELD_COUNT; i++)
		f->value[i] = NAN;
	f->sized = ts->spec.tier0 && rollup_tier0_values(s, T_N, f->value);
	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		int w = snprintf(f->cmdline + used, sizeof f->cmdline - used,
				 "%s%s", i ? " " : "", argv[i]);

		if (w < 0 || (size_t)w >= sizeof f->cmdline - used)
			break;
		used += (size_t)w;
	}
}

/* Whether a process may be watched at all. */
static bool
targets_usable(struct pids_stack *s)
{
	char state = TARGETS_VAL(T_STATE, s_ch, s);

	return TARGETS_VAL(T_PID, s_int, s) != getpid() &&
	       !(TARGETS_VAL(T_FLAGS, ul_int, s) & TARGETS_PF_KTHREAD) &&
	       state != 'Z' && state != 'X';
}

static bool
targets_in_tree(const pid_t *tree, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tree[i] == pid)
			return true;
	return false;
}

/* The root pid and every process whose parent is in the tree, found by
 * passes until none is added (a child may have a lower pid than its
 * parent once pids wrap). */
static void
targets_tree(struct targets *ts, struct pids_fetch *f)
{
	int total = f->counts->total, i;
	size_t n = 0;
	bool grew = true;

	ts->tree = xreallocarray(ts->tree, (size_t)total + 1, sizeof *ts->tree);
	ts->tree[n++] = ts->spec.pid;
	while (grew) {
		grew = false;
		for (i = 0; i < total; i++) {
			struct pids_stack *s = f->stacks[i];
			pid_t pid = TARGETS_VAL(T_PID, s_int, s);

			if (!targets_in_tree(ts->tree, n, pid) &&
			    targets_in_tree(ts->tree, n,
					    TARGETS_VAL(T_PPID, s_int, s))) {
				ts->tree[n++] = pid;
				grew = true;
			}
		}
	}
	for (i = 0; i < total; i++) {
		struct pids_stack *s = f->stacks[i];

		if (targets_usable(s) &&
		    targets_in_tree(ts->tree, n, TARGETS_VAL(T_PID, s_int, s)))
			targets_add(ts, s);
	}
}

/* The regex against argv joined by spaces (the comm for a process
 * without one). */
static bool
targets_cmdline_matches(const struct targets *ts, struct pids_stack *s)
{
	char **argv = TARGETS_VAL(T_ARGV, strv, s);
	char line[4096];
	size_t used = 0;
	int i, w;

	line[0] = '\0';
	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		w = snprintf(line + used, sizeof line - used, "%s%s",
			     i ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof line - used)
			break;
		used += (size_t)w;
	}
	if (used == 0)
		snprintf(line, sizeof line, "%s", TARGETS_VAL(T_CMD, str, s));
	return regexec(&ts->re, line, 0, NULL, 0) == 0;
}

static int
targets_cmp(const void *a, const void *b)
{
	const struct targets_found *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The pids listed in cgroup.procs (re-read from its start), or in a
 * pidfile (opened afresh: a service rewrites it on restart).  A patient
 * set's file not there lists none. */
static long
targets_cgroup_pids(struct targets *ts, struct error *err)
{
	long len;
	char *p, *end;

	if (ts->spec.kind == TARGETS_PIDFILE || ts->procs_fd < 0) {
		char dir[4096], path[4200];

		if (ts->procs_fd >= 0)
			close(ts->procs_fd);
		if (ts->spec.kind == TARGETS_PIDFILE) {
			snprintf(path, sizeof path, "%s", ts->spec.pidfile);
		} else {
			targets_cgroup_dir(dir, sizeof dir, "/",
					   ts->spec.cgroup);
			snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		}
		ts->procs_fd = ts->spec.kind == TARGETS_PIDFILE
				   ? open(path, O_RDONLY | O_CLOEXEC)
				   : root_open(ts->spec.root, path, O_RDONLY);
		ts->nwant = 0;
		if (ts->procs_fd < 0)
			return 0;
	}
	len = root_pread_grow(ts->procs_fd, &ts->procs, &ts->procs_cap);
	if (len < 0 && ts->spec.patient) {
		close(ts->procs_fd);
		ts->procs_fd = -1;
		ts->nwant = 0;
		return 0;
	}
	if (len < 0)
		return error_set(err, (int)-len,
				 "--cgroup %s: cannot read its "
				 "cgroup.procs: %s (was the cgroup removed?)",
				 ts->spec.cgroup, strerror((int)-len));
	ts->nwant = 0;
	for (p = ts->procs; *p != '\0'; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid <= 0)
			continue;
		if (ts->nwant == ts->want_cap) {
			ts->want_cap = ts->want_cap ? ts->want_cap * 2 : 64;
			ts->want = xreallocarray(ts->want, ts->want_cap,
						 sizeof *ts->want);
		}
		ts->want[ts->nwant++] = (unsigned int)pid;
	}
	return 0;
}

long
targets_scan(struct targets *ts, const struct targets_found **found,
	     struct error *err)
{
	const struct targets_spec *sp = &ts->spec;
	struct pids_fetch *f;
	int i;
	long rc;

	ts->n = 0;
	if (sp->kind == TARGETS_CGROUP || sp->kind == TARGETS_PIDFILE) {
		rc = targets_cgroup_pids(ts, err);
		if (rc < 0)
			return rc;
		if (ts->nwant == 0) {
			*found = ts->found;
			return 0;
		}
		f = ts->src != NULL
			? targets_source_fetch(ts->src)
			: procps_pids_select(ts->info, ts->want, (int)ts->nwant,
					     PIDS_SELECT_PID);
	} else if (ts->src != NULL) {
		f = targets_source_fetch(ts->src);
	} else {
		f = procps_pids_reap(ts->info, PIDS_FETCH_TASKS_ONLY);
	}
	if (f == NULL)
		return error_set(err, EIO, "cannot list processes in /proc");
	if (sp->kind == TARGETS_TREE) {
		targets_tree(ts, f);
	} else {
		for (i = 0; i < f->counts->total; i++) {
			struct pids_stack *s = f->stacks[i];

			if (!targets_usable(s))
				continue;
			/* A shared read lists every process. */
			if (ts->src != NULL &&
			    (sp->kind == TARGETS_CGROUP ||
			     sp->kind == TARGETS_PIDFILE) &&
			    !targets_wanted(ts, TARGETS_VAL(T_PID, s_int, s)))
				continue;
			if (sp->kind == TARGETS_NAME &&
			    !target_called(TARGETS_VAL(T_CMD, str, s),
					   TARGETS_VAL(T_ARGV, strv, s),
					   sp->name))
				continue;
			if (sp->kind == TARGETS_PATTERN &&
			    !targets_cmdline_matches(ts, s))
				continue;
			if (sp->kind == TARGETS_PID &&
			    (TARGETS_VAL(T_PID, s_int, s) != sp->pid ||
			     TARGETS_VAL(T_BEGAN, ull_int, s) !=
				 sp->start_ticks))
				continue;
			if (sp->kind == TARGETS_ALL && sp->by_uid &&
			    TARGETS_VAL(T_UID, u_int, s) != sp->uid)
				continue;
			targets_add(ts, s);
		}
	}
	if (ts->n > 1) /* found is NULL before the first: no qsort(NULL) */
		qsort(ts->found, ts->n, sizeof *ts->found, targets_cmp);
	*found = ts->found;
	return (long)ts->n;
}

void
targets_describe(const struct targets_spec *spec, char *buf, size_t len)
{
	switch (spec->kind) {
	case TARGETS_NAME:
		snprintf(buf, len, "every process named '%s'", spec->name);
		break;
	case TARGETS_TREE:
		snprintf(buf, len, "pid %d and its descendants",
			 (int)spec->pid);
		break;
	case TARGETS_CGROUP:
		snprintf(buf, len, "the processes of cgroup %s", spec->cgroup);
		break;
	case TARGETS_PATTERN:
		snprintf(buf, len,
			 "every process whose command line matches "
			 "'%s'",
			 spec->pattern);
		break;
	case TARGETS_PIDFILE:
		snprintf(buf, len, "the process of pidfile %s", spec->pidfile);
		break;
	case TARGETS_PID:
		snprintf(buf, len, "pid %d", (int)spec->pid);
		break;
	case TARGETS_ALL:
		if (spec->by_uid)
			snprintf(buf, len, "every process of uid %u",
				 (unsigned int)spec->uid);
		else
			snprintf(buf, len, "every process");
		break;
	}
}

void
targets_close(struct targets *ts)
{
	if (ts == NULL)
		return;
	if (ts->info != NULL)
		procps_pids_unref(&ts->info);
	if (ts->procs_fd >= 0)
		close(ts->procs_fd);
	if (ts->re_set)
		regfree(&ts->re);
	free(ts->found);
	free(ts->tree);
	free(ts->want);
	free(ts->procs);
	free(ts);
}
