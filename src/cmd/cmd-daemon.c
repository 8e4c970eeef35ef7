/*
 * memtrend daemon --config FILE (memtrend-daemon(8)): named targets from
 * an INI config (daemon-conf.h), watched in one sampling loop -- one
 * clock, one CPU budget -- each a group of watch.h with its own set, sum,
 * verdict and files under state_dir/NAME/ (daemon-store.h).  The verdict
 * resumes from the stored history on start; SIGHUP reloads the config,
 * SIGTERM and SIGINT stop it cleanly.  memtrend status prints the state
 * file the daemon rewrites each tick.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/daemon-conf.h"
#include "cmd/daemon-store.h"
#include "cmd/stop.h"
#include "cmd/watch.h"
#include "sinks/alert.h"
#include "sinks/csv.h"
#include "sinks/metrics-server.h"
#include "sinks/metrics.h"
#include "sinks/term.h"
#include "util/notify.h"
#include "util/ticker.h"
#include "util/units.h"
#include "util/xmalloc.h"

struct daemon_group {
	struct daemon_target conf; /* its strings owned here */
	struct watch_group g;
	struct daemon_store st;
	bool noted_empty, noted_write, noted_scan;
	double last_wall_s;  /* its last sample; NAN: none yet */
	char sentence[2048]; /* its verdict in words, as of its last tick */
};

/* What goes out besides the files: /metrics, the textfile, alerts. */
struct daemon_out {
	struct metrics_server *srv; /* listen = ...; NULL: none */
	struct alerter *alerter;
	struct metrics_proc *procs;
	struct metrics_region *regions;
	struct metrics_target *targets;
	size_t procs_cap, regions_cap, targets_cap;
	bool noted_textfile;
};

struct daemon {
	struct daemon_conf conf;
	struct watch_opts o;
	struct watch_result res;
	struct watch *w;
	struct daemon_group **groups;
	size_t ngroups;
	int lock_fd;
	struct daemon_out out;
	bool noted_status; /* a status file could not be written */
	bool noted_notify; /* the service manager could not be told */
};

static const struct option cmd_daemon_options[] = {
    {"config", required_argument, NULL, 'c'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option cmd_status_options[] = {
    {"config", required_argument, NULL, 'c'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void
cmd_daemon_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: memtrend daemon [--config FILE]\n"
		"       memtrend status [--config FILE] [--json]\n"
		"\n"
		"daemon watches the targets of FILE (default %s) in the\n"
		"foreground, for weeks, across their restarts: per target "
		"under\n"
		"state_dir/NAME/ the samples CSV (and regions.csv), rotated "
		"and\n"
		"compressed; the verdict resumes from them on start.  SIGHUP\n"
		"reloads FILE, SIGTERM stops.  status prints the targets, "
		"their\n"
		"PIDs, verdicts and last sample from the running daemon.\n"
		"See memtrend-daemon(8) and memtrend.conf(5).\n"
		"\n"
		"  -c, --config FILE     the config (INI)\n"
		"      --json            status: the daemon's state file "
		"(status.json)\n"
		"  -h, --help            this help\n"
		"\n"
		"Exit status: 0 stopped by a signal; 2 bad config or "
		"another\n"
		"daemon already on state_dir.\n",
		DAEMON_CONFIG);
}

/* Tells the service manager (Type=notify) the daemon's state; a failure
 * is said once and never stops the daemon. */
static void
daemon_notify(struct daemon *d, const char *state)
{
	struct error err;

	if (notify_send(state, &err) < 0 && !d->noted_notify) {
		d->noted_notify = true;
		term_notice("%s", err.msg);
	}
}

/* ---- the lock --------------------------------------------------------- */

static int
daemon_lock(struct daemon *d, struct error *err)
{
	char path[4200], pid[32] = "";
	ssize_t n;

	if (mkdir(d->conf.state_dir, 0755) < 0 && errno != EEXIST)
		return error_set(err, errno, "cannot create state_dir %s: %s",
				 d->conf.state_dir, strerror(errno));
	snprintf(path, sizeof path, "%s/daemon.lock", d->conf.state_dir);
	d->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->lock_fd < 0)
		return error_set(err, errno, "cannot open %s: %s", path,
				 strerror(errno));
	if (flock(d->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		n = pread(d->lock_fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		return error_set(err, EBUSY,
				 "another memtrend daemon (pid %s) uses "
				 "state_dir %s: stop it, or give this one "
				 "another state_dir",
				 pid[0] ? pid : "?", d->conf.state_dir);
	}
	snprintf(pid, sizeof pid, "%d\n", (int)getpid());
	if (ftruncate(d->lock_fd, 0) < 0 ||
	    pwrite(d->lock_fd, pid, strlen(pid), 0) < 0)
		return error_set(err, errno, "cannot write %s: %s", path,
				 strerror(errno));
	return 0;
}

/* ---- groups ----------------------------------------------------------- */

static unsigned int
daemon_every(const struct daemon *d, const struct daemon_target *t)
{
	uint64_t every = t->every_ns ? t->every_ns : d->conf.every_ns;
	double k = round((double)every / (double)d->o.interval_ns);

	return k < 1 ? 1 : (unsigned int)k;
}

static void
daemon_target_copy(struct daemon_target *dst, const struct daemon_target *src)
{
	*dst = *src;
	dst->value = xstrdup(src->value);
	dst->unit = src->unit ? xstrdup(src->unit) : NULL;
}

static bool
daemon_target_same(const struct daemon_target *a, const struct daemon_target *b)
{
	return strcmp(a->name, b->name) == 0 && a->kind == b->kind &&
	       strcmp(a->value, b->value) == 0 && a->every_ns == b->every_ns &&
	       a->metric == b->metric && a->regions == b->regions;
}

static int
daemon_group_add(struct daemon *d, const struct daemon_target *t,
		 struct error *err)
{
	struct daemon_group *dg = xcalloc(1, sizeof *dg);
	struct watch_group *g = &dg->g;
	struct daemon_history h;
	double now = ticker_clock_s(CLOCK_REALTIME), last;
	size_t i;

	daemon_target_copy(&dg->conf, t);
	dg->last_wall_s = NAN;
	daemon_conf_spec(&dg->conf, &g->spec);
	g->every = daemon_every(d, t);
	g->metric = t->metric;
	g->regions = t->regions;
	g->sum_only = true;
	if (daemon_store_open(&dg->st, d->conf.state_dir, t->name, t->regions,
			      err) < 0)
		goto fail;
	if (watch_group_add(d->w, g, err) < 0)
		goto fail;
	/* No amnesia: the stored history through the same verdict. */
	if (daemon_store_resume(dg->st.dir, &g->sum->verdict, &h, err) < 0) {
		term_notice("target %s: its history cannot be read, judged "
			    "afresh: %s",
			    t->name, err->msg);
		verdict_free(&g->sum->verdict);
		verdict_init(&g->sum->verdict, t->metric);
		/* Its rows stay in time order: the new ones follow the last
		 * stored row's elapsed_s, as a new instance. */
		last = h.last_elapsed_s;
		memset(&h, 0, sizeof h);
		g->first_elapsed_s = last > 0 ? last + 1 : 0;
	}
	if (h.any) {
		g->first_elapsed_s =
		    h.last_elapsed_s +
		    fmax(0.001, isnan(h.last_wall_s) ? 1 : now - h.last_wall_s);
		g->instance = h.instance;
		g->nresume = h.npids;
		for (i = 0; i < h.npids; i++)
			g->resume_pids[i] = h.pids[i];
	}
	/* The resumed verdict, said before its first tick. */
	verdict_sentence(&g->sum->verdict, dg->sentence, sizeof dg->sentence);
	g->csv = dg->st.csv;
	g->regions_csv = dg->st.regions_csv;
	d->groups = xreallocarray(d->groups, d->ngroups + 1, sizeof *d->groups);
	d->groups[d->ngroups++] = dg;
	return 0;
fail:
	daemon_store_close(&dg->st);
	free(dg->conf.value);
	free(dg->conf.unit);
	free(dg);
	return -1;
}

static void
daemon_group_remove(struct daemon *d, size_t at)
{
	struct daemon_group *dg = d->groups[at];

	watch_group_remove(d->w, &dg->g);
	daemon_store_close(&dg->st);
	free(dg->conf.value);
	free(dg->conf.unit);
	free(dg);
	memmove(d->groups + at, d->groups + at + 1,
		(d->ngroups - at - 1) * sizeof *d->groups);
	d->ngroups--;
}

/* The groups to the config's targets: gone ones removed, new or changed
 * ones added, the others kept with their state. */
static void
daemon_apply(struct daemon *d)
{
	struct error err;
	size_t i, j;

	for (i = d->ngroups; i-- > 0;) {
		for (j = 0; j < d->conf.ntargets; j++)
			if (daemon_target_same(&d->groups[i]->conf,
					       &d->conf.targets[j]))
				break;
		if (j == d->conf.ntargets) {
			term_notice("target %s: no longer watched",
				    d->groups[i]->conf.name);
			daemon_group_remove(d, i);
		}
	}
	for (j = 0; j < d->conf.ntargets; j++) {
		for (i = 0; i < d->ngroups; i++)
			if (strcmp(d->groups[i]->conf.name,
				   d->conf.targets[j].name) == 0)
				break;
		if (i < d->ngroups)
			continue;
		if (daemon_group_add(d, &d->conf.targets[j], &err) < 0)
			term_notice("target %s: %s", d->conf.targets[j].name,
				    err.msg);
	}
}

static bool
daemon_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void daemon_out_reload(struct daemon *d, const struct daemon_conf *next);
static uint64_t daemon_base_tick(const struct daemon_conf *c);
static int daemon_out_alerts_open(struct daemon *d, struct error *err);

static void
daemon_reload(struct daemon *d, const char *path)
{
	struct daemon_conf next;
	struct error err;

	if (daemon_conf_read(path, &next, &err) < 0) {
		term_notice("SIGHUP: %s; keeping the running config", err.msg);
		daemon_conf_free(&next);
		return;
	}
	if (strcmp(next.state_dir, d->conf.state_dir) != 0) {
		term_notice("SIGHUP: state_dir changes only on a restart; "
			    "keeping %s",
			    d->conf.state_dir);
		free(next.state_dir);
		next.state_dir = xstrdup(d->conf.state_dir);
	}
	daemon_out_reload(d, &next);
	next.budget = d->conf.budget; /* the loop's, until a restart */
	next.estimate = d->conf.estimate;
	daemon_conf_free(&d->conf);
	d->conf = next;
	if (d->out.alerter == NULL && daemon_out_alerts_open(d, &err) < 0)
		term_notice("SIGHUP: %s; no alerts until the config is fixed",
			    err.msg);
	daemon_apply(d);
	term_notice("SIGHUP: config %s reloaded, %zu targets", path,
		    d->ngroups);
}

/* ---- each tick -------------------------------------------------------- */

static void
daemon_json_string(FILE *fp, const char *s)
{
	verdict_json_string(fp, s);
}

/* A group's live processes as "812,813" (at most len bytes; buf may be
 * NULL); returns how many, the first in *first (0: none). */
static size_t
daemon_group_pids(const struct daemon *d, const struct daemon_group *dg,
		  char *buf, size_t len, int *first)
{
	size_t k, n = 0, count = 0;

	if (buf != NULL)
		buf[0] = '\0';
	*first = 0;
	for (k = 0; k < d->res.nmembers; k++) {
		const struct watch_member *m = d->res.members[k];

		if (m->g != &dg->g || m == dg->g.sum || !isnan(m->left_s))
			continue;
		if (count++ == 0)
			*first = (int)m->t.pid;
		if (buf != NULL && n + 1 < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%d",
					      n ? "," : "", (int)m->t.pid);
	}
	return count;
}

/* status.json: every target's state, for programs. */
static void
daemon_status_json(const struct daemon *d, FILE *fp)
{
	char stamp[40], pids[1024];
	size_t i;
	int first;

	csv_format_time(stamp, sizeof stamp, ticker_clock_s(CLOCK_REALTIME));
	fprintf(fp, "{\"pid\":%d,\"updated\":\"%s\",\"targets\":[",
		(int)getpid(), stamp);
	for (i = 0; i < d->ngroups; i++) {
		const struct daemon_group *dg = d->groups[i];
		const struct watch_member *sum = dg->g.sum;
		const struct trend_evidence *ev =
		    verdict_evidence(&sum->verdict);

		fprintf(fp, "%s{\"name\":", i ? "," : "");
		daemon_json_string(fp, dg->conf.name);
		daemon_group_pids(d, dg, pids, sizeof pids, &first);
		fprintf(fp, ",\"pids\":[%s]", pids);
		fprintf(fp, ",\"instance\":%lu,\"restarts\":%lu,",
			dg->g.instance, dg->g.restarts);
		fputs("\"verdict\":", fp);
		daemon_json_string(fp, verdict_name(ev->verdict));
		fputs(",\"metric\":", fp);
		daemon_json_string(fp, verdict_metric_name(&sum->verdict));
		fprintf(fp, ",\"samples\":%lu", ev->samples);
		if (ev->points > 0 && isfinite(ev->slope))
			fprintf(fp, ",\"slope_kb_per_hour\":%.1f", ev->slope);
		if (!isnan(dg->last_wall_s)) {
			csv_format_time(stamp, sizeof stamp, dg->last_wall_s);
			fprintf(fp, ",\"last_sample\":\"%s\"", stamp);
		}
		if (isfinite(sum->known[FIELD_USS_KB]))
			fprintf(fp, ",\"uss_kb\":%.0f",
				sum->known[FIELD_USS_KB]);
		if (isfinite(sum->known[FIELD_RSS_KB]))
			fprintf(fp, ",\"rss_kb\":%.0f",
				sum->known[FIELD_RSS_KB]);
		fputs(",\"sentence\":", fp);
		daemon_json_string(fp, dg->sentence);
		fputs("}", fp);
	}
	fputs("]}\n", fp);
}

/* status.txt: the same as a table for a person (memtrend status), text
 * from outside made safe for a terminal. */
static void
daemon_status_text(const struct daemon *d, FILE *fp)
{
	char stamp[40], safe[4096], pids[1024];
	char uss[32], rss[32], rate[32], last[40];
	size_t i, n;
	int first;

	csv_format_time(stamp, sizeof stamp, ticker_clock_s(CLOCK_REALTIME));
	fprintf(fp, "memtrend daemon pid %d, %zu targets, updated %s\n",
		(int)getpid(), d->ngroups, stamp);
	fprintf(fp, "%-11s %-11s %9s %9s %10s %-12s %s\n", "TARGET", "PIDS",
		"USS", "RSS", "RATE/h", "VERDICT", "LAST (UTC)");
	for (i = 0; i < d->ngroups; i++) {
		const struct daemon_group *dg = d->groups[i];
		const struct watch_member *sum = dg->g.sum;
		const struct trend_evidence *ev =
		    verdict_evidence(&sum->verdict);

		n = daemon_group_pids(d, dg, pids, sizeof pids, &first);
		if (strlen(pids) > 11) /* the first, and how many more */
			snprintf(pids, sizeof pids, "%d +%zu", first, n - 1);
		units_format_kib(uss, sizeof uss, sum->known[FIELD_USS_KB],
				 false, false);
		units_format_kib(rss, sizeof rss, sum->known[FIELD_RSS_KB],
				 false, false);
		units_format_kib(rate, sizeof rate,
				 ev->points > 0 ? ev->slope : NAN, false, true);
		snprintf(last, sizeof last, "-");
		if (!isnan(dg->last_wall_s)) /* the time of day */
			csv_format_time(last, sizeof last, dg->last_wall_s);
		fprintf(fp, "%-11s %-11s %9s %9s %10s %-12s %.8s\n",
			dg->conf.name, pids[0] ? pids : "-", uss, rss, rate,
			verdict_name(ev->verdict),
			isnan(dg->last_wall_s) ? last : last + 11);
	}
	for (i = 0; i < d->ngroups; i++) {
		const struct daemon_group *dg = d->groups[i];

		units_escape_text(safe, sizeof safe, dg->sentence);
		fprintf(fp, "%s: %s\n", dg->conf.name, safe);
	}
}

/* state_dir/NAME, rewritten whole (a temporary file renamed). */
static int
daemon_status_file(const struct daemon *d, const char *name,
		   void (*write)(const struct daemon *, FILE *),
		   struct error *err)
{
	char path[4200], tmp[4300];
	FILE *fp;
	int code;

	snprintf(path, sizeof path, "%s/%s", d->conf.state_dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL)
		return error_set(err, errno, "cannot write %s: %s", tmp,
				 strerror(errno));
	write(d, fp);
	code = fflush(fp) != 0 || ferror(fp) ? (errno ? errno : EIO) : 0;
	if (fclose(fp) != 0 && code == 0)
		code = errno ? errno : EIO;
	if (code != 0) {
		unlink(tmp);
		return error_set(err, code, "cannot write %s: %s", tmp,
				 strerror(code));
	}
	if (rename(tmp, path) < 0)
		return error_set(err, errno, "cannot rename %s: %s", tmp,
				 strerror(errno));
	return 0;
}

/* status.json and status.txt; a failure is told once (memtrend status
 * would show stale state), and again once it has recovered. */
static void
daemon_status(struct daemon *d)
{
	struct error err;
	bool failed =
	    daemon_status_file(d, "status.json", daemon_status_json, &err) <
		0 ||
	    daemon_status_file(d, "status.txt", daemon_status_text, &err) < 0;

	if (failed && !d->noted_status)
		term_notice("%s; memtrend status shows the last state written",
			    err.msg);
	else if (!failed && d->noted_status)
		term_notice("status files written again in %s",
			    d->conf.state_dir);
	d->noted_status = failed;
}

/* ---- metrics and alerts ------------------------------------------------ */

/* The hours until the judged metric meets its limit (the cgroup's, else
 * the memory available), or NAN. */
static double
daemon_hours_left(const struct verdict *v)
{
	double h = verdict_hours_to_limit(v), m = verdict_hours_to_mem(v);

	if (isnan(h) || (!isnan(m) && m < h))
		h = m;
	return h;
}

/* A group's state to the alerter, which acts on transitions only. */
static void
daemon_alert(struct daemon *d, struct daemon_group *dg)
{
	const struct verdict *v = &dg->g.sum->verdict;
	const struct trend_evidence *ev = verdict_evidence(v);
	int pid;
	struct alert_state st = {
	    .target = dg->conf.name,
	    .present = daemon_group_pids(d, dg, NULL, 0, &pid) > 0,
	    .verdict = verdict_name(ev->verdict),
	    .sentence = dg->sentence,
	    .slope_kb_per_hour = ev->points > 0 ? ev->slope : NAN,
	    .hours_to_limit = daemon_hours_left(v),
	};

	if (d->out.alerter == NULL)
		return;
	st.pid = pid;
	alert_feed(d->out.alerter, &st, ticker_clock_s(CLOCK_MONOTONIC));
}

static int
daemon_out_alerts_open(struct daemon *d, struct error *err)
{
	struct alert_config ac = {
	    .command = d->conf.alert_command,
	    .min_interval_s = d->conf.alert_min_interval_ns != 0
				  ? (double)d->conf.alert_min_interval_ns / 1e9
				  : ALERT_MIN_INTERVAL_S,
	    .timeout_s = ALERT_TIMEOUT_S,
	    .hours_threshold = ALERT_HOURS_THRESHOLD,
	    .log_fd = STDERR_FILENO,
	};

	return alert_open(&d->out.alerter, &ac, err);
}

static int
daemon_out_server_open(struct daemon *d, struct error *err)
{
	if (d->conf.listen == NULL)
		return 0;
	if ((d->out.srv = metrics_listen(d->conf.listen, err)) == NULL)
		return -1;
	term_notice("metrics on http://%s/metrics", d->conf.listen);
	return 0;
}

static int
daemon_out_open(struct daemon *d, struct error *err)
{
	if (daemon_out_alerts_open(d, err) < 0)
		return -1;
	return daemon_out_server_open(d, err);
}

/* On stop: the server closed, the textfile removed (node_exporter would
 * go on exporting its last values, a growing verdict among them). */
static void
daemon_out_close(struct daemon *d)
{
	metrics_close(d->out.srv);
	alert_close(d->out.alerter);
	if (d->conf.textfile != NULL)
		unlink(d->conf.textfile);
	free(d->out.procs);
	free(d->out.regions);
	free(d->out.targets);
	memset(&d->out, 0, sizeof d->out);
}

/* SIGHUP with next read: what changed of the server, the textfile and
 * the alerts is reopened (before d->conf, which the old names point
 * into, is freed); the loop-wide settings need a restart. */
static void
daemon_out_reload(struct daemon *d, const struct daemon_conf *next)
{
	struct error err;

	if (!daemon_same(next->listen, d->conf.listen) || d->out.srv == NULL) {
		metrics_close(d->out.srv);
		d->out.srv = NULL;
		if (next->listen != NULL &&
		    (d->out.srv = metrics_listen(next->listen, &err)) == NULL)
			term_notice("SIGHUP: %s; no metrics server until the "
				    "config is fixed",
				    err.msg);
	}
	if (!daemon_same(next->textfile, d->conf.textfile) &&
	    d->conf.textfile != NULL)
		unlink(d->conf.textfile);
	if (!daemon_same(next->alert_command, d->conf.alert_command) ||
	    next->alert_min_interval_ns != d->conf.alert_min_interval_ns) {
		alert_close(d->out.alerter);
		d->out.alerter = NULL;
		term_notice("SIGHUP: alert settings changed: each target's "
			    "state is told to the new settings afresh");
	}
	if (daemon_base_tick(next) != d->o.interval_ns ||
	    next->budget != d->conf.budget ||
	    next->estimate != d->conf.estimate)
		term_notice("SIGHUP: every, budget and estimate change only on "
			    "a restart; keeping the running ones");
}

/* A member's region sizes (USS, else RSS) as metrics rows. */
static void
daemon_out_regions(struct daemon_out *o, size_t *n, const char *target,
		   const struct watch_member *m)
{
	size_t i;

	for (i = 0; i < m->regions.n; i++) {
		const struct regtrack_entry *e = &m->regions.v[i];
		double kb = isnan(e->last[RF_USS_KB]) ? e->last[RF_RSS_KB]
						      : e->last[RF_USS_KB];

		if (!e->present || isnan(kb))
			continue;
		if (*n == o->regions_cap)
			o->regions = xreallocarray(o->regions,
						   o->regions_cap =
						       o->regions_cap * 2 + 16,
						   sizeof *o->regions);
		o->regions[(*n)++] = (struct metrics_region){
		    target, (int)m->t.pid, e->name, kb * 1024};
	}
}

/* One target's row: its verdict on the sum, rates in bytes a second. */
static void
daemon_out_target(struct metrics_target *t, const struct daemon_group *dg)
{
	const struct trend_evidence *ev = verdict_evidence(&dg->g.sum->verdict);
	bool fit = ev->points > 0 && isfinite(ev->slope);

	*t = (struct metrics_target){
	    .target = dg->conf.name,
	    .verdict_state = verdict_name(ev->verdict),
	    .growth_bps = fit ? ev->slope * 1024 / 3600 : NAN,
	    .growth_lo_bps = fit ? ev->slope_lo * 1024 / 3600 : NAN,
	    .growth_hi_bps = fit ? ev->slope_hi * 1024 / 3600 : NAN,
	    .hours_to_exhaustion = daemon_hours_left(&dg->g.sum->verdict),
	    .restarts_total = dg->g.restarts,
	    .up = (int)dg->g.live,
	};
}

/* The daemon's own cost: CPU spent by the tiers, against the budget. */
static void
daemon_out_self(const struct daemon *d, struct metrics_self *self)
{
	const struct tiers *sc = &d->res.tiers;
	struct rusage ru;
	int i;

	memset(self, 0, sizeof *self);
	for (i = 0; i < TIER_COUNT; i++) {
		self->sample_seconds_total += sc->t[i].total_s;
		if (i == TIER_STAT)
			self->samples_total = sc->t[i].runs;
	}
	self->budget_fraction = d->conf.budget;
	self->budget_used_fraction =
	    d->res.elapsed_s > 0 ? self->sample_seconds_total / d->res.elapsed_s
				 : 0;
	self->overruns_total = (unsigned long)d->res.overruns;
	/* The peak: getrusage(2) gives no current size, and it is the
	 * figure a limit on the daemon would meet. */
	self->rss_bytes = getrusage(RUSAGE_SELF, &ru) == 0
			      ? (double)ru.ru_maxrss * 1024
			      : NAN;
}

/* Renders what the daemon knows after a step for /metrics and the
 * textfile (nothing when neither is configured). */
static void
daemon_metrics(struct daemon *d)
{
	struct daemon_out *o = &d->out;
	struct metrics_snapshot snap = {0};
	size_t i, k, np = 0, nr = 0;
	struct error err;
	char *text = NULL;
	size_t len = 0;

	if (o->srv == NULL && d->conf.textfile == NULL)
		return;
	if (o->targets_cap < d->ngroups)
		o->targets =
		    xreallocarray(o->targets, o->targets_cap = d->ngroups,
				  sizeof *o->targets);
	for (i = 0; i < d->ngroups; i++)
		daemon_out_target(&o->targets[i], d->groups[i]);
	for (k = 0; k < d->res.nmembers; k++) {
		const struct watch_member *m = d->res.members[k];

		for (i = 0; i < d->ngroups; i++)
			if (m->g == &d->groups[i]->g)
				break;
		if (i == d->ngroups || m == m->g->sum || !isnan(m->left_s))
			continue;
		if (np == o->procs_cap)
			o->procs = xreallocarray(
			    o->procs, o->procs_cap = o->procs_cap * 2 + 16,
			    sizeof *o->procs);
		o->procs[np++] = (struct metrics_proc){
		    d->groups[i]->conf.name,
		    (int)m->t.pid,
		    (unsigned)(m->g->instance ? m->g->instance : 1),
		    m->known[FIELD_RSS_KB] * 1024,
		    m->known[FIELD_PSS_KB] * 1024,
		    m->known[FIELD_USS_KB] * 1024,
		};
		if (d->groups[i]->conf.regions)
			daemon_out_regions(o, &nr, d->groups[i]->conf.name, m);
	}
	snap.procs = o->procs;
	snap.nprocs = np;
	snap.regions = o->regions;
	snap.nregions = nr;
	snap.targets = o->targets;
	snap.ntargets = d->ngroups;
	daemon_out_self(d, &snap.self);
	snap.timestamp_s = ticker_clock_s(CLOCK_REALTIME);
	if (metrics_render(&snap, &text, &len, &err) < 0) {
		term_notice("metrics: %s", err.msg);
		return;
	}
	if (o->srv != NULL)
		metrics_publish(o->srv, text, len);
	if (d->conf.textfile != NULL &&
	    metrics_write_textfile(d->conf.textfile, text, len, &err) < 0) {
		if (!o->noted_textfile)
			term_notice("textfile: %s", err.msg);
		o->noted_textfile = true;
	} else {
		o->noted_textfile = false;
	}
	free(text);
}

/* After each tick, what happened to a group that sampled. */
static void
daemon_group_tick(struct daemon *d, struct daemon_group *dg)
{
	struct watch_group *g = &dg->g;
	struct error err;
	double now = ticker_clock_s(CLOCK_REALTIME);

	if (g->scan_rc < 0 && !dg->noted_scan)
		term_notice("target %s: %s", dg->conf.name, g->scan_error.msg);
	dg->noted_scan = g->scan_rc < 0;
	if (g->live == 0 && !dg->noted_empty)
		term_notice("target %s: no process matches it yet; watching "
			    "for one",
			    dg->conf.name);
	dg->noted_empty = g->live == 0;
	if (g->live > 0)
		dg->last_wall_s = now;
	if (g->write_rc < 0 && !dg->noted_write)
		term_notice("target %s: %s; sampling goes on, writing resumes "
			    "when there is room",
			    dg->conf.name, g->write_error.msg);
	else if (g->write_rc == 0 && dg->noted_write)
		term_notice("target %s: writing again", dg->conf.name);
	dg->noted_write = g->write_rc < 0;
	if (daemon_store_rotate(&dg->st, now, d->conf.rotate_size,
				d->conf.keep_ns, d->conf.keep_size, &err) < 0)
		term_notice("target %s: rotating: %s", dg->conf.name, err.msg);
	g->csv = dg->st.csv;
	g->regions_csv = dg->st.regions_csv;
	verdict_sentence(&g->sum->verdict, dg->sentence, sizeof dg->sentence);
	daemon_alert(d, dg);
}

static int
daemon_run(struct daemon *d, const char *path)
{
	struct error err;
	size_t i;
	int sig, rc = 0;

	if (daemon_out_open(d, &err) < 0) {
		daemon_out_close(d);
		return cmd_fail(&err);
	}
	d->w = watch_begin(&d->o, &d->res);
	if (d->w == NULL) {
		daemon_out_close(d);
		return cmd_fail(&d->res.why);
	}
	daemon_apply(d);
	term_notice("watching %zu targets, state in %s", d->ngroups,
		    d->conf.state_dir);
	daemon_notify(d, "READY=1");
	for (;;) {
		if (watch_step(d->w) < 0) {
			term_notice("%s", d->res.why.msg);
			rc = CMD_EXIT_ERROR;
			break;
		}
		for (i = 0; i < d->ngroups; i++)
			if (d->groups[i]->g.ticked)
				daemon_group_tick(d, d->groups[i]);
		daemon_status(d);
		daemon_metrics(d);
		if (d->out.alerter != NULL)
			alert_poll(d->out.alerter,
				   ticker_clock_s(CLOCK_MONOTONIC));
		if (notify_watchdog())
			daemon_notify(d, "WATCHDOG=1");
		if (watch_wait(d->w))
			continue;
		sig = stop_signal();
		if (sig != SIGHUP)
			break;
		daemon_notify(d, "RELOADING=1");
		daemon_reload(d, path);
		stop_install();
		daemon_notify(d, "READY=1");
	}
	daemon_notify(d, "STOPPING=1");
	while (d->ngroups > 0)
		daemon_group_remove(d, d->ngroups - 1);
	watch_end_run(d->w);
	daemon_out_close(d);
	watch_result_free(&d->res);
	free(d->groups);
	term_notice("stopped");
	return rc;
}

/* The loop's base tick: the shortest every of the config. */
static uint64_t
daemon_base_tick(const struct daemon_conf *c)
{
	uint64_t base = c->every_ns;
	size_t i;

	for (i = 0; i < c->ntargets; i++)
		if (c->targets[i].every_ns != 0 &&
		    c->targets[i].every_ns < base)
			base = c->targets[i].every_ns;
	return base;
}

/* daemon's arguments, or with json set status's (which takes --json). */
static int
cmd_daemon_args(int argc, char **argv, const char **config, bool *help,
		bool *json)
{
	struct error err;
	int opt;

	*config = DAEMON_CONFIG;
	*help = false;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, json != NULL ? "c:hj" : "c:h",
				  json != NULL ? cmd_status_options
					       : cmd_daemon_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'c':
			*config = optarg;
			break;
		case 'j':
			*json = true;
			break;
		case 'h':
			*help = true;
			return 0;
		default:
			error_set(&err, EINVAL, "unknown option '%s'",
				  argv[optind - 1]);
			return cmd_usage_error(argv[0], &err);
		}
	}
	if (optind < argc) {
		error_set(&err, EINVAL, "unexpected argument '%s'",
			  argv[optind]);
		return cmd_usage_error(argv[0], &err);
	}
	return 0;
}

/* The arguments and the config; returns -1 to go on, else the exit
 * status (--help, a bad argument or config). */
static int
cmd_daemon_start(int argc, char **argv, struct daemon_conf *conf, bool *json)
{
	const char *config;
	struct error err;
	bool help;
	int rc;

	memset(conf, 0, sizeof *conf);
	if ((rc = cmd_daemon_args(argc, argv, &config, &help, json)) != 0)
		return rc;
	if (help) {
		cmd_daemon_usage(stdout);
		return 0;
	}
	if (daemon_conf_read(config, conf, &err) < 0) {
		daemon_conf_free(conf);
		return cmd_fail(&err);
	}
	return -1;
}

static int
cmd_daemon_run(int argc, char **argv)
{
	struct daemon d;
	struct error err;
	char *config;
	size_t i;
	int rc;

	memset(&d, 0, sizeof d);
	d.lock_fd = -1;
	if ((rc = cmd_daemon_start(argc, argv, &d.conf, NULL)) >= 0)
		return rc;
	if (daemon_lock(&d, &err) < 0) {
		daemon_conf_free(&d.conf);
		return cmd_fail(&err);
	}
	d.o.interval_ns = daemon_base_tick(&d.conf);
	d.o.budget = d.conf.budget;
	d.o.estimate = d.conf.estimate;
	d.o.conf_keys = true;
	d.o.metric = VERDICT_AUTO;
	d.o.daily_cycle = true;
	d.o.group = REGION_GROUP_KIND;
	for (i = 0; i < d.conf.ntargets; i++)
		d.o.regions = d.o.regions || d.conf.targets[i].regions;
	config = xstrdup(d.conf.path); /* a reload replaces d.conf */
	rc = daemon_run(&d, config);
	free(config);
	daemon_conf_free(&d.conf);
	close(d.lock_fd);
	return rc;
}

/* ---- memtrend status -------------------------------------------------- */

static int
cmd_status_run(int argc, char **argv)
{
	struct daemon_conf conf;
	const char *dir;
	char path[4200], buf[4096];
	struct error err;
	bool json = false;
	size_t n;
	FILE *fp;
	int rc;

	if ((rc = cmd_daemon_start(argc, argv, &conf, &json)) >= 0)
		return rc;
	dir = conf.state_dir;
	snprintf(path, sizeof path, "%s/%s", dir,
		 json ? "status.json" : "status.txt");
	fp = fopen(path, "r");
	if (fp == NULL) {
		error_set(&err, errno,
			  "no daemon state in %s: %s (is memtrend daemon "
			  "running with this config?)",
			  path, strerror(errno));
		daemon_conf_free(&conf);
		return cmd_fail(&err);
	}
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(fp);
	daemon_conf_free(&conf);
	return 0;
}

const struct cmd_entry cmd_daemon_entry = {
    .name = "daemon",
    .word = true,
    .options = cmd_daemon_options,
    .usage = cmd_daemon_usage,
    .run = cmd_daemon_run,
};

const struct cmd_entry cmd_status_entry = {
    .name = "status",
    .word = true,
    .options = cmd_status_options,
    .usage = cmd_daemon_usage,
    .run = cmd_status_run,
};
