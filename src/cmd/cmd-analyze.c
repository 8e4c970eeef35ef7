/*
 * memtrend analyze [--json] [--metric M] FILE.csv: a CSV replayed through
 * the same verdict a live run gives (analysis/replay.c); prints the
 * sentence or the JSON object (contracts in DESIGN.md).  Exit status: 0
 * stable or insufficient, 1 growing, 2 error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/replay.h"
#include "analysis/verdict.h"
#include "cmd/analyze-smemcap.h"
#include "cmd/cmd.h"
#include "sinks/term.h"

enum {
	OPT_JSON = 256,
	OPT_METRIC,
	OPT_NO_DAILY_CYCLE,
	OPT_DAILY_CYCLE,
};

struct cmd_analyze {
	bool help;
	bool json;	     /* print the JSON object */
	int metric;	     /* VERDICT_AUTO or a field id */
	bool no_daily_cycle; /* a test run: no daily cycle to wait for */
	const char *file;    /* the CSV; "-": standard input */
};

static const struct option cmd_analyze_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"daily-cycle", no_argument, NULL, OPT_DAILY_CYCLE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* memtrend analyze [--json] [--metric M] [--no-daily-cycle] FILE */
static int
cmd_analyze_parse(struct cmd_analyze *c, int argc, char **argv,
		  struct error *err)
{
	int opt, rc = 0;

	optind = 0;
	opterr = 0;
	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, ":h", cmd_analyze_options,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_JSON:
			c->json = true;
			break;
		case OPT_METRIC:
			rc = verdict_parse_metric(optarg, &c->metric, err);
			break;
		case OPT_NO_DAILY_CYCLE:
		case OPT_DAILY_CYCLE:
			c->no_daily_cycle = opt == OPT_NO_DAILY_CYCLE;
			break;
		case 'h':
			c->help = true;
			return 0;
		case ':':
			return error_set(err, EINVAL, "option %s needs a value",
					 argv[optind - 1]);
		default:
			return error_set(err, EINVAL,
					 "unknown option '%s' for "
					 "analyze",
					 argv[optind - 1]);
		}
	}
	if (rc < 0)
		return rc;
	if (optind >= argc)
		return error_set(err, EINVAL,
				 "analyze needs a CSV file (or - "
				 "for standard input)");
	if (optind + 1 < argc)
		return error_set(err, EINVAL,
				 "analyze takes one file, not "
				 "'%s' too",
				 argv[optind + 1]);
	c->file = argv[optind];
	return 0;
}

/* A directory: smemcap tarballs taken over time. */
static bool
cmd_analyze_is_dir(const char *path)
{
	struct stat st;

	return strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

static int
cmd_analyze_file(const struct cmd_analyze *c)
{
	char sentence[2048];
	struct verdict v;
	struct error err;
	int code;

	if (cmd_analyze_is_dir(c->file))
		return analyze_smemcap(c->file, c->metric, !c->no_daily_cycle,
				       c->json);
	verdict_init(&v, c->metric);
	verdict_set_daily_cycle(&v, !c->no_daily_cycle);
	if (replay_file(c->file, &v, &err) < 0) {
		verdict_free(&v);
		return cmd_fail(&err);
	}
	if (c->json) {
		verdict_json(stdout, &v);
	} else {
		verdict_sentence(&v, sentence, sizeof sentence);
		printf("%s\n", sentence);
	}
	if (err.msg[0] != '\0')
		term_notice("%s", err.msg); /* a damaged archive's tail */
	code = verdict_evidence(&v)->verdict == TREND_GROWING ? CMD_EXIT_GROWING
							      : 0;
	verdict_free(&v);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "memtrend: cannot write the verdict to "
				"standard output\n");
		return CMD_EXIT_ERROR;
	}
	return code;
}

static int
cmd_analyze_run(int argc, char **argv)
{
	struct cmd_analyze c = {.metric = VERDICT_AUTO};
	struct error err;

	if (cmd_analyze_parse(&c, argc, argv, &err) < 0)
		return cmd_usage_error(&err);
	if (c.help) {
		cmd_watch_usage(stdout);
		return 0;
	}
	return cmd_analyze_file(&c);
}

const struct cmd_entry cmd_analyze_entry = {
    .name = "analyze",
    .word = true,
    .options = cmd_analyze_options,
    .usage = cmd_watch_usage, /* analyze is part of the main usage */
    .run = cmd_analyze_run,
};
