/*
 * Libraries loaded when a feature first needs them, not at start-up
 * (dlopen(3)).  libmicrohttpd (the metrics endpoint) and libarchive
 * (smemcap tarballs) bring some twenty libraries with them -- GnuTLS,
 * p11-kit, libxml2, ICU, libstdc++ -- whose loading and start-up code cost
 * every memtrend run about 4.5 MiB of resident memory, more than the rest
 * of a run watching a process with 20 000 mappings; only the runs that
 * serve metrics or read a tarball pay it now.
 */
#ifndef MEMTREND_UTIL_DLIB_H
#define MEMTREND_UTIL_DLIB_H

#include <stddef.h>

#include "util/error.h"

/* A function to look up: its name, and where its address goes (a
 * function pointer, passed as (void **)&fn, as dlsym(3) shows). */
struct dlib_sym {
	const char *name;
	void **fn;
};

/* Loads soname once (later calls return at once) and fills each sym.
 * 0, or -ENOENT with err saying what is missing; package names the
 * Debian package that has it, for the message. */
int dlib_load(const char *soname, const char *package,
	      const struct dlib_sym *syms, size_t n, struct error *err);

#endif
