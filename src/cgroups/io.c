/* io: blockIO -> io.weight (or io.bfq.weight, when the BFQ scheduler
 * provides it, which takes blkio's own 10..1000 scale), weightDevice ->
 * io.bfq.weight lines, throttle*Device -> io.max lines. As runc. */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "cgroups/controllers.h"

/* blkio's [10, 1000] onto io.weight's [1, 10000]. */
uint64_t cgroup_blkio_weight_to_io_weight(uint64_t weight)
{
        if (weight == 0)
                return 0;
        if (weight < 10)
                weight = 10;
        return 1 + (weight - 10) * 9999 / 990;
}

static int io_weight(int dfd, uint64_t weight, struct berr *e)
{
        if (faccessat(dfd, "io.bfq.weight", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                return cg_write_u64(dfd, "io", "io.bfq.weight", weight, e);
        return cg_write_u64(dfd, "io", "io.weight", cgroup_blkio_weight_to_io_weight(weight), e);
}

static int io_throttle(int dfd, const struct spec_throttle_device *d, size_t n, const char *key, struct berr *e)
{
        for (size_t i = 0; i < n; i++) {
                char line[128];
                int ret;

                if (d[i].rate)
                        snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, d[i].major, d[i].minor,
                                 key, d[i].rate);
                else
                        snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %s=max", d[i].major, d[i].minor, key);
                ret = cg_write(dfd, "io", "io.max", line, e);
                if (ret < 0)
                        return ret;
        }
        return 0;
}

static int io_weight_devices(int dfd, const struct spec_resources *r, struct berr *e)
{
        for (size_t i = 0; i < r->block_io.n_weight_device; i++) {
                const struct spec_weight_device *w = &r->block_io.weight_device[i];
                char line[128];
                int ret;

                if (!w->weight.set)
                        continue;       /* leafWeight: v1 only */
                snprintf(line, sizeof(line), "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor, w->weight.v);
                ret = cg_write(dfd, "io", "io.bfq.weight", line, e);
                if (ret < 0)
                        return berr_wrap(e, "weightDevice[%zu]", i);
        }
        return 0;
}

int cgroup_io_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        const typeof(r->block_io) *b = &r->block_io;
        int ret = 0;

        if (b->weight.set && b->weight.v)
                ret = io_weight(dfd, b->weight.v, e);
        if (ret == 0)
                ret = io_weight_devices(dfd, r, e);
        if (ret == 0)
                ret = io_throttle(dfd, b->throttle_read_bps, b->n_throttle_read_bps, "rbps", e);
        if (ret == 0)
                ret = io_throttle(dfd, b->throttle_write_bps, b->n_throttle_write_bps, "wbps", e);
        if (ret == 0)
                ret = io_throttle(dfd, b->throttle_read_iops, b->n_throttle_read_iops, "riops", e);
        if (ret == 0)
                ret = io_throttle(dfd, b->throttle_write_iops, b->n_throttle_write_iops, "wiops", e);
        return ret < 0 ? berr_wrap(e, ".linux.resources.blockIO") : 0;
}
