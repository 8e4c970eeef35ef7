/*
 * What every command shares (see cmd.h).
 */
#include "config.h"

#include <stdio.h>

#include "cmd/cmd.h"
#include "sinks/term.h"

/* Messages name files and processes: term_notice() escapes them. */
int
cmd_fail(const struct error *err)
{
	term_notice("%s", err->msg);
	return CMD_EXIT_ERROR;
}

int
cmd_usage_error(const struct error *err)
{
	term_notice("%s", err->msg);
	fputs("Try 'memtrend --help'.\n", stderr);
	return CMD_EXIT_ERROR;
}
