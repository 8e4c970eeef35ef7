/*
 * The capture-only build's /proc readers (see procfs.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/procfs.h"

int
procfs_kv(const char *text, const char *key, double *value)
{
	size_t klen = strlen(key);
	const char *line = text;
	char *end;

	while (line != NULL && *line != '\0') {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			*value = strtod(line + klen + 1, &end);
			if (end != line + klen + 1 && *value >= 0)
				return 0;
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return -ENOENT;
}

/* The next space-separated field after p, as an unsigned number. */
static const char *
procfs_field(const char *p, unsigned long long *v)
{
	char *end;

	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9') {
		if (*p == '-') { /* a signed field: skip it */
			strtoll(p, &end, 10);
			*v = 0;
			return end != p ? end : NULL;
		}
		return NULL;
	}
	*v = strtoull(p, &end, 10);
	return end;
}

/*
 * "pid (comm) state ppid ..." -- comm may hold spaces and parentheses,
 * so it ends at the last ')'.  Fields from 4 on are numbers.
 */
int
procfs_stat(const char *text, struct procfs_stat *st)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	const char *p;
	unsigned long long v[23];
	size_t n;
	int f;

	memset(st, 0, sizeof *st);
	if (open == NULL || close == NULL || close < open || close[1] != ' ' ||
	    close[2] == '\0')
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof st->comm)
		n = sizeof st->comm - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	st->state = close[2];
	p = close + 3;
	for (f = 4; f <= 22; f++) {
		if ((p = procfs_field(p, &v[f])) == NULL)
			return -EINVAL;
	}
	st->ppid = (long)v[4];
	st->flags = (unsigned long)v[9];
	st->minflt = (double)v[10];
	st->majflt = (double)v[12];
	st->threads = (double)v[20];
	st->start = v[22];
	return 0;
}
