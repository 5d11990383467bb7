/* berth resume: resume a paused container. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>

#include "cli/cli.h"
#include "process/control.h"

static const char usage[] =
        "Usage: berth resume CONTAINER_ID\n\n"
        "Resume the processes of a paused container.\n\n"
        "Options:\n"
        "  -h, --help   show this help\n";

static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        {}
};

static int resume_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_resume = {
        .name = "resume", .summary = "resume a paused container", .usage = usage, .run = resume_main,
};

static int resume_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        int c, r;

        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                switch (c) {
                case 'h': return cli_help(&cli_cmd_resume);
                default: return cli_usage_error(&cli_cmd_resume, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_resume, argc, optind, 1, e);
        return r < 0 ? r : container_resume(g->root, argv[optind], e);
}
