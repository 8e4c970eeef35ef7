/*
 * /proc/vmallocinfo (see vmallocinfo.h).  A line is
 *   0xSTART-0xEND SIZE [CALLER+0xOFF/0xLEN [module]] [pages=N]
 *     [phys=ADDR] [ioremap|vmalloc|vmap|user|dma-coherent|vpages] [N0=..]
 * or, for areas without a caller, "unpurged vm_area" / "vm_map_ram".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/vmallocinfo.h"
#include "util/page.h"
#include "util/root.h"
#include "util/xmalloc.h"

/* The row of out (from index first) named name, added when missing. */
static struct kcache *
vmallocinfo_row(struct kcache_list *out, size_t first, const char *name)
{
	struct kcache *c;
	size_t i;

	for (i = first; i < out->n; i++)
		if (strcmp(out->v[i].name, name) == 0)
			return &out->v[i];
	c = kcache_list_add(out);
	c->kind = KCACHE_VMALLOC;
	snprintf(c->name, sizeof c->name, "%s", name);
	c->kb = 0;
	c->reclaimable = 0;
	return c;
}

/* One line [line, end): 1 parsed, 0 holds no pages, -1 does not parse. */
static int
vmallocinfo_parse_line(const char *line, const char *end, double page_kb,
		       struct kcache_list *out, size_t first)
{
	char name[KCACHE_NAME];
	const char *p, *sym, *sym_end, *pages;
	char *stop;
	double n;

	if (strncmp(line, "0x", 2) != 0 ||
	    (p = memchr(line, ' ', (size_t)(end - line))) == NULL)
		return -1;
	while (p < end && *p == ' ')
		p++;
	strtoull(p, &stop, 10);
	if (stop == p || stop >= end || *stop != ' ')
		return -1;
	/* From the space after the size: an area without a caller has
	 * " pages=" right there. */
	pages = memmem(stop, (size_t)(end - stop), " pages=", 7);
	if (pages == NULL)
		return 0;
	for (p = stop; p < end && *p == ' '; p++)
		;
	n = strtod(pages + 7, &stop);
	if (stop == pages + 7 || stop > end)
		return -1;
	sym = p;
	sym_end = sym + strcspn(sym, "+ \n");
	if (sym_end > end)
		sym_end = end;
	if (sym == pages + 1 || sym_end == sym)
		kcache_set_name(name, "(no caller)", 11);
	else
		kcache_set_name(name, sym, (size_t)(sym_end - sym));
	vmallocinfo_row(out, first, name)->kb += n * page_kb;
	return 1;
}

unsigned long
vmallocinfo_parse(const char *text, double page_kb, struct kcache_list *out)
{
	const char *line, *end;
	unsigned long bad = 0;
	size_t first = out->n;

	for (line = text; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (end == line)
			continue;
		if (vmallocinfo_parse_line(line, end, page_kb, out, first) < 0)
			bad++;
	}
	return bad;
}

struct vmallocinfo {
	int fd;
	char *buf;
	size_t cap;
	double page_kb;
	bool noted;
	char note[128];
};

int
vmallocinfo_open(struct vmallocinfo **out, const char *root, struct error *err)
{
	struct vmallocinfo *vi;
	char path[4096];
	int fd;

	fd = root_open(root, "/proc/vmallocinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		root_path(path, sizeof path, root, "/proc/vmallocinfo");
		return error_set(
		    err, -fd, "cannot read %s: %s%s", path, strerror(-fd),
		    -fd == EACCES || -fd == EPERM
			? " (run as root); vmalloc callers are not sampled"
			: "; vmalloc callers are not sampled");
	}
	vi = xcalloc(1, sizeof *vi);
	vi->fd = fd;
	vi->page_kb = (double)page_size() / 1024;
	*out = vi;
	return 0;
}

int
vmallocinfo_sample(struct vmallocinfo *vi, struct ksample *s, struct error *err)
{
	unsigned long bad;
	long n;

	n = root_pread_grow(vi->fd, &vi->buf, &vi->cap);
	if (n < 0)
		return error_set(err, (int)-n,
				 "cannot read /proc/vmallocinfo:"
				 " %s; vmalloc callers are not sampled",
				 strerror((int)-n));
	bad = vmallocinfo_parse(vi->buf, vi->page_kb, &s->caches);
	s->vmalloc_read = true;
	vi->note[0] = '\0';
	if (bad > 0 && !vi->noted) {
		snprintf(vi->note, sizeof vi->note,
			 "/proc/vmallocinfo: %lu "
			 "line%s not understood, skipped",
			 bad, bad == 1 ? "" : "s");
		vi->noted = true;
	}
	return 0;
}

const char *
vmallocinfo_note(struct vmallocinfo *vi)
{
	return vi->note[0] != '\0' ? vi->note : NULL;
}

void
vmallocinfo_close(struct vmallocinfo *vi)
{
	if (vi == NULL)
		return;
	close(vi->fd);
	free(vi->buf);
	free(vi);
}
