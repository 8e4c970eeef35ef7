/*
 * Whole-or-nothing output files (see output.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/output.h"
#include "util/xmalloc.h"

/* mkstemp makes files 0600; an output is as readable as any file the
 * user creates. */
static void
output_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

int
output_open(struct output *o, const char *path, bool force, struct error *err)
{
	char *dir = xstrdup(path), *base = xstrdup(path);
	int fd, code;

	memset(o, 0, sizeof *o);
	o->path = xstrdup(path);
	o->force = force;
	xasprintf(&o->tmp, "%s/.%s.XXXXXX", dirname(dir), basename(base));
	free(dir);
	free(base);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		code = errno;
		free(o->tmp);
		o->tmp = NULL;
		output_close(o);
		if (code == ENOENT)
			return error_set(err, code,
					 "cannot create %s: its "
					 "directory does not exist",
					 path);
		return error_set(err, code, "cannot create %s: %s", path,
				 strerror(code));
	}
	output_mode(fd);
	close(fd);
	return 0;
}

int
output_write(struct output *o, const void *buf, size_t len, struct error *err)
{
	const char *p = buf;
	ssize_t n;
	int fd, code = 0;

	fd = open(o->tmp, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, errno, "cannot write %s: %s", o->path,
				 strerror(errno));
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			code = n < 0 ? errno : ENOSPC;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0 && code == 0 && errno != EINTR)
		code = errno;
	if (code != 0)
		return error_set(err, code, "cannot write %s: %s", o->path,
				 strerror(code));
	return 0;
}

/* Links tmp in as path, never replacing a file that appeared since the
 * check; on a file system without hard links, renames it unless path
 * exists.  Returns 0 or -errno. */
static int
output_link(const char *tmp, const char *path)
{
	int code;

	if (link(tmp, path) == 0) {
		unlink(tmp);
		return 0;
	}
	code = errno;
	if (code == EEXIST || access(path, F_OK) == 0)
		return -EEXIST;
	if (rename(tmp, path) == 0)
		return 0;
	return -code;
}

int
output_commit(struct output *o, struct error *err)
{
	struct stat st;
	int rc;

	if (stat(o->tmp, &st) != 0 || st.st_size == 0)
		return error_set(err, EIO, "nothing was written for %s",
				 o->path);
	if (o->force)
		rc = rename(o->tmp, o->path) == 0 ? 0 : -errno;
	else
		rc = output_link(o->tmp, o->path);
	if (rc == -EEXIST)
		return error_set(err, EEXIST,
				 "%s already exists; use --force "
				 "to overwrite it, or another path",
				 o->path);
	if (rc < 0)
		return error_set(err, -rc, "cannot create %s: %s", o->path,
				 strerror(-rc));
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

void
output_close(struct output *o)
{
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}

int
output_create_error(const char *path, int code, struct error *err)
{
	if (code == EEXIST)
		return error_set(err, code,
				 "%s already exists; use --force to "
				 "overwrite it, or another path",
				 path);
	if (code == ENOENT)
		return error_set(err, code,
				 "cannot create %s: its directory "
				 "does not exist",
				 path);
	if (code == ELOOP)
		return error_set(
		    err, code,
		    "%s is a symbolic link; memtrend "
		    "does not write through one (remove it, or give the path "
		    "of the file it points to)",
		    path);
	return error_set(err, code, "cannot create %s: %s", path,
			 strerror(code));
}

/* A device or a FIFO: writing to it overwrites nothing. */
static bool
output_is_stream(const struct stat *st)
{
	return S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode);
}

int
output_check(const char *path, bool force, struct error *err)
{
	struct stat st;
	char *copy, *dir;
	int rc = 0;

	if (strcmp(path, "-") == 0 ||
	    (lstat(path, &st) == 0 && output_is_stream(&st)))
		return 0;
	if (!force && access(path, F_OK) == 0)
		return output_create_error(path, EEXIST, err);
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return output_create_error(path, ELOOP, err);
	copy = xstrdup(path);
	dir = dirname(copy);
	if (access(dir, W_OK) != 0)
		rc = output_create_error(path, errno, err);
	free(copy);
	return rc;
}

int
output_create(const char *path, bool force)
{
	struct stat st;
	int fd, code;

	/* O_NOFOLLOW: --force must not truncate what a link points to
	 * (O_EXCL refuses links already). */
	fd = open(path,
		  O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
		      (force ? O_TRUNC : O_EXCL),
		  0644);
	if (fd >= 0)
		return fd;
	code = errno;
	if (code != EEXIST || lstat(path, &st) != 0 || !output_is_stream(&st))
		return -code;
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	return fd >= 0 ? fd : -errno;
}
