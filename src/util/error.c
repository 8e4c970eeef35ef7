/*
 * Error messages for the user: what failed, on what, and what to do.
 */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/* Whether memtrend's effective set holds CAP_SYS_PTRACE (capget(2); glibc
 * has no wrapper). */
static bool
error_has_ptrace(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	return (d[CAP_SYS_PTRACE / 32].effective >> (CAP_SYS_PTRACE % 32)) & 1;
}

const char *
error_hint(int code)
{
	switch (code) {
	case EACCES:
	case EPERM:
		/* The ptrace access check passes with CAP_SYS_PTRACE unless
		 * a security module refuses, or the target lives in a user
		 * namespace where memtrend has no capability. */
		if (error_has_ptrace())
			return "memtrend has CAP_SYS_PTRACE, so a security "
			       "policy refuses: a sandbox or security module "
			       "such as Landlock, a BPF LSM, SELinux, AppArmor "
			       "or Yama ptrace_scope 3, or a user namespace "
			       "the target is outside of; run memtrend where "
			       "that policy lets it read the target";
		return "run as root or grant CAP_SYS_PTRACE";
	case ENOENT:
	case ESRCH:
		return "is the process still running?";
	default:
		return "";
	}
}
