/*
 * smemcap tarballs through libarchive (see smemcap.h).  Members are
 * "PID/smaps", "PID/cmdline", "PID/stat" (and top-level "meminfo",
 * "version"); the smaps text goes through the project's smaps parser
 * (smaps.c) and its counters are summed as smaps_rollup sums them.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sources/smaps.h"
#include "sources/smemcap.h"
#include "util/xmalloc.h"

/* One process's members, gathered before it is handed on. */
struct smemcap_proc {
	long pid;
	char name[256];
	double kb[SMAPS_NFIELDS];
	bool has_smaps;
};

struct smemcap {
	struct smemcap_proc *v;
	size_t n, cap;
	double time_s;
	struct mapping_list maps;
};

bool
smemcap_available(void)
{
	return true;
}

static struct smemcap_proc *
smemcap_proc(struct smemcap *c, long pid)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].pid == pid)
			return &c->v[i];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
	}
	memset(&c->v[c->n], 0, sizeof c->v[c->n]);
	c->v[c->n].pid = pid;
	return &c->v[c->n++];
}

/* A member's whole text, NUL-terminated (smaps of a big process is a few
 * MiB at most; larger is refused). */
static char *
smemcap_text(struct archive *a, la_int64_t size)
{
	char *text;
	la_ssize_t n;

	if (size < 0 || size > (64 << 20))
		return NULL;
	text = xmalloc((size_t)size + 1);
	n = archive_read_data(a, text, (size_t)size);
	if (n < 0) {
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

static void
smemcap_smaps(struct smemcap *c, struct smemcap_proc *p, const char *text)
{
	struct error ignored;
	const struct mapping *m;
	size_t i;
	int f;

	if (smaps_parse(text, &c->maps, &ignored) < 0)
		return;
	p->has_smaps = true;
	for (i = 0; i < c->maps.n; i++) {
		m = &c->maps.v[i];
		for (f = 0; f < SMAPS_NFIELDS && m->has_counts; f++)
			if (!isnan(m->kb[f]))
				p->kb[f] += m->kb[f];
	}
}

/* "PID/what": the pid, and what points at what. */
static long
smemcap_member(const char *path, const char **what)
{
	char *end;
	long pid;

	if (path[0] == '.' && path[1] == '/')
		path += 2;
	pid = strtol(path, &end, 10);
	if (end == path || *end != '/' || pid <= 0)
		return -1;
	*what = end + 1;
	return pid;
}

static int
smemcap_entries(struct smemcap *c, struct archive *a, const char *path,
		struct error *err)
{
	struct archive_entry *e;
	struct smemcap_proc *p;
	const char *what;
	char *text;
	double t;
	long pid;
	int rc;

	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		/* pax tarballs keep sub-second times: two captures within
		 * a second stay apart. */
		t = (double)archive_entry_mtime(e) +
		    (double)archive_entry_mtime_nsec(e) / 1e9;
		if (t > c->time_s)
			c->time_s = t;
		pid = smemcap_member(archive_entry_pathname(e), &what);
		if (pid < 0 || (strcmp(what, "smaps") != 0 &&
				strcmp(what, "cmdline") != 0))
			continue;
		text = smemcap_text(a, archive_entry_size(e));
		if (text == NULL)
			return error_set(
			    err, EINVAL, "%s: member %s cannot be read: %s",
			    path, archive_entry_pathname(e),
			    archive_error_string(a) ? archive_error_string(a)
						    : "too large");
		p = smemcap_proc(c, pid);
		if (what[0] == 's')
			smemcap_smaps(c, p, text);
		else
			snprintf(p->name, sizeof p->name, "%s", text);
		free(text);
	}
	if (rc != ARCHIVE_EOF)
		return error_set(
		    err, EINVAL, "%s is not a readable smemcap tarball: %s",
		    path,
		    archive_error_string(a) ? archive_error_string(a)
					    : "bad archive");
	return 0;
}

static int
smemcap_emit(struct smemcap *c, smemcap_fn fn, void *ctx)
{
	struct smemcap_proc *p;
	struct sample s;
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++) {
		p = &c->v[i];
		if (!p->has_smaps)
			continue; /* a kernel thread: no memory of its own */
		sample_clear(&s);
		s.pid = (pid_t)p->pid;
		s.wall_s = c->time_s;
		s.value[FIELD_RSS_KB] = p->kb[SMAPS_RSS];
		s.value[FIELD_PSS_KB] = p->kb[SMAPS_PSS];
		s.value[FIELD_USS_KB] = p->kb[SMAPS_PRIVATE_CLEAN] +
					p->kb[SMAPS_PRIVATE_DIRTY] +
					p->kb[SMAPS_PRIVATE_HUGETLB];
		s.value[FIELD_ANON_KB] = p->kb[SMAPS_ANONYMOUS];
		s.value[FIELD_SWAP_KB] = p->kb[SMAPS_SWAP];
		if ((rc = fn(ctx, p->name, &s)) != 0)
			return rc;
	}
	return 0;
}

int
smemcap_read(const char *path, smemcap_fn fn, void *ctx, struct error *err)
{
	struct smemcap c;
	struct archive *a = archive_read_new();
	struct stat st;
	int rc;

	memset(&c, 0, sizeof c);
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		rc = error_set(err, EINVAL,
			       "%s is not a readable smemcap tarball: %s", path,
			       archive_error_string(a) ? archive_error_string(a)
						       : "cannot open");
		archive_read_free(a);
		return rc;
	}
	rc = smemcap_entries(&c, a, path, err);
	archive_read_free(a);
	/* No member had a time: the file's own. */
	if (rc == 0 && c.time_s <= 0 && stat(path, &st) == 0)
		c.time_s = (double)st.st_mtime;
	if (rc == 0)
		rc = smemcap_emit(&c, fn, ctx);
	free(c.v);
	mapping_list_free(&c.maps);
	return rc;
}
