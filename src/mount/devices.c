/* devices: populate /dev with nodes (mknod, or host binds in a user
 * namespace) and the conventional symlinks (see devices.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* d's node as `name` in parent, a trusted fd of its directory. The mode is
 * exact: the init runs set-up with umask 0. AT_SYMLINK_NOFOLLOW: if the
 * image had put a symlink there, the link is chowned, never its target. */
static int device_mknod(int parent, const char *name, const struct device_node *d, bool owned, struct berr *e)
{
        if (mknodat(parent, name, device_type_bits(d->type) | (d->mode & 07777), makedev(d->major, d->minor)) == 0) {
                if (owned)
                        return 0;       /* made with d's owner already */
        } else if (errno != EEXIST) {
                return berr_sys(e, -errno, "mknod %s", d->path);
        }
        if (fchownat(parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(e, -errno, "chown %s", d->path);
        return 0;
}

/* Whether a node made in dirfd now belongs to uid:gid without a chown: we
 * are uid and gid, and the directory does not hand its group down. */
static bool device_made_owned(int dirfd, uid_t uid, gid_t gid)
{
        struct stat st;

        return geteuid() == uid && getegid() == gid && fstat(dirfd, &st) == 0 && !(st.st_mode & S_ISGID);
}

static int device_create(int rootfd, const struct device_node *d, bool in_userns, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int parent = -EBADF, dest = -EBADF;
        const char *name;
        int r;

        if (in_userns && d->type != 'p') {
                /* mknod needs CAP_MKNOD in the initial user namespace. */
                r = resolve_mkdir_open(rootfd, d->path, RESOLVE_LAST_FILE, &dest, e);
                return r < 0 ? r : mount_bind_fd(d->path, dest, false, e);
        }
        r = resolve_parent(rootfd, d->path, &parent, &buf, &name, e);
        return r < 0 ? r : device_mknod(parent, name, d, false, e);
}

int devices_create_default(int rootfd, bool in_userns, struct berr *e)
{
        _cleanup_close_ int devfd = -EBADF;
        bool owned;
        int r;

        /* /dev is resolved once for all the nodes and links. */
        r = resolve_mkdir_open(rootfd, "/dev", RESOLVE_LAST_DIR, &devfd, e);
        if (r < 0)
                return r;
        /* The default nodes are all root's. */
        owned = !in_userns && device_made_owned(devfd, 0, 0);
        for (size_t i = 0; i < ELEMENTSOF(default_devices); i++) {
                const struct device_node *d = &default_devices[i];

                r = in_userns ? device_create(rootfd, d, true, e)
                              : device_mknod(devfd, d->path + strlen("/dev/"), d, owned, e);
                if (r < 0)
                        return r;
        }
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
