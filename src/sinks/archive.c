/*
 * The capture archive sink (see archive.h; docs/archive.md).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/tiers.h"
#include "sinks/archive.h"
#include "util/xmalloc.h"

struct archive_sink_target {
	struct archive_target start; /* its start (or restart) record */
	struct archive_delta delta;
	bool live; /* a process has the id now */
};

struct archive_sink {
	struct archive_opts o;
	char *old_path; /* the ring's older segment: PATH.1 */
	int fd;
	uint64_t size; /* of the current segment, all good records */
	/* By target id: the one target's is 0; capture -n's processes take
	 * the next free one, or the id a process of their name left. */
	struct archive_sink_target *t;
	unsigned int nt;
	bool full_noted; /* ARCHIVE_MAX_TARGETS reached: said once */
	struct archive_sysbase sys;
	bool sys_named; /* this segment has the system names record */
	struct archive_buf rec, payload;
	struct archive_sink_stats st;
	bool pss_noted;
};

/* Writes b whole at the end, or cuts the file back to where it was. */
static int
archive_sink_put(struct archive_sink *a, const struct archive_buf *b,
		 struct error *err)
{
	size_t done = 0;
	ssize_t n;
	int code;

	while (done < b->len) {
		n = pwrite(a->fd, b->b + done, b->len - done,
			   (off_t)(a->size + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			code = n < 0 ? errno : ENOSPC;
			if (ftruncate(a->fd, (off_t)a->size) < 0) {
				/* The reader stops at the torn record. */
			}
			return error_set(err, code,
					 "cannot write to %s: %s "
					 "(free some space, or capture with "
					 "--max-size)",
					 a->o.path, strerror(code));
		}
		done += (size_t)n;
	}
	if (a->o.sync && fdatasync(a->fd) < 0 && errno != EINVAL &&
	    errno != EROFS)
		return error_set(err, errno, "cannot sync %s: %s", a->o.path,
				 strerror(errno));
	a->size += b->len;
	a->st.bytes += b->len;
	return 0;
}

/* Frames a->payload as a record of kind and appends it to a->rec. */
static void
archive_sink_frame(struct archive_sink *a, enum archive_kind kind)
{
	archive_frame(&a->rec, kind, a->payload.b, a->payload.len);
	a->payload.len = 0;
}

/* What starts every segment: the file header when it is empty, the
 * session and the start of each target there now; the delta bases start
 * afresh, so each segment and each run reads on its own. */
static void
archive_sink_preamble(struct archive_sink *a)
{
	unsigned char h[ARCHIVE_HEADER_LEN];
	unsigned int i;

	if (a->size == 0) {
		archive_header(h);
		archive_buf_add(&a->rec, h, sizeof h);
	}
	archive_encode_session(&a->payload, &a->o.session);
	archive_sink_frame(a, ARCHIVE_SESSION);
	for (i = 0; i < a->nt; i++) {
		memset(&a->t[i].delta, 0, sizeof a->t[i].delta);
		if (!a->t[i].live)
			continue;
		archive_encode_target(&a->payload, &a->t[i].start);
		archive_sink_frame(a, ARCHIVE_START);
	}
	a->sys_named = false;
}

static void
archive_sink_add_note(struct archive_sink *a, const char *text)
{
	archive_put_string(&a->payload, text);
	archive_sink_frame(a, ARCHIVE_NOTE);
}

/* The current segment is full: it becomes PATH.1 (dropping the older
 * one) and a new segment starts.  Each rename is atomic: at any time the
 * records are in PATH, or PATH.1, or both. */
static int
archive_sink_rotate(struct archive_sink *a, struct error *err)
{
	char note[512];

	if (rename(a->o.path, a->old_path) < 0)
		return error_set(err, errno, "cannot rename %s to %s: %s",
				 a->o.path, a->old_path, strerror(errno));
	close(a->fd);
	a->fd = open(a->o.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (a->fd < 0)
		return error_set(err, errno, "cannot create %s: %s", a->o.path,
				 strerror(errno));
	a->size = 0;
	a->st.rotations++;
	archive_sink_preamble(a);
	snprintf(note, sizeof note,
		 "ring: the capture reached --max-size %llu bytes; %s "
		 "became %s and the records before it were dropped",
		 (unsigned long long)a->o.max_bytes, a->o.path, a->old_path);
	archive_sink_add_note(a, note);
	return 0;
}

/* The good length of an existing archive: the header and every record up
 * to the first bad or torn one. */
static int
archive_sink_scan(int fd, const char *path, uint64_t *good, uint64_t *size,
		  struct error *err)
{
	const unsigned char *map, *payload;
	unsigned int version, kind;
	size_t off, plen, len;
	struct stat st;
	void *m;
	int rc;

	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "cannot read %s: %s", path,
				 strerror(errno));
	*good = *size = (uint64_t)st.st_size;
	if (st.st_size == 0)
		return 0;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return error_set(err, errno, "cannot read %s: %s", path,
				 strerror(errno));
	map = m;
	rc = archive_check_header(map, (size_t)st.st_size, &version);
	if (rc == -ENOTSUP)
		error_set(err, ENOTSUP,
			  "%s is a memtrend archive of format %u, newer "
			  "than this memtrend's %d: capture to another file",
			  path, version, ARCHIVE_VERSION);
	else if (rc < 0)
		error_set(err, EPROTO,
			  "%s exists and is not a memtrend archive: capture "
			  "to another file (-o)",
			  path);
	off = ARCHIVE_HEADER_LEN;
	while (rc == 0 &&
	       archive_next(map + off, (size_t)st.st_size - off, &kind,
			    &payload, &plen, &len) == ARCHIVE_NEXT_OK)
		off += len;
	munmap(m, (size_t)st.st_size);
	*good = off;
	return rc;
}

/* Gives id to t (a new id, or a restart of one of its name's); its
 * record is framed into a->rec. */
static void
archive_sink_take(struct archive_sink *a, unsigned int id,
		  const struct target *t, const char *group, bool restart)
{
	struct archive_sink_target *st;

	if (id >= a->nt) {
		a->t = xreallocarray(a->t, id + 1, sizeof *a->t);
		memset(&a->t[a->nt], 0, (id + 1 - a->nt) * sizeof *a->t);
		a->nt = id + 1;
	}
	st = &a->t[id];
	memset(st, 0, sizeof *st);
	st->live = true;
	st->start.id = id;
	st->start.pid = t->pid;
	st->start.start_ticks = t->start_ticks;
	snprintf(st->start.comm, sizeof st->start.comm, "%s", t->comm);
	snprintf(st->start.how, sizeof st->start.how, "%s",
		 t->launched ? "launched"
		 : restart   ? "restarted"
			     : "attached");
	snprintf(st->start.group, sizeof st->start.group, "%s", group);
	if (a->fd < 0)
		return; /* the preamble writes it */
	archive_encode_target(&a->payload, &st->start);
	archive_sink_frame(a, restart ? ARCHIVE_RESTART : ARCHIVE_START);
}

int
archive_sink_join(struct archive_sink *a, const struct target *t,
		  const char *group, struct error *err)
{
	unsigned int id;
	int rc;

	/* The id a process of the same name left: a restart. */
	for (id = 0; id < a->nt; id++)
		if (!a->t[id].live && group[0] != '\0' &&
		    strcmp(a->t[id].start.group, group) == 0)
			break;
	a->rec.len = 0;
	if (id == a->nt && id >= ARCHIVE_MAX_TARGETS) {
		if (a->full_noted)
			return -ENOSPC;
		a->full_noted = true;
		archive_sink_add_note(a, "more than 256 processes at once: "
					 "the ones after them are not "
					 "captured (capture fewer names)");
		rc = archive_sink_put(a, &a->rec, err);
		return rc < 0 ? rc : -ENOSPC;
	}
	archive_sink_take(a, id, t, group, id < a->nt);
	rc = archive_sink_put(a, &a->rec, err);
	return rc < 0 ? rc : (int)id;
}

int
archive_sink_leave(struct archive_sink *a, unsigned int id, const char *how,
		   struct error *err)
{
	struct archive_target end;

	if (id >= a->nt || !a->t[id].live)
		return 0;
	a->t[id].live = false;
	end = a->t[id].start;
	end.status = -1;
	snprintf(end.how, sizeof end.how, "%s",
		 how != NULL && *how != '\0' ? how : "exited");
	a->rec.len = 0;
	archive_encode_target(&a->payload, &end);
	archive_sink_frame(a, ARCHIVE_EXIT);
	return archive_sink_put(a, &a->rec, err);
}

/* Opens the file to append to, cutting a torn tail. */
static int
archive_sink_reopen(struct archive_sink *a, char *note, size_t note_len,
		    struct error *err)
{
	uint64_t good = 0, size = 0;
	int rc;

	a->fd = open(a->o.path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (a->fd < 0)
		return error_set(err, errno, "cannot open %s: %s", a->o.path,
				 strerror(errno));
	if ((rc = archive_sink_scan(a->fd, a->o.path, &good, &size, err)) < 0)
		return rc;
	if (size > good) {
		snprintf(note, note_len,
			 "%s: cut %llu bytes of a torn last record (a "
			 "capture was killed while writing it); appending "
			 "after the last good record",
			 a->o.path, (unsigned long long)(size - good));
		if (ftruncate(a->fd, (off_t)good) < 0)
			return error_set(err, errno, "cannot truncate %s: %s",
					 a->o.path, strerror(errno));
	}
	a->size = good;
	return 0;
}

int
archive_sink_open(struct archive_sink **out, const struct archive_opts *o,
		  const struct target *t, char *note, size_t note_len,
		  struct error *err)
{
	struct archive_sink *a = xcalloc(1, sizeof *a);
	int rc;

	note[0] = '\0';
	a->o = *o;
	a->fd = -1;
	xasprintf(&a->old_path, "%s.1", o->path);
	if (t != NULL)
		archive_sink_take(a, 0, t, "", false);
	if ((rc = archive_sink_reopen(a, note, note_len, err)) < 0) {
		archive_sink_close(a, false, NULL, NULL);
		return rc;
	}
	archive_sink_preamble(a);
	if (note[0] != '\0')
		archive_sink_add_note(a, note);
	if ((rc = archive_sink_put(a, &a->rec, err)) < 0) {
		archive_sink_close(a, false, NULL, NULL);
		return rc;
	}
	a->rec.len = 0;
	*out = a;
	return 0;
}

/* One note when smaps_rollup gave nothing: the archive says why PSS and
 * USS are missing rather than leaving it to be guessed.  Only a tick on
 * which a tier that reads PSS ran tells: on the others the budget let
 * them skip, and their empty PSS says nothing about the file. */
static void
archive_sink_check_rollup(struct archive_sink *a, const struct sample *s)
{
	if (a->pss_noted || !isnan(s->value[FIELD_PSS_KB]) ||
	    isnan(s->value[FIELD_RSS_KB]) || (s->tiers & TIERS_EXACT_MASK) == 0)
		return;
	a->pss_noted = true;
	archive_sink_add_note(a, "pss_kb and uss_kb unavailable: "
				 "/proc/PID/smaps_rollup (or smaps) could "
				 "not be read "
				 "(Linux 4.14 or later, and the right to "
				 "read the target's memory, are needed)");
}

int
archive_sink_write(struct archive_sink *a, unsigned int id,
		   const struct sample *s, struct error *err)
{
	int rc;

	if (id >= a->nt || !a->t[id].live)
		return 0;

	a->rec.len = 0;
	if (a->o.max_bytes != 0 && a->size >= a->o.max_bytes / 2 &&
	    (rc = archive_sink_rotate(a, err)) < 0)
		return rc;
	archive_sink_check_rollup(a, s);
	archive_encode_process(&a->payload, id, &a->t[id].delta, s);
	archive_sink_frame(a, ARCHIVE_PROCESS);
	if (s->regions != NULL) {
		archive_encode_regions(&a->payload, id, s->regions);
		archive_sink_frame(a, ARCHIVE_REGIONS);
	}
	if ((rc = archive_sink_put(a, &a->rec, err)) < 0)
		return rc;
	a->st.samples++;
	return 0;
}

int
archive_sink_note(struct archive_sink *a, const char *text, struct error *err)
{
	a->rec.len = 0;
	archive_sink_add_note(a, text);
	return archive_sink_put(a, &a->rec, err);
}

int
archive_sink_system(struct archive_sink *a, double elapsed_s,
		    const double value[KF_COUNT], struct error *err)
{
	a->rec.len = 0;
	if (!a->sys_named) {
		archive_encode_system_names(&a->payload, &a->sys);
		archive_sink_frame(a, ARCHIVE_SYSTEM_NAMES);
		a->sys_named = true;
	}
	archive_encode_system(&a->payload, elapsed_s, &a->sys, value);
	archive_sink_frame(a, ARCHIVE_SYSTEM);
	return archive_sink_put(a, &a->rec, err);
}

int
archive_sink_close(struct archive_sink *a, bool exited, const char *how,
		   struct error *err)
{
	struct error ignored;
	int rc = 0;

	if (a == NULL)
		return 0;
	if (exited && a->fd >= 0)
		rc = archive_sink_leave(a, 0, how, err ? err : &ignored);
	if (a->fd >= 0 && close(a->fd) < 0 && rc == 0 && err != NULL)
		rc = error_set(err, errno, "cannot close %s: %s", a->o.path,
			       strerror(errno));
	archive_buf_free(&a->rec);
	archive_buf_free(&a->payload);
	free(a->old_path);
	free(a->t);
	free(a);
	return rc;
}

void
archive_sink_stats(const struct archive_sink *a, struct archive_sink_stats *st)
{
	*st = a->st;
}
