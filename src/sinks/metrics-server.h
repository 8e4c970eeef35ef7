/*
 * The metrics endpoint: libmicrohttpd serving GET /metrics from a thread
 * of its own.  The sampling loop renders the text once a tick
 * (sinks/metrics.h) and publishes it here; a scrape only copies the
 * latest text under a mutex, so a slow client never holds up sampling.
 */
#ifndef MEMTREND_SINKS_METRICS_SERVER_H
#define MEMTREND_SINKS_METRICS_SERVER_H

#include <stddef.h>

#include "util/error.h"

/* Where the metrics are served unless the operator writes another
 * address: loopback only. */
#define METRICS_LISTEN_DEFAULT "127.0.0.1:9945"
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct metrics_server;

/* Listens on addr ("127.0.0.1:9945", "[::1]:9945", ":9945" for every
 * address; NULL: METRICS_LISTEN_DEFAULT; port 0 picks one) and serves
 * GET /metrics from its own thread.  Returns NULL with err filled. */
struct metrics_server *metrics_listen(const char *addr, struct error *err);
/* The port it listens on (the one picked for port 0). */
unsigned metrics_port(const struct metrics_server *srv);
/* The text /metrics serves from now on (copied); before the first,
 * /metrics answers 503. */
void metrics_publish(struct metrics_server *srv, const char *text, size_t len);
/* Stops the thread and frees srv; srv may be NULL. */
void metrics_close(struct metrics_server *srv);

#endif
