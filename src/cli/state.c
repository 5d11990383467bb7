/* berth state: print a container's OCI state as JSON. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "state/state.h"
#include "util/json.h"

static const char usage[] =
        "Usage: berth state CONTAINER_ID\n\n"
        "Print the state of a container as OCI state JSON: ociVersion, id, pid, status\n"
        "(created, running, paused or stopped), bundle, rootfs, created, owner and\n"
        "annotations. For a stopped container whose exit a shim recorded, also\n"
        "exitCode (128+N after signal N), exitSignal (when killed) and exitedAt.\n\n"
        "Options:\n"
        "  -h, --help   show this help\n";

static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        {}
};

static int state_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_state = {
        .name = "state", .summary = "print the state of a container", .usage = usage, .run = state_main,
};

static int state_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct state_dir d = STATE_DIR_INIT;
        struct container_state st = {};
        _cleanup_jw_ struct jw *w = NULL;
        const char *text;
        size_t len;
        int c, r;

        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                if (c == 'h')
                        return cli_help(&cli_cmd_state);
                return cli_usage_error(&cli_cmd_state, e, "unknown option \"%s\"", argv[optind - 1]);
        }
        r = cli_require_args(&cli_cmd_state, argc, optind, 1, e);
        if (r < 0)
                return r;
        r = state_dir_open(g->root, argv[optind], false, &d, e);
        if (r == 0)
                r = state_read(&d, &st, e);
        if (r < 0) {
                state_dir_close(&d);
                return berr_wrap(e, "container %s", argv[optind]);
        }
        w = jw_new(JW_PRETTY_2SP);
        if (w) {
                state_write_oci(w, &st, state_status(&d, &st));
                text = jw_text(w, &len);
                /* The pretty printer ends with a newline already. */
                printf("%.*s%s", (int)len, text, len && text[len - 1] == '\n' ? "" : "\n");
        } else {
                r = berr_set(e, -ENOMEM, "out of memory");
        }
        container_state_done(&st);
        state_dir_close(&d);
        return r;
}
