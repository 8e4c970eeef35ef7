/*
 * JSON lines sink (see jsonl.h).  Every key and value written is a field
 * name, a number or the timestamp, so nothing needs JSON escaping.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/jsonl.h"
#include "util/xmalloc.h"

struct jsonl_sink {
	struct csv_sink *file; /* the line writer */
	struct csv_buf line;
};

bool
jsonl_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot != NULL &&
	       (strcmp(dot, ".ndjson") == 0 || strcmp(dot, ".jsonl") == 0);
}

void
jsonl_format(struct csv_buf *b, const struct sample *s)
{
	char stamp[40];
	double v;
	int i;

	csv_format_time(stamp, sizeof stamp, s->wall_s);
	csv_buf_add(b, "{\"%s\":\"%s\",\"%s\":%.3f,\"%s\":%d",
		    field_keys[KEY_TIMESTAMP].name, stamp,
		    field_keys[KEY_ELAPSED_S].name, s->elapsed_s,
		    field_keys[KEY_PID].name, (int)s->pid);
	for (i = 0; i < FIELD_COUNT; i++) {
		v = s->value[i];
		if (!isfinite(v))
			csv_buf_add(b, ",\"%s\":null", fields[i].name);
		else if (fields[i].kind == FIELD_GAUGE)
			csv_buf_add(b, ",\"%s\":%.6g", fields[i].name, v);
		else
			csv_buf_add(b, ",\"%s\":%.0f", fields[i].name, v);
	}
	csv_buf_add(b, "}\n");
}

int
jsonl_sink_open(struct jsonl_sink **out, const char *path, bool force,
		struct error *err)
{
	struct jsonl_sink *j = xcalloc(1, sizeof *j);
	int rc;

	rc = csv_sink_open_header(&j->file, path, "", force, err);
	if (rc < 0) {
		free(j);
		return rc;
	}
	*out = j;
	return 0;
}

int
jsonl_sink_write(struct jsonl_sink *j, const struct sample *s,
		 struct error *err)
{
	j->line.len = 0;
	jsonl_format(&j->line, s);
	return csv_sink_put_rows(j->file, &j->line, err);
}

int
jsonl_sink_close(struct jsonl_sink *j, struct error *err)
{
	int rc;

	if (j == NULL)
		return 0;
	rc = csv_sink_close(j->file, err);
	free(j->line.text);
	free(j);
	return rc;
}
