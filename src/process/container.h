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
        const int *stdio;               /* NULL: the init inherits berth's stdin, stdout and
                                           stderr; else the three fds it gets instead (the shim's) */
        bool start;                     /* start at commit, with no exec.fifo round trip: for
                                           `run` in the foreground (see container_create) */
        /* The bundle's config, parsed and as text (saved in the state
         * directory): container_create_prepare() loads them, create needs
         * them, container_create_opts_done() frees them. */
        struct spec *spec;
        char *config;
        size_t config_len;
};

void container_create_opts_done(struct container_create_opts *o);

/* Load the bundle's config into o->spec, and re-execute berth from its
 * sealed copy when the container needs it (security/selfexe.h): first
 * thing, before berth forks (the shim) or makes anything. Does not return
 * when it re-executes. */
int container_create_prepare(struct container_create_opts *o, struct berr *e);

/* Create the container: on return its init waits for `start` in the
 * "created" state. *ret_pidfd (when not NULL) gets a pidfd of the init; the
 * init is the caller's child. With process.terminal and no console socket,
 * ret_console must be given and gets the pty master (else an error).
 * With o->start the container is started instead: the commit that lets the
 * init go on also starts it. Only for a caller that would start it right
 * away and has no poststart hooks to run (they belong to container_start);
 * that caller blocks its signals first. */
int container_create(const struct container_create_opts *o, pid_t *ret_pid, int *ret_pidfd, int *ret_console,
                     struct berr *e);

int container_start(const char *root, const char *id, struct berr *e);
int container_kill(const char *root, const char *id, int sig, bool all, struct berr *e);
int container_delete(const char *root, const char *id, bool force, struct berr *e);
/* The shim's exit helper: poststop hooks once the container has exited. */
int container_exited(const char *root, const char *id, struct berr *e);

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
        const char *cgroup_tree;        /* what a "cgroup" mount binds (see create_cgroup_tree), or NULL */
        struct ns_join *join;
        bool new_userns;
        bool new_netns;                 /* made by clone3: the init brings its lo up */
        bool stub_at_commit;            /* berth-stub's memfd comes with SYNC_COMMIT (sync.h) */
        /* Compiled before clone (NULL or an empty program: no filter); the
         * init only loads it, see init_seccomp(). */
        const struct seccomp_program *seccomp;
};

/* The child side of clone3: never returns. */
__attribute__((noreturn)) void container_init(struct init_ctx *ctx);

/* exec: run one more process in a running container (process/exec.c). */
struct container_exec_opts {
        const char *root;
        const char *id;
        const char *process_file;       /* --process: the whole process, as runc */
        char **args;                    /* otherwise: ARGS (n_args >= 1) and overrides */
        size_t n_args;
        int tty;                        /* -t: 1, --tty=false: 0, not given: -1 */
        bool detach;
        const char *pid_file;
        const char *console_socket;
        char *cwd;                      /* --cwd (argv's string) */
        char **env;                     /* -e K=V, appended */
        size_t n_env;
        const char *user;               /* -u UID[:GID] */
        gid_t *gids;                    /* -g, appended to additionalGids */
        size_t n_gids;
        char **caps;                    /* --cap, added to every set but inheritable */
        size_t n_caps;
        bool no_new_privs;
        const char *apparmor;
        const char *process_label;
        unsigned preserve_fds;
        bool ignore_paused;
};

/* Returns the process's exit status (128+N after signal N; 0 with
 * --detach) or a negative errno with e filled. */
int container_exec(const struct container_exec_opts *o, struct berr *e);

/* Write pid to the --pid-file path (process/pidfile.c). */
int container_write_pid_file(const char *path, pid_t pid, struct berr *e);
