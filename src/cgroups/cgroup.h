/* cgroup: placement of a container in the cgroup v2 hierarchy.
 *
 * The v2 mount is found in /proc/self/mountinfo, not assumed at
 * /sys/fs/cgroup: on a hybrid host (v1 controllers plus a cgroup2 tree at
 * /sys/fs/cgroup/unified) the container still gets its own v2 group, which
 * gives berth cgroup.kill, cgroup.procs and cgroup.freeze. Resource limits
 * (one file per controller) build on this. */
#pragma once

#include <stdbool.h>

#include "util/berr.h"

/* Make the container's group: linux.cgroupsPath (absolute: from the v2
 * root; relative: below berth's own group) or /berth/<id> when absent.
 * *ret_path is the absolute filesystem path, *ret_fd an O_DIRECTORY fd for
 * CLONE_INTO_CGROUP. Without permission and not root, returns 0 with
 * *ret_path NULL: a rootless container without delegation runs without a
 * cgroup (a warning says so). */
int cgroup_create(const char *cgroups_path, const char *id, char **ret_path, int *ret_fd, struct berr *e);

/* Signal every process in the group (SIGKILL through cgroup.kill). */
int cgroup_signal_all(const char *path, int sig, struct berr *e);

/* Kill what is left, wait for the group to empty, and remove it. Missing
 * is not an error. */
int cgroup_destroy(const char *path, struct berr *e);
