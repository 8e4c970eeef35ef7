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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/archnames.h"
#include "analysis/archread.h"
#include "analysis/replay.h"
#include "analysis/verdict.h"
#include "cmd/analyze-smemcap.h"
#include "cmd/cmd.h"
#include "sinks/term.h"
#include "util/csvread.h"
#include "util/units.h"
#include "util/xmalloc.h"

enum {
	OPT_JSON = 256,
	OPT_METRIC,
	OPT_NO_DAILY_CYCLE,
	OPT_DAILY_CYCLE,
	OPT_PID,
	OPT_TOP,
	OPT_REGIONS,
};

struct cmd_analyze {
	bool help;
	bool json;	     /* print the JSON object */
	int metric;	     /* VERDICT_AUTO or a field id */
	bool no_daily_cycle; /* a test run: no daily cycle to wait for */
	const char *file;    /* the CSV; "-": standard input */
	long pid;	     /* --pid; -1: not given */
	uint64_t top;	     /* --top; 0: not given */
	const char *regions; /* the run's regions CSV, or NULL */
};

#define CMD_ANALYZE_TOP 10 /* processes ranked when --top is not given */

/* The processes of a long-format CSV, each with its own verdict, sorted
 * by pid. */
struct cmd_analyze_procs {
	const struct cmd_analyze *c;
	long *pid;
	struct verdict **v;
	double *first, *last; /* the judged metric, first and last known */
	double *first_s, *last_s;
	size_t n, cap;
};

static const struct option cmd_analyze_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"no-daily-cycle", no_argument, NULL, OPT_NO_DAILY_CYCLE},
    {"daily-cycle", no_argument, NULL, OPT_DAILY_CYCLE},
    {"pid", required_argument, NULL, OPT_PID},
    {"top", required_argument, NULL, OPT_TOP},
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
    {"      --pid PID",
     "in a long-format CSV (a set's, or memtrend top's): judge this process "
     "only; 0 is a set's sum"},
    {"      --top N",
     "in a long-format CSV: judge every process and list the N that grow "
     "fastest (without --pid or --top: a set's sum when the file has one, "
     "else the top 10)"},
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
		case OPT_PID:
			if (cmd_parse_pid(optarg, &c->pid, err) < 0)
				return cmd_option_error(
				    err, cmd_analyze_options, opt);
			break;
		case OPT_TOP:
			if (units_parse_count(optarg, &c->top, err) < 0 ||
			    c->top == 0) {
				if (c->top == 0)
					error_set(err, EINVAL,
						  "invalid count '%s' (at "
						  "least 1)",
						  optarg);
				return cmd_option_error(
				    err, cmd_analyze_options, opt);
			}
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

/* Where pid is, or would go, in the sorted list. */
static size_t
cmd_analyze_find(const struct cmd_analyze_procs *p, long pid)
{
	size_t lo = 0, hi = p->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (p->pid[mid] == pid)
			return mid;
		if (p->pid[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#define CMD_ANALYZE_GROW(a, i, n)                                              \
	do {                                                                   \
		(a) = xreallocarray((a), p->cap, sizeof *(a));                 \
		memmove((a) + (i) + 1, (a) + (i), (n) * sizeof *(a));          \
	} while (0)

/* The verdict of a row's process: found by binary search, or made. */
static struct verdict *
cmd_analyze_pick(void *ctx, long pid, const struct verdict *tmpl)
{
	struct cmd_analyze_procs *p = ctx;
	size_t i = cmd_analyze_find(p, pid), tail = p->n - i;
	struct verdict *v;

	if (p->c->pid >= 0 && pid != p->c->pid)
		return NULL;
	if (i < p->n && p->pid[i] == pid)
		return p->v[i];
	if (p->n == p->cap)
		p->cap = p->cap ? p->cap * 2 : 16;
	CMD_ANALYZE_GROW(p->pid, i, tail);
	CMD_ANALYZE_GROW(p->v, i, tail);
	CMD_ANALYZE_GROW(p->first, i, tail);
	CMD_ANALYZE_GROW(p->last, i, tail);
	CMD_ANALYZE_GROW(p->first_s, i, tail);
	CMD_ANALYZE_GROW(p->last_s, i, tail);
	v = xmalloc(sizeof *v);
	verdict_init(v, tmpl->metric);
	verdict_set_daily_cycle(v, !p->c->no_daily_cycle);
	p->pid[i] = pid;
	p->v[i] = v;
	p->first[i] = p->last[i] = NAN;
	p->n++;
	return v;
}

/* Each process's first and last value of the judged metric, for the
 * ranking before a verdict has a slope. */
static int
cmd_analyze_row(void *ctx, const struct sample *s)
{
	struct cmd_analyze_procs *p = ctx;
	size_t i = cmd_analyze_find(p, s->pid);
	double x;

	if (i >= p->n || p->pid[i] != s->pid)
		return 0;
	x = s->value[p->v[i]->metric];
	if (isnan(x))
		return 0;
	if (isnan(p->first[i])) {
		p->first[i] = x;
		p->first_s[i] = s->elapsed_s;
	}
	p->last[i] = x;
	p->last_s[i] = s->elapsed_s;
	return 0;
}

/* One verdict: its sentence or its JSON object. */
static void
cmd_analyze_print(const struct cmd_analyze *c, const struct verdict *v)
{
	char sentence[2048];

	if (c->json) {
		verdict_json(stdout, v);
	} else {
		verdict_sentence(v, sentence, sizeof sentence);
		printf("%s\n", sentence);
	}
}

/* KiB/h: the verdict's slope once it judged, else first to last. */
static double
cmd_analyze_rate(const struct cmd_analyze_procs *p, size_t i)
{
	const struct trend_evidence *ev = verdict_evidence(p->v[i]);

	if (ev->verdict != TREND_INSUFFICIENT && isfinite(ev->slope))
		return ev->slope;
	if (p->last_s[i] > p->first_s[i])
		return (p->last[i] - p->first[i]) /
		       (p->last_s[i] - p->first_s[i]) * 3600;
	return -INFINITY;
}

/* A capture -n archive's names that restarted, each judged across its
 * instances; returns whether one grows. */
static bool
cmd_analyze_names(const struct cmd_analyze *c, const struct archnames *ns)
{
	char name[256], sentence[2048];
	bool growing = false, first = true;
	size_t i;

	if (ns->n == 0) /* a CSV, or an archive of -p or a command */
		return false;
	if (c->json)
		printf(",\"names\":[");
	for (i = 0; i < ns->n; i++) {
		const struct archname *n = &ns->name[i];

		if (n->several || n->instances < 2)
			continue;
		growing |=
		    verdict_evidence(&n->verdict)->verdict == TREND_GROWING;
		if (c->json) {
			printf("%s{\"name\":", first ? "" : ",");
			verdict_json_string(stdout, n->name);
			printf(",\"instances\":%lu,\"verdict\":", n->instances);
			verdict_json(stdout, &n->verdict);
			printf("}");
		} else {
			units_escape_text(name, sizeof name, n->name);
			verdict_sentence(&n->verdict, sentence,
					 sizeof sentence);
			printf("name %s, %lu instances: %s\n", name,
			       n->instances, sentence);
		}
		first = false;
	}
	if (c->json)
		printf("]");
	return growing;
}

/* Several processes: the fastest growers, each with its verdict (and a
 * capture -n archive's names across their restarts). */
static bool
cmd_analyze_ranked(const struct cmd_analyze *c,
		   const struct cmd_analyze_procs *p,
		   const struct archnames *names)
{
	size_t *order = xcalloc(p->n, sizeof *order), i, j, k, shown;
	bool growing = false;

	size_t m = 0;

	for (i = 0; i < p->n; i++)
		if (p->pid[i] != 0) /* a set's sum is not a process */
			order[m++] = i;
	for (i = 1; i < m; i++) /* insertion sort by rate, fastest first */
		for (j = i; j > 0 && cmd_analyze_rate(p, order[j]) >
					 cmd_analyze_rate(p, order[j - 1]);
		     j--) {
			k = order[j];
			order[j] = order[j - 1];
			order[j - 1] = k;
		}
	shown = c->top ? (size_t)c->top : CMD_ANALYZE_TOP;
	if (shown > m)
		shown = m;
	if (c->json)
		printf("{\"processes\":[");
	else
		printf("%zu processes; the %zu growing fastest:\n", m, shown);
	for (i = 0; i < shown; i++) {
		if (c->json) {
			printf("%s{\"pid\":%ld,\"verdict\":", i ? "," : "",
			       p->pid[order[i]]);
			verdict_json(stdout, p->v[order[i]]);
			printf("}");
		} else {
			printf("pid %ld: ", p->pid[order[i]]);
			cmd_analyze_print(c, p->v[order[i]]);
		}
	}
	if (c->json)
		printf("]");
	growing = cmd_analyze_names(c, names);
	if (c->json)
		printf("}\n");
	for (i = 0; i < m; i++)
		growing |=
		    verdict_evidence(p->v[order[i]])->verdict == TREND_GROWING;
	free(order);
	return growing;
}

/* A directory of smemcap tarballs taken over time; one with CSVs (a
 * daemon target's) is replayed as one series. */
static bool
cmd_analyze_is_dir(const char *path)
{
	struct error err;
	char **paths;
	long n;

	if (!csv_is_dir(path))
		return false;
	n = csv_dir_list(path, false, &paths, &err);
	if (n > 0)
		csv_dir_free(paths, n);
	return n <= 0;
}

static int
cmd_analyze_file(const struct cmd_analyze *c)
{
	struct cmd_analyze_procs p = {.c = c};
	struct archnames names = {0};
	struct verdict *one = NULL, tmpl;
	struct error err;
	bool growing;
	int code = 0;
	size_t i;

	if (cmd_analyze_is_dir(c->file))
		return analyze_smemcap(c->file, c->metric, !c->no_daily_cycle,
				       c->json);
	verdict_init(&tmpl, c->metric);
	verdict_set_daily_cycle(&tmpl, !c->no_daily_cycle);
	code = replay_file_metric(c->file, &tmpl, cmd_analyze_pick, &p,
				  c->pid < 0 && c->top == 0, cmd_analyze_row,
				  &p, &err);
	if (code < 0) {
		code = cmd_fail(&err);
		goto out;
	}
	/* A plain CSV (or one process): its verdict.  A set's: its sum,
	 * unless --top asks for the processes. */
	if (p.n == 0)
		one = &tmpl;
	else if (p.n == 1 && c->top == 0)
		one = p.v[0];
	else if (c->top == 0 && p.pid[0] == 0)
		one = p.v[0];
	/* One process's run: where its growth is, from its regions CSV. */
	if (c->regions != NULL && (one == NULL || p.n > 1)) {
		error_set(&err, EINVAL,
			  "--regions takes the regions CSV of one process's "
			  "run; %s has %zu processes (give --pid PID)",
			  c->file, p.n);
		code = cmd_fail(&err);
		goto out;
	}
	if (c->regions != NULL &&
	    replay_regions_evidence(c->regions, one, &err) < 0) {
		code = cmd_fail(&err);
		goto out;
	}
	if (one != NULL) {
		if (p.n > 1 && !c->json)
			printf("the sum of %zu processes (pid 0; --pid PID or "
			       "--top N for each one): ",
			       p.n - 1);
		cmd_analyze_print(c, one);
		growing = verdict_evidence(one)->verdict == TREND_GROWING;
	} else {
		struct error nerr;

		if (c->pid < 0 && archread_is_archive(c->file) &&
		    archnames_read(c->file, &tmpl, &names, &nerr) < 0) {
			code = cmd_fail(&nerr);
			goto out;
		}
		growing = cmd_analyze_ranked(c, &p, &names);
	}
	if (err.msg[0] != '\0')
		term_notice("%s", err.msg); /* a damaged archive's tail */
	code = growing ? CMD_EXIT_GROWING : 0;
	if (fflush(stdout) != 0) {
		fprintf(stderr, "memtrend: cannot write the verdict to "
				"standard output\n");
		code = CMD_EXIT_ERROR;
	}
out:
	archnames_free(&names);
	for (i = 0; i < p.n; i++) {
		verdict_free(p.v[i]);
		free(p.v[i]);
	}
	free(p.v);
	free(p.pid);
	free(p.first);
	free(p.last);
	free(p.first_s);
	free(p.last_s);
	verdict_free(&tmpl);
	return code;
}

static int
cmd_analyze_run(int argc, char **argv)
{
	struct cmd_analyze c = {.metric = VERDICT_AUTO, .pid = -1};
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
