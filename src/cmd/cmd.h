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
#include <stdint.h>
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
extern const struct cmd_entry cmd_top_entry;
extern const struct cmd_entry cmd_capture_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_daemon_entry;
extern const struct cmd_entry cmd_status_entry;

/* The main usage (cmd-watch.c): every command's synopsis, the watch
 * options, analyze's, and the CSV columns. */
void cmd_watch_usage(FILE *fp);

/* An option's value was refused: puts the option's long name before the
 * message ("--top: invalid count '0' (...)"); returns -EINVAL. */
int cmd_option_error(struct error *err, const struct option *options, int opt);
/* "--name" of the option getopt_long returned as opt. */
const char *cmd_option_name(char *buf, size_t len, const struct option *options,
			    int opt);
/* A count from 1 to max: "'100' is too large (at most 64)". */
int cmd_parse_count(const char *text, uint64_t max, uint64_t *n,
		    struct error *err);
/* A pid in a long-format CSV (--pid of analyze, plot, report): 0 to
 * 4194304, 0 being a set's sum. */
int cmd_parse_pid(const char *text, long *pid, struct error *err);
/* How long a run lasts (--duration): 1ms to 366d. */
int cmd_parse_duration(const char *text, uint64_t *ns, struct error *err);
/* A long option with an optional value (--regions[=N]) followed by a
 * separate word, which getopt reads as the command: the error suggests
 * --regions=N.  0 when argv[optind - 1] is no such option. */
int cmd_optional_value_error(const struct option *options, int argc,
			     char **argv, struct error *err);

/* Facts --help, the man page and the README all state, in these words
 * (tests/test_cli.c checks that the three agree). */
#define CMD_HELP_METRIC_DEFAULT                                                \
	"default: uss, else pss, else rss, the first the samples have"
#define CMD_HELP_LIST_FIELDS                                                   \
	"list the CSV columns after timestamp, elapsed_s and pid, each with "  \
	"what it holds"
#define CMD_HELP_FAULT_ADDRESSES "implies --faults and --regions"
#define CMD_HELP_EXIT_COMMAND                                                  \
	"with a COMMAND, its own exit status when not 0 (128 + the signal "    \
	"when a signal killed it), even when it ended before the first "       \
	"sample"

/* One line of a usage: an option (or a heading, text NULL) and what it
 * does, printed from column 24 and wrapped to 80 columns. */
struct cmd_help {
	const char *option;
	const char *text;
};
#define CMD_HELP_WIDTH 80
/* Prints the lines of help up to the one with option NULL. */
void cmd_help_print(FILE *fp, const struct cmd_help *help);
/* Prints text wrapped to CMD_HELP_WIDTH, continuation lines indented. */
void cmd_help_wrap(FILE *fp, const char *text, size_t column, size_t indent);

/* "memtrend: <msg>" on standard error; returns CMD_EXIT_ERROR. */
int cmd_fail(const struct error *err);
/* The end of a command whose work returned rc with err cleared before:
 * cmd_fail() when rc < 0, else 0, with what err still holds (a file's
 * damaged or cut tail, read without it) said as a notice. */
int cmd_done(int rc, const struct error *err);
/* The same for bad command-line input, with the hint to the --help of
 * the command (its word; NULL: the main command line). */
int cmd_usage_error(const char *word, const struct error *err);

#endif
