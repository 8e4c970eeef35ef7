/*
 * A process's mappings (see mapping.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mapping.h"

const double mapping_no_counts[SMAPS_NFIELDS] = {
    [0 ... SMAPS_NFIELDS - 1] = NAN,
};

const char *
mapping_path(const struct mapping_list *list, const struct mapping *m)
{
	return list->strings + m->path_off;
}

void
mapping_list_free(struct mapping_list *list)
{
	free(list->v);
	free(list->strings);
	free(list->counts);
	memset(list, 0, sizeof *list);
}
