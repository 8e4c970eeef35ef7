/*
 * The sd_notify(3) datagram sent without libsystemd (src/util/notify.c):
 * a test socket bound at a path and at an abstract '@' name receives the
 * exact bytes; an unset NOTIFY_SOCKET is quiet, a bad one one error.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "testutil.h"
#include "util/notify.h"

/* A datagram socket bound at name (a path, or '@' for the abstract
 * namespace), with a receive timeout so a lost datagram fails the test
 * rather than hanging it. */
static int
notify_listen(const char *name)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 5};
	size_t len = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	cr_assert_eq(
	    bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)),
	    0, "bind %s: %s", name, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void
notify_expect(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof buf - 1, 0);

	cr_assert_eq(n, (ssize_t)strlen(want), "received %zd bytes", n);
	buf[n] = '\0';
	cr_assert_str_eq(buf, want);
}

Test(notify, sends_to_a_path)
{
	char path[200];
	struct error err;
	int fd;

	snprintf(path, sizeof path, "%s/notify", tu_tmpdir());
	fd = notify_listen(path);
	setenv("NOTIFY_SOCKET", path, 1);
	cr_assert_eq(notify_send("READY=1", &err), 1, "%s", err.msg);
	notify_expect(fd, "READY=1");
	cr_assert_eq(notify_send("STATUS=watching 3 targets\nWATCHDOG=1", &err),
		     1);
	notify_expect(fd, "STATUS=watching 3 targets\nWATCHDOG=1");
	close(fd);
	unlink(path);
	tu_tmp_cleanup();
}

Test(notify, sends_to_an_abstract_name)
{
	char name[64];
	struct error err;
	int fd;

	snprintf(name, sizeof name, "@memtrend-test-notify-%d", (int)getpid());
	fd = notify_listen(name);
	setenv("NOTIFY_SOCKET", name, 1);
	cr_assert_eq(notify_send("STOPPING=1", &err), 1, "%s", err.msg);
	notify_expect(fd, "STOPPING=1");
	close(fd);
}

Test(notify, unset_is_quiet)
{
	struct error err = {.msg = ""};

	unsetenv("NOTIFY_SOCKET");
	cr_assert_eq(notify_send("READY=1", &err), 0);
	setenv("NOTIFY_SOCKET", "", 1);
	cr_assert_eq(notify_send("READY=1", &err), 0);
	cr_assert_str_eq(err.msg, "");
}

Test(notify, bad_names_are_one_line_errors)
{
	char longname[200];
	struct error err;

	memset(longname, 'x', sizeof longname - 1);
	longname[0] = '/';
	longname[sizeof longname - 1] = '\0';
	setenv("NOTIFY_SOCKET", longname, 1);
	cr_assert_eq(notify_send("READY=1", &err), -EINVAL);
	cr_assert(strstr(err.msg, "NOTIFY_SOCKET") != NULL, "%s", err.msg);
	cr_assert_null(strchr(err.msg, '\n'));
	setenv("NOTIFY_SOCKET", "relative/sock", 1);
	cr_assert_eq(notify_send("READY=1", &err), -EINVAL);
	setenv("NOTIFY_SOCKET", "/nonexistent/memtrend-notify", 1);
	cr_assert_eq(notify_send("READY=1", &err), -ENOENT);
	cr_assert(strstr(err.msg, "/nonexistent/memtrend-notify") != NULL, "%s",
		  err.msg);
	cr_assert_null(strchr(err.msg, '\n'));
}

Test(notify, watchdog_only_when_asked_for_this_process)
{
	char pid[32];

	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	cr_assert(!notify_watchdog());
	setenv("WATCHDOG_USEC", "300000000", 1);
	cr_assert(notify_watchdog());
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	cr_assert(notify_watchdog());
	setenv("WATCHDOG_PID", "1", 1);
	cr_assert(!notify_watchdog(), "another process's watchdog");
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "0", 1);
	cr_assert(!notify_watchdog());
	setenv("WATCHDOG_USEC", "5min", 1);
	cr_assert(!notify_watchdog());
}

/* A manager that does not read never holds the daemon's tick up: with
 * its queue full the datagram is refused at once (EAGAIN), not waited
 * on.  (Before: the sendto blocked; the timeout fails that.) */
Test(notify, a_full_queue_does_not_block, .timeout = 10)
{
	char path[200];
	struct error err;
	int fd, i, rc = 1;

	snprintf(path, sizeof path, "%s/notify", tu_tmpdir());
	fd = notify_listen(path);
	setenv("NOTIFY_SOCKET", path, 1);
	for (i = 0; i < 100000 && rc == 1; i++)
		rc = notify_send("WATCHDOG=1", &err);
	cr_assert_eq(rc, -EAGAIN, "after %d datagrams: %d", i, rc);
	cr_assert_null(strchr(err.msg, '\n'));
	close(fd);
	unlink(path);
	tu_tmp_cleanup();
}
