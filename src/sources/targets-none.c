/*
 * The capture-only build watches one process: sets of processes (-n
 * --all-matching, --tree, --cgroup: sources/targets.c, through libproc2) are
 * the full build's.  The sampling loop's calls land on this refusal.
 */
#include "config.h"

#include <errno.h>

#include "sources/targets.h"

int
targets_open(struct targets **out, const struct targets_spec *spec,
	     struct error *err)
{
	(void)spec;
	*out = NULL;
	return error_set(err, ENOTSUP,
			 "sets of processes are not in the capture-only "
			 "build: capture one process (-p, -n or a command)");
}

long
targets_scan(struct targets *ts, const struct targets_found **found,
	     struct error *err)
{
	(void)ts;
	*found = NULL;
	return error_set(err, ENOTSUP, "no set of processes here");
}

void
targets_close(struct targets *ts)
{
	(void)ts;
}

/* Never reached: targets_open refuses every set first. */
void
targets_describe(const struct targets_spec *spec, char *buf, size_t len)
{
	(void)spec;
	if (len > 0)
		buf[0] = '\0';
}

void
targets_cgroup_dir(char *buf, size_t len, const char *root, const char *cgroup)
{
	(void)root;
	(void)cgroup;
	if (len > 0)
		buf[0] = '\0';
}

/* The daemon's shared scan: not in this build either. */
int
targets_source_new(struct targets_source **out, struct error *err)
{
	*out = NULL;
	return error_set(err, ENOTSUP,
			 "sets of processes are not in the capture-only "
			 "build");
}

void
targets_source_next(struct targets_source *src)
{
	(void)src;
}

void
targets_source_free(struct targets_source *src)
{
	(void)src;
}

int
targets_open_shared(struct targets **out, const struct targets_spec *spec,
		    struct targets_source *src, struct error *err)
{
	(void)src;
	return targets_open(out, spec, err);
}
