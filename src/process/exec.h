/* exec.h: internal to process/exec*.c. What one `berth exec` works with. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "process/container.h"
#include "seccomp/seccomp.h"
#include "spec/spec.h"
#include "state/state.h"

struct exec_ctx {
        const struct container_exec_opts *o;
        struct state_dir dir;
        struct container_state st;
        struct spec *spec;              /* the config the container was created from */
        struct spec_process file_proc;  /* --process, owned */
        bool have_file_proc;
        struct spec_process proc;       /* what runs: shallow copy with the overrides */
        char **env;                     /* owned array (strings are not) when -e given */
        gid_t *gids;                    /* owned when -g given */
        int init_pidfd;
        int cgroup_fd;
        int time_fd;                    /* the init's time_for_children, when not ours */
        int ns_flags;                   /* CLONE_NEW* to join through init_pidfd */
        bool userns;                    /* joining a user namespace */
        int sync_fd[2];
        int console_sock;               /* --console-socket, connected */
        int console;                    /* pty master for the foreground relay */
        pid_t pid;                      /* the exec'd process, host pid */
        int pidfd;
        struct seccomp_program seccomp; /* the container's filter, compiled here; empty without one */
        char *apparmor, *process_label; /* owned copies of --apparmor, --process-label */
};

/* --process, or the container's process with the command line's
 * overrides, into c->proc; refuses what berth cannot honour yet. */
int exec_build_process(struct exec_ctx *c, struct berr *e);
void exec_ctx_done(struct exec_ctx *c);
