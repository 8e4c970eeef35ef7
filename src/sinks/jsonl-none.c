/*
 * The capture-only build writes no JSON lines (jsonl.h): the sampling
 * loop's calls land on this refusal, as its CSV ones do on csv-none.c.
 */
#include "config.h"

#include <errno.h>

#include "sinks/jsonl.h"

int
jsonl_sink_open(struct jsonl_sink **out, const char *path, bool force,
		struct error *err)
{
	(void)force;
	*out = NULL;
	return error_set(err, ENOTSUP,
			 "cannot write %s: this memtrend is the capture-only "
			 "build (write an archive with capture -o, and "
			 "memtrend export it elsewhere)",
			 path);
}

int
jsonl_sink_write(struct jsonl_sink *j, const struct sample *s,
		 struct error *err)
{
	(void)j;
	(void)s;
	(void)err;
	return 0;
}

int
jsonl_sink_close(struct jsonl_sink *j, struct error *err)
{
	(void)j;
	(void)err;
	return 0;
}
