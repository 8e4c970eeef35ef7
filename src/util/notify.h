/*
 * The service manager's notification protocol (sd_notify(3)) without
 * libsystemd: one datagram of NEWLINE-separated assignments (READY=1,
 * STATUS=..., WATCHDOG=1, STOPPING=1) to the AF_UNIX socket named by
 * $NOTIFY_SOCKET -- a path, or an abstract name when it starts with '@'.
 */
#ifndef MEMTREND_NOTIFY_H
#define MEMTREND_NOTIFY_H

#include <stdbool.h>

#include "util/error.h"

/* Sends state to $NOTIFY_SOCKET.  Returns 1 when sent, 0 when
 * NOTIFY_SOCKET is unset or empty (not run by a service manager: quiet),
 * or -errno with err filled (a bad or too long name, no such socket). */
int notify_send(const char *state, struct error *err);

/* Whether the service manager expects WATCHDOG=1 from this process:
 * $WATCHDOG_USEC set and positive, and $WATCHDOG_PID, if set, this
 * process (sd_watchdog_enabled(3)). */
bool notify_watchdog(void);

#endif
