/* rootfs: the ordered filesystem set-up of a container (see rootfs.h):
 *   host mounts become slaves (nothing propagates back to the host)
 *   -> rootfs bound onto itself (pivot_root needs a mount point)
 *   -> config mounts in order -> /dev nodes   (rootfs_prepare)
 *   -> pivot_root (or MS_MOVE + chroot) -> rootfsPropagation   (rootfs_enter)
 * and, in rootfs_finalize (after the init wrote its sysctls):
 *   maskedPaths, readonlyPaths -> root.readonly. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount/devices.h"
#include "mount/mount.h"
#include "mount/resolve.h"
#include "mount/rootfs.h"
#include "util/cleanup.h"

static int rootfs_set_propagation(int dirfd, const char *path, bool recursive, unsigned long prop)
{
        struct mount_attr attr = { .propagation = prop };
        unsigned flags = (recursive ? AT_RECURSIVE : 0) | (path[0] ? 0 : AT_EMPTY_PATH);

        return mount_setattr(dirfd, path, flags, &attr, sizeof(attr)) < 0 ? -errno : 0;
}

/* Bind the rootfs onto itself; the returned fd is the new mount's root. */
static int rootfs_bind_self(const char *rootfs, int *ret_fd, struct berr *e)
{
        _cleanup_close_ int fd = open_tree(AT_FDCWD, rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
        int r;

        if (fd < 0)
                return berr_sys(e, -errno, "rootfs %s", rootfs);
        if (move_mount(fd, "", AT_FDCWD, rootfs, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return berr_sys(e, -errno, "bind rootfs %s", rootfs);
        /* pivot_root refuses a new root whose mount is shared. */
        r = rootfs_set_propagation(fd, "", false, MS_PRIVATE);
        if (r < 0)
                return berr_sys(e, r, "make rootfs private");
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* A fresh /dev (a filesystem mounted there, not a bind of the host's)
 * needs the default nodes. */
static bool rootfs_has_dev_mount(const struct spec *s)
{
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct spec_mount *m = &s->mounts[i];
                bool bind = m->type && strcmp(m->type, "bind") == 0;

                for (char *const *o = m->options; o && *o; o++)
                        bind |= strcmp(*o, "bind") == 0 || strcmp(*o, "rbind") == 0;
                if (strcmp(m->destination, "/dev") == 0 && !bind)
                        return true;
        }
        return false;
}

/* pivot_root(".", ".") stacks the old root on top of the new one; detaching
 * it leaves only the container's tree. No directory in the image is needed. */
static int rootfs_pivot(int rootfd, struct berr *e)
{
        if (fchdir(rootfd) < 0)
                return berr_sys(e, -errno, "chdir to rootfs");
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return berr_sys(e, -errno, "pivot_root");
        if (umount2(".", MNT_DETACH) < 0)
                return berr_sys(e, -errno, "detach old root");
        if (chdir("/") < 0)
                return berr_sys(e, -errno, "chdir /");
        return 0;
}

/* What masked paths get bound over them, made once and cloned per path. */
struct rootfs_masks {
        int null;               /* the container's /dev/null, checked */
        int empty;              /* an empty read-only tmpfs, once mounted */
};

/* A masked file gets /dev/null bound over it; only the container's own
 * /dev/null, and only after checking it is the real 1:3 character device
 * and not something the image swapped in (CVE-2025-31133). */
static int rootfs_mask_file(int rootfd, struct rootfs_masks *m, int fd, const char *path, struct berr *e)
{
        _cleanup_close_ int mfd = -EBADF;
        struct stat st;

        if (m->null < 0) {
                m->null = resolve_open(rootfd, "/dev/null", O_PATH | O_NOFOLLOW);
                if (m->null < 0)
                        return berr_sys(e, m->null, "mask %s: open /dev/null", path);
                if (fstat(m->null, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                        return berr_set(e, -EPERM, "mask %s: /dev/null is not the null device", path);
        }
        mfd = open_tree(m->null, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (mfd < 0)
                return berr_sys(e, -errno, "mask %s", path);
        if (move_mount(mfd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return berr_sys(e, -errno, "mask %s", path);
        return 0;
}

/* A masked directory gets an empty read-only tmpfs. The first is made;
 * the others are clones of it (a detached mount cannot be cloned, a mounted
 * one can), read-only like it: one superblock for all of them. */
static int rootfs_mask_dir(struct rootfs_masks *m, int fd, const char *path, struct berr *e)
{
        _cleanup_close_ int fsfd = -EBADF, mfd = -EBADF;

        if (m->empty >= 0) {
                mfd = open_tree(m->empty, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
                if (mfd < 0)
                        return berr_sys(e, -errno, "mask %s", path);
        } else {
                fsfd = fsopen("tmpfs", FSOPEN_CLOEXEC);
                if (fsfd < 0 || fsconfig(fsfd, FSCONFIG_SET_STRING, "size", "0", 0) < 0 ||
                    fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                        return berr_sys(e, -errno, "mask %s: tmpfs", path);
                mfd = fsmount(fsfd, FSMOUNT_CLOEXEC,
                              MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
                if (mfd < 0)
                        return berr_sys(e, -errno, "mask %s: fsmount", path);
        }
        if (move_mount(mfd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return berr_sys(e, -errno, "mask %s", path);
        if (m->empty < 0)
                m->empty = TAKE_FD(mfd);
        return 0;
}

static int rootfs_mask(int rootfd, char *const *paths, size_t n, struct berr *e)
{
        struct rootfs_masks m = { .null = -EBADF, .empty = -EBADF };
        int r = 0;

        for (size_t i = 0; i < n && r == 0; i++) {
                _cleanup_close_ int fd = resolve_open(rootfd, paths[i], O_PATH);
                struct stat st;

                if (fd == -ENOENT)
                        continue;               /* nothing to hide */
                if (fd < 0 || fstat(fd, &st) < 0)
                        r = berr_sys(e, fd < 0 ? fd : -errno, "mask %s", paths[i]);
                else if (S_ISDIR(st.st_mode))
                        r = rootfs_mask_dir(&m, fd, paths[i], e);
                else
                        r = rootfs_mask_file(rootfd, &m, fd, paths[i], e);
        }
        safe_close(m.null);
        safe_close(m.empty);
        return r;
}

static int rootfs_readonly_paths(int rootfd, char *const *paths, size_t n, struct berr *e)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_close_ int fd = resolve_open(rootfd, paths[i], O_PATH);
                _cleanup_close_ int mfd = -EBADF;
                int r;

                if (fd == -ENOENT)
                        continue;
                if (fd < 0)
                        return berr_sys(e, fd, "read-only %s", paths[i]);
                mfd = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
                if (mfd < 0)
                        return berr_sys(e, -errno, "read-only %s", paths[i]);
                r = mount_setattr_fd(mfd, true, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                                 MOUNT_ATTR_NOEXEC, 0);
                if (r < 0)
                        return berr_sys(e, r, "read-only %s", paths[i]);
                if (move_mount(mfd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                        return berr_sys(e, -errno, "read-only %s", paths[i]);
        }
        return 0;
}

static unsigned long rootfs_propagation_flag(enum spec_propagation p)
{
        switch (p) {
        case SPEC_PROP_PRIVATE: return MS_PRIVATE;
        case SPEC_PROP_SHARED: return MS_SHARED;
        case SPEC_PROP_SLAVE: return MS_SLAVE;
        case SPEC_PROP_UNBINDABLE: return MS_UNBINDABLE;
        case SPEC_PROP_UNSET: break;
        }
        return 0;
}

int rootfs_finalize(const struct spec *s, struct berr *e)
{
        const struct spec_linux *l = &s->linux;
        _cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int r;

        if (rootfd < 0)
                return berr_sys(e, -errno, "open /");
        r = rootfs_mask(rootfd, l->masked_paths, l->n_masked_paths, e);
        if (r < 0)
                return r;
        r = rootfs_readonly_paths(rootfd, l->readonly_paths, l->n_readonly_paths, e);
        if (r < 0)
                return r;
        if (s->root.readonly) {
                r = mount_setattr_fd(rootfd, false, MOUNT_ATTR_RDONLY, 0);
                if (r < 0)
                        return berr_sys(e, r, "make root read-only");
        }
        return 0;
}

int rootfs_prepare(const struct spec *s, const char *rootfs, int bundle_fd, const int *mount_fds,
                   const char *cgroup_tree, bool in_userns, int *ret_rootfd, struct berr *e)
{
        _cleanup_close_ int rootfd = -EBADF;
        int r;

        /* Slaves receive the host's mount events but never send any back. */
        r = rootfs_set_propagation(AT_FDCWD, "/", true, MS_SLAVE);
        if (r < 0)
                return berr_sys(e, r, "make / a slave mount");
        r = rootfs_bind_self(rootfs, &rootfd, e);
        if (r < 0)
                return r;
        for (size_t i = 0; i < s->n_mounts; i++) {
                r = mount_one(rootfd, bundle_fd, &s->mounts[i], mount_fds ? mount_fds[i] : -EBADF,
                              s->linux.mount_label, cgroup_tree, e);
                if (r < 0)
                        return r;
        }
        if (rootfs_has_dev_mount(s)) {
                r = devices_create_default(rootfd, in_userns, e);
                if (r < 0)
                        return r;
        }
        r = devices_create_config(rootfd, &s->linux, in_userns, e);
        if (r < 0)
                return r;
        *ret_rootfd = TAKE_FD(rootfd);
        return 0;
}

/* --no-pivot: move the rootfs mount over "/" and chroot into it. There is
 * no old root to detach, so the host's mounts stay in the container's mount
 * namespace, under the rootfs: a process that may unmount "/" (CAP_SYS_ADMIN
 * without a user namespace) can uncover them. That is why pivot_root is the
 * default; this is for a host whose root is ramfs, which cannot be pivoted. */
static int rootfs_move_root(int rootfd, struct berr *e)
{
        if (fchdir(rootfd) < 0)
                return berr_sys(e, -errno, "chdir to rootfs");
        if (move_mount(rootfd, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return berr_sys(e, -errno, "move rootfs to /");
        if (chroot(".") < 0)
                return berr_sys(e, -errno, "chroot");
        if (chdir("/") < 0)
                return berr_sys(e, -errno, "chdir /");
        return 0;
}

int rootfs_enter(const struct spec *s, int rootfd, bool no_pivot, struct berr *e)
{
        int r = no_pivot ? rootfs_move_root(rootfd, e) : rootfs_pivot(rootfd, e);

        if (r < 0)
                return r;
        if (s->linux.rootfs_propagation != SPEC_PROP_UNSET) {
                r = rootfs_set_propagation(AT_FDCWD, "/", s->linux.rootfs_propagation_recursive,
                                           rootfs_propagation_flag(s->linux.rootfs_propagation));
                if (r < 0)
                        return berr_sys(e, r, "rootfsPropagation");
        }
        return 0;
}
