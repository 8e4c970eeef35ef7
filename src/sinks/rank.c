/*
 * The ranked view (see rank.h).  Process names come from outside: they
 * are escaped for the terminal.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sinks/rank.h"
#include "util/units.h"
#include "util/xmalloc.h"

struct rank_sink {
	FILE *fp;
	bool raw, tty, redraw;
	size_t rows;
};

struct rank_sink *
rank_open(FILE *fp, bool raw_kib, size_t rows)
{
	struct rank_sink *r = xcalloc(1, sizeof *r);
	const char *term = getenv("TERM");

	r->fp = fp;
	r->raw = raw_kib;
	r->rows = rows;
	r->tty = isatty(fileno(fp));
	/* Redrawing needs cursor codes a dumb terminal lacks. */
	r->redraw = r->tty && (term == NULL || strcmp(term, "dumb") != 0);
	return r;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct rank_row *x = a, *y = b;
	double rx = x->rate_kb_h, ry = y->rate_kb_h;

	if (isnan(rx) != isnan(ry))
		return isnan(rx) ? 1 : -1;
	if (!isnan(rx) && rx != ry)
		return (rx < ry) - (rx > ry);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

void
rank_sort(struct rank_row *rows, size_t n)
{
	qsort(rows, n, sizeof *rows, rank_cmp);
}

double
rank_size_kb(const struct rank_row *row, const char **metric)
{
	static const enum field_id order[] = {FIELD_USS_KB, FIELD_PSS_KB,
					      FIELD_RSS_KB};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		const struct summary_stat *st = &row->summary->stat[order[i]];

		if (st->n > 0) {
			*metric = fields[order[i]].label;
			return st->last;
		}
	}
	*metric = "-";
	return NAN;
}

void
rank_table(FILE *fp, const struct rank_row *rows, size_t n, size_t max,
	   bool raw_kib, size_t width)
{
	double grown = 0;
	size_t i, name_w;

	if (width < 60)
		width = 60;
	name_w = width - 58; /* the columns before COMMAND */
	for (i = 0; i < n; i++)
		if (rows[i].rate_kb_h > 0)
			grown += rows[i].rate_kb_h;
	fprintf(fp, "%7s %-4s %10s %11s %6s %-13s %s\n", "PID", "OF", "SIZE",
		"RATE/h", "SHARE", "VERDICT", "COMMAND");
	for (i = 0; i < n && i < max; i++) {
		const struct rank_row *r = &rows[i];
		const char *metric;
		char size[32], rate[32], share[16], name[256];
		double kb = rank_size_kb(r, &metric);
		enum trend_verdict v = verdict_evidence(r->verdict)->verdict;

		units_format_kib(size, sizeof size, kb, raw_kib, false);
		units_format_kib(rate, sizeof rate, r->rate_kb_h, raw_kib,
				 true);
		if (r->rate_kb_h > 0 && grown > 0)
			snprintf(share, sizeof share, "%.0f%%",
				 100 * r->rate_kb_h / grown);
		else
			snprintf(share, sizeof share, "-");
		units_escape_text(
		    name, name_w + 1 < sizeof name ? name_w + 1 : sizeof name,
		    r->cmdline != NULL && r->cmdline[0] != '\0' ? r->cmdline
								: r->comm);
		fprintf(fp, "%7d %-4s %10s %11s %6s %-13s %s\n", (int)r->pid,
			metric, size, rate, share, verdict_name(v), name);
	}
}

static size_t
rank_screen(const struct rank_sink *r, size_t *width)
{
	struct winsize ws;

	*width = 80;
	if (r->tty && ioctl(fileno(r->fp), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row > 4) {
		*width = ws.ws_col > 60 ? ws.ws_col : 60;
		return ws.ws_row - 3u;
	}
	return 20;
}

void
rank_show(struct rank_sink *r, struct rank_row *rows, size_t n,
	  double elapsed_s)
{
	char when[32];
	size_t width, max = rank_screen(r, &width);

	if (r->rows != 0)
		max = r->rows;
	rank_sort(rows, n);
	units_format_duration(when, sizeof when, elapsed_s);
	if (r->redraw)
		fputs("\033[H\033[2J", r->fp);
	else
		fputc('\n', r->fp);
	fprintf(r->fp,
		"memtrend top: %zu processes after %s, fastest growth first "
		"(size: USS where read, else PSS, RSS)\n",
		n, when);
	rank_table(r->fp, rows, n, max, r->raw, width);
	fflush(r->fp);
}

void
rank_close(struct rank_sink *r)
{
	free(r);
}
