/* rootfs: build the container's filesystem view in its new mount namespace
 * and pivot into it. Runs in the container init before it reports
 * "created". */
#pragma once

#include <stdbool.h>

#include "spec/spec.h"
#include "util/berr.h"

/* Mount everything under the rootfs (still reached from the host's tree):
 * rootfs: absolute host path of root.path; bundle_fd: relative bind sources;
 * mount_fds: NULL, or per config mount a prepared detached mount or -EBADF;
 * cgroup_tree: see mount_one().
 * *ret_rootfd is the rootfs mount, for rootfs_enter(). createContainer hooks
 * run between the two. */
int rootfs_prepare(const struct spec *s, const char *rootfs, int bundle_fd, const int *mount_fds,
                   const char *cgroup_tree, bool in_userns, int *ret_rootfd, struct berr *e);

/* Make the rootfs the process's root: pivot_root and detach the old root,
 * or with no_pivot move it over "/" and chroot (see rootfs.c); then apply
 * rootfsPropagation. */
int rootfs_enter(const struct spec *s, int rootfd, bool no_pivot, struct berr *e);

/* After pivot_root and what still needs a writable /proc/sys: maskedPaths,
 * readonlyPaths, then root.readonly. */
int rootfs_finalize(const struct spec *s, struct berr *e);
