/*
 * A capture -n archive's names across restarts (see archnames.h).  The
 * start, restart and exit records say which name each target id is of
 * and when its process changes (analysis/archread.h); a name's instance
 * moves on whenever a process with another pid takes one of its ids.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/archnames.h"
#include "analysis/archread.h"
#include "util/xmalloc.h"

struct archnames_read {
	struct archnames *names;
	const struct verdict *tmpl;
	int of[ARCHIVE_MAX_TARGETS];	/* each id's name; -1: none */
	bool live[ARCHIVE_MAX_TARGETS]; /* a process has the id now */
};

static struct archname *
archnames_get(struct archnames_read *r, const char *name)
{
	struct archnames *ns = r->names;
	struct archname *n;
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->name[i].name, name) == 0)
			return &ns->name[i];
	ns->name = xreallocarray(ns->name, ns->n + 1, sizeof *ns->name);
	n = &ns->name[ns->n++];
	memset(n, 0, sizeof *n);
	snprintf(n->name, sizeof n->name, "%s", name);
	verdict_init(&n->verdict, r->tmpl->metric);
	verdict_set_daily_cycle(&n->verdict, r->tmpl->daily_cycle);
	n->last_pid = -1;
	n->last_s = -INFINITY;
	return n;
}

static int
archnames_target(void *ctx, unsigned int kind, const struct archive_target *t)
{
	struct archnames_read *r = ctx;
	struct archname *n;
	unsigned int id;
	size_t k;

	if (t == NULL) { /* a new run: its ids are its own */
		for (id = 0; id < ARCHIVE_MAX_TARGETS; id++)
			r->live[id] = false;
		return 0;
	}
	if (kind == ARCHIVE_EXIT || t->group[0] == '\0') {
		r->live[t->id] = false;
		return 0;
	}
	n = archnames_get(r, t->group);
	r->of[t->id] = (int)(n - r->names->name);
	r->live[t->id] = true;
	for (id = 0, k = 0; id < ARCHIVE_MAX_TARGETS; id++)
		k += r->live[id] && r->of[id] == r->of[t->id];
	n->several |= k > 1;
	if (t->pid != n->last_pid)
		n->instances++;
	n->last_pid = (long)t->pid;
	return 0;
}

static int
archnames_sample(void *ctx, unsigned int id, const struct sample *s)
{
	struct archnames_read *r = ctx;
	struct archname *n;
	struct sample one;

	if (r->of[id] < 0)
		return 0;
	n = &r->names->name[r->of[id]];
	if (n->several || !(s->elapsed_s > n->last_s))
		return 0;
	n->last_s = s->elapsed_s;
	one = *s;
	one.instance = n->instances;
	return verdict_add(&n->verdict, &one);
}

int
archnames_read(const char *path, const struct verdict *tmpl,
	       struct archnames *out, struct error *err)
{
	struct archnames_read r = {.names = out, .tmpl = tmpl};
	struct archread_info info;
	unsigned int id;

	memset(out, 0, sizeof *out);
	for (id = 0; id < ARCHIVE_MAX_TARGETS; id++)
		r.of[id] = -1;
	return archread_file_targets(path, archnames_sample, archnames_target,
				     &r, &info, err);
}

void
archnames_free(struct archnames *names)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		verdict_free(&names->name[i].verdict);
	free(names->name);
	names->name = NULL;
	names->n = 0;
}
