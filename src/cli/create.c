/* berth create: make a container that waits for `berth start`; and the
 * options create shares with run. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "process/container.h"
#include "spec/spec.h"
#include "shim/shim.h"

static const char usage[] =
        "Usage: berth create [OPTIONS] CONTAINER_ID\n\n"
        "Create a container from a bundle. Its process is set up (namespaces, mounts,\n"
        "user, capabilities) and waits, in the \"created\" state, until 'berth start'.\n"
        "Unless berth's caller reaps it (conmon, containerd's shim), a shim supervises\n"
        "it: its output goes to a log ('berth logs'), a terminal is held for\n"
        "'berth attach', and its exit is recorded ('berth state', 'berth wait').\n\n"
        "Options:\n"
        CLI_CREATE_USAGE
        "  -h, --help                show this help\n";

static const struct option opts[] = {
        CLI_CREATE_OPTIONS,
        { "help", no_argument, NULL, 'h' },
        {}
};

static int create_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_create = {
        .name = "create", .summary = "create a container", .usage = usage, .run = create_main,
};

int cli_create_option(const struct cli_command *cmd, int c, const char *arg, struct container_create_opts *o,
                      struct shim_opts *so, struct berr *e)
{
        char *end;
        unsigned long n;

        switch (c) {
        case 'b': o->bundle = arg; return 1;
        case CLI_OPT_PID_FILE: o->pid_file = arg; return 1;
        case CLI_OPT_CONSOLE_SOCKET: o->console_socket = arg; return 1;
        case CLI_OPT_NO_PIVOT: o->no_pivot = true; return 1;
        case CLI_OPT_NO_NEW_KEYRING: o->no_new_keyring = true; return 1;
        case CLI_OPT_LOG_PATH: so->log_path = arg; return 1;
        case CLI_OPT_PRESERVE_FDS:
                errno = 0;
                n = strtoul(arg, &end, 10);
                if (errno || *end || !arg[0] || arg[0] == '-' || n > 65536)
                        return cli_usage_error(cmd, e, "--preserve-fds: expected a number of fds, got \"%s\"", arg);
                o->preserve_fds = (unsigned)n;
                return 1;
        }
        return 0;
}

/* sd_listen_fds(): the variables are for us only if LISTEN_PID is ours. */
void cli_create_listen_fds(struct container_create_opts *o)
{
        const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
        char *end;
        unsigned long n;

        if (!fds || !pid || strtol(pid, &end, 10) != (long)getpid() || *end)
                return;
        n = strtoul(fds, &end, 10);
        if (*end || n == 0 || n > 65536)
                return;
        o->listen_fds = (unsigned)n;
}

int cli_create_detached(struct cli_global *g, const struct container_create_opts *o, const struct shim_opts *so,
                        struct berr *e)
{
        struct berr ignored;
        bool shim;
        pid_t pid;
        int r;

        r = shim_decide(g->shim_mode, &shim, e);
        if (r < 0)
                return r;
        if (shim)
                return shim_create(o, so, e);
        if (so->log_path || so->rm)
                return berr_set(e, -EINVAL, "%s needs a shim, and berth's caller reaps this container itself "
                                "(see --shim in berth(8))", so->log_path ? "--log-path" : "--rm");
        r = container_create(o, &pid, NULL, NULL, e);
        if (r < 0 || !so->start)
                return r;
        r = container_start(o->root, o->id, e);
        if (r < 0)
                container_delete(o->root, o->id, true, &ignored);
        return r;
}

static int create_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct container_create_opts o = { .root = g->root };
        struct shim_opts so = {};
        int c, r;

        while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
                r = cli_create_option(&cli_cmd_create, c, optarg, &o, &so, e);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                if (c == 'h')
                        return cli_help(&cli_cmd_create);
                return cli_usage_error(&cli_cmd_create, e, "unknown option \"%s\"", argv[optind - 1]);
        }
        r = cli_require_args(&cli_cmd_create, argc, optind, 1, e);
        if (r < 0)
                return r;
        o.id = argv[optind];
        cli_create_listen_fds(&o);
        r = container_create_prepare(&o, e);
        if (r == 0)
                r = cli_create_detached(g, &o, &so, e);
        container_create_opts_done(&o);
        return r < 0 ? r : 0;
}
