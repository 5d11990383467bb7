/* init: the container's first process, from clone3 to execve. Every step
 * is a named function; a failure before "created" travels to the parent as
 * an error record over the sync socket, and the child exits. The order
 * follows runc's: namespaces, filesystem, hostname, limits, user and
 * capabilities, then the workload lookup, so that a missing executable is a
 * `create` error and not a surprise at `start`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount/rootfs.h"
#include "namespaces/namespaces.h"
#include "namespaces/sysctl.h"
#include "process/attrs.h"
#include "process/container.h"
#include "process/console.h"
#include "process/hooks.h"
#include "process/init.h"
#include "process/sync.h"
#include "seccomp/seccomp.h"
#include "security/caps.h"
#include "security/keyring.h"
#include "security/lsm.h"
#include "security/selfexe.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/passwd.h"
#include "util/signals.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static void init_set_name(const char *name)
{
        prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/* In a new user namespace the init starts as the overflow id until the
 * parent writes the maps; then it becomes the namespace's root. */
static int init_become_userns_root(struct berr *e)
{
        if (setresgid(0, 0, 0) < 0)
                return berr_sys(e, -errno, "setgid 0 in the user namespace (is container root mapped?)");
        if (setresuid(0, 0, 0) < 0)
                return berr_sys(e, -errno, "setuid 0 in the user namespace (is container root mapped?)");
        return 0;
}

static int init_identity(const struct spec *s, struct berr *e)
{
        if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
                return berr_sys(e, -errno, "set hostname \"%s\"", s->hostname);
        if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
                return berr_sys(e, -errno, "set domainname \"%s\"", s->domainname);
        return 0;
}

static int init_rlimits(const struct spec_process *p, struct berr *e)
{
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit rl = { .rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard };

                if (setrlimit(p->rlimits[i].type, &rl) < 0)
                        return berr_sys(e, -errno, "set %s to %llu:%llu", spec_rlimit_name(p->rlimits[i].type),
                                        (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
        }
        return 0;
}

static int init_oom_score_adj(const struct spec_process *p, struct berr *e)
{
        char buf[16];
        int r;

        if (!p->oom_score_adj.set)
                return 0;
        snprintf(buf, sizeof(buf), "%d", (int)p->oom_score_adj.v);
        r = fs_write_string_at(AT_FDCWD, "/proc/self/oom_score_adj", buf);
        return r < 0 ? berr_sys(e, r, "set oomScoreAdj %s", buf) : 0;
}

/* Switch to the container user. PR_SET_KEEPCAPS carries the permitted set
 * across setuid so the configured capabilities can be applied after it. */
static int init_user(const struct spec_process *p, bool new_userns, struct berr *e)
{
        const struct spec_user *u = &p->user;
        int r;

        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return berr_sys(e, -errno, "keep capabilities");
        if (p->has_caps) {
                r = caps_drop_bounding(&p->caps, e);
                if (r < 0)
                        return r;
        }
        /* setgroups is denied in an unprivileged user namespace. */
        if (setgroups(u->n_additional_gids, u->additional_gids) < 0 && !(new_userns && errno == EPERM))
                return berr_sys(e, -errno, "set additional groups");
        if (setresgid(u->gid, u->gid, u->gid) < 0)
                return berr_sys(e, -errno, "setgid %u", (unsigned)u->gid);
        if (setresuid(u->uid, u->uid, u->uid) < 0)
                return berr_sys(e, -errno, "setuid %u", (unsigned)u->uid);
        if (p->has_caps) {
                r = caps_apply(&p->caps, e);
                if (r < 0)
                        return r;
        }
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return berr_sys(e, -errno, "clear keep-capabilities");
        umask(p->user.umask.set ? (mode_t)p->user.umask.v : 0022);
        return 0;
}

/* The value of NAME in a NULL-terminated environment, or NULL. */
static const char *init_env_get(char *const *env, const char *name)
{
        size_t n = strlen(name);

        for (; env && *env; env++)
                if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
                        return *env + n + 1;
        return NULL;
}

static const char *init_env_path(char *const *env)
{
        const char *path = init_env_get(env, "PATH");

        return path ? path : DEFAULT_PATH;
}

/* strerror(err) as Go, and so runc, spells it: "no such file or
 * directory", "permission denied". Docker's CLI looks for these words, case
 * and all, to exit with 127 or 126 rather than 125. */
static const char *init_go_strerror(int err, char *buf, size_t size)
{
        snprintf(buf, size, "%s", strerror(err));
        if (buf[0] >= 'A' && buf[0] <= 'Z')
                buf[0] = (char)(buf[0] - 'A' + 'a');
        return buf;
}

/* runc's messages: exec: "ARG0": stat PATH: no such file or directory, and
 * exec: "ARG0": permission denied. */
static int init_check_exec(const char *path, const char *arg0, struct berr *e)
{
        char msg[128];
        struct stat st;
        int err;

        if (stat(path, &st) < 0) {
                err = errno;
                return berr_set(e, -err, "exec: \"%s\": stat %s: %s", arg0, path,
                                init_go_strerror(err, msg, sizeof(msg)));
        }
        if (S_ISDIR(st.st_mode))
                return berr_set(e, -EACCES, "exec: \"%s\": is a directory: permission denied", arg0);
        if (access(path, X_OK) < 0) {
                err = errno;
                return berr_set(e, -err, "exec: \"%s\": %s", arg0, init_go_strerror(err, msg, sizeof(msg)));
        }
        return 0;
}

/* Find args[0] as execvp would, in the container's PATH, as the container
 * user. The messages are the ones Podman and Docker map to 127 and 126. */
static int init_lookup(const struct spec_process *p, char **ret_path, struct berr *e)
{
        const char *arg0 = p->args[0], *dirs = init_env_path(p->env);
        char *path = NULL;

        if (strchr(arg0, '/')) {
                int r = init_check_exec(arg0, arg0, e);

                if (r < 0)
                        return r;
                *ret_path = strdup(arg0);
                return *ret_path ? 0 : berr_sys(e, -ENOMEM, "exec");
        }
        for (const char *d = dirs; ; ) {
                size_t n = strcspn(d, ":");
                struct stat st;

                if (asprintf(&path, "%.*s/%s", (int)n, n ? d : ".", arg0) < 0)
                        return berr_sys(e, -ENOMEM, "exec");
                if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0) {
                        *ret_path = path;
                        return 0;
                }
                free(path);
                if (d[n] == '\0')
                        break;
                d += n + 1;
        }
        return berr_set(e, -ENOENT, "exec: \"%s\": executable file not found in $PATH", arg0);
}

/* The workload's environment: the config's, plus HOME from the container's
 * /etc/passwd when the config does not set it (runc's rule: "/" when the
 * user has no entry), plus the socket-activation variables when berth was
 * given listening sockets. Read before the switch to the container user,
 * who might not be allowed to. */
static int init_env(const struct spec_process *p, unsigned listen_fds, char ***ret, struct berr *e)
{
        _cleanup_free_ char *passwd = NULL, *home = NULL;
        size_t n = 0;
        char **env;

        env = calloc(p->n_env + 4, sizeof(char *));
        if (!env)
                return berr_sys(e, -ENOMEM, "environment");
        for (size_t i = 0; i < p->n_env; i++)
                env[n++] = p->env[i];
        *ret = env;
        if (!init_env_get(p->env, "HOME")) {
                if (fs_read_at(AT_FDCWD, "/etc/passwd", 4u << 20, &passwd, NULL) == 0)
                        home = passwd_home(passwd, p->user.uid);
                if (asprintf(&env[n++], "HOME=%s", home ? home : "/") < 0)
                        return berr_sys(e, -ENOMEM, "environment");
        }
        if (listen_fds > 0) {
                if (asprintf(&env[n++], "LISTEN_FDS=%u", listen_fds) < 0 ||
                    !(env[n++] = strdup("LISTEN_PID=1")))
                        return berr_sys(e, -ENOMEM, "environment");
        }
        return 0;
}

/* User namespace, then the namespaces made or joined by the init itself. */
static int init_setup_namespaces(struct init_ctx *c, struct berr *e)
{
        int r;

        r = sync_wait(c->sync_fd, SYNC_MAPS_DONE, e);
        if (r == 0 && c->new_userns)
                r = init_become_userns_root(e);
        if (r == 0)
                r = ns_join_self(c->join, e);
        if (r == 0)
                r = ns_create_time(&c->spec->linux, e);
        if (r == 0 && !c->opts->no_new_keyring)
                r = keyring_join_new_session(c->opts->id, e);
        return r;
}

/* Ask the parent for prestart and createRuntime, then run createContainer
 * here: in the container's namespaces, before pivot_root. */
static int init_hooks_create_container(struct init_ctx *c, struct berr *e)
{
        const struct spec *s = c->spec;
        _cleanup_free_ char *state = NULL;
        size_t len;
        int r;

        if (!hooks_any(s, SPEC_HOOK_PRESTART) && !hooks_any(s, SPEC_HOOK_CREATE_RUNTIME) &&
            !hooks_any(s, SPEC_HOOK_CREATE_CONTAINER))
                return 0;
        if (sync_send(c->sync_fd, SYNC_HOOKS) < 0)
                return berr_sys(e, -errno, "sync with parent");
        r = sync_wait_data(c->sync_fd, SYNC_HOOKS_DONE, &state, &len, e);
        if (r < 0)
                return r;
        init_set_name("berth:hooks");
        return hooks_run(s, SPEC_HOOK_CREATE_CONTAINER, state, len, false, e);
}

static int init_setup_fs(struct init_ctx *c, struct berr *e)
{
        const struct spec *s = c->spec;
        _cleanup_close_ int rootfd = -EBADF;
        int r;

        r = init_identity(s, e);
        if (r == 0 && c->new_netns)
                r = ns_loopback_up(e);
        if (r == 0)
                r = rootfs_prepare(s, c->rootfs, c->bundle_fd, c->mount_fds, c->cgroup_tree, c->new_userns, &rootfd,
                                   e);
        if (r == 0)
                r = init_hooks_create_container(c, e);
        if (r == 0)
                r = rootfs_enter(s, rootfd, c->opts->no_pivot, e);
        if (r == 0)
                r = sysctl_apply(&s->linux, e);
        if (r == 0)
                r = rootfs_finalize(s, e);
        return r;
}

/* Before the workload's cwd is entered, close every fd of the runtime's
 * but the ones the process still talks through and the stub it will exec
 * (security/selfexe.h): a directory fd left open (the
 * bundle, a mount source) would let cwd "/proc/self/fd/N" put the workload
 * in a host directory (CVE-2024-21626). Passed fds (LISTEN_FDS,
 * --preserve-fds) stay: the caller meant them to cross. */
static int init_close_host_fds(const struct init_process_opts *o, struct berr *e)
{
        unsigned first = 3 + o->pass_fds;
        int keep[3] = { o->sync_fd, o->keep_fd, selfexe_stub_fd() };

        qsort(keep, ELEMENTSOF(keep), sizeof(keep[0]), cmp_int);
        for (size_t i = 0; i < ELEMENTSOF(keep); i++) {
                if (keep[i] < (int)first)
                        continue;
                if ((unsigned)keep[i] > first && close_range(first, (unsigned)keep[i] - 1, 0) < 0)
                        return berr_sys(e, -errno, "close the runtime's files");
                first = (unsigned)keep[i] + 1;
        }
        if (close_range(first, ~0U, 0) < 0)
                return berr_sys(e, -errno, "close the runtime's files");
        return 0;
}

/* chdir, then make sure the result is inside the container: getcwd()
 * reports a directory outside the root as "(unreachable)/..." or fails. */
static int init_chdir(const char *cwd, struct berr *e)
{
        char buf[PATH_MAX];

        if (chdir(cwd) < 0)
                return berr_sys(e, -errno, "chdir to cwd \"%s\"", cwd);
        if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
                return berr_set(e, -EPERM, "cwd \"%s\" is outside the container", cwd);
        return 0;
}

/* process.terminal: the pty, made here in the container, and its master
 * handed to the parent (which passes it on) before the user switch. */
static int init_console(const struct spec_process *p, const struct init_process_opts *o, struct berr *e)
{
        _cleanup_close_ int master = -EBADF;
        int r;

        if (!p->terminal)
                return 0;
        r = console_setup(p, p->user.uid, o->dev_console, &master, e);
        if (r == 0 && sync_send_fd(o->sync_fd, SYNC_CONSOLE, master) < 0)
                r = berr_sys(e, -errno, "terminal: send the pty master to the runtime");
        return r;
}

/* When to load the seccomp filter. As late as possible, right before
 * execve, so that few of the runtime's own syscalls run under it. But
 * without no_new_privs the kernel demands CAP_SYS_ADMIN, which the switch
 * to the container user may drop: then it is loaded before that switch
 * (runc's order). A listener must reach the parent over the sync socket,
 * gone by exec time: then too it is loaded before "created". */
bool init_seccomp_early(const struct spec_process *p, const struct seccomp_program *sc)
{
        return sc && sc->filter && (!p->no_new_privileges || sc->notify);
}

/* no_new_privs comes first: with it, loading needs no privilege. */
int init_seccomp(const struct spec_process *p, const struct seccomp_program *sc, int sync_fd, struct berr *e)
{
        _cleanup_close_ int listener = -EBADF;
        int r;

        if (!sc || !sc->filter)
                return 0;
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return berr_sys(e, -errno, "set no_new_privs");
        r = seccomp_program_load(sc, &listener, e);
        if (r < 0 || listener < 0)
                return r;
        r = sync_send_fd(sync_fd, SYNC_SECCOMP, listener);
        return r < 0 ? berr_sys(e, r, "send the seccomp listener to the parent") : 0;
}

/* Limits and scheduling need the privileges the user switch drops. */
int init_setup_process(const struct spec_process *p, const struct init_process_opts *o, char **ret_exe,
                       char ***ret_env, struct berr *e)
{
        int r;

        r = init_rlimits(p, e);
        if (r == 0)
                r = init_oom_score_adj(p, e);
        if (r == 0)
                r = attrs_apply_scheduler(&p->scheduler, e);
        if (r == 0)
                r = attrs_apply_io_priority(&p->io_priority, e);
        if (r == 0)
                r = init_console(p, o, e);
        if (r == 0)
                r = init_env(p, o->listen_fds, ret_env, e);
        if (r == 0 && init_seccomp_early(p, o->seccomp))
                r = init_seccomp(p, o->seccomp, o->sync_fd, e);
        if (r == 0 && o->send_finishing) {
                r = sync_send(o->sync_fd, SYNC_FINISHING);
                if (r < 0)
                        r = berr_sys(e, r, "sync with the runtime");
        }
        if (r == 0)
                r = init_user(p, o->new_userns, e);
        if (r == 0) {
                selfexe_keep_undumpable();
                r = init_close_host_fds(o, e);
        }
        if (r == 0)
                r = init_chdir(p->cwd, e);
        if (r == 0)
                r = init_lookup(p, ret_exe, e);
        return r;
}

/* Block until `start` writes a byte into exec.fifo. The read end was opened
 * O_NONBLOCK before clone: poll() reports neither data nor hang-up until a
 * writer comes, and `start` finds no reader (ENXIO) if this process is gone. */
static int init_wait_start(int fifo_fd)
{
        struct pollfd pfd = { .fd = fifo_fd, .events = POLLIN };
        char c;

        if (RETRY_EINTR(poll(&pfd, 1, -1)) < 0)
                return -errno;
        if (RETRY_EINTR(read(fifo_fd, &c, 1)) != 1)
                return -EPIPE;
        return 0;
}

/* What berth's caller ignores: berth itself installs no handler and ignores
 * nothing, and execve resets handlers, so only these need a reset. Unknown
 * (never read, or /proc unreadable): all of them, one syscall each. */
static uint64_t init_ignored_signals = UINT64_MAX;

void init_prepare_signals(void)
{
        uint64_t mask;

        if (signals_ignored(&mask) == 0)
                init_ignored_signals = mask;
}

/* The raw syscall: glibc's sigaction() refuses the two real-time signals
 * it keeps for itself (32 and 33), and a caller may have them ignored (the
 * CI runner does). An all-zero kernel sigaction is SIG_DFL, no flags, an
 * empty mask, whatever the architecture's field order. */
void init_reset_signals(void)
{
        static const uint64_t dfl[8];
        sigset_t all;

        for (int sig = 1; sig < NSIG && sig <= 64; sig++)
                if (sig != SIGKILL && sig != SIGSTOP && (init_ignored_signals >> (sig - 1)) & 1)
                        syscall(SYS_rt_sigaction, sig, dfl, NULL, (NSIG - 1) / 8);
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
}

/* Only stdio and the fds the caller asked to pass (LISTEN_FDS, then
 * --preserve-fds, numbered from 3 and checked by create) reach the
 * workload; everything else of berth's dies with execve. */
int init_pass_fds(unsigned n)
{
        if (close_range(3 + n, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                return -errno;
        for (unsigned fd = 3; fd < 3 + n; fd++)
                if (fcntl((int)fd, F_SETFD, 0) < 0)
                        return -errno;
        return 0;
}

int init_execve(const struct spec_process *p, const struct spec_linux *l, unsigned pass_fds,
                const struct seccomp_program *sc, int sync_fd, const char *exe, char **env, const char *id,
                struct berr *e)
{
        char prefix[128];
        int r;

        init_reset_signals();
        r = attrs_apply_personality(l, e);
        /* No final list after an initial one: back to every allowed CPU. */
        if (r == 0 && (p->exec_cpu_affinity_final || p->exec_cpu_affinity_initial))
                r = attrs_set_affinity(p->exec_cpu_affinity_final, ".process.execCPUAffinity.final", e);
        if (r == 0 && p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                r = berr_sys(e, -errno, "set no_new_privs");
        if (r == 0)
                r = lsm_apply_exec_labels(p, e);
        if (r == 0 && init_pass_fds(pass_fds) < 0)
                r = berr_sys(e, -errno, "close the runtime's files");
        if (r == 0 && !init_seccomp_early(p, sc))
                r = init_seccomp(p, sc, sync_fd, e);
        if (r < 0)
                return r;
        snprintf(prefix, sizeof(prefix), "berth: container %s: ", id);
        r = selfexe_execve(prefix, exe, p->args, env);
        if (selfexe_stub_fd() >= 0 && sc && sc->filter && (r == -EPERM || r == -ENOSYS || r == -EACCES))
                return berr_sys(e, r, "exec berth-stub for \"%s\" (the seccomp profile must allow execveat, see "
                                "berth(8), SECURITY)", p->args[0]);
        if (selfexe_stub_fd() >= 0)
                return berr_sys(e, r, "exec berth-stub for \"%s\"", p->args[0]);
        return berr_sys(e, r, "exec \"%s\"", p->args[0]);
}

/* After `start`: the startContainer hooks, then the last steps. Returns
 * only on failure. */
static int init_exec(struct init_ctx *c, const char *exe, char **env, const char *state, size_t state_len,
                     struct berr *e)
{
        const struct spec *s = c->spec;
        int r;

        r = hooks_run(s, SPEC_HOOK_START_CONTAINER, state, state_len, false, e);
        if (r < 0)
                return r;
        return init_execve(&s->process, &s->linux, c->opts->listen_fds + c->opts->preserve_fds, c->seccomp,
                           c->sync_fd, exe, env, c->opts->id, e);
}

void container_init(struct init_ctx *c)
{
        _cleanup_free_ char *exe = NULL, *state = NULL;
        char **env = NULL;
        size_t state_len = 0;
        struct berr e = {};
        int r, stub = -EBADF;

        /* Until the parent commits, its death must take this process along. */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        for (int fd = 0; c->opts->stdio && fd < 3; fd++)
                if (dup2(c->opts->stdio[fd], fd) < 0)
                        _exit(1);
        init_set_name("berth:init");
        r = init_setup_namespaces(c, &e);
        if (r == 0) {
                umask(0);
                r = init_setup_fs(c, &e);
        }
        if (r == 0) {
                const struct init_process_opts po = {
                        .new_userns = c->new_userns, .listen_fds = c->opts->listen_fds, .sync_fd = c->sync_fd,
                        .pass_fds = c->opts->listen_fds + c->opts->preserve_fds, .keep_fd = c->fifo_fd,
                        .seccomp = c->seccomp, .dev_console = true, .send_finishing = c->opts->start,
                };

                r = init_setup_process(&c->spec->process, &po, &exe, &env, &e);
        }
        if (r < 0) {
                sync_send_error(c->sync_fd, &e);
                _exit(1);
        }
        if (sync_send(c->sync_fd, SYNC_CREATED) < 0)
                _exit(1);
        if (hooks_any(c->spec, SPEC_HOOK_START_CONTAINER))
                r = sync_wait_data(c->sync_fd, SYNC_COMMIT, &state, &state_len, &e);
        else if (c->opts->start)
                r = sync_wait_soon(c->sync_fd, SYNC_COMMIT, c->stub_at_commit ? &stub : NULL, &e);
        else if (c->stub_at_commit)
                r = sync_wait_fd(c->sync_fd, SYNC_COMMIT, &stub, &e);
        else
                r = sync_wait(c->sync_fd, SYNC_COMMIT, &e);
        if (r < 0)
                _exit(1);
        if (c->stub_at_commit)
                selfexe_stub_adopt(stub);
        prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        c->sync_fd = safe_close(c->sync_fd);
        init_set_name("berth:created");
        if (!c->opts->start && init_wait_start(c->fifo_fd) < 0)
                _exit(1);
        r = init_exec(c, exe, env, state, state_len, &e);
        /* Nobody waits for an answer any more: tell the workload's stderr. */
        dprintf(STDERR_FILENO, "berth: container %s: %s\n", c->opts->id, e.msg);
        _exit(r == -ENOENT ? 127 : r == -EACCES || r == -ENOEXEC ? 126 : 1);
}
