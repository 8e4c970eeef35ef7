/*
 * The commands, tmux-style: each command file (cmd-watch.c, cmd-analyze.c,
 * cmd-plot.c, cmd-report.c, cmd-probe.c) defines one entry with its name,
 * options, usage and run function, and main.c dispatches on the table of
 * entries (cmd-kernel.c: memtrend kernel).  The command layer is the only one
 * that prints errors and chooses the exit status.
 */
#ifndef MEMTREND_CMD_CMD_H
#define MEMTREND_CMD_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/error.h"

#define CMD_EXIT_GROWING 1
#define CMD_EXIT_ERROR 2

struct cmd_entry {
	const char *name;
	/* true: run as "memtrend NAME ..."; false: chosen by the default
	 * command line (watch when nothing else is; probe by --probe). */
	bool word;
	const struct option *options;
	void (*usage)(FILE *fp);
	/* Parses argv (argv[0] "memtrend", or the command's word) and runs;
	 * returns the exit status. */
	int (*run)(int argc, char **argv);
};

extern const struct cmd_entry cmd_watch_entry;
extern const struct cmd_entry cmd_analyze_entry;
extern const struct cmd_entry cmd_plot_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_probe_entry;
extern const struct cmd_entry cmd_kernel_entry;
extern const struct cmd_entry cmd_capture_entry;
extern const struct cmd_entry cmd_export_entry;

/* The main usage (cmd-watch.c): every command's synopsis, the watch
 * options, analyze's, and the CSV columns. */
void cmd_watch_usage(FILE *fp);

/* "memtrend: <msg>" on standard error; returns CMD_EXIT_ERROR. */
int cmd_fail(const struct error *err);
/* The same for bad command-line input, with the --help hint. */
int cmd_usage_error(const struct error *err);

#endif
