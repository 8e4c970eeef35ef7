/*
 * The stop flag (see stop.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cmd/stop.h"
#include "util/ticker.h"

static volatile sig_atomic_t stop_sig;
static int stop_pipe[2] = {-1, -1};

static void
stop_wake(void)
{
	int saved = errno;

	/* Full (a wakeup is pending anyway) or closed: nothing to do. */
	if (stop_pipe[1] >= 0 && write(stop_pipe[1], "", 1) < 0) {
	}
	errno = saved;
}

static void
stop_on_signal(int sig)
{
	stop_sig = sig;
	stop_wake();
}

void
stop_install(void)
{
	struct sigaction sa;

	stop_sig = 0;
	if (stop_pipe[0] < 0 && pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		stop_pipe[0] = stop_pipe[1] = -1;
	/* A wakeup left from a signal the last run took between ticks. */
	if (stop_pipe[0] >= 0)
		ticker_drain(stop_pipe[0]);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = stop_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
}

int
stop_signal(void)
{
	return stop_sig;
}

int
stop_wake_fd(void)
{
	return stop_pipe[0];
}
