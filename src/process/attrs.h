/* attrs: attributes of the workload's process that survive execve and are
 * not about identity: scheduling policy (process.scheduler), I/O priority
 * (process.ioPriority), CPU affinity (process.execCPUAffinity) and the
 * execution domain (linux.personality). */
#pragma once

#include "spec/spec.h"
#include "util/berr.h"

/* sched_setattr() of the calling process. RT and deadline policies need
 * CAP_SYS_NICE: call before capabilities are dropped. */
int attrs_apply_scheduler(const struct spec_scheduler *s, struct berr *e);

/* ioprio_set() of the calling process; the RT class needs CAP_SYS_ADMIN. */
int attrs_apply_io_priority(const struct spec_io_priority *p, struct berr *e);

/* Pin the calling process to the CPUs of `list` ("0-3,7"), or to every CPU
 * the kernel allows it when list is NULL. `what` names the field. */
int attrs_set_affinity(const char *list, const char *what, struct berr *e);

/* personality() of the calling process, when the config sets one. */
int attrs_apply_personality(const struct spec_linux *l, struct berr *e);
