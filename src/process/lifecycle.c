/* lifecycle: start, kill and delete of an existing container. Signals go
 * through a pidfd opened and then checked against the recorded start time,
 * so a recycled pid is never signalled. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroups/cgroup.h"
#include "process/container.h"
#include "process/hooks.h"
#include "shim/client.h"
#include "spec/spec.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/signals.h"

#define DELETE_KILL_TIMEOUT_MS 10000

struct loaded {
        struct state_dir dir;
        struct container_state st;
        enum container_status status;
};

static void loaded_done(struct loaded *l)
{
        container_state_done(&l->st);
        state_dir_close(&l->dir);
}

static int load(const char *root, const char *id, bool exclusive, struct loaded *ret, struct berr *e)
{
        int r;

        *ret = (struct loaded){ .dir = STATE_DIR_INIT };
        r = state_dir_open(root, id, exclusive, &ret->dir, e);
        if (r < 0)
                return r;
        r = state_read(&ret->dir, &ret->st, e);
        if (r < 0)
                return r;
        ret->status = state_status(&ret->dir, &ret->st);
        return 0;
}

/* A pidfd for the container init, or -ESRCH if it is gone or the pid now
 * belongs to another process. */
static int open_init_pidfd(const struct container_state *st)
{
        uint64_t start;
        bool zombie;
        int fd = pidfd_open(st->pid, 0);

        if (fd < 0)
                return -errno;
        if (proc_start_time(st->pid, &start, &zombie) < 0 || start != st->pid_start || zombie) {
                close(fd);
                return -ESRCH;
        }
        return fd;
}

static int kill_and_wait(const struct container_state *st, struct berr *e);

/* The config the container was created from, saved in its directory. */
static int load_spec(const struct loaded *l, struct spec **ret, struct berr *e)
{
        int r = spec_load(l->dir.dir_fd, ret, e);

        return r < 0 ? berr_wrap(e, "saved config") : 0;
}

static int run_hooks(const struct loaded *l, const struct spec *s, enum spec_hook_kind kind,
                     enum container_status status, struct berr *e)
{
        _cleanup_free_ char *state = NULL;
        size_t len;
        int r;

        r = state_oci_text(&l->st, status, &state, &len, e);
        if (r == 0)
                r = hooks_run(s, kind, state, len, kind == SPEC_HOOK_POSTSTOP, e);
        return r;
}

/* A failing poststart fails the container (runtime-spec 1.3; runc kills it
 * too): the workload must not run on as if it had been set up. */
static int start_poststart(struct loaded *l, struct berr *e)
{
        _cleanup_spec_ struct spec *s = NULL;
        int r;

        if (!container_state_may_have_hooks(&l->st, SPEC_HOOK_POSTSTART))
                return 0;
        r = load_spec(l, &s, e);
        if (r < 0 || !hooks_any(s, SPEC_HOOK_POSTSTART))
                return r;
        r = run_hooks(l, s, SPEC_HOOK_POSTSTART, STATUS_RUNNING, e);
        if (r < 0) {
                struct berr ignored;

                kill_and_wait(&l->st, &ignored);
        }
        return r;
}

/* Warnings only: the container is gone whatever a poststop hook says. A
 * shim has them run when the container exits (container_exited()). */
static void delete_poststop(struct loaded *l)
{
        _cleanup_spec_ struct spec *s = NULL;
        struct berr e;

        if (!container_state_may_have_hooks(&l->st, SPEC_HOOK_POSTSTOP) ||
            faccessat(l->dir.dir_fd, SHIM_POSTSTOP_DONE, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                return;

        if (load_spec(l, &s, &e) < 0) {
                log_warn("container %s: poststop hooks not run: %s", l->st.id, e.msg);
                return;
        }
        if (hooks_any(s, SPEC_HOOK_POSTSTOP))
                run_hooks(l, s, SPEC_HOOK_POSTSTOP, STATUS_STOPPED, &e);
}

int container_start(const char *root, const char *id, struct berr *e)
{
        struct loaded l;
        int r, fd;

        r = load(root, id, true, &l, e);
        if (r < 0)
                goto out;
        if (l.status != STATUS_CREATED) {
                r = berr_set(e, -EINVAL, "cannot start a container that is %s", container_status_name(l.status));
                goto out;
        }
        /* No reader means the init is gone: there is nobody to start. */
        fd = openat(l.dir.dir_fd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                r = berr_sys(e, -errno, "open start channel");
                goto out;
        }
        if (RETRY_EINTR(write(fd, "0", 1)) != 1)
                r = berr_sys(e, -errno, "signal start");
        close(fd);
        if (r == 0 && unlinkat(l.dir.dir_fd, STATE_FIFO, 0) < 0)
                r = berr_sys(e, -errno, "remove start channel");
        if (r == 0)
                r = start_poststart(&l, e);
out:
        loaded_done(&l);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}

static int ns_inode(pid_t pid, ino_t *ret)
{
        char path[64];
        struct stat st;

        snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
        if (stat(path, &st) < 0)
                return -errno;
        *ret = st.st_ino;
        return 0;
}

static void signal_pid(pid_t pid, int sig)
{
        int fd = pidfd_open(pid, 0);

        if (fd >= 0) {
                pidfd_send_signal(fd, sig, NULL, 0);
                close(fd);
        }
}

/* Without a cgroup (rootless, undelegated), signal every process in the
 * container's own pid namespace; a container sharing the host's pid
 * namespace cannot be walked safely then and is refused. */
static int kill_all(const struct container_state *st, int sig, struct berr *e)
{
        ino_t want, mine, ino;
        struct dirent *de;
        DIR *d;
        int r;

        r = ns_inode(st->pid, &want);
        if (r == 0)
                r = ns_inode(getpid(), &mine);
        if (r < 0)
                return berr_sys(e, r, "pid namespace");
        if (want == mine)
                return berr_set(e, -EOPNOTSUPP, "kill --all needs the container to have its own pid namespace");
        d = opendir("/proc");
        if (!d)
                return berr_sys(e, -errno, "open /proc");
        while ((de = readdir(d))) {
                char *end;
                long pid = strtol(de->d_name, &end, 10);

                if (*end || pid <= 0)
                        continue;
                if (ns_inode((pid_t)pid, &ino) == 0 && ino == want)
                        signal_pid((pid_t)pid, sig);
        }
        closedir(d);
        return 0;
}

int container_kill(const char *root, const char *id, int sig, bool all, struct berr *e)
{
        _cleanup_close_ int fd = -EBADF;
        struct loaded l;
        int r;

        r = load(root, id, false, &l, e);
        if (r == 0 && l.status == STATUS_STOPPED)
                r = berr_set(e, -ESRCH, "container is not running");
        if (r == 0) {
                fd = open_init_pidfd(&l.st);
                if (fd < 0)
                        r = berr_set(e, -ESRCH, "container is not running");
        }
        if (r == 0 && all && l.st.cgroup_path)
                r = cgroup_signal_all(l.st.cgroup_path, sig, e);
        else if (r == 0 && all)
                r = kill_all(&l.st, sig, e);
        if (r == 0 && !all && pidfd_send_signal(fd, sig, NULL, 0) < 0)
                r = berr_sys(e, -errno, "send %s", signal_to_string(sig) ? signal_to_string(sig) : "signal");
        loaded_done(&l);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}

/* SIGKILL the init and wait for it to exit (a pidfd polls readable then,
 * whoever its parent is). */
static int kill_and_wait(const struct container_state *st, struct berr *e)
{
        struct pollfd pfd = { .events = POLLIN };
        int r;

        pfd.fd = open_init_pidfd(st);
        if (pfd.fd == -ESRCH || pfd.fd == -ENOENT)
                return 0;
        if (pfd.fd < 0)
                return berr_sys(e, pfd.fd, "open init");
        if (pidfd_send_signal(pfd.fd, SIGKILL, NULL, 0) < 0 && errno != ESRCH) {
                r = berr_sys(e, -errno, "kill init");
                close(pfd.fd);
                return r;
        }
        r = RETRY_EINTR(poll(&pfd, 1, DELETE_KILL_TIMEOUT_MS));
        close(pfd.fd);
        if (r == 0)
                return berr_set(e, -ETIMEDOUT, "init did not exit after SIGKILL");
        return 0;
}

int container_delete(const char *root, const char *id, bool force, struct berr *e)
{
        struct loaded l;
        int r;

        r = load(root, id, true, &l, e);
        if (r == -ENOENT && l.dir.dir_fd >= 0) {
                /* A create that died before recording: its cgroup (and any
                 * init left in it) is all there is to remove. Without a
                 * readable record, only the directory goes. */
                (void)state_read_cgroup(&l.dir, &l.st.cgroup_path);
                r = 0;
        } else if (r == -ENOENT && force) {
                loaded_done(&l);
                return 0;
        } else if (r == 0 && (l.status == STATUS_RUNNING || l.status == STATUS_PAUSED) && !force)
                r = berr_set(e, -EBUSY, "cannot delete a container that is %s (use --force)",
                             container_status_name(l.status));
        else if (r == 0 && l.status != STATUS_STOPPED)
                r = kill_and_wait(&l.st, e);
        if (r == 0 && l.st.cgroup_path)
                r = cgroup_destroy(l.st.cgroup_path, e);
        if (r == 0 && l.st.id)
                delete_poststop(&l);
        if (r == 0)
                shim_quit(l.dir.dir_fd);
        if (r == 0)
                r = state_dir_remove(&l.dir, e);
        loaded_done(&l);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}

/* What the shim has berth do once the init has exited: run the poststop
 * hooks now rather than at delete, as under an engine, which deletes at
 * once. Nothing to do for a container already deleted. */
int container_exited(const char *root, const char *id, struct berr *e)
{
        struct loaded l;
        int r, fd;

        r = load(root, id, true, &l, e);
        if (r == 0 && l.status != STATUS_STOPPED)
                r = berr_set(e, -EBUSY, "container is %s", container_status_name(l.status));
        if (r == 0 && faccessat(l.dir.dir_fd, SHIM_POSTSTOP_DONE, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
                delete_poststop(&l);
                fd = openat(l.dir.dir_fd, SHIM_POSTSTOP_DONE, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0)
                        r = berr_sys(e, -errno, "record that poststop ran");
                safe_close(fd);
        }
        loaded_done(&l);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}
