/*
 * memtrend plot and memtrend report share their options (cmd-plot.c).
 */
#ifndef MEMTREND_CMD_CMD_PLOT_H
#define MEMTREND_CMD_CMD_PLOT_H

#include <getopt.h>
#include <stdbool.h>

#include "charts/plot.h"
#include "util/error.h"

extern const struct option cmd_plot_options[];

/* memtrend plot|report [OPTIONS] FILE into o; argv[0] is the command's
 * word.  *help is set for -h.  Returns 0 or -EINVAL with a message. */
int cmd_plot_parse(struct plot_opts *o, int argc, char **argv, bool *help,
		   struct error *err);

#endif
