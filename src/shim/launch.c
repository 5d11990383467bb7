/* launch: create a detached container under a shim (see shim.h).
 *
 * berth (P) forks a child (C) that makes itself a subreaper in a session of
 * its own, creates the container with the init's stdout and stderr on
 * pipes, and execs berth-shim with what it holds. The init is thus the
 * shim's child from birth: no moment exists when nobody would reap it. P
 * waits on a pipe: SHIM_READY from the shim means it runs; a struct berr
 * means C failed, and has already undone what it made; end of file alone,
 * that C died. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process/hooks.h"
#include "security/selfexe.h"
#include "shim/protocol.h"
#include "shim/shim.h"
#include "spec/spec.h"
#include "state/state.h"
#include "util/cleanup.h"

/* Whether berth's parent is what would adopt an orphan of berth's: a
 * subreaper (conmon, containerd's shim) or init. A grandchild is orphaned
 * and reports its new parent; the probe's cost is two forks, paid only by
 * detached creates. */
static int parent_reaps(bool *ret, struct berr *e)
{
        _cleanup_close_ int go_r = -EBADF, go_w = -EBADF, res_r = -EBADF, res_w = -EBADF;
        int fds[2];
        pid_t child, adopter = 0;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "pipe");
        go_r = fds[0], go_w = fds[1];
        if (pipe2(fds, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "pipe");
        res_r = fds[0], res_w = fds[1];
        child = fork();
        if (child < 0)
                return berr_sys(e, -errno, "fork");
        if (child == 0) {
                if (fork() == 0) {
                        char c;
                        pid_t pp;

                        /* Our copy of the write end would keep us waiting
                         * forever if berth died without writing. */
                        close(go_w);
                        close(res_r);
                        /* Only once the middle process is reaped is it sure we were moved. */
                        if (read(go_r, &c, 1) == 1) {
                                pp = getppid();
                                (void)!write(res_w, &pp, sizeof(pp));
                        }
                }
                _exit(0);
        }
        res_w = safe_close(res_w);
        if (RETRY_EINTR(waitpid(child, NULL, 0)) < 0)
                return berr_sys(e, -errno, "wait for the reaper probe");
        (void)!write(go_w, "", 1);
        if (RETRY_EINTR(read(res_r, &adopter, sizeof(adopter))) != sizeof(adopter))
                return berr_set(e, -EIO, "the reaper probe did not answer");
        *ret = adopter == getppid();
        return 0;
}

/* The engines' supervisors, by the name the kernel shows (comm, cut to 15
 * bytes: containerd-shim-runc-v2 is "containerd-shim"): conmon (Podman,
 * CRI-O), conmon-rs, containerd's shims. They are
 * subreapers, so the probe would say so too; it costs 0.6 ms per create,
 * which engines would pay on every container. A wrong name only picks
 * runc's behaviour, never a weaker one. */
static bool parent_is_engine(void)
{
        static const char *const engines[] = { "conmon", "conmonrs", "containerd-shim" };
        char path[64], comm[32];
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "/proc/%d/comm", (int)getppid());
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        n = read(fd, comm, sizeof(comm) - 1);
        close(fd);
        if (n <= 0)
                return false;
        comm[n] = '\0';
        comm[strcspn(comm, "\n")] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(engines); i++)
                if (strcmp(comm, engines[i]) == 0)
                        return true;
        return false;
}

int shim_decide(enum shim_mode mode, bool *ret_use, struct berr *e)
{
        bool reaps = false;
        int r;

        if (mode != SHIM_MODE_AUTO) {
                *ret_use = mode == SHIM_MODE_ALWAYS;
                return 0;
        }
        if (parent_is_engine()) {
                *ret_use = false;
                return 0;
        }
        r = parent_reaps(&reaps, e);
        if (r < 0)
                return r;
        *ret_use = !reaps;
        return 0;
}

static int shim_binary(char *buf, size_t size, struct berr *e)
{
        if (selfexe_helper("berth-shim", buf, size) == 0)
                return 0;
        return berr_set(e, -ENOENT, "berth-shim not found beside %s nor in %s: install it, or run with --no-shim",
                        selfexe_path() ? selfexe_path() : "berth", BERTH_PKGLIBEXECDIR);
}

static int absolute(const char *path, char *buf, size_t size, struct berr *e)
{
        char cwd[PATH_MAX];

        if (path[0] == '/') {
                snprintf(buf, size, "%s", path);
                return 0;
        }
        if (!getcwd(cwd, sizeof(cwd)))
                return berr_sys(e, -errno, "getcwd");
        if ((size_t)snprintf(buf, size, "%s/%s", cwd, path) >= size)
                return berr_set(e, -ENAMETOOLONG, "%s: path too long", path);
        return 0;
}

/* What C gathers for the shim. */
struct launch {
        const struct container_create_opts *o;
        const struct shim_opts *so;
        char shim[PATH_MAX], root[PATH_MAX];
        int fds[SHIM_FD__END];          /* by SHIM_FD_*; 0-2 unused */
        int out_w, err_w, devnull;
        pid_t pid;
        bool terminal, helper;
};

static int launch_open_log(struct launch *l, struct berr *e)
{
        char path[PATH_MAX];
        int r;

        if (!l->so->log_path) {
                l->fds[SHIM_FD_LOG] = openat(l->fds[SHIM_FD_DIR], SHIM_LOG,
                                             O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
                return l->fds[SHIM_FD_LOG] < 0 ? berr_sys(e, -errno, "open the container's log") : 0;
        }
        r = absolute(l->so->log_path, path, sizeof(path), e);
        if (r < 0)
                return r;
        /* `logs` finds it through the state directory. */
        if (symlinkat(path, l->fds[SHIM_FD_DIR], SHIM_LOG) < 0)
                return berr_sys(e, -errno, "--log-path: link %s", path);
        return 0;
}

/* The log named by --log-path is opened before anything is created, so a
 * bad path costs nothing. */
static int launch_prepare(struct launch *l, struct berr *e)
{
        int fds[2];
        int r;

        r = shim_binary(l->shim, sizeof(l->shim), e);
        if (r == 0)
                r = absolute(l->o->root, l->root, sizeof(l->root), e);
        if (r < 0)
                return r;
        if (l->so->log_path) {
                l->fds[SHIM_FD_LOG] = open(l->so->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY,
                                           0640);
                if (l->fds[SHIM_FD_LOG] < 0)
                        return berr_sys(e, -errno, "--log-path %s", l->so->log_path);
        }
        l->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (l->devnull < 0)
                return berr_sys(e, -errno, "open /dev/null");
        if (pipe2(fds, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "pipe");
        l->fds[SHIM_FD_OUT] = fds[0], l->out_w = fds[1];
        if (pipe2(fds, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "pipe");
        l->fds[SHIM_FD_ERR] = fds[0], l->err_w = fds[1];
        return 0;
}

static int launch_listen(struct launch *l, struct berr *e)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd;

        snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", l->fds[SHIM_FD_DIR], SHIM_SOCKET);
        fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return berr_sys(e, -errno, "shim socket");
        l->fds[SHIM_FD_LISTEN] = fd;
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0)
                return berr_sys(e, -errno, "shim socket: bind %s", SHIM_SOCKET);
        return 0;
}

/* The exit helper is needed for poststop hooks, and for --rm. */
static void launch_need_helper(struct launch *l)
{
        l->helper = l->so->rm || hooks_any(l->o->spec, SPEC_HOOK_POSTSTOP);
}

/* The container exists from here: a failure must delete it. */
static int launch_container(struct launch *l, struct berr *e)
{
        struct container_create_opts o = *l->o;
        const int stdio[3] = { l->devnull, l->out_w, l->err_w };
        struct state_dir d = STATE_DIR_INIT;
        _cleanup_close_ int console = -EBADF;
        int r;

        o.stdio = stdio;
        r = container_create(&o, &l->pid, NULL, &console, e);
        if (r < 0)
                return r;
        l->out_w = safe_close(l->out_w);
        l->err_w = safe_close(l->err_w);
        if (console >= 0) {
                /* With a terminal the pty is the only output. */
                l->terminal = true;
                safe_close(l->fds[SHIM_FD_OUT]);
                l->fds[SHIM_FD_OUT] = TAKE_FD(console);
        }
        /* Unlocked: a new open file description, apart from the lock's. */
        r = state_dir_open(o.root, o.id, false, &d, e);
        if (r == 0)
                l->fds[SHIM_FD_DIR] = TAKE_FD(d.dir_fd);
        state_dir_close(&d);
        if (r == 0)
                r = launch_open_log(l, e);
        if (r == 0)
                r = launch_listen(l, e);
        if (r < 0)
                return berr_wrap(e, "container %s", o.id);
        launch_need_helper(l);
        if (l->so->start)
                r = container_start(o.root, o.id, e);
        return r;
}

/* Put every fd at its SHIM_FD_* number (through fresh copies above them,
 * so no move clobbers another), stdio on /dev/null, and mark all else
 * close-on-exec (the status pipe among them). */
static int launch_arrange_fds(struct launch *l, int *status_fd)
{
        int tmp[SHIM_FD__END];

        *status_fd = fcntl(*status_fd, F_DUPFD_CLOEXEC, SHIM_FD__END + 16);
        if (*status_fd < 0)
                return -errno;
        l->fds[SHIM_FD_READY] = *status_fd;
        for (int i = SHIM_FD_DIR; i < SHIM_FD__END; i++) {
                int src = l->fds[i] >= 0 ? l->fds[i] : l->devnull;

                tmp[i] = fcntl(src, F_DUPFD_CLOEXEC, SHIM_FD__END + 16);
                if (tmp[i] < 0)
                        return -errno;
        }
        for (int fd = 0; fd < 3; fd++)
                if (dup2(l->devnull, fd) < 0)
                        return -errno;
        for (int i = SHIM_FD_DIR; i < SHIM_FD__END; i++)
                if (dup2(tmp[i], i) < 0)
                        return -errno;
        return close_range(SHIM_FD__END, ~0U, CLOSE_RANGE_CLOEXEC) < 0 ? -errno : 0;
}

static void launch_exec(struct launch *l, int *status_fd, struct berr *e)
{
        char pid[16];
        const char *argv[] = {
                "berth-shim", l->o->id, pid, l->terminal ? "1" : "0", l->helper ? "1" : "0",
                selfexe_path(), "--root", l->root, l->so->rm ? "delete" : "_exited", l->o->id, NULL,
        };
        int r;

        snprintf(pid, sizeof(pid), "%d", (int)l->pid);
        if (!selfexe_path())
                argv[4] = "0";
        /* The container is whole: from here it outlives berth. */
        prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        if (chdir("/") < 0) {
                berr_sys(e, -errno, "chdir /");
                return;
        }
        r = launch_arrange_fds(l, status_fd);
        if (r < 0) {
                berr_sys(e, r, "hand the shim its files");
                return;
        }
        execv(l->shim, (char *const *)(uintptr_t)argv);
        berr_sys(e, -errno, "execute %s", l->shim);
}

static __attribute__((noreturn)) void launch_child(const struct container_create_opts *o, const struct shim_opts *so,
                                                   pid_t parent, int status_fd)
{
        struct launch l = { .o = o, .so = so, .out_w = -EBADF, .err_w = -EBADF, .devnull = -EBADF };
        struct berr e = {};
        int r;

        for (size_t i = 0; i < ELEMENTSOF(l.fds); i++)
                l.fds[i] = -EBADF;
        /* Until the shim takes over, berth killed means create killed: this
         * process dies with it (and the init with this process), leaving
         * what any interrupted create leaves for delete --force. */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (getppid() != parent)
                _exit(1);
        /* Away from the caller's terminal and process group, and the
         * reaper of whatever the container leaves behind. */
        setsid();
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        r = launch_prepare(&l, &e);
        if (r < 0)
                berr_wrap(&e, "container %s", o->id);
        if (r == 0)
                r = launch_container(&l, &e);
        if (r == 0) {
                launch_exec(&l, &status_fd, &e);
                berr_wrap(&e, "container %s", o->id);
        }
        if (l.pid > 0) {
                struct berr ignored;

                container_delete(o->root, o->id, true, &ignored);
        }
        (void)!write(status_fd, &e, sizeof(e));
        _exit(1);
}

static ssize_t read_until_eof(int fd, void *buf, size_t size)
{
        size_t done = 0;

        while (done < size) {
                ssize_t n = RETRY_EINTR(read(fd, (char *)buf + done, size - done));

                if (n <= 0)
                        break;
                done += (size_t)n;
        }
        return (ssize_t)done;
}

int shim_create(const struct container_create_opts *o, const struct shim_opts *so, struct berr *e)
{
        _cleanup_close_ int status_r = -EBADF;
        int fds[2];
        pid_t pid, self;
        ssize_t n;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "pipe");
        status_r = fds[0];
        self = getpid();
        pid = fork();
        if (pid < 0) {
                close(fds[1]);
                return berr_sys(e, -errno, "fork");
        }
        if (pid == 0) {
                close(status_r);
                launch_child(o, so, self, fds[1]);
        }
        close(fds[1]);
        n = read_until_eof(status_r, e, sizeof(*e));
        if (n == 1 && ((char *)e)[0] == SHIM_READY) {
                berr_clear(e);
                return 0;
        }
        RETRY_EINTR(waitpid(pid, NULL, 0));
        if (n != (ssize_t)sizeof(*e) || e->code >= 0)
                return berr_set(e, -EIO, "container %s: the shim's launcher died", o->id);
        e->msg[sizeof(e->msg) - 1] = '\0';
        return e->code;
}
