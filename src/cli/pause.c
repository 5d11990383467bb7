/* berth pause: suspend all processes of a container. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>

#include "cli/cli.h"
#include "process/control.h"

static const char usage[] =
        "Usage: berth pause CONTAINER_ID\n\n"
        "Suspend every process of a running container (cgroup.freeze) and wait\n"
        "until the kernel reports the group frozen. 'berth resume' undoes it;\n"
        "'berth state' reports \"paused\" meanwhile.\n\n"
        "Options:\n"
        "  -h, --help   show this help\n";

static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        {}
};

static int pause_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_pause = {
        .name = "pause", .summary = "suspend all processes of a container", .usage = usage, .run = pause_main,
};

static int pause_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        int c, r;

        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                switch (c) {
                case 'h': return cli_help(&cli_cmd_pause);
                default: return cli_usage_error(&cli_cmd_pause, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_pause, argc, optind, 1, e);
        return r < 0 ? r : container_pause(g->root, argv[optind], e);
}
