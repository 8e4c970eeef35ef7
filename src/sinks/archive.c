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

#include "sinks/archive.h"
#include "util/xmalloc.h"

struct archive_sink {
	struct archive_opts o;
	char *old_path; /* the ring's older segment: PATH.1 */
	int fd;
	uint64_t size; /* of the current segment, all good records */
	struct archive_target start;
	struct archive_delta delta;
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
 * session and the target's start; the delta base starts afresh, so each
 * segment and each run reads on its own. */
static void
archive_sink_preamble(struct archive_sink *a)
{
	unsigned char h[ARCHIVE_HEADER_LEN];

	if (a->size == 0) {
		archive_header(h);
		archive_buf_add(&a->rec, h, sizeof h);
	}
	archive_encode_session(&a->payload, &a->o.session);
	archive_sink_frame(a, ARCHIVE_SESSION);
	archive_encode_target(&a->payload, &a->start);
	archive_sink_frame(a, ARCHIVE_START);
	memset(&a->delta, 0, sizeof a->delta);
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
	a->start.pid = t->pid;
	a->start.start_ticks = t->start_ticks;
	snprintf(a->start.comm, sizeof a->start.comm, "%s", t->comm);
	snprintf(a->start.how, sizeof a->start.how, "%s",
		 t->launched ? "launched" : "attached");
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
 * USS are missing rather than leaving it to be guessed. */
static void
archive_sink_check_rollup(struct archive_sink *a, const struct sample *s)
{
	if (a->pss_noted || !isnan(s->value[FIELD_PSS_KB]) ||
	    isnan(s->value[FIELD_RSS_KB]))
		return;
	a->pss_noted = true;
	archive_sink_add_note(a, "pss_kb and uss_kb unavailable: "
				 "/proc/PID/smaps_rollup could not be read "
				 "(Linux 4.14 or later, and the right to "
				 "read the target's memory, are needed)");
}

int
archive_sink_write(struct archive_sink *a, const struct sample *s,
		   struct error *err)
{
	int rc;

	a->rec.len = 0;
	if (a->o.max_bytes != 0 && a->size >= a->o.max_bytes / 2 &&
	    (rc = archive_sink_rotate(a, err)) < 0)
		return rc;
	archive_sink_check_rollup(a, s);
	archive_encode_process(&a->payload, 0, &a->delta, s);
	archive_sink_frame(a, ARCHIVE_PROCESS);
	if (s->regions != NULL) {
		archive_encode_regions(&a->payload, 0, s->regions);
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
	struct archive_target end;
	struct error ignored;
	int rc = 0;

	if (a == NULL)
		return 0;
	if (exited && a->fd >= 0) {
		end = a->start;
		end.status = -1;
		snprintf(end.how, sizeof end.how, "%s",
			 how != NULL && *how != '\0' ? how : "exited");
		a->rec.len = 0;
		archive_encode_target(&a->payload, &end);
		archive_sink_frame(a, ARCHIVE_EXIT);
		rc = archive_sink_put(a, &a->rec, err ? err : &ignored);
	}
	if (a->fd >= 0 && close(a->fd) < 0 && rc == 0 && err != NULL)
		rc = error_set(err, errno, "cannot close %s: %s", a->o.path,
			       strerror(errno));
	archive_buf_free(&a->rec);
	archive_buf_free(&a->payload);
	free(a->old_path);
	free(a);
	return rc;
}

void
archive_sink_stats(const struct archive_sink *a, struct archive_sink_stats *st)
{
	*st = a->st;
}
