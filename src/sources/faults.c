/*
 * perf_event_open(2) page-fault events (see faults.h).  Counting events
 * are read() as one u64 each (with inherit, the kernel sums the threads
 * created later into their parent's event).  The kernel refuses mmap() of
 * inherited per-task events, so sampling events are opened per thread,
 * without inherit, for every thread found in /proc/PID/task at each
 * sample (a new thread's faults before that are not sampled, though they
 * are counted).  Sampling events write
 * PERF_RECORD_SAMPLE records { header, u64 addr } and PERF_RECORD_LOST
 * records into a ring buffer of 1 + 2^n pages (include/uapi/linux/
 * perf_event.h: data_head / data_tail in the first page).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/probe.h"
#include "sources/faults.h"
#include "sources/tasks.h"
#include "util/page.h"
#include "util/root.h"
#include "util/xmalloc.h"

#define FAULTS_RING_PAGES 16 /* data pages per thread: 64 KiB */

struct faults_thread {
	pid_t tid; /* 0: exited, only its counting events kept */
	bool seen; /* listed in task/ at the last scan */
	int min_fd, maj_fd, addr_fd;
	struct perf_event_mmap_page *ring;
	size_t ring_len;
};

struct faults {
	struct faults_opts o;
	struct faults_thread *v;
	size_t n, cap;
	long page;
	int task_fd; /* /proc/PID/task, to find new threads */
	bool listed; /* the last scan read the whole of task/ */
};

static int
faults_event(pid_t tid, uint64_t config, unsigned int period, bool sample)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = config;
	if (sample) {
		attr.sample_period = period;
		attr.sample_type = PERF_SAMPLE_ADDR;
	} else {
		attr.inherit = 1;
	}
	fd = (int)syscall(SYS_perf_event_open, &attr, tid, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0 || (errno != EACCES && errno != EPERM))
		return fd;
	/* perf_event_paranoid 2 allows user-space events only (what the
	 * probe tries): faults taken in kernel mode (copy_to_user into
	 * fresh pages) then go uncounted. */
	attr.exclude_kernel = 1;
	return (int)syscall(SYS_perf_event_open, &attr, tid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void
faults_close_thread(struct faults_thread *th)
{
	if (th->ring != NULL)
		munmap(th->ring, th->ring_len);
	if (th->addr_fd >= 0)
		close(th->addr_fd);
	if (th->min_fd >= 0)
		close(th->min_fd);
	if (th->maj_fd >= 0)
		close(th->maj_fd);
}

static const char *
faults_hint(int code)
{
	return code == EACCES || code == EPERM
		   ? " (needs CAP_PERFMON, or "
		     "perf_event_paranoid <= 2 for your own processes)"
		   : "";
}

/* Opens a thread's events: counting ones at attach (count), and the
 * address sampling one.  -ESRCH when the thread is gone. */
static int
faults_open_thread(struct faults *f, pid_t tid, bool count, struct error *err)
{
	struct faults_thread *th;
	int code;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	th = &f->v[f->n];
	memset(th, 0, sizeof *th);
	th->tid = tid;
	th->seen = true;
	th->min_fd = th->maj_fd = th->addr_fd = -1;
	if (count) {
		th->min_fd =
		    faults_event(tid, PERF_COUNT_SW_PAGE_FAULTS_MIN, 0, false);
		if (th->min_fd >= 0)
			th->maj_fd = faults_event(
			    tid, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 0, false);
		if (th->maj_fd < 0)
			goto fail;
	}
	if (f->o.addresses) {
		th->addr_fd = faults_event(tid, PERF_COUNT_SW_PAGE_FAULTS,
					   f->o.period, true);
		if (th->addr_fd < 0)
			goto fail;
		th->ring_len =
		    (size_t)(1 + FAULTS_RING_PAGES) * (size_t)f->page;
		th->ring = mmap(NULL, th->ring_len, PROT_READ | PROT_WRITE,
				MAP_SHARED, th->addr_fd, 0);
		if (th->ring == MAP_FAILED) {
			th->ring = NULL;
			goto fail;
		}
	}
	f->n++;
	return 0;
fail:
	code = errno;
	faults_close_thread(th);
	if (code == ESRCH)
		return -ESRCH;
	return error_set(err, code, "perf_event_open on thread %d: %s%s",
			 (int)tid, strerror(code), faults_hint(code));
}

/* Marks tid seen; false when it is not known yet. */
static bool
faults_known(struct faults *f, pid_t tid)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].tid == tid) {
			f->v[i].seen = true;
			return true;
		}
	return false;
}

struct faults_scan {
	struct faults *f;
	bool count;
	struct error *err; /* filled when a thread's events failed */
	int rc;		   /* the first failure */
};

/* Every thread is visited, also after a failure, so the seen marks are
 * whole and the sweep closes only what exited. */
static int
faults_scan_thread(void *ctx, pid_t tid)
{
	struct faults_scan *sc = ctx;
	int rc;

	if (faults_known(sc->f, tid) || sc->rc < 0)
		return 0;
	rc = faults_open_thread(sc->f, tid, sc->count, sc->err);
	if (rc < 0 && rc != -ESRCH)
		sc->rc = rc;
	return 0;
}

/* Opens events for the threads not seen yet; count: also counting ones
 * (at attach: later threads are counted through inherit). */
static int
faults_scan_threads(struct faults *f, bool count, struct error *err)
{
	struct faults_scan sc = {.f = f, .count = count, .err = err};
	size_t i;
	int rc;

	f->listed = false;
	for (i = 0; i < f->n; i++)
		f->v[i].seen = false;
	rc = tasks_each(f->task_fd, faults_scan_thread, &sc);
	if (rc < 0)
		return error_set(err, -rc, "cannot list threads: %s",
				 strerror(-rc));
	f->listed = true;
	return sc.rc;
}

int
faults_open(struct faults **out, const struct target *t,
	    const struct faults_opts *o, struct error *err)
{
	struct faults *f = xcalloc(1, sizeof *f);
	int rc;

	f->o = *o;
	if (f->o.period == 0)
		f->o.period = 1;
	f->page = (long)page_size();
	f->task_fd =
	    openat(t->proc_fd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->task_fd < 0) {
		rc = error_set(err, errno,
			       "cannot list the threads of pid "
			       "%d: %s",
			       (int)t->pid, strerror(errno));
		free(f);
		return rc;
	}
	rc = faults_scan_threads(f, true, err);
	if (rc == 0 && f->n == 0)
		rc = error_set(err, ESRCH, "pid %d has no threads left",
			       (int)t->pid);
	if (rc < 0) {
		faults_close(f);
		return rc;
	}
	*out = f;
	return 0;
}

size_t
faults_threads(const struct faults *f)
{
	return f->n;
}

static uint64_t
faults_read(int fd)
{
	uint64_t v = 0;

	return read(fd, &v, sizeof v) == sizeof v ? v : 0;
}

/* Copies len bytes at offset off of the ring's data area, wrapping. */
static void
faults_ring_copy(const struct faults_thread *th, long page, uint64_t off,
		 void *dst, size_t len)
{
	const char *data = (const char *)th->ring + page;
	size_t size = th->ring_len - (size_t)page, at = (size_t)(off % size);
	size_t first = len < size - at ? len : size - at;

	memcpy(dst, data + at, first);
	memcpy((char *)dst + first, data, len - first);
}

static uint64_t
faults_drain(struct faults_thread *th, long page, uint64_t **addrs, size_t *n,
	     size_t *cap)
{
	struct perf_event_header h;
	uint64_t head, tail, v[2], lost = 0;

	head = __atomic_load_n(&th->ring->data_head, __ATOMIC_ACQUIRE);
	tail = th->ring->data_tail;
	while (tail < head) {
		faults_ring_copy(th, page, tail, &h, sizeof h);
		if (h.size < sizeof h)
			break;
		if (h.type == PERF_RECORD_SAMPLE && h.size >= sizeof h + 8) {
			faults_ring_copy(th, page, tail + sizeof h, v, 8);
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 4096;
				*addrs =
				    xreallocarray(*addrs, *cap, sizeof **addrs);
			}
			(*addrs)[(*n)++] = v[0];
		} else if (h.type == PERF_RECORD_LOST &&
			   h.size >= sizeof h + 16) {
			faults_ring_copy(th, page, tail + sizeof h, v, 16);
			lost += v[1]; /* { id, lost } */
		}
		tail += h.size;
	}
	__atomic_store_n(&th->ring->data_tail, tail, __ATOMIC_RELEASE);
	return lost;
}

/* Closes the sampling events of the threads the last scan did not find
 * (their rings drained already).  The counting events opened at attach
 * stay: with inherit, the counts of the threads each one started are
 * folded into it. */
static void
faults_sweep(struct faults *f)
{
	struct faults_thread *th;
	size_t i = 0;

	while (i < f->n) {
		th = &f->v[i];
		if (th->seen) {
			i++;
			continue;
		}
		if (th->ring != NULL)
			munmap(th->ring, th->ring_len);
		if (th->addr_fd >= 0)
			close(th->addr_fd);
		th->ring = NULL;
		th->addr_fd = -1;
		th->tid = 0; /* a new thread may reuse the id */
		if (th->min_fd < 0)
			f->v[i] = f->v[--f->n];
		else
			i++;
	}
}

uint64_t
faults_sample(struct faults *f, struct sample *s, uint64_t **addrs, size_t *n,
	      size_t *cap)
{
	uint64_t min = 0, maj = 0, lost = 0;
	size_t i;

	f->listed = false;
	if (f->o.addresses)
		faults_scan_threads(f, false, NULL); /* best effort */
	for (i = 0; i < f->n; i++) {
		if (f->v[i].min_fd >= 0) {
			min += faults_read(f->v[i].min_fd);
			maj += faults_read(f->v[i].maj_fd);
		}
		if (f->v[i].ring != NULL)
			lost += faults_drain(&f->v[i], f->page, addrs, n, cap);
	}
	if (f->listed)
		faults_sweep(f);
	s->value[FIELD_PERF_MINFLT] = (double)min;
	s->value[FIELD_PERF_MAJFLT] = (double)maj;
	return lost;
}

void
faults_close(struct faults *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		faults_close_thread(&f->v[i]);
	if (f->task_fd >= 0)
		close(f->task_fd);
	free(f->v);
	free(f);
}

void
faults_probe(struct probe *p, const char *root)
{
	struct perf_event_attr attr;
	char buf[32];
	long paranoid;
	bool privileged;
	int fd;

	if (root_read_file(root, "/proc/sys/kernel/perf_event_paranoid", buf,
			   sizeof buf) < 0) {
		probe_set(p, PROBE_PERF_FAULTS, false,
			  "no perf_event_paranoid:"
			  " kernel built without CONFIG_PERF_EVENTS");
		return;
	}
	paranoid = strtol(buf, NULL, 10);
	privileged = probe_has_capability(root, PROBE_CAP_PERFMON) ||
		     probe_has_capability(root, PROBE_CAP_SYS_ADMIN);
	if (!privileged && paranoid > 2) {
		probe_set(p, PROBE_PERF_FAULTS, false,
			  "perf_event_paranoid is "
			  "%ld: needs CAP_PERFMON or perf_event_paranoid <= 2",
			  paranoid);
		return;
	}
	if (!root_is_live(root)) {
		probe_set(p, PROBE_PERF_FAULTS, true,
			  "perf_event_paranoid %ld%s", paranoid,
			  privileged ? ", CAP_PERFMON held"
				     : " (own processes only)");
		return;
	}
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_PAGE_FAULTS_MIN;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	fd = (int)syscall(SYS_perf_event_open, &attr, p->pid, -1, -1, 0);
	if (fd < 0) {
		probe_set(p, PROBE_PERF_FAULTS, false,
			  "perf_event_open: %s "
			  "(perf_event_paranoid %ld)",
			  strerror(errno), paranoid);
		return;
	}
	close(fd);
	probe_set(p, PROBE_PERF_FAULTS, true,
		  "software page-fault events "
		  "(perf_event_paranoid %ld%s)",
		  paranoid,
		  privileged ? ", privileged" : ", own processes only");
}
