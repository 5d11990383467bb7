/* freeze: pause/resume through cgroup.freeze, the group's pids for `ps`,
 * and limits changed on a live group (`update`). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups/cgroup.h"
#include "cgroups/controllers.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define FREEZE_TIMEOUT_MS 10000

static int cgroup_open_dir(const char *path, struct berr *e)
{
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        return fd < 0 ? berr_sys(e, -errno, "open cgroup %s", path) : fd;
}

/* cgroup.events says "frozen 1" once every task has stopped; tasks stuck in
 * the kernel can take a moment. */
static bool events_frozen(int dfd, bool want)
{
        _cleanup_free_ char *ev = NULL;

        if (fs_read_at(dfd, "cgroup.events", 4096, &ev, NULL) < 0)
                return false;
        return strstr(ev, want ? "frozen 1" : "frozen 0") != NULL;
}

int cgroup_freeze(const char *path, bool freeze, struct berr *e)
{
        _cleanup_close_ int dfd = cgroup_open_dir(path, e);
        int r;

        if (dfd < 0)
                return dfd;
        r = fs_write_string_at(dfd, "cgroup.freeze", freeze ? "1" : "0");
        if (r < 0)
                return berr_sys(e, r, "write %s/cgroup.freeze", path);
        for (int waited = 0; !events_frozen(dfd, freeze); waited += 5) {
                if (waited >= FREEZE_TIMEOUT_MS)
                        return berr_set(e, -ETIMEDOUT, "cgroup %s: not %s after %d s", path,
                                        freeze ? "frozen" : "thawed", FREEZE_TIMEOUT_MS / 1000);
                poll(NULL, 0, 5);
        }
        return 0;
}

bool cgroup_is_frozen(const char *path)
{
        _cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *v = NULL;

        if (dfd < 0 || fs_read_at(dfd, "cgroup.freeze", 64, &v, NULL) < 0)
                return false;
        return v[0] == '1';
}

int cgroup_update(const char *path, const struct spec_resources *r, struct berr *e)
{
        _cleanup_close_ int dfd = cgroup_open_dir(path, e);
        int ret;

        struct spec_resources merged = *r;
        _cleanup_free_ char *cur = NULL;

        if (dfd < 0)
                return dfd;
        /* OCI's swap is memory+swap: without a new limit, the current one. */
        if (r->memory.swap.set && !r->memory.limit.set && fs_read_at(dfd, "memory.max", 64, &cur, NULL) == 0) {
                merged.memory.limit.set = true;
                merged.memory.limit.v = strncmp(cur, "max", 3) == 0 ? -1 : strtoll(cur, NULL, 10);
        }
        /* A container created without limits has no controllers enabled
         * above it: create enables them only when the config asks. */
        if (cgroup_resources_wanted(r))
                cgroup_enable_controllers(path);
        ret = cgroup_resources_apply(dfd, &merged, e);
        return ret < 0 ? berr_wrap(e, "cgroup %s", path) : 0;
}

struct pidv {
        int *v;
        size_t n, cap;
};

static int pidv_add_procs(struct pidv *p, int dfd)
{
        _cleanup_free_ char *procs = NULL;
        int r = fs_read_at(dfd, "cgroup.procs", 16u << 20, &procs, NULL);

        if (r < 0)
                return r;
        for (char *s = procs, *end; *s; s = end) {
                long pid = strtol(s, &end, 10);

                if (end == s)
                        break;
                if (p->n == p->cap) {
                        int *nv = realloc(p->v, (p->cap * 2 + 16) * sizeof(int));

                        if (!nv)
                                return -ENOMEM;
                        p->v = nv;
                        p->cap = p->cap * 2 + 16;
                }
                p->v[p->n++] = (int)pid;
        }
        return 0;
}

/* The group and, depth first, every child group (a container may make
 * its own below its root when it has a cgroup namespace). */
static int pidv_walk(struct pidv *p, int dfd, int depth)
{
        DIR *d;
        struct dirent *de;
        int r = pidv_add_procs(p, dfd);

        if (r < 0 || depth > 32)
                return r;
        d = fdopendir(fcntl(dfd, F_DUPFD_CLOEXEC, 3));
        if (!d)
                return -errno;
        while (r == 0 && (de = readdir(d))) {
                int sub;

                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (sub < 0)
                        continue;
                r = pidv_walk(p, sub, depth + 1);
                close(sub);
        }
        closedir(d);
        return r;
}

int cgroup_pids(const char *path, int **ret, size_t *ret_n, struct berr *e)
{
        _cleanup_close_ int dfd = cgroup_open_dir(path, e);
        struct pidv p = {};
        int r;

        if (dfd < 0)
                return dfd;
        r = pidv_walk(&p, dfd, 0);
        if (r < 0) {
                free(p.v);
                return berr_sys(e, r, "read %s/cgroup.procs", path);
        }
        if (p.n)
                qsort(p.v, p.n, sizeof(int), cmp_int);
        *ret = p.v;
        *ret_n = p.n;
        return 0;
}
