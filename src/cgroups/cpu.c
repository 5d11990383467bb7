/* cpu: shares -> cpu.weight, quota/period -> cpu.max, burst ->
 * cpu.max.burst, idle -> cpu.idle. Realtime bandwidth exists only on
 * cgroup v1: asking for it is an error, not a silent no-op. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "cgroups/controllers.h"

#define CPU_DEFAULT_PERIOD 100000

/* runc's and crun's linear map of [2, 262144] onto [1, 10000]. */
uint64_t cgroup_cpu_shares_to_weight(uint64_t shares)
{
        if (shares == 0)
                return 0;
        if (shares < 2)
                shares = 2;
        if (shares > 262144)
                shares = 262144;
        return 1 + ((shares - 2) * 9999) / 262142;
}

static int cpu_max(int dfd, const struct spec_resources *r, struct berr *e)
{
        char buf[64];
        uint64_t period = r->cpu.period.set && r->cpu.period.v ? r->cpu.period.v : CPU_DEFAULT_PERIOD;

        if (r->cpu.quota.set && r->cpu.quota.v > 0)
                snprintf(buf, sizeof(buf), "%" PRId64 " %" PRIu64, r->cpu.quota.v, period);
        else
                snprintf(buf, sizeof(buf), "max %" PRIu64, period);
        return cg_write(dfd, "cpu", "cpu.max", buf, e);
}

int cgroup_cpu_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        int ret = 0;

        if ((r->cpu.realtime_period.set && r->cpu.realtime_period.v) ||
            (r->cpu.realtime_runtime.set && r->cpu.realtime_runtime.v))
                return berr_set(e, -EOPNOTSUPP, ".linux.resources.cpu: realtimeRuntime and realtimePeriod "
                                "are cgroup v1 only (cgroup v2 has no realtime bandwidth control)");
        if (r->cpu.shares.set && r->cpu.shares.v)
                ret = cg_write_u64(dfd, "cpu", "cpu.weight", cgroup_cpu_shares_to_weight(r->cpu.shares.v), e);
        if (ret == 0 && ((r->cpu.quota.set && r->cpu.quota.v) || (r->cpu.period.set && r->cpu.period.v)))
                ret = cpu_max(dfd, r, e);
        if (ret == 0 && r->cpu.burst.set)
                ret = cg_write_u64(dfd, "cpu", "cpu.max.burst", r->cpu.burst.v, e);
        if (ret == 0 && r->cpu.idle.set)
                ret = cg_write(dfd, "cpu", "cpu.idle", r->cpu.idle.v ? "1" : "0", e);
        return ret < 0 ? berr_wrap(e, ".linux.resources.cpu") : 0;
}
