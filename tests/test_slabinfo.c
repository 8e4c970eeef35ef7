/*
 * The /proc/slabinfo parser (src/sources/slabinfo.c) on a file captured
 * on the development machine (Linux 6.18, SLUB) and edited copies.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sources/slabinfo.h"
#include "testutil.h"
#include "util/root.h"

#define PAGE_KB 4.0

static char *
slab_fixture(const char *name)
{
	char path[1024], *text;

	snprintf(path, sizeof path, "%s/kernel/parse/%s", tu_fixtures(), name);
	cr_assert(root_read_alloc("/", path, &text) > 0, "cannot read %s",
		  path);
	return text;
}

static const struct kcache *
slab_find(const struct kcache_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

Test(slabinfo, every_cache_of_a_real_file)
{
	struct kcache_list l = {0};
	struct slabinfo_skipped sk = {0};
	struct error err;
	const struct kcache *c;
	char *text = slab_fixture("slabinfo");

	cr_assert_eq(slabinfo_parse(text, PAGE_KB, &l, &sk, &err), 0);
	cr_assert_eq(l.n, 235);
	cr_assert_eq(sk.lines, 0, "skipped: %s", sk.first);
	c = slab_find(&l, "kmalloc-256");
	cr_assert_not_null(c);
	cr_assert_eq(c->kind, KCACHE_SLAB);
	/* 765 active objects of 256 bytes; 48 slabs of one page. */
	cr_assert_float_eq(c->kb, 765 * 256 / 1024.0, 1e-9);
	cr_assert_float_eq(c->pages_kb, 48 * 1 * PAGE_KB, 1e-9);
	c = slab_find(&l, "sock_inode_cache");
	cr_assert_not_null(c);
	/* 102 x 832 bytes; 11 slabs of 4 pages. */
	cr_assert_float_eq(c->kb, 102 * 832 / 1024.0, 1e-9);
	cr_assert_float_eq(c->pages_kb, 11 * 4 * PAGE_KB, 1e-9);
	kcache_list_free(&l);
	free(text);
}

Test(slabinfo, cut_lines_are_skipped_and_counted_the_rest_parsed)
{
	struct kcache_list l = {0};
	struct slabinfo_skipped sk = {0};
	struct error err;
	char *text = slab_fixture("slabinfo-truncated");

	cr_assert_eq(slabinfo_parse(text, PAGE_KB, &l, &sk, &err), 0);
	cr_assert_eq(sk.lines, 2);
	cr_assert_eq(l.n, 233);
	cr_assert(strlen(sk.first) > 0);
	kcache_list_free(&l);
	free(text);
}

Test(slabinfo, an_unknown_version_is_one_error_and_no_rows)
{
	struct kcache_list l = {0};
	struct slabinfo_skipped sk = {0};
	struct error err;
	char *text = slab_fixture("slabinfo-version");

	cr_assert_eq(slabinfo_parse(text, PAGE_KB, &l, &sk, &err), -EPROTO);
	cr_assert_eq(l.n, 0);
	cr_assert(strstr(err.msg, "3.0") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "version 2.1") != NULL, "%s", err.msg);
	kcache_list_free(&l);
	free(text);
}

Test(slabinfo, hostile_names_are_made_printable)
{
	struct kcache_list l = {0};
	struct slabinfo_skipped sk = {0};
	struct error err;
	const struct kcache *c;
	char *text = slab_fixture("slabinfo-hostile");
	size_t i, k;

	cr_assert_eq(slabinfo_parse(text, PAGE_KB, &l, &sk, &err), 0);
	cr_assert_eq(l.n, 3);
	cr_assert_eq(sk.lines, 1); /* the line of bells */
	for (i = 0; i < l.n; i++)
		for (k = 0; l.v[i].name[k] != '\0'; k++)
			cr_assert((unsigned char)l.v[i].name[k] >= 0x20 &&
				      l.v[i].name[k] != 0x7f,
				  "name %zu: %s", i, l.v[i].name);
	cr_assert_not_null(slab_find(&l, "evil?[2Jcache"));
	c = slab_find(&l, "my cache, \"quoted\"");
	cr_assert_not_null(c, "a name with spaces parses");
	cr_assert_float_eq(c->kb, 10 * 512 / 1024.0, 1e-9);
	kcache_list_free(&l);
	free(text);
}

Test(slabinfo, reader_rereads_and_marks_reclaimable_caches)
{
	struct ksample s = {0};
	struct slabinfo *si;
	struct error err;
	char root[1024];
	const struct kcache *c;

	snprintf(root, sizeof root, "%s/kernel/tick0", tu_fixtures());
	cr_assert_eq(slabinfo_open(&si, root, &err), 0, "%s", err.msg);
	ksample_clear(&s);
	cr_assert_eq(slabinfo_sample(si, &s, &err), 0, "%s", err.msg);
	cr_assert(s.slab_read);
	cr_assert_eq(slab_find(&s.caches, "dentry")->reclaimable, 1);
	cr_assert_eq(slab_find(&s.caches, "kmalloc-256")->reclaimable, 0);
	/* No sysfs entry in the fixture: unknown, and said once. */
	c = slab_find(&s.caches, "filp");
	cr_assert_eq(c->reclaimable, -1);
	cr_assert_not_null(slabinfo_note(si));
	ksample_clear(&s);
	cr_assert_eq(slabinfo_sample(si, &s, &err), 0);
	cr_assert_eq(s.caches.n, 235, "the file is read again from the start");
	cr_assert_null(slabinfo_note(si), "said once");
	slabinfo_close(si);
	ksample_free(&s);
}

Test(slabinfo, a_missing_file_says_what_is_not_sampled)
{
	struct slabinfo *si = NULL;
	struct error err;
	char root[1024];

	snprintf(root, sizeof root, "%s/kernel/meminfo-only", tu_fixtures());
	cr_assert_eq(slabinfo_open(&si, root, &err), -ENOENT);
	cr_assert(strstr(err.msg, "slab caches are not sampled") != NULL, "%s",
		  err.msg);
}
