/* cpuset: cpu.cpus / cpu.mems -> cpuset.cpus / cpuset.mems, as given
 * (the kernel checks the lists against the parent's). */
#include "config.h"

#include "cgroups/controllers.h"

int cgroup_cpuset_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        int ret = 0;

        if (r->cpu.cpus)
                ret = cg_write(dfd, "cpuset", "cpuset.cpus", r->cpu.cpus, e);
        if (ret == 0 && r->cpu.mems)
                ret = cg_write(dfd, "cpuset", "cpuset.mems", r->cpu.mems, e);
        return ret < 0 ? berr_wrap(e, ".linux.resources.cpu") : 0;
}
