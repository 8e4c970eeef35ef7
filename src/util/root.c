/*
 * One place that turns "/proc/..." into a path under the configured root.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/root.h"
#include "util/xmalloc.h"

const char *
root_default(void)
{
	const char *env = getenv("MEMTREND_ROOT");

	return env != NULL && *env != '\0' ? env : "/";
}

bool
root_is_live(const char *root)
{
	return root == NULL || strcmp(root, "/") == 0 || *root == '\0';
}

void
root_path(char *buf, size_t len, const char *root, const char *path)
{
	size_t n;

	if (root_is_live(root)) {
		snprintf(buf, len, "%s", path);
		return;
	}
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	snprintf(buf, len, "%.*s%s", (int)n, root, path);
}

int
root_open(const char *root, const char *path, int flags)
{
	char full[4096];
	int fd;

	root_path(full, sizeof full, root, path);
	fd = open(full, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

long
root_pread_all(int fd, char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	if (len == 0)
		return -EINVAL;
	while (off < len - 1) {
		n = pread(fd, buf + off, len - 1 - off, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	return (long)off;
}

long
root_read_file(const char *root, const char *path, char *buf, size_t len)
{
	long n;
	int fd;

	fd = root_open(root, path, O_RDONLY);
	if (fd < 0)
		return fd;
	n = root_pread_all(fd, buf, len);
	close(fd);
	return n;
}

long
root_pread_grow(int fd, char **buf, size_t *cap)
{
	size_t len = 0;
	ssize_t n;

	if (*buf == NULL || *cap < 4096) {
		*cap = 16384;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	for (;;) {
		if (*cap - len < 4096) {
			*cap *= 2;
			*buf = xreallocarray(*buf, *cap, 1);
		}
		n = pread(fd, *buf + len, *cap - len - 1, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	(*buf)[len] = '\0';
	return (long)len;
}

long
root_read_alloc(const char *root, const char *path, char **out)
{
	size_t cap = 0;
	long n;
	int fd;

	fd = root_open(root, path, O_RDONLY);
	if (fd < 0)
		return fd;
	*out = NULL;
	n = root_pread_grow(fd, out, &cap);
	close(fd);
	if (n < 0) {
		free(*out);
		*out = NULL;
	}
	return n;
}
