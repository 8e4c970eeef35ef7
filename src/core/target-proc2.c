/*
 * Finding a target through libproc2's pids API (procps_pids_select(3),
 * procps_pids_reap(3)); the decisions are target.c's.
 */
#include "config.h"

#include <errno.h>
#include <libproc2/pids.h>
#include <string.h>
#include <unistd.h>

#include "core/target.h"

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

static void
target_proc_of(struct target_proc *p, struct pids_stack *s)
{
	char **argv = TARGET_VAL(ID_ARGV, strv, s);

	p->pid = TARGET_VAL(ID_PID, s_int, s);
	p->start_ticks = TARGET_VAL(ID_BEGAN, ull_int, s);
	p->state = TARGET_VAL(ID_STATE, s_ch, s);
	p->flags = TARGET_VAL(ID_FLAGS, ul_int, s);
	p->comm = TARGET_VAL(ID_CMD, str, s);
	p->argv0 = argv != NULL ? argv[0] : NULL;
}

int
target_from_pid(struct target *t, const char *root, pid_t pid,
		struct error *err)
{
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	struct target_proc p;
	unsigned int want = (unsigned int)pid;
	int rc;

	target_reset(t);
	if (pid <= 0)
		return error_set(err, EINVAL, "invalid pid %d", (int)pid);
	rc = target_open_info(&info, err);
	if (rc < 0)
		return rc;
	f = procps_pids_select(info, &want, 1, PIDS_SELECT_PID);
	if (f == NULL || f->counts->total < 1) {
		rc = target_no_pid(pid, err);
	} else {
		target_proc_of(&p, f->stacks[0]);
		rc = target_accept(t, &p, err);
	}
	procps_pids_unref(&info);
	if (rc == 0)
		rc = target_open_proc(t, root, err);
	return rc;
}

int
target_from_name(struct target *t, const char *root, const char *name,
		 struct error *err)
{
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	struct target_match m = {0};
	struct target_proc p, found = {0};
	pid_t self = getpid();
	int i, rc;

	target_reset(t);
	rc = target_open_info(&info, err);
	if (rc < 0)
		return rc;
	f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (f == NULL) {
		procps_pids_unref(&info);
		return error_set(err, EIO, "cannot list processes in /proc");
	}
	for (i = 0; i < f->counts->total; i++) {
		target_proc_of(&p, f->stacks[i]);
		if (!target_name_candidate(&p, self, name))
			continue;
		target_match_add(&m, &p);
		found = p;
	}
	rc = target_match_check(&m, name, err);
	if (rc == 0)
		rc = target_accept(t, &found, err);
	procps_pids_unref(&info);
	if (rc == 0)
		rc = target_open_proc(t, root, err);
	return rc;
}
