/*
 * An output file written whole or not at all: the content goes to a
 * hidden temporary file beside it (".NAME.XXXXXX", so rename(2) stays
 * within one file system), which then replaces the file (--force) or is
 * linked in only if no file of that name appeared meanwhile.  A failure
 * or an interruption leaves no partial output and no temporary file.
 */
#ifndef MEMTREND_OUTPUT_H
#define MEMTREND_OUTPUT_H

#include <stdbool.h>

#include "util/error.h"

struct output {
	char *path;
	char *tmp; /* the temporary file; NULL once done */
	bool force;
};

/* Creates the temporary file (empty) for path; its name is o->tmp. */
int output_open(struct output *o, const char *path, bool force,
		struct error *err);

/* Writes len bytes of buf to the temporary file. */
int output_write(struct output *o, const void *buf, size_t len,
		 struct error *err);

/* Puts the temporary file in place of path; an empty one is an error. */
int output_commit(struct output *o, struct error *err);

/* Removes the temporary file unless it was committed, and frees o's
 * memory: call it once, whatever happened. */
void output_close(struct output *o);

/* Checks, without creating anything, that path could be created: its
 * directory exists and is writable, it is not a symbolic link, and it
 * does not exist yet unless force is set ("-", standard output, always
 * passes).  Run before starting a command or a long wait. */
int output_check(const char *path, bool force, struct error *err);

/* The message for a file that cannot be created (code an errno: EEXIST
 * says to use --force, ELOOP that it is a link); returns -code. */
int output_create_error(const char *path, int code, struct error *err);

/* Opens path for writing a stream (a CSV): created; an existing regular
 * file only with force (then truncated), never through a symbolic link;
 * an existing device or FIFO (/dev/null, a named pipe) as it is, since
 * writing to it overwrites nothing.  Returns the descriptor or -errno
 * (output_create_error() says it for the user). */
int output_create(const char *path, bool force);

#endif
