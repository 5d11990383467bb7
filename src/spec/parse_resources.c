/* spec/parse_resources: "linux.resources" (device rules, memory, cpu, pids,
 * blockIO, hugepageLimits, network, rdma, unified) as tables. Names that the
 * cgroup code turns into file names are checked here, where the path is known. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/parse.h"
#include "util/cleanup.h"

/* ---- device rules ------------------------------------------------------- */

static int parse_rule_type(const struct jp *at, json_val v, void *p)
{
        return sf_char_in(at, v, "acb", "device type", p);
}

static int parse_access(const struct jp *at, json_val v, void *p)
{
        char *access = p;
        const char *s;
        int r = sf_string(at, v, &s);

        if (r < 0)
                return r;
        for (size_t i = 0; s[i]; i++)
                if (i >= 3 || !strchr("rwm", s[i]) || strchr(s + i + 1, s[i]))
                        return jp_fail_got(at, "a combination of \"r\", \"w\" and \"m\"", s);
        strcpy(access, s);
        return 0;
}

/* Unset type and access mean "all" ("a", "rwm"), as in the devices cgroup. */
static int rule_post(const struct jp *at, json_val v, void *base)
{
        struct spec_device_rule *d = base;

        if (d->type == '\0')
                d->type = 'a';
        if (d->access[0] == '\0')
                strcpy(d->access, "rwm");
        return 0;
}

static const struct sf_field rule_fields[] = {
        SF_BOOL("allow", struct spec_device_rule, allow, .flags = SF_REQUIRED),
        SF_FN("type", struct spec_device_rule, type, parse_rule_type),
        SF_OPT_I64("major", struct spec_device_rule, major, SF_I64_MIN, SF_I64_MAX),
        SF_OPT_I64("minor", struct spec_device_rule, minor, SF_I64_MIN, SF_I64_MAX),
        SF_FN("access", struct spec_device_rule, access, parse_access),
};
static const struct sf_table rule_table = SF_TABLE(rule_fields, rule_post);

/* ---- memory, cpu, pids -------------------------------------------------- */

#define RES_I64(n, m) SF_OPT_I64(n, struct spec_resources, m, SF_I64_MIN, SF_I64_MAX)
#define RES_U64(n, m, hi) SF_OPT_U64(n, struct spec_resources, m, hi)

static const struct sf_field memory_fields[] = {
        RES_I64("limit", memory.limit),
        RES_I64("reservation", memory.reservation),
        RES_I64("swap", memory.swap),
        RES_I64("kernel", memory.kernel),
        RES_I64("kernelTCP", memory.kernel_tcp),
        RES_U64("swappiness", memory.swappiness, 100),
        SF_OPT_BOOL("disableOOMKiller", struct spec_resources, memory.disable_oom_killer),
        SF_OPT_BOOL("useHierarchy", struct spec_resources, memory.use_hierarchy),
        SF_OPT_BOOL("checkBeforeUpdate", struct spec_resources, memory.check_before_update),
};
static const struct sf_table memory_table = SF_TABLE(memory_fields, NULL);

static const struct sf_field cpu_fields[] = {
        RES_U64("shares", cpu.shares, UINT64_MAX),
        RES_I64("quota", cpu.quota),
        RES_U64("burst", cpu.burst, UINT64_MAX),
        RES_U64("period", cpu.period, UINT64_MAX),
        RES_I64("realtimeRuntime", cpu.realtime_runtime),
        RES_U64("realtimePeriod", cpu.realtime_period, UINT64_MAX),
        SF_STR("cpus", struct spec_resources, cpu.cpus),
        SF_STR("mems", struct spec_resources, cpu.mems),
        RES_I64("idle", cpu.idle),
};
static const struct sf_table cpu_table = SF_TABLE(cpu_fields, NULL);

static const struct sf_field pids_fields[] = {
        SF_OPT_I64("limit", struct spec_resources, pids.limit, SF_I64_MIN, SF_I64_MAX, .flags = SF_REQUIRED),
};
static const struct sf_table pids_table = SF_TABLE(pids_fields, NULL);

/* ---- blockIO ------------------------------------------------------------ */

static int weight_device_post(const struct jp *at, json_val v, void *base)
{
        const struct spec_weight_device *w = base;

        if (!w->weight.set && !w->leaf_weight.set)
                return jp_fail(at, "expected weight or leafWeight, got neither");
        return 0;
}

static const struct sf_field weight_device_fields[] = {
        SF_INT("major", struct spec_weight_device, major, SF_I64_MIN, SF_I64_MAX, .flags = SF_REQUIRED),
        SF_INT("minor", struct spec_weight_device, minor, SF_I64_MIN, SF_I64_MAX, .flags = SF_REQUIRED),
        SF_OPT_U64("weight", struct spec_weight_device, weight, UINT16_MAX),
        SF_OPT_U64("leafWeight", struct spec_weight_device, leaf_weight, UINT16_MAX),
};
static const struct sf_table weight_device_table = SF_TABLE(weight_device_fields, weight_device_post);

static const struct sf_field throttle_fields[] = {
        SF_INT("major", struct spec_throttle_device, major, SF_I64_MIN, SF_I64_MAX, .flags = SF_REQUIRED),
        SF_INT("minor", struct spec_throttle_device, minor, SF_I64_MIN, SF_I64_MAX, .flags = SF_REQUIRED),
        SF_INT("rate", struct spec_throttle_device, rate, 0, UINT64_MAX, .flags = SF_REQUIRED),
};
static const struct sf_table throttle_table = SF_TABLE(throttle_fields, NULL);

#define THROTTLE(n, m) SF_ARRAY_N(n, struct spec_resources, block_io.m, block_io.n_##m, &throttle_table)

static const struct sf_field block_io_fields[] = {
        RES_U64("weight", block_io.weight, UINT16_MAX),
        RES_U64("leafWeight", block_io.leaf_weight, UINT16_MAX),
        SF_ARRAY_N("weightDevice", struct spec_resources, block_io.weight_device, block_io.n_weight_device,
                   &weight_device_table),
        THROTTLE("throttleReadBpsDevice", throttle_read_bps),
        THROTTLE("throttleWriteBpsDevice", throttle_write_bps),
        THROTTLE("throttleReadIOPSDevice", throttle_read_iops),
        THROTTLE("throttleWriteIOPSDevice", throttle_write_iops),
};
static const struct sf_table block_io_table = SF_TABLE(block_io_fields, NULL);

/* ---- hugepages, network, rdma, unified ---------------------------------- */

/* "<size><unit prefix>B" (64KB, 2MB, 1GB): it names the cgroup file
 * hugetlb.<pageSize>.limit_in_bytes, so nothing else may pass. */
static int check_page_size(const struct jp *at, const char *s)
{
        size_t digits = strspn(s, "0123456789");

        if (digits == 0 || !strchr("KMGTPE", s[digits]) || s[digits] == '\0' || strcmp(s + digits + 1, "B") != 0)
                return jp_fail_got(at, "a page size like \"2MB\"", s);
        return 0;
}

static const struct sf_field hugepage_fields[] = {
        SF_STR("pageSize", struct spec_hugepage_limit, page_size, .flags = SF_REQUIRED, .check = check_page_size),
        SF_INT("limit", struct spec_hugepage_limit, limit, 0, UINT64_MAX, .flags = SF_REQUIRED),
};
static const struct sf_table hugepage_table = SF_TABLE(hugepage_fields, NULL);

/* The priority goes to net_prio.ifpriomap as text: keep it as text. */
static int parse_priority_value(const struct jp *at, json_val v, void *p)
{
        char **out = p, num[16];
        uint64_t prio;
        int r = sf_integer(at, v, 0, UINT32_MAX, &prio);

        if (r < 0)
                return r;
        snprintf(num, sizeof(num), "%" PRIu64, prio);
        *out = strdup(num);
        return *out ? 0 : berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
}

static const struct sf_field priority_fields[] = {
        SF_STR("name", struct spec_key_value, key, .flags = SF_REQUIRED | SF_NONEMPTY),
        SF_FN("priority", struct spec_key_value, value, parse_priority_value, .flags = SF_REQUIRED),
};
static const struct sf_table priority_table = SF_TABLE(priority_fields, NULL);

static const struct sf_field network_fields[] = {
        RES_U64("classID", network.class_id, UINT32_MAX),
        SF_ARRAY_N("priorities", struct spec_resources, network.priorities, network.n_priorities, &priority_table),
};
static const struct sf_table network_table = SF_TABLE(network_fields, NULL);

static const struct sf_field rdma_fields[] = {
        SF_OPT_U64("hcaHandles", struct spec_rdma_limit, hca_handles, UINT32_MAX),
        SF_OPT_U64("hcaObjects", struct spec_rdma_limit, hca_objects, UINT32_MAX),
};
static const struct sf_table rdma_table = SF_TABLE(rdma_fields, NULL);

/* unified keys are written as files in the container's cgroup directory. */
static int check_cgroup_file(const struct jp *at, const char *s)
{
        if (strchr(s, '/') || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
                return jp_fail_got(at, "a cgroup file name", s);
        return 0;
}

static const struct sf_field resources_fields[] = {
        SF_ARRAY("devices", struct spec_resources, devices, &rule_table),
        SF_INLINE("memory", &memory_table),
        SF_INLINE("cpu", &cpu_table),
        SF_INLINE("pids", &pids_table),
        SF_INLINE("blockIO", &block_io_table),
        SF_ARRAY("hugepageLimits", struct spec_resources, hugepage_limits, &hugepage_table),
        SF_INLINE("network", &network_table),
        SF_MAP("rdma", struct spec_resources, rdma, device, &rdma_table),
        SF_MAP("unified", struct spec_resources, unified, key, NULL, .fn = sf_kv_value,
               .check = check_cgroup_file),
};
const struct sf_table spec_resources_table = SF_TABLE(resources_fields, NULL);
