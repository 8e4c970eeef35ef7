/*
 * memtrend: a non-invasive memory-growth monitor for Linux processes.
 * Dispatches on the table of commands (cmd/cmd.h): "memtrend NAME ..."
 * runs the command of that word, anything else the default command line
 * (watch, or --probe, --help...).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "cmd/cmd.h"

static const struct cmd_entry *const main_commands[] = {
    &cmd_watch_entry, /* the default */
    &cmd_analyze_entry, &cmd_plot_entry,   &cmd_report_entry,
    &cmd_probe_entry,	&cmd_kernel_entry, &cmd_top_entry,
    &cmd_capture_entry, &cmd_export_entry, &cmd_daemon_entry,
    &cmd_status_entry,
};

int
main(int argc, char **argv)
{
	const struct cmd_entry *e;
	size_t i;

	for (i = 0;
	     argc > 1 && i < sizeof main_commands / sizeof main_commands[0];
	     i++) {
		e = main_commands[i];
		if (e->word && strcmp(argv[1], e->name) == 0)
			return e->run(argc - 1, argv + 1);
	}
	return cmd_watch_entry.run(argc, argv);
}
