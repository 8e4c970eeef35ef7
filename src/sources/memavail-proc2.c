/*
 * MemAvailable through libproc2 (see memavail.h).
 */
#include "config.h"

#include <libproc2/meminfo.h>
#include <math.h>
#include <stdlib.h>

#include "sources/memavail.h"

struct memavail {
	struct meminfo_info *info;
};

struct memavail *
memavail_open(void)
{
	struct meminfo_info *info = NULL;
	struct memavail *m;

	if (procps_meminfo_new(&info) < 0)
		return NULL;
	if ((m = malloc(sizeof *m)) == NULL) {
		procps_meminfo_unref(&info);
		return NULL;
	}
	m->info = info;
	return m;
}

double
memavail_kb(struct memavail *m)
{
	struct meminfo_result *r;

	r = procps_meminfo_get(m->info, MEMINFO_MEM_AVAILABLE);
	return r != NULL ? (double)r->result.ul_int : NAN;
}

void
memavail_close(struct memavail *m)
{
	if (m == NULL)
		return;
	procps_meminfo_unref(&m->info);
	free(m);
}
