/* mount: attach one OCI mount at its destination inside the rootfs, using
 * the fd-based mount API (fsopen/fsmount or open_tree, mount_setattr,
 * move_mount onto an O_PATH fd of the resolved destination): no mount ever
 * targets a path string that a hostile rootfs could redirect. */
#pragma once

#include <stdbool.h>

#include "spec/spec.h"
#include "util/berr.h"

/* bundle_fd resolves relative bind sources. prepared_fd, when >= 0, is the
 * detached mount to attach (an idmapped bind made by
 * mount_prepare_idmapped()); it stays the caller's. mount_label (NULL:
 * none) is the SELinux context of the tmpfs, mqueue and devpts it creates.
 * cgroup_tree (NULL: none) is a host path that a "cgroup" mount binds
 * instead of mounting cgroup2 anew: the same directories, but without the
 * wait a new cgroup2 mount makes for every group being removed on the host
 * (milliseconds per create on a host whose containers come and go). */
int mount_one(int rootfd, int bundle_fd, const struct spec_mount *m, int prepared_fd, const char *mount_label,
              const char *cgroup_tree, struct berr *e);

/* 1 when m has the "idmap" or "ridmap" option, 0 when not, negative when
 * its options are invalid or it asks for idmap on anything but a bind. */
int mount_wants_idmap(const struct spec_mount *m, struct berr *e);

/* Clone m's bind source and map its ids through the user namespace
 * userns_fd (MOUNT_ATTR_IDMAP). This needs CAP_SYS_ADMIN over the source's
 * filesystem, which the container init in its own user namespace lacks:
 * the runtime does it before clone, and the init attaches the result. */
int mount_prepare_idmapped(int bundle_fd, const struct spec_mount *m, int userns_fd, int *ret_fd, struct berr *e);

/* Bind-mount host `source` (a path of the host, trusted) over an already
 * resolved destination fd, read-only when ro. */
int mount_bind_fd(const char *source, int dest_fd, bool ro, struct berr *e);

/* Set (and clear) MOUNT_ATTR_* on the mount at fd, recursively when asked. */
int mount_setattr_fd(int fd, bool recursive, unsigned long long set, unsigned long long clr);
