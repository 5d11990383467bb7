/* spec/parse_process: the "process" object of config.json (args, env, user,
 * rlimits, capabilities, scheduler, I/O priority...) as tables for the walker
 * in parse_table.c, plus the rules spanning fields (soft <= hard, duplicates). */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "spec/parse.h"
#include "util/cleanup.h"

static const struct sf_field console_fields[] = {
        SF_INT("height", struct spec_process, console_size.height, 0, UINT32_MAX, .flags = SF_REQUIRED),
        SF_INT("width", struct spec_process, console_size.width, 0, UINT32_MAX, .flags = SF_REQUIRED),
};
static const struct sf_table console_table = SF_TABLE(console_fields, NULL);

static int parse_gid(const struct jp *at, json_val v, void *p)
{
        uint64_t bits;
        int r = sf_integer(at, v, 0, UINT32_MAX, &bits);

        if (r >= 0)
                *(gid_t *)p = (gid_t)bits;
        return r;
}

static const struct sf_field user_fields[] = {
        SF_INT("uid", struct spec_user, uid, 0, UINT32_MAX),
        SF_INT("gid", struct spec_user, gid, 0, UINT32_MAX),
        SF_OPT_U64("umask", struct spec_user, umask, UINT32_MAX),
        SF_ARRAY("additionalGids", struct spec_user, additional_gids, NULL, .fn = parse_gid),
};
static const struct sf_table user_table = SF_TABLE(user_fields, NULL);

static int rlimit_post(const struct jp *at, json_val v, void *base)
{
        const struct spec_rlimit *rl = base;

        if (rl->soft > rl->hard)
                return jp_fail(JP_AT_FIELD(at, "soft"), "expected at most the hard limit %" PRIu64 ", got %" PRIu64,
                               rl->hard, rl->soft);
        return 0;
}

static const struct sf_field rlimit_fields[] = {
        SF_NAME("type", struct spec_rlimit, type, spec_rlimit_from_name, "rlimit", .flags = SF_REQUIRED),
        SF_INT("soft", struct spec_rlimit, soft, 0, UINT64_MAX, .flags = SF_REQUIRED),
        SF_INT("hard", struct spec_rlimit, hard, 0, UINT64_MAX, .flags = SF_REQUIRED),
};
static const struct sf_table rlimit_table = SF_TABLE(rlimit_fields, rlimit_post);

#define CAP_SET(n, m) SF_FLAGS(n, struct spec_caps, m, spec_cap_from_name, "capability", .flags = SF_BITNUM)
static const struct sf_field caps_fields[] = {
        CAP_SET("bounding", bounding),
        CAP_SET("effective", effective),
        CAP_SET("inheritable", inheritable),
        CAP_SET("permitted", permitted),
        CAP_SET("ambient", ambient),
};
static const struct sf_table caps_table = SF_TABLE(caps_fields, NULL);

static const struct sf_field scheduler_fields[] = {
        SF_NAME("policy", struct spec_scheduler, policy, spec_sched_policy_from_name, "scheduler policy",
                .flags = SF_REQUIRED),
        SF_INT("nice", struct spec_scheduler, nice, -20, 19),
        SF_INT("priority", struct spec_scheduler, priority, INT32_MIN, INT32_MAX),
        SF_FLAGS("flags", struct spec_scheduler, flags, spec_sched_flag_from_name, "scheduler flag",
                 .flags = SF_BITNUM),
        SF_INT("runtime", struct spec_scheduler, runtime, 0, UINT64_MAX),
        SF_INT("deadline", struct spec_scheduler, deadline, 0, UINT64_MAX),
        SF_INT("period", struct spec_scheduler, period, 0, UINT64_MAX),
};
static const struct sf_table scheduler_table = SF_TABLE(scheduler_fields, NULL);

static const struct sf_field ioprio_fields[] = {
        SF_NAME("class", struct spec_io_priority, class, spec_ioprio_class_from_name, "I/O priority class",
                .flags = SF_REQUIRED),
        SF_INT("priority", struct spec_io_priority, priority, 0, 7),
};
static const struct sf_table ioprio_table = SF_TABLE(ioprio_fields, NULL);

static const struct sf_field affinity_fields[] = {
        SF_STR("initial", struct spec_process, exec_cpu_affinity_initial, .check = sf_check_cpu_list),
        SF_STR("final", struct spec_process, exec_cpu_affinity_final, .check = sf_check_cpu_list),
};
static const struct sf_table affinity_table = SF_TABLE(affinity_fields, NULL);

/* setrlimit() of the same resource twice would silently keep the last one:
 * the spec makes a duplicate type an error. */
static int process_post(const struct jp *at, json_val v, void *base)
{
        const struct spec_process *p = base;
        uint64_t seen = 0;

        for (size_t i = 0; i < p->n_rlimits; i++) {
                uint64_t bit = UINT64_C(1) << (p->rlimits[i].type & 63);

                if (seen & bit)
                        return jp_fail(JP_AT_INDEX(JP_AT_FIELD(at, "rlimits"), i), "duplicate rlimit \"%s\"",
                                       spec_rlimit_name(p->rlimits[i].type));
                seen |= bit;
        }
        return 0;
}

static const struct sf_field process_fields[] = {
        SF_BOOL("terminal", struct spec_process, terminal),
        SF_INLINE("consoleSize", &console_table, SF_PRESENT_AT(struct spec_process, console_size.set)),
        SF_STRV("args", struct spec_process, args, .flags = SF_REQUIRED | SF_NONEMPTY),
        SF_STRV("env", struct spec_process, env, .flags = SF_ALWAYS, .check = sf_check_env),
        SF_STR("cwd", struct spec_process, cwd, .flags = SF_REQUIRED, .check = sf_check_abs_path),
        SF_OBJ("user", struct spec_process, user, &user_table),
        SF_ARRAY("rlimits", struct spec_process, rlimits, &rlimit_table),
        SF_OBJ("capabilities", struct spec_process, caps, &caps_table,
               SF_PRESENT_AT(struct spec_process, has_caps)),
        SF_BOOL("noNewPrivileges", struct spec_process, no_new_privileges),
        SF_STR("apparmorProfile", struct spec_process, apparmor_profile),
        SF_STR("selinuxLabel", struct spec_process, selinux_label),
        SF_OPT_I64("oomScoreAdj", struct spec_process, oom_score_adj, -1000, 1000),
        SF_OBJ("scheduler", struct spec_process, scheduler, &scheduler_table,
               SF_PRESENT_AT(struct spec_process, scheduler.set)),
        SF_OBJ("ioPriority", struct spec_process, io_priority, &ioprio_table,
               SF_PRESENT_AT(struct spec_process, io_priority.set)),
        SF_INLINE("execCPUAffinity", &affinity_table),
};
const struct sf_table spec_process_table = SF_TABLE(process_fields, process_post);
