/* memory: linux.resources.memory -> memory.max, memory.low,
 * memory.swap.max. v2 has no kernel-memory, swappiness or OOM-killer
 * switch: those are ignored with a warning, as runc does. */
#include "config.h"

#include <errno.h>

#include "cgroups/controllers.h"
#include "util/log.h"

/* OCI's swap is memory+swap (the v1 memsw file); v2 limits swap alone. */
int cgroup_memory_swap_value(int64_t limit, int64_t swap, int64_t *ret, struct berr *e)
{
        if (limit == -1 && swap == 0) {
                *ret = -1;
                return 0;
        }
        if (swap == -1 || swap == 0) {
                *ret = swap;
                return 0;
        }
        if (limit == 0 || limit == -1)
                return berr_set(e, -EINVAL, "memory.swap %lld needs a memory.limit", (long long)swap);
        if (limit < 0 || swap < limit)
                return berr_set(e, -ERANGE, "memory.swap %lld (memory+swap) is below memory.limit %lld",
                                (long long)swap, (long long)limit);
        *ret = swap - limit;
        return 0;
}

static void memory_warn_ignored(const struct spec_resources *r)
{
        if (r->memory.kernel.set)
                log_warn("linux.resources.memory.kernel is ignored: cgroup v2 has no kernel memory limit");
        if (r->memory.kernel_tcp.set)
                log_warn("linux.resources.memory.kernelTCP is ignored: cgroup v2 has no kernel TCP memory limit");
        if (r->memory.swappiness.set)
                log_warn("linux.resources.memory.swappiness is ignored: cgroup v2 has no per-group swappiness");
        if (r->memory.disable_oom_killer.set && r->memory.disable_oom_killer.v)
                log_warn("linux.resources.memory.disableOOMKiller is ignored: cgroup v2 cannot disable the OOM killer");
}

int cgroup_memory_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        int64_t swap;
        int ret = 0;

        memory_warn_ignored(r);
        /* swap first: a lower memory.max with a swap value computed for it
         * must not leave the pair inconsistent when one write fails. */
        if (r->memory.swap.set || (r->memory.limit.set && r->memory.limit.v == -1)) {
                ret = cgroup_memory_swap_value(r->memory.limit.set ? r->memory.limit.v : 0,
                                               r->memory.swap.set ? r->memory.swap.v : 0, &swap, e);
                if (ret == 0 && (swap != 0 || r->memory.swap.v > 0))
                        ret = cg_write_limit(dfd, "memory", "memory.swap.max", swap, e);
        }
        if (ret == 0 && r->memory.limit.set && r->memory.limit.v != 0)
                ret = cg_write_limit(dfd, "memory", "memory.max", r->memory.limit.v, e);
        if (ret == 0 && r->memory.reservation.set && r->memory.reservation.v != 0)
                ret = cg_write_limit(dfd, "memory", "memory.low", r->memory.reservation.v, e);
        return ret < 0 ? berr_wrap(e, ".linux.resources.memory") : 0;
}
