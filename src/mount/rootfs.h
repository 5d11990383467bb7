/* rootfs: build the container's filesystem view in its new mount namespace
 * and pivot into it. Runs in the container init before it reports
 * "created". */
#pragma once

#include <stdbool.h>

#include "spec/spec.h"
#include "util/berr.h"

/* rootfs: absolute host path of root.path; bundle_fd: relative bind sources. */
int rootfs_setup(const struct spec *s, const char *rootfs, int bundle_fd, bool in_userns, struct berr *e);

/* After pivot_root and what still needs a writable /proc/sys: maskedPaths,
 * readonlyPaths, then root.readonly. */
int rootfs_finalize(const struct spec *s, struct berr *e);
