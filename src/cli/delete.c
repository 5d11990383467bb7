/* berth delete: remove a stopped (or, with --force, any) container. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>

#include "cli/cli.h"
#include "process/container.h"

static const char usage[] =
        "Usage: berth delete [OPTIONS] CONTAINER_ID\n\n"
        "Delete a container and everything berth holds for it. A created container is\n"
        "killed first; a running or paused one only with --force.\n\n"
        "Options:\n"
        "  -f, --force  kill the container if it runs; succeed if it does not exist\n"
        "  -h, --help   show this help\n";

static const struct option opts[] = {
        { "force", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int delete_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_delete = {
        .name = "delete", .summary = "delete a container", .usage = usage, .run = delete_main,
};

static int delete_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        bool force = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
                switch (c) {
                case 'f': force = true; break;
                case 'h': return cli_help(&cli_cmd_delete);
                default: return cli_usage_error(&cli_cmd_delete, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_delete, argc, optind, 1, e);
        if (r < 0)
                return r;
        return container_delete(g->root, argv[optind], force, e);
}
