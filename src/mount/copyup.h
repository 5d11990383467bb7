/* mount/copyup: runc's "tmpcopyup" mount option: a tmpfs mounted over a
 * directory of the image starts with a copy of what that directory held
 * (files, directories, symlinks and device nodes, with their owners, modes
 * and times), so that --read-only containers keep /run or /tmp's contents
 * (Podman's --read-only and --tmpfs ask for it). */
#pragma once

#include "util/berr.h"

/* Copy the contents of the directory src_fd (an O_PATH fd is enough) into
 * the root of the detached tmpfs mnt_fd, not yet attached, and give that
 * root src_fd's mode. */
int mount_copyup(int src_fd, int mnt_fd, struct berr *e);
