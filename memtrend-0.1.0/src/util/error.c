/*
 * Error messages for the user: what failed, on what, and what to do.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "util/error.h"

int
error_set(struct error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code > 0 ? -code : code;
}

const char *
error_hint(int code)
{
	switch (code) {
	case EACCES:
	case EPERM:
		return "run as root or grant CAP_SYS_PTRACE";
	case ENOENT:
	case ESRCH:
		return "is the process still running?";
	default:
		return "";
	}
}
