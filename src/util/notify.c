/*
 * sd_notify(3) by hand (see notify.h): the protocol is one datagram on an
 * AF_UNIX socket, documented in sd_notify(3) and systemd's
 * docs/NOTIFY.md ("The sd_notify protocol"); a leading '@' in
 * $NOTIFY_SOCKET names the abstract namespace, where the address starts
 * with a NUL byte and its length counts only the name's bytes.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/notify.h"

int
notify_send(const char *state, struct error *err)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len;
	ssize_t n;
	int fd, e;

	if (name == NULL || name[0] == '\0')
		return 0;
	len = strlen(name);
	if ((name[0] != '/' && name[0] != '@') || len >= sizeof sa.sun_path)
		return error_set(err, EINVAL,
				 "cannot notify the service manager: "
				 "NOTIFY_SOCKET is not an absolute path or "
				 "@name of at most %zu bytes",
				 sizeof sa.sun_path - 1);
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_set(err, errno,
				 "cannot notify the service manager: socket: "
				 "%s",
				 strerror(errno));
	/* Never wait on a busy manager: a tick is not held up. */
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL | MSG_DONTWAIT,
		   (const struct sockaddr *)&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
			       (name[0] == '/')));
	e = errno;
	close(fd);
	if (n < 0)
		return error_set(err, e,
				 "cannot notify the service manager on %s: %s "
				 "(check NOTIFY_SOCKET and the unit's "
				 "Type=notify)",
				 name, strerror(e));
	return 1;
}

bool
notify_watchdog(void)
{
	const char *usec = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	char *end;

	if (usec == NULL || strtoull(usec, &end, 10) == 0 || *end != '\0')
		return false;
	return pid == NULL || strtol(pid, &end, 10) == (long)getpid();
}
