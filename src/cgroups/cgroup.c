/* cgroup: find the v2 hierarchy, create, signal and destroy a container's
 * group (see cgroup.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroups/cgroup.h"
#include "cgroups/controllers.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define CGROUP_DESTROY_TIMEOUT_MS 10000

/* Mount point of the cgroup2 filesystem: where systemd and every
 * distribution put it (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a
 * hybrid host), asked with one statfs each; else the first cgroup2 line of
 * mountinfo (field 5), which the kernel writes out for every mount of the
 * namespace (long on a host with many containers). Found once per process:
 * a create asks several times. */
int cgroup_v2_mount(char **ret, struct berr *e)
{
        static const char *const usual[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
        static char found[4096];
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        struct statfs sf;
        size_t n = 0;

        for (size_t i = 0; !found[0] && i < ELEMENTSOF(usual); i++)
                if (statfs(usual[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
                        snprintf(found, sizeof(found), "%s", usual[i]);
        if (found[0])
                goto out;
        f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return berr_sys(e, -errno, "read /proc/self/mountinfo");
        while (!found[0] && getline(&line, &n, f) > 0) {
                char *dash = strstr(line, " - ");

                if (dash && strncmp(dash + 3, "cgroup2 ", 8) == 0 &&
                    sscanf(line, "%*s %*s %*s %*s %4095s", found) != 1)
                        found[0] = '\0';
        }
        if (!found[0])
                return berr_set(e, -ENOENT, "no cgroup2 filesystem is mounted");
out:
        *ret = strdup(found);
        return *ret ? 0 : berr_sys(e, -ENOMEM, "cgroup");
}

/* berth's own group, from the "0::" line of /proc/self/cgroup. */
static int cgroup_self(char **ret, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        int r = fs_read_at(AT_FDCWD, "/proc/self/cgroup", 65536, &buf, NULL);

        if (r < 0)
                return berr_sys(e, r, "read /proc/self/cgroup");
        for (char *line = buf, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (strncmp(line, "0::", 3) == 0) {
                        *ret = strdup(line + 3);
                        return *ret ? 0 : berr_sys(e, -ENOMEM, "cgroup");
                }
        }
        return berr_set(e, -ENOENT, "/proc/self/cgroup: no cgroup v2 entry");
}

static bool cgroup_path_escapes(const char *path)
{
        for (const char *p = path; *p; ) {
                size_t n = strcspn(p, "/");

                if (n == 2 && strncmp(p, "..", 2) == 0)
                        return true;
                p += n;
                p += strspn(p, "/");
        }
        return false;
}

/* A user's container goes beside the group berth runs in: in a delegated
 * subtree (systemd's user@UID.service, whose subtree_control holds the
 * controllers), that is where the user may make groups; anywhere else the
 * mkdir fails and the container runs without one (cgroup_create). */
static int cgroup_beside_self(const char *mnt, const char *id, char **ret, struct berr *e)
{
        _cleanup_free_ char *self = NULL;
        char *slash;
        int r = cgroup_self(&self, e);

        if (r < 0)
                return r;
        slash = strrchr(self, '/');
        if (slash)
                *slash = '\0';         /* "/a/b" -> "/a", "/a" and "/" -> "" */
        if (asprintf(ret, "%s%s/berth-%s", mnt, self, id) < 0)
                return berr_sys(e, -ENOMEM, "cgroup");
        return 0;
}

static int cgroup_full_path(const char *cgroups_path, const char *id, char **ret, struct berr *e)
{
        _cleanup_free_ char *mnt = NULL, *self = NULL;
        int r;

        if (cgroups_path && cgroup_path_escapes(cgroups_path))
                return berr_set(e, -EINVAL, "config.json: .linux.cgroupsPath: \"%s\" escapes the hierarchy with \"..\"",
                                cgroups_path);
        r = cgroup_v2_mount(&mnt, e);
        if (r < 0)
                return r;
        if (!cgroups_path && geteuid() != 0)
                return cgroup_beside_self(mnt, id, ret, e);
        if (!cgroups_path)
                r = asprintf(ret, "%s/berth/%s", mnt, id);
        else if (cgroups_path[0] == '/')
                r = asprintf(ret, "%s%s", mnt, cgroups_path);
        else {
                r = cgroup_self(&self, e);
                if (r < 0)
                        return r;
                r = asprintf(ret, "%s%s/%s", mnt, strcmp(self, "/") == 0 ? "" : self, cgroups_path);
        }
        return r < 0 ? berr_sys(e, -ENOMEM, "cgroup") : 0;
}

/* Enable every controller the parent offers in each ancestor's
 * cgroup.subtree_control, from the v2 root down to the group's parent (as
 * runc does). Failures are not fatal here: a controller that could not be
 * enabled shows up as a clear error when a limit needs its file. */
void cgroup_enable_controllers(const char *path)
{
        _cleanup_free_ char *mnt = NULL, *walk = strdup(path);
        struct berr ignored;
        size_t len;

        if (!walk || cgroup_v2_mount(&mnt, &ignored) < 0)
                return;
        len = strlen(mnt);
        if (strncmp(walk, mnt, len) != 0)
                return;
        for (char *slash = walk + len; slash && *slash == '/'; slash = strchr(slash + 1, '/')) {
                _cleanup_close_ int dfd = -EBADF;
                _cleanup_free_ char *avail = NULL;

                *slash = '\0';
                dfd = open(walk, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                *slash = '/';
                if (dfd < 0 || fs_read_at(dfd, "cgroup.controllers", 4096, &avail, NULL) < 0)
                        return;
                for (char *tok = strtok(avail, " \n"); tok; tok = strtok(NULL, " \n")) {
                        char buf[80];

                        snprintf(buf, sizeof(buf), "+%s", tok);
                        fs_write_string_at(dfd, "cgroup.subtree_control", buf);
                }
        }
}

/* Root of the initial user namespace: the whole id range maps onto itself.
 * Root in a namespace of its own (`unshare -r`) may not load BPF. */
static bool cgroup_initial_userns_root(void)
{
        _cleanup_free_ char *map = NULL;
        unsigned long a, b, n;

        if (geteuid() != 0 || fs_read_at(AT_FDCWD, "/proc/self/uid_map", 4096, &map, NULL) < 0)
                return false;
        return sscanf(map, "%lu %lu %lu", &a, &b, &n) == 3 && a == 0 && b == 0 && n == 4294967295UL;
}

int cgroup_setup(const char *path, int dfd, const struct spec_resources *r, struct berr *e)
{
        static const struct spec_resources none;
        int ret;

        if (!r->present)
                r = &none;
        if (cgroup_resources_wanted(r))
                cgroup_enable_controllers(path);
        ret = cgroup_resources_apply(dfd, r, e);
        return ret < 0 ? berr_wrap(e, "config.json") : 0;
}

int cgroup_setup_devices(int dfd, const struct spec_resources *r, struct berr *e)
{
        static const struct spec_resources none;
        int ret;

        /* A rootless container cannot reach devices beyond its bind mounts,
         * and cannot load the program anyway. */
        if (!cgroup_initial_userns_root())
                return 0;
        if (!r->present)
                r = &none;
        ret = cgroup_devices_apply(dfd, r->devices, r->n_devices, e);
        return ret < 0 ? berr_wrap(e, "config.json") : 0;
}

int cgroup_plan(const char *cgroups_path, const char *id, char **ret_path, struct berr *e)
{
        return cgroup_full_path(cgroups_path, id, ret_path, e);
}

int cgroup_create(const char *path, int *ret_fd, struct berr *e)
{
        int r, fd;

        *ret_fd = -EBADF;
        r = fs_mkdir_p(path, 0755);
        if (r < 0 && geteuid() != 0 && (r == -EACCES || r == -EPERM || r == -EROFS)) {
                log_warn("no writable cgroup at %s: running without a cgroup (no limits, kill --all needs a pid namespace)",
                         path);
                return 0;
        }
        if (r < 0)
                return berr_sys(e, r, "create cgroup %s", path);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, -errno, "open cgroup %s", path);
        *ret_fd = fd;
        return 0;
}

static int cgroup_open(const char *path, int *ret_fd)
{
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

/* cgroup.kill (5.14+) kills the whole subtree atomically, forks included. */
static int cgroup_signal_procs(const char *path, int dfd, int sig)
{
        _cleanup_free_ int *pids = NULL;
        struct berr ignored;
        bool frozen;
        size_t n;
        int r;

        if (sig == SIGKILL && fs_write_string_at(dfd, "cgroup.kill", "1") == 0)
                return 0;
        /* Frozen, nobody can fork past the walk; a paused container stays
         * paused afterwards. */
        frozen = cgroup_is_frozen(path);
        if (!frozen)
                cgroup_freeze(path, true, &ignored);
        r = cgroup_pids(path, &pids, &n, &ignored);
        for (size_t i = 0; r == 0 && i < n; i++) {
                int pfd = pidfd_open((pid_t)pids[i], 0);

                if (pfd >= 0) {
                        pidfd_send_signal(pfd, sig, NULL, 0);
                        close(pfd);
                }
        }
        if (!frozen)
                cgroup_freeze(path, false, &ignored);
        return r;
}

int cgroup_signal_all(const char *path, int sig, struct berr *e)
{
        _cleanup_close_ int dfd = -EBADF;
        int r = cgroup_open(path, &dfd);

        if (r == 0)
                r = cgroup_signal_procs(path, dfd, sig);
        return r < 0 ? berr_sys(e, r, "signal cgroup %s", path) : 0;
}

static bool cgroup_populated(int dfd)
{
        _cleanup_free_ char *ev = NULL;

        if (fs_read_at(dfd, "cgroup.events", 4096, &ev, NULL) < 0)
                return false;
        return strstr(ev, "populated 1") != NULL;
}

int cgroup_destroy(const char *path, struct berr *e)
{
        _cleanup_close_ int dfd = -EBADF;
        int r;

        /* Most often the group is empty by now (its init reaped, nothing
         * exec'd left behind): rmdir refuses a populated one with EBUSY. */
        if (rmdir(path) == 0 || errno == ENOENT)
                return 0;
        if (errno != EBUSY)
                return berr_sys(e, -errno, "remove cgroup %s", path);
        r = cgroup_open(path, &dfd);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return berr_sys(e, r, "open cgroup %s", path);
        cgroup_signal_procs(path, dfd, SIGKILL);
        /* Exiting processes leave the group a moment after SIGKILL. */
        for (int waited = 0; cgroup_populated(dfd); waited += 10) {
                if (waited >= CGROUP_DESTROY_TIMEOUT_MS)
                        return berr_set(e, -EBUSY, "cgroup %s still has processes after SIGKILL", path);
                poll(NULL, 0, 10);
        }
        if (rmdir(path) < 0 && errno != ENOENT)
                return berr_sys(e, -errno, "remove cgroup %s", path);
        return 0;
}
