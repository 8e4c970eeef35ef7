/*
 * /proc/slabinfo (see slabinfo.h).  A data line is
 *   name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>
 *     : tunables <limit> <batchcount> <sharedfactor>
 *     : slabdata <active_slabs> <num_slabs> <sharedavail>
 * The name is everything before the last five numbers ahead of
 * ": tunables", so a name with spaces still parses.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/slabinfo.h"
#include "util/page.h"
#include "util/root.h"
#include "util/xmalloc.h"

#define SLABINFO_VERSION "slabinfo - version: 2.1"

/* Reads the n numbers ending just before end (backwards); returns where
 * the first one starts, or NULL. */
static const char *
slabinfo_numbers_before(const char *start, const char *end, double *v, int n)
{
	const char *p = end, *num_end;
	char *stop;

	while (n-- > 0) {
		while (p > start && p[-1] == ' ')
			p--;
		num_end = p;
		while (p > start && p[-1] >= '0' && p[-1] <= '9')
			p--;
		if (p == num_end)
			return NULL;
		v[n] = strtod(p, &stop);
		if (stop != num_end)
			return NULL;
	}
	return p;
}

/* One data line [line, end); false when it does not parse. */
static bool
slabinfo_parse_line(const char *line, const char *end, double page_kb,
		    struct kcache *c)
{
	const char *tun, *data, *name_end, *nums;
	double objs[5], slabs[3];
	size_t len = (size_t)(end - line);

	tun = memmem(line, len, " : tunables ", 12);
	data = memmem(line, len, " : slabdata ", 12);
	if (tun == NULL || data == NULL || data < tun)
		return false;
	name_end = slabinfo_numbers_before(line, tun, objs, 5);
	for (nums = data + 12; nums < end && *nums == ' '; nums++)
		;
	if (name_end == NULL ||
	    slabinfo_numbers_before(nums, end, slabs, 3) != nums)
		return false;
	while (name_end > line && name_end[-1] == ' ')
		name_end--;
	if (name_end == line)
		return false;
	kcache_set_name(c->name, line, (size_t)(name_end - line));
	c->kind = KCACHE_SLAB;
	c->kb = objs[0] * objs[2] / 1024;
	c->pages_kb = slabs[1] * objs[4] * page_kb;
	return true;
}

static void
slabinfo_skip(struct slabinfo_skipped *sk, const char *line, const char *end)
{
	if (sk->lines++ == 0)
		kcache_set_name(sk->first, line,
				(size_t)(end - line) < sizeof sk->first - 1
				    ? (size_t)(end - line)
				    : sizeof sk->first - 1);
}

int
slabinfo_parse(const char *text, double page_kb, struct kcache_list *out,
	       struct slabinfo_skipped *skipped, struct error *err)
{
	const char *line, *end;
	struct kcache *c;
	size_t vlen = strcspn(text, "\n");

	if (vlen != strlen(SLABINFO_VERSION) ||
	    strncmp(text, SLABINFO_VERSION, vlen) != 0) {
		char first[64];

		kcache_set_name(first, text, vlen < 40 ? vlen : 40);
		return error_set(
		    err, EPROTO,
		    "/proc/slabinfo starts '%s': "
		    "memtrend reads version 2.1 only; slab caches are not "
		    "sampled",
		    first);
	}
	for (line = text + vlen; *line != '\0'; line = end) {
		if (*line == '\n')
			line++;
		end = line + strcspn(line, "\n");
		if (end == line || *line == '#')
			continue;
		c = kcache_list_add(out);
		if (!slabinfo_parse_line(line, end, page_kb, c)) {
			out->n--;
			slabinfo_skip(skipped, line, end);
		}
	}
	return 0;
}

/* Reclaimability by name, read once per cache from sysfs. */
struct slabinfo_class {
	char name[KCACHE_NAME];
	int reclaimable;
};

struct slabinfo {
	const char *root;
	int fd;
	char *buf;
	size_t cap;
	double page_kb;
	struct slabinfo_class *cls;
	size_t ncls, cls_cap;
	unsigned long skipped_said; /* lines skipped when last noted */
	bool unknown_said;
	char note[256];
};

int
slabinfo_open(struct slabinfo **out, const char *root, struct error *err)
{
	struct slabinfo *si;
	char path[4096];
	int fd;

	fd = root_open(root, "/proc/slabinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		root_path(path, sizeof path, root, "/proc/slabinfo");
		return error_set(
		    err, -fd, "cannot read %s: %s%s", path, strerror(-fd),
		    -fd == EACCES || -fd == EPERM
			? " (run as root); slab caches are not sampled"
			: "; slab caches are not sampled");
	}
	si = xcalloc(1, sizeof *si);
	si->root = root;
	si->fd = fd;
	si->page_kb = (double)page_size() / 1024;
	*out = si;
	return 0;
}

static int
slabinfo_reclaimable(struct slabinfo *si, const char *name)
{
	char path[256], buf[16];
	size_t i;
	int r = -1;

	for (i = 0; i < si->ncls; i++)
		if (strcmp(si->cls[i].name, name) == 0)
			return si->cls[i].reclaimable;
	/* A hostile name must not walk out of the directory. */
	if (strchr(name, '/') == NULL && strcmp(name, "..") != 0 &&
	    snprintf(path, sizeof path, "/sys/kernel/slab/%s/reclaim_account",
		     name) < (int)sizeof path &&
	    root_read_file(si->root, path, buf, sizeof buf) > 0)
		r = buf[0] == '1';
	if (si->ncls == si->cls_cap) {
		si->cls_cap = si->cls_cap ? si->cls_cap * 2 : 256;
		si->cls = xreallocarray(si->cls, si->cls_cap, sizeof *si->cls);
	}
	snprintf(si->cls[si->ncls].name, KCACHE_NAME, "%s", name);
	si->cls[si->ncls++].reclaimable = r;
	return r;
}

int
slabinfo_sample(struct slabinfo *si, struct ksample *s, struct error *err)
{
	struct slabinfo_skipped sk = {0};
	size_t first = s->caches.n, i;
	bool unknown = false;
	long n;
	int rc;

	n = root_pread_grow(si->fd, &si->buf, &si->cap);
	if (n < 0)
		return error_set(err, (int)-n,
				 "cannot read /proc/slabinfo: "
				 "%s; slab caches are not sampled",
				 strerror((int)-n));
	rc = slabinfo_parse(si->buf, si->page_kb, &s->caches, &sk, err);
	if (rc < 0)
		return rc;
	for (i = first; i < s->caches.n; i++) {
		s->caches.v[i].reclaimable =
		    slabinfo_reclaimable(si, s->caches.v[i].name);
		unknown |= s->caches.v[i].reclaimable < 0;
	}
	s->slab_read = true;
	si->note[0] = '\0';
	if (sk.lines > si->skipped_said) {
		snprintf(si->note, sizeof si->note,
			 "/proc/slabinfo: %lu "
			 "line%s not understood, skipped (the first: '%s')",
			 sk.lines, sk.lines == 1 ? "" : "s", sk.first);
		si->skipped_said = sk.lines;
	} else if (unknown && !si->unknown_said) {
		snprintf(
		    si->note, sizeof si->note,
		    "/sys/kernel/slab: "
		    "cannot tell which slab caches are reclaimable; those are "
		    "judged as unreclaimable");
		si->unknown_said = true;
	}
	return 0;
}

const char *
slabinfo_note(struct slabinfo *si)
{
	return si->note[0] != '\0' ? si->note : NULL;
}

void
slabinfo_close(struct slabinfo *si)
{
	if (si == NULL)
		return;
	close(si->fd);
	free(si->buf);
	free(si->cls);
	free(si);
}
