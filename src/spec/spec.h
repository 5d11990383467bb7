/* spec: berth's own model of an OCI runtime-spec 1.2 Linux config.json.
 *
 * config.json is parsed once (spec_load / spec_parse, src/spec/parse*.c) into
 * these plain structs and validated there, so the rest of berth never sees
 * JSON. Names, enums and bitmasks replace strings wherever the spec has a
 * closed vocabulary (namespaces, capabilities, rlimits, seccomp actions...).
 * Optional scalars carry a `set` flag. Arrays are pointer + count; string
 * lists are also NULL-terminated so they can go straight to execve().
 * This header includes no mechanism header: the parser can be fuzzed alone. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/berr.h"

/* GNU C predefines `linux` as 1; the spec's own word must stay usable. */
#undef linux

typedef struct { int64_t v; bool set; } opt_i64;
typedef struct { uint64_t v; bool set; } opt_u64;
typedef struct { bool v; bool set; } opt_bool;

/* ---- process ------------------------------------------------------------ */

struct spec_rlimit {
        int type;                       /* RLIMIT_* number */
        uint64_t soft, hard;
};

/* Capability sets as bitmasks indexed by capability number (CAP_CHOWN = 0). */
struct spec_caps {
        uint64_t bounding, effective, inheritable, permitted, ambient;
};

enum spec_sched_policy {
        SPEC_SCHED_OTHER, SPEC_SCHED_FIFO, SPEC_SCHED_RR, SPEC_SCHED_BATCH,
        SPEC_SCHED_ISO, SPEC_SCHED_IDLE, SPEC_SCHED_DEADLINE,
};

struct spec_scheduler {
        bool set;
        enum spec_sched_policy policy;
        int32_t nice, priority;
        uint32_t flags;                 /* SCHED_FLAG_* bits */
        uint64_t runtime, deadline, period;
};

enum spec_ioprio_class { SPEC_IOPRIO_CLASS_RT = 1, SPEC_IOPRIO_CLASS_BE = 2, SPEC_IOPRIO_CLASS_IDLE = 3 };

struct spec_io_priority {
        bool set;
        enum spec_ioprio_class class;
        int priority;                   /* 0..7 */
};

struct spec_user {
        uid_t uid;
        gid_t gid;
        opt_u64 umask;
        gid_t *additional_gids;
        size_t n_additional_gids;
};

struct spec_process {
        bool terminal;
        struct { bool set; unsigned height, width; } console_size;
        char *cwd;                      /* absolute */
        char **env;                     /* NULL-terminated; may be empty */
        size_t n_env;
        char **args;                    /* NULL-terminated; n_args >= 1 */
        size_t n_args;
        struct spec_user user;
        struct spec_rlimit *rlimits;
        size_t n_rlimits;
        bool has_caps;                  /* "capabilities" present */
        struct spec_caps caps;
        bool no_new_privileges;
        char *apparmor_profile;         /* NULL when absent */
        char *selinux_label;
        opt_i64 oom_score_adj;
        struct spec_scheduler scheduler;
        struct spec_io_priority io_priority;
        char *exec_cpu_affinity_initial; /* cpu list strings, as given */
        char *exec_cpu_affinity_final;
};

/* ---- root, mounts ------------------------------------------------------- */

struct spec_root {
        char *path;                     /* as given: relative to the bundle or absolute */
        bool readonly;
};

struct spec_id_mapping {
        uint32_t container_id, host_id, size;
};

struct spec_mount {
        char *destination;              /* absolute path inside the container */
        char *type;                     /* NULL when absent */
        char *source;                   /* NULL when absent */
        char **options;                 /* NULL-terminated, as given */
        size_t n_options;
        struct spec_id_mapping *uid_mappings;   /* idmapped mounts */
        size_t n_uid_mappings;
        struct spec_id_mapping *gid_mappings;
        size_t n_gid_mappings;
};

/* ---- hooks -------------------------------------------------------------- */

struct spec_hook {
        char *path;                     /* absolute */
        char **args;                    /* NULL-terminated; may be empty */
        size_t n_args;
        char **env;
        size_t n_env;
        opt_i64 timeout;                /* seconds, > 0 when set */
};

enum spec_hook_kind {
        SPEC_HOOK_PRESTART, SPEC_HOOK_CREATE_RUNTIME, SPEC_HOOK_CREATE_CONTAINER,
        SPEC_HOOK_START_CONTAINER, SPEC_HOOK_POSTSTART, SPEC_HOOK_POSTSTOP,
        SPEC_HOOK__MAX,
};

struct spec_hook_list {
        struct spec_hook *hooks;
        size_t n;
};

/* ---- linux: namespaces, devices ---------------------------------------- */

enum spec_ns_type {
        SPEC_NS_PID, SPEC_NS_NET, SPEC_NS_MNT, SPEC_NS_IPC, SPEC_NS_UTS,
        SPEC_NS_USER, SPEC_NS_CGROUP, SPEC_NS_TIME,
        SPEC_NS__MAX,
};

struct spec_namespace {
        bool present;                   /* listed in linux.namespaces */
        char *path;                     /* join this one instead of creating; NULL = create */
};

struct spec_time_offset {
        bool set;
        int64_t secs;
        uint32_t nanosecs;
};

struct spec_device {
        char *path;                     /* absolute, inside the container */
        char type;                      /* 'c', 'b', 'u' or 'p' */
        int64_t major, minor;           /* required unless type 'p' */
        opt_u64 file_mode;
        opt_u64 uid, gid;
};

/* linux.resources.devices entry (device cgroup rule). */
struct spec_device_rule {
        bool allow;
        char type;                      /* 'a', 'c' or 'b' ('a' when absent) */
        opt_i64 major, minor;           /* unset = wildcard */
        char access[4];                 /* subset of "rwm" */
};

/* ---- linux.resources ---------------------------------------------------- */

struct spec_weight_device {
        int64_t major, minor;
        opt_u64 weight, leaf_weight;
};

struct spec_throttle_device {
        int64_t major, minor;
        uint64_t rate;
};

struct spec_hugepage_limit {
        char *page_size;                /* "2MB", "1GB", ... */
        uint64_t limit;
};

struct spec_rdma_limit {
        char *device;
        opt_u64 hca_handles, hca_objects;
};

struct spec_key_value {
        char *key, *value;
};

struct spec_resources {
        bool present;
        struct spec_device_rule *devices;
        size_t n_devices;
        struct {
                opt_i64 limit, reservation, swap, kernel, kernel_tcp;
                opt_u64 swappiness;
                opt_bool disable_oom_killer, use_hierarchy, check_before_update;
        } memory;
        struct {
                opt_u64 shares, period, realtime_period, burst;
                opt_i64 quota, realtime_runtime, idle;
                char *cpus, *mems;      /* cpuset lists; NULL when absent */
        } cpu;
        struct { opt_i64 limit; } pids;
        struct {
                opt_u64 weight, leaf_weight;
                struct spec_weight_device *weight_device;
                size_t n_weight_device;
                struct spec_throttle_device *throttle_read_bps, *throttle_write_bps,
                        *throttle_read_iops, *throttle_write_iops;
                size_t n_throttle_read_bps, n_throttle_write_bps,
                        n_throttle_read_iops, n_throttle_write_iops;
        } block_io;
        struct spec_hugepage_limit *hugepage_limits;
        size_t n_hugepage_limits;
        struct {
                opt_u64 class_id;
                struct spec_key_value *priorities;  /* value holds the decimal priority */
                size_t n_priorities;
        } network;
        struct spec_rdma_limit *rdma;
        size_t n_rdma;
        struct spec_key_value *unified;
        size_t n_unified;
};

/* ---- linux.seccomp ------------------------------------------------------ */

enum spec_seccomp_action {
        SPEC_SCMP_ACT_KILL, SPEC_SCMP_ACT_KILL_PROCESS, SPEC_SCMP_ACT_KILL_THREAD,
        SPEC_SCMP_ACT_TRAP, SPEC_SCMP_ACT_ERRNO, SPEC_SCMP_ACT_TRACE,
        SPEC_SCMP_ACT_ALLOW, SPEC_SCMP_ACT_LOG, SPEC_SCMP_ACT_NOTIFY,
};

enum spec_seccomp_op {
        SPEC_SCMP_CMP_NE, SPEC_SCMP_CMP_LT, SPEC_SCMP_CMP_LE, SPEC_SCMP_CMP_EQ,
        SPEC_SCMP_CMP_GE, SPEC_SCMP_CMP_GT, SPEC_SCMP_CMP_MASKED_EQ,
};

/* Filter flags, as bits. */
#define SPEC_SECCOMP_FLAG_TSYNC            (1u << 0)
#define SPEC_SECCOMP_FLAG_LOG              (1u << 1)
#define SPEC_SECCOMP_FLAG_SPEC_ALLOW       (1u << 2)
#define SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV (1u << 3)

struct spec_seccomp_arg {
        uint32_t index;                 /* 0..5 */
        uint64_t value, value_two;
        enum spec_seccomp_op op;
};

struct spec_seccomp_syscall {
        char **names;                   /* NULL-terminated, n_names >= 1 */
        size_t n_names;
        enum spec_seccomp_action action;
        opt_u64 errno_ret;
        struct spec_seccomp_arg *args;
        size_t n_args;
};

struct spec_seccomp {
        bool present;
        enum spec_seccomp_action default_action;
        opt_u64 default_errno_ret;
        char **architectures;           /* "SCMP_ARCH_X86_64", validated names */
        size_t n_architectures;
        unsigned flags;                 /* SPEC_SECCOMP_FLAG_* */
        char *listener_path, *listener_metadata;
        struct spec_seccomp_syscall *syscalls;
        size_t n_syscalls;
};

/* ---- linux -------------------------------------------------------------- */

enum spec_propagation {
        SPEC_PROP_UNSET, SPEC_PROP_PRIVATE, SPEC_PROP_SHARED, SPEC_PROP_SLAVE,
        SPEC_PROP_UNBINDABLE,
};

struct spec_net_device {
        char *host_name;                /* key in linux.netDevices */
        char *name;                     /* name inside the container; NULL = same */
};

struct spec_linux {
        struct spec_namespace ns[SPEC_NS__MAX];
        struct spec_id_mapping *uid_mappings;
        size_t n_uid_mappings;
        struct spec_id_mapping *gid_mappings;
        size_t n_gid_mappings;
        struct spec_time_offset time_offsets_monotonic, time_offsets_boottime;
        struct spec_device *devices;
        size_t n_devices;
        char *cgroups_path;             /* NULL when absent */
        struct spec_resources resources;
        struct spec_key_value *sysctl;
        size_t n_sysctl;
        struct spec_seccomp seccomp;
        enum spec_propagation rootfs_propagation;
        bool rootfs_propagation_recursive; /* "rshared" vs "shared", ... */
        char **masked_paths;
        size_t n_masked_paths;
        char **readonly_paths;
        size_t n_readonly_paths;
        char *mount_label;
        struct { bool set; int domain; /* PER_LINUX or PER_LINUX32 */ } personality;
        struct spec_net_device *net_devices;
        size_t n_net_devices;
        bool has_intel_rdt;             /* present: not supported, rejected by the runtime */
};

/* ---- the whole config --------------------------------------------------- */

struct spec {
        char *oci_version;
        struct spec_process process;
        bool has_process;
        struct spec_root root;
        char *hostname, *domainname;    /* NULL when absent */
        struct spec_mount *mounts;
        size_t n_mounts;
        struct spec_hook_list hooks[SPEC_HOOK__MAX];
        struct spec_key_value *annotations;
        size_t n_annotations;
        struct spec_linux linux;
        /* The JSON tree it was parsed from, freed by spec_free(): freeing it
         * takes a third of the time of the parse, better spent once the
         * container has started (run frees its spec then). */
        void *parse_tree;
};

/* Parse and validate a config from memory. `file` names the source in
 * messages ("config.json: .process.args[0]: expected string, got number").
 * On success *ret is a new spec to free with spec_free(). */
int spec_parse(const char *file, const char *buf, size_t len, struct spec **ret, struct berr *e);

/* Read <bundle_dirfd>/config.json (never following a symlink out of the
 * bundle is not needed here: the bundle is the caller's) and parse it. */
int spec_load(int bundle_dirfd, struct spec **ret, struct berr *e);
/* The same, also handing back the text that was parsed (NUL-terminated, the
 * caller frees it), for a copy that is exactly what was validated. */
int spec_load_text(int bundle_dirfd, struct spec **ret, char **ret_text, size_t *ret_len, struct berr *e);

void spec_free(struct spec *s);

/* A process object alone (runc's `exec --process FILE`), with errors naming
 * `file` and the JSON path; free its members with spec_process_free(). */
int spec_parse_process(const char *file, const char *buf, size_t len, struct spec_process *ret, struct berr *e);
void spec_process_free(struct spec_process *p);
/* A linux.resources object on its own (`update --resources`, as containerd
 * sends it); free its members with spec_resources_free(). */
int spec_resources_parse(const char *file, const char *buf, size_t len, struct spec_resources *ret, struct berr *e);
void spec_resources_free(struct spec_resources *r);
static inline void spec_freep(struct spec **s) { spec_free(*s); }
#define _cleanup_spec_ __attribute__((cleanup(spec_freep)))

/* Name tables shared by the parser, `spec` and `features`. Each returns -1
 * (or NULL) for an unknown entry. */
int spec_ns_from_name(const char *name);           /* "pid" -> SPEC_NS_PID */
const char *spec_ns_name(enum spec_ns_type t);
int spec_cap_from_name(const char *name);          /* "CAP_KILL" -> 5 */
const char *spec_cap_name(int cap);
int spec_cap_last(void);                           /* highest known capability number */
int spec_rlimit_from_name(const char *name);       /* "RLIMIT_NOFILE" -> RLIMIT_NOFILE */
const char *spec_rlimit_name(int type);
const char *spec_hook_name(enum spec_hook_kind k); /* "createRuntime", ... */
int spec_seccomp_action_from_name(const char *name);
const char *spec_seccomp_action_name(enum spec_seccomp_action a);
int spec_seccomp_op_from_name(const char *name);
const char *spec_seccomp_op_name(enum spec_seccomp_op op);
bool spec_seccomp_arch_known(const char *name);     /* "SCMP_ARCH_X86_64", ... */
int spec_seccomp_flag_from_name(const char *name);  /* -> SPEC_SECCOMP_FLAG_* bit */

/* Iterate the name tables (for `features`): NULL past the end. */
const char *spec_seccomp_action_name_at(size_t i);
const char *spec_seccomp_op_name_at(size_t i);
const char *spec_seccomp_arch_name_at(size_t i);
const char *spec_seccomp_flag_name_at(size_t i);
