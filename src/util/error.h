/*
 * A short message a module fills for its caller to print.  Library-style
 * modules return 0 or -errno and describe the failure here; only main.c
 * decides to print it and exit.
 */
#ifndef MEMTREND_ERROR_H
#define MEMTREND_ERROR_H

struct error {
	char msg[512];
};

/* Formats the message and returns -code (code is a positive errno). */
int error_set(struct error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A hint for an errno from opening a /proc or /sys file. */
const char *error_hint(int code);

#endif
