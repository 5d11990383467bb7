/* berth kill: send a signal to a container's process (or all of them). */
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <signal.h>

#include "cli/cli.h"
#include "process/container.h"
#include "util/signals.h"

static const char usage[] =
        "Usage: berth kill [OPTIONS] CONTAINER_ID [SIGNAL]\n\n"
        "Send SIGNAL (default SIGTERM) to the container's init process. SIGNAL is a\n"
        "number (9), a name (KILL, SIGKILL, kill) or RTMIN+N / RTMAX-N.\n\n"
        "Options:\n"
        "  -a, --all    signal every process of the container\n"
        "  -h, --help   show this help\n";

static const struct option opts[] = {
        { "all", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int kill_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_kill = {
        .name = "kill", .summary = "send a signal to a container", .usage = usage, .run = kill_main,
};

static int kill_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        bool all = false;
        int c, sig = SIGTERM;

        while ((c = getopt_long(argc, argv, "+ah", opts, NULL)) != -1) {
                switch (c) {
                case 'a': all = true; break;
                case 'h': return cli_help(&cli_cmd_kill);
                default: return cli_usage_error(&cli_cmd_kill, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        if (argc - optind < 1 || argc - optind > 2)
                return cli_usage_error(&cli_cmd_kill, e, "expected CONTAINER_ID [SIGNAL]");
        if (argc - optind == 2) {
                sig = signal_from_string(argv[optind + 1]);
                if (sig < 0)
                        return berr_set(e, sig, "invalid signal \"%s\"", argv[optind + 1]);
        }
        return container_kill(g->root, argv[optind], sig, all, e);
}
