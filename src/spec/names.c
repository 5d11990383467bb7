/* spec/names: the closed vocabularies of config.json (namespaces, capabilities,
 * rlimits, hooks, seccomp, scheduler, ...) as tables, for the parser and for
 * `berth spec` / `berth features`. Numbers come from libc, never from libcap
 * or libseccomp: the parser stays free of mechanism headers. */
#include "config.h"

#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include "spec/parse.h"
#include "util/cleanup.h"

static int index_of(const char *const *names, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (names[i] && strcmp(names[i], name) == 0)
                        return (int)i;
        return -1;
}

static const char *name_at(const char *const *names, size_t n, size_t i)
{
        return i < n ? names[i] : NULL;
}

#define LOOKUP(tbl, name) index_of((tbl), ELEMENTSOF(tbl), (name))
#define NAME_AT(tbl, i) name_at((tbl), ELEMENTSOF(tbl), (i))

/* ---- namespaces, hooks -------------------------------------------------- */

static const char *const ns_names[SPEC_NS__MAX] = {
        [SPEC_NS_PID] = "pid", [SPEC_NS_NET] = "network", [SPEC_NS_MNT] = "mount",
        [SPEC_NS_IPC] = "ipc", [SPEC_NS_UTS] = "uts", [SPEC_NS_USER] = "user",
        [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_TIME] = "time",
};

int spec_ns_from_name(const char *name) { return LOOKUP(ns_names, name); }
const char *spec_ns_name(enum spec_ns_type t) { return NAME_AT(ns_names, (size_t)t); }

static const char *const hook_names[SPEC_HOOK__MAX] = {
        [SPEC_HOOK_PRESTART] = "prestart", [SPEC_HOOK_CREATE_RUNTIME] = "createRuntime",
        [SPEC_HOOK_CREATE_CONTAINER] = "createContainer", [SPEC_HOOK_START_CONTAINER] = "startContainer",
        [SPEC_HOOK_POSTSTART] = "poststart", [SPEC_HOOK_POSTSTOP] = "poststop",
};

const char *spec_hook_name(enum spec_hook_kind k) { return NAME_AT(hook_names, (size_t)k); }

/* ---- capabilities (numbers as in capabilities(7)) ----------------------- */

static const char *const cap_names[] = {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
        "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
        "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
};

int spec_cap_from_name(const char *name) { return LOOKUP(cap_names, name); }
const char *spec_cap_name(int cap) { return cap < 0 ? NULL : NAME_AT(cap_names, (size_t)cap); }
int spec_cap_last(void) { return (int)ELEMENTSOF(cap_names) - 1; }

/* ---- rlimits ------------------------------------------------------------ */

static const struct { const char *name; int type; } rlimits[] = {
        { "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
        { "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
        { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
        { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
        { "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
        { "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
        { "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
        { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

int spec_rlimit_from_name(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(rlimits); i++)
                if (strcmp(rlimits[i].name, name) == 0)
                        return rlimits[i].type;
        return -1;
}

const char *spec_rlimit_name(int type)
{
        for (size_t i = 0; i < ELEMENTSOF(rlimits); i++)
                if (rlimits[i].type == type)
                        return rlimits[i].name;
        return NULL;
}

/* ---- seccomp ------------------------------------------------------------ */

static const char *const scmp_actions[] = {
        [SPEC_SCMP_ACT_KILL] = "SCMP_ACT_KILL", [SPEC_SCMP_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
        [SPEC_SCMP_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD", [SPEC_SCMP_ACT_TRAP] = "SCMP_ACT_TRAP",
        [SPEC_SCMP_ACT_ERRNO] = "SCMP_ACT_ERRNO", [SPEC_SCMP_ACT_TRACE] = "SCMP_ACT_TRACE",
        [SPEC_SCMP_ACT_ALLOW] = "SCMP_ACT_ALLOW", [SPEC_SCMP_ACT_LOG] = "SCMP_ACT_LOG",
        [SPEC_SCMP_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
};

static const char *const scmp_ops[] = {
        [SPEC_SCMP_CMP_NE] = "SCMP_CMP_NE", [SPEC_SCMP_CMP_LT] = "SCMP_CMP_LT",
        [SPEC_SCMP_CMP_LE] = "SCMP_CMP_LE", [SPEC_SCMP_CMP_EQ] = "SCMP_CMP_EQ",
        [SPEC_SCMP_CMP_GE] = "SCMP_CMP_GE", [SPEC_SCMP_CMP_GT] = "SCMP_CMP_GT",
        [SPEC_SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

/* The architectures libseccomp 2.5/2.6 knows (seccomp_arch_add(3)). */
static const char *const scmp_arches[] = {
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
        "SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
        "SCMP_ARCH_RISCV64", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
};

/* Index i is the flag SPEC_SECCOMP_FLAG_* == 1u << i. */
static const char *const scmp_flags[] = {
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

int spec_seccomp_action_from_name(const char *name) { return LOOKUP(scmp_actions, name); }
const char *spec_seccomp_action_name(enum spec_seccomp_action a) { return NAME_AT(scmp_actions, (size_t)a); }
int spec_seccomp_op_from_name(const char *name) { return LOOKUP(scmp_ops, name); }
const char *spec_seccomp_op_name(enum spec_seccomp_op op) { return NAME_AT(scmp_ops, (size_t)op); }
bool spec_seccomp_arch_known(const char *name) { return LOOKUP(scmp_arches, name) >= 0; }

int spec_seccomp_flag_from_name(const char *name)
{
        int i = LOOKUP(scmp_flags, name);

        return i < 0 ? -1 : (int)(1u << i);
}

const char *spec_seccomp_action_name_at(size_t i) { return NAME_AT(scmp_actions, i); }
const char *spec_seccomp_op_name_at(size_t i) { return NAME_AT(scmp_ops, i); }
const char *spec_seccomp_arch_name_at(size_t i) { return NAME_AT(scmp_arches, i); }
const char *spec_seccomp_flag_name_at(size_t i) { return NAME_AT(scmp_flags, i); }

/* ---- private to the parser ---------------------------------------------- */

/* Indexed by kernel policy number, which enum spec_sched_policy follows. */
static const char *const sched_policies[] = {
        [SPEC_SCHED_OTHER] = "SCHED_OTHER", [SPEC_SCHED_FIFO] = "SCHED_FIFO",
        [SPEC_SCHED_RR] = "SCHED_RR", [SPEC_SCHED_BATCH] = "SCHED_BATCH",
        [SPEC_SCHED_ISO] = "SCHED_ISO", [SPEC_SCHED_IDLE] = "SCHED_IDLE",
        [SPEC_SCHED_DEADLINE] = "SCHED_DEADLINE",
};

/* Index i is the kernel's SCHED_FLAG_* == 1 << i (linux/sched.h). */
static const char *const sched_flags[] = {
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
        "SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
        "SCHED_FLAG_UTIL_CLAMP_MAX",
};

static const char *const ioprio_classes[] = {
        [SPEC_IOPRIO_CLASS_RT] = "IOPRIO_CLASS_RT", [SPEC_IOPRIO_CLASS_BE] = "IOPRIO_CLASS_BE",
        [SPEC_IOPRIO_CLASS_IDLE] = "IOPRIO_CLASS_IDLE",
};

static const char *const propagations[] = {
        [SPEC_PROP_PRIVATE] = "private", [SPEC_PROP_SHARED] = "shared",
        [SPEC_PROP_SLAVE] = "slave", [SPEC_PROP_UNBINDABLE] = "unbindable",
};

static const char *const time_clocks[] = { "monotonic", "boottime" };

int spec_sched_policy_from_name(const char *name) { return LOOKUP(sched_policies, name); }
int spec_sched_flag_from_name(const char *name) { return LOOKUP(sched_flags, name); }
int spec_ioprio_class_from_name(const char *name) { return LOOKUP(ioprio_classes, name); }
int spec_time_clock_from_name(const char *name) { return LOOKUP(time_clocks, name); }

int spec_personality_from_name(const char *name)
{
        if (strcmp(name, "LINUX") == 0)
                return PER_LINUX;
        if (strcmp(name, "LINUX32") == 0)
                return PER_LINUX32;
        return -1;
}

int spec_propagation_from_name(const char *name)
{
        int p;

        if (name[0] == 'r') {
                p = LOOKUP(propagations, name + 1);
                return p < 0 ? -1 : p | SPEC_PROP_RECURSIVE_BIT;
        }
        return LOOKUP(propagations, name);
}
