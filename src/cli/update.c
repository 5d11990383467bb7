/* berth update: change a live container's limits, with runc's flags or a
 * linux.resources JSON object (--resources FILE, or - for stdin, which is
 * how containerd's shim sends it). Flags override the file's values. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "process/control.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"

static const char usage[] =
        "Usage: berth update [OPTIONS] CONTAINER_ID\n\n"
        "Change the cgroup limits of a created, running or paused container.\n"
        "Sizes take a k, m, g or t suffix (powers of 1024); -1 means unlimited.\n\n"
        "Options:\n"
        "  -r, --resources FILE        a linux.resources JSON object (- for stdin)\n"
        "      --memory SIZE           memory limit (memory.max)\n"
        "      --memory-reservation SIZE  soft limit (memory.low)\n"
        "      --memory-swap SIZE      memory+swap limit, as in config.json\n"
        "      --kernel-memory SIZE    ignored with a warning (cgroup v1 only)\n"
        "      --kernel-memory-tcp SIZE  ignored with a warning (cgroup v1 only)\n"
        "      --cpu-shares N          relative weight (converted to cpu.weight)\n"
        "      --cpu-quota N           microseconds per period (cpu.max)\n"
        "      --cpu-period N          period in microseconds (cpu.max)\n"
        "      --cpu-burst N           burst in microseconds (cpu.max.burst)\n"
        "      --cpu-rt-runtime N, --cpu-rt-period N  refused: cgroup v1 only\n"
        "      --cpuset-cpus LIST      CPUs allowed (cpuset.cpus)\n"
        "      --cpuset-mems LIST      memory nodes allowed (cpuset.mems)\n"
        "      --pids-limit N          maximum number of tasks (pids.max)\n"
        "      --blkio-weight N        block IO weight, 10 to 1000 (io.weight)\n"
        "  -h, --help                  show this help\n";

enum { O_MEM = 256, O_MEMRES, O_SWAP, O_KMEM, O_KTCP, O_SHARES, O_QUOTA, O_PERIOD, O_BURST, O_RTRUN, O_RTPER,
       O_CPUS, O_MEMS, O_PIDS, O_BLKIO };

static const struct option opts[] = {
        { "resources", required_argument, NULL, 'r' },
        { "memory", required_argument, NULL, O_MEM },
        { "memory-reservation", required_argument, NULL, O_MEMRES },
        { "memory-swap", required_argument, NULL, O_SWAP },
        { "kernel-memory", required_argument, NULL, O_KMEM },
        { "kernel-memory-tcp", required_argument, NULL, O_KTCP },
        { "cpu-shares", required_argument, NULL, O_SHARES },
        { "cpu-share", required_argument, NULL, O_SHARES },     /* runc's spelling */
        { "cpu-quota", required_argument, NULL, O_QUOTA },
        { "cpu-period", required_argument, NULL, O_PERIOD },
        { "cpu-burst", required_argument, NULL, O_BURST },
        { "cpu-rt-runtime", required_argument, NULL, O_RTRUN },
        { "cpu-rt-period", required_argument, NULL, O_RTPER },
        { "cpuset-cpus", required_argument, NULL, O_CPUS },
        { "cpuset-mems", required_argument, NULL, O_MEMS },
        { "pids-limit", required_argument, NULL, O_PIDS },
        { "blkio-weight", required_argument, NULL, O_BLKIO },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int update_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_update = {
        .name = "update", .summary = "change the resource limits of a container", .usage = usage,
        .run = update_main,
};

/* "512m", "1g", "1048576", "-1". */
static int parse_size(const char *s, bool size, int64_t *ret)
{
        char *end;
        long long v;

        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno || end == s)
                return -EINVAL;
        if (size && *end) {
                const char *units = "kmgt";
                const char *u = strchr(units, *end | 0x20);

                if (!u || (end[1] && strcasecmp(end + 1, "b") != 0))
                        return -EINVAL;
                for (long i = 0; i <= u - units; i++) {
                        if (v > INT64_MAX / 1024)
                                return -ERANGE;
                        v *= 1024;
                }
        } else if (*end) {
                return -EINVAL;
        }
        *ret = v;
        return 0;
}

/* All of stdin (a pipe: fs_read_at takes regular files only). */
static int read_stdin(size_t max, char **ret, size_t *ret_len)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;

        for (;;) {
                ssize_t n;

                if (len + 4096 + 1 > cap) {
                        char *nb = realloc(buf, cap = cap * 2 + 8192);

                        if (!nb)
                                return -ENOMEM;
                        buf = nb;
                }
                n = read(STDIN_FILENO, buf + len, cap - len - 1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                len += (size_t)n;
                if (len > max)
                        return -EFBIG;
        }
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

static int read_resources(const char *file, struct spec_resources *r, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int ret = strcmp(file, "-") == 0 ? read_stdin(16u << 20, &buf, &len)
                                         : fs_read_at(AT_FDCWD, file, 16u << 20, &buf, &len);

        if (ret < 0)
                return berr_sys(e, ret, "read %s", strcmp(file, "-") == 0 ? "resources from stdin" : file);
        return spec_resources_parse(strcmp(file, "-") == 0 ? "<stdin>" : file, buf, len, r, e);
}

static int set_flag(struct spec_resources *r, int c, const char *arg, struct berr *e)
{
        int64_t v = 0;
        bool size = c == O_MEM || c == O_MEMRES || c == O_SWAP || c == O_KMEM || c == O_KTCP;
        opt_i64 *i64 = NULL;
        opt_u64 *u64 = NULL;

        if (c == O_CPUS || c == O_MEMS) {
                char **dst = c == O_CPUS ? &r->cpu.cpus : &r->cpu.mems;

                free(*dst);
                *dst = strdup(arg);
                return *dst ? 0 : berr_sys(e, -ENOMEM, "update");
        }
        if (parse_size(arg, size, &v) < 0)
                return berr_set(e, -EINVAL, "invalid value \"%s\": expected %s", arg, size ? "a size" : "a number");
        switch (c) {
        case O_MEM: i64 = &r->memory.limit; break;
        case O_MEMRES: i64 = &r->memory.reservation; break;
        case O_SWAP: i64 = &r->memory.swap; break;
        case O_KMEM: i64 = &r->memory.kernel; break;
        case O_KTCP: i64 = &r->memory.kernel_tcp; break;
        case O_QUOTA: i64 = &r->cpu.quota; break;
        case O_RTRUN: i64 = &r->cpu.realtime_runtime; break;
        case O_PIDS: i64 = &r->pids.limit; break;
        case O_SHARES: u64 = &r->cpu.shares; break;
        case O_PERIOD: u64 = &r->cpu.period; break;
        case O_BURST: u64 = &r->cpu.burst; break;
        case O_RTPER: u64 = &r->cpu.realtime_period; break;
        case O_BLKIO: u64 = &r->block_io.weight; break;
        }
        if (u64 && v < 0)
                return berr_set(e, -EINVAL, "invalid value \"%s\": expected a number >= 0", arg);
        if (i64)
                *i64 = (opt_i64){ v, true };
        else if (u64)
                *u64 = (opt_u64){ (uint64_t)v, true };
        return 0;
}

static int update_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct spec_resources r = {};
        const char *file = NULL;
        int c, ret = 0;

        /* The file first, so that flags override what it says. */
        while ((c = getopt_long(argc, argv, "+r:h", opts, NULL)) != -1) {
                if (c == 'h')
                        return cli_help(&cli_cmd_update);
                if (c == '?')
                        return cli_usage_error(&cli_cmd_update, e, "unknown option \"%s\"", argv[optind - 1]);
                if (c == 'r')
                        file = optarg;
        }
        if (argc - optind != 1)
                return cli_usage_error(&cli_cmd_update, e, "expected CONTAINER_ID");
        if (file)
                ret = read_resources(file, &r, e);
        optind = 0;
        while (ret == 0 && (c = getopt_long(argc, argv, "+r:h", opts, NULL)) != -1)
                if (c != 'r')
                        ret = set_flag(&r, c, optarg, e);
        if (ret == 0)
                ret = container_update(g->root, argv[optind], &r, e);
        spec_resources_free(&r);
        return ret;
}
