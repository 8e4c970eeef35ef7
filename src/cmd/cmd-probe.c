/*
 * memtrend --probe: what this kernel and these privileges allow.  Each
 * source checks its own interface; this asks them all and prints the
 * table (a contract in DESIGN.md).
 */
#include "config.h"

#include <stdio.h>

#include "cmd/cmd-probe.h"
#include "cmd/cmd-watch.h"
#include "cmd/cmd.h"
#include "core/target.h"
#include "sources/faults.h"
#include "sources/idle.h"
#include "sources/pagemap.h"
#include "sources/rollup.h"
#include "sources/system.h"

void
cmd_probe_collect(struct probe *p, const char *root, pid_t pid)
{
	probe_init(p, pid);
	rollup_probe(p, root);
	pagemap_probe(p, root);
	idle_probe(p, root);
	faults_probe(p, root);
	system_probe(p, root);
}

static void
cmd_probe_print(FILE *fp, const struct probe *p)
{
	int i;

	if (p->pid > 0)
		fprintf(fp, "capabilities for pid %d:\n", (int)p->pid);
	for (i = 0; i < PROBE_COUNT; i++) {
		fprintf(fp, "%-17s %-11s %s\n", probe_info[i].name,
			p->cap[i].available ? "available" : "unavailable",
			p->cap[i].detail);
		if (p->cap[i].available)
			fprintf(fp, "%-29s for: %s\n", "", probe_info[i].gives);
		else
			fprintf(fp, "%-29s fallback: %s\n", "",
				probe_info[i].fallback);
	}
}

/* With -p PID: 2 when memtrend cannot watch that process, saying why as
 * a run would. */
int
cmd_probe_run(const char *root, pid_t pid)
{
	struct probe probe;
	struct target t;
	struct error err;
	int code = 0;

	cmd_probe_collect(&probe, root, pid);
	cmd_probe_print(stdout, &probe);
	if (pid > 0 && target_from_pid(&t, root, pid, &err) < 0) {
		fflush(stdout);
		code = cmd_fail(&err);
	}
	if (pid > 0)
		target_close(&t);
	return code;
}

/* --probe is an option of the default command line: parse that. */
static int
cmd_probe_main(int argc, char **argv)
{
	struct cmd_watch c;
	struct error err;

	if (cmd_watch_parse(&c, argc, argv, &err) < 0)
		return cmd_usage_error(NULL, &err);
	return cmd_probe_run(c.watch.root, c.pid);
}

static const struct option cmd_probe_options[] = {
    {"probe", no_argument, NULL, 0},
    {"pid", required_argument, NULL, 'p'},
    {"root", required_argument, NULL, 0},
    {NULL, 0, NULL, 0},
};

const struct cmd_entry cmd_probe_entry = {
    .name = "probe",
    .word = false, /* memtrend --probe [-p PID] */
    .options = cmd_probe_options,
    .usage = cmd_watch_usage,
    .run = cmd_probe_main,
};
