/* cli/features: `berth features` prints the OCI features document
 * (runtime-spec features.md, features-linux.md) for this build.
 *
 * What berth supports is stated once, in `supported` below: flip an entry
 * when the feature lands. The name lists come from the tables the parsers
 * use (spec/, mount/options.c), so they cannot drift from what is accepted. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mount/options.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "seccomp/seccomp.h"
#include "util/json.h"

static const struct {
        bool namespaces[SPEC_NS__MAX];
        bool cgroup_v1, cgroup_v2, cgroup_systemd, cgroup_systemd_user, cgroup_rdma;
        bool seccomp, apparmor, selinux, intel_rdt, idmap_mounts, net_devices;
} supported = {
        .namespaces = {
                [SPEC_NS_CGROUP] = true, [SPEC_NS_IPC] = true, [SPEC_NS_MNT] = true,
                [SPEC_NS_NET] = true, [SPEC_NS_PID] = true, [SPEC_NS_USER] = true,
                [SPEC_NS_UTS] = true, [SPEC_NS_TIME] = true,
        },
        .cgroup_v1 = false, .cgroup_v2 = true, .cgroup_systemd = false,
        .cgroup_systemd_user = false, .cgroup_rdma = true,
        .seccomp = true, .apparmor = true, .selinux = true, .intel_rdt = false,
        .idmap_mounts = true, .net_devices = true,
};

static const char features_usage[] =
        "Usage: berth features\n"
        "\n"
        "Show the features this build of berth supports, as the JSON features\n"
        "document of the OCI runtime specification (features.md): the config.json\n"
        "versions, hooks, mount options, namespaces, capabilities, cgroup managers,\n"
        "seccomp and security modules it recognises. It describes berth, not the\n"
        "host: a listed feature can still fail where the kernel lacks it.\n"
        "\n"
        "Options:\n"
        "  -h, --help  show this help\n";

static const struct option features_opts[] = {
        { "help", no_argument, NULL, 'h' },
        {}
};

static int features_run(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_features = {
        .name = "features",
        .summary = "show the features this build supports (JSON)",
        .usage = features_usage,
        .run = features_run,
};

static const char *hook_name_at(size_t i)
{
        return i < SPEC_HOOK__MAX ? spec_hook_name((enum spec_hook_kind)i) : NULL;
}

/* The supported namespaces only; NULL past the end. */
static const char *ns_name_at(size_t i)
{
        for (size_t t = 0; t < SPEC_NS__MAX; t++)
                if (supported.namespaces[t] && i-- == 0)
                        return spec_ns_name((enum spec_ns_type)t);
        return NULL;
}


static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* key: [names...] sorted, as runc prints them, from an iterator. */
static int write_sorted(struct jw *w, const char *key, const char *(*name_at)(size_t))
{
        _cleanup_free_ const char **names = NULL;
        size_t n = 0;

        while (name_at(n))
                n++;
        names = calloc(n + 1, sizeof(*names));
        if (!names)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                names[i] = name_at(i);
        qsort(names, n, sizeof(*names), cmp_str);
        jw_key(w, key);
        jw_arr_begin(w);
        for (size_t i = 0; i < n; i++)
                jw_str(w, names[i]);
        jw_arr_end(w);
        return 0;
}

/* Capabilities in number order, as runc prints them. */
static void write_capabilities(struct jw *w)
{
        jw_key(w, "capabilities");
        jw_arr_begin(w);
        for (int cap = 0; cap <= spec_cap_last(); cap++)
                if (spec_cap_name(cap))
                        jw_str(w, spec_cap_name(cap));
        jw_arr_end(w);
}

static void write_enabled(struct jw *w, const char *key, bool enabled)
{
        jw_key(w, key);
        jw_obj_begin(w);
        jw_kbool(w, "enabled", enabled);
        jw_obj_end(w);
}

/* supportedFlags: the known flags that this kernel accepts too. */
static int write_supported_flags(struct jw *w)
{
        const char *name;

        jw_key(w, "supportedFlags");
        jw_arr_begin(w);
        for (size_t i = 0; (name = spec_seccomp_flag_name_at(i)); i++)
                if (seccomp_flag_supported(name))
                        jw_str(w, name);
        jw_arr_end(w);
        return jw_error(w);
}

/* features.md: an absent property means "not stated", an empty list "none".
 * So the vocabularies are listed only when seccomp is enabled: the parser
 * knows the names either way, but a caller must not read them as usable. */
static int write_seccomp(struct jw *w)
{
        int r = 0;

        jw_key(w, "seccomp");
        jw_obj_begin(w);
        jw_kbool(w, "enabled", supported.seccomp);
        if (supported.seccomp) {
                r = write_sorted(w, "actions", spec_seccomp_action_name_at);
                if (r == 0)
                        r = write_sorted(w, "operators", spec_seccomp_op_name_at);
                if (r == 0)
                        r = write_sorted(w, "archs", spec_seccomp_arch_name_at);
                if (r == 0)
                        r = write_sorted(w, "knownFlags", spec_seccomp_flag_name_at);
                if (r == 0)
                        r = write_supported_flags(w);
        }
        jw_obj_end(w);
        return r;
}

static int write_linux(struct jw *w)
{
        int r;

        jw_key(w, "linux");
        jw_obj_begin(w);
        r = write_sorted(w, "namespaces", ns_name_at);
        if (r < 0)
                return r;
        write_capabilities(w);
        jw_key(w, "cgroup");
        jw_obj_begin(w);
        jw_kbool(w, "v1", supported.cgroup_v1);
        jw_kbool(w, "v2", supported.cgroup_v2);
        jw_kbool(w, "systemd", supported.cgroup_systemd);
        jw_kbool(w, "systemdUser", supported.cgroup_systemd_user);
        jw_kbool(w, "rdma", supported.cgroup_rdma);
        jw_obj_end(w);
        r = write_seccomp(w);
        if (r < 0)
                return r;
        write_enabled(w, "apparmor", supported.apparmor);
        write_enabled(w, "selinux", supported.selinux);
        write_enabled(w, "intelRdt", supported.intel_rdt);
        jw_key(w, "mountExtensions");
        jw_obj_begin(w);
        write_enabled(w, "idmap", supported.idmap_mounts);
        jw_obj_end(w);
        write_enabled(w, "netDevices", supported.net_devices);
        jw_obj_end(w);
        return 0;
}

static void write_annotations(struct jw *w)
{
        const struct scmp_version *sv = seccomp_version();
        char v[64];

        jw_key(w, "annotations");
        jw_obj_begin(w);
        snprintf(v, sizeof(v), "%u.%u.%u", sv->major, sv->minor, sv->micro);
        jw_kstr(w, "io.github.seccomp.libseccomp.version", v);
        jw_kstr(w, "run.berth.version", PACKAGE_VERSION);
        jw_obj_end(w);
}

static int features_write(struct jw *w)
{
        int r;

        jw_obj_begin(w);
        jw_kstr(w, "ociVersionMin", "1.0.0");
        jw_kstr(w, "ociVersionMax", "1.2.0");
        r = write_sorted(w, "hooks", hook_name_at);
        if (r == 0)
                r = write_sorted(w, "mountOptions", mount_opts_name_at);
        if (r == 0)
                r = write_linux(w);
        if (r < 0)
                return r;
        write_annotations(w);
        jw_obj_end(w);
        return jw_error(w);
}

static int features_run(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        _cleanup_jw_ struct jw *w = NULL;
        const char *text;
        size_t len;
        int r;

        opterr = 0;
        for (;;) {
                int at = optind > 0 ? optind : 1;       /* the element getopt reads */
                int c = getopt_long(argc, argv, "+h", features_opts, NULL);

                if (c == -1)
                        break;
                if (c == 'h')
                        return cli_help(&cli_cmd_features);
                return cli_usage_error(&cli_cmd_features, e, "unknown option %s", argv[at]);
        }
        r = cli_require_args(&cli_cmd_features, argc, optind, 0, e);
        if (r < 0)
                return r;
        w = jw_new(JW_PRETTY_2SP);
        if (!w)
                return berr_sys(e, -ENOMEM, "features");
        r = features_write(w);
        if (r < 0)
                return berr_sys(e, r, "features");
        text = jw_text(w, &len);
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
                return berr_sys(e, -(errno ? errno : EIO), "features: write to stdout");
        return 0;
}
