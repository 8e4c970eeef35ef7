/*
 * memtrend built without libarchive: smemcap tarballs are refused with
 * what to install (see smemcap.h).
 */
#include "config.h"

#include <errno.h>

#include "sources/smemcap.h"

bool
smemcap_available(void)
{
	return false;
}

int
smemcap_read(const char *path, smemcap_fn fn, void *ctx, struct error *err)
{
	(void)fn;
	(void)ctx;
	return error_set(err, ENOTSUP,
			 "cannot read %s: this memtrend was built without "
			 "libarchive (install libarchive-dev and rebuild)",
			 path);
}
