/*
 * The stop flag (see stop.h).
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "cmd/stop.h"

static volatile sig_atomic_t stop_sig;

static void
stop_on_signal(int sig)
{
	stop_sig = sig;
}

void
stop_install(void)
{
	struct sigaction sa;

	stop_sig = 0;
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
