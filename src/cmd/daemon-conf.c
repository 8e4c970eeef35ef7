/*
 * The daemon's config reader (see daemon-conf.h).  inih splits the file
 * into section, key and value; each key is checked here as it comes.  The
 * reader wraps fgets(3) to count lines, since Debian's inih is built
 * without the line number in the handler.
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "cmd/daemon-conf.h"
#include "util/units.h"
#include "util/xmalloc.h"

struct daemon_conf_parse {
	struct daemon_conf *c;
	FILE *fp;
	unsigned int line;
	int rc; /* the first error's */
	struct error *err;
	struct daemon_target *cur; /* the [target] section being read */
	char section[128];
};

static char *
daemon_conf_reader(char *str, int num, void *stream)
{
	struct daemon_conf_parse *p = stream;
	char *r = fgets(str, num, p->fp);

	if (r != NULL)
		p->line++;
	return r;
}

static int daemon_conf_fail(struct daemon_conf_parse *p, const char *key,
			    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "FILE:LINE: key: what is wrong"; the first error is kept. */
static int
daemon_conf_fail(struct daemon_conf_parse *p, const char *key, const char *fmt,
		 ...)
{
	char what[512];
	va_list ap;

	if (p->rc == 0) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof what, fmt, ap);
		va_end(ap);
		p->rc = error_set(p->err, EINVAL, "%s:%u: %s: %s", p->c->path,
				  p->line, key, what);
	}
	return 0;
}

static void
daemon_conf_set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static int
daemon_conf_duration(struct daemon_conf_parse *p, const char *key,
		     const char *value, uint64_t *ns)
{
	struct error e;

	if (units_parse_duration(value, ns, &e) < 0 || *ns == 0)
		return daemon_conf_fail(p, key, "'%s' is not a duration (%s)",
					value, "like 10s, 5min, 1h");
	return 1;
}

static int
daemon_conf_size(struct daemon_conf_parse *p, const char *key,
		 const char *value, uint64_t *bytes)
{
	struct error e;

	if (units_parse_size(value, bytes, &e) < 0)
		return daemon_conf_fail(p, key, "'%s' is not a size (%s)",
					value, "like 64M, 1G");
	return 1;
}

static int
daemon_conf_daemon(struct daemon_conf_parse *p, const char *key,
		   const char *value)
{
	struct daemon_conf *c = p->c;
	uint64_t days;
	struct error e;

	if (strcmp(key, "state_dir") == 0)
		daemon_conf_set(&c->state_dir, value);
	else if (strcmp(key, "listen") == 0 && value[0] == '\0')
		return daemon_conf_fail(p, key,
					"empty (127.0.0.1:9945 listens on "
					"loopback; leave the key out for no "
					"server)");
	else if (strcmp(key, "listen") == 0)
		daemon_conf_set(&c->listen, value);
	else if (strcmp(key, "textfile") == 0)
		daemon_conf_set(&c->textfile, value);
	else if (strcmp(key, "alert_command") == 0) {
		/* Run with execve, no shell and no PATH search. */
		if (value[0] != '/')
			return daemon_conf_fail(p, key,
						"'%s' is not an absolute path "
						"(the command runs with no "
						"shell and no PATH search)",
						value);
		daemon_conf_set(&c->alert_command, value);
	} else if (strcmp(key, "alert_min_interval") == 0)
		return daemon_conf_duration(p, key, value,
					    &c->alert_min_interval_ns);
	else if (strcmp(key, "every") == 0)
		return daemon_conf_duration(p, key, value, &c->every_ns);
	else if (strcmp(key, "rotate_size") == 0)
		return daemon_conf_size(p, key, value, &c->rotate_size);
	else if (strcmp(key, "keep_size") == 0)
		return daemon_conf_size(p, key, value, &c->keep_size);
	else if (strcmp(key, "keep_days") == 0) {
		if (units_parse_count(value, &days, &e) < 0 || days > 3650)
			return daemon_conf_fail(p, key,
						"'%s' is not a count of days "
						"from 1 to 3650",
						value);
		c->keep_ns = days * 86400ULL * 1000000000ULL;
	} else if (strcmp(key, "budget") == 0) {
		if (units_parse_percent(value, &c->budget, &e) < 0)
			return daemon_conf_fail(p, key, "%s", e.msg);
	} else if (strcmp(key, "estimate") == 0) {
		if (strcmp(value, "auto") == 0)
			c->estimate = WATCH_ESTIMATE_AUTO;
		else if (strcmp(value, "yes") == 0)
			c->estimate = WATCH_ESTIMATE_ALWAYS;
		else if (strcmp(value, "no") == 0)
			c->estimate = WATCH_ESTIMATE_NEVER;
		else
			return daemon_conf_fail(
			    p, key, "'%s': use auto, yes or no", value);
	} else {
		return daemon_conf_fail(p, key,
					"unknown key in [daemon] (see "
					"memtrend.conf(5))");
	}
	return 1;
}

static struct daemon_target *
daemon_conf_target_new(struct daemon_conf_parse *p, const char *name)
{
	struct daemon_conf *c = p->c;
	struct daemon_target *t;
	size_t i;
	const char *q;

	for (q = name; *q != '\0'; q++)
		if (!(*q == '-' || *q == '_' || *q == '.' ||
		      (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') ||
		      (*q >= 'A' && *q <= 'Z')))
			break;
	if (*name == '\0' || *name == '.' || *q != '\0' ||
	    strlen(name) >= DAEMON_NAME_MAX) {
		daemon_conf_fail(p, "[target]",
				 "target name '%s': use letters, digits, '-', "
				 "'_' and '.' (not first), at most %d",
				 name, DAEMON_NAME_MAX - 1);
		return NULL;
	}
	for (i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i].name, name) == 0) {
			daemon_conf_fail(p, "[target]",
					 "target '%s' is defined twice", name);
			return NULL;
		}
	c->targets =
	    xreallocarray(c->targets, c->ntargets + 1, sizeof *c->targets);
	t = &c->targets[c->ntargets++];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	t->metric = VERDICT_AUTO;
	t->kind = TARGETS_ALL; /* none yet */
	t->line = p->line;
	return t;
}

static int
daemon_conf_selector(struct daemon_conf_parse *p, const char *key,
		     const char *value, enum targets_kind kind)
{
	struct daemon_target *t = p->cur;

	if (t->kind != TARGETS_ALL)
		return daemon_conf_fail(p, key,
					"target '%s' already has a unit, "
					"name, pattern, cgroup or pidfile: "
					"give one",
					t->name);
	if (*value == '\0')
		return daemon_conf_fail(p, key, "empty");
	t->kind = kind;
	daemon_conf_set(&t->value, value);
	return 1;
}

static int
daemon_conf_target(struct daemon_conf_parse *p, const char *key,
		   const char *value)
{
	struct daemon_target *t = p->cur;
	struct error e;
	char cg[4096];

	if (strcmp(key, "name") == 0)
		return daemon_conf_selector(p, key, value, TARGETS_NAME);
	if (strcmp(key, "pattern") == 0)
		return daemon_conf_selector(p, key, value, TARGETS_PATTERN);
	if (strcmp(key, "cgroup") == 0)
		return daemon_conf_selector(p, key, value, TARGETS_CGROUP);
	if (strcmp(key, "pidfile") == 0)
		return daemon_conf_selector(p, key, value, TARGETS_PIDFILE);
	if (strcmp(key, "unit") == 0) {
		if (strchr(value, '/') != NULL)
			return daemon_conf_fail(
			    p, key, "'%s' is not a unit name", value);
		targets_unit_cgroup(cg, sizeof cg, "/", value);
		if (daemon_conf_selector(p, key, cg, TARGETS_CGROUP) == 0)
			return 0;
		daemon_conf_set(&t->unit, value);
		return 1;
	}
	if (strcmp(key, "every") == 0)
		return daemon_conf_duration(p, key, value, &t->every_ns);
	if (strcmp(key, "metric") == 0) {
		if (verdict_parse_metric(value, &t->metric, &e) < 0)
			return daemon_conf_fail(p, key, "%s", e.msg);
		return 1;
	}
	if (strcmp(key, "regions") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return daemon_conf_fail(p, key, "'%s': use yes or no",
						value);
		t->regions = strcmp(value, "yes") == 0;
		return 1;
	}
	return daemon_conf_fail(p, key,
				"unknown key in [target %s] (see "
				"memtrend.conf(5))",
				t->name);
}

/* A value's " # comment" (inih strips only ';' ones). */
static void
daemon_conf_uncomment(char *v)
{
	char *h;
	size_t n;

	for (h = v; (h = strchr(h, '#')) != NULL; h++)
		if (h == v || h[-1] == ' ' || h[-1] == '\t') {
			*h = '\0';
			break;
		}
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
}

static int
daemon_conf_handler(void *user, const char *section, const char *name,
		    const char *value)
{
	struct daemon_conf_parse *p = user;
	char v[4096];

	if (p->rc != 0)
		return 1;
	snprintf(v, sizeof v, "%s", value);
	daemon_conf_uncomment(v);
	if (strcmp(section, p->section) != 0) {
		snprintf(p->section, sizeof p->section, "%s", section);
		p->cur = NULL;
		if (strncmp(section, "target ", 7) == 0)
			p->cur = daemon_conf_target_new(p, section + 7);
		else if (strcmp(section, "daemon") != 0)
			return daemon_conf_fail(p, name,
						"in unknown section [%s] (use "
						"[daemon] or [target NAME])",
						section);
		if (p->rc != 0)
			return 0;
	}
	if (p->cur != NULL)
		return daemon_conf_target(p, name, v);
	return daemon_conf_daemon(p, name, v);
}

/* What the file cannot say key by key: each target has a selector. */
static int
daemon_conf_check(struct daemon_conf *c, struct error *err)
{
	size_t i;

	for (i = 0; i < c->ntargets; i++)
		if (c->targets[i].kind == TARGETS_ALL)
			return error_set(err, EINVAL,
					 "%s:%u: [target %s]: no unit, name, "
					 "pattern, cgroup or pidfile (give "
					 "one)",
					 c->path, c->targets[i].line,
					 c->targets[i].name);
	if (c->ntargets == 0)
		return error_set(err, EINVAL,
				 "%s: no [target NAME] section (give at least "
				 "one target to watch)",
				 c->path);
	return 0;
}

int
daemon_conf_read(const char *path, struct daemon_conf *c, struct error *err)
{
	struct daemon_conf_parse p;
	int rc;

	memset(c, 0, sizeof *c);
	c->path = xstrdup(path);
	c->state_dir = xstrdup(DAEMON_STATE_DIR);
	c->budget = 0.02;
	c->estimate = WATCH_ESTIMATE_AUTO;
	c->every_ns = 10ULL * 1000000000ULL;
	c->rotate_size = 64ULL << 20;
	c->keep_ns = 30ULL * 86400ULL * 1000000000ULL;
	c->alert_min_interval_ns = 3600ULL * 1000000000ULL;
	memset(&p, 0, sizeof p);
	p.c = c;
	p.err = err;
	p.fp = fopen(path, "r");
	if (p.fp == NULL)
		return error_set(err, errno,
				 "cannot read config %s: %s (give one with "
				 "--config FILE)",
				 path, strerror(errno));
	rc = ini_parse_stream(daemon_conf_reader, &p, daemon_conf_handler, &p);
	fclose(p.fp);
	if (p.rc != 0)
		return p.rc;
	if (rc != 0)
		return error_set(err, EINVAL,
				 "%s:%d: not an INI line (want [section] or "
				 "key = value)",
				 path, rc);
	return daemon_conf_check(c, err);
}

void
daemon_conf_free(struct daemon_conf *c)
{
	size_t i;

	for (i = 0; i < c->ntargets; i++) {
		free(c->targets[i].value);
		free(c->targets[i].unit);
	}
	free(c->targets);
	free(c->path);
	free(c->state_dir);
	free(c->listen);
	free(c->textfile);
	free(c->alert_command);
	memset(c, 0, sizeof *c);
}

void
daemon_conf_spec(const struct daemon_target *t, struct targets_spec *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->kind = t->kind;
	sp->name = t->value;
	sp->pattern = t->value;
	sp->cgroup = t->value;
	sp->pidfile = t->value;
	sp->patient = true;
}
