/*
 * CSV sink and reader on libcsv (csv_write(3) quoting, csv_parse(3)).
 */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sinks/csv.h"
#include "xmalloc.h"

#define CSV_ROW_MAX 4096

struct csv_sink {
	char *path;
	int fd;
	bool is_pipe;		/* cannot be cut back after a short write */
	off_t good;		/* end of the last row written whole */
};

size_t
csv_format_text(char *buf, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (strpbrk(src, ",\"\r\n") == NULL) {
		snprintf(buf, len, "%s", src);
		return n;
	}
	n = csv_write(buf, len > 0 ? len - 1 : 0, src, n);
	if (len > 0)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

/* Appends ",value", or just "," when the value is unavailable. */
static size_t
csv_append_value(char *buf, size_t len, size_t used, double v)
{
	int n;

	if (used >= len)
		return used;
	n = isnan(v) ? snprintf(buf + used, len - used, ",") :
	    snprintf(buf + used, len - used, ",%.0f", v);
	return used + (n > 0 ? (size_t)n : 0);
}

size_t
csv_format_header(char *buf, size_t len)
{
	size_t used;
	int i, n;

	n = snprintf(buf, len, "timestamp,elapsed_s,pid");
	used = n > 0 ? (size_t)n : 0;
	for (i = 0; i < FIELD_COUNT && used < len; i++) {
		n = snprintf(buf + used, len - used, ",%s", fields[i].name);
		used += n > 0 ? (size_t)n : 0;
	}
	if (used < len) {
		n = snprintf(buf + used, len - used, "\n");
		used += n > 0 ? (size_t)n : 0;
	}
	return used;
}

size_t
csv_format_row(char *buf, size_t len, const struct sample *s)
{
	time_t secs = (time_t)floor(s->wall_s);
	int ms = (int)((s->wall_s - (double)secs) * 1000);
	struct tm tm;
	size_t used;
	int i;

	gmtime_r(&secs, &tm);
	used = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	used += (size_t)snprintf(buf + used, len - used, ".%03dZ,%.3f,%d",
	    ms > 999 ? 999 : ms, s->elapsed_s, (int)s->pid);
	for (i = 0; i < FIELD_COUNT; i++)
		used = csv_append_value(buf, len, used, s->value[i]);
	if (used + 1 < len) {
		buf[used++] = '\n';
		buf[used] = '\0';
	}
	return used;
}

static int
csv_sink_put(struct csv_sink *c, const char *buf, size_t len,
    struct error *err)
{
	size_t done = 0;
	ssize_t n;
	int code;

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
			return error_set(err, code, "cannot write %s: %s; "
			    "stopped, the rows already written are intact",
			    c->path, strerror(code));
		}
		done += (size_t)n;
	}
	c->good += (off_t)len;
	return 0;
}

static int
csv_sink_open_error(const char *path, int code, struct error *err)
{
	if (code == EEXIST)
		return error_set(err, code, "%s already exists; use --force to "
		    "overwrite it, or another -o path", path);
	if (code == ENOENT)
		return error_set(err, code, "cannot create %s: its directory "
		    "does not exist", path);
	return error_set(err, code, "cannot create %s: %s", path,
	    strerror(code));
}

int
csv_sink_check(const char *path, bool force, struct error *err)
{
	char *copy, *dir;
	int rc = 0;

	if (strcmp(path, "-") == 0)
		return 0;
	if (!force && access(path, F_OK) == 0)
		return csv_sink_open_error(path, EEXIST, err);
	copy = xstrdup(path);
	dir = dirname(copy);
	if (access(dir, W_OK) != 0)
		rc = csv_sink_open_error(path, errno, err);
	free(copy);
	return rc;
}

int
csv_sink_open(struct csv_sink **out, const char *path, bool force,
    struct error *err)
{
	char header[CSV_ROW_MAX];
	struct csv_sink *c;
	struct stat st;
	int fd, rc;

	if (strcmp(path, "-") == 0) {
		fd = dup(STDOUT_FILENO);
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
		    (force ? O_TRUNC : O_EXCL), 0644);
	}
	if (fd < 0)
		return csv_sink_open_error(path, errno, err);
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->path = xstrdup(strcmp(path, "-") == 0 ? "standard output" : path);
	c->is_pipe = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
	rc = csv_sink_put(c, header, csv_format_header(header, sizeof header),
	    err);
	if (rc < 0) {
		csv_sink_close(c, NULL);
		return rc;
	}
	*out = c;
	return 0;
}

int
csv_sink_write(struct csv_sink *c, const struct sample *s, struct error *err)
{
	char row[CSV_ROW_MAX];

	return csv_sink_put(c, row, csv_format_row(row, sizeof row, s), err);
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
	free(c->path);
	free(c);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

struct csv_reader {
	csv_row_fn fn;
	void *ctx;
	char **cells;
	size_t ncells, cap;
	unsigned long line;
	int stop;
};

static void
csv_reader_cell(void *data, size_t len, void *r_)
{
	struct csv_reader *r = r_;
	char *cell = xmalloc(len + 1);

	if (len > 0)
		memcpy(cell, data, len);
	cell[len] = '\0';
	if (r->ncells == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->cells = xreallocarray(r->cells, r->cap, sizeof *r->cells);
	}
	r->cells[r->ncells++] = cell;
}

static void
csv_reader_clear(struct csv_reader *r)
{
	size_t i;

	for (i = 0; i < r->ncells; i++)
		free(r->cells[i]);
	r->ncells = 0;
}

static void
csv_reader_row(int term, void *r_)
{
	struct csv_reader *r = r_;

	(void)term;
	r->line++;
	if (r->stop == 0)
		r->stop = r->fn(r->ctx, r->line, r->cells, r->ncells);
	csv_reader_clear(r);
}

int
csv_read(const char *path, csv_row_fn fn, void *ctx, struct error *err)
{
	struct csv_reader r = { .fn = fn, .ctx = ctx };
	struct csv_parser p;
	char buf[65536];
	FILE *fp;
	size_t n;
	int rc = 0;

	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (fp == NULL)
		return error_set(err, errno, "cannot open %s: %s", path,
		    strerror(errno));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		rc = error_set(err, ENOMEM, "cannot start the CSV parser");
		goto out;
	}
	while (r.stop == 0 && (n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (csv_parse(&p, buf, n, csv_reader_cell, csv_reader_row,
		    &r) != n) {
			rc = error_set(err, EINVAL, "%s line %lu: malformed "
			    "CSV (%s)", path, r.line + 1,
			    csv_strerror(csv_error(&p)));
			break;
		}
	}
	if (rc == 0 && r.stop == 0 && ferror(fp))
		rc = error_set(err, EIO, "cannot read %s: %s", path,
		    strerror(errno));
	if (rc == 0 && r.stop == 0 &&
	    csv_fini(&p, csv_reader_cell, csv_reader_row, &r) != 0)
		rc = error_set(err, EINVAL, "%s line %lu: malformed CSV (%s)",
		    path, r.line + 1, csv_strerror(csv_error(&p)));
	if (rc == 0 && r.stop != 0)
		rc = r.stop;
	csv_free(&p);
	csv_reader_clear(&r);
	free(r.cells);
out:
	if (fp != stdin)
		fclose(fp);
	return rc;
}
