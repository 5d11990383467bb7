/* resolve: open paths inside a container's rootfs without ever leaving it.
 *
 * Every lookup is openat2(rootfd, path, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS):
 * ".." and absolute symlinks are clamped to the rootfs, so a hostile image
 * (a symlink /etc -> /host/etc, ../../..) cannot redirect a mount or a write to
 * the host. Missing components are created through the fd of their already
 * resolved parent, never through a re-resolved string. */
#pragma once

#include "util/berr.h"

enum resolve_last { RESOLVE_LAST_DIR, RESOLVE_LAST_FILE };

/* openat2 under rootfd; returns an fd or -errno. */
int resolve_open(int rootfd, const char *path, int flags);

/* O_PATH fd of path under rootfd, creating missing directories (0755) and,
 * when absent, the last component as a directory or an empty file (0644). */
int resolve_mkdir_open(int rootfd, const char *path, enum resolve_last last, int *ret_fd,
                       struct berr *e);

/* O_PATH fd of the parent directory of path (created as needed) and the last
 * component's name (pointing into a copy owned by *ret_name_buf). */
int resolve_parent(int rootfd, const char *path, int *ret_fd, char **ret_name_buf, const char **ret_name,
                   struct berr *e);
