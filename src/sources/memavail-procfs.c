/*
 * MemAvailable with the capture-only build's own reader (see memavail.h):
 * /proc/meminfo stays open and is re-read from offset 0 each tick.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "sources/memavail.h"
#include "util/procfs.h"
#include "util/root.h"

struct memavail {
	int fd;
	char text[8192];
};

struct memavail *
memavail_open(void)
{
	struct memavail *m;
	int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if ((m = malloc(sizeof *m)) == NULL) {
		close(fd);
		return NULL;
	}
	m->fd = fd;
	return m;
}

double
memavail_kb(struct memavail *m)
{
	double kb;

	if (root_pread_all(m->fd, m->text, sizeof m->text) <= 0 ||
	    procfs_kv(m->text, "MemAvailable", &kb) < 0)
		return NAN;
	return kb;
}

void
memavail_close(struct memavail *m)
{
	if (m == NULL)
		return;
	close(m->fd);
	free(m);
}
