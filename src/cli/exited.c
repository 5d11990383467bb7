/* berth _exited: the shim's exit helper (hidden). Run by a container's shim
 * once the init has exited and its exit is recorded. */
#include "config.h"

#include <stddef.h>

#include "cli/cli.h"
#include "process/container.h"

static const char usage[] =
        "Usage: berth _exited CONTAINER_ID\n\n"
        "Internal: a container's shim runs this once the container has exited, to\n"
        "run its poststop hooks (see berth(8), \"The shim\").\n";

static int exited_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_exited = {
        .name = "_exited", .summary = "the shim's exit helper", .usage = usage, .run = exited_main,
        .hidden = true,
};

static int exited_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        int r = cli_require_args(&cli_cmd_exited, argc, 1, 1, e);

        return r < 0 ? r : container_exited(g->root, argv[1], e);
}
