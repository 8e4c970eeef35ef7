/*
 * The /proc/vmallocinfo parser (src/sources/vmallocinfo.c): pages added
 * up per caller symbol, areas without pages of their own left out.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sources/vmallocinfo.h"
#include "testutil.h"
#include "util/root.h"

#define PAGE_KB 4.0

static char *
vm_fixture(const char *name)
{
	char path[1024], *text;

	snprintf(path, sizeof path, "%s/kernel/parse/%s", tu_fixtures(), name);
	cr_assert(root_read_alloc("/", path, &text) > 0, "cannot read %s",
		  path);
	return text;
}

static const struct kcache *
vm_find(const struct kcache_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

Test(vmallocinfo, pages_add_up_per_caller_symbol)
{
	struct kcache_list l = {0};
	char *text = vm_fixture("vmallocinfo");
	double total = 0;
	size_t i;

	cr_assert_eq(vmallocinfo_parse(text, PAGE_KB, &l), 0);
	/* Counted with grep/awk on the file: 6 callers hold pages, 1517 in
	 * all, 464 of them kernel_clone's (thread stacks). */
	cr_assert_eq(l.n, 6);
	for (i = 0; i < l.n; i++) {
		cr_assert_eq(l.v[i].kind, KCACHE_VMALLOC);
		cr_assert_eq(l.v[i].reclaimable, 0);
		total += l.v[i].kb;
	}
	cr_assert_float_eq(total, 1517 * PAGE_KB, 1e-9);
	cr_assert_float_eq(vm_find(&l, "kernel_clone")->kb, 464 * PAGE_KB,
			   1e-9);
	cr_assert_null(vm_find(&l, "vp_modern_map_capability"),
		       "ioremap holds no pages");
	kcache_list_free(&l);
	free(text);
}

Test(vmallocinfo, hostile_and_broken_lines)
{
	struct kcache_list l = {0};
	char *text = vm_fixture("vmallocinfo-hostile");
	const struct kcache *c;

	cr_assert_eq(vmallocinfo_parse(text, PAGE_KB, &l), 2);
	cr_assert_eq(l.n, 4);
	cr_assert_float_eq(vm_find(&l, "(no caller)")->kb, 1 * PAGE_KB, 1e-9);
	cr_assert_float_eq(vm_find(&l, "kernel_clone")->kb, 8 * PAGE_KB, 1e-9);
	c = vm_find(&l, "bad?]0;pwned?sym");
	cr_assert_not_null(c, "control characters replaced");
	cr_assert_float_eq(c->kb, 2 * PAGE_KB, 1e-9);
	cr_assert_not_null(vm_find(&l, "mod_fn"));
	kcache_list_free(&l);
	free(text);
}
