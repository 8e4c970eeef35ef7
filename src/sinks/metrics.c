/*
 * The Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): each
 * family's HELP and TYPE lines, then its samples together.  A label value
 * is between double quotes with backslash, double quote and newline
 * escaped (\\, \", \n); it must be UTF-8, so a byte that is not becomes
 * U+FFFD.  No sample carries a timestamp: node_exporter's textfile
 * collector refuses them, and the scrape time is the right one for live
 * values (the last sample's time is a gauge of its own).
 *
 * Names follow Prometheus' conventions as `promtool check metrics` lints
 * them: base units (bytes, seconds) last, counters ending in _total.  So
 * the time left before memory runs out is seconds, and the growth rate's
 * interval bounds are families of their own rather than a label of the
 * rate, so that summing or alerting on the rate never mixes them in.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/trend.h"
#include "analysis/verdict.h"
#include "sinks/csv.h"
#include "sinks/metrics.h"
#include "util/units.h"
#include "util/xmalloc.h"

struct metrics_family {
	const char *name, *type, *help;
};

static void
metrics_head(struct csv_buf *b, const char *name, const char *type,
	     const char *help)
{
	csv_buf_add(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A value as the shortest of %.15g and %.17g that reads back the same. */
static void
metrics_value(struct csv_buf *b, double v)
{
	char text[40];

	if (isinf(v)) {
		csv_buf_add(b, " %s\n", v > 0 ? "+Inf" : "-Inf");
		return;
	}
	snprintf(text, sizeof text, "%.15g", v);
	if (strtod(text, NULL) != v)
		snprintf(text, sizeof text, "%.17g", v);
	csv_buf_add(b, " %s\n", text);
}

/* name="value", value escaped, after a ',' unless first. */
static void
metrics_label(struct csv_buf *b, const char *name, const char *value, int first)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t n;

	csv_buf_add(b, "%s%s=\"", first ? "" : ",", name);
	while (*p != '\0') {
		/* a run of ASCII that needs no escape, in one go */
		for (n = 0; p[n] != '\0' && p[n] < 0x80 && p[n] != '\\' &&
			    p[n] != '"' && p[n] != '\n';
		     n++)
			;
		if (n > 0) {
			csv_buf_add(b, "%.*s", (int)n, (const char *)p);
			p += n;
		} else if (*p == '\\' || *p == '"') {
			csv_buf_add(b, "\\%c", *p);
			p++;
		} else if (*p == '\n') {
			csv_buf_add(b, "\\n");
			p++;
		} else if ((n = units_utf8_len(p)) > 0) {
			csv_buf_add(b, "%.*s", (int)n, (const char *)p);
			p += n;
		} else {
			csv_buf_add(b, "\xef\xbf\xbd"); /* U+FFFD */
			p++;
		}
	}
	csv_buf_add(b, "\"");
}

static void
metrics_target_label(struct csv_buf *b, const char *family, const char *target)
{
	csv_buf_add(b, "%s{", family);
	metrics_label(b, "target", target, 1);
}

static void
metrics_pid_label(struct csv_buf *b, int pid)
{
	char text[16];

	snprintf(text, sizeof text, "%d", pid);
	metrics_label(b, "pid", text, 0);
}

/* Which of a process's sizes a family shows. */
enum metrics_size { METRICS_RSS, METRICS_PSS, METRICS_USS };

static double
metrics_proc_size(const struct metrics_proc *p, enum metrics_size which)
{
	switch (which) {
	case METRICS_RSS:
		return p->rss_bytes;
	case METRICS_PSS:
		return p->pss_bytes;
	case METRICS_USS:
		break;
	}
	return p->uss_bytes;
}

static void
metrics_procs(struct csv_buf *b, const struct metrics_snapshot *s,
	      const struct metrics_family *f, enum metrics_size which)
{
	char instance[16];
	double v;
	size_t i;

	metrics_head(b, f->name, f->type, f->help);
	for (i = 0; i < s->nprocs; i++) {
		v = metrics_proc_size(&s->procs[i], which);
		if (isnan(v))
			continue;
		metrics_target_label(b, f->name, s->procs[i].target);
		metrics_pid_label(b, s->procs[i].pid);
		snprintf(instance, sizeof instance, "%u", s->procs[i].instance);
		metrics_label(b, "process_instance", instance, 0);
		csv_buf_add(b, "}");
		metrics_value(b, v);
	}
}

static void
metrics_regions(struct csv_buf *b, const struct metrics_snapshot *s)
{
	const char *name = "memtrend_region_bytes";
	size_t i;

	metrics_head(b, name, "gauge",
		     "Resident bytes of one memory region of a process "
		     "(memtrend's region names).");
	for (i = 0; i < s->nregions; i++) {
		if (isnan(s->regions[i].bytes))
			continue;
		metrics_target_label(b, name, s->regions[i].target);
		metrics_pid_label(b, s->regions[i].pid);
		metrics_label(b, "region", s->regions[i].region, 0);
		csv_buf_add(b, "}");
		metrics_value(b, s->regions[i].bytes);
	}
}

/* A per-target value: the growth rate, its bounds, the time left. */
enum metrics_per_target {
	METRICS_GROWTH,
	METRICS_GROWTH_LO,
	METRICS_GROWTH_HI,
	METRICS_EXHAUSTION,
	METRICS_RESTARTS,
	METRICS_UP,
};

static double
metrics_target_value(const struct metrics_target *t,
		     enum metrics_per_target which)
{
	switch (which) {
	case METRICS_GROWTH:
		return t->growth_bps;
	case METRICS_GROWTH_LO:
		return t->growth_lo_bps;
	case METRICS_GROWTH_HI:
		return t->growth_hi_bps;
	case METRICS_EXHAUSTION:
		return t->hours_to_exhaustion * 3600;
	case METRICS_RESTARTS:
		return (double)t->restarts_total;
	case METRICS_UP:
		break;
	}
	return t->up;
}

static void
metrics_targets(struct csv_buf *b, const struct metrics_snapshot *s,
		const struct metrics_family *f, enum metrics_per_target which)
{
	double v;
	size_t i;

	metrics_head(b, f->name, f->type, f->help);
	for (i = 0; i < s->ntargets; i++) {
		v = metrics_target_value(&s->targets[i], which);
		if (isnan(v))
			continue;
		metrics_target_label(b, f->name, s->targets[i].target);
		csv_buf_add(b, "}");
		metrics_value(b, v);
	}
}

static void
metrics_verdict_line(struct csv_buf *b, const char *target, const char *state,
		     int on)
{
	metrics_target_label(b, "memtrend_verdict", target);
	metrics_label(b, "state", state, 0);
	csv_buf_add(b, "} %d\n", on);
}

/* A state set: every verdict state listed, the target's one at 1. */
static void
metrics_verdicts(struct csv_buf *b, const struct metrics_snapshot *s)
{
	static const enum trend_verdict all[] = {TREND_INSUFFICIENT,
						 TREND_STABLE, TREND_GROWING};
	const struct metrics_target *t;
	const char *name;
	size_t i, k;
	int on, known;

	metrics_head(b, "memtrend_verdict", "gauge",
		     "The target's leak verdict: 1 for its state, 0 for the "
		     "others.");
	for (i = 0; i < s->ntargets; i++) {
		t = &s->targets[i];
		known = 0;
		for (k = 0; k < sizeof all / sizeof all[0]; k++) {
			name = verdict_name(all[k]);
			on = t->verdict_state != NULL &&
			     strcmp(name, t->verdict_state) == 0;
			known |= on;
			metrics_verdict_line(b, t->target, name, on);
		}
		if (!known && t->verdict_state != NULL)
			metrics_verdict_line(b, t->target, t->verdict_state, 1);
	}
}

static void
metrics_self_value(struct csv_buf *b, const struct metrics_family *f, double v)
{
	metrics_head(b, f->name, f->type, f->help);
	if (isnan(v))
		return;
	csv_buf_add(b, "%s", f->name);
	metrics_value(b, v);
}

static const struct metrics_family metrics_sizes[] = {
    [METRICS_RSS] = {"memtrend_rss_bytes", "gauge",
		     "Resident set size of a watched process."},
    [METRICS_PSS] = {"memtrend_pss_bytes", "gauge",
		     "Proportional set size of a watched process (shared "
		     "pages divided among their users)."},
    [METRICS_USS] = {"memtrend_uss_bytes", "gauge",
		     "Unique set size of a watched process (its private "
		     "pages): what it would free on exit."},
};

static const struct metrics_family metrics_per_target[] = {
    [METRICS_GROWTH] = {"memtrend_growth_bytes_per_second", "gauge",
			"The target's memory growth rate (Theil-Sen slope of "
			"its floor)."},
    [METRICS_GROWTH_LO] = {"memtrend_growth_lower_bytes_per_second", "gauge",
			   "Lower bound of the growth rate's 95% confidence "
			   "interval."},
    [METRICS_GROWTH_HI] = {"memtrend_growth_upper_bytes_per_second", "gauge",
			   "Upper bound of the growth rate's 95% confidence "
			   "interval."},
    [METRICS_EXHAUSTION] = {"memtrend_time_to_exhaustion_seconds", "gauge",
			    "Time until the target's growth would exhaust "
			    "its memory limit, at the current rate."},
    [METRICS_RESTARTS] = {"memtrend_restarts_total", "counter",
			  "Restarts of the target seen by the daemon (a new "
			  "process matched after the last exited)."},
    [METRICS_UP] = {"memtrend_target_up", "gauge",
		    "Processes the target matches now (0: none running)."},
};

static const struct metrics_family metrics_daemon[] = {
    {"memtrend_sample_seconds_total", "counter",
     "CPU time the daemon spent sampling."},
    {"memtrend_samples_total", "counter", "Samples the daemon took."},
    {"memtrend_overruns_total", "counter",
     "Ticks that started late because sampling overran its interval or "
     "budget."},
    {"memtrend_budget_ratio", "gauge",
     "The CPU budget the daemon may use, as a fraction of one core."},
    {"memtrend_budget_used_ratio", "gauge",
     "The CPU the daemon used, as a fraction of one core."},
    {"memtrend_resident_bytes", "gauge",
     "Resident set size of the daemon itself."},
    {"memtrend_last_sample_timestamp_seconds", "gauge",
     "When the last sample was taken, in seconds since the epoch."},
};

int
metrics_render(const struct metrics_snapshot *s, char **text, size_t *len,
	       struct error *err)
{
	const struct metrics_self *m = &s->self;
	const double self[] = {m->sample_seconds_total,
			       (double)m->samples_total,
			       (double)m->overruns_total,
			       m->budget_fraction,
			       m->budget_used_fraction,
			       m->rss_bytes,
			       s->timestamp_s};
	struct csv_buf b = {NULL, 0, 0};
	size_t i;

	(void)err;
	for (i = 0; i < sizeof metrics_sizes / sizeof metrics_sizes[0]; i++)
		metrics_procs(&b, s, &metrics_sizes[i], (enum metrics_size)i);
	metrics_regions(&b, s);
	for (i = 0;
	     i < sizeof metrics_per_target / sizeof metrics_per_target[0]; i++)
		metrics_targets(&b, s, &metrics_per_target[i],
				(enum metrics_per_target)i);
	metrics_verdicts(&b, s);
	for (i = 0; i < sizeof metrics_daemon / sizeof metrics_daemon[0]; i++)
		metrics_self_value(&b, &metrics_daemon[i], self[i]);
	*text = b.text;
	*len = b.len;
	return 0;
}

static int
metrics_write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int
metrics_write_textfile(const char *path, const char *text, size_t len,
		       struct error *err)
{
	char *tmp;
	int fd, rc;

	xasprintf(&tmp, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		rc = error_set(err, errno,
			       "cannot write %s: %s (the textfile's directory "
			       "must exist and be writable by memtrend)",
			       tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	rc = metrics_write_all(fd, text, len);
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		rc = error_set(err, -rc,
			       "cannot write %s: %s (is its file system full "
			       "or read-only?)",
			       path, strerror(-rc));
	}
	free(tmp);
	return rc;
}
