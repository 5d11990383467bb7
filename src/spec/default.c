/* spec/default: the starter config.json (see default.h).
 *
 * The content is runc's example spec (libcontainer/specconv/example.go in
 * runc 1.1.5) key for key, so that scripts and tutorials written for
 * `runc spec` keep working; only ociVersion and hostname are ours. The
 * rootless variant is runc's ToRootless() applied to it. */
#include "config.h"

#include <string.h>

#include "spec/default.h"
#include "spec/spec.h"
#include "util/cleanup.h"

#define STRV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char *const default_env[] = {
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "TERM=xterm",
        NULL,
};

static const char *const default_caps[] = {
        "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL,
};

/* runc's key order: the Go struct's field order, without inheritable. */
static const char *const default_cap_sets[] = { "bounding", "effective", "permitted", "ambient" };

struct default_mount {
        const char *destination, *type, *source;
        const char *const *options;
};

static const struct default_mount default_mounts[] = {
        { "/proc", "proc", "proc", NULL },
        { "/dev", "tmpfs", "tmpfs", STRV("nosuid", "strictatime", "mode=755", "size=65536k") },
        { "/dev/pts", "devpts", "devpts",
          STRV("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5") },
        { "/dev/shm", "tmpfs", "shm", STRV("nosuid", "noexec", "nodev", "mode=1777", "size=65536k") },
        { "/dev/mqueue", "mqueue", "mqueue", STRV("nosuid", "noexec", "nodev") },
        { "/sys", "sysfs", "sysfs", STRV("nosuid", "noexec", "nodev", "ro") },
        { "/sys/fs/cgroup", "cgroup", "cgroup", STRV("nosuid", "noexec", "nodev", "relatime", "ro") },
};

/* Without root on the host a new sysfs cannot be mounted (it belongs to the
 * host's network namespace, which we keep); bind the host's instead. */
static const struct default_mount rootless_sys_mount = {
        "/sys", "none", "/sys", STRV("rbind", "nosuid", "noexec", "nodev", "ro"),
};

static const enum spec_ns_type default_namespaces[] = {
        SPEC_NS_PID, SPEC_NS_NET, SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_MNT,
};

static const char *const default_masked_paths[] = {
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
        "/proc/scsi", NULL,
};

static const char *const default_readonly_paths[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

static void write_strv(struct jw *w, const char *key, const char *const *v)
{
        jw_key(w, key);
        jw_arr_begin(w);
        for (; *v; v++)
                jw_str(w, *v);
        jw_arr_end(w);
}

/* A rootless user cannot pick the owner of a new devpts or tmpfs: the uid
 * or gid it names is not mapped. runc drops such options; so do we. */
static bool option_kept(const char *opt, bool rootless)
{
        return !rootless || (strncmp(opt, "uid=", 4) != 0 && strncmp(opt, "gid=", 4) != 0);
}

static void write_mount(struct jw *w, const struct default_mount *m, bool rootless)
{
        size_t kept = 0;

        jw_obj_begin(w);
        jw_kstr(w, "destination", m->destination);
        jw_kstr(w, "type", m->type);
        jw_kstr(w, "source", m->source);
        for (const char *const *o = m->options; o && *o; o++)
                kept += option_kept(*o, rootless);
        if (kept > 0) {         /* runc omits an empty list */
                jw_key(w, "options");
                jw_arr_begin(w);
                for (const char *const *o = m->options; *o; o++)
                        if (option_kept(*o, rootless))
                                jw_str(w, *o);
                jw_arr_end(w);
        }
        jw_obj_end(w);
}

static void write_process(struct jw *w)
{
        jw_key(w, "process");
        jw_obj_begin(w);
        jw_kbool(w, "terminal", true);
        jw_key(w, "user");
        jw_obj_begin(w);
        jw_kint(w, "uid", 0);
        jw_kint(w, "gid", 0);
        jw_obj_end(w);
        write_strv(w, "args", STRV("sh"));
        write_strv(w, "env", default_env);
        jw_kstr(w, "cwd", "/");
        jw_key(w, "capabilities");
        jw_obj_begin(w);
        for (size_t i = 0; i < ELEMENTSOF(default_cap_sets); i++)
                write_strv(w, default_cap_sets[i], default_caps);
        jw_obj_end(w);
        jw_key(w, "rlimits");
        jw_arr_begin(w);
        jw_obj_begin(w);
        jw_kstr(w, "type", "RLIMIT_NOFILE");
        jw_kuint(w, "hard", 1024);
        jw_kuint(w, "soft", 1024);
        jw_obj_end(w);
        jw_arr_end(w);
        jw_kbool(w, "noNewPrivileges", true);
        jw_obj_end(w);
}

static void write_mounts(struct jw *w, bool rootless)
{
        jw_key(w, "mounts");
        jw_arr_begin(w);
        for (size_t i = 0; i < ELEMENTSOF(default_mounts); i++) {
                const struct default_mount *m = &default_mounts[i];

                if (rootless && strcmp(m->destination, "/sys") == 0)
                        m = &rootless_sys_mount;
                write_mount(w, m, rootless);
        }
        jw_arr_end(w);
}

static void write_id_mapping(struct jw *w, const char *key, uint32_t host_id)
{
        jw_key(w, key);
        jw_arr_begin(w);
        jw_obj_begin(w);
        jw_kuint(w, "containerID", 0);
        jw_kuint(w, "hostID", host_id);
        jw_kuint(w, "size", 1);
        jw_obj_end(w);
        jw_arr_end(w);
}

/* Rootless: the caller cannot create a network namespace with any link to
 * the outside, so it keeps the host's, and gets a user namespace instead. */
static void write_namespaces(struct jw *w, bool rootless)
{
        jw_key(w, "namespaces");
        jw_arr_begin(w);
        for (size_t i = 0; i < ELEMENTSOF(default_namespaces); i++) {
                if (rootless && default_namespaces[i] == SPEC_NS_NET)
                        continue;
                jw_obj_begin(w);
                jw_kstr(w, "type", spec_ns_name(default_namespaces[i]));
                jw_obj_end(w);
        }
        if (rootless) {
                jw_obj_begin(w);
                jw_kstr(w, "type", spec_ns_name(SPEC_NS_USER));
                jw_obj_end(w);
        }
        jw_arr_end(w);
}

static void write_linux(struct jw *w, bool rootless, uid_t uid, gid_t gid)
{
        jw_key(w, "linux");
        jw_obj_begin(w);
        if (rootless) {
                write_id_mapping(w, "uidMappings", uid);
                write_id_mapping(w, "gidMappings", gid);
        } else {
                /* Deny every device node; the runtime adds the standard ones.
                 * Rootless has no cgroup to write this to, so runc drops it. */
                jw_key(w, "resources");
                jw_obj_begin(w);
                jw_key(w, "devices");
                jw_arr_begin(w);
                jw_obj_begin(w);
                jw_kbool(w, "allow", false);
                jw_kstr(w, "access", "rwm");
                jw_obj_end(w);
                jw_arr_end(w);
                jw_obj_end(w);
        }
        write_namespaces(w, rootless);
        write_strv(w, "maskedPaths", default_masked_paths);
        write_strv(w, "readonlyPaths", default_readonly_paths);
        jw_obj_end(w);
}

int spec_default_write(struct jw *w, bool rootless, uid_t uid, gid_t gid)
{
        jw_obj_begin(w);
        jw_kstr(w, "ociVersion", "1.2.0");
        write_process(w);
        jw_key(w, "root");
        jw_obj_begin(w);
        jw_kstr(w, "path", "rootfs");
        jw_kbool(w, "readonly", true);
        jw_obj_end(w);
        jw_kstr(w, "hostname", "berth");
        write_mounts(w, rootless);
        write_linux(w, rootless, uid, gid);
        jw_obj_end(w);
        return jw_error(w);
}
