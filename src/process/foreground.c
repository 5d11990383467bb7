/* foreground: signal forwarding and the terminal relay (see foreground.h).
 * Like `runc run` in a shell: berth's terminal goes raw so that every key
 * (^C included) reaches the container's pty, whose line discipline acts on
 * it; the caller's window size follows along. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process/foreground.h"
#include "util/cleanup.h"

void foreground_block(struct foreground *f)
{
        sigset_t all;

        *f = (struct foreground){ .sfd = -EBADF };
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &f->old_mask);
}

int foreground_open(struct foreground *f, struct berr *e)
{
        sigset_t all;

        sigfillset(&all);
        f->sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
        if (f->sfd < 0)
                return berr_sys(e, -errno, "signalfd");
        return 0;
}

int foreground_begin(struct foreground *f, struct berr *e)
{
        foreground_block(f);
        return foreground_open(f, e);
}

void foreground_end(struct foreground *f)
{
        if (f->raw)
                tcsetattr(STDIN_FILENO, TCSADRAIN, &f->saved);
        f->raw = false;
        f->sfd = safe_close(f->sfd);
        sigprocmask(SIG_SETMASK, &f->old_mask, NULL);
}

static int exit_status(const siginfo_t *si)
{
        if (si->si_code == CLD_EXITED)
                return si->si_status;
        return 128 + si->si_status;
}

static void copy_winsize(int console)
{
        struct winsize ws;

        /* A caller's pty that was never sized (0x0) keeps consoleSize. */
        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
                ioctl(console, TIOCSWINSZ, &ws);
}

static void make_raw(struct foreground *f)
{
        struct termios raw;

        if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &f->saved) < 0)
                return;
        raw = f->saved;
        cfmakeraw(&raw);
        if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0)
                f->raw = true;
}

static int write_all(int fd, const char *buf, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, buf, len);

                if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                        struct pollfd p = { .fd = fd, .events = POLLOUT };

                        poll(&p, 1, -1);
                        continue;
                }
                if (n <= 0)
                        return -errno;
                buf += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Copy what is readable from one fd to another: > 0 copied, 0 at EOF (or
 * EIO, the pty's way of saying the slave side is gone), -EAGAIN none. */
static ssize_t pump(int from, int to)
{
        char buf[8192];
        ssize_t n = read(from, buf, sizeof(buf));

        if (n < 0 && errno == EIO)
                return 0;
        if (n < 0)
                return -errno;
        if (n > 0 && write_all(to, buf, (size_t)n) < 0)
                return 0;
        return n;
}

/* After the exit: whatever the workload wrote last is still in the pty. */
static void drain(int console)
{
        int fl = fcntl(console, F_GETFL);

        fcntl(console, F_SETFL, fl | O_NONBLOCK);
        while (pump(console, STDOUT_FILENO) > 0)
                ;
}

static void on_signal(int sfd, int pidfd, int console)
{
        struct signalfd_siginfo ssi;

        while (read(sfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi)) {
                if (ssi.ssi_signo == SIGCHLD)
                        continue;
                if (ssi.ssi_signo == SIGWINCH && console >= 0)
                        copy_winsize(console);
                else
                        pidfd_send_signal(pidfd, (int)ssi.ssi_signo, NULL, 0);
        }
}

int foreground_wait(struct foreground *f, int pidfd, int console, struct berr *e)
{
        enum { P_PID, P_SIG, P_MASTER, P_STDIN };
        struct pollfd pfd[4] = {
                { .fd = pidfd, .events = POLLIN }, { .fd = f->sfd, .events = POLLIN },
                { .fd = console, .events = POLLIN }, { .fd = console >= 0 ? STDIN_FILENO : -1, .events = POLLIN },
        };
        siginfo_t si = {};

        if (console >= 0) {
                copy_winsize(console);
                make_raw(f);
        }
        for (;;) {
                if (RETRY_EINTR(poll(pfd, 4, -1)) < 0)
                        return berr_sys(e, -errno, "wait for the container process");
                if (pfd[P_SIG].revents)
                        on_signal(f->sfd, pidfd, console);
                if (pfd[P_MASTER].revents && pump(console, STDOUT_FILENO) == 0)
                        pfd[P_MASTER].fd = -1;
                /* At EOF on stdin, stop reading it; the workload decides. */
                if (pfd[P_STDIN].revents && pump(STDIN_FILENO, console) == 0)
                        pfd[P_STDIN].fd = -1;
                if (pfd[P_PID].revents)
                        break;
        }
        if (console >= 0)
                drain(console);
        if (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0)
                return berr_sys(e, -errno, "wait for the container process");
        return exit_status(&si);
}
