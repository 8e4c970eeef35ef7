/*
 * memtrend analyze [--json] [--metric M] [--regions FILE] FILE.csv: a CSV
 * replayed through the same verdict a live run gives (analysis/replay.c),
 * with the region evidence of the run's regions CSV; prints the
 * sentence or the JSON object (contracts in DESIGN.md).  Exit status: 0
 * stable or insufficient, 1 growing, 2 error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analysis/replay.h"
#include "analysis/verdict.h"
#include "cmd/cmd.h"

enum {
	OPT_JSON = 256,
	OPT_METRIC,
	OPT_NO_DAILY_CYCLE,
	OPT_DAILY_CYCLE,
	OPT_REGIONS,
};

struct cmd_analyze {
	bool help;
	bool json;	     /* print the JSON object */
	int metric;	     /* VERDICT_AUTO or a field id */
	bool no_daily_cycle; /* a test run: no daily cycle to wait for */
	const char *file;    /* the CSV; "-": standard input */
	const char *regions; /* the run's regions CSV, or NULL */
};

static const struct option cmd_analyze_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"daily-cycle", no_argument, NULL, OPT_DAILY_CYCLE},
    {"regions", required_argument, NULL, OPT_REGIONS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct cmd_help cmd_analyze_help[] = {
    {"      --json", "print the verdict as one JSON object"},
    {"      --metric M", "judge uss, pss or rss (" CMD_HELP_METRIC_DEFAULT ")"},
    {"      --no-daily-cycle",
     "judge as a test run: no daily cycle to wait for (--daily-cycle, the "
     "default: as a server)"},
    {"      --regions FILE",
     "the run's regions CSV (from --regions-csv): which regions the growth "
     "is in, as the live run says"},
    {"  -h, --help", "this help"},
    {NULL, NULL},
};

static void
cmd_analyze_usage(FILE *fp)
{
	fputs("Usage: memtrend analyze [OPTIONS] FILE.csv\n\n", fp);
	cmd_help_wrap(fp,
		      "Replays a CSV of a run (memtrend -o, or any CSV with "
		      "timestamp or elapsed_s and uss_kb, pss_kb or rss_kb "
		      "columns, plain or gzipped; \"-\" reads standard input) "
		      "through the verdict a live run gives, and prints its "
		      "sentence.",
		      0, 0);
	fputc('\n', fp);
	cmd_help_print(fp, cmd_analyze_help);
	fputs("\nExit status: 0 stable or insufficient; 1 growing; 2 error.\n",
	      fp);
}

/* memtrend analyze [--json] [--metric M] [--no-daily-cycle] [--regions F] FILE
 */
static int
cmd_analyze_parse(struct cmd_analyze *c, int argc, char **argv,
		  struct error *err)
{
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", cmd_analyze_options,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_JSON:
			c->json = true;
			break;
		case OPT_METRIC:
			if (verdict_parse_metric(optarg, &c->metric, err) < 0)
				return cmd_option_error(
				    err, cmd_analyze_options, opt);
			break;
		case OPT_NO_DAILY_CYCLE:
		case OPT_DAILY_CYCLE:
			c->no_daily_cycle = opt == OPT_NO_DAILY_CYCLE;
			break;
		case OPT_REGIONS:
			c->regions = optarg;
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

static int
cmd_analyze_file(const struct cmd_analyze *c)
{
	char sentence[2048];
	struct verdict v;
	struct error err;
	int code;

	verdict_init(&v, c->metric);
	verdict_set_daily_cycle(&v, !c->no_daily_cycle);
	if (replay_file(c->file, &v, &err) < 0 ||
	    (c->regions != NULL &&
	     replay_regions_evidence(c->regions, &v, &err) < 0)) {
		verdict_free(&v);
		return cmd_fail(&err);
	}
	if (c->json) {
		verdict_json(stdout, &v);
	} else {
		verdict_sentence(&v, sentence, sizeof sentence);
		printf("%s\n", sentence);
	}
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
		return cmd_usage_error("analyze", &err);
	if (c.help) {
		cmd_analyze_usage(stdout);
		return 0;
	}
	return cmd_analyze_file(&c);
}

const struct cmd_entry cmd_analyze_entry = {
    .name = "analyze",
    .word = true,
    .options = cmd_analyze_options,
    .usage = cmd_analyze_usage,
    .run = cmd_analyze_run,
};
