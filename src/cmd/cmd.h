/*
 * Command-line parsing into one plain struct; main.c acts on it.
 */
#ifndef MEMTREND_CLI_H
#define MEMTREND_CLI_H

#include <stdio.h>
#include <sys/types.h>

#include "util/error.h"
#include "charts/plot.h"
#include "cmd/watch.h"

enum cli_mode {
	CLI_WATCH,
	CLI_PROBE,
	CLI_HELP,
	CLI_VERSION,
	CLI_FIELDS,	/* --list-fields[=man] */
	CLI_ANALYZE,	/* memtrend analyze FILE */
	CLI_PLOT,	/* memtrend plot FILE -o CHART */
	CLI_REPORT,	/* memtrend report FILE -o HTML */
};

struct cli {
	enum cli_mode mode;
	pid_t pid;		/* -p */
	const char *name;	/* -n */
	char **command;		/* after "--" or the first non-option */
	const char *fields_format;
	bool fail_on_growth;	/* exit 1 when the verdict is growing */
	bool json;		/* analyze: print the JSON object */
	const char *file;	/* analyze: the CSV */
	struct watch_opts watch;
	enum cli_mode help;	/* CLI_HELP: for this subcommand */
	const char *plot_out;	/* watch: --plot, drawn from -o */
	struct plot_opts plot;	/* plot, report, and --plot */
};

/* Fills c from argv ("memtrend analyze ..." as well); returns 0 or
 * -EINVAL with a message for the user. */
int cli_parse(struct cli *c, int argc, char **argv, struct error *err);

void cli_usage(FILE *fp);

/* memtrend plot|report (cli_plot.c); argv[0] is the subcommand. */
int cli_parse_plot(struct cli *c, int argc, char **argv, struct error *err);
void cli_plot_usage(FILE *fp, enum cli_mode mode);

#endif
