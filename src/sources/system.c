/*
 * System context (see system.h).
 *   MemAvailable: /proc/meminfo through memavail.h (libproc2, or the
 *     capture-only build's own reader); the live /proc, whatever the
 *     root.
 *   cgroup limits: Documentation/admin-guide/cgroup-v2.rst (memory.max,
 *     memory.current) and cgroup-v1/memory.rst (memory.limit_in_bytes,
 *     memory.usage_in_bytes), under the root.  A parent's limit binds its
 *     children, so the walk goes up to the hierarchy's top and keeps the
 *     tightest; the files of that cgroup stay open and are re-read each
 *     tick, since limits can change at run time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/probe.h"
#include "sources/memavail.h"
#include "sources/system.h"
#include "util/root.h"
#include "util/xmalloc.h"

struct system {
	struct memavail *memavail; /* NULL when it cannot be read */
	int limit_fd, usage_fd;	   /* -1: no limited cgroup */
	bool own_usage; /* a watched cgroup's usage, limited or not */
};

/* The files of one cgroup hierarchy. */
struct system_hier {
	const char *top; /* mount point under the root */
	const char *limit;
	const char *usage;
};

static const struct system_hier system_v2 = {"/sys/fs/cgroup", "memory.max",
					     "memory.current"};
static const struct system_hier system_v1 = {
    "/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"};

void
system_parse_cgroup(const char *text, char *v2, size_t v2len, char *v1,
		    size_t v1len)
{
	const char *line = text, *end, *ctrl, *path;
	size_t len;

	v2[0] = v1[0] = '\0';
	for (; line != NULL && *line != '\0';
	     line = end != NULL ? end + 1 : NULL) {
		end = strchr(line, '\n');
		len = end != NULL ? (size_t)(end - line) : strlen(line);
		ctrl = memchr(line, ':', len);
		if (ctrl == NULL)
			continue;
		path = memchr(ctrl + 1, ':', len - (size_t)(ctrl + 1 - line));
		if (path == NULL)
			continue;
		path++;
		if (path - ctrl == 2 && strncmp(line, "0:", 2) == 0)
			snprintf(v2, v2len, "%.*s", (int)(line + len - path),
				 path);
		else if (memmem(ctrl + 1, (size_t)(path - ctrl - 2), "memory",
				6) != NULL)
			snprintf(v1, v1len, "%.*s", (int)(line + len - path),
				 path);
	}
}

double
system_parse_kb(const char *text)
{
	char *end;
	double v;

	if (strncmp(text, "max", 3) == 0)
		return NAN;
	v = strtod(text, &end);
	if (end == text || (*end != '\0' && *end != '\n') || v < 0 ||
	    v >= 0x1p62)
		return NAN;
	return v / 1024;
}

static double
system_read_kb(int fd)
{
	char buf[64];

	if (fd < 0 || root_pread_all(fd, buf, sizeof buf) <= 0)
		return NAN;
	return system_parse_kb(buf);
}

/* Walks from cg up to the hierarchy's top and opens the limit and usage
 * files of the cgroup with the tightest limit. */
static void
system_find_limit(struct system *sy, const char *root,
		  const struct system_hier *h, const char *cg)
{
	char dir[1024], path[1200], buf[64], *slash;
	double best = NAN, kb;
	char best_dir[1024] = "";

	snprintf(dir, sizeof dir, "%s%s", h->top,
		 strcmp(cg, "/") == 0 ? "" : cg);
	for (;;) {
		snprintf(path, sizeof path, "%s/%s", dir, h->limit);
		if (root_read_file(root, path, buf, sizeof buf) > 0) {
			kb = system_parse_kb(buf);
			if (!isnan(kb) && (isnan(best) || kb < best)) {
				best = kb;
				snprintf(best_dir, sizeof best_dir, "%s", dir);
			}
		}
		if (strcmp(dir, h->top) == 0 ||
		    (slash = strrchr(dir, '/')) == NULL)
			break;
		*slash = '\0';
		if (strlen(dir) < strlen(h->top))
			break;
	}
	if (isnan(best))
		return;
	snprintf(path, sizeof path, "%s/%s", best_dir, h->limit);
	sy->limit_fd = root_open(root, path, O_RDONLY);
	snprintf(path, sizeof path, "%s/%s", best_dir, h->usage);
	sy->usage_fd = root_open(root, path, O_RDONLY);
	if (sy->limit_fd < 0)
		sy->limit_fd = -1;
	if (sy->usage_fd < 0)
		sy->usage_fd = -1;
}

struct system *
system_open(const char *root, pid_t pid)
{
	struct system *sy = xcalloc(1, sizeof *sy);
	char path[64], buf[4096], v2[1024], v1[1024];

	sy->limit_fd = sy->usage_fd = -1;
	sy->memavail = memavail_open();
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	if (root_read_file(root, path, buf, sizeof buf) <= 0)
		return sy;
	system_parse_cgroup(buf, v2, sizeof v2, v1, sizeof v1);
	if (v2[0] != '\0')
		system_find_limit(sy, root, &system_v2, v2);
	if (sy->limit_fd < 0 && v1[0] != '\0')
		system_find_limit(sy, root, &system_v1, v1);
	return sy;
}

struct system *
system_open_cgroup(const char *root, const char *dir)
{
	static const struct system_hier *const hiers[] = {&system_v2,
							  &system_v1};
	struct system *sy = xcalloc(1, sizeof *sy);
	char path[1200];
	size_t i;

	sy->limit_fd = sy->usage_fd = -1;
	sy->own_usage = true;
	sy->memavail = memavail_open();
	for (i = 0; i < sizeof hiers / sizeof hiers[0] && sy->usage_fd < 0;
	     i++) {
		snprintf(path, sizeof path, "%s/%s", dir, hiers[i]->usage);
		sy->usage_fd = root_open(root, path, O_RDONLY);
		if (sy->usage_fd < 0) {
			sy->usage_fd = -1;
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, hiers[i]->limit);
		sy->limit_fd = root_open(root, path, O_RDONLY);
		if (sy->limit_fd < 0)
			sy->limit_fd = -1;
	}
	return sy;
}

void
system_sample(struct system *sy, struct sample *s)
{
	/* Already read this tick (capture --system's /proc/meminfo): not
	 * read again. */
	if (sy->memavail != NULL && isnan(s->value[FIELD_MEM_AVAILABLE_KB]))
		s->value[FIELD_MEM_AVAILABLE_KB] = memavail_kb(sy->memavail);
	s->value[FIELD_CGROUP_LIMIT_KB] = system_read_kb(sy->limit_fd);
	s->value[FIELD_CGROUP_USAGE_KB] =
	    isnan(s->value[FIELD_CGROUP_LIMIT_KB]) && !sy->own_usage
		? NAN
		: system_read_kb(sy->usage_fd);
}

void
system_close(struct system *sy)
{
	if (sy == NULL)
		return;
	memavail_close(sy->memavail);
	if (sy->limit_fd >= 0)
		close(sy->limit_fd);
	if (sy->usage_fd >= 0)
		close(sy->usage_fd);
	free(sy);
}

/* The limit file of one cgroup version, if it can be read. */
static bool
system_probe_cgroup_file(const char *root, const char *base, const char *cg,
			 const char *name, char *file, size_t len, char *limit,
			 size_t llen)
{
	if (cg[0] == '\0')
		return false;
	snprintf(file, len, "%s%s%s%s", base, cg,
		 strcmp(cg, "/") == 0 ? "" : "/", name);
	return root_read_file(root, file, limit, llen) >= 0;
}

/* Finds the process's memory cgroup (v2 unified, or v1 "memory") and its
 * limit file. */
void
system_probe(struct probe *p, const char *root)
{
	char path[64], buf[4096], file[1024], limit[64], v2[512], v1[512];
	const char *kind;

	probe_pid_path(path, sizeof path, p->pid, "cgroup");
	if (root_read_file(root, path, buf, sizeof buf) < 0) {
		probe_set(p, PROBE_CGROUP_MEMORY, false, "%s: unreadable",
			  path);
		return;
	}
	system_parse_cgroup(buf, v2, sizeof v2, v1, sizeof v1);
	if (system_probe_cgroup_file(root, "/sys/fs/cgroup", v2, "memory.max",
				     file, sizeof file, limit, sizeof limit))
		kind = "v2";
	else if (system_probe_cgroup_file(root, "/sys/fs/cgroup/memory", v1,
					  "memory.limit_in_bytes", file,
					  sizeof file, limit, sizeof limit))
		kind = "v1";
	else {
		probe_set(p, PROBE_CGROUP_MEMORY, false,
			  "no memory controller "
			  "limit file found for %s",
			  path);
		return;
	}
	limit[strcspn(limit, "\n")] = '\0';
	if (isnan(system_parse_kb(limit)))
		probe_set(p, PROBE_CGROUP_MEMORY, true,
			  "cgroup %s %s: no "
			  "limit set",
			  kind, file);
	else
		probe_set(p, PROBE_CGROUP_MEMORY, true,
			  "cgroup %s %s = %s "
			  "bytes",
			  kind, file, limit);
}
