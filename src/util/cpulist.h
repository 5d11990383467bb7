/* cpulist: the kernel's CPU list syntax ("0-3,8,10-11"), as used by
 * execCPUAffinity and cpuset.cpus. Pure: no syscalls. */
#pragma once

#include <sched.h>

/* Parse list into *ret (cleared first). Whitespace around the list is
 * allowed (cgroup files end with a newline); an empty list is an error, as
 * is a CPU number >= CPU_SETSIZE or a range whose end is below its start.
 * Returns 0 or -EINVAL. */
int cpulist_parse(const char *list, cpu_set_t *ret);
