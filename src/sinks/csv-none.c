/*
 * The capture-only build has no libcsv and writes no CSV: the sampling
 * loop's CSV sink (csv.h) is this refusal.  memtrend export turns an
 * archive into the CSV on the full build.
 */
#include "config.h"

#include <errno.h>

#include "sinks/csv.h"

int
csv_sink_open(struct csv_sink **out, const char *path, enum csv_kind kind,
	      bool force, struct error *err)
{
	return csv_sink_open_about(out, path, kind, force, NULL, err);
}

int
csv_sink_open_about(struct csv_sink **out, const char *path, enum csv_kind kind,
		    bool force, const struct provenance *about,
		    struct error *err)
{
	(void)kind;
	(void)force;
	(void)about;
	*out = NULL;
	return error_set(err, ENOTSUP,
			 "cannot write %s: this memtrend is the capture-only "
			 "build (write an archive with capture -o, and "
			 "memtrend export it elsewhere)",
			 path);
}

int
csv_sink_write(struct csv_sink *c, const struct sample *s, struct error *err)
{
	(void)c;
	(void)s;
	(void)err;
	return 0;
}

int
csv_sink_same_file(const struct csv_sink *c, const char *path,
		   struct error *err)
{
	(void)c;
	(void)path;
	(void)err;
	return 0;
}

int
csv_sink_close(struct csv_sink *c, struct error *err)
{
	(void)c;
	(void)err;
	return 0;
}
