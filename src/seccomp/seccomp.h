/* seccomp: linux.seccomp compiled into a classic BPF program, and loaded.
 *
 * This module is the only user of libseccomp. The parent compiles the
 * validated spec (src/spec) into a struct seccomp_program before clone3;
 * the container's init, or a process joining it (`exec`), only loads the
 * raw program with seccomp(2), so the runtime's own work is never filtered
 * and the child runs no libseccomp code. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/berr.h"

struct spec_seccomp;
struct sock_filter;

struct seccomp_program {
        struct sock_filter *filter;     /* NULL: no filter to load */
        size_t len;                     /* instructions */
        unsigned flags;                 /* SECCOMP_FILTER_FLAG_* to load with */
        bool notify;                    /* has SCMP_ACT_NOTIFY rules: load with a listener */
};

#define SECCOMP_PROGRAM_INIT { .filter = NULL }

/* Compile s (s->present) into *ret. Unknown syscall names are skipped with
 * a debug note; a profile berth cannot express is an error naming the JSON
 * path (".linux.seccomp.syscalls[3]: ..."). */
int seccomp_compile(const struct spec_seccomp *s, struct seccomp_program *ret, struct berr *e);

/* As seccomp_compile(), through a cache of compiled programs under
 * <root_fd>/.seccomp-cache/ (the state root). *ret_hit tells whether the
 * program came from the cache. A cache that cannot be read or written is
 * never an error: berth compiles instead. */
int seccomp_compile_cached(const struct spec_seccomp *s, int root_fd, struct seccomp_program *ret, bool *ret_hit,
                           struct berr *e);

/* The cache key: a hash of the profile as parsed (not its JSON text), the
 * native architecture, libseccomp's version and the cache format. */
uint64_t seccomp_cache_key(const struct spec_seccomp *s);

void seccomp_program_done(struct seccomp_program *p);

/* Load p into the calling thread (seccomp(SECCOMP_SET_MODE_FILTER)). Needs
 * no_new_privs or CAP_SYS_ADMIN. When p->notify, *ret_listener gets the
 * notification fd (O_CLOEXEC), otherwise -EBADF. A NULL program is a no-op. */
int seccomp_program_load(const struct seccomp_program *p, int *ret_listener, struct berr *e);

/* Does this kernel know the filter flag (SECCOMP_FILTER_FLAG_*)? */
bool seccomp_kernel_has_flag(unsigned flag);

/* Does this kernel accept the spec's flag ("SECCOMP_FILTER_FLAG_LOG")? */
bool seccomp_flag_supported(const char *name);
