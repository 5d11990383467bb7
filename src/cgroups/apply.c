/* apply: the shared write helper of the controller files and the order in
 * which they run (see controllers.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroups/controllers.h"
#include "util/cleanup.h"
#include "util/fs.h"

int cg_write(int dfd, const char *ctrl, const char *file, const char *value, struct berr *e)
{
        _cleanup_close_ int fd = openat(dfd, file, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        int r;

        if (fd < 0 && errno == ENOENT)
                return berr_set(e, -ENOENT,
                                "the %s controller is not available in the cgroup v2 hierarchy (cannot write %s=%s; "
                                "berth does not use cgroup v1 controllers)",
                                ctrl, file, value);
        if (fd < 0)
                return berr_sys(e, -errno, "%s controller: open %s", ctrl, file);
        r = fs_write_all(fd, value, strlen(value));
        return r < 0 ? berr_sys(e, r, "%s controller: write %s=%s", ctrl, file, value) : 0;
}

int cg_write_u64(int dfd, const char *ctrl, const char *file, uint64_t v, struct berr *e)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%" PRIu64, v);
        return cg_write(dfd, ctrl, file, buf, e);
}

int cg_write_limit(int dfd, const char *ctrl, const char *file, int64_t v, struct berr *e)
{
        return v < 0 ? cg_write(dfd, ctrl, file, "max", e) : cg_write_u64(dfd, ctrl, file, (uint64_t)v, e);
}

bool cgroup_resources_wanted(const struct spec_resources *r)
{
        const typeof(r->block_io) *b = &r->block_io;

        return r->memory.limit.set || r->memory.reservation.set || r->memory.swap.set || r->cpu.shares.set ||
               r->cpu.quota.set || r->cpu.period.set || r->cpu.burst.set || r->cpu.idle.set || r->cpu.cpus ||
               r->cpu.mems || r->pids.limit.set || b->weight.set || b->n_weight_device || b->n_throttle_read_bps ||
               b->n_throttle_write_bps || b->n_throttle_read_iops || b->n_throttle_write_iops ||
               r->n_hugepage_limits || r->n_rdma || r->n_unified || r->cpu.realtime_period.set ||
               r->cpu.realtime_runtime.set;
}

int cgroup_resources_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        static int (*const apply[])(int, const struct spec_resources *, struct berr *) = {
                cgroup_cpuset_apply, cgroup_cpu_apply, cgroup_memory_apply, cgroup_pids_apply,
                cgroup_io_apply, cgroup_hugetlb_apply, cgroup_rdma_apply, cgroup_unified_apply,
        };

        for (size_t i = 0; i < ELEMENTSOF(apply); i++) {
                int ret = apply[i](dfd, r, e);

                if (ret < 0)
                        return ret;
        }
        return 0;
}
