/*
 * Per-process totals through libproc2's pids API (procps_pids_select(3)),
 * which reads only the files the requested items need: stat, status and
 * smaps_rollup (Documentation/filesystems/proc.rst).  libproc2 leaves the
 * SMAP_* items at 0 when smaps_rollup cannot be read, so a zero Rss with
 * zero Swap is taken as "not read", never as an empty process; likewise
 * the status Vm* items when the process is exiting (a zero VmSize).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libproc2/pids.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/probe.h"
#include "sources/rollup-items.h"
#include "sources/rollup.h"
#include "util/xmalloc.h"

/* Tier 0 items (stat, status) first, then tier 1 (smaps_rollup). */
enum {
	R_BEGAN,
	R_STATE,
	R_FLT_MIN,
	R_FLT_MAJ,
	R_NLWP,
	R_VM_RSS,
	R_RSS_ANON,
	R_RSS_FILE,
	R_RSS_SHMEM,
	R_VM_SWAP,
	R_VM_SIZE,
	R_TIER0,
	R_SMAP_RSS = R_TIER0,
	R_PSS,
	R_PRV_CLEAN,
	R_PRV_DIRTY,
	R_PRV_HUGETLB,
	R_SMAP_SWAP,
	R_SWAP_PSS,
	R_PSS_ANON,
	R_PSS_FILE,
	R_PSS_SHMEM,
	R_THP,
	R_COUNT
};

const size_t rollup_ntier0 = R_TIER0;

/* Tier 0 first: rollup_tier0_items is the head of this array. */
static enum pids_item rollup_items[R_COUNT] = {
    [R_BEGAN] = PIDS_TICS_BEGAN,
    [R_STATE] = PIDS_STATE,
    [R_FLT_MIN] = PIDS_FLT_MIN,
    [R_FLT_MAJ] = PIDS_FLT_MAJ,
    [R_NLWP] = PIDS_NLWP,
    [R_VM_RSS] = PIDS_VM_RSS,
    [R_RSS_ANON] = PIDS_VM_RSS_ANON,
    [R_RSS_FILE] = PIDS_VM_RSS_FILE,
    [R_RSS_SHMEM] = PIDS_VM_RSS_SHARED,
    [R_VM_SWAP] = PIDS_VM_SWAP,
    [R_VM_SIZE] = PIDS_VM_SIZE,
    [R_SMAP_RSS] = PIDS_SMAP_RSS,
    [R_PSS] = PIDS_SMAP_PSS,
    [R_PRV_CLEAN] = PIDS_SMAP_PRV_CLEAN,
    [R_PRV_DIRTY] = PIDS_SMAP_PRV_DIRTY,
    [R_PRV_HUGETLB] = PIDS_SMAP_HUGE_TLBPRV,
    [R_SMAP_SWAP] = PIDS_SMAP_SWAP,
    [R_SWAP_PSS] = PIDS_SMAP_SWAP_PSS,
    [R_PSS_ANON] = PIDS_SMAP_PSS_ANON,
    [R_PSS_FILE] = PIDS_SMAP_PSS_FILE,
    [R_PSS_SHMEM] = PIDS_SMAP_PSS_SHMEM,
    [R_THP] = PIDS_SMAP_HUGE_ANON,
};

const enum pids_item *const rollup_tier0_items = rollup_items;

struct rollup {
	struct pids_info *stat; /* tier 0 items only */
	struct pids_info *full; /* tier 0 and tier 1 */
};

int
rollup_open(struct rollup **out, struct error *err)
{
	struct rollup *r = xcalloc(1, sizeof *r);
	int rc;

	rc = procps_pids_new(&r->stat, rollup_items, R_TIER0);
	if (rc >= 0)
		rc = procps_pids_new(&r->full, rollup_items, R_COUNT);
	if (rc < 0) {
		rollup_close(r);
		return error_set(err, -rc,
				 "cannot use libproc2: %s (is /proc "
				 "mounted?)",
				 strerror(-rc));
	}
	*out = r;
	return 0;
}

/* PIDS_VAL takes (but does not use) the info handle. */
#define ROLLUP_UL(i) ((double)PIDS_VAL(i, ul_int, st, NULL))

bool
rollup_tier0_values(struct pids_stack *st, int base, double *v)
{
	v[FIELD_MINFLT] = ROLLUP_UL(base + R_FLT_MIN);
	v[FIELD_MAJFLT] = ROLLUP_UL(base + R_FLT_MAJ);
	v[FIELD_THREADS] = PIDS_VAL(base + R_NLWP, s_int, st, NULL);
	/* No address space: status lost its Vm* block (libproc2 reads 0)
	 * because the process is tearing down its memory on the way out;
	 * sizes unknown. */
	if (ROLLUP_UL(base + R_VM_SIZE) == 0)
		return false;
	v[FIELD_RSS_KB] = ROLLUP_UL(base + R_VM_RSS);
	v[FIELD_ANON_KB] = ROLLUP_UL(base + R_RSS_ANON);
	v[FIELD_FILE_KB] = ROLLUP_UL(base + R_RSS_FILE);
	v[FIELD_SHMEM_KB] = ROLLUP_UL(base + R_RSS_SHMEM);
	v[FIELD_SWAP_KB] = ROLLUP_UL(base + R_VM_SWAP);
	return true;
}

int
rollup_sample(struct rollup *r, const struct target *t, bool with_smaps,
	      struct sample *s, struct error *err)
{
	unsigned int pid = (unsigned int)t->pid;
	struct pids_fetch *f;
	struct pids_stack *st;
	double *v = s->value;
	char state;

	f = procps_pids_select(with_smaps ? r->full : r->stat, &pid, 1,
			       PIDS_SELECT_PID);
	if (f == NULL || f->counts->total < 1)
		return error_set(err, ESRCH, "pid %d (%s) has exited",
				 (int)t->pid, t->comm);
	st = f->stacks[0];
	if (PIDS_VAL(R_BEGAN, ull_int, st, NULL) != t->start_ticks)
		return error_set(err, ESTALE,
				 "pid %d (%s) has exited; the "
				 "pid now belongs to another process",
				 (int)t->pid, t->comm);
	state = PIDS_VAL(R_STATE, s_ch, st, NULL);
	if (state == 'Z' || state == 'X')
		return error_set(err, ESRCH, "pid %d (%s) has exited",
				 (int)t->pid, t->comm);

	s->pid = t->pid;
	if (!rollup_tier0_values(st, 0, v)) {
		s->partial = true; /* a partial row, sizes unknown */
		return error_set(err, ESRCH, "pid %d (%s) has exited",
				 (int)t->pid, t->comm);
	}
	if (!with_smaps)
		return 0;
	if (ROLLUP_UL(R_SMAP_RSS) == 0 && ROLLUP_UL(R_SMAP_SWAP) == 0)
		return 0; /* smaps_rollup unreadable: leave NAN */
	v[FIELD_PSS_KB] = ROLLUP_UL(R_PSS);
	v[FIELD_USS_KB] = ROLLUP_UL(R_PRV_CLEAN) + ROLLUP_UL(R_PRV_DIRTY) +
			  ROLLUP_UL(R_PRV_HUGETLB);
	v[FIELD_SWAP_PSS_KB] = ROLLUP_UL(R_SWAP_PSS);
	v[FIELD_PSS_ANON_KB] = ROLLUP_UL(R_PSS_ANON);
	v[FIELD_PSS_FILE_KB] = ROLLUP_UL(R_PSS_FILE);
	v[FIELD_PSS_SHMEM_KB] = ROLLUP_UL(R_PSS_SHMEM);
	v[FIELD_ANON_THP_KB] = ROLLUP_UL(R_THP);
	return 0;
}

void
rollup_close(struct rollup *r)
{
	if (r == NULL)
		return;
	if (r->stat != NULL)
		procps_pids_unref(&r->stat);
	if (r->full != NULL)
		procps_pids_unref(&r->full);
	free(r);
}

void
rollup_probe(struct probe *p, const char *root)
{
	char path[64];

	probe_pid_path(path, sizeof path, p->pid, "smaps_rollup");
	probe_file(p, PROBE_SMAPS_ROLLUP, root, path, O_RDONLY,
		   "missing (Linux 4.14 or later needed)");
}
