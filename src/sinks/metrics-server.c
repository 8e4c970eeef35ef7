/*
 * The metrics endpoint on libmicrohttpd
 * (https://www.gnu.org/software/libmicrohttpd/manual/): its internal
 * polling thread answers every request; the listening socket is ours, so
 * the address is parsed and bound here (and a bind failure says why), and
 * the port picked for port 0 can be read back.  Only GET and HEAD: /metrics
 * the last published text, / a short index, anything else 404.
 * libmicrohttpd is loaded when a server first starts (util/dlib.h): it
 * brings GnuTLS and its libraries, 2.3 MiB of resident memory that runs
 * serving no metrics need not pay.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sinks/metrics-server.h"
#include "util/dlib.h"
#include "util/xmalloc.h"

struct metrics_server {
	struct MHD_Daemon *daemon;
	unsigned port;
	pthread_mutex_t lock;
	char *text; /* NULL until the first metrics_publish() */
	size_t len;
};

/* The libmicrohttpd functions used, filled by metrics_load(). */
static struct {
	__typeof__(&MHD_start_daemon) start_daemon;
	__typeof__(&MHD_stop_daemon) stop_daemon;
	__typeof__(&MHD_create_response_from_buffer) create_response;
	__typeof__(&MHD_add_response_header) add_header;
	__typeof__(&MHD_queue_response) queue_response;
	__typeof__(&MHD_destroy_response) destroy_response;
} mhd;

static int
metrics_load(struct error *err)
{
	const struct dlib_sym syms[] = {
	    {"MHD_start_daemon", (void **)&mhd.start_daemon},
	    {"MHD_stop_daemon", (void **)&mhd.stop_daemon},
	    {"MHD_create_response_from_buffer", (void **)&mhd.create_response},
	    {"MHD_add_response_header", (void **)&mhd.add_header},
	    {"MHD_queue_response", (void **)&mhd.queue_response},
	    {"MHD_destroy_response", (void **)&mhd.destroy_response},
	};

	return dlib_load(MHD_SONAME, "libmicrohttpd", syms,
			 sizeof syms / sizeof syms[0], err);
}

static const char metrics_index[] =
    "<!DOCTYPE html>\n<html><head><title>memtrend</title></head>\n"
    "<body><h1>memtrend</h1>\n"
    "<p><a href=\"/metrics\">/metrics</a>: memory of the watched "
    "services, their leak verdicts and the daemon's cost, for "
    "Prometheus.</p>\n</body></html>\n";

static enum MHD_Result
metrics_reply(struct MHD_Connection *conn, unsigned status, const char *type,
	      const char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = mhd.create_response(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = mhd.queue_response(conn, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result
metrics_serve_text(struct metrics_server *srv, struct MHD_Connection *conn)
{
	static const char none[] = "memtrend: no sample taken yet\n";
	enum MHD_Result ret;

	pthread_mutex_lock(&srv->lock);
	if (srv->text == NULL)
		ret = metrics_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
				    "text/plain; charset=utf-8", none,
				    sizeof none - 1);
	else
		ret = metrics_reply(conn, MHD_HTTP_OK, METRICS_CONTENT_TYPE,
				    srv->text, srv->len);
	pthread_mutex_unlock(&srv->lock);
	return ret;
}

static enum MHD_Result
metrics_answer(void *cls, struct MHD_Connection *conn, const char *url,
	       const char *method, const char *version, const char *upload_data,
	       size_t *upload_data_size, void **state)
{
	static const char not_found[] = "not found: try /metrics\n";
	static const char not_allowed[] = "only GET and HEAD\n";

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)state;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return metrics_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				     "text/plain; charset=utf-8", not_allowed,
				     sizeof not_allowed - 1);
	if (strcmp(url, "/metrics") == 0)
		return metrics_serve_text(cls, conn);
	if (strcmp(url, "/") == 0)
		return metrics_reply(conn, MHD_HTTP_OK,
				     "text/html; charset=utf-8", metrics_index,
				     sizeof metrics_index - 1);
	return metrics_reply(conn, MHD_HTTP_NOT_FOUND,
			     "text/plain; charset=utf-8", not_found,
			     sizeof not_found - 1);
}

/* addr split into host ("" for every address) and port. */
static int
metrics_split(const char *addr, char *host, size_t hostlen, char *port,
	      size_t portlen)
{
	const char *colon, *end;
	size_t n;

	if (addr[0] == '[') {
		end = strchr(addr, ']');
		if (end == NULL || end[1] != ':')
			return -EINVAL;
		n = (size_t)(end - addr - 1);
		colon = end + 1;
		addr++;
	} else {
		colon = strrchr(addr, ':');
		if (colon == NULL)
			return -EINVAL;
		n = (size_t)(colon - addr);
	}
	if (n >= hostlen || strlen(colon + 1) >= portlen || colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -EINVAL;
	memcpy(host, addr, n);
	host[n] = '\0';
	strcpy(port, colon + 1);
	return atol(port) <= 65535 ? 0 : -EINVAL;
}

/* A listening socket on ai; -errno on failure. */
static int
metrics_bind(const struct addrinfo *ai, int any)
{
	int fd, one = 1, zero = 0, code;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	/* ":PORT" is every address, IPv4 ones too. */
	if (any && ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 16) < 0) {
		code = errno;
		close(fd);
		return -code;
	}
	return fd;
}

/* A listening socket for addr, or -errno with err filled. */
static int
metrics_socket(const char *addr, struct error *err)
{
	struct addrinfo hints = {0}, *res = NULL;
	char host[256], port[8];
	int fd, rc;

	if (metrics_split(addr, host, sizeof host, port, sizeof port) < 0)
		return error_set(err, EINVAL,
				 "cannot listen on \"%s\": write ADDRESS:PORT, "
				 "such as 127.0.0.1:9945, [::1]:9945 or :9945 "
				 "(every address)",
				 addr);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	hints.ai_family = host[0] == '\0' ? AF_INET6 : AF_UNSPEC;
	rc = getaddrinfo(host[0] == '\0' ? NULL : host, port, &hints, &res);
	if (rc != 0)
		return error_set(err, EINVAL,
				 "cannot listen on \"%s\": %s (write a numeric "
				 "address or a name this host resolves)",
				 addr, gai_strerror(rc));
	fd = metrics_bind(res, host[0] == '\0');
	freeaddrinfo(res);
	/* Every address on a host without IPv6: the IPv4 ones. */
	if (host[0] == '\0' && (fd == -EAFNOSUPPORT || fd == -EADDRNOTAVAIL)) {
		hints.ai_family = AF_INET;
		if (getaddrinfo(NULL, port, &hints, &res) == 0) {
			fd = metrics_bind(res, 1);
			freeaddrinfo(res);
		}
	}
	if (fd < 0)
		return error_set(err, -fd,
				 "cannot listen on %s: %s (is another program "
				 "on that port? write another in listen = "
				 "ADDRESS:PORT)",
				 addr, strerror(-fd));
	return fd;
}

static unsigned
metrics_bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

struct metrics_server *
metrics_listen(const char *addr, struct error *err)
{
	struct metrics_server *srv;
	int fd;

	if (addr == NULL)
		addr = METRICS_LISTEN_DEFAULT;
	if (metrics_load(err) < 0)
		return NULL;
	fd = metrics_socket(addr, err);
	if (fd < 0)
		return NULL;
	srv = xcalloc(1, sizeof *srv);
	pthread_mutex_init(&srv->lock, NULL);
	srv->port = metrics_bound_port(fd);
	/* A stalled client is dropped after 10 s; 32 at once at most. */
	srv->daemon = mhd.start_daemon(
	    MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
	    metrics_answer, srv, MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)32,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		close(fd);
		pthread_mutex_destroy(&srv->lock);
		free(srv);
		error_set(err, EIO,
			  "cannot serve metrics on %s: libmicrohttpd would not "
			  "start (out of threads or file descriptors?)",
			  addr);
		return NULL;
	}
	return srv;
}

unsigned
metrics_port(const struct metrics_server *srv)
{
	return srv->port;
}

void
metrics_publish(struct metrics_server *srv, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1), *old;

	memcpy(copy, text, len);
	copy[len] = '\0';
	pthread_mutex_lock(&srv->lock);
	old = srv->text;
	srv->text = copy;
	srv->len = len;
	pthread_mutex_unlock(&srv->lock);
	free(old);
}

void
metrics_close(struct metrics_server *srv)
{
	if (srv == NULL)
		return;
	mhd.stop_daemon(srv->daemon);
	pthread_mutex_destroy(&srv->lock);
	free(srv->text);
	free(srv);
}
