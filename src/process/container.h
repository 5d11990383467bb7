/* container: the lifecycle operations the CLI commands call. Each takes the
 * state root and a container id and fills an error record naming the
 * container. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "util/berr.h"

struct container_create_opts {
        const char *root;
        const char *id;
        const char *bundle;             /* as given; made absolute */
        const char *pid_file;           /* NULL: none */
        const char *console_socket;     /* NULL: none */
        bool no_pivot;                  /* --no-pivot: MS_MOVE + chroot, not pivot_root */
        bool no_new_keyring;            /* --no-new-keyring: keep the caller's session keyring */
        unsigned listen_fds;            /* socket-activation fds (LISTEN_FDS), from fd 3 */
        unsigned preserve_fds;          /* --preserve-fds: the next ones after those */
};

/* Create the container: on return its init waits for `start` in the
 * "created" state. *ret_pidfd (when not NULL) gets a pidfd of the init; the
 * init is the caller's child. */
int container_create(const struct container_create_opts *o, pid_t *ret_pid, int *ret_pidfd, struct berr *e);

int container_start(const char *root, const char *id, struct berr *e);
int container_kill(const char *root, const char *id, int sig, bool all, struct berr *e);
int container_delete(const char *root, const char *id, bool force, struct berr *e);

/* What the container init needs; everything computed before clone3. */
struct spec;
struct ns_join;
struct seccomp_program;
struct init_ctx {
        const struct spec *spec;
        const struct container_create_opts *opts;
        const char *rootfs;             /* absolute host path */
        int bundle_fd;
        int sync_fd;                    /* the child's end */
        int fifo_fd;                    /* exec.fifo, read end */
        const int *mount_fds;           /* NULL, or prepared mounts (see rootfs_prepare) */
        struct ns_join *join;
        bool new_userns, new_netns;
        /* Compiled before clone (NULL or an empty program: no filter); the
         * init only loads it, see init_seccomp(). */
        const struct seccomp_program *seccomp;
};

/* The child side of clone3: never returns. */
__attribute__((noreturn)) void container_init(struct init_ctx *ctx);
