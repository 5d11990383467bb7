/* mount: attach one OCI mount at its destination inside the rootfs, using
 * the fd-based mount API (fsopen/fsmount or open_tree, mount_setattr,
 * move_mount onto an O_PATH fd of the resolved destination): no mount ever
 * targets a path string that a hostile rootfs could redirect. */
#pragma once

#include <stdbool.h>

#include "spec/spec.h"
#include "util/berr.h"

/* bundle_fd resolves relative bind sources. */
int mount_one(int rootfd, int bundle_fd, const struct spec_mount *m, struct berr *e);

/* Bind-mount host `source` (a path of the host, trusted) over an already
 * resolved destination fd, read-only when ro. */
int mount_bind_fd(const char *source, int dest_fd, bool ro, struct berr *e);

/* Set (and clear) MOUNT_ATTR_* on the mount at fd, recursively when asked. */
int mount_setattr_fd(int fd, bool recursive, unsigned long long set, unsigned long long clr);
