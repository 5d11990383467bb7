/* berth create: make a container that waits for `berth start`. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>

#include "cli/cli.h"
#include "process/container.h"

static const char usage[] =
        "Usage: berth create [OPTIONS] CONTAINER_ID\n\n"
        "Create a container from a bundle. Its process is set up (namespaces, mounts,\n"
        "user, capabilities) and waits, in the \"created\" state, until 'berth start'.\n\n"
        "Options:\n"
        "  -b, --bundle DIR          bundle directory holding config.json (default: .)\n"
        "      --pid-file FILE       write the container init's pid to FILE\n"
        "      --console-socket SOCK unix socket to receive the pty master (terminals\n"
        "                            are not supported yet)\n"
        "  -h, --help                show this help\n";

enum { OPT_PID_FILE = 256, OPT_CONSOLE_SOCKET, OPT_IGNORED };

static const struct option opts[] = {
        { "bundle", required_argument, NULL, 'b' },
        { "pid-file", required_argument, NULL, OPT_PID_FILE },
        { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
        { "no-pivot", no_argument, NULL, OPT_IGNORED },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int create_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_create = {
        .name = "create", .summary = "create a container", .usage = usage, .run = create_main,
};

static int create_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct container_create_opts o = { .root = g->root };
        pid_t pid;
        int c, r;

        while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
                switch (c) {
                case 'b': o.bundle = optarg; break;
                case OPT_PID_FILE: o.pid_file = optarg; break;
                case OPT_CONSOLE_SOCKET: o.console_socket = optarg; break;
                case OPT_IGNORED: return cli_usage_error(&cli_cmd_create, e, "--no-pivot is not supported yet");
                case 'h': return cli_help(&cli_cmd_create);
                default: return cli_usage_error(&cli_cmd_create, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_create, argc, optind, 1, e);
        if (r < 0)
                return r;
        o.id = argv[optind];
        r = container_create(&o, &pid, NULL, e);
        return r < 0 ? r : 0;
}
