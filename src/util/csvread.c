/*
 * CSV files read row by row through libcsv (csv_parse(3)), strict: a
 * malformed file is an error naming its line, never a guess.  Bytes come
 * through zlib (gzdopen(3)), which reads a gzip file and passes any other
 * file through as it is, so every reader takes FILE.csv.gz too.
 */
#include "config.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util/csvread.h"
#include "util/xmalloc.h"

struct csv_reader {
	csv_row_fn fn;
	csv_row_fn comment; /* the "# " line before the header; NULL */
	void *ctx;
	const struct csv_want *want; /* NULL: every cell copied */
	bool cut;     /* fn has had the header, and want has a width */
	size_t blank; /* then cells below this fn does not want hold "" */
	char **cells;
	size_t *size;	    /* each cell buffer's size */
	size_t ncells, cap; /* cells in the row; buffers allocated */
	unsigned long line;
	int stop;
};

/* Whether cell i of a row goes to fn. */
static bool
csv_reader_wanted(const struct csv_reader *r, size_t i)
{
	return !r->cut || (i < r->want->n && r->want->col[i]);
}

/* A row's cells are kept in buffers that live across rows (one
 * allocation per column, not one per cell of every row); a cell fn does
 * not want is "", not copied -- unless want->plain says it must be seen
 * (its buffer blanked where it is not copied). */
static void
csv_reader_cell(void *data, size_t len, void *r_)
{
	struct csv_reader *r = r_;
	char *cell;

	if (!csv_reader_wanted(r, r->ncells) &&
	    (r->want->plain == NULL || r->want->plain(data, len))) {
		if (r->ncells < r->blank) {
			r->cells[r->ncells++][0] = '\0';
			return;
		}
		len = 0;
	}
	if (r->ncells == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->cells = xreallocarray(r->cells, r->cap, sizeof *r->cells);
		r->size = xreallocarray(r->size, r->cap, sizeof *r->size);
		memset(r->cells + r->ncells, 0,
		       (r->cap - r->ncells) * sizeof *r->cells);
		memset(r->size + r->ncells, 0,
		       (r->cap - r->ncells) * sizeof *r->size);
	}
	if (r->size[r->ncells] < len + 1) {
		free(r->cells[r->ncells]);
		r->size[r->ncells] = len + 1 > 32 ? len + 1 : 32;
		r->cells[r->ncells] = xmalloc(r->size[r->ncells]);
	}
	cell = r->cells[r->ncells++];
	if (len > 0)
		memcpy(cell, data, len);
	cell[len] = '\0';
}

static void
csv_reader_clear(struct csv_reader *r)
{
	r->ncells = 0;
}

static void
csv_reader_free(struct csv_reader *r)
{
	size_t i;

	for (i = 0; i < r->cap; i++)
		free(r->cells[i]);
	free(r->cells);
	free(r->size);
}

/* fn has read the header and set want: the rows after it are cut to
 * want's cells, and the buffers of the others blanked once. */
static void
csv_reader_cut(struct csv_reader *r)
{
	size_t i;

	r->cut = true;
	for (i = 0; i < r->ncells; i++)
		if (!csv_reader_wanted(r, i))
			r->cells[i][0] = '\0';
	r->blank = r->ncells;
}

static void
csv_reader_row(int term, void *r_)
{
	struct csv_reader *r = r_;

	(void)term;
	r->line++;
	if (r->line == 1 && r->ncells > 0 && strncmp(r->cells[0], "# ", 2) == 0)
		r->stop = r->comment != NULL
			      ? r->comment(r->ctx, r->line, r->cells, r->ncells)
			      : 0;
	else if (r->stop == 0) {
		r->stop = r->fn(r->ctx, r->line, r->cells, r->ncells);
		if (!r->cut && r->want != NULL && r->want->n > 0)
			csv_reader_cut(r);
	}
	csv_reader_clear(r);
}

/* Whether the row left open at the end holds a line end (in a quoted
 * cell): memtrend writes none in a cell, so that is not a row cut short
 * but a quote never closed, which swallowed the lines after it. */
static bool
csv_reader_spans_lines(const struct csv_reader *r, const struct csv_parser *p)
{
	size_t i;

	if (p->entry_buf != NULL && p->entry_pos > 0 &&
	    memchr(p->entry_buf, '\n', p->entry_pos) != NULL)
		return true;
	for (i = 0; i < r->ncells; i++)
		if (strchr(r->cells[i], '\n') != NULL)
			return true;
	return false;
}

/* path ("-": standard input) opened through zlib. */
static int
csv_open(const char *path, gzFile *out, struct error *err)
{
	int fd, e;

	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO)
				    : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "cannot open %s: %s", path,
				 strerror(errno));
	if ((*out = gzdopen(fd, "rb")) == NULL) {
		e = errno != 0 ? errno : ENOMEM;
		close(fd);
		return error_set(err, e, "cannot open %s: %s", path,
				 strerror(e));
	}
	return 0;
}

int
csv_read(const char *path, csv_row_fn fn, void *ctx, struct error *err)
{
	return csv_read_with(path, fn, NULL, ctx, err);
}

int
csv_read_with(const char *path, csv_row_fn fn, csv_row_fn comment, void *ctx,
	      struct error *err)
{
	return csv_read_want(path, fn, comment, ctx, NULL, err);
}

int
csv_read_want(const char *path, csv_row_fn fn, csv_row_fn comment, void *ctx,
	      const struct csv_want *want, struct error *err)
{
	struct csv_reader r = {
	    .fn = fn, .comment = comment, .ctx = ctx, .want = want};
	struct csv_parser p;
	char buf[65536];
	const char *why, *nl;
	size_t tail = 0; /* bytes after the last line end */
	gzFile gz;
	int n, zerr, rc;

	if ((rc = csv_open(path, &gz, err)) < 0)
		return rc;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		gzclose(gz);
		return error_set(err, ENOMEM, "cannot start the CSV parser");
	}
	/* The cell buffer grows by this much, not libcsv's 128 bytes: a
	 * long cell is a few reallocations, not one per 128 bytes. */
	csv_set_blk_size(&p, sizeof buf);
	while (r.stop == 0 && (n = gzread(gz, buf, sizeof buf)) > 0) {
		nl = memrchr(buf, '\n', (size_t)n);
		tail =
		    nl != NULL ? (size_t)(buf + n - nl - 1) : tail + (size_t)n;
		if (csv_parse(&p, buf, (size_t)n, csv_reader_cell,
			      csv_reader_row, &r) != (size_t)n) {
			rc = error_set(err, EINVAL,
				       "%s line %lu: malformed "
				       "CSV (%s)",
				       path, r.line + 1,
				       csv_strerror(csv_error(&p)));
			break;
		}
	}
	if (rc == 0 && r.stop == 0 && (why = gzerror(gz, &zerr)) != NULL &&
	    zerr != Z_OK && zerr != Z_BUF_ERROR)
		rc = error_set(err, EIO, "cannot read %s: %s", path,
			       zerr == Z_ERRNO ? strerror(errno) : why);
	/* A last line with no line end is a write cut short (memtrend
	 * killed mid-write, a full disk, a gzip file or a copy cut short):
	 * the rows before it stand, it is left out (even if its cells look
	 * whole: the cut may be inside a number) and the caller is told. */
	if (rc == 0 && r.stop == 0 && tail > 0 &&
	    csv_reader_spans_lines(&r, &p))
		rc = error_set(err, EINVAL,
			       "%s line %lu: malformed CSV (a quote is "
			       "never closed)",
			       path, r.line + 1);
	else if (rc == 0 && r.stop == 0 && tail > 0)
		snprintf(err->msg, sizeof err->msg,
			 "%s line %lu is cut short (%zu bytes and no line end: "
			 "a write or a copy cut short); read the rows before "
			 "it",
			 path, r.line + 1, tail);
	else if (rc == 0 && r.stop == 0 &&
		 csv_fini(&p, csv_reader_cell, csv_reader_row, &r) != 0)
		rc = error_set(err, EINVAL, "%s line %lu: malformed CSV (%s)",
			       path, r.line + 1, csv_strerror(csv_error(&p)));
	if (rc == 0 && r.stop != 0)
		rc = r.stop;
	csv_free(&p);
	csv_reader_free(&r);
	gzclose(gz);
	return rc;
}

long
csv_column(char *const *cells, size_t ncells, const char *name)
{
	size_t i;

	for (i = 0; i < ncells; i++)
		if (strcmp(cells[i], name) == 0)
			return (long)i;
	return -1;
}

bool
csv_is_dir(const char *path)
{
	struct stat st;

	return strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

static bool
csv_dir_wanted(const char *name, bool regions)
{
	size_t n = strlen(name);
	bool csv = (n > 4 && strcmp(name + n - 4, ".csv") == 0) ||
		   (n > 7 && strcmp(name + n - 7, ".csv.gz") == 0);

	return csv && name[0] != '.' &&
	       (strncmp(name, "regions", 7) == 0) == regions;
}

static int
csv_dir_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

long
csv_dir_list(const char *dir, bool regions, char ***paths, struct error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **out = NULL;
	size_t n = 0, len;

	*paths = NULL;
	if (d == NULL)
		return error_set(err, errno, "cannot read directory %s: %s",
				 dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!csv_dir_wanted(e->d_name, regions))
			continue;
		out = xreallocarray(out, n + 1, sizeof *out);
		len = strlen(dir) + strlen(e->d_name) + 2;
		out[n] = xmalloc(len);
		snprintf(out[n], len, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(out, n, sizeof *out, csv_dir_cmp);
	*paths = out;
	return (long)n;
}

void
csv_dir_free(char **paths, long n)
{
	long i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
