/*
 * Helpers shared by the Criterion tests: child processes with known
 * memory, running the memtrend binary, reading its CSV back.
 */
#ifndef MEMTREND_TESTUTIL_H
#define MEMTREND_TESTUTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define MIB_KB 1024.0

struct child {
	pid_t pid;
	FILE *to;	 /* its stdin */
	FILE *from;	 /* its stdout */
	char first[128]; /* its first line */
};

/* Path of a built program: $MEMTREND_BIN, $MEMTREND_DEMO, $MEMCHILD. */
const char *tu_bin(const char *env, const char *fallback);
const char *tu_fixtures(void);

/* Starts argv (argv[0] searched in PATH) and returns once it has
 * exec'd: its close-on-exec pipe reads end-of-file then.  Until then the
 * child is this test process, under this test's name and credentials.
 * Its stdout goes to /dev/null when quiet.  -1, said on stderr, when it
 * cannot fork or exec. */
pid_t tu_spawn(char *const argv[], bool quiet);

/* Starts a program with pipes to and from it; reads its first line. */
void tu_child_start(struct child *c, char *const argv[]);
void tu_child_send(struct child *c, const char *line);
/* Reads the next line into buf (without newline); false at EOF. */
bool tu_child_line(struct child *c, char *buf, size_t len);
/* Closes its stdin and reaps it; returns its wait status. */
int tu_child_end(struct child *c);

/* A copy of prog under a name only this test uses ("mt" TAG PID), so a
 * set by name finds only this test's processes even under make -j. */
void tu_unique_copy(const char *prog, const char *tag, char *path, size_t len,
		    char *name, size_t nlen);
/* memchild private BYTES started, its memory touched ("ready" read). */
void tu_holder_start(struct child *c, const char *prog, const char *bytes);

struct run {
	int status; /* exit status, or 128 + signal */
	char out[65536];
	char err[8192];
};

/* Runs argv to completion (killed after timeout_s) and captures output. */
void tu_run(struct run *r, char *const argv[], int timeout_s);

/* Runs fn(arg) in a child switched to user nobody and returns whether
 * it returned true; skips the test when not root or the switch fails. */
bool tu_as_nobody(bool (*fn)(void *), void *arg);

/* A kernel smaps_rollup field of pid in KiB, read by the test itself. */
double tu_rollup_kb(pid_t pid, const char *field);

/* CLOCK_MONOTONIC in seconds. */
double tu_now_s(void);

/* Lines in a file (0 when it cannot be read), a first line starting
 * with '#' (a CSV's provenance line) not counted: a CSV's header and
 * rows. */
size_t tu_file_lines(const char *path);
/* The whole of a file (at most cap - 1 bytes), NUL-terminated, in a
 * buffer of cap bytes to free(); *len its length.  Fails the test when it
 * cannot be opened. */
char *tu_read_text(const char *path, size_t cap, size_t *len);
/* How many times what occurs in text (overlapping ones too). */
size_t tu_count(const char *text, const char *what);

/* A temporary directory for this test, removed by tu_tmp_cleanup(). */
const char *tu_tmpdir(void);
void tu_tmp_cleanup(void);

/* A CSV read back through memtrend's libcsv reader. */
struct table {
	size_t ncols, nrows;
	char **header;
	char ***rows;
};
int tu_table_load(struct table *t, const char *path);
/* A numeric cell by column name; NAN when empty. */
double tu_table_num(const struct table *t, size_t row, const char *col);
void tu_table_free(struct table *t);

#endif
