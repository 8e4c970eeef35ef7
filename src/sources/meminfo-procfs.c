/*
 * The live /proc/meminfo in the capture-only build (see meminfo.h): the
 * file stays open, is re-read from offset 0 each sample and parsed by
 * meminfo_parse().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/meminfo.h"
#include "util/root.h"
#include "util/xmalloc.h"

struct meminfo_live {
	int fd;
	char text[8192];
};

int
meminfo_live_open(struct meminfo_live **out, struct error *err)
{
	int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error_set(err, errno, "cannot read /proc/meminfo: %s",
				 strerror(errno));
	*out = xcalloc(1, sizeof **out);
	(*out)->fd = fd;
	return 0;
}

int
meminfo_live_sample(struct meminfo_live *l, double value[KF_COUNT],
		    struct error *err)
{
	long n = root_pread_all(l->fd, l->text, sizeof l->text);

	if (n <= 0)
		return error_set(err, n < 0 ? (int)-n : EIO,
				 "cannot read /proc/meminfo: %s",
				 strerror(n < 0 ? (int)-n : EIO));
	meminfo_parse(l->text, value);
	return 0;
}

void
meminfo_live_close(struct meminfo_live *l)
{
	if (l == NULL)
		return;
	close(l->fd);
	free(l);
}
