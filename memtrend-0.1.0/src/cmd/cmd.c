/*
 * What every command shares (see cmd.h).
 */
#include "config.h"

#include <stdio.h>

#include "cmd/cmd.h"

int
cmd_fail(const struct error *err)
{
	fprintf(stderr, "memtrend: %s\n", err->msg);
	return CMD_EXIT_ERROR;
}

int
cmd_usage_error(const struct error *err)
{
	fprintf(stderr, "memtrend: %s\nTry 'memtrend --help'.\n", err->msg);
	return CMD_EXIT_ERROR;
}
