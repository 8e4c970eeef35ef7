/*
 * A run's provenance (see provenance.h).  The command line is
 * /proc/PID/cmdline (proc(5)): the arguments, each ending in a NUL.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "core/provenance.h"
#include "core/target.h"

/* Control characters (and DEL) become '?'; UTF-8 passes. */
static void
provenance_clean(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void
provenance_copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
	provenance_clean(dst);
}

/* The command line; false when it cannot be read or is empty (a kernel
 * thread, a zombie). */
static bool
provenance_cmdline(struct provenance *p, int proc_fd)
{
	size_t n = 0, i;
	ssize_t got;
	int fd;

	if (proc_fd < 0 ||
	    (fd = openat(proc_fd, "cmdline", O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	/* Only the start is kept: a long command line is cut. */
	while (n < sizeof p->command - 1 &&
	       (got = read(fd, p->command + n, sizeof p->command - 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	while (n > 0 && p->command[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (p->command[i] == '\0')
			p->command[i] = ' ';
	p->command[n] = '\0';
	provenance_clean(p->command);
	return n > 0;
}

void
provenance_of_target(struct provenance *p, const struct target *t)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;

	memset(p, 0, sizeof *p);
	p->known = true;
	provenance_copy(p->version, sizeof p->version, PACKAGE_VERSION);
	if (t != NULL && !provenance_cmdline(p, t->proc_fd))
		provenance_copy(p->command, sizeof p->command, t->comm);
	if (t != NULL)
		p->pid = t->pid;
	if (uname(&u) == 0) {
		provenance_copy(p->host, sizeof p->host, u.nodename);
		provenance_copy(p->kernel, sizeof p->kernel, u.release);
	}
	if (gmtime_r(&now, &tm) != NULL)
		strftime(p->started, sizeof p->started, "%Y-%m-%dT%H:%M:%SZ",
			 &tm);
}

static const char *const provenance_keys[PROVENANCE_KEYS] = {
    "command", "pid", "host", "kernel", "started",
};

void
provenance_cell(const struct provenance *p, int i, char *buf, size_t len)
{
	const char *text[PROVENANCE_KEYS] = {p->command, "", p->host, p->kernel,
					     p->started};

	if (i == 1 && p->pid > 0)
		snprintf(buf, len, "%s=%d", provenance_keys[i], (int)p->pid);
	else
		snprintf(buf, len, "%s=%s", provenance_keys[i], text[i]);
	provenance_clean(buf); /* one line, whoever filled p */
}

bool
provenance_start(struct provenance *p, const char *cell)
{
	size_t n = strlen(PROVENANCE_MARK);

	memset(p, 0, sizeof *p);
	if (strncmp(cell, PROVENANCE_MARK, n) != 0)
		return false;
	p->known = true;
	provenance_copy(p->version, sizeof p->version, cell + n);
	return true;
}

void
provenance_set(struct provenance *p, const char *cell)
{
	char *dst[PROVENANCE_KEYS] = {p->command, NULL, p->host, p->kernel,
				      p->started};
	size_t len[PROVENANCE_KEYS] = {sizeof p->command, 0, sizeof p->host,
				       sizeof p->kernel, sizeof p->started};
	const char *eq = strchr(cell, '=');
	char *end;
	long pid;
	int i;

	for (i = 0; eq != NULL && i < PROVENANCE_KEYS; i++)
		if (strlen(provenance_keys[i]) == (size_t)(eq - cell) &&
		    strncmp(cell, provenance_keys[i], (size_t)(eq - cell)) == 0)
			break;
	if (eq == NULL || i == PROVENANCE_KEYS)
		return;
	if (dst[i] != NULL) {
		provenance_copy(dst[i], len[i], eq + 1);
		return;
	}
	errno = 0;
	pid = strtol(eq + 1, &end, 10);
	if (errno == 0 && *end == '\0' && pid > 0 && pid <= 4194304)
		p->pid = (pid_t)pid; /* pid_max is at most 2^22 */
}

void
provenance_describe(const struct provenance *p, char *buf, size_t len)
{
	char pid[32] = "";

	buf[0] = '\0';
	if (!p->known || (p->command[0] == '\0' && p->pid == 0))
		return;
	if (p->pid > 0)
		snprintf(pid, sizeof pid, "%spid %d", p->command[0] ? " (" : "",
			 (int)p->pid);
	snprintf(buf, len, "%s%s%s%s%s%s%s", p->command, pid,
		 p->pid > 0 && p->command[0] ? ")" : "",
		 p->host[0] ? " on " : "", p->host,
		 p->kernel[0] ? ", Linux " : "", p->kernel);
}
