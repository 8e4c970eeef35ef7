/*
 * memtrend export FILE.mtc -o FILE.csv [--regions-csv R.csv]: a capture
 * archive (analysis/archread.c) written out as the CSV contract by the
 * CSV sink a live run writes with, so the rows are those `memtrend -o`
 * would have written.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/archread.h"
#include "cmd/cmd.h"
#include "sinks/csv.h"
#include "sinks/kernel.h"
#include "sinks/term.h"

enum {
	OPT_REGIONS_CSV = 256,
	OPT_SYSTEM_CSV,
};

static const struct option cmd_export_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"regions-csv", required_argument, NULL, OPT_REGIONS_CSV},
    {"system-csv", required_argument, NULL, OPT_SYSTEM_CSV},
    {"force", no_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct cmd_export {
	const char *archive, *csv, *regions_csv, *system_csv;
	bool force, help;
	struct csv_sink *rows, *regions, *system;
	struct csv_buf line; /* a system sample's row */
	struct error err;
};

static void
cmd_export_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: memtrend export FILE.mtc -o FILE.csv [--regions-csv "
		"R.csv]\n"
		"                       [--system-csv K.csv] [-f]\n"
		"\n"
		"Write a capture archive (memtrend capture) as the CSV a "
		"live run writes\n"
		"(-o \"-\": standard output), and its region samples as the "
		"regions CSV.\n"
		"A damaged archive is exported up to its first bad record, "
		"and said so.\n"
		"\n"
		"  -o, --output FILE        the samples CSV (required)\n"
		"      --regions-csv FILE   the regions CSV\n"
		"      --system-csv FILE    the system samples (capture "
		"--system) as the\n"
		"                           kernel CSV of memtrend kernel\n"
		"  -f, --force              overwrite existing files\n"
		"  -h, --help               this help\n");
}

static int
cmd_export_parse(struct cmd_export *c, int argc, char **argv, struct error *err)
{
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:fh", cmd_export_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'o':
			c->csv = optarg;
			break;
		case OPT_REGIONS_CSV:
			c->regions_csv = optarg;
			break;
		case OPT_SYSTEM_CSV:
			c->system_csv = optarg;
			break;
		case 'f':
			c->force = true;
			break;
		case 'h':
			c->help = true;
			return 0;
		case ':':
			return error_set(err, EINVAL, "option %s needs a value",
					 argv[optind - 1]);
		default:
			return error_set(err, EINVAL,
					 "unknown option '%s' for export",
					 argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return error_set(err, EINVAL,
				 optind >= argc ? "export needs one archive "
						  "(FILE.mtc)"
						: "export takes one archive");
	c->archive = argv[optind];
	if (c->csv == NULL)
		return error_set(err, EINVAL,
				 "export needs -o FILE.csv (\"-\": standard "
				 "output)");
	return 0;
}

static int
cmd_export_sample(void *ctx, unsigned int id, const struct sample *s)
{
	struct cmd_export *c = ctx;
	int rc;

	(void)id;
	if ((rc = csv_sink_write(c->rows, s, &c->err)) < 0)
		return rc;
	if (c->regions != NULL && s->regions != NULL)
		return csv_sink_write(c->regions, s, &c->err);
	return 0;
}

static int
cmd_export_system(void *ctx, const struct ksample *k)
{
	struct cmd_export *c = ctx;

	if (c->system == NULL)
		return 0;
	c->line.len = 0;
	kernel_csv_row(&c->line, k);
	return csv_sink_put_rows(c->system, &c->line, &c->err);
}

static int
cmd_export_file(struct cmd_export *c)
{
	struct archread_info info;
	unsigned int i;
	int rc;

	if (access(c->archive, R_OK) < 0) {
		error_set(&c->err, errno, "cannot open %s: %s", c->archive,
			  strerror(errno));
		return cmd_fail(&c->err);
	}
	if (!archread_is_archive(c->archive)) {
		error_set(&c->err, EINVAL,
			  "%s is not a memtrend archive (it does not start "
			  "with the archive's header): export reads what "
			  "memtrend capture writes",
			  c->archive);
		return cmd_fail(&c->err);
	}
	/* Several processes: the long format, a row per process. */
	if (archread_file(c->archive, NULL, NULL, &info, &c->err) < 0)
		return cmd_fail(&c->err);
	if (csv_sink_open(&c->rows, c->csv,
			  archread_is_long(&info) ? CSV_LONG : CSV_SAMPLES,
			  c->force, &c->err) < 0 ||
	    (c->regions_csv != NULL &&
	     csv_sink_open(&c->regions, c->regions_csv, CSV_REGIONS, c->force,
			   &c->err) < 0) ||
	    (c->system_csv != NULL &&
	     kernel_csv_open(&c->system, c->system_csv, false, c->force,
			     &c->err) < 0)) {
		csv_sink_close(c->rows, NULL);
		csv_sink_close(c->regions, NULL);
		return cmd_fail(&c->err);
	}
	rc = archread_file_system(c->archive, cmd_export_sample,
				  cmd_export_system, c, &info, &c->err);
	if (rc == 0 && csv_sink_close(c->rows, &c->err) < 0)
		rc = -EIO;
	else if (rc < 0)
		csv_sink_close(c->rows, NULL);
	if (c->regions != NULL &&
	    csv_sink_close(c->regions, rc < 0 ? NULL : &c->err) < 0)
		rc = -EIO;
	if (c->system != NULL &&
	    csv_sink_close(c->system, rc < 0 ? NULL : &c->err) < 0)
		rc = -EIO;
	free(c->line.text);
	if (rc < 0)
		return cmd_fail(&c->err);
	for (i = 0; i < info.nnotes; i++)
		term_notice("%s: note: %s", c->archive, info.notes[i]);
	if (info.damage[0] != '\0')
		term_notice("%s", info.damage);
	if (c->system_csv != NULL && info.system_samples == 0)
		term_notice("%s holds no system samples (capture them with "
			    "memtrend capture --system): %s has its header "
			    "only",
			    c->archive, c->system_csv);
	return 0;
}

static int
cmd_export_run(int argc, char **argv)
{
	struct cmd_export c;

	memset(&c, 0, sizeof c);
	if (cmd_export_parse(&c, argc, argv, &c.err) < 0)
		return cmd_usage_error("export", &c.err);
	if (c.help) {
		cmd_export_usage(stdout);
		return 0;
	}
	return cmd_export_file(&c);
}

const struct cmd_entry cmd_export_entry = {
    .name = "export",
    .word = true,
    .options = cmd_export_options,
    .usage = cmd_export_usage,
    .run = cmd_export_run,
};
