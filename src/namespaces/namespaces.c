/* namespaces: clone flags, joining by path, id maps (see namespaces.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "namespaces/namespaces.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/passwd.h"

static const int ns_flag[SPEC_NS__MAX] = {
        [SPEC_NS_PID] = CLONE_NEWPID, [SPEC_NS_NET] = CLONE_NEWNET, [SPEC_NS_MNT] = CLONE_NEWNS,
        [SPEC_NS_IPC] = CLONE_NEWIPC, [SPEC_NS_UTS] = CLONE_NEWUTS, [SPEC_NS_USER] = CLONE_NEWUSER,
        [SPEC_NS_CGROUP] = CLONE_NEWCGROUP, [SPEC_NS_TIME] = CLONE_NEWTIME,
};

uint64_t ns_clone_flags(const struct spec_linux *l)
{
        uint64_t flags = 0;

        /* Not the time namespace: see ns_create_time(). */
        for (int t = 0; t < SPEC_NS__MAX; t++)
                if (t != SPEC_NS_TIME && l->ns[t].present && !l->ns[t].path)
                        flags |= (uint64_t)ns_flag[t];
        return flags;
}

/* Two ioctls on any socket of the namespace, as ifconfig does: no netlink
 * socket to open, bind and read an answer from. SIOCSIFFLAGS sets every
 * flag: the ones read, with IFF_UP. */
int ns_loopback_up(struct berr *e)
{
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct ifreq ifr = { .ifr_name = "lo" };

        if (fd < 0)
                return berr_sys(e, -errno, "bring up lo: socket");
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return berr_sys(e, -errno, "bring up lo: read its flags");
        if (ifr.ifr_flags & IFF_UP)
                return 0;
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                return berr_sys(e, -errno, "bring up lo");
        return 0;
}

int ns_check_supported(const struct spec_linux *l, struct berr *e)
{
        if (!l->ns[SPEC_NS_MNT].present || l->ns[SPEC_NS_MNT].path)
                return berr_set(e, -EOPNOTSUPP,
                                "config.json: .linux.namespaces: a new mount namespace is required");
        return 0;
}

void ns_join_init(struct ns_join *j)
{
        for (int t = 0; t < SPEC_NS__MAX; t++)
                j->fd[t] = -EBADF;
}

void ns_join_close(struct ns_join *j)
{
        for (int t = 0; t < SPEC_NS__MAX; t++)
                j->fd[t] = safe_close(j->fd[t]);
}

int ns_join_open(const struct spec_linux *l, struct ns_join *j, struct berr *e)
{
        for (int t = 0; t < SPEC_NS__MAX; t++) {
                if (!l->ns[t].present || !l->ns[t].path)
                        continue;
                j->fd[t] = open(l->ns[t].path, O_RDONLY | O_CLOEXEC);
                if (j->fd[t] < 0)
                        return berr_sys(e, -errno, "open %s namespace %s", spec_ns_name(t), l->ns[t].path);
        }
        return 0;
}

static int ns_join_one(struct ns_join *j, enum spec_ns_type t, struct berr *e)
{
        if (j->fd[t] < 0)
                return 0;
        if (setns(j->fd[t], ns_flag[t]) < 0)
                return berr_sys(e, -errno, "join %s namespace", spec_ns_name(t));
        j->fd[t] = safe_close(j->fd[t]);
        return 0;
}

int ns_join_for_children(struct ns_join *j, struct berr *e)
{
        int r = ns_join_one(j, SPEC_NS_PID, e);

        return r < 0 ? r : ns_join_one(j, SPEC_NS_TIME, e);
}

int ns_join_self(struct ns_join *j, struct berr *e)
{
        static const enum spec_ns_type order[] = {
                SPEC_NS_USER, SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_NET, SPEC_NS_CGROUP, SPEC_NS_MNT,
        };

        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                int r = ns_join_one(j, order[i], e);

                if (r < 0)
                        return r;
        }
        return 0;
}

static int ns_write_map(pid_t pid, const char *file, const struct spec_id_mapping *m, size_t n,
                        struct berr *e)
{
        char path[64], buf[4096];
        size_t len = 0;
        int r;

        for (size_t i = 0; i < n; i++) {
                int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
                                 m[i].container_id, m[i].host_id, m[i].size);

                if (w < 0 || (size_t)w >= sizeof(buf) - len)
                        return berr_set(e, -E2BIG, "%s: too many mappings", file);
                len += (size_t)w;
        }
        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        r = fs_write_string_at(AT_FDCWD, path, buf);
        if (r < 0)
                return berr_sys(e, r, "write %s", file);
        return 0;
}

/* Whether an unprivileged writer may write these maps itself: one line
 * mapping its own id (the kernel's rule for a writer without CAP_SETUID or
 * CAP_SETGID over the parent namespace). */
static bool ns_map_is_self(const struct spec_id_mapping *m, size_t n, unsigned int self)
{
        return n == 1 && m[0].host_id == self && m[0].size == 1;
}

/* Whether /etc/subuid (or subgid) names a range for `user` or `id`. */
static bool ns_subid_has_range(const char *file, const char *user, unsigned int id)
{
        _cleanup_fclose_ FILE *f = fopen(file, "re");
        char line[512], idstr[16];

        if (!f)
                return false;
        snprintf(idstr, sizeof(idstr), "%u", id);
        while (fgets(line, sizeof(line), f)) {
                char *colon = strchr(line, ':');

                if (!colon)
                        continue;
                *colon = '\0';
                if ((user && strcmp(line, user) == 0) || strcmp(line, idstr) == 0)
                        return true;
        }
        return false;
}

/* Write the maps of `pid` through the setuid helper newuidmap/newgidmap,
 * which checks them against /etc/subuid and /etc/subgid. */
static int ns_run_helper(pid_t pid, bool gid, const struct spec_id_mapping *m, size_t n, struct berr *e)
{
        const char *tool = gid ? "newgidmap" : "newuidmap";
        const char *subfile = gid ? "/etc/subgid" : "/etc/subuid";
        size_t argc = 0, nargs = 3 + 3 * n;
        _cleanup_free_ char **argv = calloc(nargs, sizeof(*argv));
        _cleanup_free_ char *nums = malloc((1 + 3 * n) * 12);
        char *p = nums, out[512], name[16];
        _cleanup_close_ int rd = -1;
        int pipefd[2], status = 0, r;
        posix_spawn_file_actions_t fa;
        pid_t child;
        ssize_t len = 0;

        if (!argv || !nums)
                return berr_set(e, -ENOMEM, "%s: out of memory", tool);
        snprintf(name, sizeof(name), "%s", tool);
        argv[argc++] = name;
        argv[argc++] = p;
        p += sprintf(p, "%d", (int)pid) + 1;
        for (size_t i = 0; i < n; i++) {
                unsigned int v[3] = { m[i].container_id, m[i].host_id, m[i].size };

                for (int k = 0; k < 3; k++) {
                        argv[argc++] = p;
                        p += sprintf(p, "%u", v[k]) + 1;
                }
        }
        argv[argc] = NULL;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "%s: pipe", tool);
        rd = pipefd[0];
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
        r = posix_spawnp(&child, tool, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        close(pipefd[1]);
        if (r == ENOENT)
                return berr_set(e, -ENOENT,
                                "%s not found: install the uidmap package, or use a single mapping of "
                                "your own %s",
                                tool, gid ? "gid" : "uid");
        if (r != 0)
                return berr_sys(e, -r, "run %s", tool);
        while ((size_t)len < sizeof(out) - 1) {
                ssize_t k = read(rd, out + len, sizeof(out) - 1 - (size_t)len);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                len += k;
        }
        out[len] = '\0';
        while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
                out[--len] = '\0';
        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        return berr_sys(e, -errno, "wait for %s", tool);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;

        unsigned int self = gid ? getegid() : geteuid();
        char user[64];
        bool named = passwd_host_name(geteuid(), user, sizeof(user)) == 0;

        if (!ns_subid_has_range(subfile, named ? user : NULL, gid ? self : geteuid()))
                return berr_set(e, -EPERM, "%s has no range for user %s: add one (usermod --add-sub%cids) "
                                "or use a single mapping of your own %s",
                                subfile, named ? user : "(unknown)", gid ? 'g' : 'u', gid ? "gid" : "uid");
        return berr_set(e, -EPERM, "%s failed: %s", tool, len > 0 ? out : "(no output)");
}

int ns_write_id_maps(pid_t pid, const struct spec_linux *l, struct berr *e)
{
        bool privileged = geteuid() == 0;
        int r;

        if (!l->ns[SPEC_NS_USER].present || l->ns[SPEC_NS_USER].path)
                return 0;
        if (privileged || ns_map_is_self(l->uid_mappings, l->n_uid_mappings, geteuid()))
                r = ns_write_map(pid, "uid_map", l->uid_mappings, l->n_uid_mappings, e);
        else
                r = ns_run_helper(pid, false, l->uid_mappings, l->n_uid_mappings, e);
        if (r < 0)
                return r;
        if (privileged)
                return ns_write_map(pid, "gid_map", l->gid_mappings, l->n_gid_mappings, e);
        if (!ns_map_is_self(l->gid_mappings, l->n_gid_mappings, getegid()))
                return ns_run_helper(pid, true, l->gid_mappings, l->n_gid_mappings, e);

        /* Unprivileged writers must give up setgroups() before gid_map. */
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
        r = fs_write_string_at(AT_FDCWD, path, "deny");
        if (r < 0)
                return berr_sys(e, r, "write setgroups");
        return ns_write_map(pid, "gid_map", l->gid_mappings, l->n_gid_mappings, e);
}

static int ns_time_offset(char *buf, size_t size, const char *clock, const struct spec_time_offset *o)
{
        if (!o->set)
                return 0;
        return snprintf(buf, size, "%s %lld %u\n", clock, (long long)o->secs, o->nanosecs);
}

/* A time namespace takes its offsets only until a process enters it, and
 * clone3(CLONE_NEWTIME) would put the init in at once. So: unshare, which
 * makes a namespace for children only; write its offsets; then enter it
 * ourselves through /proc/self/ns/time_for_children (allowed while the
 * process is single-threaded). The user namespace is already ours, so it
 * owns the new one, and CLOCK_MONOTONIC/BOOTTIME shift for the init and
 * everything it starts. */
int ns_create_time(const struct spec_linux *l, struct berr *e)
{
        _cleanup_close_ int fd = -EBADF;
        char offsets[128] = "";
        int n, r;

        if (!l->ns[SPEC_NS_TIME].present || l->ns[SPEC_NS_TIME].path)
                return 0;
        if (unshare(CLONE_NEWTIME) < 0)
                return berr_sys(e, -errno, "create time namespace");
        n = ns_time_offset(offsets, sizeof(offsets), "monotonic", &l->time_offsets_monotonic);
        ns_time_offset(offsets + n, sizeof(offsets) - (size_t)n, "boottime", &l->time_offsets_boottime);
        if (offsets[0]) {
                r = fs_write_string_at(AT_FDCWD, "/proc/self/timens_offsets", offsets);
                if (r < 0)
                        return berr_sys(e, r, "config.json: .linux.timeOffsets: write offsets");
        }
        fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
                return berr_sys(e, -errno, "enter time namespace");
        return 0;
}

/* A user namespace with the given maps, for MOUNT_ATTR_IDMAP: a child is
 * born in a new one, the maps are written from here, and its ns file is
 * opened; the child is then let go. The namespace lives on in the fd. */
int ns_userns_for_maps(const struct spec_id_mapping *uid, size_t n_uid, const struct spec_id_mapping *gid,
                       size_t n_gid, int *ret_fd, struct berr *e)
{
        struct clone_args args = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
        int hold[2], r = 0, fd = -EBADF;
        char path[64];
        long pid;

        if (pipe2(hold, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "user namespace for an idmapped mount");
        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid == 0) {
                char c;

                /* Until the parent closes its end: EOF, or its death. */
                close(hold[1]);
                (void)!read(hold[0], &c, 1);
                _exit(0);
        }
        close(hold[0]);
        if (pid < 0)
                r = berr_sys(e, -errno, "user namespace for an idmapped mount");
        if (r == 0)
                r = ns_write_map((pid_t)pid, "uid_map", uid, n_uid, e);
        if (r == 0)
                r = ns_write_map((pid_t)pid, "gid_map", gid, n_gid, e);
        if (r == 0) {
                snprintf(path, sizeof(path), "/proc/%ld/ns/user", pid);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        r = berr_sys(e, -errno, "open %s", path);
        }
        close(hold[1]);
        if (pid > 0)
                waitpid((pid_t)pid, NULL, 0);
        if (r < 0)
                return r;
        *ret_fd = fd;
        return 0;
}
