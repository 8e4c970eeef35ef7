/*
 * memtrend analyze DIR/ (see analyze-smemcap.h): every tarball of DIR is
 * read (sources/smemcap.c), its processes' samples sorted by process and
 * time, and each process's series replayed through its own verdict, its
 * elapsed time counted from its first tarball.  A process is its PID and
 * name: a PID reused by another program is another series.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "cmd/analyze-smemcap.h"
#include "cmd/cmd.h"
#include "sources/smemcap.h"
#include "util/units.h"
#include "util/xmalloc.h"

struct point {
	struct sample s;
	char *name;
};

struct points {
	struct point *v;
	size_t n, cap;
};

static int
analyze_smemcap_add(void *ctx, const char *name, const struct sample *s)
{
	struct points *ps = ctx;

	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 256;
		ps->v = xreallocarray(ps->v, ps->cap, sizeof *ps->v);
	}
	ps->v[ps->n].s = *s;
	ps->v[ps->n].name = xstrdup(name);
	ps->n++;
	return 0;
}

static int
analyze_smemcap_cmp(const void *a_, const void *b_)
{
	const struct point *a = a_, *b = b_;
	int c;

	if (a->s.pid != b->s.pid)
		return a->s.pid < b->s.pid ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return (a->s.wall_s > b->s.wall_s) - (a->s.wall_s < b->s.wall_s);
}

/* Every tarball of dir; files that are not tarballs are an error. */
static int
analyze_smemcap_load(const char *dir, struct points *ps, size_t *files,
		     struct error *err)
{
	struct dirent *de;
	char *path;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return error_set(err, errno, "cannot read %s: %s", dir,
				 strerror(errno));
	*files = 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		rc = smemcap_read(path, analyze_smemcap_add, ps, err);
		free(path);
		(*files)++;
	}
	closedir(d);
	if (rc == 0 && *files == 0)
		rc = error_set(err, EINVAL,
			       "%s has no smemcap tarballs: analyze DIR/ "
			       "reads the tarballs smemcap wrote there over "
			       "time",
			       dir);
	return rc;
}

static void
analyze_smemcap_print(const struct point *first, const struct verdict *v,
		      bool json)
{
	char sentence[2048], name[512];

	char *obj = NULL;
	size_t len = 0;
	FILE *fp;

	if (json && (fp = open_memstream(&obj, &len)) != NULL) {
		verdict_json(fp, v);
		fclose(fp);
		while (len > 0 && obj[len - 1] == '\n')
			obj[--len] = '\0';
		printf("{\"pid\":%d,\"name\":", (int)first->s.pid);
		verdict_json_string(stdout, first->name);
		printf(",\"analysis\":%s}\n", obj);
		free(obj);
		return;
	}
	/* The name is the target's argv[0]: escaped for the terminal. */
	verdict_sentence(v, sentence, sizeof sentence);
	units_escape_text(name, sizeof name, first->name);
	printf("pid %d (%s): %s\n", (int)first->s.pid, name, sentence);
}

/* One process's points, from i; returns where the next one starts. */
static size_t
analyze_smemcap_series(const struct points *ps, size_t i, int metric,
		       bool daily_cycle, bool json, bool *growing)
{
	const struct point *first = &ps->v[i];
	struct verdict v;
	struct sample s;
	double last = -1;

	verdict_init(&v, metric);
	verdict_set_daily_cycle(&v, daily_cycle);
	for (; i < ps->n && ps->v[i].s.pid == first->s.pid &&
	       strcmp(ps->v[i].name, first->name) == 0;
	     i++) {
		s = ps->v[i].s;
		s.elapsed_s = s.wall_s - first->s.wall_s;
		if (s.elapsed_s <= last)
			continue; /* two tarballs of the same second */
		last = s.elapsed_s;
		if (v.metric == VERDICT_AUTO)
			v.metric = FIELD_USS_KB;
		verdict_add(&v, &s);
	}
	analyze_smemcap_print(first, &v, json);
	*growing = *growing || verdict_evidence(&v)->verdict == TREND_GROWING;
	verdict_free(&v);
	return i;
}

int
analyze_smemcap(const char *dir, int metric, bool daily_cycle, bool json)
{
	struct points ps = {0};
	struct error err;
	bool growing = false;
	size_t i, files;

	if (analyze_smemcap_load(dir, &ps, &files, &err) < 0) {
		for (i = 0; i < ps.n; i++)
			free(ps.v[i].name);
		free(ps.v);
		return cmd_fail(&err);
	}
	if (ps.n > 1)
		qsort(ps.v, ps.n, sizeof *ps.v, analyze_smemcap_cmp);
	for (i = 0; i < ps.n;)
		i = analyze_smemcap_series(&ps, i, metric, daily_cycle, json,
					   &growing);
	for (i = 0; i < ps.n; i++)
		free(ps.v[i].name);
	free(ps.v);
	return growing ? CMD_EXIT_GROWING : 0;
}
