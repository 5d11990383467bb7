/* berth attach: connect the caller's terminal (or stdio) to a container its
 * shim supervises: the container's output comes over the shim's socket and,
 * with a terminal, the caller's keys and window size go back to its pty. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "shim/client.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define ATTACH_KEYS_MAX 16

static const char usage[] =
        "Usage: berth attach [OPTIONS] CONTAINER_ID\n\n"
        "Attach to a container that a shim supervises. Its output is copied to berth's\n"
        "stdout and stderr. With a terminal (process.terminal), berth's terminal goes\n"
        "raw and every key goes to the container, but the detach keys, which leave it\n"
        "running; its window size follows berth's. berth exits with the container's\n"
        "code when it exits (128+N after signal N), 0 on detach. A container without a\n"
        "terminal has /dev/null as stdin: attach shows its output.\n\n"
        "Options:\n"
        "      --detach-keys KEYS  the sequence that detaches (default ctrl-p,ctrl-q):\n"
        "                          comma-separated characters or ctrl-<char>\n"
        "      --no-stdin          do not send berth's input to the container\n"
        "  -h, --help              show this help\n";

enum { OPT_DETACH_KEYS = 256, OPT_NO_STDIN };

static const struct option opts[] = {
        { "detach-keys", required_argument, NULL, OPT_DETACH_KEYS },
        { "no-stdin", no_argument, NULL, OPT_NO_STDIN },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int attach_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_attach = {
        .name = "attach", .summary = "attach to a container's terminal or output", .usage = usage,
        .run = attach_main,
};

struct keys {
        char seq[ATTACH_KEYS_MAX];
        size_t len, matched;            /* bytes of seq seen so far, held back */
};

/* "ctrl-p,ctrl-q", as docker and podman spell it; "" disables detaching. */
static int keys_parse(const char *s, struct keys *k)
{
        k->len = 0;
        while (*s) {
                const char *end = strchrnul(s, ',');
                size_t n = (size_t)(end - s);

                if (k->len == ATTACH_KEYS_MAX)
                        return -EINVAL;
                if (n == 1)
                        k->seq[k->len++] = s[0];
                else if (n == 6 && strncmp(s, "ctrl-", 5) == 0 && (isalpha((unsigned char)s[5]) || strchr("@[\\]^_", s[5])))
                        k->seq[k->len++] = (char)(toupper((unsigned char)s[5]) & 0x1f);
                else
                        return -EINVAL;
                s = *end ? end + 1 : end;
        }
        return 0;
}

static int send_msg(int fd, char type, const void *data, size_t len)
{
        char msg[SHIM_MSG_MAX];

        msg[0] = type;
        memcpy(msg + 1, data, len);
        return send(fd, msg, len + 1, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static void send_winsize(int sock)
{
        struct winsize ws;

        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
                send_msg(sock, SHIM_IN_WINSIZE, &ws, sizeof(ws));
}

/* Input to the container, holding back what may be the detach keys; true
 * when they were typed. */
static bool send_input(int sock, struct keys *k, const char *buf, size_t n)
{
        char out[SHIM_MSG_MAX];
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                if (k->len && buf[i] == k->seq[k->matched]) {
                        if (++k->matched == k->len)
                                return true;
                        continue;
                }
                memcpy(out + o, k->seq, k->matched);    /* a false start goes through after all */
                o += k->matched;
                k->matched = 0;
                if (k->len && buf[i] == k->seq[0]) {
                        k->matched = 1;
                        continue;
                }
                out[o++] = buf[i];
                if (o > sizeof(out) - ATTACH_KEYS_MAX - 2) {
                        send_msg(sock, SHIM_IN_DATA, out, o);
                        o = 0;
                }
        }
        if (o)
                send_msg(sock, SHIM_IN_DATA, out, o);
        return false;
}

/* Relay until the container exits (its code), detach (0) or the shim goes. */
static int relay(int sock, bool terminal, bool input, struct keys *k, int sfd, struct berr *e)
{
        enum { P_SOCK, P_STDIN, P_SIG };
        struct pollfd p[3] = {
                { .fd = sock, .events = POLLIN }, { .fd = input ? STDIN_FILENO : -1, .events = POLLIN },
                { .fd = sfd, .events = POLLIN },
        };
        char buf[SHIM_MSG_MAX];
        struct shim_exit x;

        for (;;) {
                if (poll(p, 3, -1) < 0 && errno != EINTR)
                        return berr_sys(e, -errno, "poll");
                if (p[P_SIG].revents) {
                        struct signalfd_siginfo si;

                        while (read(sfd, &si, sizeof(si)) == sizeof(si))
                                ;
                        send_winsize(sock);
                }
                if (p[P_STDIN].revents) {
                        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf) - 1);

                        if (n <= 0)
                                p[P_STDIN].fd = -1;     /* end of our input; the container goes on */
                        else if (send_input(sock, k, buf, (size_t)n))
                                return 0;
                }
                if (p[P_SOCK].revents) {
                        ssize_t n = recv(sock, buf, sizeof(buf), 0);

                        if (n <= 0)
                                return berr_set(e, -EPIPE, "the shim closed the connection");
                        if (buf[0] == SHIM_MSG_STDOUT || (buf[0] == SHIM_MSG_STDERR && terminal))
                                (void)fs_write_all(STDOUT_FILENO, buf + 1, (size_t)n - 1);
                        else if (buf[0] == SHIM_MSG_STDERR)
                                (void)fs_write_all(STDERR_FILENO, buf + 1, (size_t)n - 1);
                        else if (buf[0] == SHIM_MSG_EXIT && (size_t)n == 1 + sizeof(x)) {
                                memcpy(&x, buf + 1, sizeof(x));
                                return x.code;
                        }
                }
        }
}

static int attach(int dir_fd, struct keys *k, bool no_stdin, struct berr *e)
{
        _cleanup_close_ int sock = -EBADF, sfd = -EBADF;
        struct termios saved, raw;
        char hello[SHIM_MSG_MAX];
        bool terminal, is_raw = false;
        struct shim_exit x;
        sigset_t winch;
        ssize_t n;
        int r;

        r = shim_connect(dir_fd, SHIM_REQ_ATTACH, &sock);
        if (r < 0)
                return berr_sys(e, r, "no shim to attach to (is it supervised by one?)");
        n = RETRY_EINTR(recv(sock, hello, sizeof(hello), 0));
        if (n == 1 + (ssize_t)sizeof(x) && hello[0] == SHIM_MSG_EXIT) {
                memcpy(&x, hello + 1, sizeof(x));
                return x.code;
        }
        if (n != 2 || hello[0] != SHIM_MSG_HELLO)
                return berr_set(e, -EPROTO, "unexpected answer from the shim");
        terminal = hello[1] == 1;
        sigemptyset(&winch);
        sigaddset(&winch, SIGWINCH);
        sigprocmask(SIG_BLOCK, &winch, NULL);
        sfd = signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK);
        if (terminal && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
                raw = saved;
                cfmakeraw(&raw);
                is_raw = tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0;
                send_winsize(sock);
        }
        r = relay(sock, terminal, terminal && !no_stdin, k, sfd, e);
        if (is_raw)
                tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
        return r;
}

static int attach_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct state_dir d = STATE_DIR_INIT;
        struct keys k = {};
        bool no_stdin = false;
        int c, r;

        keys_parse("ctrl-p,ctrl-q", &k);
        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                switch (c) {
                case OPT_DETACH_KEYS:
                        if (keys_parse(optarg, &k) < 0)
                                return cli_usage_error(&cli_cmd_attach, e, "--detach-keys: expected keys like "
                                                       "\"ctrl-p,ctrl-q\", got \"%s\"", optarg);
                        break;
                case OPT_NO_STDIN: no_stdin = true; break;
                case 'h': return cli_help(&cli_cmd_attach);
                default: return cli_usage_error(&cli_cmd_attach, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_attach, argc, optind, 1, e);
        if (r < 0)
                return r;
        r = state_dir_open(g->root, argv[optind], false, &d, e);
        if (r == 0)
                r = attach(d.dir_fd, &k, no_stdin, e);
        state_dir_close(&d);
        return r < 0 ? berr_wrap(e, "container %s", argv[optind]) : r;
}
