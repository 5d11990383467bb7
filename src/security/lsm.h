/* security/lsm: AppArmor and SELinux labels for the workload and its mounts. */
#pragma once

#include <stdbool.h>

#include "util/berr.h"

struct spec;
struct spec_process;

enum lsm { LSM_APPARMOR, LSM_SELINUX };

/* Is this LSM enabled on the host? sysfs_fd is a directory fd of /sys (or
 * a test's stand-in), so unit tests can fake a host. */
bool lsm_enabled_at(int sysfs_fd, enum lsm which);
bool lsm_enabled(enum lsm which);

/* Before clone: every label the config asks for needs its LSM, or a clear
 * error naming the config path. */
int lsm_check(const struct spec *s, struct berr *e);
/* The same for one process (exec); where names it ("config.json: .process"). */
int lsm_check_process(const struct spec_process *p, const char *where, struct berr *e);

/* Right before execve (after pivot_root: the container's /proc, and only
 * files on procfs are written): the labels the process gets at exec. */
int lsm_apply_exec_labels(const struct spec_process *p, struct berr *e);
