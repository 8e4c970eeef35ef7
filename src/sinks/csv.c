/*
 * CSV sink on libcsv (csv_write(3) quoting).
 */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/provenance.h"
#include "core/regions.h"
#include "sinks/csv.h"
#include "util/output.h"
#include "util/xmalloc.h"

struct csv_sink {
	char *path;
	enum csv_kind kind;
	int fd;
	bool is_pipe; /* cannot be cut back after a short write */
	off_t good;   /* end of the last row written whole */
	struct csv_buf row;
	struct csv_buf
	    shifted; /* a write with a row end moved off a page edge */
};

void
csv_buf_add(struct csv_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		if (b->cap - b->len < 64 || b->text == NULL) {
			b->cap = b->cap ? b->cap * 2 : 4096;
			b->text = xreallocarray(b->text, b->cap, 1);
		}
		va_start(ap, fmt);
		n = vsnprintf(b->text + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->len + (size_t)(n > 0 ? n : 0) + 64;
		b->text = xreallocarray(b->text, b->cap, 1);
	}
}

void
csv_buf_text(struct csv_buf *b, const char *src)
{
	size_t n = strlen(src), need, i, at;

	if (strpbrk(src, ",\"\r\n") == NULL) {
		csv_buf_add(b, "%s", src);
		return;
	}
	need = n * 2 + 3; /* every character a quote, plus the quotes */
	if (b->text == NULL || b->cap - b->len < need + 1) {
		b->cap = b->len + need + 64;
		b->text = xreallocarray(b->text, b->cap, 1);
	}
	at = b->len;
	b->len += csv_write(b->text + b->len, need, src, n);
	b->text[b->len] = '\0';
	/* A line end in a cell (a command line's) is written as '?', as
	 * in the provenance line: a raw one only ever ends a row, so a
	 * row a kill -9 cut short is found by its missing line end. */
	for (i = at; i < b->len; i++)
		if (b->text[i] == '\n' || b->text[i] == '\r')
			b->text[i] = '?';
}

/* ",value" in the field's format, or "," when unavailable. */
static void
csv_buf_value(struct csv_buf *b, const struct field *f, double v)
{
	if (isnan(v))
		csv_buf_add(b, ",");
	else if (f->kind == FIELD_GAUGE)
		csv_buf_add(b, ",%.6g", v);
	else
		csv_buf_add(b, ",%.0f", v);
}

void
csv_format_header(struct csv_buf *b, enum csv_kind kind)
{
	int i;

	csv_buf_add(b, "%s,%s,%s", field_keys[KEY_TIMESTAMP].name,
		    field_keys[KEY_ELAPSED_S].name, field_keys[KEY_PID].name);
	if (kind != CSV_REGIONS) {
		for (i = 0; i < FIELD_COUNT; i++)
			csv_buf_add(b, ",%s", fields[i].name);
		if (kind != CSV_SAMPLES)
			csv_buf_add(b, ",%s,%s", field_keys[KEY_COMM].name,
				    field_keys[KEY_CMDLINE].name);
		if (kind == CSV_DAEMON)
			csv_buf_add(b, ",%s", field_keys[KEY_INSTANCE].name);
	} else {
		csv_buf_add(b, ",%s,%s", field_keys[KEY_REGION].name,
			    field_keys[KEY_KIND].name);
		for (i = 0; i < REGION_FIELDS_BEFORE_KEYS; i++)
			csv_buf_add(b, ",%s", region_fields[i].name);
		for (i = KEY_SOURCE; i <= KEY_IDLE_METHOD; i++)
			csv_buf_add(b, ",%s", field_keys[i].name);
		for (i = REGION_FIELDS_BEFORE_KEYS; i < REGION_FIELD_COUNT; i++)
			csv_buf_add(b, ",%s", region_fields[i].name);
	}
	csv_buf_add(b, "\n");
}

void
csv_format_about(struct csv_buf *b, const struct provenance *p)
{
	char cell[300];
	int i;

	csv_buf_add(b, "%s", PROVENANCE_MARK);
	csv_buf_text(b, p->version);
	for (i = 0; i < PROVENANCE_KEYS; i++) {
		provenance_cell(p, i, cell, sizeof cell);
		csv_buf_add(b, ",");
		csv_buf_text(b, cell);
	}
	csv_buf_add(b, "\n");
}

void
csv_format_time(char *buf, size_t len, double wall_s)
{
	time_t secs = (time_t)floor(wall_s);
	int ms = (int)((wall_s - (double)secs) * 1000);
	char stamp[32];
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", stamp, ms > 999 ? 999 : ms);
}

/* "timestamp,elapsed_s,pid" of a sample. */
static void
csv_format_stamp(struct csv_buf *b, const struct sample *s)
{
	char stamp[40];

	csv_format_time(stamp, sizeof stamp, s->wall_s);
	csv_buf_add(b, "%s,%.3f,%d", stamp, s->elapsed_s, (int)s->pid);
}

static void
csv_format_values(struct csv_buf *b, const struct sample *s)
{
	int i;

	csv_format_stamp(b, s);
	for (i = 0; i < FIELD_COUNT; i++)
		csv_buf_value(b, &fields[i], s->value[i]);
}

void
csv_format_row(struct csv_buf *b, const struct sample *s)
{
	csv_format_values(b, s);
	csv_buf_add(b, "\n");
}

static void
csv_format_who(struct csv_buf *b, const struct sample *s)
{
	csv_format_values(b, s);
	csv_buf_add(b, ",");
	csv_buf_text(b, s->comm != NULL ? s->comm : "");
	csv_buf_add(b, ",");
	csv_buf_text(b, s->cmdline != NULL ? s->cmdline : "");
}

void
csv_format_long(struct csv_buf *b, const struct sample *s)
{
	csv_format_who(b, s);
	csv_buf_add(b, "\n");
}

void
csv_format_daemon(struct csv_buf *b, const struct sample *s)
{
	csv_format_who(b, s);
	csv_buf_add(b, ",%lu\n", s->instance);
}

void
csv_format_regions(struct csv_buf *b, const struct sample *s)
{
	const struct region *r;
	size_t i;
	int f;

	if (s->regions == NULL)
		return;
	for (i = 0; i < s->regions->n; i++) {
		r = &s->regions->v[i];
		csv_format_stamp(b, s);
		csv_buf_add(b, ",");
		csv_buf_text(b, r->name);
		csv_buf_add(b, ",%s", region_kind_names[r->kind]);
		for (f = 0; f < REGION_FIELDS_BEFORE_KEYS; f++)
			csv_buf_value(b, &region_fields[f], r->v[f]);
		csv_buf_add(b, ",%s,%d,%s",
			    region_source_names[s->regions->source], s->partial,
			    s->regions->idle_method != NULL
				? s->regions->idle_method
				: "");
		for (f = REGION_FIELDS_BEFORE_KEYS; f < REGION_FIELD_COUNT; f++)
			csv_buf_value(b, &region_fields[f], r->v[f]);
		csv_buf_add(b, "\n");
	}
}

/* The kernel cuts a write short (on kill -9) only where the file
 * crosses a page boundary, a multiple of 4096 bytes whatever the page
 * size.  A row ending there with more of the same write after it would
 * leave a cut that looks whole (a region sample short of rows): it ends
 * in "\r\n" instead, so a cut always leaves a last line with no "\n".
 * Returns buf, or c->shifted's text when a row end was moved. */
static const char *
csv_sink_off_edges(struct csv_sink *c, const char *buf, size_t *len)
{
	enum { EDGE = 4096 };
	off_t at = c->good; /* where buf[i] lands in the file */
	size_t i = 0, from = 0, k;

	c->shifted.len = 0;
	for (;;) {
		/* buf[k] lands just before the next edge. */
		k = i + (size_t)((at / EDGE + 1) * EDGE - 1 - at);
		if (k + 1 >= *len)
			break;
		at = (at / EDGE + 1) * EDGE;
		if (buf[k] != '\n') {
			i = k + 1;
			continue;
		}
		/* buf[from..k) then "\r": the "\n" lands on the edge. */
		csv_buf_add(&c->shifted, "%.*s\r", (int)(k - from), buf + from);
		from = i = k;
	}
	if (c->shifted.len == 0)
		return buf;
	csv_buf_add(&c->shifted, "%.*s", (int)(*len - from), buf + from);
	*len = c->shifted.len;
	return c->shifted.text;
}

static int
csv_sink_put(struct csv_sink *c, const char *buf, size_t len, struct error *err)
{
	size_t done = 0;
	ssize_t n;
	int code;

	if (!c->is_pipe)
		buf = csv_sink_off_edges(c, buf, &len);
	while (done < len) {
		n = write(c->fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			code = n < 0 ? errno : ENOSPC;
			/* Cut a partial row so the file stays parseable. */
			if (done > 0 && !c->is_pipe &&
			    ftruncate(c->fd, c->good) == 0)
				lseek(c->fd, c->good, SEEK_SET);
			return error_set(
			    err, code,
			    "cannot write %s: %s; "
			    "stopped, the rows already written are intact",
			    c->path, strerror(code));
		}
		done += (size_t)n;
	}
	c->good += (off_t)len;
	return 0;
}

/* Writes the provenance and the header (the kind's, or header; "":
 * none) to a new sink; on failure closes it. */
static int
csv_sink_begin(struct csv_sink **out, struct csv_sink *c, const char *header,
	       const struct provenance *about, struct error *err)
{
	int rc;

	if (about != NULL)
		csv_format_about(&c->row, about);
	if (header != NULL && *header != '\0')
		csv_buf_add(&c->row, "%s\n", header);
	else if (header == NULL)
		csv_format_header(&c->row, c->kind);
	rc = csv_sink_put(c, c->row.text, c->row.len, err);
	if (rc < 0) {
		csv_sink_close(c, NULL);
		return rc;
	}
	*out = c;
	return 0;
}

/* Opens path and writes the header in c->row. */
static int
csv_sink_start(struct csv_sink **out, const char *path, enum csv_kind kind,
	       bool force, const char *header, const struct provenance *about,
	       struct error *err)
{
	struct csv_sink *c;
	struct stat st;
	int fd;

	fd = strcmp(path, "-") == 0 ? dup(STDOUT_FILENO)
				    : output_create(path, force);
	if (fd < 0)
		return output_create_error(path, fd == -1 ? errno : -fd, err);
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->kind = kind;
	c->path = xstrdup(strcmp(path, "-") == 0 ? "standard output" : path);
	c->is_pipe = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
	/* Where the rows start: standard output may be a file the shell
	 * opened to append to (>> FILE), whose bytes a failed write must
	 * never be cut back into. */
	if (!c->is_pipe)
		c->good = (fcntl(fd, F_GETFL) & O_APPEND)
			      ? st.st_size
			      : lseek(fd, 0, SEEK_CUR);
	if (c->good < 0) {
		c->good = 0;
		c->is_pipe = true;
	}
	return csv_sink_begin(out, c, header, about, err);
}

/* The bytes of text[0..n) up to the start of its last line (a line is
 * "...\n"); 0 when it has no whole line. */
static size_t
csv_line_start(const char *text, size_t n)
{
	const char *nl = n > 0 ? memrchr(text, '\n', n) : NULL;

	return nl != NULL ? (size_t)(nl - text) + 1 : 0;
}

/* The size to keep of a file of size bytes whose last line may be cut
 * short (a kill -9 mid-write): all of it when it ends in "\n", else up to
 * its last whole line -- for a regions CSV up to the start of the last
 * region sample with a whole row (its rows share their first cell, the
 * time), which the cut row is in or follows: a reader cannot tell which,
 * so it is left out as the readers leave it out.  Reads at most the last
 * 8 MiB; -1 (errno set) on a read error. */
static off_t
csv_sink_whole(int fd, off_t size, enum csv_kind kind)
{
	size_t n = size > (8 << 20) ? (size_t)8 << 20 : (size_t)size, keep,
	       prev, stamp;
	off_t base = size - (off_t)n;
	char *text, last;

	if (size == 0)
		return 0;
	if (pread(fd, &last, 1, size - 1) != 1) {
		errno = errno != 0 ? errno : EIO;
		return -1;
	}
	if (last == '\n')
		return size;
	text = xmalloc(n);
	if (pread(fd, text, n, base) != (ssize_t)n) {
		free(text);
		errno = EIO;
		return -1;
	}
	keep = csv_line_start(text, n);
	if (kind == CSV_REGIONS && keep > 0) {
		prev = csv_line_start(text, keep - 1);
		stamp = strcspn(text + prev, ",\n");
		while (keep > 0) {
			size_t p = csv_line_start(text, keep - 1);

			if (memcmp(text + p, text + prev, stamp) != 0 ||
			    text[p + stamp] != ',')
				break;
			keep = p;
		}
	}
	free(text);
	return base + (off_t)keep;
}

int
csv_sink_open_append(struct csv_sink **out, const char *path,
		     enum csv_kind kind, const struct provenance *about,
		     struct error *err)
{
	struct csv_sink *c;
	struct stat st;
	off_t keep;
	int fd, code;

	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0)
		return output_create_error(path, errno, err);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_set(err, EINVAL, "%s: not a regular file", path);
	}
	errno = 0;
	keep = csv_sink_whole(fd, st.st_size, kind);
	if (keep < 0 || (keep < st.st_size && ftruncate(fd, keep) != 0)) {
		code = errno != 0 ? errno : EIO;
		close(fd);
		return error_set(err, code, "cannot cut the last row of %s: %s",
				 path, strerror(code));
	}
	if (keep < st.st_size)
		error_set(err, 0,
			  "%s: cut off %lld bytes of a last %s cut short (a "
			  "kill -9 as it was written); appending after it",
			  path, (long long)(st.st_size - keep),
			  kind == CSV_REGIONS ? "region sample" : "row");
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->kind = kind;
	c->path = xstrdup(path);
	c->good = keep;
	if (keep > 0) {
		*out = c;
		return 0;
	}
	return csv_sink_begin(out, c, NULL, about, err);
}

long long
csv_sink_size(const struct csv_sink *c)
{
	return (long long)c->good;
}

int
csv_sink_open(struct csv_sink **out, const char *path, enum csv_kind kind,
	      bool force, struct error *err)
{
	return csv_sink_start(out, path, kind, force, NULL, NULL, err);
}

int
csv_sink_open_about(struct csv_sink **out, const char *path, enum csv_kind kind,
		    bool force, const struct provenance *about,
		    struct error *err)
{
	return csv_sink_start(out, path, kind, force, NULL, about, err);
}

int
csv_sink_open_header(struct csv_sink **out, const char *path,
		     const char *header, bool force, struct error *err)
{
	return csv_sink_start(out, path, CSV_SAMPLES, force, header, NULL, err);
}

int
csv_sink_put_rows(struct csv_sink *c, const struct csv_buf *b,
		  struct error *err)
{
	if (b->len == 0)
		return 0;
	return csv_sink_put(c, b->text, b->len, err);
}

int
csv_sink_write(struct csv_sink *c, const struct sample *s, struct error *err)
{
	c->row.len = 0;
	if (c->kind == CSV_SAMPLES)
		csv_format_row(&c->row, s);
	else if (c->kind == CSV_LONG)
		csv_format_long(&c->row, s);
	else if (c->kind == CSV_DAEMON)
		csv_format_daemon(&c->row, s);
	else
		csv_format_regions(&c->row, s);
	if (c->row.len == 0)
		return 0;
	return csv_sink_put(c, c->row.text, c->row.len, err);
}

int
csv_sink_same_file(const struct csv_sink *c, const char *path,
		   struct error *err)
{
	struct stat a, b;
	int rc;

	rc = strcmp(path, "-") == 0 ? fstat(STDOUT_FILENO, &b) : stat(path, &b);
	if (rc != 0 || fstat(c->fd, &a) != 0)
		return 0;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return 0;
	return error_set(err, EEXIST,
			 "%s and %s are the same file; give "
			 "each output its own",
			 c->path,
			 strcmp(path, "-") == 0 ? "standard output" : path);
}

const char *
csv_sink_path(const struct csv_sink *c)
{
	return c->path;
}

int
csv_sink_close(struct csv_sink *c, struct error *err)
{
	int rc = 0;

	if (c == NULL)
		return 0;
	if (!c->is_pipe && fdatasync(c->fd) != 0 && errno != EINVAL)
		rc = error_set(err, errno, "cannot flush %s to disk: %s",
			       c->path, strerror(errno));
	if (close(c->fd) != 0 && rc == 0 && errno != EINTR)
		rc = error_set(err, errno, "cannot close %s: %s", c->path,
			       strerror(errno));
	free(c->row.text);
	free(c->shifted.text);
	free(c->path);
	free(c);
	return rc;
}
