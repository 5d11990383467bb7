/* cgroup: placement of a container in the cgroup v2 hierarchy.
 *
 * The v2 mount is found in /proc/self/mountinfo, not assumed at
 * /sys/fs/cgroup: on a hybrid host (v1 controllers plus a cgroup2 tree at
 * /sys/fs/cgroup/unified) the container still gets its own v2 group, which
 * gives berth cgroup.kill, cgroup.procs and cgroup.freeze. Resource limits
 * (one file per controller) build on this. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/berr.h"

/* Where the cgroup v2 hierarchy is mounted (from /proc/self/mountinfo:
 * /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host). */
int cgroup_v2_mount(char **ret, struct berr *e);

/* Where the container's group goes: linux.cgroupsPath (absolute: from the
 * v2 root; relative: below berth's own group) or, when absent, /berth/<id>
 * for root and berth-<id> beside berth's own group for a user (a delegated
 * subtree's place).
 * *ret_path is the absolute filesystem path. Planned apart from the mkdir so
 * that the path can be recorded first: a create killed in between still
 * leaves delete --force the group to remove. */
int cgroup_plan(const char *cgroups_path, const char *id, char **ret_path, struct berr *e);

/* Make the group at path: *ret_fd is an O_DIRECTORY fd for
 * CLONE_INTO_CGROUP. Without permission and not root, returns 0 with
 * *ret_fd -EBADF: a rootless container without delegation runs without a
 * cgroup (a warning says so). */
int cgroup_create(const char *path, int *ret_fd, struct berr *e);

/* Signal every process in the group (SIGKILL through cgroup.kill). */
int cgroup_signal_all(const char *path, int sig, struct berr *e);

/* Kill what is left, wait for the group to empty, and remove it. Missing
 * is not an error. */
int cgroup_destroy(const char *path, struct berr *e);

/* Enable controllers up the path and write linux.resources (absent: none)
 * into the group at dfd. */
struct spec_resources;
int cgroup_setup(const char *path, int dfd, const struct spec_resources *r, struct berr *e);

/* Attach the group's device program, from linux.resources.devices and the
 * default rules (root of the initial user namespace only). Apart from
 * cgroup_setup so that its load, the verifier's half a millisecond, can
 * overlap with the init's own set-up: it only has to be in place before
 * the workload runs. */
int cgroup_setup_devices(int dfd, const struct spec_resources *r, struct berr *e);

/* Apply resources to an existing group (`update`): limits only, the
 * device program stays. */
int cgroup_update(const char *path, const struct spec_resources *r, struct berr *e);

/* Freeze (true) or thaw the group and wait until the kernel reports it
 * done in cgroup.events. */
int cgroup_freeze(const char *path, bool freeze, struct berr *e);
/* Whether cgroup.freeze is set: the container is "paused". */
bool cgroup_is_frozen(const char *path);

/* Every pid in the group and its descendants (cgroup.procs), sorted. */
int cgroup_pids(const char *path, int **ret, size_t *ret_n, struct berr *e);

/* runc's stats object (cpu, memory, pids, blkio, hugetlb) for `events`. */
struct jw;
int cgroup_stats_write(const char *path, struct jw *w, struct berr *e);
/* memory.events oom_kill: how many processes the OOM killer took. */
uint64_t cgroup_oom_kills(const char *path);
