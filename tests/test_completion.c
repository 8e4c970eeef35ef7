/*
 * The bash completion (contrib/bash-completion/memtrend): its option list
 * for each command is the command's option table, both ways, and bash
 * completes with it.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "testutil.h"
#include "util/xmalloc.h"

static const struct cmd_entry *const completion_commands[] = {
    &cmd_watch_entry,  &cmd_analyze_entry, &cmd_plot_entry,
    &cmd_report_entry, &cmd_probe_entry,   &cmd_kernel_entry,
    &cmd_top_entry,    &cmd_capture_entry, &cmd_export_entry,
    &cmd_daemon_entry, &cmd_status_entry,
};

static char *
completion_path(void)
{
	char *path;

	xasprintf(&path, "%s/../../contrib/bash-completion/memtrend",
		  tu_fixtures());
	return path;
}

/* The words of _memtrend_opts_NAME="..." in the script. */
static char *
completion_list(const char *script, const char *name)
{
	char *start, *end, key[64], *list;

	snprintf(key, sizeof key, "\n_memtrend_opts_%s=\"", name);
	start = strstr(script, key);
	cr_assert(start != NULL, "no _memtrend_opts_%s in the completion",
		  name);
	start += strlen(key);
	end = strchr(start, '"');
	cr_assert(end != NULL);
	list = xmalloc((size_t)(end - start) + 3);
	list[0] = ' ';
	memcpy(list + 1, start, (size_t)(end - start));
	strcpy(list + 1 + (end - start), " ");
	for (char *p = list; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	return list;
}

static char *
completion_slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = xmalloc(65536);
	size_t n;

	cr_assert(fp != NULL, "cannot open %s", path);
	n = fread(buf + 1, 1, 65534, fp);
	fclose(fp);
	buf[0] = '\n';
	buf[n + 1] = '\0';
	return buf;
}

/* Options a command's table has but refuses: report shares plot's table
 * and takes all of it but --chart and --caches. */
static bool
completion_refused(const char *command, const char *option)
{
	return strcmp(command, "report") == 0 &&
	       (strcmp(option, "chart") == 0 || strcmp(option, "caches") == 0);
}

Test(completion, option_lists_are_the_option_tables)
{
	char *path = completion_path(), *script = completion_slurp(path);
	char *list, word[64], *p, *end, *commands;
	const struct option *o;
	size_t i;

	/* _memtrend_commands="analyze plot ...", as a list of words. */
	p = strstr(script, "\n_memtrend_commands=\"");
	cr_assert(p != NULL);
	xasprintf(&commands, " %.*s ", (int)strcspn(p + 21, "\""), p + 21);

	for (i = 0;
	     i < sizeof completion_commands / sizeof *completion_commands;
	     i++) {
		const struct cmd_entry *e = completion_commands[i];

		if (e->word) {
			snprintf(word, sizeof word, " %s ", e->name);
			cr_assert(strstr(commands, word) != NULL,
				  "the command %s is not completed", e->name);
		}
		list = completion_list(script, e->name);
		for (o = e->options; o->name != NULL; o++) {
			if (completion_refused(e->name, o->name))
				continue;
			snprintf(word, sizeof word, " --%s ", o->name);
			cr_assert(strstr(list, word) != NULL,
				  "%s: --%s is not completed", e->name,
				  o->name);
		}
		for (p = list; (p = strstr(p, " --")) != NULL; p = end) {
			end = strchr(p + 1, ' ');
			for (o = e->options; o->name != NULL; o++)
				if (strlen(o->name) == (size_t)(end - p - 3) &&
				    strncmp(o->name, p + 3,
					    (size_t)(end - p - 3)) == 0)
					break;
			cr_assert(o->name != NULL,
				  "%s: the completion offers %.*s, which it "
				  "does not take",
				  e->name, (int)(end - p - 1), p + 1);
		}
		free(list);
	}
	free(commands);
	free(script);
	free(path);
}

/* What bash completes for a command line (the script loaded without
 * bash-completion's helpers). */
static void
completion_run(struct run *r, const char *line)
{
	char *path = completion_path(), *cmd;

	xasprintf(&cmd,
		  ". '%s'; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} "
		  "- 1)); _memtrend; printf '%%s\\n' \"${COMPREPLY[@]}\"",
		  path, line);
	tu_run(r, (char *[]){"/bin/bash", "--norc", "-c", cmd, NULL}, 10);
	cr_assert_eq(r->status, 0, "%s", r->err);
	free(cmd);
	free(path);
}

Test(completion, bash_completes_commands_options_and_values)
{
	static const char *const cases[][2] = {
	    {"memtrend rep", "report\n"},
	    {"memtrend analyze --reg", "--regions\n"},
	    {"memtrend --regions-", "--regions-csv\n"},
	    {"memtrend plot --chart ''", "growth\nregions\nidle\n"},
	    {"memtrend kernel --caches", "--caches-csv\n"},
	    {"memtrend top --row", "--rows\n"},
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		completion_run(&r, cases[i][0]);
		cr_assert_str_eq(r.out, cases[i][1], "%s", cases[i][0]);
	}
}
