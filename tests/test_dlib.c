/*
 * Libraries loaded when first needed (src/util/dlib.c): a library or a
 * function that is not there is one line saying which and what to
 * install; a library loaded once is not looked up again.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "util/dlib.h"

Test(dlib, missing_library_says_what_to_install)
{
	void *fn = NULL;
	const struct dlib_sym syms[] = {{"nothing", &fn}};
	struct error err;

	cr_assert_eq(
	    dlib_load("libmemtrend-nothere.so.7", "libnothere7", syms, 1, &err),
	    -ENOENT);
	cr_assert_null(fn);
	cr_assert(strstr(err.msg, "cannot load libmemtrend-nothere.so.7: ") ==
		      err.msg,
		  "%s", err.msg);
	cr_assert(strstr(err.msg, "(install libnothere7)") != NULL, "%s",
		  err.msg);
	cr_assert_null(strchr(err.msg, '\n'));
}

Test(dlib, missing_function_leaves_none_filled)
{
	void *cosf = NULL, *none = NULL;
	const struct dlib_sym syms[] = {{"cosf", &cosf},
					{"memtrend_no_such_fn", &none}};
	struct error err;

	cr_assert_eq(dlib_load("libm.so.6", "libc6", syms, 2, &err), -ENOENT);
	cr_assert_null(cosf, "a half-filled table would pass for loaded");
	cr_assert(strstr(err.msg, "libm.so.6 has no memtrend_no_such_fn") !=
		      NULL,
		  "%s", err.msg);
}

Test(dlib, loads_and_calls)
{
	float (*cosf_fn)(float) = NULL;
	const struct dlib_sym syms[] = {{"cosf", (void **)&cosf_fn}};
	struct error err;

	cr_assert_eq(dlib_load("libm.so.6", "libc6", syms, 1, &err), 0, "%s",
		     err.msg);
	cr_assert_not_null(cosf_fn);
	cr_assert_float_eq(cosf_fn(0.0f), 1.0f, 1e-6);
	/* Loaded: a second call keeps the table as it is. */
	cr_assert_eq(dlib_load("libm.so.6", "libc6", syms, 1, &err), 0);
}
