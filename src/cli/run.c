/* berth run: create and start a container; in the foreground, forward
 * signals to it, wait for it, delete it, and exit with its status. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "process/container.h"
#include "util/cleanup.h"
#include "util/log.h"

static const char usage[] =
        "Usage: berth run [OPTIONS] CONTAINER_ID\n\n"
        "Create and start a container. In the foreground, berth forwards the signals it\n"
        "receives to the container, waits for it to exit, deletes it, and exits with\n"
        "the workload's status (128+N when it was killed by signal N).\n\n"
        "Options:\n"
        CLI_CREATE_USAGE
        "  -d, --detach              start the container and return at once\n"
        "      --no-subreaper        accepted for runc compatibility: berth never makes\n"
        "                            itself a subreaper\n"
        "  -h, --help                show this help\n";

enum { OPT_NO_SUBREAPER = CLI_OPT__CREATE_END };

static const struct option opts[] = {
        CLI_CREATE_OPTIONS,
        { "detach", no_argument, NULL, 'd' },
        { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int run_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_run = {
        .name = "run", .summary = "create and start a container", .usage = usage, .run = run_main,
        .enters_container = true,
};

static int run_exit_status(const siginfo_t *si)
{
        if (si->si_code == CLD_EXITED)
                return si->si_status;
        return 128 + si->si_status;
}

/* Forward every signal but SIGCHLD to the container until its init exits. */
static int run_wait(int pidfd, int sfd, struct berr *e)
{
        struct pollfd pfd[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
        siginfo_t si = {};

        for (;;) {
                struct signalfd_siginfo ssi;

                if (RETRY_EINTR(poll(pfd, 2, -1)) < 0)
                        return berr_sys(e, -errno, "wait for container");
                if (pfd[0].revents) {
                        if (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0)
                                return berr_sys(e, -errno, "wait for container");
                        return run_exit_status(&si);
                }
                if (read(sfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi) && ssi.ssi_signo != SIGCHLD)
                        pidfd_send_signal(pidfd, (int)ssi.ssi_signo, NULL, 0);
        }
}

static int run_foreground(struct cli_global *g, const char *id, int pidfd, struct berr *e)
{
        _cleanup_close_ int sfd = -EBADF;
        sigset_t all, old;
        struct berr ignored;
        int r;

        /* Block before start so no signal meant for the container is lost. */
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        sfd = signalfd(-1, &all, SFD_CLOEXEC);
        if (sfd < 0)
                r = berr_sys(e, -errno, "signalfd");
        else
                r = container_start(g->root, id, e);
        if (r == 0)
                r = run_wait(pidfd, sfd, e);
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (container_delete(g->root, id, true, &ignored) < 0)
                log_warn("%s", ignored.msg);
        return r;
}

static int run_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct container_create_opts o = { .root = g->root };
        _cleanup_close_ int pidfd = -EBADF;
        bool detach = false;
        struct berr ignored;
        pid_t pid;
        int c, r;

        while ((c = getopt_long(argc, argv, "+b:dh", opts, NULL)) != -1) {
                r = cli_create_option(&cli_cmd_run, c, optarg, &o, e);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                switch (c) {
                case 'd': detach = true; break;
                case OPT_NO_SUBREAPER: break;
                case 'h': return cli_help(&cli_cmd_run);
                default: return cli_usage_error(&cli_cmd_run, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_run, argc, optind, 1, e);
        if (r < 0)
                return r;
        o.id = argv[optind];
        cli_create_listen_fds(&o);
        r = container_create(&o, &pid, &pidfd, e);
        if (r < 0)
                return r;
        if (!detach)
                return run_foreground(g, o.id, pidfd, e);
        r = container_start(g->root, o.id, e);
        if (r < 0)
                container_delete(g->root, o.id, true, &ignored);
        return r < 0 ? r : 0;
}
