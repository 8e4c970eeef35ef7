/*
 * Who was watched, and where: the command line, PID, host and kernel of a
 * run.  The CSV sinks write it as the files' first line, a "# " comment
 * (docs/formats.md), the readers take it back, and the charts and the
 * report name the process by it.
 */
#ifndef MEMTREND_CORE_PROVENANCE_H
#define MEMTREND_CORE_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct target;

/* Every text is printable: control characters are '?', so a hostile
 * command line stays one line in a CSV comment and a terminal. */
struct provenance {
	bool known;	   /* filled in, from a run or a CSV's comment */
	char version[32];  /* memtrend's, that wrote the CSV */
	char command[256]; /* the command line, arguments space-separated */
	pid_t pid;	   /* 0: not known */
	char host[256];	   /* the node name */
	char kernel[128];  /* the kernel release */
	char started[32];  /* ISO 8601 UTC, when the run started */
};

/* The comment line's first cell ("memtrend 0.1.0"): the mark by which a
 * CSV's first line is known as memtrend's provenance. */
#define PROVENANCE_MARK "# memtrend "

/* The target's command line (/proc/PID/cmdline through its proc
 * directory; its command name if that cannot be read), this host's name
 * and kernel (uname(2)), memtrend's version, now as the start.  t NULL:
 * no command or PID (a set of processes: the caller names it). */
void provenance_of_target(struct provenance *p, const struct target *t);

/* Reading a comment line: its first cell ("# memtrend 0.1.0") starts p
 * afresh, known, and returns true; any other cell leaves p empty and
 * returns false.  Then each key=value cell goes to provenance_set();
 * unknown keys are ignored (a later version may add some). */
bool provenance_start(struct provenance *p, const char *cell);
void provenance_set(struct provenance *p, const char *cell);

/* The i-th key=value cell of the comment line (i < PROVENANCE_KEYS:
 * command, pid, host, kernel, started), "key=" when unknown. */
#define PROVENANCE_KEYS 5
void provenance_cell(const struct provenance *p, int i, char *buf, size_t len);

/* "memtrend-demo --flat (pid 7820) on box, Linux 6.1.0-18-amd64", or
 * "" when not known: the name of the run in titles. */
void provenance_describe(const struct provenance *p, char *buf, size_t len);

#endif
