/*
 * Intervals, sizes, percentages and human formatting (src/util/units.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "util/units.h"

Test(units, interval_units)
{
	static const struct {
		const char *text;
		uint64_t ns;
	} ok[] = {
	    {"250ms", 250000000ULL},  {"1s", 1000000000ULL},
	    {"1.5s", 1500000000ULL},  {"5m", 300000000000ULL},
	    {"1h", 3600000000000ULL}, {"2d", 172800000000000ULL},
	    {"10", 10000000000ULL},   {"1min", 60000000000ULL},
	    {"1MS", 1000000ULL},      {"2500us", 2500000ULL},
	};
	struct error err;
	uint64_t ns;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cr_assert_eq(units_parse_duration(ok[i].text, &ns, &err), 0,
			     "%s: %s", ok[i].text, err.msg);
		cr_assert_eq(ns, ok[i].ns, "%s gave %llu", ok[i].text,
			     (unsigned long long)ns);
	}
}

Test(units, interval_rejects_malformed)
{
	static const char *bad[] = {
	    "",	 "s",	"1x",	 "-1s", "+1s", "1 s x", "1s1",	"abc",
	    "0", "0ms", "100us", "inf", "nan", "1e400", "367d", "1.s.",
	};
	struct error err;
	uint64_t ns = 42;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_lt(units_parse_duration(bad[i], &ns, &err), 0,
			     "'%s' accepted", bad[i]);
		cr_assert_eq(ns, 42, "'%s' wrote a value", bad[i]);
		cr_assert(strstr(err.msg, "interval") != NULL, "%s", err.msg);
	}
}

Test(units, sizes_are_binary)
{
	struct error err;
	uint64_t b;

	cr_assert_eq(units_parse_size("512K", &b, &err), 0);
	cr_assert_eq(b, 524288);
	cr_assert_eq(units_parse_size("64MiB", &b, &err), 0);
	cr_assert_eq(b, 67108864);
	cr_assert_eq(units_parse_size("1.5G", &b, &err), 0);
	cr_assert_eq(b, 1610612736ULL);
	cr_assert_eq(units_parse_size("4096", &b, &err), 0);
	cr_assert_eq(b, 4096);
	cr_assert_lt(units_parse_size("12Q", &b, &err), 0);
}

Test(units, percent_and_count)
{
	struct error err;
	uint64_t n;
	double f;

	cr_assert_eq(units_parse_percent("2%", &f, &err), 0);
	cr_assert_float_eq(f, 0.02, 1e-12);
	cr_assert_eq(units_parse_percent("100%", &f, &err), 0);
	cr_assert_float_eq(f, 1.0, 1e-12);
	cr_assert_lt(units_parse_percent("2", &f, &err), 0);
	cr_assert_lt(units_parse_percent("0%", &f, &err), 0);
	cr_assert_lt(units_parse_percent("101%", &f, &err), 0);
	cr_assert_eq(units_parse_count("30", &n, &err), 0);
	cr_assert_eq(n, 30);
	cr_assert_lt(units_parse_count("0", &n, &err), 0);
	cr_assert_lt(units_parse_count("-3", &n, &err), 0);
	cr_assert_lt(units_parse_count("3x", &n, &err), 0);
}

Test(units, human_kib)
{
	char buf[32];

	units_format_kib(buf, sizeof buf, 812, false, false);
	cr_assert_str_eq(buf, "812 KiB");
	units_format_kib(buf, sizeof buf, 65536, false, false);
	cr_assert_str_eq(buf, "64.0 MiB");
	units_format_kib(buf, sizeof buf, 1.23 * 1048576, false, false);
	cr_assert_str_eq(buf, "1.23 GiB");
	units_format_kib(buf, sizeof buf, 2048, false, true);
	cr_assert_str_eq(buf, "+2.00 MiB");
	units_format_kib(buf, sizeof buf, -512, false, true);
	cr_assert_str_eq(buf, "-512 KiB");
	units_format_kib(buf, sizeof buf, 65536, true, false);
	cr_assert_str_eq(buf, "65536");
	units_format_kib(buf, sizeof buf, NAN, false, false);
	cr_assert_str_eq(buf, "-");
}

Test(units, human_durations)
{
	char buf[32];

	units_format_duration(buf, sizeof buf, 0.000123);
	cr_assert_str_eq(buf, "123 us");
	units_format_duration(buf, sizeof buf, 0.00234);
	cr_assert_str_eq(buf, "2.34 ms");
	units_format_duration(buf, sizeof buf, 0.25);
	cr_assert_str_eq(buf, "250 ms");
	units_format_duration(buf, sizeof buf, 29.04);
	cr_assert_str_eq(buf, "29.0 s");
	units_format_duration(buf, sizeof buf, 725);
	cr_assert_str_eq(buf, "12 min 5 s");
	units_format_duration(buf, sizeof buf, 3 * 3600 + 12 * 60);
	cr_assert_str_eq(buf, "3 h 12 min");
	units_format_duration(buf, sizeof buf, 2 * 86400 + 4 * 3600);
	cr_assert_str_eq(buf, "2 d 4 h");
}

/* Values no run produces still print as a number with its unit: no
 * float-to-int overflow ("-2147483648 d"), no digits pushing the unit
 * off the end of the buffer, no "-inf". */
Test(units, absurd_values_stay_readable)
{
	char buf[32];

	units_format_duration(buf, sizeof buf, 2e14);
	cr_assert(strchr(buf, '-') == NULL && strstr(buf, " d") != NULL, "%s",
		  buf);
	units_format_duration(buf, sizeof buf, INFINITY);
	cr_assert_str_eq(buf, "-");
	units_format_kib(buf, sizeof buf, 1e290, false, true);
	cr_assert(strstr(buf, "PiB") != NULL, "%s", buf);
	units_format_kib(buf, sizeof buf, -1e290, true, false);
	cr_assert(strlen(buf) < sizeof buf - 1, "%s", buf);
	units_format_kib(buf, sizeof buf, -INFINITY, false, true);
	cr_assert_str_eq(buf, "-");
	units_format_kib(buf, sizeof buf, INFINITY, true, false);
	cr_assert_str_eq(buf, "-");
}

Test(units, escaped_text_has_no_control_characters)
{
	char buf[64];

	units_escape_text(buf, sizeof buf, "a\033[31mb\tc\\d\x7f");
	cr_assert_str_eq(buf, "a\\x1b[31mb\\x09c\\\\d\\x7f");
	units_escape_text(buf, sizeof buf, "caf\xc3\xa9 \xe2\x82\xac");
	/* UTF-8 is kept; C1 controls and bytes that are not UTF-8 are not. */
	cr_assert_str_eq(buf, "caf\xc3\xa9 \xe2\x82\xac");
	units_escape_text(buf, sizeof buf,
			  "x\xc2\x9b"
			  "1m\x9b\xff");
	cr_assert_str_eq(buf, "x\\xc2\\x9b1m\\x9b\\xff");
	units_escape_text(buf, 6, "ab\033cd");
	cr_assert_str_eq(buf, "ab"); /* never half an escape */
}

Test(units, quoted_text_escapes_the_quote_too)
{
	char buf[64];

	units_escape_quoted(buf, sizeof buf, "say \"hi\"\\\n\xc3\xa9");
	cr_assert_str_eq(buf, "say \\\"hi\\\"\\\\\\x0a\xc3\xa9");
	units_escape_text(buf, sizeof buf, "say \"hi\"");
	cr_assert_str_eq(buf, "say \"hi\""); /* a terminal needs no \" */
	units_escape_quoted(buf, 4, "ab\"c");
	cr_assert_str_eq(buf, "ab"); /* never half an escape */
}
