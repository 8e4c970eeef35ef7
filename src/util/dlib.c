/*
 * dlopen(3) of the libraries only some runs need (see dlib.h).  A library
 * stays loaded to the end of the run: its functions are called from
 * threads (libmicrohttpd's) that outlive any one caller.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "util/dlib.h"

static pthread_mutex_t dlib_lock = PTHREAD_MUTEX_INITIALIZER;

int
dlib_load(const char *soname, const char *package, const struct dlib_sym *syms,
	  size_t n, struct error *err)
{
	void *h;
	size_t i;
	int rc = 0;

	pthread_mutex_lock(&dlib_lock);
	if (n > 0 && *syms[n - 1].fn != NULL)
		goto out; /* loaded before */
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		rc = error_set(err, ENOENT, "cannot load %s: %s (install %s)",
			       soname, dlerror(), package);
		goto out;
	}
	for (i = 0; i < n; i++) {
		*syms[i].fn = dlsym(h, syms[i].name);
		if (*syms[i].fn == NULL) {
			rc = error_set(err, ENOENT,
				       "%s has no %s: memtrend was built "
				       "against another version (install %s "
				       "or rebuild memtrend)",
				       soname, syms[i].name, package);
			while (i > 0)
				*syms[--i].fn = NULL;
			dlclose(h);
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&dlib_lock);
	return rc;
}
