/* init.h: the parts of the container init's process setup that `exec`
 * shares, so that an exec'd process gets the container process's limits,
 * terminal, environment, user, capabilities and cwd by the same code. */
#pragma once

#include <stdbool.h>

#include "seccomp/seccomp.h"
#include "spec/spec.h"
#include "util/berr.h"

struct init_process_opts {
        bool new_userns;                /* in a user namespace: setgroups may be denied */
        unsigned listen_fds;            /* LISTEN_FDS to set, 0 for none */
        int sync_fd;                    /* where the pty master goes (SYNC_CONSOLE) */
        unsigned pass_fds;              /* fds 3.. that cross into the container */
        int keep_fd;                    /* one more fd to keep open (the start fifo), or -EBADF */
        const struct seccomp_program *seccomp;  /* NULL: none; loaded here when it must be early */
        bool dev_console;               /* the container's init: its pty becomes /dev/console */
        bool send_finishing;            /* SYNC_FINISHING before user and caps (sync.h) */
};

/* rlimits, oomScoreAdj, scheduler, I/O priority, terminal, environment,
 * user and capabilities, cwd, then find args[0] in PATH: *ret_exe and
 * *ret_env are for execve. Runs as root in the container's namespaces. */
int init_setup_process(const struct spec_process *p, const struct init_process_opts *o, char **ret_exe,
                       char ***ret_env, struct berr *e);

/* The seccomp filter goes on as late as possible, right before execve;
 * but before the user switch when without no_new_privs it needs
 * CAP_SYS_ADMIN, or when its listener must reach the parent. */
bool init_seccomp_early(const struct spec_process *p, const struct seccomp_program *sc);
/* Load sc (no_new_privs first when asked); a listener goes to sync_fd. */
int init_seccomp(const struct spec_process *p, const struct seccomp_program *sc, int sync_fd, struct berr *e);

/* Every signal back to its default disposition, and none blocked. Cheaper
 * when init_prepare_signals() ran before clone: only the signals berth's
 * caller ignores are reset (one syscall each, instead of one per signal). */
void init_prepare_signals(void);
void init_reset_signals(void);

/* Fds 3 .. 3+n-1 stay open across execve; all above get O_CLOEXEC. */
int init_pass_fds(unsigned n);

/* The last steps before the workload, which nothing the runtime still does
 * may undo: signals, personality, the final CPU affinity, no_new_privs, the
 * LSM exec labels, the fds (3 .. 3+pass_fds-1 kept), a late seccomp filter;
 * then execve(exe), through berth-stub when berth has it
 * (security/selfexe.h), which reports a failure of the workload's own
 * execve on stderr as "berth: container <id>: exec ...". The init and an
 * exec'd process share them. Returns only on failure. */
int init_execve(const struct spec_process *p, const struct spec_linux *l, unsigned pass_fds,
                const struct seccomp_program *sc, int sync_fd, const char *exe, char **env, const char *id,
                struct berr *e);
