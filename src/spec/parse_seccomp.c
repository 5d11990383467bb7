/* spec/parse_seccomp: "linux.seccomp" as tables. Actions, operators,
 * architectures and flags are checked against names.c here, so the seccomp
 * module (the only user of libseccomp) receives validated enums and names. */
#include "config.h"

#include <stdint.h>

#include "spec/parse.h"
#include "util/cleanup.h"

/* The errno goes into the 16 data bits of SECCOMP_RET_ERRNO / _TRACE. */
#define SECCOMP_RET_DATA_MAX UINT16_MAX

static int check_arch(const struct jp *at, const char *s)
{
        if (!spec_seccomp_arch_known(s))
                return jp_fail_unknown(at, "seccomp architecture", s);
        return 0;
}

static const struct sf_field arg_fields[] = {
        SF_INT("index", struct spec_seccomp_arg, index, 0, 5, .flags = SF_REQUIRED),
        SF_INT("value", struct spec_seccomp_arg, value, 0, UINT64_MAX, .flags = SF_REQUIRED),
        SF_INT("valueTwo", struct spec_seccomp_arg, value_two, 0, UINT64_MAX),
        SF_NAME("op", struct spec_seccomp_arg, op, spec_seccomp_op_from_name, "seccomp operator",
                .flags = SF_REQUIRED),
};
static const struct sf_table arg_table = SF_TABLE(arg_fields, NULL);

static const struct sf_field syscall_fields[] = {
        SF_STRV("names", struct spec_seccomp_syscall, names, .flags = SF_REQUIRED | SF_NONEMPTY,
                .check = sf_check_nonempty),
        SF_NAME("action", struct spec_seccomp_syscall, action, spec_seccomp_action_from_name, "seccomp action",
                .flags = SF_REQUIRED),
        SF_OPT_U64("errnoRet", struct spec_seccomp_syscall, errno_ret, SECCOMP_RET_DATA_MAX),
        SF_ARRAY("args", struct spec_seccomp_syscall, args, &arg_table),
};
static const struct sf_table syscall_table = SF_TABLE(syscall_fields, NULL);

static const struct sf_field seccomp_fields[] = {
        SF_NAME("defaultAction", struct spec_seccomp, default_action, spec_seccomp_action_from_name,
                "seccomp action", .flags = SF_REQUIRED),
        SF_OPT_U64("defaultErrnoRet", struct spec_seccomp, default_errno_ret, SECCOMP_RET_DATA_MAX),
        SF_STRV("architectures", struct spec_seccomp, architectures, .check = check_arch),
        SF_FLAGS("flags", struct spec_seccomp, flags, spec_seccomp_flag_from_name, "seccomp flag"),
        SF_STR("listenerPath", struct spec_seccomp, listener_path),
        SF_STR("listenerMetadata", struct spec_seccomp, listener_metadata),
        SF_ARRAY("syscalls", struct spec_seccomp, syscalls, &syscall_table),
};
const struct sf_table spec_seccomp_table = SF_TABLE(seccomp_fields, NULL);
