/*
 * The capture-only build's /proc readers (src/util/procfs.c), on the
 * kernel's text and on hostile command names.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>

#include "util/procfs.h"

Test(procfs, key_value_files)
{
	const char *status = "Name:\tleaky\nVmSize:\t  123456 kB\n"
			     "VmRSS:\t    2048 kB\nRssAnon:\t 1024 kB\n";
	double v = -1;

	cr_assert_eq(procfs_kv(status, "VmRSS", &v), 0);
	cr_assert_eq(v, 2048);
	cr_assert_eq(procfs_kv(status, "VmSize", &v), 0);
	cr_assert_eq(v, 123456);
	/* A key is a whole name at a line start, not a prefix. */
	cr_assert_eq(procfs_kv(status, "Rss", &v), -ENOENT);
	cr_assert_eq(procfs_kv(status, "VmSwap", &v), -ENOENT);
	cr_assert_eq(procfs_kv("Name:\tVmRSS: 5 kB\n", "VmRSS", &v), -ENOENT);
}

Test(procfs, stat_fields)
{
	/* A real line, Linux 6.1: pid (comm) state ppid ... */
	const char *line =
	    "4242 (leaky) S 1 4242 4242 0 -1 4194560 1234 0 5 0 10 2 0 0 "
	    "20 0 3 0 987654 12345678 512 18446744073709551615 1 1 0 0 0 0 "
	    "0 0 0 0 0 0 17 0 0 0 0 0 0\n";
	struct procfs_stat st;

	cr_assert_eq(procfs_stat(line, &st), 0);
	cr_assert_str_eq(st.comm, "leaky");
	cr_assert_eq(st.state, 'S');
	cr_assert_eq(st.flags, 4194560);
	cr_assert_eq(st.minflt, 1234);
	cr_assert_eq(st.majflt, 5);
	cr_assert_eq(st.threads, 3);
	cr_assert_eq(st.start, 987654);
}

Test(procfs, hostile_command_names)
{
	struct procfs_stat st;

	/* comm holds ") R 1 (" : the fields start after the last ')'. */
	cr_assert_eq(procfs_stat("7 (a) R 1 () Z 1 2 3 0 -1 64 9 0 8 0 0 0 "
				 "0 0 20 0 1 0 55 0 0\n",
				 &st),
		     0);
	cr_assert_str_eq(st.comm, "a) R 1 (");
	cr_assert_eq(st.state, 'Z');
	cr_assert_eq(st.ppid, 1);
	cr_assert_eq(st.minflt, 9);
	cr_assert_eq(st.start, 55);
	cr_assert_eq(procfs_stat("7 (x) S 1 2", &st), -EINVAL, "cut short");
	cr_assert_eq(procfs_stat("no parentheses", &st), -EINVAL);
	cr_assert_eq(procfs_stat("7 (x)", &st), -EINVAL);
}
