/*
 * gnuplot as a child process (see gnuplot.h).  Parameters become gnuplot
 * assignments in one -e argument, before the template, which each
 * template documents at its top; strings are single-quoted (see
 * gnuplot_quote), so any text (a verdict, a region's path, a file name)
 * arrives as it is and is never expanded.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "charts/gnuplot.h"
#include "util/spawn.h"
#include "util/xmalloc.h"

#define GNUPLOT_STDERR 4096 /* the tail of gnuplot's messages kept */

static volatile sig_atomic_t gnuplot_signal;
static const int gnuplot_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define GNUPLOT_NSIGNALS (sizeof gnuplot_signals / sizeof gnuplot_signals[0])

struct gnuplot {
	char *prog;
	char *templates; /* searched first; NULL */
	char *dir;	 /* the temporary directory */
	char *params;	 /* "a=1;b=\"x\";" */
	char **paths;	 /* strings handed out, freed at the end */
	size_t npaths;
	struct sigaction old[GNUPLOT_NSIGNALS];
	bool handled[GNUPLOT_NSIGNALS];
};

static void
gnuplot_on_signal(int sig)
{
	gnuplot_signal = sig;
}

static const char *
gnuplot_keep(struct gnuplot *g, char *path)
{
	g->paths = xreallocarray(g->paths, g->npaths + 1, sizeof *g->paths);
	g->paths[g->npaths++] = path;
	return path;
}

static bool
gnuplot_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* name (with a slash: as it is; without: on $PATH) as an executable. */
static char *
gnuplot_search(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char *cand;

	if (strchr(name, '/') != NULL)
		return gnuplot_executable(name) ? xstrdup(name) : NULL;
	for (p = path != NULL ? path : ""; *p != '\0';
	     p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		xasprintf(&cand, "%.*s/%s", (int)(end - p), end > p ? p : ".",
			  name);
		if (gnuplot_executable(cand))
			return cand;
		free(cand);
	}
	return NULL;
}

int
gnuplot_find(char **path, struct error *err)
{
	const char *env = getenv("MEMTREND_GNUPLOT");

	if (env != NULL && *env != '\0') {
		if ((*path = gnuplot_search(env)) != NULL)
			return 0;
		return error_set(
		    err, ENOENT,
		    "gnuplot not found at "
		    "MEMTREND_GNUPLOT=%s: charts need gnuplot (on Debian: "
		    "apt-get install %s)",
		    env, GNUPLOT_PACKAGE);
	}
	if ((*path = gnuplot_search(GNUPLOT_PATH)) != NULL)
		return 0;
	if ((*path = gnuplot_search("gnuplot")) != NULL)
		return 0;
	return error_set(err, ENOENT,
			 "gnuplot not found: charts need it "
			 "(on Debian: apt-get install %s)",
			 GNUPLOT_PACKAGE);
}

static void
gnuplot_catch_signals(struct gnuplot *g)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = gnuplot_on_signal; /* no SA_RESTART: waits end */
	gnuplot_signal = 0;
	for (i = 0; i < GNUPLOT_NSIGNALS; i++) {
		if (sigaction(gnuplot_signals[i], NULL, &g->old[i]) != 0 ||
		    g->old[i].sa_handler == SIG_IGN)
			continue; /* ignored (nohup): stays ignored */
		g->handled[i] = sigaction(gnuplot_signals[i], &sa, NULL) == 0;
	}
}

int
gnuplot_open(struct gnuplot **out, const char *templates, struct error *err)
{
	const char *tmp = getenv("TMPDIR");
	struct gnuplot *g = xcalloc(1, sizeof *g);
	int rc;

	if ((rc = gnuplot_find(&g->prog, err)) < 0) {
		free(g);
		return rc;
	}
	if (templates == NULL || *templates == '\0')
		templates = getenv("MEMTREND_PLOTS");
	if (templates != NULL && *templates != '\0')
		g->templates = xstrdup(templates);
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	xasprintf(&g->dir, "%s/memtrend-XXXXXX", tmp);
	if (mkdtemp(g->dir) == NULL) {
		rc = error_set(err, errno,
			       "cannot make a temporary directory "
			       "in %s: %s (set TMPDIR to a writable directory)",
			       tmp, strerror(errno));
		free(g->dir);
		g->dir = NULL;
		gnuplot_close(g);
		return rc;
	}
	gnuplot_catch_signals(g);
	*out = g;
	return 0;
}

/* Removes the temporary directory and whatever is in it (gnuplot may
 * have left files of its own). */
static void
gnuplot_remove_dir(const char *dir)
{
	struct dirent *de;
	char *path;
	DIR *d;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			xasprintf(&path, "%s/%s", dir, de->d_name);
			unlink(path);
			free(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

void
gnuplot_close(struct gnuplot *g)
{
	size_t i;

	if (g == NULL)
		return;
	if (g->dir != NULL)
		gnuplot_remove_dir(g->dir);
	for (i = 0; i < GNUPLOT_NSIGNALS; i++)
		if (g->handled[i])
			sigaction(gnuplot_signals[i], &g->old[i], NULL);
	for (i = 0; i < g->npaths; i++)
		free(g->paths[i]);
	free(g->paths);
	free(g->prog);
	free(g->templates);
	free(g->dir);
	free(g->params);
	free(g);
}

const char *
gnuplot_tmp_path(struct gnuplot *g, const char *name)
{
	char *path;

	xasprintf(&path, "%s/%s", g->dir, name);
	return gnuplot_keep(g, path);
}

int
gnuplot_tmp_create(struct gnuplot *g, const char *name, FILE **fp,
		   const char **path, struct error *err)
{
	*path = gnuplot_tmp_path(g, name);
	*fp = fopen(*path, "w");
	if (*fp == NULL)
		return error_set(err, errno, "cannot create %s: %s", *path,
				 strerror(errno));
	return 0;
}

/* The directory templates come with: plots/ beside the program when it
 * runs from a build tree (the source tree's own, or the link to it a
 * separate build tree makes), else the installed ones.  No build path is
 * compiled in, so the installed binary does not depend on where it was
 * built. */
static const char *
gnuplot_default_templates(void)
{
	static char dir[4096];
	ssize_t len = readlink("/proc/self/exe", dir, sizeof dir - 32);
	char *slash;

	if (len <= 0)
		return MEMTREND_PLOTSDIR;
	dir[len] = '\0';
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return MEMTREND_PLOTSDIR;
	strcpy(slash, "/plots/common.gp");
	if (access(dir, R_OK) != 0)
		return MEMTREND_PLOTSDIR;
	slash[sizeof "/plots" - 1] = '\0';
	return dir;
}

int
gnuplot_template(struct gnuplot *g, const char *name, const char **path,
		 struct error *err)
{
	const char *builtin = gnuplot_default_templates();
	char *cand;

	if (g->templates != NULL) {
		xasprintf(&cand, "%s/%s", g->templates, name);
		if (access(cand, R_OK) == 0) {
			*path = gnuplot_keep(g, cand);
			return 0;
		}
		free(cand);
	}
	xasprintf(&cand, "%s/%s", builtin, name);
	if (access(cand, R_OK) == 0) {
		*path = gnuplot_keep(g, cand);
		return 0;
	}
	free(cand);
	return error_set(
	    err, ENOENT,
	    "cannot find the chart template %s in "
	    "%s%s%s (set MEMTREND_PLOTS or --templates to a directory with "
	    "memtrend's plots/)",
	    name, g->templates != NULL ? g->templates : "",
	    g->templates != NULL ? " or " : "", builtin);
}

static void
gnuplot_param_add(struct gnuplot *g, const char *assignment)
{
	char *next;

	xasprintf(&next, "%s%s;", g->params != NULL ? g->params : "",
		  assignment);
	free(g->params);
	g->params = next;
}

/*
 * value as a gnuplot string expression that gives back its exact bytes.
 * Single-quoted strings are the one place gnuplot substitutes nothing
 * (no backquote command, no @macro, no backslash escape), so runs of
 * printable ASCII go in single quotes; every other byte, and the quote
 * itself (gnuplot reads a leading '' as an empty string), is joined on
 * as a "\ooo" octal escape: 'a'."\047".'b'.  No control character or
 * newline reaches the command line.  tests/test_plot.c checks that
 * every byte value comes back unchanged.
 */
static char *
gnuplot_quote(const char *value)
{
	size_t n = strlen(value), i, j = 0;
	char *q = xmalloc(7 * n + 3); /* ."\ooo". is at most 7 a byte */
	bool open = false;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)value[i];
		if (c >= 0x20 && c < 0x7f && c != '\'') {
			if (!open)
				j += (size_t)sprintf(q + j, "%s'",
						     j > 0 ? "." : "");
			q[j++] = (char)c;
			open = true;
			continue;
		}
		if (open)
			q[j++] = '\'';
		open = false;
		j +=
		    (size_t)sprintf(q + j, "%s\"\\%03o\"", j > 0 ? "." : "", c);
	}
	if (open)
		q[j++] = '\'';
	if (j == 0)
		j += (size_t)sprintf(q, "\"\"");
	q[j] = '\0';
	return q;
}

void
gnuplot_param_str(struct gnuplot *g, const char *name, const char *value)
{
	char *quoted = gnuplot_quote(value), *a;

	xasprintf(&a, "%s=%s", name, quoted);
	gnuplot_param_add(g, a);
	free(a);
	free(quoted);
}

void
gnuplot_param_num(struct gnuplot *g, const char *name, double value)
{
	char *a;

	if (isfinite(value))
		xasprintf(&a, "%s=%.17g", name, value);
	else
		xasprintf(&a, "%s=NaN", name);
	gnuplot_param_add(g, a);
	free(a);
}

int
gnuplot_interrupted(const struct gnuplot *g, struct error *err)
{
	(void)g;
	if (gnuplot_signal == 0)
		return 0;
	return error_set(err, EINTR,
			 "interrupted by %s; nothing written, "
			 "temporary files removed",
			 strsignal(gnuplot_signal));
}

/* The last line gnuplot printed, for the error message. */
static const char *
gnuplot_last_line(char *text)
{
	char *end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(text, '\n');
	return start != NULL ? start + 1 : text;
}

/* Reads the child's stderr to the end, keeping its tail; stops early
 * (killing the child) when a signal arrives. */
static void
gnuplot_collect(pid_t pid, int fd, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t n;

	for (;;) {
		if (gnuplot_signal != 0) {
			kill(pid, SIGTERM);
			break;
		}
		if (used + 1 == len) { /* keep the second half */
			memmove(buf, buf + len / 2, used - len / 2);
			used -= len / 2;
		}
		n = read(fd, buf + used, len - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
}

int
gnuplot_run(struct gnuplot *g, const char *template, struct error *err)
{
	char msg[GNUPLOT_STDERR];
	char *argv[] = {g->prog, "-e", g->params != NULL ? g->params : "",
			(char *)template, NULL};
	struct spawn_opts so = {.fd = {-1, -1, -1}};
	int pipefd[2], null, st, rc;
	pid_t pid;

	if ((rc = gnuplot_interrupted(g, err)) < 0)
		return rc;
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return error_set(err, errno, "cannot run gnuplot: %s",
				 strerror(errno));
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	so.fd[0] = so.fd[1] = null;
	so.fd[2] = pipefd[1];
	rc = spawn_run(&pid, argv, &so);
	if (null >= 0)
		close(null);
	close(pipefd[1]);
	if (rc < 0) {
		close(pipefd[0]);
		return error_set(err, -rc, "cannot run %s: %s", g->prog,
				 strerror(-rc));
	}
	gnuplot_collect(pid, pipefd[0], msg, sizeof msg);
	close(pipefd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		kill(pid, SIGTERM);
	free(g->params);
	g->params = NULL;
	if ((rc = gnuplot_interrupted(g, err)) < 0)
		return rc;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		return error_set(err, EIO,
				 "gnuplot was killed by %s while "
				 "drawing %s",
				 strsignal(WTERMSIG(st)), template);
	return error_set(err, EIO, "gnuplot failed on %s: %s", template,
			 msg[0] != '\0' ? gnuplot_last_line(msg)
					: "no message");
}
