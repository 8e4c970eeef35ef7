/*
 * What every command shares (see cmd.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "sinks/term.h"
#include "util/units.h"

/* Messages name files and processes: term_notice() escapes them. */
int
cmd_fail(const struct error *err)
{
	term_notice("%s", err->msg);
	return CMD_EXIT_ERROR;
}

int
cmd_done(int rc, const struct error *err)
{
	if (rc < 0)
		return cmd_fail(err);
	if (err->msg[0] != '\0')
		term_notice("%s", err->msg);
	return 0;
}

int
cmd_usage_error(const char *word, const struct error *err)
{
	term_notice("%s", err->msg);
	fprintf(stderr, "Try 'memtrend %s%s--help'.\n", word ? word : "",
		word ? " " : "");
	return CMD_EXIT_ERROR;
}

const char *
cmd_option_name(char *buf, size_t len, const struct option *options, int opt)
{
	const struct option *o;

	for (o = options; o->name != NULL; o++)
		if (o->flag == NULL && o->val == opt) {
			snprintf(buf, len, "--%s", o->name);
			return buf;
		}
	snprintf(buf, len, "-%c", opt > ' ' && opt < 127 ? opt : '?');
	return buf;
}

int
cmd_option_error(struct error *err, const struct option *options, int opt)
{
	char name[64], msg[sizeof err->msg];

	snprintf(msg, sizeof msg, "%s", err->msg);
	return error_set(err, EINVAL, "%s: %s",
			 cmd_option_name(name, sizeof name, options, opt), msg);
}

int
cmd_parse_count(const char *text, uint64_t max, uint64_t *n, struct error *err)
{
	int rc = units_parse_count(text, n, err);

	if (rc == 0 && *n > max)
		return error_set(err, ERANGE,
				 "'%s' is too large (at most %llu)", text,
				 (unsigned long long)max);
	return rc;
}

int
cmd_parse_pid(const char *text, long *pid, struct error *err)
{
	uint64_t n;

	if (!units_parse_whole(text, &n) || n > 4194304)
		return error_set(err, EINVAL,
				 "invalid pid '%s' (0 to 4194304; 0 is a set's "
				 "sum)",
				 text);
	*pid = (long)n;
	return 0;
}

int
cmd_parse_duration(const char *text, uint64_t *ns, struct error *err)
{
	if (units_parse_duration(text, ns, NULL) == 0)
		return 0;
	return error_set(err, EINVAL,
			 "invalid duration '%s' (how long to run, from 1ms to "
			 "366d: e.g. 30s, 10m, 1h, 2d)",
			 text);
}

int
cmd_optional_value_error(const struct option *options, int argc, char **argv,
			 struct error *err)
{
	const char *prev, *word;
	const struct option *o;

	if (optind < 2 || optind >= argc)
		return 0;
	prev = argv[optind - 1];
	word = argv[optind];
	for (o = options; o->name != NULL; o++)
		if (o->has_arg == optional_argument &&
		    strncmp(prev, "--", 2) == 0 &&
		    strcmp(prev + 2, o->name) == 0)
			return error_set(
			    err, EINVAL,
			    "'%s' after %s is read as the command to watch: "
			    "write %s=%s (an optional value takes '='), or "
			    "put -- before the command",
			    word, prev, prev, word);
	return 0;
}

void
cmd_help_wrap(FILE *fp, const char *text, size_t column, size_t indent)
{
	const char *p = text, *end;
	size_t len;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		len = (size_t)(end - p);
		if (column > indent && column + 1 + len > CMD_HELP_WIDTH) {
			fprintf(fp, "\n%*s", (int)indent, "");
			column = indent;
		} else if (column > indent) {
			fputc(' ', fp);
			column++;
		}
		fprintf(fp, "%.*s", (int)len, p);
		column += len;
		p = end;
	}
	fputc('\n', fp);
}

void
cmd_help_print(FILE *fp, const struct cmd_help *help)
{
	const size_t col = 24;
	size_t n;

	for (; help->option != NULL; help++) {
		if (help->text == NULL) { /* a heading or a blank line */
			fprintf(fp, "%s\n", help->option);
			continue;
		}
		n = strlen(help->option);
		fputs(help->option, fp);
		if (n < col) {
			fprintf(fp, "%*s", (int)(col - n), "");
			n = col;
		} else {
			fputc(' ', fp);
			n++;
		}
		/* An option too long for its column: the text after it. */
		cmd_help_wrap(fp, help->text, n, col);
	}
}
