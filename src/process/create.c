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
#include <pwd.h>
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
#include "namespaces/namespaces.h"
#include "namespaces/sysctl.h"
#include "process/container.h"
#include "process/sync.h"
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
        const struct spec_process *p = &s->process;
        bool hooks = false;
        int r;

        for (int k = 0; k < SPEC_HOOK__MAX; k++)
                hooks |= s->hooks[k].n > 0;
        const struct { bool asked; const char *path; } unsupported[] = {
                { hooks, ".hooks" },
                { p->terminal, ".process.terminal" },
                { l->seccomp.present, ".linux.seccomp" },
                { p->apparmor_profile, ".process.apparmorProfile" },
                { p->selinux_label, ".process.selinuxLabel" },
                { l->mount_label, ".linux.mountLabel" },
                { l->n_net_devices > 0, ".linux.netDevices" },
                { l->has_intel_rdt, ".linux.intelRdt" },
                { l->personality.set, ".linux.personality" },
                { p->scheduler.set, ".process.scheduler" },
                { p->io_priority.set, ".process.ioPriority" },
                { p->exec_cpu_affinity_initial || p->exec_cpu_affinity_final, ".process.execCPUAffinity" },
        };

        for (size_t i = 0; i < ELEMENTSOF(unsupported); i++)
                if (unsupported[i].asked)
                        return berr_set(e, -EOPNOTSUPP, "config.json: %s: not supported yet", unsupported[i].path);
        r = ns_check_supported(l, e);
        return r < 0 ? r : sysctl_check(l, e);
}

/* Without a device cgroup (it comes with cgroup support) berth can honour
 * only the policy it already gives: nothing beyond the nodes it creates.
 * So a rule list that denies everything is accepted and anything that
 * allows more is refused. */
static int create_check_resources(const struct spec_resources *r, struct berr *e)
{
        if (!r->present)
                return 0;
        for (size_t i = 0; i < r->n_devices; i++)
                if (r->devices[i].allow)
                        return berr_set(e, -EOPNOTSUPP,
                                        "config.json: .linux.resources.devices[%zu]: device cgroup rules are not supported yet", i);
        if (r->memory.limit.set || r->memory.reservation.set || r->memory.swap.set || r->cpu.shares.set ||
            r->cpu.quota.set || r->cpu.period.set || r->cpu.cpus || r->cpu.mems || r->pids.limit.set ||
            r->block_io.weight.set || r->n_hugepage_limits || r->n_rdma || r->n_unified ||
            r->block_io.n_weight_device || r->block_io.n_throttle_read_bps || r->block_io.n_throttle_write_bps ||
            r->block_io.n_throttle_read_iops || r->block_io.n_throttle_write_iops)
                return berr_set(e, -EOPNOTSUPP, "config.json: .linux.resources: cgroup resource limits are not supported yet");
        return 0;
}

struct create_ctx {
        const struct container_create_opts *o;
        struct spec *spec;
        char *bundle;                   /* absolute */
        char *rootfs;                   /* absolute */
        int bundle_fd;
        struct state_dir dir;
        char *cgroup_path;              /* NULL: no cgroup (rootless, undelegated) */
        int cgroup_fd;
        int fifo_fd;
        int sync_fd[2];
        struct ns_join join;
        pid_t pid;
        int pidfd;
};

static int create_load(struct create_ctx *c, struct berr *e)
{
        const char *rp;
        int r;

        c->bundle = realpath(c->o->bundle ? c->o->bundle : ".", NULL);
        if (!c->bundle)
                return berr_sys(e, -errno, "bundle %s", c->o->bundle ? c->o->bundle : ".");
        c->bundle_fd = open(c->bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (c->bundle_fd < 0)
                return berr_sys(e, -errno, "bundle %s", c->bundle);
        r = spec_load(c->bundle_fd, &c->spec, e);
        if (r < 0)
                return r;
        if (c->o->console_socket && !c->spec->process.terminal)
                return berr_set(e, -EINVAL, "--console-socket given but config.json: .process.terminal is false");
        r = create_check_supported(c->spec, e);
        if (r == 0)
                r = create_check_resources(&c->spec->linux.resources, e);
        if (r < 0)
                return r;
        rp = c->spec->root.path;
        if (rp[0] == '/')
                c->rootfs = realpath(rp, NULL);
        else if (asprintf(&c->rootfs, "%s/%s", c->bundle, rp) >= 0) {
                char *abs = realpath(c->rootfs, NULL);

                free(c->rootfs);
                c->rootfs = abs;
        }
        if (!c->rootfs)
                return berr_sys(e, -errno, "config.json: .root.path: %s", rp);
        return 0;
}

static int create_state_dir(struct create_ctx *c, struct berr *e)
{
        _cleanup_free_ char *cfg = NULL;
        size_t len;
        int r;

        r = state_dir_create(c->o->root, c->o->id, &c->dir, e);
        if (r < 0)
                return r;
        /* Keep the config as created: later commands must not see edits. */
        r = fs_read_at(c->bundle_fd, "config.json", 16u << 20, &cfg, &len);
        if (r == 0)
                r = fs_write_atomic_at(c->dir.dir_fd, STATE_CONFIG, cfg, len, 0600);
        if (r < 0)
                return berr_sys(e, r, "save config");
        if (mkfifoat(c->dir.dir_fd, STATE_FIFO, 0600) < 0)
                return berr_sys(e, -errno, "create start channel");
        c->fifo_fd = openat(c->dir.dir_fd, STATE_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (c->fifo_fd < 0)
                return berr_sys(e, -errno, "open start channel");
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
                .spec = c->spec, .rootfs = c->rootfs, .bundle_fd = c->bundle_fd,
                .fifo_fd = c->fifo_fd, .join = &c->join,
                .new_userns = ns & CLONE_NEWUSER, .new_netns = ns & CLONE_NEWNET,
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

static int create_write_pid_file(const char *path, pid_t pid, struct berr *e)
{
        _cleanup_free_ char *copy = strdup(path);
        _cleanup_close_ int dfd = -EBADF;
        char buf[32], *slash;
        int r;

        if (!copy)
                return berr_sys(e, -ENOMEM, "pid file");
        slash = strrchr(copy, '/');
        if (slash)
                *slash = '\0';
        dfd = open(slash ? (copy[0] ? copy : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return berr_sys(e, -errno, "pid file %s", path);
        snprintf(buf, sizeof(buf), "%d", (int)pid);
        r = fs_write_atomic_at(dfd, slash ? slash + 1 : copy, buf, strlen(buf), 0644);
        return r < 0 ? berr_sys(e, r, "write pid file %s", path) : 0;
}

static int create_record(struct create_ctx *c, struct berr *e)
{
        struct passwd *pw = getpwuid(geteuid());
        _cleanup_free_ char *id = strdup(c->o->id);
        char created[64], owner[32];
        struct timespec now;
        struct container_state st = {
                .id = id, .bundle = c->bundle, .rootfs = c->rootfs, .pid = c->pid,
                .created = created, .owner = owner, .cgroup_path = c->cgroup_path,
                .annotations = c->spec->annotations, .n_annotations = c->spec->n_annotations,
        };
        int r;

        if (!id)
                return berr_sys(e, -ENOMEM, "record state");
        clock_gettime(CLOCK_REALTIME, &now);
        log_format_time(&now, created, sizeof(created));
        snprintf(owner, sizeof(owner), "%s", pw ? pw->pw_name : "");
        if (!pw)
                snprintf(owner, sizeof(owner), "%u", (unsigned)geteuid());
        r = proc_start_time(c->pid, &st.pid_start, NULL);
        if (r < 0)
                return berr_sys(e, r, "container init exited");
        r = state_write(&c->dir, &st, e);
        if (r == 0 && c->o->pid_file)
                r = create_write_pid_file(c->o->pid_file, c->pid, e);
        return r;
}

static int create_run(struct create_ctx *c, struct berr *e)
{
        int r;

        r = create_load(c, e);
        if (r == 0)
                r = create_state_dir(c, e);
        if (r == 0)
                r = cgroup_create(c->spec->linux.cgroups_path, c->o->id, &c->cgroup_path, &c->cgroup_fd, e);
        if (r == 0)
                r = create_clone(c, e);
        if (r < 0)
                return r;
        r = ns_write_id_maps(c->pid, &c->spec->linux, e);
        if (r == 0 && sync_send(c->sync_fd[0], SYNC_MAPS_DONE) < 0)
                r = berr_sys(e, -errno, "sync with container init");
        if (r == 0)
                r = sync_wait(c->sync_fd[0], SYNC_CREATED, e);
        if (r == 0)
                r = create_record(c, e);
        if (r == 0 && sync_send(c->sync_fd[0], SYNC_COMMIT) < 0)
                r = berr_sys(e, -errno, "sync with container init");
        if (r == 0)
                r = sync_wait_closed(c->sync_fd[0], e);
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
        if (c->dir.dir_fd >= 0) {
                struct berr ignored;

                state_dir_remove(&c->dir, &ignored);
        }
        if (c->cgroup_path) {
                struct berr ignored;

                cgroup_destroy(c->cgroup_path, &ignored);
        }
}

int container_create(const struct container_create_opts *o, pid_t *ret_pid, int *ret_pidfd, struct berr *e)
{
        struct create_ctx c = {
                .o = o, .bundle_fd = -EBADF, .dir = STATE_DIR_INIT, .fifo_fd = -EBADF, .cgroup_fd = -EBADF,
                .sync_fd = { -EBADF, -EBADF }, .pidfd = -EBADF,
        };
        int r;

        ns_join_init(&c.join);
        r = state_validate_id(o->id, e);
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
        }
        safe_close(c.pidfd);
        ns_join_close(&c.join);
        safe_close(c.sync_fd[0]);
        safe_close(c.fifo_fd);
        safe_close(c.cgroup_fd);
        free(c.cgroup_path);
        safe_close(c.bundle_fd);
        state_dir_close(&c.dir);
        spec_free(c.spec);
        free(c.bundle);
        free(c.rootfs);
        return r;
}
