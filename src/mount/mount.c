/* mount: one OCI mount, fd-targeted, with the new mount API (see mount.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "mount/copyup.h"
#include "mount/mount.h"
#include "mount/options.h"
#include "mount/resolve.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* fsmount() takes only these attributes; the rest are set afterwards. */
#define FSMOUNT_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | \
                       MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW)

int mount_setattr_fd(int fd, bool recursive, unsigned long long set, unsigned long long clr)
{
        struct mount_attr attr = { .attr_set = set, .attr_clr = clr };

        if (set == 0 && clr == 0)
                return 0;
        if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
                return -errno;
        return 0;
}

static int mount_set_propagation(int fd, bool recursive, unsigned long prop)
{
        struct mount_attr attr = { .propagation = prop };

        if (prop == 0)
                return 0;
        if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
                return -errno;
        return 0;
}

/* The kernel explains fsconfig failures in the fs context's message log. */
static void mount_fs_log(int fsfd, char *buf, size_t size)
{
        ssize_t n = read(fsfd, buf, size - 1);

        buf[0] = '\0';
        if (n > 2 && buf[1] == ' ') {
                buf[n] = '\0';
                memmove(buf, buf + 2, (size_t)n - 1);
                buf[strcspn(buf, "\n")] = '\0';
        } else {
                buf[0] = '\0';
        }
}

static int mount_fs_error(int fsfd, int r, const struct spec_mount *m, const char *what, struct berr *e)
{
        char log[256];

        mount_fs_log(fsfd, log, sizeof(log));
        if (log[0])
                return berr_set(e, r, "mount %s (%s): %s: %s", m->destination, m->type, what, log);
        return berr_sys(e, r, "mount %s (%s): %s", m->destination, m->type, what);
}

/* A new filesystem instance, as a detached mount fd. */
static int mount_new_fs(const struct spec_mount *m, const struct mount_opts *o, int *ret_fd, struct berr *e)
{
        const char *type = strcmp(m->type, "cgroup") == 0 ? "cgroup2" : m->type;
        _cleanup_close_ int fsfd = fsopen(type, FSOPEN_CLOEXEC);
        int mfd;

        if (fsfd < 0)
                return berr_sys(e, -errno, "mount %s: filesystem type \"%s\"", m->destination, m->type);
        if (m->source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", m->source, 0) < 0)
                return mount_fs_error(fsfd, -errno, m, "source", e);
        for (unsigned i = 0; i < o->n_data; i++) {
                const char *k = o->data_keys[i], *v = o->data_values[i];
                int r = v ? fsconfig(fsfd, FSCONFIG_SET_STRING, k, v, 0)
                          : fsconfig(fsfd, FSCONFIG_SET_FLAG, k, NULL, 0);

                if (r < 0)
                        return mount_fs_error(fsfd, -errno, m, k, e);
        }
        /* linux.mountLabel labels the filesystems made for the container (runc: tmpfs, mqueue, devpts). */
        if (o->selinux_context && (strcmp(type, "tmpfs") == 0 || strcmp(type, "mqueue") == 0 ||
                                   strcmp(type, "devpts") == 0) &&
            fsconfig(fsfd, FSCONFIG_SET_STRING, "context", o->selinux_context, 0) < 0)
                return mount_fs_error(fsfd, -errno, m, "context (linux.mountLabel)", e);
        if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return mount_fs_error(fsfd, -errno, m, "create", e);
        /* A read-only tmpfs to fill is made read-only once filled (mount_fill). */
        mfd = fsmount(fsfd, FSMOUNT_CLOEXEC,
                      (unsigned)(o->attr_set & FSMOUNT_ATTRS & ~(o->tmpcopyup ? MOUNT_ATTR_RDONLY : 0)));
        if (mfd < 0)
                return mount_fs_error(fsfd, -errno, m, "fsmount", e);
        *ret_fd = mfd;
        return 0;
}

/* A clone of a host path (bind or rbind), as a detached mount fd. */
static int mount_clone_source(const struct spec_mount *m, const char *source, bool recursive, int bundle_fd,
                              bool *ret_is_dir, int *ret_fd, struct berr *e)
{
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
        struct stat st;
        int mfd;

        if (!source)
                return berr_set(e, -EINVAL, "mount %s: a bind mount needs a source", m->destination);
        mfd = open_tree(bundle_fd, source, flags);
        if (mfd < 0)
                return berr_sys(e, -errno, "mount %s: bind source %s", m->destination, source);
        if (fstat(mfd, &st) < 0) {
                int r = -errno;

                close(mfd);
                return berr_sys(e, r, "mount %s: stat %s", m->destination, source);
        }
        *ret_is_dir = S_ISDIR(st.st_mode);
        *ret_fd = mfd;
        return 0;
}

static bool mount_is_cgroup(const struct spec_mount *m)
{
        return m->type && (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0);
}

/* The host path shown instead of a filesystem that may not be mounted. */
static const char *mount_host_fallback(const struct spec_mount *m)
{
        if (mount_is_cgroup(m))
                return "/sys/fs/cgroup";
        if (strcmp(m->type, "sysfs") == 0)
                return "/sys";
        return NULL;
}

static bool mount_is_bind(const struct spec_mount *m, const struct mount_opts *o)
{
        return o->bind || (m->type && strcmp(m->type, "bind") == 0);
}

/* /proc is where the runtime reads and writes what protects the container
 * (maskedPaths, readonlyPaths, sysctls, LSM labels): only procfs may be
 * mounted at /proc, and inside it only the files lxcfs emulates, as runc
 * allows. Anything else would let a config or an image redirect those
 * writes (CVE-2019-16884, CVE-2019-19921, CVE-2025-52881). dest is the
 * resolved target: a symlink in the image that leads into /proc counts. */
static int mount_check_proc(const struct spec_mount *m, bool bind, int mfd, int dest, struct berr *e)
{
        static const char *const lxcfs[] = {
                "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps",
                "/proc/uptime", "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev",
                "/proc/sys/kernel/ns_last_pid",
        };
        char clean[PATH_MAX];
        struct statfs sfs;

        if (fs_path_clean(m->destination, clean, sizeof(clean)) < 0)
                return berr_set(e, -ENAMETOOLONG, "mount %s: destination too long", m->destination);
        if (strcmp(clean, "/proc") == 0) {
                if (fstatfs(mfd, &sfs) < 0)
                        return berr_sys(e, -errno, "mount %s", m->destination);
                if (sfs.f_type != PROC_SUPER_MAGIC)
                        return berr_set(e, -EPERM, "mount %s: only a proc filesystem may be mounted at /proc",
                                        m->destination);
                return 0;
        }
        if (fstatfs(dest, &sfs) < 0)
                return berr_sys(e, -errno, "mount %s", m->destination);
        if (sfs.f_type != PROC_SUPER_MAGIC && strncmp(clean, "/proc/", 6) != 0)
                return 0;
        for (size_t i = 0; bind && i < ELEMENTSOF(lxcfs); i++)
                if (strcmp(clean, lxcfs[i]) == 0)
                        return 0;
        return berr_set(e, -EPERM, "mount %s: inside /proc only bind mounts of the files lxcfs emulates are allowed",
                        m->destination);
}

/* "tmpcopyup": the new tmpfs takes a copy of what dest holds in the image. */
static int mount_fill(const struct spec_mount *m, const struct mount_opts *o, int mfd, int dest, struct berr *e)
{
        int r;

        if (!o->tmpcopyup)
                return 0;
        r = mount_copyup(dest, mfd, e);
        if (r < 0)
                return berr_wrap(e, "mount %s: tmpcopyup", m->destination);
        r = mount_setattr_fd(mfd, false, o->attr_set & MOUNT_ATTR_RDONLY, 0);
        return r < 0 ? berr_sys(e, r, "mount %s: read-only", m->destination) : 0;
}

static int mount_attach(int rootfd, int bundle_fd, const struct spec_mount *m, const struct mount_opts *o,
                        int prepared_fd, const char *cgroup_tree, struct berr *e)
{
        bool bind = mount_is_bind(m, o);
        _cleanup_close_ int mfd = -EBADF, dest = -EBADF;
        bool is_dir = true;
        struct stat st;
        int r;

        if (prepared_fd >= 0) {
                /* An idmapped bind, cloned and mapped by the parent. */
                if (fstat(prepared_fd, &st) < 0)
                        return berr_sys(e, -errno, "mount %s", m->destination);
                is_dir = S_ISDIR(st.st_mode);
                mfd = fcntl(prepared_fd, F_DUPFD_CLOEXEC, 3);
                r = mfd < 0 ? berr_sys(e, -errno, "mount %s", m->destination) : 0;
        } else if (o->idmap || o->ridmap)
                return berr_set(e, -EINVAL, "mount %s: idmapped mount not prepared", m->destination);
        else if (bind)
                r = mount_clone_source(m, m->source, o->recursive, bundle_fd, &is_dir, &mfd, e);
        else if (cgroup_tree && mount_is_cgroup(m)) {
                bind = true;
                r = mount_clone_source(m, cgroup_tree, false, AT_FDCWD, &is_dir, &mfd, e);
        }
        else if (!m->type)
                return berr_set(e, -EINVAL, "mount %s: no type and not a bind mount", m->destination);
        else if (o->tmpcopyup && strcmp(m->type, "tmpfs") != 0)
                return berr_set(e, -EINVAL, "mount %s: tmpcopyup applies to tmpfs only, not %s", m->destination,
                                m->type);
        else
                r = mount_new_fs(m, o, &mfd, e);
        if (r == -EPERM && !bind && mount_host_fallback(m)) {
                /* A user namespace may mount cgroup2 only with a cgroup
                 * namespace of its own, and sysfs only with a network
                 * namespace of its own: show the host's tree instead, as
                 * runc does (read-only when asked, like any bind). */
                bind = true;
                r = mount_clone_source(m, mount_host_fallback(m), true, bundle_fd, &is_dir, &mfd, e);
                /* Every hierarchy below it must be read-only too. */
                if (r == 0 && o->readonly) {
                        r = mount_setattr_fd(mfd, true, MOUNT_ATTR_RDONLY, 0);
                        if (r < 0)
                                berr_sys(e, r, "mount %s: read-only", m->destination);
                }
        }
        if (r < 0)
                return r;
        if (bind) {
                r = mount_setattr_fd(mfd, false, o->attr_set, o->attr_clr);
                if (r < 0)
                        return berr_sys(e, r, "mount %s: set attributes", m->destination);
        }
        r = mount_setattr_fd(mfd, true, o->rec_attr_set, o->rec_attr_clr);
        if (r < 0)
                return berr_sys(e, r, "mount %s: set recursive attributes", m->destination);
        r = resolve_mkdir_open(rootfd, m->destination, is_dir ? RESOLVE_LAST_DIR : RESOLVE_LAST_FILE, &dest, e);
        if (r < 0)
                return berr_wrap(e, "mount %s", m->destination);
        r = mount_check_proc(m, bind, mfd, dest, e);
        if (r == 0 && !bind)
                r = mount_fill(m, o, mfd, dest, e);
        if (r < 0)
                return r;
        if (move_mount(mfd, "", dest, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return berr_sys(e, -errno, "mount %s: attach", m->destination);
        r = mount_set_propagation(mfd, o->propagation_recursive, o->propagation);
        if (r < 0)
                return berr_sys(e, r, "mount %s: set propagation", m->destination);
        return 0;
}

int mount_one(int rootfd, int bundle_fd, const struct spec_mount *m, int prepared_fd, const char *mount_label,
              const char *cgroup_tree, struct berr *e)
{
        struct mount_opts o = {};
        int r;

        r = mount_opts_parse(m->options, &o, e);
        if (r < 0)
                return berr_wrap(e, "mount %s", m->destination);
        o.selinux_context = mount_label;
        r = mount_attach(rootfd, bundle_fd, m, &o, prepared_fd, cgroup_tree, e);
        mount_opts_free(&o);
        return r;
}

int mount_wants_idmap(const struct spec_mount *m, struct berr *e)
{
        struct mount_opts o = {};
        int r;

        r = mount_opts_parse(m->options, &o, e);
        if (r < 0)
                return berr_wrap(e, "mount %s", m->destination);
        r = o.idmap || o.ridmap;
        if (r && !mount_is_bind(m, &o))
                r = berr_set(e, -EOPNOTSUPP, "mount %s: idmap is supported on bind mounts only", m->destination);
        mount_opts_free(&o);
        return r;
}

int mount_prepare_idmapped(int bundle_fd, const struct spec_mount *m, int userns_fd, int *ret_fd, struct berr *e)
{
        struct mount_opts o = {};
        _cleanup_close_ int mfd = -EBADF;
        struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd };
        bool is_dir;
        int r;

        r = mount_opts_parse(m->options, &o, e);
        if (r == 0)
                r = mount_clone_source(m, m->source, o.recursive, bundle_fd, &is_dir, &mfd, e);
        /* "ridmap" maps every mount of an rbind; "idmap" only its top. */
        if (r == 0 && mount_setattr(mfd, "", AT_EMPTY_PATH | (o.ridmap ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
                r = berr_sys(e, -errno, "mount %s: idmap %s", m->destination, m->source);
        mount_opts_free(&o);
        if (r < 0)
                return r;
        *ret_fd = TAKE_FD(mfd);
        return 0;
}

int mount_bind_fd(const char *source, int dest_fd, bool ro, struct berr *e)
{
        _cleanup_close_ int mfd = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        int r;

        if (mfd < 0)
                return berr_sys(e, -errno, "bind %s", source);
        r = mount_setattr_fd(mfd, false, ro ? MOUNT_ATTR_RDONLY : 0, 0);
        if (r < 0)
                return berr_sys(e, r, "bind %s: read-only", source);
        if (move_mount(mfd, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return berr_sys(e, -errno, "bind %s: attach", source);
        return 0;
}
