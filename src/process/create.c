/* create: the parent side of container creation. Parse and check the
 * config, make the state directory and start channel, clone3 the init
 * into its namespaces, answer its steps, and record the result. Any
 * failure kills the half-made init and removes the state directory, so a
 * failed create leaves nothing behind (the init's mounts live only in its
 * own mount namespace and vanish with it). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroups/cgroup.h"
#include "mount/mount.h"
#include "namespaces/namespaces.h"
#include "namespaces/netdev.h"
#include "namespaces/sysctl.h"
#include "process/attrs.h"
#include "process/console.h"
#include "process/container.h"
#include "process/hooks.h"
#include "process/init.h"
#include "process/sync.h"
#include "seccomp/notify.h"
#include "seccomp/seccomp.h"
#include "security/lsm.h"
#include "security/selfexe.h"
#include "spec/spec.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* Config features that a later part of berth implements: refuse them
 * precisely instead of running a container that silently lacks them. */
static int create_check_supported(const struct spec *s, struct berr *e)
{
        const struct spec_linux *l = &s->linux;
        int r;

        const struct { bool asked; const char *path; } unsupported[] = {
                { l->has_intel_rdt, ".linux.intelRdt" },
        };

        for (size_t i = 0; i < ELEMENTSOF(unsupported); i++)
                if (unsupported[i].asked)
                        return berr_set(e, -EOPNOTSUPP, "config.json: %s: not supported yet", unsupported[i].path);
        r = ns_check_supported(l, e);
        if (r == 0)
                r = lsm_check(s, e);
        return r < 0 ? r : sysctl_check(l, e);
}

/* root.path, relative to the bundle or absolute, made canonical. Like runc,
 * refuse a rootfs that is itself a symlink: what it points at could change
 * between this check and the mounts, and an engine always passes the real
 * directory. */
static int create_resolve_rootfs(const char *rp, const char *bundle, char **ret, struct berr *e)
{
        _cleanup_free_ char *path = NULL;
        struct stat st;

        if (rp[0] == '/')
                path = strdup(rp);
        else if (asprintf(&path, "%s/%s", bundle, rp) < 0)
                path = NULL;
        if (!path)
                return berr_sys(e, -ENOMEM, "config.json: .root.path");
        if (lstat(path, &st) < 0)
                return berr_sys(e, -errno, "config.json: .root.path: %s", rp);
        if (S_ISLNK(st.st_mode))
                return berr_set(e, -EINVAL, "config.json: .root.path: %s is a symlink: give the directory it points to", rp);
        if (!S_ISDIR(st.st_mode))
                return berr_set(e, -ENOTDIR, "config.json: .root.path: %s: expected a directory", rp);
        *ret = realpath(path, NULL);
        return *ret ? 0 : berr_sys(e, -errno, "config.json: .root.path: %s", rp);
}

struct create_ctx {
        const struct container_create_opts *o;
        struct spec *spec;              /* o->spec, the caller's */
        char *bundle;                   /* absolute */
        char *rootfs;                   /* absolute */
        int bundle_fd;
        struct state_dir dir;
        struct container_state st;      /* pointers into this context, not owned */
        char created[64];
        char *cgroup_path;              /* NULL: no cgroup (rootless, undelegated) */
        char *cgroup_tree;              /* what a "cgroup" mount binds, NULL: mount cgroup2 */
        int cgroup_fd;
        int fifo_fd;
        int *mount_fds;                 /* per config mount: a prepared idmapped bind, or -EBADF */
        int sync_fd[2];
        struct ns_join join;
        pid_t pid;
        int pidfd;
        bool stub_at_commit;            /* the stub is made after clone, sent at commit */
        bool console_to_caller;         /* process.terminal without --console-socket: ret_console */
        int console_sock;               /* connected --console-socket, or -EBADF */
        int console;                    /* the pty master, for ret_console */
        struct seccomp_program seccomp; /* compiled before clone; empty without linux.seccomp */
};

/* The fds to pass (LISTEN_FDS, --preserve-fds) must all be the caller's:
 * a gap would let one of berth's own files take the number and leak into
 * the container. Checked before berth opens anything else. */
static int create_check_fds(const struct container_create_opts *o, struct berr *e)
{
        unsigned n = o->listen_fds + o->preserve_fds;

        for (unsigned fd = 3; fd < 3 + n; fd++) {
                if (fcntl((int)fd, F_GETFD) < 0)
                        return berr_set(e, -EBADF, "--preserve-fds/LISTEN_FDS: fd %u is not open", fd);
                if ((int)fd == log_file_fd())
                        return berr_set(e, -EBADF, "--preserve-fds/LISTEN_FDS: fd %u is berth's --log file", fd);
        }
        return 0;
}

/* A terminal's master needs somewhere to go: the console socket, or the
 * caller (a foreground run). The socket is connected now, so a wrong path
 * fails before anything is made. */
static int create_check_terminal(struct create_ctx *c, struct berr *e)
{
        if (c->o->console_socket && !c->spec->process.terminal)
                return berr_set(e, -EINVAL, "--console-socket given but config.json: .process.terminal is false");
        if (!c->spec->process.terminal)
                return 0;
        if (c->o->console_socket)
                return console_socket_connect(c->o->console_socket, &c->console_sock, e);
        if (!c->console_to_caller)
                return berr_set(e, -EINVAL,
                                "config.json: .process.terminal is true: --console-socket is required to receive the pty");
        return 0;
}

static int create_load(struct create_ctx *c, struct berr *e)
{
        int r;

        c->bundle = realpath(c->o->bundle ? c->o->bundle : ".", NULL);
        if (!c->bundle)
                return berr_sys(e, -errno, "bundle %s", c->o->bundle ? c->o->bundle : ".");
        c->bundle_fd = open(c->bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (c->bundle_fd < 0)
                return berr_sys(e, -errno, "bundle %s", c->bundle);
        r = create_check_terminal(c, e);
        if (r < 0)
                return r;
        r = create_check_supported(c->spec, e);
        if (r < 0)
                return r;
        return create_resolve_rootfs(c->spec->root.path, c->bundle, &c->rootfs, e);
}

static int create_state_dir(struct create_ctx *c, struct berr *e)
{
        int r;

        r = state_dir_create(c->o->root, c->o->id, &c->dir, e);
        if (r < 0)
                return r;
        /* Started at commit (run): no start channel to wait on; the state
         * reads "running" from the moment state.json appears. */
        if (c->o->start)
                return 0;
        if (mkfifoat(c->dir.dir_fd, STATE_FIFO, 0600) < 0)
                return berr_sys(e, -errno, "create start channel");
        c->fifo_fd = openat(c->dir.dir_fd, STATE_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (c->fifo_fd < 0)
                return berr_sys(e, -errno, "open start channel");
        return 0;
}

/* Keep the config as created, the very text that was validated: later
 * commands must not see edits. Written while the init sets up: nothing
 * reads it before create is done. */
static int create_save_config(struct create_ctx *c, struct berr *e)
{
        int r = fs_write_atomic_at(c->dir.dir_fd, STATE_CONFIG, c->o->config, c->o->config_len, 0600);

        return r < 0 ? berr_sys(e, r, "save config") : 0;
}

/* The user namespace whose maps an idmapped mount uses: the mount's own,
 * or else (one for all such mounts) the container's; *ret_fd is a new fd. */
static int create_idmap_userns(const struct spec *s, const struct spec_mount *m, int *ctr_userns, int *ret_fd,
                               struct berr *e)
{
        const struct spec_linux *l = &s->linux;
        int r;

        if (m->n_uid_mappings > 0)
                return ns_userns_for_maps(m->uid_mappings, m->n_uid_mappings, m->gid_mappings, m->n_gid_mappings,
                                          ret_fd, e);
        if (!l->ns[SPEC_NS_USER].present || l->ns[SPEC_NS_USER].path)
                return berr_set(e, -EINVAL, "idmap needs the mount's uidMappings and gidMappings, or a new user namespace");
        if (*ctr_userns < 0) {
                r = ns_userns_for_maps(l->uid_mappings, l->n_uid_mappings, l->gid_mappings, l->n_gid_mappings,
                                       ctr_userns, e);
                if (r < 0)
                        return r;
        }
        *ret_fd = fcntl(*ctr_userns, F_DUPFD_CLOEXEC, 3);
        return *ret_fd < 0 ? berr_sys(e, -errno, "user namespace") : 0;
}

/* Idmapped binds need CAP_SYS_ADMIN over the source's filesystem, which
 * the init gives up with its user namespace: make them here, before clone;
 * the init attaches them (its copy of the fd table holds them). */
static int create_prepare_idmaps(struct create_ctx *c, struct berr *e)
{
        const struct spec *s = c->spec;
        _cleanup_close_ int ctr_userns = -EBADF;

        for (size_t i = 0; i < s->n_mounts; i++) {
                _cleanup_close_ int userns = -EBADF;
                int r = mount_wants_idmap(&s->mounts[i], e);

                if (r == 0)
                        continue;
                if (!c->mount_fds) {
                        c->mount_fds = malloc(s->n_mounts * sizeof(int));
                        if (!c->mount_fds)
                                return berr_sys(e, -ENOMEM, "idmapped mounts");
                        for (size_t j = 0; j < s->n_mounts; j++)
                                c->mount_fds[j] = -EBADF;
                }
                if (r > 0)
                        r = create_idmap_userns(s, &s->mounts[i], &ctr_userns, &userns, e);
                if (r >= 0)
                        r = mount_prepare_idmapped(c->bundle_fd, &s->mounts[i], userns, &c->mount_fds[i], e);
                if (r < 0)
                        return berr_wrap(e, "config.json: .mounts[%zu]", i);
        }
        return 0;
}

static int create_clone(struct create_ctx *c, struct berr *e)
{
        uint64_t ns = ns_clone_flags(&c->spec->linux);
        struct clone_args args = {
                .flags = ns | CLONE_PIDFD,
                .pidfd = (uint64_t)(uintptr_t)&c->pidfd,
                .exit_signal = SIGCHLD,
        };
        struct init_ctx init = {
                .spec = c->spec, .opts = c->o, .rootfs = c->rootfs, .bundle_fd = c->bundle_fd,
                .fifo_fd = c->fifo_fd, .join = &c->join, .mount_fds = c->mount_fds,
                .cgroup_tree = c->cgroup_tree,
                .new_userns = ns & CLONE_NEWUSER, .new_netns = ns & CLONE_NEWNET,
                .stub_at_commit = c->stub_at_commit, .seccomp = &c->seccomp,
        };
        long pid;
        int r;

        /* Born in its group: no window where the init runs outside it,
         * and a new cgroup namespace is rooted there. */
        if (c->cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)c->cgroup_fd;
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync_fd) < 0)
                return berr_sys(e, -errno, "sync socket");
        r = ns_join_open(&c->spec->linux, &c->join, e);
        if (r == 0)
                r = ns_join_for_children(&c->join, e);
        if (r < 0)
                return r;
        /* execCPUAffinity.initial is for the runtime process that becomes
         * the container: the child inherits it until it sets the final one. */
        if (c->spec->process.exec_cpu_affinity_initial) {
                r = attrs_set_affinity(c->spec->process.exec_cpu_affinity_initial,
                                       ".process.execCPUAffinity.initial", e);
                if (r < 0)
                        return r;
        }
        init_prepare_signals();
        fflush(NULL);
        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0)
                return berr_sys(e, -errno, "clone3");
        if (pid == 0) {
                /* flock belongs to the open file: an inherited copy of the
                 * state directory fd would hold the container's lock for as
                 * long as the init lives. */
                state_dir_close(&c->dir);
                c->cgroup_fd = safe_close(c->cgroup_fd);
                c->sync_fd[0] = safe_close(c->sync_fd[0]);
                init.sync_fd = c->sync_fd[1];
                container_init(&init);
        }
        c->pid = (pid_t)pid;
        c->sync_fd[1] = safe_close(c->sync_fd[1]);
        return 0;
}

/* linux.netDevices: from the host's namespace into the init's, as named. */
static int create_net_devices(struct create_ctx *c, struct berr *e)
{
        const struct spec_linux *l = &c->spec->linux;
        _cleanup_close_ int netns = -EBADF;
        char path[64];

        if (l->n_net_devices == 0)
                return 0;
        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)c->pid);
        netns = open(path, O_RDONLY | O_CLOEXEC);
        if (netns < 0)
                return berr_sys(e, -errno, "open %s", path);
        for (size_t i = 0; i < l->n_net_devices; i++) {
                const struct spec_net_device *d = &l->net_devices[i];
                int r = netdev_move(d->host_name, d->name ? d->name : d->host_name, netns, e);

                if (r < 0)
                        return berr_wrap(e, "config.json: .linux.netDevices.%s", d->host_name);
        }
        return 0;
}

/* The OCI state of the container being created: hooks read it on stdin,
 * state.json records it. */
static int create_describe(struct create_ctx *c, struct berr *e)
{
        struct timespec now;
        int r;

        clock_gettime(CLOCK_REALTIME, &now);
        log_format_time(&now, c->created, sizeof(c->created));
        c->st = (struct container_state){
                .id = c->dir.id, .bundle = c->bundle, .rootfs = c->rootfs, .pid = c->pid,
                .created = c->created, .has_owner_uid = true, .owner_uid = geteuid(), .cgroup_path = c->cgroup_path,
                .annotations = c->spec->annotations, .n_annotations = c->spec->n_annotations,
                .hooks_known = true,
        };
        for (int k = 0; k < SPEC_HOOK__MAX; k++)
                if (hooks_any(c->spec, k))
                        c->st.hooks |= 1U << k;
        r = proc_start_time(c->pid, &c->st.pid_start, NULL);
        return r < 0 ? berr_sys(e, r, "container init exited") : 0;
}

/* prestart (deprecated, still what many tools use) and createRuntime run in
 * the runtime's namespaces while the init waits before pivot_root with its
 * mounts in place; then the init runs createContainer. */
static int create_run_hooks(struct create_ctx *c, struct berr *e)
{
        const struct spec *s = c->spec;
        _cleanup_free_ char *state = NULL;
        size_t len;
        int r;

        if (!hooks_any(s, SPEC_HOOK_PRESTART) && !hooks_any(s, SPEC_HOOK_CREATE_RUNTIME) &&
            !hooks_any(s, SPEC_HOOK_CREATE_CONTAINER))
                return 0;
        r = sync_wait(c->sync_fd[0], SYNC_HOOKS, e);
        if (r == 0)
                r = state_oci_text(&c->st, STATUS_CREATING, &state, &len, e);
        if (r == 0)
                r = hooks_run(s, SPEC_HOOK_PRESTART, state, len, false, e);
        if (r == 0)
                r = hooks_run(s, SPEC_HOOK_CREATE_RUNTIME, state, len, false, e);
        if (r == 0 && sync_send_data(c->sync_fd[0], SYNC_HOOKS_DONE, state, len) < 0)
                r = berr_sys(e, -errno, "sync with container init");
        return r;
}

/* The init opened the pty after pivot_root; its master goes on. */
static int create_console(struct create_ctx *c, struct berr *e)
{
        _cleanup_close_ int master = -EBADF;
        int r;

        if (!c->spec->process.terminal)
                return 0;
        r = sync_wait_fd(c->sync_fd[0], SYNC_CONSOLE, &master, e);
        if (r < 0)
                return r;
        if (c->console_sock >= 0)
                return console_socket_send(c->console_sock, master, e);
        c->console = TAKE_FD(master);
        return 0;
}

/* The filter is compiled here, in the parent, so that the init only loads
 * it (DESIGN.md: everything the child needs is computed before clone). */
static int create_compile_seccomp(struct create_ctx *c, struct berr *e)
{
        bool hit = false;
        int r;

        if (!c->spec->linux.seccomp.present)
                return 0;
        r = seccomp_compile_cached(&c->spec->linux.seccomp, c->dir.root_fd, &c->seccomp, &hit, e);
        if (r < 0)
                return berr_wrap(e, "config.json");
        log_debug("seccomp: %zu instructions%s", c->seccomp.len, hit ? " (from the cache)" : "");
        return 0;
}

/* SCMP_ACT_NOTIFY: the init loaded its filter and sent the listener; the
 * agent gets it with the container's state (status "creating"). */
static int create_seccomp_listener(struct create_ctx *c, struct berr *e)
{
        const struct spec_seccomp *sc = &c->spec->linux.seccomp;
        _cleanup_free_ char *state = NULL;
        _cleanup_close_ int listener = -EBADF;
        struct seccomp_notify_target t = {
                .listener_path = sc->listener_path, .metadata = sc->listener_metadata,
                .oci_version = c->spec->oci_version, .pid = c->pid,
        };
        int r;

        if (!c->seccomp.notify)
                return 0;
        r = sync_wait_fd(c->sync_fd[0], SYNC_SECCOMP, &listener, e);
        if (r == 0)
                r = state_oci_text(&c->st, STATUS_CREATING, &state, &t.state_len, e);
        if (r < 0)
                return r;
        t.state = state;
        return seccomp_notify_send(&t, listener, e);
}

static int create_record(struct create_ctx *c, struct berr *e)
{
        int r = state_commit(&c->dir, e);

        if (r == 0 && c->o->pid_file)
                r = container_write_pid_file(c->o->pid_file, c->pid, e);
        return r;
}

/* The init may go once the state is on disk; the startContainer hooks it
 * runs after `start` get the state as of now. */
static int create_commit(struct create_ctx *c, struct berr *e)
{
        _cleanup_free_ char *state = NULL;
        size_t len;
        int r;

        if (c->stub_at_commit) {
                r = sync_send_fd(c->sync_fd[0], SYNC_COMMIT, selfexe_stub_fd());
        } else if (!hooks_any(c->spec, SPEC_HOOK_START_CONTAINER)) {
                r = sync_send(c->sync_fd[0], SYNC_COMMIT);
        } else {
                r = state_oci_text(&c->st, STATUS_CREATED, &state, &len, e);
                if (r < 0)
                        return r;
                r = sync_send_data(c->sync_fd[0], SYNC_COMMIT, state, len);
        }
        if (r < 0)
                return berr_sys(e, r, "sync with container init");
        return sync_wait_closed(c->sync_fd[0], e);
}

/* What the container's "cgroup" mount shows, bound from the host rather
 * than mounted anew (see mount_one()): with a cgroup namespace of its own,
 * its own group, which is that namespace's root; without, the whole
 * hierarchy, as a new cgroup2 mount would show. */
static int create_cgroup_tree(struct create_ctx *c, struct berr *e)
{
        if (ns_clone_flags(&c->spec->linux) & CLONE_NEWCGROUP) {
                c->cgroup_tree = strdup(c->cgroup_path);
                return c->cgroup_tree ? 0 : berr_set(e, -ENOMEM, "out of memory");
        }
        return cgroup_v2_mount(&c->cgroup_tree, e);
}

/* The group's path is on disk before the group is. */
static int create_cgroup(struct create_ctx *c, struct berr *e)
{
        int r = cgroup_plan(c->spec->linux.cgroups_path, c->o->id, &c->cgroup_path, e);

        if (r == 0)
                r = state_write_cgroup(&c->dir, c->cgroup_path, e);
        if (r == 0)
                r = cgroup_create(c->cgroup_path, &c->cgroup_fd, e);
        if (r == 0 && c->cgroup_fd < 0) {
                free(c->cgroup_path);   /* none after all: rootless, undelegated */
                c->cgroup_path = NULL;
        }
        if (r == 0 && c->cgroup_path)
                r = create_cgroup_tree(c, e);
        return r;
}

/* berth-stub's memfd: before clone when hooks run in the container
 * (createContainer, startContainer: through the stub, before the commit or
 * with its state), else made while the init sets up (selfexe.h). */
static int create_plan_stub(struct create_ctx *c, struct berr *e)
{
        if (!hooks_any(c->spec, SPEC_HOOK_CREATE_CONTAINER) && !hooks_any(c->spec, SPEC_HOOK_START_CONTAINER) &&
            selfexe_stub_defer()) {
                c->stub_at_commit = true;
                return 0;
        }
        return selfexe_stub_prepare(e);
}

static int create_run(struct create_ctx *c, struct berr *e)
{
        int r;

        r = create_load(c, e);
        if (r == 0)
                r = create_state_dir(c, e);
        if (r == 0)
                r = create_prepare_idmaps(c, e);
        if (r == 0)
                r = create_compile_seccomp(c, e);
        if (r == 0)
                r = create_cgroup(c, e);
        if (r == 0 && c->cgroup_path)
                r = cgroup_setup(c->cgroup_path, c->cgroup_fd, &c->spec->linux.resources, e);
        if (r == 0)
                r = create_plan_stub(c, e);
        if (r == 0)
                r = create_clone(c, e);
        if (r < 0)
                return r;
        r = ns_write_id_maps(c->pid, &c->spec->linux, e);
        if (r == 0)
                r = create_net_devices(c, e);
        if (r == 0 && sync_send(c->sync_fd[0], SYNC_MAPS_DONE) < 0)
                r = berr_sys(e, -errno, "sync with container init");
        /* While the init mounts: in place long before "created". */
        if (r == 0 && c->cgroup_path)
                r = cgroup_setup_devices(c->cgroup_fd, &c->spec->linux.resources, e);
        if (r == 0 && c->stub_at_commit)
                r = selfexe_stub_prepare(e);
        if (r == 0)
                r = create_save_config(c, e);
        if (r == 0)
                r = create_describe(c, e);
        if (r == 0)
                r = create_run_hooks(c, e);
        if (r == 0)
                r = create_console(c, e);
        if (r == 0)
                r = create_seccomp_listener(c, e);
        /* state.json is written while the init sets up; the rename that
         * shows it waits for the init to be ready (create_record). */
        if (r == 0)
                r = state_stage(&c->dir, &c->st, e);
        if (r == 0 && c->o->start) {
                r = sync_wait(c->sync_fd[0], SYNC_FINISHING, e);
                if (r == 0)
                        r = sync_wait_soon(c->sync_fd[0], SYNC_CREATED, NULL, e);
        } else if (r == 0) {
                r = sync_wait(c->sync_fd[0], SYNC_CREATED, e);
        }
        if (r == 0)
                r = create_record(c, e);
        if (r == 0)
                r = create_commit(c, e);
        return r;
}

/* Undo a failed create: the init dies (and its mounts with it), the state
 * directory goes. */
static void create_undo(struct create_ctx *c)
{
        if (c->pid > 0) {
                kill(c->pid, SIGKILL);
                waitpid(c->pid, NULL, 0);
        }
        /* The lifecycle goes on to "delete" after a failed create, and
         * delete runs poststop (runtime-spec, lifecycle steps 4 and 12). */
        if (c->pid > 0 && c->st.id && hooks_any(c->spec, SPEC_HOOK_POSTSTOP)) {
                _cleanup_free_ char *state = NULL;
                struct berr ignored;
                size_t len;

                if (state_oci_text(&c->st, STATUS_STOPPED, &state, &len, &ignored) == 0)
                        hooks_run(c->spec, SPEC_HOOK_POSTSTOP, state, len, true, &ignored);
        }
        if (c->dir.dir_fd >= 0) {
                struct berr ignored;

                state_dir_remove(&c->dir, &ignored);
        }
        if (c->cgroup_path) {
                struct berr ignored;

                cgroup_destroy(c->cgroup_path, &ignored);
        }
}

void container_create_opts_done(struct container_create_opts *o)
{
        spec_free(o->spec);
        o->spec = NULL;
        free(o->config);
        o->config = NULL;
}

int container_create_prepare(struct container_create_opts *o, struct berr *e)
{
        const char *bundle = o->bundle ? o->bundle : ".";
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, -errno, "container %s: bundle %s", o->id, bundle);
        r = spec_load_text(fd, &o->spec, &o->config, &o->config_len, e);
        if (r < 0)
                return berr_wrap(e, "container %s", o->id);
        /* Nothing of the container exists yet: safe to start over. */
        if (selfexe_needs_copy(&o->spec->linux, &o->spec->process))
                return selfexe_reexec_sealed(e);
        return 0;
}

int container_create(const struct container_create_opts *o, pid_t *ret_pid, int *ret_pidfd, int *ret_console,
                     struct berr *e)
{
        struct create_ctx c = {
                .o = o, .spec = o->spec, .bundle_fd = -EBADF, .dir = STATE_DIR_INIT, .fifo_fd = -EBADF, .cgroup_fd = -EBADF,
                .sync_fd = { -EBADF, -EBADF }, .pidfd = -EBADF, .console_to_caller = ret_console != NULL,
                .console_sock = -EBADF, .console = -EBADF,
        };
        int r;

        ns_join_init(&c.join);
        r = state_validate_id(o->id, e);
        if (r == 0)
                r = create_check_fds(o, e);
        if (r == 0)
                r = create_run(&c, e);
        if (r < 0) {
                create_undo(&c);
                c.pidfd = safe_close(c.pidfd);
                berr_wrap(e, "container %s", o->id);
        } else {
                *ret_pid = c.pid;
                if (ret_pidfd)
                        *ret_pidfd = TAKE_FD(c.pidfd);
                if (ret_console)
                        *ret_console = TAKE_FD(c.console);
        }
        safe_close(c.console);
        safe_close(c.console_sock);
        safe_close(c.pidfd);
        ns_join_close(&c.join);
        safe_close(c.sync_fd[0]);
        safe_close(c.fifo_fd);
        for (size_t i = 0; c.mount_fds && i < c.spec->n_mounts; i++)
                safe_close(c.mount_fds[i]);
        free(c.mount_fds);
        seccomp_program_done(&c.seccomp);
        safe_close(c.cgroup_fd);
        free(c.cgroup_path);
        free(c.cgroup_tree);
        safe_close(c.bundle_fd);
        state_dir_close(&c.dir);
        free(c.bundle);
        free(c.rootfs);
        return r;
}
