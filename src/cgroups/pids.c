/* pids: pids.limit -> pids.max (zero or negative: "max", as runc). */
#include "config.h"

#include "cgroups/controllers.h"

int cgroup_pids_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        int ret;

        if (!r->pids.limit.set)
                return 0;
        ret = cg_write_limit(dfd, "pids", "pids.max", r->pids.limit.v > 0 ? r->pids.limit.v : -1, e);
        return ret < 0 ? berr_wrap(e, ".linux.resources.pids.limit") : 0;
}
