/*
 * smemcap tarballs through libarchive (see smemcap.h).  Members are
 * "PID/smaps", "PID/cmdline", "PID/stat" (and top-level "meminfo",
 * "version"); the smaps text goes through the project's smaps parser
 * (smaps.c) and its counters are summed as smaps_rollup sums them.
 * libarchive is loaded when a tarball is first read (util/dlib.h): it
 * brings libxml2, ICU and libstdc++, 2 MiB of resident memory that the
 * other runs need not pay.
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
#include "util/dlib.h"
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

/* The libarchive functions used, filled by smemcap_load(). */
static struct {
	__typeof__(&archive_entry_mtime) entry_mtime;
	__typeof__(&archive_entry_mtime_nsec) entry_mtime_nsec;
	__typeof__(&archive_entry_pathname) entry_pathname;
	__typeof__(&archive_entry_size) entry_size;
	__typeof__(&archive_error_string) error_string;
	__typeof__(&archive_read_data) read_data;
	__typeof__(&archive_read_free) read_free;
	__typeof__(&archive_read_new) read_new;
	__typeof__(&archive_read_next_header) read_next_header;
	__typeof__(&archive_read_open_filename) read_open_filename;
	__typeof__(&archive_read_support_filter_all) read_support_filter_all;
	__typeof__(&archive_read_support_format_tar) read_support_format_tar;
} la;

static int
smemcap_load(struct error *err)
{
	const struct dlib_sym syms[] = {
	    {"archive_entry_mtime", (void **)&la.entry_mtime},
	    {"archive_entry_mtime_nsec", (void **)&la.entry_mtime_nsec},
	    {"archive_entry_pathname", (void **)&la.entry_pathname},
	    {"archive_entry_size", (void **)&la.entry_size},
	    {"archive_error_string", (void **)&la.error_string},
	    {"archive_read_data", (void **)&la.read_data},
	    {"archive_read_free", (void **)&la.read_free},
	    {"archive_read_new", (void **)&la.read_new},
	    {"archive_read_next_header", (void **)&la.read_next_header},
	    {"archive_read_open_filename", (void **)&la.read_open_filename},
	    {"archive_read_support_filter_all",
	     (void **)&la.read_support_filter_all},
	    {"archive_read_support_format_tar",
	     (void **)&la.read_support_format_tar},
	};

	return dlib_load(LIBARCHIVE_SONAME, "libarchive", syms,
			 sizeof syms / sizeof syms[0], err);
}

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
	n = la.read_data(a, text, (size_t)size);
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

	while ((rc = la.read_next_header(a, &e)) == ARCHIVE_OK) {
		/* pax tarballs keep sub-second times: two captures within
		 * a second stay apart. */
		t = (double)la.entry_mtime(e) +
		    (double)la.entry_mtime_nsec(e) / 1e9;
		if (t > c->time_s)
			c->time_s = t;
		pid = smemcap_member(la.entry_pathname(e), &what);
		if (pid < 0 || (strcmp(what, "smaps") != 0 &&
				strcmp(what, "cmdline") != 0))
			continue;
		text = smemcap_text(a, la.entry_size(e));
		if (text == NULL)
			return error_set(err, EINVAL,
					 "%s: member %s cannot be read: %s",
					 path, la.entry_pathname(e),
					 la.error_string(a) ? la.error_string(a)
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
		    la.error_string(a) ? la.error_string(a) : "bad archive");
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
	struct archive *a;
	struct stat st;
	int rc;

	if ((rc = smemcap_load(err)) < 0)
		return rc;
	a = la.read_new();
	memset(&c, 0, sizeof c);
	la.read_support_filter_all(a);
	la.read_support_format_tar(a);
	if (la.read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		rc = error_set(err, EINVAL,
			       "%s is not a readable smemcap tarball: %s", path,
			       la.error_string(a) ? la.error_string(a)
						  : "cannot open");
		la.read_free(a);
		return rc;
	}
	rc = smemcap_entries(&c, a, path, err);
	la.read_free(a);
	/* No member had a time: the file's own. */
	if (rc == 0 && c.time_s <= 0 && stat(path, &st) == 0)
		c.time_s = (double)st.st_mtime;
	if (rc == 0)
		rc = smemcap_emit(&c, fn, ctx);
	free(c.v);
	mapping_list_free(&c.maps);
	return rc;
}
