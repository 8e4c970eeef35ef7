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
#include <stdlib.h>
#include <string.h>

#include "sources/smaps.h"
#include "util/xmalloc.h"

static const struct {
	const char *name; /* including the colon */
	enum smaps_field field;
} smaps_names[] = {
    {"Size:", SMAPS_SIZE},
    {"Rss:", SMAPS_RSS},
    {"Pss:", SMAPS_PSS},
    {"Shared_Clean:", SMAPS_SHARED_CLEAN},
    {"Shared_Dirty:", SMAPS_SHARED_DIRTY},
    {"Private_Clean:", SMAPS_PRIVATE_CLEAN},
    {"Private_Dirty:", SMAPS_PRIVATE_DIRTY},
    {"Referenced:", SMAPS_REFERENCED},
    {"Anonymous:", SMAPS_ANONYMOUS},
    {"KSM:", SMAPS_KSM},
    {"AnonHugePages:", SMAPS_ANON_HUGE},
    {"ShmemPmdMapped:", SMAPS_SHMEM_PMD},
    {"FilePmdMapped:", SMAPS_FILE_PMD},
    {"Shared_Hugetlb:", SMAPS_SHARED_HUGETLB},
    {"Private_Hugetlb:", SMAPS_PRIVATE_HUGETLB},
    {"Swap:", SMAPS_SWAP},
    {"SwapPss:", SMAPS_SWAP_PSS},
};

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

/* "start-end perms offset major:minor inode [path]" */
static int
smaps_parse_header(const char *line, size_t len, struct mapping_list *list)
{
	struct mapping *m;
	const char *p = line, *end = line + len;
	char *q;

	if (list->n == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 256;
		list->v = xreallocarray(list->v, list->cap, sizeof *list->v);
	}
	m = &list->v[list->n];
	memset(m, 0, sizeof *m);
	m->start = strtoull(p, &q, 16);
	if (*q != '-')
		return -EINVAL;
	m->end = strtoull(q + 1, &q, 16);
	if (*q != ' ' || end - q < 6 || m->end < m->start)
		return -EINVAL;
	memcpy(m->perms, q + 1, 4);
	q += 5;
	m->offset = strtoull(q, &q, 16);
	m->dev_major = (unsigned int)strtoul(q, &q, 16);
	if (*q != ':')
		return -EINVAL;
	m->dev_minor = (unsigned int)strtoul(q + 1, &q, 16);
	m->inode = strtoull(q, &q, 10);
	if (q > end)
		return -EINVAL;
	while (q < end && *q == ' ')
		q++;
	m->path_off = smaps_add_string(list, q, (size_t)(end - q));
	for (size_t i = 0; i < SMAPS_NFIELDS; i++)
		m->kb[i] = NAN;
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
	unsigned long long v = 0;
	const char *digits;

	while (p < end && *p == ' ')
		p++;
	for (digits = p; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (p == digits || end - p != 3 || memcmp(p, " kB", 3) != 0)
		return -EINVAL;
	*kb = (double)v;
	return 0;
}

/* One "Name: value" line of a mapping; -EINVAL when a known count is
 * not a count. */
static int
smaps_parse_field(const char *line, size_t len, struct mapping *m)
{
	const char *colon = memchr(line, ':', len);
	size_t i, n;

	if (colon == NULL)
		return 0;
	n = (size_t)(colon - line) + 1;
	if (n == 8 && memcmp(line, "VmFlags:", 8) == 0) {
		m->vmflags = smaps_parse_vmflags(colon + 1, line + len);
		return 0;
	}
	for (i = 0; i < sizeof smaps_names / sizeof smaps_names[0]; i++) {
		if (strlen(smaps_names[i].name) == n &&
		    memcmp(line, smaps_names[i].name, n) == 0) {
			m->has_counts = true;
			return smaps_parse_kb(colon + 1, line + len,
					      &m->kb[smaps_names[i].field]);
		}
	}
	return 0;
}

int
smaps_parse(const char *text, struct mapping_list *list, struct error *err)
{
	const char *line = text, *nl;
	unsigned long lineno = 0;
	size_t len;

	list->n = 0;
	list->slen = 0;
	for (; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		len = (size_t)(nl - line);
		lineno++;
		if (len == 0) {
			if (*nl == '\0')
				break;
			continue;
		}
		/* Headers start with a lower-case hex address, fields with
		 * a capitalised name. */
		if (isxdigit((unsigned char)line[0]) &&
		    !isupper((unsigned char)line[0])) {
			if (smaps_parse_header(line, len, list) < 0)
				return error_set(err, EINVAL,
						 "cannot parse "
						 "mapping on line %lu: '%.60s'",
						 lineno, line);
		} else if (list->n > 0 &&
			   smaps_parse_field(line, len, &list->v[list->n - 1]) <
			       0) {
			return error_set(
			    err, EINVAL,
			    "cannot parse the count "
			    "on line %lu: '%.60s' (want a number of kB)",
			    lineno, line);
		}
		if (*nl == '\0')
			break;
	}
	return 0;
}
