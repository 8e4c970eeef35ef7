/*
 * Parser for /proc/PID/maps and /proc/PID/smaps (proc(5);
 * Documentation/filesystems/proc.rst, "The /proc/PID/smaps file").  Each
 * mapping is a header line "start-end perms offset major:minor inode path"
 * followed, in smaps, by "Name:   value kB" lines and a VmFlags line.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/smaps.h"
#include "util/xmalloc.h"

/* The counter a field name (colon excluded) stands for, -1 for the names
 * memtrend does not use, SMAPS_VMFLAGS for VmFlags: a switch on the
 * length and one distinguishing byte, then a single memcmp to confirm, so
 * a line costs the same whatever its name (no scan over a table). */
#define SMAPS_VMFLAGS SMAPS_NFIELDS

/* want is as long as name: the switch below matched the length. */
#define smaps_name_is(name, want, field)                                       \
	(memcmp((name), (want), sizeof(want) - 1) == 0 ? (field) : -1)

static int
smaps_field_of(const char *name, size_t len)
{
	switch (len) {
	case 3:
		return name[0] == 'R'	? smaps_name_is(name, "Rss", SMAPS_RSS)
		       : name[0] == 'P' ? smaps_name_is(name, "Pss", SMAPS_PSS)
					: smaps_name_is(name, "KSM", SMAPS_KSM);
	case 4:
		return name[1] == 'i' ? smaps_name_is(name, "Size", SMAPS_SIZE)
				      : smaps_name_is(name, "Swap", SMAPS_SWAP);
	case 7:
		return name[0] == 'S'
			   ? smaps_name_is(name, "SwapPss", SMAPS_SWAP_PSS)
			   : smaps_name_is(name, "VmFlags", SMAPS_VMFLAGS);
	case 9:
		return smaps_name_is(name, "Anonymous", SMAPS_ANONYMOUS);
	case 10:
		return smaps_name_is(name, "Referenced", SMAPS_REFERENCED);
	case 12:
		return name[7] == 'C' ? smaps_name_is(name, "Shared_Clean",
						      SMAPS_SHARED_CLEAN)
				      : smaps_name_is(name, "Shared_Dirty",
						      SMAPS_SHARED_DIRTY);
	case 13:
		switch (name[8]) {
		case 'C':
			return smaps_name_is(name, "Private_Clean",
					     SMAPS_PRIVATE_CLEAN);
		case 'D':
			return smaps_name_is(name, "Private_Dirty",
					     SMAPS_PRIVATE_DIRTY);
		case 'P':
			return smaps_name_is(name, "AnonHugePages",
					     SMAPS_ANON_HUGE);
		default:
			return smaps_name_is(name, "FilePmdMapped",
					     SMAPS_FILE_PMD);
		}
	case 14:
		return name[1] == 'h' && name[2] == 'm'
			   ? smaps_name_is(name, "ShmemPmdMapped",
					   SMAPS_SHMEM_PMD)
			   : smaps_name_is(name, "Shared_Hugetlb",
					   SMAPS_SHARED_HUGETLB);
	case 15:
		return smaps_name_is(name, "Private_Hugetlb",
				     SMAPS_PRIVATE_HUGETLB);
	default:
		return -1;
	}
}

static size_t
smaps_add_string(struct mapping_list *list, const char *s, size_t len)
{
	size_t off;

	if (list->slen + len + 1 > list->scap) {
		list->scap = (list->slen + len + 1) * 2;
		list->strings = xreallocarray(list->strings, list->scap, 1);
	}
	off = list->slen;
	memcpy(list->strings + off, s, len);
	list->strings[off + len] = '\0';
	list->slen += len + 1;
	return off;
}

/* A hex number (leading spaces skipped); NULL when there is none or it
 * does not fit 64 bits. */
static const char *
smaps_hex(const char *p, const char *end, uint64_t *out)
{
	const char *digits;
	uint64_t v = 0;
	unsigned int d;

	while (p < end && *p == ' ')
		p++;
	for (digits = p; p < end; p++) {
		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (unsigned int)((*p | 0x20) - 'a' + 10);
		else
			break;
		if (v >> 60)
			return NULL;
		v = v << 4 | d;
	}
	*out = v;
	return p > digits ? p : NULL;
}

/* A decimal number (leading spaces skipped), as smaps_hex. */
static const char *
smaps_dec(const char *p, const char *end, uint64_t *out)
{
	const char *digits;
	uint64_t v = 0;

	while (p < end && *p == ' ')
		p++;
	for (digits = p; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return NULL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return p > digits ? p : NULL;
}

/* "start-end perms offset major:minor inode [path]" */
static int
smaps_parse_header(const char *line, size_t len, struct mapping_list *list)
{
	const char *p = line, *end = line + len;
	uint64_t major, minor;
	struct mapping *m;

	if (list->n == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 256;
		list->v = xreallocarray(list->v, list->cap, sizeof *list->v);
	}
	m = &list->v[list->n];
	memset(m, 0, sizeof *m);
	if ((p = smaps_hex(p, end, &m->start)) == NULL || *p != '-' ||
	    (p = smaps_hex(p + 1, end, &m->end)) == NULL || end - p < 6 ||
	    *p != ' ' || m->end < m->start)
		return -EINVAL;
	memcpy(m->perms, p + 1, 4);
	p += 5;
	if ((p = smaps_hex(p, end, &m->offset)) == NULL ||
	    (p = smaps_hex(p, end, &major)) == NULL || p == end || *p != ':' ||
	    (p = smaps_hex(p + 1, end, &minor)) == NULL ||
	    (p = smaps_dec(p, end, &m->inode)) == NULL)
		return -EINVAL;
	m->dev_major = (unsigned int)major;
	m->dev_minor = (unsigned int)minor;
	while (p < end && *p == ' ')
		p++;
	m->path_off = smaps_add_string(list, p, (size_t)(end - p));
	m->kb = mapping_no_counts;
	list->n++;
	return 0;
}

static unsigned int
smaps_parse_vmflags(const char *p, const char *end)
{
	unsigned int flags = 0;
	const char *tok;

	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		for (tok = p; p < end && *p != ' '; p++)
			;
		if (p - tok != 2)
			continue;
		if (tok[0] == 'h' && tok[1] == 't')
			flags |= SMAPS_VM_HUGETLB;
		else if (tok[0] == 's' && tok[1] == 'd')
			flags |= SMAPS_VM_SOFTDIRTY;
		else if (tok[0] == 's' && tok[1] == 'h')
			flags |= SMAPS_VM_SHARED;
		else if (tok[0] == 'g' && tok[1] == 'd')
			flags |= SMAPS_VM_GROWSDOWN;
	}
	return flags;
}

/* A count as the kernel prints it ("%8lu kB"): spaces, digits, " kB". */
static int
smaps_parse_kb(const char *p, const char *end, double *kb)
{
	uint64_t v;

	p = smaps_dec(p, end, &v);
	if (p == NULL || end - p != 3 || memcmp(p, " kB", 3) != 0)
		return -EINVAL;
	*kb = (double)v;
	return 0;
}

/* The counters of the list's last mapping, m, made on its first count
 * (smaps_finish points m->kb at them once the list is complete). */
static double *
smaps_counts(struct mapping_list *list, struct mapping *m)
{
	double *row;

	if (!m->has_counts) {
		if (list->ncounts == list->counts_cap) {
			list->counts_cap =
			    list->counts_cap ? list->counts_cap * 2 : 256;
			list->counts =
			    xreallocarray(list->counts, list->counts_cap,
					  SMAPS_NFIELDS * sizeof *list->counts);
		}
		row = list->counts + list->ncounts++ * SMAPS_NFIELDS;
		memcpy(row, mapping_no_counts, sizeof mapping_no_counts);
		m->has_counts = true;
	}
	return list->counts + (list->ncounts - 1) * SMAPS_NFIELDS;
}

/* Points each mapping with counts at its row, in order. */
static void
smaps_finish(struct mapping_list *list)
{
	size_t i, k = 0;

	for (i = 0; i < list->n; i++) {
		if (list->v[i].has_counts)
			list->v[i].kb = list->counts + k++ * SMAPS_NFIELDS;
	}
}

/* One "Name: value" line of a mapping; -EINVAL when a known count is
 * not a count. */
static int
smaps_parse_field(const char *line, size_t len, struct mapping_list *list,
		  struct mapping *m)
{
	const char *colon = memchr(line, ':', len);
	int f;

	if (colon == NULL)
		return 0;
	f = smaps_field_of(line, (size_t)(colon - line));
	if (f < 0)
		return 0;
	if (f == SMAPS_VMFLAGS) {
		m->vmflags = smaps_parse_vmflags(colon + 1, line + len);
		return 0;
	}
	return smaps_parse_kb(colon + 1, line + len, &smaps_counts(list, m)[f]);
}

static int
smaps_parse_line(struct smaps_parser *sp, const char *line, size_t len,
		 struct error *err)
{
	struct mapping_list *list = sp->list;
	int shown = len < 60 ? (int)len : 60;

	sp->lineno++;
	if (len == 0)
		return 0;
	/* Headers start with a lower-case hex address, fields with a
	 * capitalised name. */
	if (isxdigit((unsigned char)line[0]) &&
	    !isupper((unsigned char)line[0])) {
		if (smaps_parse_header(line, len, list) < 0)
			return error_set(err, EINVAL,
					 "cannot parse mapping on line %lu: "
					 "'%.*s'",
					 sp->lineno, shown, line);
	} else if (list->n > 0 &&
		   smaps_parse_field(line, len, list, &list->v[list->n - 1]) <
		       0) {
		return error_set(err, EINVAL,
				 "cannot parse the count on line %lu: '%.*s' "
				 "(want a number of kB)",
				 sp->lineno, shown, line);
	}
	return 0;
}

void
smaps_parser_init(struct smaps_parser *sp, struct mapping_list *list)
{
	sp->list = list;
	sp->lineno = 0;
	list->n = 0;
	list->slen = 0;
	list->ncounts = 0;
}

long
smaps_parse_lines(struct smaps_parser *sp, const char *buf, size_t n, bool last,
		  struct error *err)
{
	const char *line = buf, *end = buf + n, *nl;
	int rc;

	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL) {
			if (!last)
				break;
			nl = end;
		}
		rc = smaps_parse_line(sp, line, (size_t)(nl - line), err);
		if (rc < 0)
			return rc;
		line = nl < end ? nl + 1 : end;
	}
	if (last)
		smaps_finish(sp->list);
	return (long)(line - buf);
}

int
smaps_parse(const char *text, struct mapping_list *list, struct error *err)
{
	struct smaps_parser sp;
	long rc;

	smaps_parser_init(&sp, list);
	rc = smaps_parse_lines(&sp, text, strlen(text), true, err);
	return rc < 0 ? (int)rc : 0;
}

int
smaps_read(int fd, char *buf, size_t cap, struct mapping_list *list,
	   struct error *err)
{
	struct smaps_parser sp;
	size_t have = 0;
	off_t off = 0;
	ssize_t got;
	long used;

	smaps_parser_init(&sp, list);
	for (;;) {
		got = pread(fd, buf + have, cap - have, off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return errno == ESRCH ? -ESRCH : -errno;
		if (got == 0 && off == 0)
			return -ESRCH; /* an exited process's files are empty */
		off += got;
		have += (size_t)got;
		used = smaps_parse_lines(&sp, buf, have, got == 0, err);
		if (used < 0)
			return (int)used;
		if (got == 0)
			return 0;
		have -= (size_t)used;
		memmove(buf, buf + used, have);
		if (have == cap)
			return error_set(err, EINVAL,
					 "line %lu is longer than %zu bytes",
					 sp.lineno + 1, cap);
	}
}
