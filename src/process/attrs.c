/* attrs: scheduler, I/O priority, CPU affinity, personality (see attrs.h). */
#include "config.h"

#include <errno.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "process/attrs.h"
#include "util/cpulist.h"

static const char *attrs_policy_name(enum spec_sched_policy p)
{
        static const char *const names[] = {
                [SPEC_SCHED_OTHER] = "SCHED_OTHER", [SPEC_SCHED_FIFO] = "SCHED_FIFO",
                [SPEC_SCHED_RR] = "SCHED_RR", [SPEC_SCHED_BATCH] = "SCHED_BATCH",
                [SPEC_SCHED_ISO] = "SCHED_ISO", [SPEC_SCHED_IDLE] = "SCHED_IDLE",
                [SPEC_SCHED_DEADLINE] = "SCHED_DEADLINE",
        };
        return names[p];
}

/* The kernel's struct sched_attr, first version (SCHED_ATTR_SIZE_VER0):
 * <linux/sched/types.h> cannot be included beside glibc's <sched.h>. */
struct attrs_sched_attr {
        uint32_t size, sched_policy;
        uint64_t sched_flags;
        int32_t sched_nice;
        uint32_t sched_priority;
        uint64_t sched_runtime, sched_deadline, sched_period;
};

int attrs_apply_scheduler(const struct spec_scheduler *s, struct berr *e)
{
        /* glibc has no wrapper; the kernel validates the combination
         * (priority only for FIFO/RR, runtime <= deadline <= period...). */
        struct attrs_sched_attr attr = {
                .size = sizeof(attr),
                .sched_policy = (unsigned)s->policy,
                .sched_flags = s->flags,
                .sched_nice = s->nice,
                .sched_priority = (unsigned)s->priority,
                .sched_runtime = s->runtime,
                .sched_deadline = s->deadline,
                .sched_period = s->period,
        };

        if (!s->set)
                return 0;
        if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
                return berr_sys(e, -errno, "config.json: .process.scheduler: set policy %s (nice %d, priority %d)",
                                attrs_policy_name(s->policy), (int)s->nice, (int)s->priority);
        return 0;
}

int attrs_apply_io_priority(const struct spec_io_priority *p, struct berr *e)
{
        if (!p->set)
                return 0;
        if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(p->class, p->priority)) < 0)
                return berr_sys(e, -errno, "config.json: .process.ioPriority: set class %d priority %d",
                                (int)p->class, p->priority);
        return 0;
}

int attrs_set_affinity(const char *list, const char *what, struct berr *e)
{
        cpu_set_t set;

        if (!list) {
                /* Every CPU: the kernel narrows it to the cpuset's. */
                memset(&set, 0xff, sizeof(set));
        } else if (cpulist_parse(list, &set) < 0) {
                return berr_set(e, -EINVAL, "config.json: %s: invalid CPU list \"%s\"", what, list);
        }
        if (sched_setaffinity(0, sizeof(set), &set) < 0)
                return berr_sys(e, -errno, "config.json: %s: set CPU affinity to \"%s\"", what, list ? list : "all");
        return 0;
}

int attrs_apply_personality(const struct spec_linux *l, struct berr *e)
{
        if (!l->personality.set)
                return 0;
        if (personality((unsigned long)l->personality.domain) < 0)
                return berr_sys(e, -errno, "config.json: .linux.personality: set domain %s",
                                l->personality.domain == PER_LINUX32 ? "LINUX32" : "LINUX");
        return 0;
}
