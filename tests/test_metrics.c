/*
 * The Prometheus metrics (src/sinks/metrics.c, metrics-server.c): the
 * rendered text passes `promtool check metrics` with hostile target and
 * region names and carries the snapshot's numbers; the server answers
 * /metrics, / and 404 over a real socket; the textfile is replaced
 * atomically; the fleet files (contrib/) pass promtool and name only
 * metrics memtrend renders.
 */
#include "config.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sinks/metrics-server.h"
#include "sinks/metrics.h"
#include "testutil.h"
#include "util/xmalloc.h"

/* A target name with everything the format must escape, UTF-8, and a
 * byte that is not UTF-8. */
#define HOSTILE "we\"b\\x\ny \xc3\xa9\xff"
#define HOSTILE_LABEL "we\\\"b\\\\x\\ny \xc3\xa9\xef\xbf\xbd"

static const struct metrics_proc test_procs[] = {
    {"db", 42, 1, 300e6, 200e6, 104857600},
    {HOSTILE, 7, 3, 5e6, NAN, 4096},
};
static const struct metrics_region test_regions[] = {
    {"db", 42, "heap", 65536},
    {"db", 42, "[anon:\"x\"]\n\\", 8192},
};
static const struct metrics_target test_targets[] = {
    {"db", "growing", 3.25, 1.5, 5, 10, 2, 1},
    {HOSTILE, "stable", NAN, NAN, NAN, NAN, 0, 0},
    {"odd", "restart-growing", 0, 0, 0, NAN, 0, 2},
};

static char *
test_render(size_t *len)
{
	const struct metrics_snapshot s = {test_procs,
					   2,
					   test_regions,
					   2,
					   test_targets,
					   3,
					   {12.5, 0.02, 0.0031, 4, 1000, 9e6},
					   1798000000.25};
	struct error err;
	char *text;

	cr_assert_eq(metrics_render(&s, &text, len, &err), 0);
	cr_assert_eq(strlen(text), *len);
	return text;
}

static void
test_has(const char *text, const char *line)
{
	cr_assert(strstr(text, line) != NULL, "no \"%s\" in:\n%s", line, text);
}

static bool
test_promtool_present(void)
{
	struct run r;
	char *const argv[] = {"/bin/sh", "-c", "command -v promtool", NULL};

	tu_run(&r, argv, 10);
	return r.status == 0;
}

/* `promtool ARGS...` over a file on its standard input (- for none). */
static void
test_promtool(struct run *r, const char *args, const char *stdin_path)
{
	char *script;

	if (!test_promtool_present())
		cr_skip_test("promtool is not installed (on Debian install "
			     "prometheus: scripts/setup does)");
	xasprintf(&script, "exec promtool %s %s 2>&1", args,
		  strcmp(stdin_path, "-") == 0 ? "" : "<\"$0\"");
	char *const argv[] = {"/bin/sh", "-c", script, (char *)stdin_path,
			      NULL};
	tu_run(r, argv, 60);
	free(script);
}

static char *
test_write_tmp(const char *name, const char *text, size_t len)
{
	char *path;
	FILE *fp;

	xasprintf(&path, "%s/%s", tu_tmpdir(), name);
	fp = fopen(path, "w");
	cr_assert(fp != NULL);
	cr_assert_eq(fwrite(text, 1, len, fp), len);
	fclose(fp);
	return path;
}

Test(metrics, hostile_names_pass_promtool, .fini = tu_tmp_cleanup)
{
	struct run r;
	size_t len;
	char *text = test_render(&len), *path;

	path = test_write_tmp("metrics.txt", text, len);
	test_promtool(&r, "check metrics", path);
	cr_assert_eq(r.status, 0, "promtool check metrics: %s\n%s", r.out,
		     text);
	free(path);
	free(text);
}

Test(metrics, labels_escaped)
{
	size_t len;
	char *text = test_render(&len);

	test_has(text, "memtrend_uss_bytes{target=\"" HOSTILE_LABEL
		       "\",pid=\"7\",process_instance=\"3\"} 4096\n");
	test_has(text, "memtrend_region_bytes{target=\"db\",pid=\"42\","
		       "region=\"[anon:\\\"x\\\"]\\n\\\\\"} 8192\n");
	/* Every line is a comment or a sample: no raw newline got out. */
	for (char *line = text; *line != '\0'; line = strchr(line, '\n') + 1)
		cr_assert(line[0] == '#' || strncmp(line, "memtrend_", 9) == 0,
			  "stray line: %.40s", line);
	free(text);
}

Test(metrics, numbers_of_the_snapshot)
{
	size_t len;
	char *text = test_render(&len);

	test_has(text, "memtrend_rss_bytes{target=\"db\",pid=\"42\","
		       "process_instance=\"1\"} 300000000\n");
	test_has(text, "memtrend_pss_bytes{target=\"db\",pid=\"42\","
		       "process_instance=\"1\"} 200000000\n");
	test_has(text, "memtrend_uss_bytes{target=\"db\",pid=\"42\","
		       "process_instance=\"1\"} 104857600\n");
	test_has(text, "memtrend_region_bytes{target=\"db\",pid=\"42\","
		       "region=\"heap\"} 65536\n");
	test_has(text,
		 "memtrend_growth_bytes_per_second{target=\"db\"} 3.25\n");
	test_has(text,
		 "memtrend_growth_lower_bytes_per_second{target=\"db\"} 1.5\n");
	test_has(text,
		 "memtrend_growth_upper_bytes_per_second{target=\"db\"} 5\n");
	test_has(text,
		 "memtrend_time_to_exhaustion_seconds{target=\"db\"} 36000\n");
	test_has(text, "memtrend_restarts_total{target=\"db\"} 2\n");
	test_has(text, "memtrend_target_up{target=\"db\"} 1\n");
	test_has(text, "memtrend_target_up{target=\"odd\"} 2\n");
	test_has(text, "memtrend_sample_seconds_total 12.5\n");
	test_has(text, "memtrend_samples_total 1000\n");
	test_has(text, "memtrend_overruns_total 4\n");
	test_has(text, "memtrend_budget_ratio 0.02\n");
	test_has(text, "memtrend_budget_used_ratio 0.0031\n");
	test_has(text, "memtrend_resident_bytes 9000000\n");
	test_has(text,
		 "memtrend_last_sample_timestamp_seconds 1798000000.25\n");
	free(text);
}

Test(metrics, unavailable_is_left_out_never_zero)
{
	size_t len;
	char *text = test_render(&len);

	cr_assert_null(
	    strstr(text, "memtrend_pss_bytes{target=\"" HOSTILE_LABEL));
	cr_assert_null(strstr(
	    text, "memtrend_growth_bytes_per_second{target=\"" HOSTILE_LABEL));
	cr_assert_null(strstr(
	    text,
	    "memtrend_time_to_exhaustion_seconds{target=\"" HOSTILE_LABEL));
	cr_assert_null(
	    strstr(text, "memtrend_time_to_exhaustion_seconds{target=\"odd\""));
	/* but a counter at 0 is a value */
	test_has(text,
		 "memtrend_restarts_total{target=\"" HOSTILE_LABEL "\"} 0\n");
	free(text);
}

Test(metrics, verdict_is_a_state_set)
{
	size_t len;
	char *text = test_render(&len);

	test_has(text, "memtrend_verdict{target=\"db\",state=\"growing\"} 1\n");
	test_has(text, "memtrend_verdict{target=\"db\",state=\"stable\"} 0\n");
	test_has(text,
		 "memtrend_verdict{target=\"db\",state=\"insufficient\"} 0\n");
	test_has(text, "memtrend_verdict{target=\"" HOSTILE_LABEL
		       "\",state=\"stable\"} 1\n");
	test_has(text, "memtrend_verdict{target=\"" HOSTILE_LABEL
		       "\",state=\"growing\"} 0\n");
	/* A state the renderer does not know is listed, at 1. */
	test_has(text,
		 "memtrend_verdict{target=\"odd\",state=\"growing\"} 0\n");
	test_has(text,
		 "memtrend_verdict{target=\"odd\",state=\"restart-growing\"} "
		 "1\n");
	free(text);
}

Test(metrics, help_and_type_for_every_family)
{
	static const char *const families[][2] = {
	    {"memtrend_rss_bytes", "gauge"},
	    {"memtrend_pss_bytes", "gauge"},
	    {"memtrend_uss_bytes", "gauge"},
	    {"memtrend_region_bytes", "gauge"},
	    {"memtrend_growth_bytes_per_second", "gauge"},
	    {"memtrend_growth_lower_bytes_per_second", "gauge"},
	    {"memtrend_growth_upper_bytes_per_second", "gauge"},
	    {"memtrend_verdict", "gauge"},
	    {"memtrend_time_to_exhaustion_seconds", "gauge"},
	    {"memtrend_restarts_total", "counter"},
	    {"memtrend_target_up", "gauge"},
	    {"memtrend_sample_seconds_total", "counter"},
	    {"memtrend_samples_total", "counter"},
	    {"memtrend_overruns_total", "counter"},
	    {"memtrend_budget_ratio", "gauge"},
	    {"memtrend_budget_used_ratio", "gauge"},
	    {"memtrend_resident_bytes", "gauge"},
	    {"memtrend_last_sample_timestamp_seconds", "gauge"},
	};
	char line[128];
	size_t len, i, n = 0;
	char *rendered = test_render(&len), *text, *p;

	xasprintf(&text, "\n%s", rendered); /* each line after a newline */
	free(rendered);
	for (i = 0; i < sizeof families / sizeof families[0]; i++) {
		snprintf(line, sizeof line, "\n# HELP %s ", families[i][0]);
		test_has(text, line);
		snprintf(line, sizeof line, "\n# TYPE %s %s\n", families[i][0],
			 families[i][1]);
		test_has(text, line);
	}
	for (p = text; (p = strstr(p, "# TYPE ")) != NULL; p++)
		n++;
	cr_assert_eq(n, sizeof families / sizeof families[0]);
	free(text);
}

/* ---- the server ---------------------------------------------------- */

struct reply {
	int status;
	char head[2048];
	char *body;
	size_t body_len;
};

/* GET path over HTTP/1.0 from 127.0.0.1:port, read to the close. */
static void
test_get(struct reply *r, unsigned port, const char *method, const char *path)
{
	struct sockaddr_in sin = {0};
	char req[256], *buf = NULL, *end;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0,
		     "connect to port %u: %s", port, strerror(errno));
	snprintf(req, sizeof req, "%s %s HTTP/1.0\r\nHost: test\r\n\r\n",
		 method, path);
	cr_assert_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	for (;;) {
		if (cap - len < 4096)
			buf = xreallocarray(buf, cap = cap * 2 + 8192, 1);
		n = read(fd, buf + len, cap - len - 1);
		cr_assert(n >= 0);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	end = strstr(buf, "\r\n\r\n");
	cr_assert(end != NULL, "no end of headers in: %s", buf);
	cr_assert_eq(sscanf(buf, "HTTP/1.%*d %d", &r->status), 1);
	snprintf(r->head, sizeof r->head, "%.*s", (int)(end - buf + 2), buf);
	r->body_len = len - (size_t)(end + 4 - buf);
	r->body = xmalloc(r->body_len + 1);
	memcpy(r->body, end + 4, r->body_len + 1);
	free(buf);
}

Test(metrics_server, serves_the_published_text)
{
	struct error err;
	struct metrics_server *srv = metrics_listen("127.0.0.1:0", &err);
	struct reply r;
	char want[128];
	size_t len;
	char *text = test_render(&len);

	cr_assert_not_null(srv, "%s", err.msg);
	cr_assert_gt(metrics_port(srv), 0);
	test_get(&r, metrics_port(srv), "GET", "/metrics");
	cr_assert_eq(r.status, 503, "before any sample: %d", r.status);
	free(r.body);

	metrics_publish(srv, text, len);
	test_get(&r, metrics_port(srv), "GET", "/metrics");
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.head, "\r\nContent-Type: " METRICS_CONTENT_TYPE
				 "\r\n") != NULL,
		  "headers: %s", r.head);
	snprintf(want, sizeof want, "\r\nContent-Length: %zu\r\n", len);
	cr_assert(strstr(r.head, want) != NULL, "headers: %s", r.head);
	cr_assert_eq(r.body_len, len);
	cr_assert_eq(memcmp(r.body, text, len), 0);
	free(r.body);

	/* A later publish replaces it. */
	metrics_publish(srv, "memtrend_samples_total 1\n", 25);
	test_get(&r, metrics_port(srv), "GET", "/metrics");
	cr_assert_str_eq(r.body, "memtrend_samples_total 1\n");
	free(r.body);
	metrics_close(srv);
	free(text);
}

Test(metrics_server, other_paths)
{
	struct error err;
	struct metrics_server *srv = metrics_listen("127.0.0.1:0", &err);
	struct reply r;

	cr_assert_not_null(srv, "%s", err.msg);
	metrics_publish(srv, "x 1\n", 4);
	test_get(&r, metrics_port(srv), "GET", "/nothing");
	cr_assert_eq(r.status, 404);
	free(r.body);
	test_get(&r, metrics_port(srv), "GET", "/metrics/x");
	cr_assert_eq(r.status, 404);
	free(r.body);
	test_get(&r, metrics_port(srv), "GET", "/");
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body, "<a href=\"/metrics\">") != NULL);
	free(r.body);
	test_get(&r, metrics_port(srv), "POST", "/metrics");
	cr_assert_eq(r.status, 405);
	free(r.body);
	metrics_close(srv);
}

Test(metrics_server, every_address_when_written)
{
	struct error err;
	struct metrics_server *srv = metrics_listen(":0", &err);
	struct reply r;

	cr_assert_not_null(srv, "%s", err.msg);
	metrics_publish(srv, "x 1\n", 4);
	test_get(&r, metrics_port(srv), "GET", "/metrics");
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(r.body, "x 1\n");
	free(r.body);
	metrics_close(srv);
}

Test(metrics_server, bad_addresses_refused)
{
	static const char *const bad[] = {"9945",	   "127.0.0.1",
					  "127.0.0.1:x",   "[::1:9945",
					  "1.2.3.4:70000", "127.0.0.1:"};
	struct error err;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err.msg[0] = '\0';
		cr_assert_null(metrics_listen(bad[i], &err), "%s", bad[i]);
		cr_assert(strstr(err.msg, "ADDRESS:PORT") != NULL, "%s: %s",
			  bad[i], err.msg);
	}
}

Test(metrics_server, port_in_use_says_so)
{
	struct error err;
	struct metrics_server *a = metrics_listen("127.0.0.1:0", &err), *b;
	char addr[64];

	cr_assert_not_null(a, "%s", err.msg);
	snprintf(addr, sizeof addr, "127.0.0.1:%u", metrics_port(a));
	b = metrics_listen(addr, &err);
	cr_assert_null(b);
	cr_assert(strstr(err.msg, addr) != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "in use") != NULL, "%s", err.msg);
	metrics_close(a);
}

/* ---- the textfile -------------------------------------------------- */

Test(metrics, textfile_replaced_whole, .fini = tu_tmp_cleanup)
{
	struct error err;
	struct stat before, after;
	size_t len, got;
	char *text = test_render(&len), *path, *tmp, *back;

	xasprintf(&path, "%s/memtrend.prom", tu_tmpdir());
	xasprintf(&tmp, "%s.tmp", path);
	cr_assert_eq(metrics_write_textfile(path, "old 1\n", 6, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(stat(path, &before), 0);
	cr_assert_eq(metrics_write_textfile(path, text, len, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(stat(path, &after), 0);
	/* A new file renamed over the old, never the old one rewritten. */
	cr_assert_neq(before.st_ino, after.st_ino);
	cr_assert_eq(access(tmp, F_OK), -1);
	back = tu_read_text(path, 1 << 20, &got);
	cr_assert_eq(got, len);
	cr_assert_eq(memcmp(back, text, len), 0);
	free(back);
	free(tmp);
	free(path);
	free(text);
}

Test(metrics, textfile_error_names_the_file, .fini = tu_tmp_cleanup)
{
	struct error err;
	char *path;

	xasprintf(&path, "%s/no/such/dir/memtrend.prom", tu_tmpdir());
	cr_assert_eq(metrics_write_textfile(path, "x 1\n", 4, &err), -ENOENT);
	cr_assert(strstr(err.msg, "memtrend.prom.tmp") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "directory") != NULL, "%s", err.msg);
	free(path);
}

/* ---- the fleet files ----------------------------------------------- */

static char *
test_contrib(const char *name)
{
	char *path;

	xasprintf(&path, "%s/../../contrib/%s", tu_fixtures(), name);
	return path;
}

Test(fleet, rules_pass_promtool)
{
	struct run r;
	char *rules = test_contrib("prometheus/memtrend.rules.yml");
	char *tests = test_contrib("prometheus/memtrend.rules.test.yml");
	char *args;

	xasprintf(&args, "check rules '%s'", rules);
	test_promtool(&r, args, "-");
	cr_assert_eq(r.status, 0, "promtool %s: %s", args, r.out);
	cr_assert(strstr(r.out, "SUCCESS: 2 rules found") != NULL, "%s", r.out);
	free(args);
	/* promtool test rules finds the rules beside the test file. */
	xasprintf(&args, "test rules '%s'", tests);
	test_promtool(&r, args, "-");
	cr_assert_eq(r.status, 0, "promtool %s: %s", args, r.out);
	cr_assert(strstr(r.out, "SUCCESS") != NULL, "%s", r.out);
	free(args);
	free(tests);
	free(rules);
}

Test(fleet, dashboard_is_json)
{
	struct run r;
	char *path = test_contrib("grafana/memtrend.json");
	char *const argv[] = {"/usr/bin/python3", "-m", "json.tool", path,
			      NULL};

	if (access(argv[0], X_OK) != 0)
		cr_skip_test("python3 is not installed: cannot check the "
			     "dashboard's JSON");
	tu_run(&r, argv, 60);
	cr_assert_eq(r.status, 0, "%s: %s", path, r.err);
	cr_assert(strstr(r.out, "\"panels\"") != NULL);
	free(path);
}

/* Every memtrend_ metric the rules and the dashboard name is one the
 * renderer writes (a rename caught here, not on a silent dashboard). */
Test(fleet, names_only_rendered_metrics)
{
	static const char *const files[] = {
	    "prometheus/memtrend.rules.yml",
	    "prometheus/memtrend.rules.test.yml", "grafana/memtrend.json"};
	char name[128], help[160], *path, *buf, *p;
	size_t len, flen, i, n, seen = 0;
	char *text = test_render(&len);

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		path = test_contrib(files[i]);
		buf = tu_read_text(path, 1 << 20, &flen);
		for (p = buf; (p = strstr(p, "memtrend_")) != NULL; p += n) {
			n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
			snprintf(name, sizeof name, "%.*s", (int)n, p);
			snprintf(help, sizeof help, "# HELP %s ", name);
			cr_assert(strstr(text, help) != NULL,
				  "%s names %s, which memtrend does not "
				  "render",
				  files[i], name);
			seen++;
		}
		free(buf);
		free(path);
	}
	cr_assert_gt(seen, 10);
	free(text);
}
