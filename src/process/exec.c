/* exec: one more process in a running container, as `runc exec`.
 *
 *   berth (host)                 A: joiner (born in the container's cgroup)   B: the process
 *   clone3 CLONE_INTO_CGROUP ──▶ setns(init pidfd, user|mnt|pid|net|...)
 *                                setns(time_for_children)
 *                                clone3 CLONE_PARENT ───────────────────────▶ (waits for A)
 *                  ◀──────────── SYNC_EXEC_CHILD + B's pid; exit ─────────▶  rlimits, pty (SYNC_CONSOLE),
 *                                                                            env, user, caps, cwd, PATH,
 *                                                                            nnp, seccomp, execve
 *   EOF on the socket (close-on-exec) or SYNC_ERROR ◀────────────────────────
 *
 * pid and time namespaces apply to the children of the joiner, hence A
 * and B: B is born inside both (and so gets the time offsets, which runc's
 * exec misses). CLONE_PARENT makes B berth's own child, so a foreground
 * exec waits for it and gets its exit status; detached, it is reparented to
 * the caller's subreaper (conmon, containerd's shim) as with runc.
 *
 * Root needs no A: berth steps into the container's pid namespace (for its
 * children only) and mount namespace itself, clones the process straight
 * into them and into the cgroup, and steps back (exec_enter, exec_return);
 * the process joins the other namespaces, the time namespace included, on
 * its own. One process less to create, copy and reap. A berth that may not
 * (rootless: no CAP_SYS_ADMIN in its own user namespace) takes the A and B
 * path. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process/console.h"
#include "process/container.h"
#include "process/exec.h"
#include "process/foreground.h"
#include "process/init.h"
#include "process/sync.h"
#include "security/selfexe.h"
#include "spec/spec.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"

static const struct { const char *name; int flag; } exec_ns[] = {
        { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID }, { "net", CLONE_NEWNET },
        { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "cgroup", CLONE_NEWCGROUP },
};

static int exec_same_ns(int theirs_fd, const char *theirs, int mine_fd, const char *mine, bool *ret_same)
{
        struct stat a, b;

        if (fstatat(theirs_fd, theirs, &a, 0) < 0 || fstatat(mine_fd, mine, &b, 0) < 0)
                return -errno;
        *ret_same = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
        return 0;
}

/* The namespaces of the init that differ from ours: one setns() on its
 * pidfd joins them all at once. The time namespace is the init's
 * time_for_children (a created init enters its own only at execve), joined
 * through its fd. Both ns directories are opened once: eight pairs of
 * stats through /proc paths cost a path walk each. */
static int exec_plan_namespaces(struct exec_ctx *c, struct berr *e)
{
        _cleanup_close_ int theirs = -EBADF, mine = -EBADF;
        char path[64];
        bool same;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/ns", (int)c->st.pid);
        theirs = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (theirs < 0)
                return berr_sys(e, -errno, "open %s", path);
        mine = open("/proc/self/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (mine < 0)
                return berr_sys(e, -errno, "open /proc/self/ns");
        for (size_t i = 0; i < ELEMENTSOF(exec_ns); i++) {
                r = exec_same_ns(theirs, exec_ns[i].name, mine, exec_ns[i].name, &same);
                if (r < 0)
                        return berr_sys(e, r, "%s namespace of the container", exec_ns[i].name);
                if (!same)
                        c->ns_flags |= exec_ns[i].flag;
        }
        c->userns = c->ns_flags & CLONE_NEWUSER;
        r = exec_same_ns(theirs, "time_for_children", mine, "time", &same);
        if (r == -ENOENT)
                return 0;               /* a kernel without time namespaces */
        if (r < 0)
                return berr_sys(e, r, "time namespace of the container");
        if (same)
                return 0;
        c->time_fd = openat(theirs, "time_for_children", O_RDONLY | O_CLOEXEC);
        return c->time_fd < 0 ? berr_sys(e, -errno, "open %s/time_for_children", path) : 0;
}

/* A pidfd of the init, checked against the recorded start time so that a
 * recycled pid is never joined. */
static int exec_open_init(struct exec_ctx *c, struct berr *e)
{
        uint64_t start;
        bool zombie;

        c->init_pidfd = pidfd_open(c->st.pid, 0);
        if (c->init_pidfd < 0 || proc_start_time(c->st.pid, &start, &zombie) < 0 || start != c->st.pid_start ||
            zombie)
                return berr_set(e, -ESRCH, "cannot exec in a stopped container");
        if (!c->st.cgroup_path)
                return 0;
        c->cgroup_fd = open(c->st.cgroup_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (c->cgroup_fd < 0)
                return berr_sys(e, -errno, "open the container's cgroup %s", c->st.cgroup_path);
        return 0;
}

/* The container's seccomp filter, for the exec'd process too (from the
 * cache create filled, usually). A notifying profile would need its new
 * listener handed to the agent again; that is not done yet. */
static int exec_compile_seccomp(struct exec_ctx *c, struct berr *e)
{
        bool hit = false;
        int r;

        if (!c->spec->linux.seccomp.present)
                return 0;
        r = seccomp_compile_cached(&c->spec->linux.seccomp, c->dir.root_fd, &c->seccomp, &hit, e);
        if (r < 0)
                return berr_wrap(e, "saved config");
        if (c->seccomp.notify)
                return berr_set(e, -EOPNOTSUPP,
                                "exec into a container whose seccomp profile notifies (SCMP_ACT_NOTIFY) is not supported yet");
        return 0;
}

static int exec_load(struct exec_ctx *c, struct berr *e)
{
        const struct container_exec_opts *o = c->o;
        enum container_status status;
        int r;

        r = state_dir_open(o->root, o->id, false, &c->dir, e);
        if (r == 0)
                r = state_read(&c->dir, &c->st, e);
        if (r < 0)
                return r;
        status = state_status(&c->dir, &c->st);
        if (status == STATUS_STOPPED)
                return berr_set(e, -ESRCH, "cannot exec in a stopped container");
        if (status == STATUS_PAUSED && !o->ignore_paused)
                return berr_set(e, -EBUSY, "cannot exec in a paused container (use --ignore-paused)");
        r = spec_load(c->dir.dir_fd, &c->spec, e);
        if (r < 0)
                return berr_wrap(e, "saved config");
        r = exec_compile_seccomp(c, e);
        if (r == 0)
                r = exec_build_process(c, e);
        if (r == 0)
                r = exec_open_init(c, e);
        if (r == 0)
                r = exec_plan_namespaces(c, e);
        if (r < 0)
                return r;
        /* Nothing of the exec exists yet: berth may start over from its
         * sealed copy. */
        if (selfexe_needs_copy(&c->spec->linux, &c->spec->process) || selfexe_needs_copy(&c->spec->linux, &c->proc))
                return selfexe_reexec_sealed(e);
        return selfexe_stub_prepare(e);
}

/* A terminal's master goes to the console socket or, in the foreground,
 * to berth's relay; detached without a socket nobody would hold it. */
static int exec_check_terminal(struct exec_ctx *c, struct berr *e)
{
        const struct container_exec_opts *o = c->o;

        if (o->console_socket && !c->proc.terminal)
                return berr_set(e, -EINVAL, "--console-socket needs a terminal (-t, or \"terminal\": true in --process)");
        if (!c->proc.terminal)
                return 0;
        if (o->console_socket)
                return console_socket_connect(o->console_socket, &c->console_sock, e);
        if (o->detach)
                return berr_set(e, -EINVAL, "a detached exec with a terminal needs --console-socket");
        return 0;
}

/* ---- B: the process itself ---------------------------------------------- */

/* go: the pipe A writes once it has told berth our pid (until then, berth
 * would take any message of ours for A's); -EBADF on the direct path. */
__attribute__((noreturn)) static void exec_child_process(struct exec_ctx *c, int go)
{
        const struct init_process_opts po = {
                .new_userns = c->userns, .sync_fd = c->sync_fd[1], .pass_fds = c->o->preserve_fds, .keep_fd = -EBADF,
                .seccomp = &c->seccomp,
        };
        _cleanup_free_ char *exe = NULL;
        char **env = NULL, byte;
        struct berr e = {};
        int r;

        if (go >= 0) {
                if (RETRY_EINTR(read(go, &byte, 1)) != 1)
                        _exit(1);
                safe_close(go);
        }
        r = init_setup_process(&c->proc, &po, &exe, &env, &e);
        if (r == 0)
                r = init_execve(&c->proc, &c->spec->linux, c->o->preserve_fds, &c->seccomp, c->sync_fd[1], exe, env,
                                c->o->id, &e);
        sync_send_error(c->sync_fd[1], &e);
        _exit(r == -ENOENT ? 127 : r == -EACCES ? 126 : 1);
}

/* The host's directories berth holds: a child visible in the container
 * has no use for them (close-on-exec would drop them only at execve). */
static void exec_child_drop_host_fds(struct exec_ctx *c)
{
        c->sync_fd[0] = safe_close(c->sync_fd[0]);
        state_dir_close(&c->dir);
        c->cgroup_fd = safe_close(c->cgroup_fd);
        c->console_sock = safe_close(c->console_sock);
}

/* ---- the direct path: the process joins by itself ----------------------- */

/* Where berth was before it stepped into the container on the direct path. */
struct exec_home {
        int pidns, mntns, root, cwd;
};

static void exec_home_close(struct exec_home *h)
{
        h->pidns = safe_close(h->pidns);
        h->mntns = safe_close(h->mntns);
        h->root = safe_close(h->root);
        h->cwd = safe_close(h->cwd);
}

/* h: berth's own namespaces, root and cwd, which the child must not keep. */
__attribute__((noreturn)) static void exec_child_direct(struct exec_ctx *c, struct exec_home *h)
{
        struct berr e = {};
        int flags = c->ns_flags & ~(CLONE_NEWPID | CLONE_NEWNS);      /* born in them */

        exec_home_close(h);
        exec_child_drop_host_fds(c);
        if (flags && setns(c->init_pidfd, flags) < 0)
                berr_sys(&e, -errno, "join the container's namespaces");
        else if (c->time_fd >= 0 && setns(c->time_fd, CLONE_NEWTIME) < 0)
                berr_sys(&e, -errno, "join the container's time namespace");
        else
                exec_child_process(c, -EBADF);
        sync_send_error(c->sync_fd[1], &e);
        _exit(1);
}

/* ---- A: the joiner ------------------------------------------------------- */

static int exec_join(struct exec_ctx *c, pid_t *ret_pid, int go[2], struct berr *e)
{
        /* clone3 wants no exit_signal with CLONE_PARENT: B signals berth
         * as A would (A's own, SIGCHLD). */
        struct clone_args args = { .flags = CLONE_PARENT };
        long pid;

        if (c->ns_flags && setns(c->init_pidfd, c->ns_flags) < 0)
                return berr_sys(e, -errno, "join the container's namespaces");
        if (c->time_fd >= 0 && setns(c->time_fd, CLONE_NEWTIME) < 0)
                return berr_sys(e, -errno, "join the container's time namespace");
        if (pipe2(go, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "pipe");
        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0)
                return berr_sys(e, -errno, "clone3 in the container's namespaces");
        if (pid == 0) {
                safe_close(go[1]);
                exec_child_process(c, go[0]);
        }
        *ret_pid = (pid_t)pid;
        return 0;
}

__attribute__((noreturn)) static void exec_child_join(struct exec_ctx *c)
{
        struct berr e = {};
        pid_t pid;
        int go[2] = { -EBADF, -EBADF };

        prctl(PR_SET_NAME, (unsigned long)"berth:exec", 0, 0, 0);
        exec_child_drop_host_fds(c);
        if (exec_join(c, &pid, go, &e) < 0) {
                sync_send_error(c->sync_fd[1], &e);
                _exit(1);
        }
        if (sync_send_data(c->sync_fd[1], SYNC_EXEC_CHILD, &pid, sizeof(pid)) < 0)
                _exit(1);       /* B sees EOF on go and exits */
        RETRY_EINTR(write(go[1], "x", 1));
        _exit(0);
}

/* ---- berth ------------------------------------------------------------- */

static int exec_reap_joiner(pid_t joiner, int r, struct berr *e)
{
        int status;

        if (RETRY_EINTR(waitpid(joiner, &status, 0)) < 0 && r == 0)
                return berr_sys(e, -errno, "wait for the joiner");
        return r;
}

/* A's message: B's pid. */
static int exec_receive_pid(struct exec_ctx *c, struct berr *e)
{
        _cleanup_free_ char *data = NULL;
        size_t len;
        int r;

        r = sync_wait_data(c->sync_fd[0], SYNC_EXEC_CHILD, &data, &len, e);
        if (r == 0 && len != sizeof(pid_t))
                r = berr_set(e, -EPROTO, "exec: bad pid message");
        if (r < 0)
                return r;
        memcpy(&c->pid, data, sizeof(pid_t));
        /* B is our child (CLONE_PARENT): the pid cannot be reused before
         * we reap it. */
        c->pidfd = pidfd_open(c->pid, 0);
        return c->pidfd < 0 ? berr_sys(e, -errno, "pidfd of the exec'd process") : 0;
}

/* The process's messages: its pty master, then EOF or an error. */
static int exec_receive(struct exec_ctx *c, struct berr *e)
{
        _cleanup_close_ int master = -EBADF;
        int r = 0;

        if (c->proc.terminal) {
                r = sync_wait_fd(c->sync_fd[0], SYNC_CONSOLE, &master, e);
                if (r == 0 && c->console_sock >= 0)
                        r = console_socket_send(c->console_sock, master, e);
                else if (r == 0)
                        c->console = TAKE_FD(master);
        }
        /* EOF: B has execve'd (the socket is close-on-exec) or died. */
        return r < 0 ? r : sync_wait_closed(c->sync_fd[0], e);
}

static int exec_spawn_joiner(struct exec_ctx *c, struct berr *e)
{
        struct clone_args args = { .exit_signal = SIGCHLD };
        long joiner;
        int r;

        if (c->cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)c->cgroup_fd;
        }
        fflush(NULL);
        joiner = syscall(SYS_clone3, &args, sizeof(args));
        if (joiner < 0)
                return berr_sys(e, -errno, "clone3 into the container's cgroup");
        if (joiner == 0)
                exec_child_join(c);
        c->sync_fd[1] = safe_close(c->sync_fd[1]);
        r = exec_receive_pid(c, e);
        if (r == 0)
                r = exec_receive(c, e);
        return exec_reap_joiner((pid_t)joiner, r, e);
}

/* berth into the container's pid namespace, for its children only, and
 * into its mount namespace, which moves berth's root and cwd there: the
 * process is born seeing the container's files and never the host's (a
 * process of the container with CAP_SYS_PTRACE could otherwise open its
 * /proc/PID/root before it joins). Nothing has changed when this fails;
 * -EPERM: berth may not (rootless). */
static int exec_enter(struct exec_ctx *c, struct exec_home *h)
{
        int flags = c->ns_flags & (CLONE_NEWPID | CLONE_NEWNS);

        if (flags & CLONE_NEWPID) {
                h->pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
                if (h->pidns < 0)
                        return -errno;
        }
        if (flags & CLONE_NEWNS) {
                h->mntns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
                h->root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                h->cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (h->mntns < 0 || h->root < 0 || h->cwd < 0)
                        return -errno;
        }
        return flags && setns(c->init_pidfd, flags) < 0 ? -errno : 0;
}

static int exec_return(struct exec_home *h, struct berr *e)
{
        if (h->mntns >= 0 && (setns(h->mntns, CLONE_NEWNS) < 0 || fchdir(h->root) < 0 || chroot(".") < 0 ||
                              fchdir(h->cwd) < 0))
                return berr_sys(e, -errno, "return to berth's mount namespace");
        if (h->pidns >= 0 && setns(h->pidns, CLONE_NEWPID) < 0)
                return berr_sys(e, -errno, "return to berth's pid namespace");
        return 0;
}

static int exec_spawn_direct(struct exec_ctx *c, struct exec_home *h, struct berr *e)
{
        struct clone_args args = {
                .flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)&c->pidfd, .exit_signal = SIGCHLD,
        };
        long pid;
        int r = 0;

        if (c->cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)c->cgroup_fd;
        }
        fflush(NULL);
        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid == 0)
                exec_child_direct(c, h);
        if (pid < 0) {
                r = berr_sys(e, -errno, "clone3 into the container");
                exec_return(h, &(struct berr){});       /* the clone's error is the one to report */
                return r;
        }
        c->pid = (pid_t)pid;
        c->sync_fd[1] = safe_close(c->sync_fd[1]);
        r = exec_return(h, e);
        return r < 0 ? r : exec_receive(c, e);
}

static int exec_spawn(struct exec_ctx *c, struct berr *e)
{
        struct exec_home h = { -EBADF, -EBADF, -EBADF, -EBADF };
        int r;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync_fd) < 0)
                return berr_sys(e, -errno, "sync socket");
        init_prepare_signals();
        if (exec_enter(c, &h) == 0)
                r = exec_spawn_direct(c, &h, e);
        else
                r = exec_spawn_joiner(c, e);
        exec_home_close(&h);
        return r;
}

static int exec_run(struct exec_ctx *c, struct berr *e)
{
        struct foreground f = { .sfd = -EBADF };
        bool fg = !c->o->detach, began = false;
        int r;

        r = exec_load(c, e);
        if (r == 0)
                r = exec_check_terminal(c, e);
        /* Signals are blocked before the process exists, so none is lost. */
        if (r == 0 && fg) {
                began = true;
                r = foreground_begin(&f, e);
        }
        if (r == 0)
                r = exec_spawn(c, e);
        if (r == 0 && c->o->pid_file)
                r = container_write_pid_file(c->o->pid_file, c->pid, e);
        if (r < 0 && c->pidfd >= 0) {
                pidfd_send_signal(c->pidfd, SIGKILL, NULL, 0);
                waitid(P_PIDFD, (id_t)c->pidfd, &(siginfo_t){}, WEXITED);
        } else if (r == 0 && fg) {
                r = foreground_wait(&f, c->pidfd, c->console, e);
        }
        if (began)
                foreground_end(&f);
        return r;
}

int container_exec(const struct container_exec_opts *o, struct berr *e)
{
        struct exec_ctx c = {
                .o = o, .dir = STATE_DIR_INIT, .init_pidfd = -EBADF, .cgroup_fd = -EBADF, .time_fd = -EBADF,
                .sync_fd = { -EBADF, -EBADF }, .console_sock = -EBADF, .console = -EBADF, .pidfd = -EBADF,
        };
        int r;

        r = state_validate_id(o->id, e);
        if (r == 0)
                r = exec_run(&c, e);
        exec_ctx_done(&c);
        return r < 0 ? berr_wrap(e, "container %s", o->id) : r;
}
