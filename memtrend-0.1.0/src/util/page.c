/*
 * The base page size (see page.h).
 */
#include "config.h"

#include <unistd.h>

#include "util/page.h"

uint64_t
page_size(void)
{
	static uint64_t size;
	long n;

	if (size == 0) {
		n = sysconf(_SC_PAGESIZE);
		/* POSIX allows -1; Linux always answers. */
		size = n > 0 ? (uint64_t)n : 4096;
	}
	return size;
}
