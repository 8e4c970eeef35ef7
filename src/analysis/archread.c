/*
 * The archive reader (see archread.h).  The file is mapped whole; records
 * are decoded in order with one delta base per target, reset by each
 * session record (a new run or a new ring segment).
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

#include "analysis/archread.h"
#include "util/xmalloc.h"

struct archread {
	const char *name;
	archread_fn fn;
	archread_system_fn sysfn;
	archread_target_fn tfn;
	void *ctx;
	struct archread_info *info;
	struct archive_delta delta[ARCHIVE_MAX_TARGETS];
	struct archive_sysbase sys; /* this session's system values */
	int64_t pid[ARCHIVE_MAX_TARGETS];
	char comm[ARCHIVE_MAX_TARGETS][64];
	int64_t id_last_ms[ARCHIVE_MAX_TARGETS]; /* its last sample's */
	bool seen[ARCHIVE_MAX_TARGETS];
	int64_t origin0_ms;  /* the first session's origin */
	int64_t offset_ms;   /* this session's origin after the first's */
	int64_t last_ms;     /* the last sample's elapsed time */
	int64_t interval_ms; /* this session's sampling interval */
	bool have_origin;
	/* A process sample waits for its regions record, if one follows. */
	struct sample pending;
	unsigned int pending_id;
	bool have_pending;
	struct region_set regions;
	char idle[32];
};

static int
archread_flush(struct archread *r)
{
	if (!r->have_pending)
		return 0;
	r->have_pending = false;
	r->info->samples++;
	return r->fn != NULL ? r->fn(r->ctx, r->pending_id, &r->pending) : 0;
}

static void
archread_session(struct archread *r, const struct archive_session *s)
{
	struct archread_info *info = r->info;

	if (info->sessions++ == 0)
		info->session = *s;
	memset(r->delta, 0, sizeof r->delta);
	if (!r->have_origin) {
		r->have_origin = true;
		r->origin0_ms = s->origin_ms;
	}
	r->offset_ms = s->origin_ms - r->origin0_ms;
	r->interval_ms =
	    (int64_t)(s->interval_ms < 86400000 ? s->interval_ms : 86400000);
}

static void
archread_note(struct archread *r, struct archive_cur *c)
{
	struct archread_info *info = r->info;
	char text[256];

	archive_get_string(c, text, sizeof text);
	if (!c->bad && info->nnotes < ARCHREAD_NOTES)
		snprintf(info->notes[info->nnotes++], sizeof info->notes[0],
			 "%s", text);
}

/* Elapsed time across sessions: the session's own, shifted by when it
 * began after the first; a clock set back never runs time backwards.  In
 * whole ms, so the seconds are those an exported CSV's "%.3f" reads
 * back as. */
static void
archread_time(struct archread *r, unsigned int id, struct sample *s,
	      int64_t elapsed_ms)
{
	int64_t t = elapsed_ms + r->offset_ms;
	int64_t step = r->interval_ms > 0 ? r->interval_ms : 1;

	/* The targets of one tick share its time; a target's own samples
	 * always move on. */
	if (r->info->samples > 0 &&
	    (t < r->last_ms || (r->seen[id] && t <= r->id_last_ms[id]))) {
		r->offset_ms += r->last_ms + step - t;
		t = r->last_ms + step;
	}
	s->elapsed_s = (double)t / 1000;
	r->last_ms = t;
	r->id_last_ms[id] = t;
}

static int
archread_process(struct archread *r, struct archive_cur *c)
{
	unsigned int id = archive_decode_id(c);
	int rc;

	if (c->bad)
		return -EBADMSG;
	if ((rc = archread_flush(r)) != 0)
		return rc;
	if (archive_decode_process(c, &r->delta[id], &r->pending) < 0)
		return -EBADMSG;
	r->pending.pid = (pid_t)r->pid[id];
	r->pending.comm = r->comm[id];
	r->pending.cmdline = "";
	r->pending_id = id;
	archread_time(r, id, &r->pending, r->delta[id].elapsed_ms);
	if (!r->seen[id]) {
		r->seen[id] = true;
		r->info->targets++;
	}
	r->have_pending = true;
	return 0;
}

static int
archread_regions(struct archread *r, struct archive_cur *c)
{
	unsigned int id = archive_decode_id(c);

	if (c->bad)
		return -EBADMSG;
	if (archive_decode_regions(c, &r->regions, r->idle, sizeof r->idle) < 0)
		return -EBADMSG;
	if (r->have_pending && r->pending_id == id)
		r->pending.regions = &r->regions;
	return archread_flush(r);
}

/* A system sample (capture --system): on the process samples' clock. */
static int
archread_system(struct archread *r, struct archive_cur *c)
{
	struct ksample k;
	int64_t elapsed_ms, t;
	int rc;

	if ((rc = archread_flush(r)) != 0)
		return rc;
	memset(&k, 0, sizeof k);
	if (archive_decode_system(c, &elapsed_ms, &r->sys, k.value) < 0)
		return -EBADMSG;
	t = elapsed_ms + r->offset_ms;
	k.elapsed_s = (double)t / 1000;
	k.wall_s = (double)(r->origin0_ms + t) / 1000;
	r->info->system_samples++;
	return r->sysfn != NULL ? r->sysfn(r->ctx, &k) : 0;
}

/* What start, restart and exit records tell of the processes. */
static void
archread_target(struct archread_info *info, unsigned int kind,
		const struct archive_target *t)
{
	info->named |= t->group[0] != '\0';
	info->restarts += kind == ARCHIVE_RESTART;
	info->exits += kind == ARCHIVE_EXIT;
}

/* One record's payload; -EBADMSG when it does not decode. */
static int
archread_record(struct archread *r, unsigned int kind,
		const unsigned char *payload, size_t len)
{
	struct archive_cur c = {payload, payload + len, false};
	struct archive_session session;
	struct archive_target t;
	int rc = 0;

	switch (kind) {
	case ARCHIVE_SESSION:
		if ((rc = archread_flush(r)) != 0)
			return rc;
		if (archive_decode_session(&c, &session) < 0)
			return -EBADMSG;
		archread_session(r, &session);
		memset(&r->sys, 0, sizeof r->sys);
		return r->tfn != NULL ? r->tfn(r->ctx, kind, NULL) : 0;
	case ARCHIVE_NOTE:
		archread_note(r, &c);
		break;
	case ARCHIVE_START:
	case ARCHIVE_RESTART:
	case ARCHIVE_EXIT:
		if (archive_decode_target(&c, &t) < 0)
			return -EBADMSG;
		if (kind != ARCHIVE_EXIT) {
			r->pid[t.id] = t.pid;
			snprintf(r->comm[t.id], sizeof r->comm[t.id], "%s",
				 t.comm);
			memset(&r->delta[t.id], 0, sizeof r->delta[t.id]);
		}
		archread_target(r->info, kind, &t);
		if (r->tfn != NULL && (rc = archread_flush(r)) == 0)
			rc = r->tfn(r->ctx, kind, &t);
		if (rc != 0)
			return rc;
		break;
	case ARCHIVE_PROCESS:
		if (r->info->sessions == 0)
			return -EBADMSG; /* no session: no time origin */
		return archread_process(r, &c);
	case ARCHIVE_REGIONS:
		return archread_regions(r, &c);
	case ARCHIVE_SYSTEM_NAMES:
		if (archive_decode_system_names(&c, &r->sys) < 0)
			return -EBADMSG;
		break;
	case ARCHIVE_SYSTEM:
		if (r->info->sessions == 0)
			return -EBADMSG;
		return archread_system(r, &c);
	default:
		break; /* a later kind: skipped, as the format allows */
	}
	if (c.bad)
		return -EBADMSG;
	return kind == ARCHIVE_REGIONS ? 0 : archread_flush(r);
}

static const char *const archread_why[] = {
    [ARCHIVE_NEXT_TORN] = "the file ends inside it (a capture killed "
			  "while writing, or a copy cut short)",
    [ARCHIVE_NEXT_TOO_LONG] = "its length field is past the 4 MiB a record "
			      "may hold",
    [ARCHIVE_NEXT_BAD_CRC] = "its CRC-32 does not match its bytes",
};

static void
archread_damage(struct archread *r, unsigned long record, size_t off,
		size_t len, const char *why)
{
	struct archread_info *info = r->info;

	info->skipped_bytes += len - off;
	if (info->damage[0] != '\0')
		return;
	snprintf(info->damage, sizeof info->damage,
		 "%s: record %lu at byte %zu is damaged: %s; skipped the "
		 "last %zu bytes, analysing the %lu records before it",
		 r->name, record, off, why, len - off, info->records);
}

static int
archread_segment(struct archread *r, const unsigned char *buf, size_t len,
		 struct error *err)
{
	const unsigned char *payload;
	unsigned int version, kind;
	enum archive_next next;
	unsigned long record = 0;
	size_t off = ARCHIVE_HEADER_LEN, plen, size;
	int rc = archive_check_header(buf, len, &version);

	if (rc == -ENOTSUP)
		return error_set(err, ENOTSUP,
				 "%s is a memtrend archive of format %u; this "
				 "memtrend reads format %d (update memtrend)",
				 r->name, version, ARCHIVE_VERSION);
	if (rc < 0)
		return error_set(err, EINVAL,
				 "%s is not a memtrend archive (byte 0: "
				 "expected the 16-byte header that starts "
				 "with \\x89MTC)",
				 r->name);
	for (;;) {
		next = archive_next(buf + off, len - off, &kind, &payload,
				    &plen, &size);
		if (next == ARCHIVE_NEXT_END)
			break;
		record++;
		if (next != ARCHIVE_NEXT_OK) {
			archread_damage(r, record, off, len,
					archread_why[next]);
			break;
		}
		rc = archread_record(r, kind, payload, plen);
		if (rc == -EBADMSG) {
			archread_damage(r, record, off, len,
					"its CRC matches but its contents do "
					"not decode (a memtrend bug, or a "
					"forged record)");
			break;
		}
		if (rc != 0)
			return rc;
		r->info->records++;
		off += size;
	}
	return archread_flush(r);
}

int
archread_buffer(const char *name, const unsigned char *buf, size_t len,
		archread_fn fn, void *ctx, struct archread_info *info,
		struct error *err)
{
	struct archread *r = xcalloc(1, sizeof *r);
	int rc;

	memset(info, 0, sizeof *info);
	r->name = name;
	r->fn = fn;
	r->ctx = ctx;
	r->info = info;
	info->segments = 1;
	rc = archread_segment(r, buf, len, err);
	regions_free(&r->regions);
	free(r);
	return rc;
}

/* Maps path: 0, or -errno (err filled). */
static int
archread_map(const char *path, void **map, size_t *len, struct error *err)
{
	struct stat st;
	int fd, code;

	*map = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		code = errno;
		if (fd >= 0)
			close(fd);
		return error_set(err, code, "cannot read %s: %s", path,
				 strerror(code));
	}
	if (st.st_size > 0) {
		*map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			    fd, 0);
		if (*map == MAP_FAILED) {
			code = errno;
			*map = NULL;
			close(fd);
			return error_set(err, code, "cannot read %s: %s", path,
					 strerror(code));
		}
	}
	*len = (size_t)st.st_size;
	close(fd);
	return 0;
}

static int
archread_path(struct archread *r, const char *path, struct error *err)
{
	size_t len;
	void *map;
	int rc;

	if ((rc = archread_map(path, &map, &len, err)) < 0)
		return rc;
	r->name = path;
	rc = archread_segment(r, map != NULL ? map : (void *)"", len, err);
	if (map != NULL)
		munmap(map, len);
	return rc;
}

static int
archread_read(const char *path, archread_fn fn, archread_system_fn sysfn,
	      archread_target_fn tfn, void *ctx, struct archread_info *info,
	      struct error *err)
{
	struct archread *r = xcalloc(1, sizeof *r);
	char *older;
	int rc = 0;

	memset(info, 0, sizeof *info);
	r->fn = fn;
	r->sysfn = sysfn;
	r->tfn = tfn;
	r->ctx = ctx;
	r->info = info;
	xasprintf(&older, "%s.1", path);
	if (archread_is_archive(older)) {
		info->segments++;
		rc = archread_path(r, older, err);
	}
	if (rc == 0) {
		info->segments++;
		rc = archread_path(r, path, err);
	}
	free(older);
	regions_free(&r->regions);
	free(r);
	return rc;
}

int
archread_file(const char *path, archread_fn fn, void *ctx,
	      struct archread_info *info, struct error *err)
{
	return archread_file_system(path, fn, NULL, ctx, info, err);
}

int
archread_file_system(const char *path, archread_fn fn, archread_system_fn sysfn,
		     void *ctx, struct archread_info *info, struct error *err)
{
	return archread_read(path, fn, sysfn, NULL, ctx, info, err);
}

int
archread_file_targets(const char *path, archread_fn fn, archread_target_fn tfn,
		      void *ctx, struct archread_info *info, struct error *err)
{
	return archread_read(path, fn, NULL, tfn, ctx, info, err);
}

bool
archread_is_long(const struct archread_info *info)
{
	return info->named || info->targets > 1;
}

bool
archread_is_archive(const char *path)
{
	unsigned char magic[ARCHIVE_MAGIC_LEN];
	ssize_t n;
	int fd;

	if (strcmp(path, "-") == 0)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, magic, sizeof magic);
	close(fd);
	return n == (ssize_t)sizeof magic &&
	       memcmp(magic, ARCHIVE_MAGIC, sizeof magic) == 0;
}
