/*
 * Parsing and printing of the units memtrend's users type and read.
 * Sizes are binary (K = KiB = 1024 bytes), as in /proc.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/units.h"

struct units_suffix {
	const char *name;
	double scale;
};

/* Parses "<number><suffix>" with suffix from the table ("" allowed when
 * the table has it). */
static int
units_parse_scaled(const char *text, const struct units_suffix *suffixes,
		   double *out)
{
	const struct units_suffix *s;
	char *end;
	double v;

	if (text == NULL || *text == '\0' || *text == '-' || *text == '+')
		return -EINVAL;
	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || !isfinite(v) || v < 0)
		return -EINVAL;
	for (s = suffixes; s->name != NULL; s++) {
		if (strcasecmp(end, s->name) == 0) {
			*out = v * s->scale;
			return 0;
		}
	}
	return -EINVAL;
}

int
units_parse_duration(const char *text, uint64_t *ns, struct error *err)
{
	static const struct units_suffix suffixes[] = {
	    {"", 1e9},	   {"s", 1e9},	   {"ms", 1e6},
	    {"us", 1e3},   {"m", 60e9},	   {"min", 60e9},
	    {"h", 3600e9}, {"d", 86400e9}, {NULL, 0}};
	double v;

	if (units_parse_scaled(text, suffixes, &v) != 0)
		return error_set(err, EINVAL,
				 "invalid interval '%s' (use "
				 "e.g. 250ms, 1s, 5m, 1h)",
				 text ? text : "");
	if (v < 1e6 || v > 366 * 86400e9)
		return error_set(err, ERANGE,
				 "interval '%s' out of range "
				 "(1ms to 366d)",
				 text);
	*ns = (uint64_t)llround(v);
	return 0;
}

int
units_parse_size(const char *text, uint64_t *bytes, struct error *err)
{
	static const struct units_suffix suffixes[] = {{"", 1},
						       {"b", 1},
						       {"k", 1024.0},
						       {"kib", 1024.0},
						       {"kb", 1024.0},
						       {"m", 1048576.0},
						       {"mib", 1048576.0},
						       {"mb", 1048576.0},
						       {"g", 1073741824.0},
						       {"gib", 1073741824.0},
						       {"gb", 1073741824.0},
						       {NULL, 0}};
	double v;

	if (units_parse_scaled(text, suffixes, &v) != 0 || v > 1e18)
		return error_set(err, EINVAL,
				 "invalid size '%s' (use e.g. "
				 "4096, 512K, 64M, 1G)",
				 text ? text : "");
	*bytes = (uint64_t)llround(v);
	return 0;
}

int
units_parse_percent(const char *text, double *fraction, struct error *err)
{
	static const struct units_suffix suffixes[] = {{"%", 0.01}, {NULL, 0}};
	double v;

	if (units_parse_scaled(text, suffixes, &v) != 0 || v <= 0 || v > 1)
		return error_set(err, EINVAL,
				 "invalid percentage '%s' (use "
				 "e.g. 2%%, 0.5%%, 100%%)",
				 text ? text : "");
	*fraction = v;
	return 0;
}

bool
units_parse_whole(const char *text, uint64_t *n)
{
	unsigned long long v;
	char *end;

	if (text == NULL || *text < '0' || *text > '9')
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*n = v;
	return true;
}

int
units_parse_count(const char *text, uint64_t *n, struct error *err)
{
	uint64_t v;

	if (!units_parse_whole(text, &v) || v == 0)
		return error_set(err, EINVAL,
				 "invalid count '%s' (use a whole "
				 "number above 0)",
				 text ? text : "");
	*n = v;
	return 0;
}

double
units_kib_scale(double kib, double at_least, const char **name)
{
	static const char *const names[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
	double a = fabs(kib), div = 1;
	size_t u = 0;

	while (a / div / 1024 >= at_least &&
	       u + 1 < sizeof names / sizeof names[0]) {
		div *= 1024;
		u++;
	}
	*name = names[u];
	return div;
}

void
units_format_kib(char *buf, size_t len, double kib, bool raw, bool signed_)
{
	const char *sign = signed_ && kib > 0 ? "+" : "";
	double a = fabs(kib), div;
	const char *unit;

	if (!isfinite(kib)) {
		snprintf(buf, len, "-");
		return;
	}
	if (raw && a < 1e15) {
		snprintf(buf, len, "%s%.0f", sign, kib);
		return;
	}
	div = units_kib_scale(kib, 1, &unit);
	a /= div;
	kib /= div;
	if (raw || a >= 1e6) /* beyond any real size: keep it short */
		snprintf(buf, len, "%s%.3g %s", sign, kib, unit);
	else if (div == 1 || a >= 100)
		snprintf(buf, len, "%s%.0f %s", sign, kib, unit);
	else if (a >= 10)
		snprintf(buf, len, "%s%.1f %s", sign, kib, unit);
	else
		snprintf(buf, len, "%s%.2f %s", sign, kib, unit);
}

void
units_format_duration(char *buf, size_t len, double s)
{
	if (!isfinite(s) || s < 0)
		snprintf(buf, len, "-");
	else if (s < 0.001)
		snprintf(buf, len, "%.0f us", s * 1e6);
	else if (s < 0.01)
		snprintf(buf, len, "%.2f ms", s * 1000);
	else if (s < 0.1)
		snprintf(buf, len, "%.1f ms", s * 1000);
	else if (s < 1)
		snprintf(buf, len, "%.0f ms", s * 1000);
	else if (s < 60)
		snprintf(buf, len, "%.1f s", s);
	else if (s < 3600)
		snprintf(buf, len, "%d min %d s", (int)(s / 60),
			 (int)fmod(s, 60));
	else if (s < 86400)
		snprintf(buf, len, "%d h %d min", (int)(s / 3600),
			 (int)fmod(s / 60, 60));
	else if (s < 1e9 * 86400) /* the day count fits an int */
		snprintf(buf, len, "%d d %d h", (int)(s / 86400),
			 (int)fmod(s / 3600, 24));
	else
		snprintf(buf, len, "%.3g d", s / 86400);
}

size_t
units_utf8_len(const unsigned char *p)
{
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (p[0] == 0xc2 && p[1] < 0xa0)
		return 0; /* U+0080..U+009F: C1 controls */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0; /* overlong, surrogate, beyond U+10FFFF */
	return n;
}

static void
units_escape(char *buf, size_t len, const char *text, bool quote)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t j = 0, n, adv;
	char esc[8];

	if (len == 0)
		return;
	while (*p != '\0') {
		adv = 1;
		if (*p == '\\' || (quote && *p == '"')) {
			n = 2;
			esc[0] = '\\';
			esc[1] = (char)*p;
		} else if (*p >= 0x20 && *p < 0x7f) {
			n = 1;
			esc[0] = (char)*p;
		} else if ((adv = units_utf8_len(p)) > 0) {
			n = adv;
			memcpy(esc, p, n);
		} else {
			adv = 1;
			n = 4;
			snprintf(esc, sizeof esc, "\\x%02x", *p);
		}
		if (j + n >= len)
			break;
		memcpy(buf + j, esc, n);
		j += n;
		p += adv;
	}
	buf[j] = '\0';
}

void
units_escape_text(char *buf, size_t len, const char *text)
{
	units_escape(buf, len, text, false);
}

void
units_escape_quoted(char *buf, size_t len, const char *text)
{
	units_escape(buf, len, text, true);
}
