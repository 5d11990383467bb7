/* rdma: rdma.<device> -> one "device hca_handle=N hca_object=N" line of
 * rdma.max per device (an unset count is "max"). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "cgroups/controllers.h"

int cgroup_rdma_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        for (size_t i = 0; i < r->n_rdma; i++) {
                const struct spec_rdma_limit *l = &r->rdma[i];
                char h[24] = "max", o[24] = "max", line[512];
                int ret;

                if (l->hca_handles.set)
                        snprintf(h, sizeof(h), "%" PRIu64, l->hca_handles.v);
                if (l->hca_objects.set)
                        snprintf(o, sizeof(o), "%" PRIu64, l->hca_objects.v);
                snprintf(line, sizeof(line), "%s hca_handle=%s hca_object=%s", l->device, h, o);
                ret = cg_write(dfd, "rdma", "rdma.max", line, e);
                if (ret < 0)
                        return berr_wrap(e, ".linux.resources.rdma.%s", l->device);
        }
        return 0;
}
