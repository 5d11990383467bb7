/* berth wait: block until a container exits; print and return its code. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "cli/cli.h"
#include "shim/client.h"
#include "state/state.h"
#include "util/cleanup.h"

static const char usage[] =
        "Usage: berth wait CONTAINER_ID\n\n"
        "Wait until a container's process exits, print its exit code and exit with\n"
        "it (128+N after signal N). The code is known for a container that a shim\n"
        "supervises; for one without (its shim was killed, or an engine reaps it)\n"
        "berth waits all the same and then reports that the code is unknown.\n\n"
        "Options:\n"
        "  -h, --help   show this help\n";

static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        {}
};

static int wait_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_wait = {
        .name = "wait", .summary = "wait for a container to exit; print its exit code", .usage = usage,
        .run = wait_main,
};

/* No shim to ask: follow the init through a pidfd, then read the record a
 * shim may have left. */
static int wait_without_shim(struct state_dir *d, struct container_state *st, struct berr *e)
{
        struct pollfd p = { .events = POLLIN };
        int r;

        if (state_status(d, st) != STATUS_STOPPED) {
                p.fd = pidfd_open(st->pid, 0);
                if (p.fd >= 0) {
                        RETRY_EINTR(poll(&p, 1, -1));
                        close(p.fd);
                }
        }
        container_state_done(st);
        r = state_read(d, st, e);
        if (r < 0)
                return r;
        if (!st->has_exit)
                return berr_set(e, -ENODATA, "exited, but its exit code is unknown: no shim supervised it");
        return st->exit.code;
}

static int wait_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct state_dir d = STATE_DIR_INIT;
        struct container_state st = {};
        _cleanup_close_ int fd = -EBADF;
        struct shim_exit x;
        int c, r;

        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                if (c == 'h')
                        return cli_help(&cli_cmd_wait);
                return cli_usage_error(&cli_cmd_wait, e, "unknown option \"%s\"", argv[optind - 1]);
        }
        r = cli_require_args(&cli_cmd_wait, argc, optind, 1, e);
        if (r < 0)
                return r;
        r = state_dir_open(g->root, argv[optind], false, &d, e);
        if (r == 0)
                r = state_read(&d, &st, e);
        if (r == 0 && st.has_exit)
                r = st.exit.code;
        else if (r == 0 && shim_connect(d.dir_fd, SHIM_REQ_WAIT, &fd) == 0 && shim_recv_exit(fd, &x) == 0)
                r = x.code;
        else if (r == 0)
                r = wait_without_shim(&d, &st, e);
        if (r >= 0)
                printf("%d\n", r);
        container_state_done(&st);
        state_dir_close(&d);
        return r < 0 ? berr_wrap(e, "container %s", argv[optind]) : r;
}
