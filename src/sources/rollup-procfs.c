/*
 * Tiers 0 and 1 in the capture-only build (see rollup.h; the full build's
 * rollup.c reads the same files through libproc2): /proc/PID/stat (the
 * identity, state, faults and threads, util/procfs.c), status (RSS and
 * its parts, swap) and smaps_rollup (PSS, USS), read through the target's
 * /proc/PID directory fd, kept open and re-read from offset 0
 * (Documentation/filesystems/proc.rst).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/rollup.h"
#include "util/procfs.h"
#include "util/root.h"
#include "util/xmalloc.h"

enum { ROLLUP_STAT, ROLLUP_STATUS, ROLLUP_SMAPS, ROLLUP_NFILES };

static const char *const rollup_files[ROLLUP_NFILES] = {"stat", "status",
							"smaps_rollup"};

struct rollup {
	int dir;	       /* the target's proc_fd it was opened for */
	int fd[ROLLUP_NFILES]; /* -1: not open */
	char text[4096];
};

/* Where a status or smaps_rollup key goes. */
struct rollup_key {
	const char *key;
	enum field_id field;
};

static const struct rollup_key rollup_status[] = {
    {"VmRSS", FIELD_RSS_KB},	{"RssAnon", FIELD_ANON_KB},
    {"RssFile", FIELD_FILE_KB}, {"RssShmem", FIELD_SHMEM_KB},
    {"VmSwap", FIELD_SWAP_KB},
};

static const struct rollup_key rollup_smaps[] = {
    {"Pss", FIELD_PSS_KB},
    {"SwapPss", FIELD_SWAP_PSS_KB},
    {"Pss_Anon", FIELD_PSS_ANON_KB},
    {"Pss_File", FIELD_PSS_FILE_KB},
    {"Pss_Shmem", FIELD_PSS_SHMEM_KB},
    {"AnonHugePages", FIELD_ANON_THP_KB},
};

int
rollup_open(struct rollup **out, struct error *err)
{
	struct rollup *r = xcalloc(1, sizeof *r);
	int i;

	(void)err;
	r->dir = -1;
	for (i = 0; i < ROLLUP_NFILES; i++)
		r->fd[i] = -1;
	*out = r;
	return 0;
}

/* The file's text, or -errno (ESRCH once the process is gone). */
static long
rollup_read(struct rollup *r, const struct target *t, int file)
{
	int i;

	if (r->dir != t->proc_fd) {
		for (i = 0; i < ROLLUP_NFILES; i++) {
			if (r->fd[i] >= 0)
				close(r->fd[i]);
			r->fd[i] = -1;
		}
		r->dir = t->proc_fd;
	}
	if (r->fd[file] < 0) {
		r->fd[file] = openat(t->proc_fd, rollup_files[file],
				     O_RDONLY | O_CLOEXEC);
		if (r->fd[file] < 0)
			return -errno;
	}
	return root_pread_all(r->fd[file], r->text, sizeof r->text);
}

static void
rollup_keys(const char *text, const struct rollup_key *k, size_t n, double *v)
{
	size_t i;
	double x;

	for (i = 0; i < n; i++)
		if (procfs_kv(text, k[i].key, &x) == 0)
			v[k[i].field] = x;
}

static int
rollup_smaps_sample(struct rollup *r, const struct target *t, double *v)
{
	double clean, dirty, huge = 0;

	if (rollup_read(r, t, ROLLUP_SMAPS) <= 0)
		return 0; /* unreadable: PSS and USS stay NAN */
	if (procfs_kv(r->text, "Private_Clean", &clean) < 0 ||
	    procfs_kv(r->text, "Private_Dirty", &dirty) < 0)
		return 0;
	procfs_kv(r->text, "Private_Hugetlb", &huge);
	v[FIELD_USS_KB] = clean + dirty + huge;
	rollup_keys(r->text, rollup_smaps,
		    sizeof rollup_smaps / sizeof rollup_smaps[0], v);
	return 0;
}

int
rollup_sample(struct rollup *r, const struct target *t, bool with_smaps,
	      struct sample *s, struct error *err)
{
	struct procfs_stat st;
	double *v = s->value, size;
	long n;

	n = rollup_read(r, t, ROLLUP_STAT);
	if (n <= 0 || procfs_stat(r->text, &st) < 0)
		return error_set(err, ESRCH, "pid %d (%s) has exited",
				 (int)t->pid, t->comm);
	if (st.start != t->start_ticks)
		return error_set(err, ESTALE,
				 "pid %d (%s) has exited; the "
				 "pid now belongs to another process",
				 (int)t->pid, t->comm);
	if (st.state == 'Z' || st.state == 'X')
		return error_set(err, ESRCH, "pid %d (%s) has exited",
				 (int)t->pid, t->comm);
	s->pid = t->pid;
	v[FIELD_MINFLT] = st.minflt;
	v[FIELD_MAJFLT] = st.majflt;
	v[FIELD_THREADS] = st.threads;
	if (rollup_read(r, t, ROLLUP_STATUS) <= 0 ||
	    procfs_kv(r->text, "VmSize", &size) < 0 || size == 0) {
		/* No address space: the process is tearing down its memory
		 * on the way out.  A partial row, sizes unknown. */
		s->partial = true;
		return error_set(err, ESRCH, "pid %d (%s) has exited",
				 (int)t->pid, t->comm);
	}
	rollup_keys(r->text, rollup_status,
		    sizeof rollup_status / sizeof rollup_status[0], v);
	return with_smaps ? rollup_smaps_sample(r, t, v) : 0;
}

void
rollup_close(struct rollup *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < ROLLUP_NFILES; i++)
		if (r->fd[i] >= 0)
			close(r->fd[i]);
	free(r);
}
