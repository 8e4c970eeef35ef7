/*
 * The capture archive's codec (docs/archive.md): a 16-byte file header,
 * then records, each a varint length, a kind byte, the payload and a
 * CRC-32, all little-endian whatever the machine.  A process sample is
 * delta-encoded against the target's previous one, so the writer
 * (sinks/archive.c) and the reader (analysis/archread.c) each keep a
 * struct archive_delta per target and the same calls keep them in step.
 * Pure functions over buffers: no file, no /proc.
 */
#ifndef MEMTREND_CORE_ARCHIVE_H
#define MEMTREND_CORE_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/kernel.h"
#include "core/regions.h"
#include "core/sample.h"

#define ARCHIVE_MAGIC "\x89MTC\r\n\x1a\n"
#define ARCHIVE_MAGIC_LEN 8
#define ARCHIVE_HEADER_LEN 16
#define ARCHIVE_VERSION 1
/* A record's payload is at most this long: a region sample of a few
 * thousand mappings fits; a longer length is damage, not data. */
#define ARCHIVE_MAX_PAYLOAD (4u << 20)
/* Targets one archive can tell apart (record target ids 0..N-1). */
#define ARCHIVE_MAX_TARGETS 256

enum archive_kind {
	ARCHIVE_SESSION = 1,	   /* a capture run starts: where and when */
	ARCHIVE_NOTE = 2,	   /* one line for the user */
	ARCHIVE_START = 3,	   /* a target is first seen */
	ARCHIVE_EXIT = 4,	   /* it exited */
	ARCHIVE_RESTART = 5,	   /* its name now names a new process */
	ARCHIVE_PROCESS = 16,	   /* a process sample (tiers 0 and 1) */
	ARCHIVE_REGIONS = 17,	   /* the regions of the preceding one */
	ARCHIVE_SYSTEM = 18,	   /* /proc/meminfo */
	ARCHIVE_SYSTEM_NAMES = 19, /* the names of the system values */
};

/* A growable byte buffer records are built in. */
struct archive_buf {
	unsigned char *b;
	size_t len, cap;
};

void archive_buf_free(struct archive_buf *b);
void archive_buf_add(struct archive_buf *b, const void *p, size_t n);
void archive_put_varint(struct archive_buf *b, uint64_t v);
void archive_put_svarint(struct archive_buf *b, int64_t v);
void archive_put_string(struct archive_buf *b, const char *s);

/* A cursor over a payload; a read past its end sets bad. */
struct archive_cur {
	const unsigned char *p, *end;
	bool bad;
};

uint64_t archive_get_varint(struct archive_cur *c);
int64_t archive_get_svarint(struct archive_cur *c);
/* Copies a string into buf (cut to len - 1 bytes). */
void archive_get_string(struct archive_cur *c, char *buf, size_t len);

/* The 16 bytes every archive starts with. */
void archive_header(unsigned char out[ARCHIVE_HEADER_LEN]);
/* 0, or -EPROTO (not an archive), -ENOTSUP (a later format version,
 * *version set); fills why. */
int archive_check_header(const unsigned char *h, size_t len,
			 unsigned int *version);

/* Appends one framed record (length, kind, payload, CRC) to out. */
void archive_frame(struct archive_buf *out, enum archive_kind kind,
		   const unsigned char *payload, size_t len);

enum archive_next {
	ARCHIVE_NEXT_OK,
	ARCHIVE_NEXT_END,      /* no byte left */
	ARCHIVE_NEXT_TORN,     /* the buffer ends inside a record */
	ARCHIVE_NEXT_TOO_LONG, /* its length is past ARCHIVE_MAX_PAYLOAD */
	ARCHIVE_NEXT_BAD_CRC,  /* its CRC does not match */
};

/* The record at the start of buf: its kind, payload and whole size. */
enum archive_next archive_next(const unsigned char *buf, size_t len,
			       unsigned int *kind,
			       const unsigned char **payload, size_t *plen,
			       size_t *size);

/* What a session record says. */
struct archive_session {
	char version[32]; /* memtrend's */
	char kernel[128]; /* uname release */
	char arch[72];	  /* uname machine */
	char hostname[128];
	char boot_id[40]; /* /proc/sys/kernel/random/boot_id */
	uint64_t page_size;
	int64_t origin_ms; /* wall clock at elapsed 0, ms since epoch */
	uint64_t interval_ms;
};

void archive_encode_session(struct archive_buf *b,
			    const struct archive_session *s);
int archive_decode_session(struct archive_cur *c, struct archive_session *s);

/* Start, restart and exit records. */
struct archive_target {
	unsigned int id;
	int64_t pid;
	uint64_t start_ticks;
	char comm[64];
	int64_t status; /* exit: the wait status or -1; else 0 */
	char how[128];	/* exit: how it ended; start: how it was found */
	/* The name whose processes it is one of (capture -n NAME); "" for
	 * the one target of -p or a command.  Written only when set. */
	char group[64];
};

void archive_encode_target(struct archive_buf *b,
			   const struct archive_target *t);
int archive_decode_target(struct archive_cur *c, struct archive_target *t);

/* The delta base of one target's process samples. */
struct archive_delta {
	bool have;
	int64_t elapsed_ms, wall_ms;
	uint64_t known; /* bit f: field f was known */
	int64_t v[FIELD_COUNT];
};

/* Encodes s (its values, elapsed_s and wall_s) against d, and moves d
 * on.  The sizes are kept to the byte and counts whole; times to the
 * millisecond. */
void archive_encode_process(struct archive_buf *b, unsigned int id,
			    struct archive_delta *d, const struct sample *s);
/* The target id first, then the rest against that target's base. */
unsigned int archive_decode_id(struct archive_cur *c);
int archive_decode_process(struct archive_cur *c, struct archive_delta *d,
			   struct sample *s);

/* A region set: names, kinds, source, idle method and every known value
 * (as IEEE doubles: percentages are fractions). */
void archive_encode_regions(struct archive_buf *b, unsigned int id,
			    const struct region_set *set);
/* After archive_decode_id(); set is reset and refilled, its idle method
 * pointing into idle. */
int archive_decode_regions(struct archive_cur *c, struct region_set *set,
			   char *idle, size_t idle_len);

/* Most system values a session's names record may name. */
#define ARCHIVE_MAX_SYSTEM 64

/* The delta base of a session's system samples: the names record numbers
 * the values, and each system record carries only the values that
 * changed since the session's previous one, by number. */
struct archive_sysbase {
	size_t n;			/* names in the session's table */
	int field[ARCHIVE_MAX_SYSTEM];	/* each one's kernel field, or -1 */
	int64_t v[ARCHIVE_MAX_SYSTEM];	/* KiB, as last written */
	bool known[ARCHIVE_MAX_SYSTEM]; /* written at least once */
};

/* The names record of the kernel table (core/kernel.h) in its order; b
 * gets the payload and base is set for archive_encode_system(). */
void archive_encode_system_names(struct archive_buf *b,
				 struct archive_sysbase *base);
/* Reads a names record into base (a name this version does not know is
 * kept as a number whose values are skipped). */
int archive_decode_system_names(struct archive_cur *c,
				struct archive_sysbase *base);

/* A system sample: the elapsed time, then the values of value[KF_*]
 * (NAN: not read) that changed since base's, which moves on. */
void archive_encode_system(struct archive_buf *b, double elapsed_s,
			   struct archive_sysbase *base,
			   const double value[KF_COUNT]);
/* Its values by the kernel table, the ones it did not carry as they last
 * were; NAN for one never written. */
int archive_decode_system(struct archive_cur *c, int64_t *elapsed_ms,
			  struct archive_sysbase *base, double value[KF_COUNT]);

#endif
