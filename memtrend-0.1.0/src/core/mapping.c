/*
 * A process's mappings (see mapping.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/mapping.h"

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
	memset(list, 0, sizeof *list);
}
