/* cleanup: scope-bound ownership of memory and fds (the systemd idiom).
 *
 * _cleanup_free_ / _cleanup_close_ release on scope exit; TAKE_PTR / TAKE_FD
 * hand ownership on and leave NULL / -EBADF behind. -EBADF means "no fd".
 * The closers accept NULL and negative fds and preserve errno. */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p)
{
        int saved = errno;

        free(*(void **)p);
        errno = saved;
}

static inline int safe_close(int fd)
{
        if (fd >= 0) {
                int saved = errno;

                close(fd);
                errno = saved;
        }
        return -EBADF;
}

static inline void closep(int *fd) { *fd = safe_close(*fd); }

static inline void fclosep(FILE **f)
{
        if (*f) {
                int saved = errno;

                fclose(*f);
                errno = saved;
        }
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })
#define TAKE_FD(fd) ({ int _fd = (fd); (fd) = -EBADF; _fd; })

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Retry a syscall expression while it fails with EINTR. */
#define RETRY_EINTR(expr) ({ __typeof__(expr) _r; do { _r = (expr); } while (_r < 0 && errno == EINTR); _r; })

/* qsort() comparator for ints (pids, fds): ascending. */
static inline int cmp_int(const void *a, const void *b)
{
        int x = *(const int *)a, y = *(const int *)b;

        return (x > y) - (x < y);
}
