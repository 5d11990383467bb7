/* hugetlb: hugepageLimits[] -> hugetlb.<pageSize>.max (the parser has
 * already checked pageSize, which becomes part of a file name). */
#include "config.h"

#include <stdio.h>

#include "cgroups/controllers.h"

int cgroup_hugetlb_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        for (size_t i = 0; i < r->n_hugepage_limits; i++) {
                char file[64];
                int ret;

                snprintf(file, sizeof(file), "hugetlb.%s.max", r->hugepage_limits[i].page_size);
                ret = cg_write_u64(dfd, "hugetlb", file, r->hugepage_limits[i].limit, e);
                if (ret < 0)
                        return berr_wrap(e, ".linux.resources.hugepageLimits[%zu]", i);
        }
        return 0;
}
