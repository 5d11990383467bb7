/* berth run: create and start a container; in the foreground, forward
 * signals to it, wait for it, delete it, and exit with its status. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <unistd.h>

#include "cli/cli.h"
#include "process/container.h"
#include "process/foreground.h"
#include "process/hooks.h"
#include "shim/shim.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/log.h"

static const char usage[] =
        "Usage: berth run [OPTIONS] CONTAINER_ID\n\n"
        "Create and start a container. In the foreground, berth forwards the signals it\n"
        "receives to the container, waits for it to exit, deletes it, and exits with\n"
        "the workload's status (128+N when it was killed by signal N). With\n"
        "process.terminal and no --console-socket, berth relays its own terminal to\n"
        "the container's pty (raw mode, window size followed).\n\n"
        "Options:\n"
        CLI_CREATE_USAGE
        "  -d, --detach              start the container and return at once (under a\n"
        "                            shim unless berth's caller reaps it, see create)\n"
        "      --rm                  with --detach: delete the container once it exits\n"
        "      --no-subreaper        accepted for runc compatibility: berth in the\n"
        "                            foreground never makes itself a subreaper\n"
        "  -h, --help                show this help\n";

enum { OPT_NO_SUBREAPER = CLI_OPT__CREATE_END, OPT_RM };

static const struct option opts[] = {
        CLI_CREATE_OPTIONS,
        { "detach", no_argument, NULL, 'd' },
        { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
        { "rm", no_argument, NULL, OPT_RM },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int run_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_run = {
        .name = "run", .summary = "create and start a container", .usage = usage, .run = run_main,
};

/* Hooks that keep `run` on the slow path: poststart belongs to
 * container_start, and while create runs prestart, createRuntime and
 * createContainer hooks berth's signals stay deliverable (a hook that hangs
 * must yield to ^C). */
static bool run_starts_at_commit(const struct spec *s)
{
        return !hooks_any(s, SPEC_HOOK_PRESTART) && !hooks_any(s, SPEC_HOOK_CREATE_RUNTIME) &&
               !hooks_any(s, SPEC_HOOK_CREATE_CONTAINER) && !hooks_any(s, SPEC_HOOK_POSTSTART);
}

/* In the foreground: create, start, forward signals until the workload
 * exits, delete. Signals are blocked before start so that none meant for
 * the container is lost; when create itself starts the container (no
 * exec.fifo round trip, no reload of what create just wrote), before
 * create, and the signalfd comes after it: create checks that the fds it
 * passes on (--preserve-fds, LISTEN_FDS) are the caller's. */
static int run_foreground(struct cli_global *g, struct container_create_opts *o, struct berr *e)
{
        _cleanup_close_ int pidfd = -EBADF, console = -EBADF;
        struct foreground f;
        struct berr ignored;
        bool created;
        pid_t pid;
        int r;

        o->start = run_starts_at_commit(o->spec);
        if (o->start)
                foreground_block(&f);
        /* A terminal without a socket is relayed by berth in the foreground. */
        r = container_create(o, &pid, &pidfd, o->console_socket ? NULL : &console, e);
        created = r == 0;
        if (created && o->start) {
                r = foreground_open(&f, e);
        } else if (created) {
                r = foreground_begin(&f, e);
                if (r == 0)
                        r = container_start(g->root, o->id, e);
        }
        container_create_opts_done(o);
        if (r == 0)
                r = foreground_wait(&f, pidfd, console, e);
        /* Signals were blocked (foreground_block or _begin) if either ran. */
        if (o->start || created)
                foreground_end(&f);
        if (created && container_delete(g->root, o->id, true, &ignored) < 0)
                log_warn("%s", ignored.msg);
        return r;
}

static int run_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct container_create_opts o = { .root = g->root };
        struct shim_opts so = { .start = true };
        bool detach = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "+b:dh", opts, NULL)) != -1) {
                r = cli_create_option(&cli_cmd_run, c, optarg, &o, &so, e);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                switch (c) {
                case 'd': detach = true; break;
                case OPT_RM: so.rm = true; break;
                case OPT_NO_SUBREAPER: break;
                case 'h': return cli_help(&cli_cmd_run);
                default: return cli_usage_error(&cli_cmd_run, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_run, argc, optind, 1, e);
        if (r < 0)
                return r;
        if (!detach && (so.rm || so.log_path))
                return cli_usage_error(&cli_cmd_run, e, "%s needs --detach (in the foreground, run deletes the "
                                       "container itself and its output is berth's)", so.rm ? "--rm" : "--log-path");
        o.id = argv[optind];
        cli_create_listen_fds(&o);
        r = container_create_prepare(&o, e);
        if (r == 0 && !detach)
                return run_foreground(g, &o, e);
        if (r == 0)
                r = cli_create_detached(g, &o, &so, e);
        container_create_opts_done(&o);
        return r;
}
