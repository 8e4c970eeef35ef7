/*
 * The kernel CSVs, live rows and summary (see kernel.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "sinks/kernel.h"
#include "sinks/term.h"
#include "util/units.h"
#include "util/xmalloc.h"

static const enum kfield_id kernel_term_fields[] = {
    KF_MEM_AVAILABLE_KB, KF_SLAB_UNRECLAIM_KB, KF_VMALLOC_USED_KB, KF_PERCPU_KB,
    KF_KERNEL_STACK_KB,	 KF_PAGE_TABLES_KB,    KF_UNACCOUNTED_KB,
};
#define KERNEL_NTERM (sizeof kernel_term_fields / sizeof kernel_term_fields[0])

int
kernel_csv_open(struct csv_sink **out, const char *path, bool caches,
		bool force, struct error *err)
{
	struct csv_buf h = {0};
	int rc;

	if (caches)
		kernel_caches_header(&h);
	else
		kernel_csv_header(&h);
	rc = csv_sink_open_header(out, path, h.text, force, err);
	free(h.text);
	return rc;
}

void
kernel_csv_header(struct csv_buf *b)
{
	int i;

	csv_buf_add(b, "%s,%s", field_keys[KEY_TIMESTAMP].name,
		    field_keys[KEY_ELAPSED_S].name);
	for (i = 0; i < KF_COUNT; i++)
		csv_buf_add(b, ",%s", kfields[i].name);
}

static void
kernel_stamp(struct csv_buf *b, const struct ksample *s)
{
	char stamp[40];

	csv_format_time(stamp, sizeof stamp, s->wall_s);
	csv_buf_add(b, "%s,%.3f", stamp, s->elapsed_s);
}

void
kernel_csv_row(struct csv_buf *b, const struct ksample *s)
{
	int i;

	kernel_stamp(b, s);
	for (i = 0; i < KF_COUNT; i++) {
		if (isnan(s->value[i]))
			csv_buf_add(b, ",");
		else
			csv_buf_add(b, ",%.0f", s->value[i]);
	}
	csv_buf_add(b, "\n");
}

void
kernel_caches_header(struct csv_buf *b)
{
	csv_buf_add(b, "%s,%s,kind,name,kb,pages_kb,reclaimable",
		    field_keys[KEY_TIMESTAMP].name,
		    field_keys[KEY_ELAPSED_S].name);
}

/* ",value", "," when unknown; a fraction of a KiB is kept. */
static void
kernel_kb(struct csv_buf *b, double kb)
{
	if (isnan(kb))
		csv_buf_add(b, ",");
	else if (kb == floor(kb))
		csv_buf_add(b, ",%.0f", kb);
	else
		csv_buf_add(b, ",%.3f", kb);
}

void
kernel_caches_rows(struct csv_buf *b, const struct ksample *s)
{
	const struct kcache *c;
	size_t i;

	for (i = 0; i < s->caches.n; i++) {
		c = &s->caches.v[i];
		kernel_stamp(b, s);
		csv_buf_add(b, ",%s,", kcache_kind_names[c->kind]);
		csv_buf_text(b, c->name);
		kernel_kb(b, c->kb);
		kernel_kb(b, c->pages_kb);
		if (c->reclaimable < 0)
			csv_buf_add(b, ",\n");
		else
			csv_buf_add(b, ",%d\n", c->reclaimable);
	}
}

struct kernel_term {
	FILE *fp;
	bool raw, tty;
	bool bold; /* escape codes allowed (term_escapes_ok()) */
	unsigned long rows;
};

struct kernel_term *
kernel_term_open(FILE *fp, bool raw_kib)
{
	struct kernel_term *t = xcalloc(1, sizeof *t);

	t->fp = fp;
	t->raw = raw_kib;
	t->tty = isatty(fileno(fp));
	t->bold = term_escapes_ok(fp);
	return t;
}

static unsigned long
kernel_term_screen(FILE *fp)
{
	struct winsize ws;

	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 3)
		return ws.ws_row - 1;
	return 23;
}

static void
kernel_term_header(struct kernel_term *t)
{
	size_t i;

	if (t->bold)
		fputs("\033[1m", t->fp);
	fprintf(t->fp, "%-8s", "time");
	for (i = 0; i < KERNEL_NTERM; i++)
		fprintf(t->fp, " %*s", TERM_COL,
			kfields[kernel_term_fields[i]].label);
	if (t->bold)
		fputs("\033[0m", t->fp);
	fputc('\n', t->fp);
}

void
kernel_term_row(struct kernel_term *t, const struct ksample *s)
{
	time_t secs = (time_t)s->wall_s;
	char buf[32], clock[16];
	struct tm tm;
	size_t i;

	if (t->rows == 0 || (t->tty && t->rows >= kernel_term_screen(t->fp))) {
		kernel_term_header(t);
		t->rows = 0;
	}
	localtime_r(&secs, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	fprintf(t->fp, "%-8s", clock);
	for (i = 0; i < KERNEL_NTERM; i++) {
		units_format_kib(buf, sizeof buf,
				 s->value[kernel_term_fields[i]], t->raw,
				 false);
		fprintf(t->fp, " %*s", TERM_COL, buf);
	}
	fputc('\n', t->fp);
	fflush(t->fp);
	t->rows++;
}

void
kernel_term_close(struct kernel_term *t)
{
	free(t);
}

void
kernel_summary(FILE *fp, const struct judge *j, size_t top)
{
	const struct judge_series **best;
	char line[1024];
	size_t i, n, shown = 0;

	for (i = 0; i < j->n; i++) {
		if (!(j->v[i].flags & JUDGE_PINNED))
			continue;
		judge_sentence(&j->v[i], line, sizeof line);
		fprintf(fp, "  %s\n", line);
	}
	best = xcalloc(top + j->n + 1, sizeof *best);
	n = judge_rank(j, best, top + j->n);
	/* A fraction of a KiB is a few objects: not worth a line. */
	fprintf(fp, "caches and callers that grew, most first:\n");
	for (i = 0; i < n && top > 0; i++) {
		if ((best[i]->flags & JUDGE_PINNED) ||
		    !(best[i]->last_kb - best[i]->first_kb >= 1))
			continue;
		judge_sentence(best[i], line, sizeof line);
		fprintf(fp, "  %s%s: %s\n",
			best[i]->group == KCACHE_SLAB ? "slab" : "vmalloc",
			best[i]->flags & JUDGE_RECLAIMABLE ? " (reclaimable)"
							   : "",
			line);
		top--;
		shown++;
	}
	if (shown == 0)
		fprintf(fp, "  none\n");
	free(best);
}
