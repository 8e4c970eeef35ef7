/*
 * CSV files read row by row through libcsv (csv_parse(3)), strict: a
 * malformed file is an error naming its line, never a guess.
 */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csvread.h"
#include "util/xmalloc.h"

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
	struct csv_reader r = {.fn = fn, .ctx = ctx};
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
	/* The cell buffer grows by this much, not libcsv's 128 bytes: a
	 * long cell is a few reallocations, not one per 128 bytes. */
	csv_set_blk_size(&p, sizeof buf);
	while (r.stop == 0 && (n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (csv_parse(&p, buf, n, csv_reader_cell, csv_reader_row,
			      &r) != n) {
			rc = error_set(err, EINVAL,
				       "%s line %lu: malformed "
				       "CSV (%s)",
				       path, r.line + 1,
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

long
csv_column(char *const *cells, size_t ncells, const char *name)
{
	size_t i;

	for (i = 0; i < ncells; i++)
		if (strcmp(cells[i], name) == 0)
			return (long)i;
	return -1;
}
