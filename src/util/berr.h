/* berr: berth's one error convention.
 *
 * A fallible function returns int: >= 0 on success, a negative errno on
 * failure. When it fails it also fills a caller-owned struct berr with a
 * message; callers add context on the way up with berr_wrap(). The record is
 * fixed-size and pointer-free so it is safe after clone() and travels over
 * the parent/child sync socket as raw bytes. Mechanism code never prints. */
#pragma once

#include <stdarg.h>

#define BERR_MSG_MAX 1024

struct berr {
        int code;                 /* negative errno; 0 when no error */
        char msg[BERR_MSG_MAX];   /* NUL-terminated, truncated if needed */
};

/* Record an error with a formatted message; returns code (negative). A
 * non-negative code is stored as -EINVAL so the return is always < 0. */
int berr_set(struct berr *e, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* As berr_set(), with ": <strerror(-code)>" appended. */
int berr_sys(struct berr *e, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with context ("ctx: old"); returns e->code.
 * Safe to call on an empty record (gives just the context). */
int berr_wrap(struct berr *e, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static inline void berr_clear(struct berr *e) { e->code = 0; e->msg[0] = '\0'; }
