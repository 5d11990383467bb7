/* main: global flags, command dispatch, and the one place errors are printed. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>
#include <yajl/yajl_version.h>

#include "cli/cli.h"
#include "security/selfexe.h"
#include "shim/shim.h"
#include "util/cleanup.h"
#include "util/log.h"

static const struct cli_command *const commands[] = {
        &cli_cmd_attach, &cli_cmd_create, &cli_cmd_delete, &cli_cmd_events, &cli_cmd_exec, &cli_cmd_features, &cli_cmd_kill,
        &cli_cmd_list, &cli_cmd_logs, &cli_cmd_pause, &cli_cmd_ps, &cli_cmd_resume, &cli_cmd_run, &cli_cmd_spec,
        &cli_cmd_start, &cli_cmd_state, &cli_cmd_update, &cli_cmd_wait, &cli_cmd_exited,
};

static void print_help(void)
{
        printf("Usage: berth [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS...]\n\n"
               "berth runs OCI containers: it reads a bundle (config.json and a root\n"
               "filesystem) and creates, starts and manages containers, with the same\n"
               "commands, flags and JSON as runc.\n\nCommands:\n");
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (!commands[i]->hidden)
                        printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
        printf("\nGlobal options:\n"
               "  --root DIR          state directory (default /run/berth; $XDG_RUNTIME_DIR/berth\n"
               "                      when not root)\n"
               "  --log FILE          write log records to FILE instead of stderr\n"
               "  --log-format FMT    text (default) or json: one {\"level\",\"msg\",\"time\"} per line\n"
               "  --log-level LEVEL   error, warning (default), info or debug\n"
               "  --debug             same as --log-level debug\n"
               "  --shim              give every detached container a shim (see berth(8))\n"
               "  --no-shim           never: the caller reaps containers, as with runc\n"
               "                      (default: a shim unless berth's parent is a subreaper)\n"
               "  --systemd-cgroup    manage cgroups through systemd (not supported yet)\n"
               "  --rootless VALUE    accepted for runc compatibility; berth detects rootless itself\n"
               "  -h, --help          show this help\n"
               "  -v, --version       show the version and the libraries berth was built with\n"
               "\nRun 'berth COMMAND --help' for a command's options. See berth(8).\n");
}

static void print_version(void)
{
        const struct scmp_version *sv = seccomp_version();

        printf("berth version %s\n", PACKAGE_VERSION);
        printf("spec: 1.2.0\n");
        printf("libseccomp: %u.%u.%u\n", sv->major, sv->minor, sv->micro);
        printf("libcap: %d.%d\n", LIBCAP_MAJOR, LIBCAP_MINOR);
        printf("yajl: %d.%d.%d\n", YAJL_MAJOR, YAJL_MINOR, YAJL_MICRO);
        printf("libmnl: %s (berth-netdev)\n", BERTH_LIBMNL_VERSION);
}

int cli_help(const struct cli_command *cmd)
{
        fputs(cmd->usage, stdout);
        return 0;
}

int cli_usage_error(const struct cli_command *cmd, struct berr *e, const char *fmt, ...)
{
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        return berr_set(e, -EINVAL, "%s: %s (see 'berth %s --help')", cmd->name, msg, cmd->name);
}

int cli_require_args(const struct cli_command *cmd, int argc, int first, int n, struct berr *e)
{
        int have = argc - first;

        if (have < n)
                return cli_usage_error(cmd, e, "expected %d argument%s, got %d", n, n == 1 ? "" : "s", have);
        if (have > n)
                return cli_usage_error(cmd, e, "expected %d argument%s, got %d", n, n == 1 ? "" : "s", have);
        return 0;
}

static char *default_root(void)
{
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        char *r = NULL;

        if (geteuid() == 0)
                return strdup("/run/berth");
        if (xdg && xdg[0] == '/') {
                if (asprintf(&r, "%s/berth", xdg) < 0)
                        return NULL;
                return r;
        }
        /* Documented fallback when XDG_RUNTIME_DIR is unset. */
        if (asprintf(&r, "/tmp/berth-%u", (unsigned)geteuid()) < 0)
                return NULL;
        return r;
}

enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_LOG_LEVEL, OPT_DEBUG, OPT_SYSTEMD_CGROUP,
       OPT_ROOTLESS, OPT_CRIU, OPT_SHIM, OPT_NO_SHIM };

static const struct option global_opts[] = {
        { "root", required_argument, NULL, OPT_ROOT },
        { "log", required_argument, NULL, OPT_LOG },
        { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
        { "log-level", required_argument, NULL, OPT_LOG_LEVEL },
        { "debug", no_argument, NULL, OPT_DEBUG },
        { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
        { "rootless", required_argument, NULL, OPT_ROOTLESS },
        { "criu", required_argument, NULL, OPT_CRIU },
        { "shim", no_argument, NULL, OPT_SHIM },
        { "no-shim", no_argument, NULL, OPT_NO_SHIM },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'v' },
        {}
};

static int parse_globals(int argc, char **argv, struct cli_global *g, struct berr *e)
{
        int c;

        opterr = 0;
        while ((c = getopt_long(argc, argv, "+hv", global_opts, NULL)) != -1) {
                switch (c) {
                case OPT_ROOT: g->root = optarg; break;
                case OPT_LOG: g->log_file = optarg; break;
                case OPT_LOG_FORMAT: g->log_format = optarg; break;
                case OPT_LOG_LEVEL: g->log_level = optarg; break;
                case OPT_DEBUG: g->debug = true; break;
                case OPT_SYSTEMD_CGROUP: g->systemd_cgroup = true; break;
                case OPT_SHIM: g->shim_mode = SHIM_MODE_ALWAYS; break;
                case OPT_NO_SHIM: g->shim_mode = SHIM_MODE_NEVER; break;
                case OPT_ROOTLESS: case OPT_CRIU: break;        /* runc compatibility */
                case 'h': print_help(); return 1;
                case 'v': print_version(); return 1;
                default:
                        return berr_set(e, -EINVAL, "unknown global option \"%s\" (see 'berth --help')",
                                        argv[optind - 1]);
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        struct cli_global g = { .argv0 = argv[0] };
        _cleanup_free_ char *root = NULL;
        const struct cli_command *cmd = NULL;
        struct berr e = {};
        int r;

        /* Before getopt reorders argv: a re-execution gets it as given. */
        r = selfexe_init(argv, &e);
        if (r < 0)
                goto fail;
        r = parse_globals(argc, argv, &g, &e);
        if (r > 0)
                return 0;
        if (r == 0)
                r = log_setup(g.log_file, g.log_format, g.log_level, g.debug, &e);
        if (r < 0)
                goto fail;
        if (optind >= argc) {
                print_help();
                return 1;
        }
        if (strcmp(argv[optind], "help") == 0) {
                print_help();
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (strcmp(commands[i]->name, argv[optind]) == 0)
                        cmd = commands[i];
        if (!cmd) {
                r = berr_set(&e, -EINVAL, "unknown command \"%s\" (see 'berth --help')", argv[optind]);
                goto fail;
        }
        if (g.systemd_cgroup) {
                r = berr_set(&e, -EOPNOTSUPP, "--systemd-cgroup is not supported yet: berth manages cgroupfs directly");
                goto fail;
        }
        if (!g.root) {
                root = default_root();
                if (!root) {
                        r = berr_set(&e, -ENOMEM, "out of memory");
                        goto fail;
                }
                g.root = root;
        }
        /* Commands parse their own options from their name onwards: argv[0]
         * is the command name, and optind = 0 makes getopt start afresh. */
        {
                int first = optind;

                optind = 0;
                r = cmd->run(&g, argc - first, argv + first, &e);
        }
        if (r >= 0) {
                log_close();
                return r;
        }
fail:
        log_fatal(e.msg[0] ? e.msg : "unknown error");
        log_close();
        return 1;
}
