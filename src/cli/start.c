/* berth start: let a created container exec its process. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>

#include "cli/cli.h"
#include "process/container.h"

static const char usage[] =
        "Usage: berth start CONTAINER_ID\n\n"
        "Start a container made by 'berth create': its process execs the workload.\n\n"
        "Options:\n"
        "  -h, --help   show this help\n";

static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        {}
};

static int start_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_start = {
        .name = "start", .summary = "start a created container", .usage = usage, .run = start_main,
};

static int start_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        int c, r;

        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                if (c == 'h')
                        return cli_help(&cli_cmd_start);
                return cli_usage_error(&cli_cmd_start, e, "unknown option \"%s\"", argv[optind - 1]);
        }
        r = cli_require_args(&cli_cmd_start, argc, optind, 1, e);
        if (r < 0)
                return r;
        return container_start(g->root, argv[optind], e);
}
