/* devices: populate /dev with nodes (mknod, or host binds in a user
 * namespace) and the conventional symlinks (see devices.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount/devices.h"
#include "mount/mount.h"
#include "mount/resolve.h"
#include "util/cleanup.h"

struct device_node {
        const char *path;
        char type;
        unsigned major, minor;
        mode_t mode;
        uid_t uid;
        gid_t gid;
};

static const struct device_node default_devices[] = {
        { "/dev/null", 'c', 1, 3, 0666, 0, 0 },
        { "/dev/zero", 'c', 1, 5, 0666, 0, 0 },
        { "/dev/full", 'c', 1, 7, 0666, 0, 0 },
        { "/dev/random", 'c', 1, 8, 0666, 0, 0 },
        { "/dev/urandom", 'c', 1, 9, 0666, 0, 0 },
        { "/dev/tty", 'c', 5, 0, 0666, 0, 0 },
};

static const struct { const char *target, *name; } default_links[] = {
        { "/proc/self/fd", "fd" },
        { "/proc/self/fd/0", "stdin" },
        { "/proc/self/fd/1", "stdout" },
        { "/proc/self/fd/2", "stderr" },
        { "pts/ptmx", "ptmx" },
};

static mode_t device_type_bits(char type)
{
        switch (type) {
        case 'b': return S_IFBLK;
        case 'p': return S_IFIFO;
        default: return S_IFCHR;        /* 'c' and 'u' */
        }
}

static int device_create(int rootfd, const struct device_node *d, bool in_userns, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int parent = -EBADF, dest = -EBADF;
        const char *name;
        int r;

        r = resolve_parent(rootfd, d->path, &parent, &buf, &name, e);
        if (r < 0)
                return r;
        if (in_userns && d->type != 'p') {
                /* mknod needs CAP_MKNOD in the initial user namespace. */
                r = resolve_mkdir_open(rootfd, d->path, RESOLVE_LAST_FILE, &dest, e);
                return r < 0 ? r : mount_bind_fd(d->path, dest, false, e);
        }
        if (mknodat(parent, name, device_type_bits(d->type) | (d->mode & 07777), makedev(d->major, d->minor)) < 0 &&
            errno != EEXIST)
                return berr_sys(e, -errno, "mknod %s", d->path);
        dest = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (dest < 0)
                return berr_sys(e, -errno, "open %s", d->path);
        /* The mode is exact: the init runs set-up with umask 0. The chown goes
         * through the O_PATH fd, so it never follows a symlink. */
        if (fchownat(dest, "", d->uid, d->gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(e, -errno, "chown %s", d->path);
        return 0;
}

int devices_create_default(int rootfd, bool in_userns, struct berr *e)
{
        _cleanup_close_ int devfd = -EBADF;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(default_devices); i++) {
                r = device_create(rootfd, &default_devices[i], in_userns, e);
                if (r < 0)
                        return r;
        }
        devfd = resolve_open(rootfd, "/dev", O_PATH | O_DIRECTORY);
        if (devfd < 0)
                return berr_sys(e, devfd, "open /dev");
        for (size_t i = 0; i < ELEMENTSOF(default_links); i++)
                if (symlinkat(default_links[i].target, devfd, default_links[i].name) < 0 && errno != EEXIST)
                        return berr_sys(e, -errno, "symlink /dev/%s", default_links[i].name);
        if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", devfd, "core") < 0 && errno != EEXIST)
                return berr_sys(e, -errno, "symlink /dev/core");
        return 0;
}

int devices_create_config(int rootfd, const struct spec_linux *l, bool in_userns, struct berr *e)
{
        for (size_t i = 0; i < l->n_devices; i++) {
                const struct spec_device *sd = &l->devices[i];
                struct device_node d = {
                        .path = sd->path, .type = sd->type,
                        .major = (unsigned)sd->major, .minor = (unsigned)sd->minor,
                        .mode = sd->file_mode.set ? (mode_t)sd->file_mode.v : 0666,
                        .uid = sd->uid.set ? (uid_t)sd->uid.v : 0,
                        .gid = sd->gid.set ? (gid_t)sd->gid.v : 0,
                };
                int r = device_create(rootfd, &d, in_userns, e);

                if (r < 0)
                        return berr_wrap(e, "config.json: .linux.devices[%zu]", i);
        }
        return 0;
}
