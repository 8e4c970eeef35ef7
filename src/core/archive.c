/*
 * The capture archive's codec (see archive.h; the format: docs/archive.md).
 * Integers are LEB128 varints (zigzag for signed ones), fixed-width
 * fields little-endian, doubles their IEEE 754 bits as a little-endian
 * u64: the same bytes on every architecture.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/archive.h"
#include "util/crc32.h"
#include "util/xmalloc.h"

void
archive_buf_free(struct archive_buf *b)
{
	free(b->b);
	memset(b, 0, sizeof *b);
}

void
archive_buf_add(struct archive_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return; /* p may be NULL: no memcpy(.., NULL, 0) */
	if (b->len + n > b->cap) {
		b->cap = b->cap * 2 > b->len + n ? b->cap * 2 : b->len + n + 64;
		b->b = xreallocarray(b->b, b->cap, 1);
	}
	memcpy(b->b + b->len, p, n);
	b->len += n;
}

void
archive_put_varint(struct archive_buf *b, uint64_t v)
{
	unsigned char out[10];
	size_t n = 0;

	do {
		out[n] = v & 0x7f;
		v >>= 7;
		out[n++] |= v != 0 ? 0x80 : 0;
	} while (v != 0);
	archive_buf_add(b, out, n);
}

void
archive_put_svarint(struct archive_buf *b, int64_t v)
{
	archive_put_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void
archive_put_string(struct archive_buf *b, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	archive_put_varint(b, n);
	archive_buf_add(b, s, n);
}

static void
archive_put_u64(struct archive_buf *b, uint64_t v)
{
	unsigned char out[8];
	int i;

	for (i = 0; i < 8; i++)
		out[i] = (unsigned char)(v >> (8 * i));
	archive_buf_add(b, out, 8);
}

static void
archive_put_double(struct archive_buf *b, double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof bits);
	archive_put_u64(b, bits);
}

uint64_t
archive_get_varint(struct archive_cur *c)
{
	uint64_t v = 0;
	unsigned int shift = 0;
	unsigned char byte;

	do {
		if (c->p >= c->end || shift > 63) {
			c->bad = true;
			return 0;
		}
		byte = *c->p++;
		v |= (uint64_t)(byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	return v;
}

int64_t
archive_get_svarint(struct archive_cur *c)
{
	uint64_t u = archive_get_varint(c);

	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

void
archive_get_string(struct archive_cur *c, char *buf, size_t len)
{
	uint64_t n = archive_get_varint(c);
	size_t keep;

	buf[0] = '\0';
	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return;
	}
	keep = n < len - 1 ? (size_t)n : len - 1;
	memcpy(buf, c->p, keep);
	buf[keep] = '\0';
	c->p += n;
}

static uint64_t
archive_get_u64(struct archive_cur *c)
{
	uint64_t v = 0;
	int i;

	if (c->end - c->p < 8) {
		c->bad = true;
		return 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += 8;
	return v;
}

static double
archive_get_double(struct archive_cur *c)
{
	uint64_t bits = archive_get_u64(c);
	double v;

	memcpy(&v, &bits, sizeof v);
	return v;
}

static void
archive_le32(unsigned char *out, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		out[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
archive_get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Magic, u16 format version, u16 flags (0), CRC-32 of those 12 bytes. */
void
archive_header(unsigned char out[ARCHIVE_HEADER_LEN])
{
	memcpy(out, ARCHIVE_MAGIC, ARCHIVE_MAGIC_LEN);
	out[8] = ARCHIVE_VERSION;
	out[9] = 0;
	out[10] = 0;
	out[11] = 0;
	archive_le32(out + 12, crc32_update(0, out, 12));
}

int
archive_check_header(const unsigned char *h, size_t len, unsigned int *version)
{
	*version = 0;
	if (len < ARCHIVE_HEADER_LEN ||
	    memcmp(h, ARCHIVE_MAGIC, ARCHIVE_MAGIC_LEN) != 0 ||
	    archive_get_le32(h + 12) != crc32_update(0, h, 12))
		return -EPROTO;
	*version = (unsigned int)h[8] | (unsigned int)h[9] << 8;
	return *version == ARCHIVE_VERSION ? 0 : -ENOTSUP;
}

/* The CRC covers the length bytes, the kind and the payload. */
void
archive_frame(struct archive_buf *out, enum archive_kind kind,
	      const unsigned char *payload, size_t len)
{
	size_t start = out->len;
	unsigned char k = (unsigned char)kind, crc[4];

	archive_put_varint(out, len);
	archive_buf_add(out, &k, 1);
	archive_buf_add(out, payload, len);
	archive_le32(crc, crc32_update(0, out->b + start, out->len - start));
	archive_buf_add(out, crc, 4);
}

enum archive_next
archive_next(const unsigned char *buf, size_t len, unsigned int *kind,
	     const unsigned char **payload, size_t *plen, size_t *size)
{
	struct archive_cur c = {buf, buf + len, false};
	uint64_t n;
	size_t head;

	if (len == 0)
		return ARCHIVE_NEXT_END;
	n = archive_get_varint(&c);
	if (c.bad)
		return len >= 10 ? ARCHIVE_NEXT_TOO_LONG : ARCHIVE_NEXT_TORN;
	if (n > ARCHIVE_MAX_PAYLOAD)
		return ARCHIVE_NEXT_TOO_LONG;
	head = (size_t)(c.p - buf);
	if (len - head < n + 5)
		return ARCHIVE_NEXT_TORN;
	if (archive_get_le32(c.p + 1 + n) != crc32_update(0, buf, head + 1 + n))
		return ARCHIVE_NEXT_BAD_CRC;
	*kind = *c.p;
	*payload = c.p + 1;
	*plen = (size_t)n;
	*size = head + 1 + (size_t)n + 4;
	return ARCHIVE_NEXT_OK;
}

void
archive_encode_session(struct archive_buf *b, const struct archive_session *s)
{
	archive_put_string(b, s->version);
	archive_put_string(b, s->kernel);
	archive_put_string(b, s->arch);
	archive_put_string(b, s->hostname);
	archive_put_string(b, s->boot_id);
	archive_put_varint(b, s->page_size);
	archive_put_svarint(b, s->origin_ms);
	archive_put_varint(b, s->interval_ms);
}

int
archive_decode_session(struct archive_cur *c, struct archive_session *s)
{
	archive_get_string(c, s->version, sizeof s->version);
	archive_get_string(c, s->kernel, sizeof s->kernel);
	archive_get_string(c, s->arch, sizeof s->arch);
	archive_get_string(c, s->hostname, sizeof s->hostname);
	archive_get_string(c, s->boot_id, sizeof s->boot_id);
	s->page_size = archive_get_varint(c);
	s->origin_ms = archive_get_svarint(c);
	s->interval_ms = archive_get_varint(c);
	return c->bad ? -EBADMSG : 0;
}

void
archive_encode_target(struct archive_buf *b, const struct archive_target *t)
{
	archive_put_varint(b, t->id);
	archive_put_svarint(b, t->pid);
	archive_put_varint(b, t->start_ticks);
	archive_put_string(b, t->comm);
	archive_put_svarint(b, t->status);
	archive_put_string(b, t->how);
	if (t->group[0] != '\0')
		archive_put_string(b, t->group);
}

unsigned int
archive_decode_id(struct archive_cur *c)
{
	uint64_t id = archive_get_varint(c);

	if (id >= ARCHIVE_MAX_TARGETS)
		c->bad = true;
	return c->bad ? 0 : (unsigned int)id;
}

int
archive_decode_target(struct archive_cur *c, struct archive_target *t)
{
	t->id = archive_decode_id(c);
	t->pid = archive_get_svarint(c);
	t->start_ticks = archive_get_varint(c);
	archive_get_string(c, t->comm, sizeof t->comm);
	t->status = archive_get_svarint(c);
	archive_get_string(c, t->how, sizeof t->how);
	t->group[0] = '\0';
	if (c->p < c->end) /* an archive of one target has none */
		archive_get_string(c, t->group, sizeof t->group);
	return c->bad ? -EBADMSG : 0;
}

/* Sizes are kept to the byte (a cgroup's limit is bytes / 1024), every
 * other field whole. */
static double
archive_scale(int f)
{
	return fields[f].kind == FIELD_KIB ? 1024.0 : 1.0;
}

/* Values past 2^62 are damage (replay_out_of_range() refuses them). */
static int64_t
archive_to_int(double v, double scale)
{
	double x = nearbyint(v * scale);

	return x > 4.6e18    ? INT64_C(4600000000000000000)
	       : x < -4.6e18 ? -INT64_C(4600000000000000000)
			     : (int64_t)x;
}

/* The wall clock in whole ms as the CSV writes it: cut, not rounded
 * (csv_format_time()), so an export prints the same milliseconds. */
static int64_t
archive_wall_ms(double wall_s)
{
	double secs = floor(wall_s);
	int64_t ms = (int64_t)((wall_s - secs) * 1000);

	return archive_to_int(secs, 1000) + (ms > 999 ? 999 : ms);
}

/* Elapsed time in ms as the CSV's "%.3f" shows it (its rounding of a
 * double at a half millisecond is printf's, not nearbyint's). */
static int64_t
archive_elapsed_ms(double elapsed_s)
{
	char text[48], *dot;

	if (!(fabs(elapsed_s) < 4e15))
		return archive_to_int(elapsed_s, 1000);
	snprintf(text, sizeof text, "%.3f", elapsed_s);
	if ((dot = strchr(text, '.')) != NULL)
		memmove(dot, dot + 1, strlen(dot));
	return strtoll(text, NULL, 10);
}

/*
 * Target id; elapsed and wall clock in ms as deltas against the previous
 * sample; the tiers that ran; the known-fields mask; the changed-fields
 * mask (of the known ones, those whose value differs from the previous
 * sample's or were unknown then); a zigzag delta per changed field.
 */
void
archive_encode_process(struct archive_buf *b, unsigned int id,
		       struct archive_delta *d, const struct sample *s)
{
	int64_t elapsed = archive_elapsed_ms(s->elapsed_s);
	int64_t wall =
	    isfinite(s->wall_s) ? archive_wall_ms(s->wall_s) : d->wall_ms;
	int64_t v[FIELD_COUNT];
	uint64_t known = 0, changed = 0;
	int f;

	for (f = 0; f < FIELD_COUNT; f++) {
		if (isnan(s->value[f]))
			continue;
		known |= UINT64_C(1) << f;
		v[f] = archive_to_int(s->value[f], archive_scale(f));
		if (!d->have || !((d->known >> f) & 1) || v[f] != d->v[f])
			changed |= UINT64_C(1) << f;
	}
	archive_put_varint(b, id);
	archive_put_svarint(b, elapsed - (d->have ? d->elapsed_ms : 0));
	archive_put_svarint(b, wall - (d->have ? d->wall_ms : 0));
	archive_put_varint(b, s->tiers);
	archive_put_varint(b, known);
	archive_put_varint(b, changed);
	for (f = 0; f < FIELD_COUNT; f++) {
		if (!((changed >> f) & 1))
			continue;
		archive_put_svarint(
		    b, v[f] - (((d->known >> f) & 1) && d->have ? d->v[f] : 0));
		d->v[f] = v[f];
	}
	d->have = true;
	d->known = known;
	d->elapsed_ms = elapsed;
	d->wall_ms = wall;
}

int
archive_decode_process(struct archive_cur *c, struct archive_delta *d,
		       struct sample *s)
{
	uint64_t known, changed, all = (UINT64_C(1) << FIELD_COUNT) - 1;
	int f;

	sample_clear(s);
	d->elapsed_ms += archive_get_svarint(c);
	d->wall_ms += archive_get_svarint(c);
	s->tiers = (unsigned int)archive_get_varint(c);
	known = archive_get_varint(c);
	changed = archive_get_varint(c);
	if (c->bad || (known & ~all) != 0 || (changed & ~known) != 0)
		return -EBADMSG;
	for (f = 0; f < FIELD_COUNT; f++) {
		if ((changed >> f) & 1)
			d->v[f] = (((d->known >> f) & 1) ? d->v[f] : 0) +
				  archive_get_svarint(c);
		if ((known >> f) & 1)
			s->value[f] = (double)d->v[f] / archive_scale(f);
	}
	if (c->bad)
		return -EBADMSG;
	d->known = known;
	d->have = true;
	s->elapsed_s = (double)d->elapsed_ms / 1000;
	/* Half a millisecond up, so the CSV's truncated milliseconds are
	 * those that were stored. */
	s->wall_s = ((double)d->wall_ms + 0.5) / 1000;
	s->partial = s->value[FIELD_PARTIAL] == 1;
	return 0;
}

/* A region value: a whole number (most are KiB) as a zigzag varint
 * shifted left one bit, anything else as 1 and its IEEE double. */
static void
archive_put_value(struct archive_buf *b, double v)
{
	if (v == nearbyint(v) && fabs(v) < 4e18 && !(v == 0 && signbit(v))) {
		archive_put_varint(b, ((uint64_t)(int64_t)v << 2) ^
					  (uint64_t)((int64_t)v >> 63) << 1);
		return;
	}
	archive_put_varint(b, 1);
	archive_put_double(b, v);
}

static double
archive_get_value(struct archive_cur *c)
{
	uint64_t u = archive_get_varint(c);

	if (u & 1)
		return u == 1 ? archive_get_double(c) : (c->bad = true, NAN);
	u >>= 1;
	return (double)((int64_t)(u >> 1) ^ -(int64_t)(u & 1));
}

/* Target id, source, idle method, count; then per region its name, kind,
 * known mask and each known value (archive_put_value()). */
void
archive_encode_regions(struct archive_buf *b, unsigned int id,
		       const struct region_set *set)
{
	const struct region *r;
	uint64_t known;
	size_t i;
	int f;

	archive_put_varint(b, id);
	archive_put_varint(b, set->source);
	archive_put_string(b, set->idle_method);
	archive_put_varint(b, set->n);
	for (i = 0; i < set->n; i++) {
		r = &set->v[i];
		known = 0;
		for (f = 0; f < REGION_FIELD_COUNT; f++)
			known |= (uint64_t)!isnan(r->v[f]) << f;
		archive_put_string(b, r->name);
		archive_put_varint(b, r->kind);
		archive_put_varint(b, known);
		for (f = 0; f < REGION_FIELD_COUNT; f++)
			if ((known >> f) & 1)
				archive_put_value(b, r->v[f]);
	}
}

int
archive_decode_regions(struct archive_cur *c, struct region_set *set,
		       char *idle, size_t idle_len)
{
	uint64_t n, known, kind, source, i;
	struct region *r;
	char name[4096];
	int f;

	regions_reset(set);
	source = archive_get_varint(c);
	archive_get_string(c, idle, idle_len);
	n = archive_get_varint(c);
	if (c->bad || source > REGION_SOURCE_ESTIMATE ||
	    n > (uint64_t)(c->end - c->p))
		return -EBADMSG;
	set->source = (enum region_source)source;
	set->idle_method = idle[0] != '\0' ? idle : NULL;
	for (i = 0; i < n; i++) {
		archive_get_string(c, name, sizeof name);
		kind = archive_get_varint(c);
		known = archive_get_varint(c);
		if (c->bad || kind >= REGION_KIND_COUNT)
			return -EBADMSG;
		r = regions_append(set, name, (enum region_kind)kind);
		for (f = 0; f < REGION_FIELD_COUNT; f++)
			r->v[f] = (known >> f) & 1 ? archive_get_value(c) : NAN;
		if (c->bad)
			return -EBADMSG;
	}
	return 0;
}

void
archive_encode_system_names(struct archive_buf *b, struct archive_sysbase *base)
{
	int i;

	memset(base, 0, sizeof *base);
	base->n = KF_COUNT;
	archive_put_varint(b, KF_COUNT);
	for (i = 0; i < KF_COUNT; i++) {
		archive_put_string(b, kfields[i].name);
		base->field[i] = i;
	}
}

int
archive_decode_system_names(struct archive_cur *c, struct archive_sysbase *base)
{
	char name[64];
	uint64_t n = archive_get_varint(c), i;

	memset(base, 0, sizeof *base);
	if (n > ARCHIVE_MAX_SYSTEM)
		return -EBADMSG;
	for (i = 0; i < n && !c->bad; i++) {
		archive_get_string(c, name, sizeof name);
		base->field[i] = kfields_find(name);
	}
	base->n = (size_t)n;
	return c->bad ? -EBADMSG : 0;
}

void
archive_encode_system(struct archive_buf *b, double elapsed_s,
		      struct archive_sysbase *base,
		      const double value[KF_COUNT])
{
	int64_t x[ARCHIVE_MAX_SYSTEM];
	bool send[ARCHIVE_MAX_SYSTEM];
	size_t i, count = 0;

	for (i = 0; i < base->n; i++) {
		send[i] = !isnan(value[base->field[i]]);
		x[i] = send[i] ? archive_to_int(value[base->field[i]], 1) : 0;
		send[i] = send[i] && (!base->known[i] || x[i] != base->v[i]);
		count += send[i];
	}
	archive_put_varint(b, (uint64_t)archive_to_int(elapsed_s, 1000));
	archive_put_varint(b, count);
	for (i = 0; i < base->n; i++) {
		if (!send[i])
			continue;
		archive_put_varint(b, i);
		archive_put_svarint(b, x[i] - base->v[i]);
		base->v[i] = x[i];
		base->known[i] = true;
	}
}

int
archive_decode_system(struct archive_cur *c, int64_t *elapsed_ms,
		      struct archive_sysbase *base, double value[KF_COUNT])
{
	uint64_t n, i, idx;
	int f;

	*elapsed_ms = (int64_t)archive_get_varint(c);
	n = archive_get_varint(c);
	for (i = 0; i < n && !c->bad; i++) {
		idx = archive_get_varint(c);
		if (idx >= base->n)
			return -EBADMSG;
		/* Unsigned: a damaged record wraps, it does not overflow. */
		base->v[idx] = (int64_t)((uint64_t)base->v[idx] +
					 (uint64_t)archive_get_svarint(c));
		base->known[idx] = true;
	}
	for (f = 0; f < KF_COUNT; f++)
		value[f] = NAN;
	for (i = 0; i < base->n; i++)
		if (base->known[i] && base->field[i] >= 0)
			value[base->field[i]] = (double)base->v[i];
	return c->bad ? -EBADMSG : 0;
}
