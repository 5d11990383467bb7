/* seccomp/enosys: make syscalls newer than a profile fail with ENOSYS. */
#pragma once

#include <stddef.h>

#include "util/berr.h"

struct spec_seccomp;
struct sock_filter;

/* Put in front of *filter a preamble that returns ENOSYS, per architecture
 * of the filter, for every syscall number above the highest one the
 * profile names there. For a profile whose default is an errno (see
 * enosys.c for why). *filter is replaced. */
int seccomp_enosys_prepend(const struct spec_seccomp *s, struct sock_filter **filter, size_t *len, struct berr *e);
