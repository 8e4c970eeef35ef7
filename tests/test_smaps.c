/*
 * The maps/smaps parser on captured text (src/sources/smaps.c).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/smaps.h"
#include "testutil.h"
#include "util/root.h"

static char *
smaps_fixture(const char *name)
{
	char path[512], *text = NULL;

	snprintf(path, sizeof path, "%s/smaps/%s", tu_fixtures(), name);
	cr_assert_gt(root_read_alloc("/", path, &text), 0, "%s", path);
	return text;
}

static double
smaps_sum(const struct mapping_list *l, enum smaps_field f)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		sum += isnan(l->v[i].kb[f]) ? 0 : l->v[i].kb[f];
	return sum;
}

/* The per-mapping counts of a captured smaps add up to the smaps_rollup
 * captured with it. */
Test(smaps, sums_match_rollup)
{
	struct mapping_list l = {0};
	char *text = smaps_fixture("zoo.smaps");
	char *rollup = smaps_fixture("zoo.rollup");
	struct mapping_list r = {0};
	struct error err;

	cr_assert_eq(smaps_parse(text, &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.n, 34);
	cr_assert_eq(smaps_parse(rollup, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(smaps_sum(&l, SMAPS_RSS), r.v[0].kb[SMAPS_RSS]);
	cr_assert_eq(smaps_sum(&l, SMAPS_PRIVATE_DIRTY),
		     r.v[0].kb[SMAPS_PRIVATE_DIRTY]);
	cr_assert_eq(smaps_sum(&l, SMAPS_ANONYMOUS),
		     r.v[0].kb[SMAPS_ANONYMOUS]);
	/* Pss is rounded per mapping, the rollup once. */
	cr_assert(
	    fabs(smaps_sum(&l, SMAPS_PSS) - r.v[0].kb[SMAPS_PSS]) < (double)l.n,
	    "pss %f vs %f", smaps_sum(&l, SMAPS_PSS), r.v[0].kb[SMAPS_PSS]);
	mapping_list_free(&l);
	mapping_list_free(&r);
	free(text);
	free(rollup);
}

Test(smaps, header_fields)
{
	struct mapping_list l = {0};
	char *text = smaps_fixture("kinds.maps");
	const struct mapping *m;
	struct error err;

	cr_assert_eq(smaps_parse(text, &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.n, 24);
	m = &l.v[0];
	cr_assert_eq(m->start, 0x400000);
	cr_assert_eq(m->end, 0x452000);
	cr_assert_str_eq(m->perms, "r-xp");
	cr_assert_eq(m->dev_major, 8);
	cr_assert_eq(m->dev_minor, 2);
	cr_assert_eq(m->inode, 173521);
	cr_assert_str_eq(mapping_path(&l, m), "/usr/bin/my server",
			 "a path with a space is kept whole");
	cr_assert(!m->has_counts, "maps has no counts");
	cr_assert(isnan(m->kb[SMAPS_RSS]));
	cr_assert_str_eq(mapping_path(&l, &l.v[10]), "");
	cr_assert_eq(l.v[1].offset, 0x51000);
	cr_assert_str_eq(mapping_path(&l, &l.v[23]), "[vsyscall]");
	cr_assert_eq(l.v[23].start, 0xffffffffff600000ULL);
	mapping_list_free(&l);
	free(text);
}

Test(smaps, vmflags)
{
	struct mapping_list l = {0};
	struct error err;
	const char *text =
	    "7f0000c00000-7f0001000000 rw-s 00000000 00:0f 99 /huge\n"
	    "Size:               4096 kB\n"
	    "Private_Hugetlb:    2048 kB\n"
	    "VmFlags: rd wr sh mr mw me ms de ht sd \n"
	    "7ffd1a2f0000-7ffd1a311000 rw-p 00000000 00:00 0 [stack]\n"
	    "Rss:                  12 kB\n"
	    "VmFlags: rd wr mr mw me gd ac\n";

	cr_assert_eq(smaps_parse(text, &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.v[0].vmflags,
		     SMAPS_VM_HUGETLB | SMAPS_VM_SOFTDIRTY | SMAPS_VM_SHARED);
	cr_assert_eq(l.v[1].vmflags, SMAPS_VM_GROWSDOWN);
	cr_assert_eq(l.v[0].kb[SMAPS_PRIVATE_HUGETLB], 2048);
	cr_assert_eq(l.v[1].kb[SMAPS_RSS], 12);
	cr_assert(l.v[1].has_counts);
	mapping_list_free(&l);
}

Test(smaps, garbage_names_the_line)
{
	struct mapping_list l = {0};
	struct error err;

	cr_assert_lt(smaps_parse("00400000-00452000 r-xp 0 08:02 1 /a\n"
				 "Rss: 4 kB\n0040zzzz garbage\n",
				 &l, &err),
		     0);
	cr_assert(strstr(err.msg, "line 3") != NULL, "%s", err.msg);
	mapping_list_free(&l);
}

Test(smaps, empty_text_is_no_mappings)
{
	struct mapping_list l = {0};
	struct error err;

	cr_assert_eq(smaps_parse("", &l, &err), 0);
	cr_assert_eq(l.n, 0);
	mapping_list_free(&l);
}

/* A count is what the kernel prints, "%8lu kB": inf, negative or
 * non-numeric values are refused with the line, never summed. */
Test(smaps, impossible_counts_name_the_line)
{
	static const char *bad[] = {
	    "inf", "-4", "nan", "1e3", "lots", "", "99999999999999999999999"};
	struct mapping_list l = {0};
	struct error err;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text,
			 "00400000-00452000 r-xp 0 08:02 1 "
			 "/a\nRss: 4 kB\nPss: %s kB\n",
			 bad[i]);
		cr_assert_lt(smaps_parse(text, &l, &err), 0, "'%s' accepted",
			     bad[i]);
		cr_assert(strstr(err.msg, "line 3") != NULL, "%s", err.msg);
	}
	mapping_list_free(&l);
}

/* Fed in pieces of any size, the stream parser finds what the whole-text
 * parser finds: lines cut across two pieces are joined. */
Test(smaps, stream_in_pieces_matches_whole)
{
	static const size_t pieces[] = {1, 7, 64, 1000};
	char *text = smaps_fixture("zoo.smaps");
	struct mapping_list whole = {0}, l = {0};
	struct smaps_parser sp;
	struct error err;
	size_t len = strlen(text), k, have, fed, i;
	char buf[8192];
	long used;

	cr_assert_eq(smaps_parse(text, &whole, &err), 0, "%s", err.msg);
	for (k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
		smaps_parser_init(&sp, &l);
		have = fed = 0;
		while (fed < len || have > 0) {
			size_t take =
			    len - fed < pieces[k] ? len - fed : pieces[k];

			memcpy(buf + have, text + fed, take);
			have += take;
			fed += take;
			used =
			    smaps_parse_lines(&sp, buf, have, fed == len, &err);
			cr_assert_geq(used, 0, "%s", err.msg);
			have -= (size_t)used;
			memmove(buf, buf + used, have);
			if (fed == len)
				break;
		}
		cr_assert_eq(l.n, whole.n, "pieces of %zu", pieces[k]);
		for (i = 0; i < l.n; i++) {
			cr_assert_eq(l.v[i].start, whole.v[i].start);
			cr_assert_eq(l.v[i].end, whole.v[i].end);
			cr_assert_eq(l.v[i].inode, whole.v[i].inode);
			cr_assert_eq(l.v[i].vmflags, whole.v[i].vmflags);
			cr_assert_str_eq(mapping_path(&l, &l.v[i]),
					 mapping_path(&whole, &whole.v[i]));
			cr_assert_eq(memcmp(l.v[i].kb, whole.v[i].kb,
					    SMAPS_NFIELDS * sizeof *l.v[i].kb),
				     0, "mapping %zu, pieces of %zu", i,
				     pieces[k]);
		}
	}
	mapping_list_free(&whole);
	mapping_list_free(&l);
	free(text);
}

/* smaps_read parses a file through a buffer far smaller than the file,
 * and says which line does not fit when one is longer than the buffer. */
Test(smaps, read_through_a_small_buffer)
{
	struct mapping_list l = {0}, whole = {0};
	char path[512], buf[600], *text = smaps_fixture("zoo.smaps");
	struct error err;
	int fd;

	snprintf(path, sizeof path, "%s/smaps/zoo.smaps", tu_fixtures());
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(smaps_parse(text, &whole, &err), 0, "%s", err.msg);
	cr_assert_eq(smaps_read(fd, buf, sizeof buf, &l, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(l.n, whole.n);
	cr_assert_eq(l.v[l.n - 1].kb[SMAPS_RSS],
		     whole.v[l.n - 1].kb[SMAPS_RSS]);
	cr_assert_lt(smaps_read(fd, buf, 40, &l, &err), 0);
	cr_assert(strstr(err.msg, "line 1 is longer") != NULL, "%s", err.msg);
	close(fd);
	mapping_list_free(&l);
	mapping_list_free(&whole);
	free(text);
}

/* Every counter name maps to its own column, and near misses (a prefix,
 * a longer name, another case) to none. */
Test(smaps, field_names_exact)
{
	static const struct {
		const char *name;
		enum smaps_field f;
	} names[] = {
	    {"Size", SMAPS_SIZE},
	    {"Rss", SMAPS_RSS},
	    {"Pss", SMAPS_PSS},
	    {"Shared_Clean", SMAPS_SHARED_CLEAN},
	    {"Shared_Dirty", SMAPS_SHARED_DIRTY},
	    {"Private_Clean", SMAPS_PRIVATE_CLEAN},
	    {"Private_Dirty", SMAPS_PRIVATE_DIRTY},
	    {"Referenced", SMAPS_REFERENCED},
	    {"Anonymous", SMAPS_ANONYMOUS},
	    {"KSM", SMAPS_KSM},
	    {"AnonHugePages", SMAPS_ANON_HUGE},
	    {"ShmemPmdMapped", SMAPS_SHMEM_PMD},
	    {"FilePmdMapped", SMAPS_FILE_PMD},
	    {"Shared_Hugetlb", SMAPS_SHARED_HUGETLB},
	    {"Private_Hugetlb", SMAPS_PRIVATE_HUGETLB},
	    {"Swap", SMAPS_SWAP},
	    {"SwapPss", SMAPS_SWAP_PSS},
	};
	static const char *others[] = {"Pss_Dirty",
				       "Pss_Anon",
				       "Pss_File",
				       "Pss_Shmem",
				       "KernelPageSize",
				       "Locked",
				       "LazyFree",
				       "rss",
				       "Rs",
				       "Rsss",
				       "THPeligible",
				       "MMUPageSize"};
	struct mapping_list l = {0};
	struct error err;
	char text[256];
	size_t i, f;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(text, sizeof text,
			 "00400000-00452000 r-xp 0 08:02 1 /a\n%s: %zu kB\n",
			 names[i].name, i + 1);
		cr_assert_eq(smaps_parse(text, &l, &err), 0, "%s", err.msg);
		for (f = 0; f < SMAPS_NFIELDS; f++)
			if (f == names[i].f)
				cr_assert_eq(l.v[0].kb[f], (double)(i + 1),
					     "%s", names[i].name);
			else
				cr_assert(isnan(l.v[0].kb[f]), "%s set %zu",
					  names[i].name, f);
	}
	for (i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(text, sizeof text,
			 "00400000-00452000 r-xp 0 08:02 1 /a\n%s: 7 kB\n",
			 others[i]);
		cr_assert_eq(smaps_parse(text, &l, &err), 0, "%s", err.msg);
		for (f = 0; f < SMAPS_NFIELDS; f++)
			cr_assert(isnan(l.v[0].kb[f]), "%s set %zu", others[i],
				  f);
	}
	mapping_list_free(&l);
}

/* Counters live apart from the mappings, one row per mapping that has
 * any: mappings with and without counts in any order each read their
 * own, and a mapping without any reads all unknown. */
Test(smaps, counts_rows_follow_their_mappings)
{
	struct mapping_list l = {0};
	struct error err;
	size_t i;

	cr_assert_eq(smaps_parse("00400000-00401000 r-xp 0 08:02 1 /a\n"
				 "Rss: 4 kB\n"
				 "00401000-00402000 r-xp 0 08:02 1 /a\n"
				 "VmFlags: rd\n"
				 "00402000-00403000 r-xp 0 08:02 1 /a\n"
				 "Size: 4 kB\nRss: 8 kB\n"
				 "00403000-00404000 r-xp 0 08:02 1 /a\n",
				 &l, &err),
		     0, "%s", err.msg);
	cr_assert_eq(l.n, 4);
	cr_assert(l.v[0].has_counts && !l.v[1].has_counts &&
		  l.v[2].has_counts && !l.v[3].has_counts);
	cr_assert_eq(l.v[0].kb[SMAPS_RSS], 4);
	cr_assert(isnan(l.v[0].kb[SMAPS_SIZE]));
	cr_assert_eq(l.v[2].kb[SMAPS_RSS], 8);
	cr_assert_eq(l.v[2].kb[SMAPS_SIZE], 4);
	for (i = 0; i < SMAPS_NFIELDS; i++) {
		cr_assert(isnan(l.v[1].kb[i]));
		cr_assert(isnan(l.v[3].kb[i]));
	}
	mapping_list_free(&l);
}
