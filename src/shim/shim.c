/* berth-shim: the supervisor of one detached container (see berth(8), "The
 * shim"). berth creates the container from a process that then becomes
 * this program, so the container init is our child: we reap it, record how
 * it ended, write its output to the log, serve `wait` and `attach` on a
 * socket, run the exit helper (poststop hooks, --rm), and leave when
 * `delete` says so (SHIM_REQ_QUIT).
 *
 * It is its own small static program, linked against libc alone (musl when
 * the build has it: ~70 KiB resident; glibc: ~800 KiB), so that a shim per
 * container costs little: nothing of berth's parser, libseccomp or libcap is
 * mapped here. Everything it is given arrives as fds and arguments
 * (src/shim/protocol.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "shim/protocol.h"
#include "util/cleanup.h"

#define SHIM_CLIENTS_MAX 32

enum client_kind { CLIENT_NEW, CLIENT_WAIT, CLIENT_ATTACH };

struct client {
        int fd;
        enum client_kind kind;
};

static struct shim {
        pid_t init;
        bool terminal;
        char **helper;                  /* argv of the exit helper, or NULL */
        int sigfd;
        int out, err;                   /* -EBADF once at end of file */
        bool exited;
        struct shim_exit exit;
        struct client clients[SHIM_CLIENTS_MAX];
        size_t n_clients;
} S = { .sigfd = -EBADF, .out = SHIM_FD_OUT, .err = SHIM_FD_ERR };

/* ---- output: the log and the attached clients ---- */

static void write_all(int fd, const char *buf, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, buf, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return;         /* a full disk loses log lines, never the container */
                buf += n;
                len -= (size_t)n;
        }
}

/* CRI log format, as the kubelet reads it: "TIME STREAM TAG CONTENT\n",
 * TIME in RFC 3339 with nanoseconds, TAG F for a whole line and P for a
 * part of one (a read that ended mid-line). */
static void log_record(const char *stream, char *data, size_t len)
{
        static char newline[] = "\n";
        char stamp[64], head[96];
        struct timespec ts;
        struct tm tm;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
        while (len > 0) {
                char *nl = memchr(data, '\n', len);
                size_t line = nl ? (size_t)(nl - data) : len;
                int n = snprintf(head, sizeof(head), "%s.%09ldZ %s %c ", stamp, ts.tv_nsec, stream, nl ? 'F' : 'P');
                struct iovec iov[3] = {
                        { head, (size_t)n }, { data, line }, { newline, 1 },
                };

                /* One writev per record: a reader never sees half of one. */
                if (writev(SHIM_FD_LOG, iov, 3) < 0 && errno == EINTR)
                        continue;
                data += line + (nl ? 1 : 0);
                len -= line + (nl ? 1 : 0);
        }
}

static void client_drop(size_t i)
{
        close(S.clients[i].fd);
        S.clients[i] = S.clients[--S.n_clients];
}

static int client_send(int fd, char type, void *data, size_t len)
{
        struct iovec iov[2] = { { &type, 1 }, { data, len } };
        struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

        return sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 ? -errno : 0;
}

/* A client too slow to take the output is dropped, never waited for. */
static void broadcast(char type, void *data, size_t len)
{
        for (size_t i = S.n_clients; i-- > 0;)
                if (S.clients[i].kind == CLIENT_ATTACH && client_send(S.clients[i].fd, type, data, len) < 0)
                        client_drop(i);
}

/* Read what one output fd has; false at its end (EOF, or EIO from a pty
 * whose every slave is closed). */
static bool output_read(int fd, bool is_err)
{
        char buf[SHIM_MSG_MAX - 1];
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return true;
        if (n <= 0)
                return false;
        log_record(is_err ? "stderr" : "stdout", buf, (size_t)n);
        broadcast(is_err ? SHIM_MSG_STDERR : SHIM_MSG_STDOUT, buf, (size_t)n);
        return true;
}

static void output_close(int *fd)
{
        *fd = safe_close(*fd);
}

/* ---- the init's end ---- */

static void exit_record(int status)
{
        char line[96], tmp[] = SHIM_EXIT ".tmp";
        struct timespec ts;
        int fd, n;

        clock_gettime(CLOCK_REALTIME, &ts);
        S.exit = (struct shim_exit){ .sec = ts.tv_sec, .nsec = ts.tv_nsec };
        if (WIFSIGNALED(status)) {
                S.exit.signal = WTERMSIG(status);
                S.exit.code = 128 + S.exit.signal;
        } else {
                S.exit.code = WEXITSTATUS(status);
        }
        S.exited = true;
        n = snprintf(line, sizeof(line), SHIM_EXIT_FORMAT, S.exit.code, S.exit.signal, (long long)S.exit.sec,
                     (long long)S.exit.nsec);
        /* Atomic for readers: written aside, then renamed into place. */
        fd = openat(SHIM_FD_DIR, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return;
        write_all(fd, line, (size_t)n);
        close(fd);
        renameat(SHIM_FD_DIR, tmp, SHIM_FD_DIR, SHIM_EXIT);
}

static bool dir_removed(void)
{
        struct stat st;

        return fstat(SHIM_FD_DIR, &st) == 0 && st.st_nlink == 0;
}

static void helper_run(void)
{
        pid_t pid;

        if (!S.helper)
                return;
        pid = fork();
        if (pid != 0)
                return;         /* reaped with the rest; a failed fork loses only the helper */
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        syscall(SYS_close_range, 3, ~0U, 0);      /* musl 1.2.3 has no wrapper */
        execv(S.helper[0], S.helper);
        _exit(127);
}

/* The init is gone: take the last of its output (it is all written once a
 * pid namespace's init is reapable), then record, tell, and clean up. */
static void init_exited(int status)
{
        while (S.out >= 0 && output_read(S.out, false))
                ;
        while (S.err >= 0 && output_read(S.err, true))
                ;
        output_close(&S.out);
        output_close(&S.err);
        exit_record(status);
        /* Deleted already (a delete raced with the create that started
         * us): nobody will ever tell us to go. */
        if (dir_removed())
                exit(0);
        for (size_t i = S.n_clients; i-- > 0;) {
                if (S.clients[i].kind == CLIENT_NEW)
                        continue;
                client_send(S.clients[i].fd, SHIM_MSG_EXIT, &S.exit, sizeof(S.exit));
                client_drop(i);
        }
        helper_run();
}

/* A subreaper reaps whatever is reparented to it, not only the init. */
static void reap(void)
{
        int status;
        pid_t pid;

        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                if (pid == S.init && !S.exited)
                        init_exited(status);
}

/* ---- clients ---- */

static void client_accept(void)
{
        int fd = accept4(SHIM_FD_LISTEN, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

        if (fd < 0)
                return;
        if (S.n_clients == SHIM_CLIENTS_MAX) {
                close(fd);
                return;
        }
        S.clients[S.n_clients++] = (struct client){ .fd = fd, .kind = CLIENT_NEW };
}

static bool client_request(size_t i, char req)
{
        struct client *c = &S.clients[i];
        char hello = S.terminal;

        switch (req) {
        case SHIM_REQ_QUIT:
                reap();
                exit(0);
        case SHIM_REQ_WAIT:
        case SHIM_REQ_ATTACH:
                if (S.exited) {
                        client_send(c->fd, SHIM_MSG_EXIT, &S.exit, sizeof(S.exit));
                        return false;
                }
                c->kind = req == SHIM_REQ_WAIT ? CLIENT_WAIT : CLIENT_ATTACH;
                return req == SHIM_REQ_WAIT || client_send(c->fd, SHIM_MSG_HELLO, &hello, 1) == 0;
        }
        return false;
}

static bool client_input(size_t i, const char *msg, size_t len)
{
        if (!S.terminal || S.out < 0)
                return true;            /* no pty to give it to: the workload's stdin is /dev/null */
        if (msg[0] == SHIM_IN_DATA) {
                /* A pty that does not take input now loses it, as a full line discipline does. */
                if (write(S.out, msg + 1, len - 1) < 0 && errno != EAGAIN)
                        return true;
        } else if (msg[0] == SHIM_IN_WINSIZE && len == 1 + sizeof(struct winsize)) {
                struct winsize ws;

                memcpy(&ws, msg + 1, sizeof(ws));
                ioctl(S.out, TIOCSWINSZ, &ws);
        }
        return true;
}

/* One message from client i; false: drop the client. */
static bool client_read(size_t i)
{
        char msg[SHIM_MSG_MAX];
        ssize_t n = recv(S.clients[i].fd, msg, sizeof(msg), 0);

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return true;
        if (n <= 0)
                return false;
        if (S.clients[i].kind == CLIENT_NEW)
                return client_request(i, msg[0]);
        if (S.clients[i].kind == CLIENT_ATTACH)
                return client_input(i, msg, (size_t)n);
        return true;
}

/* ---- the loop ---- */

enum { P_SIG, P_LISTEN, P_OUT, P_ERR, P__FIXED };

static void loop(void)
{
        struct pollfd p[P__FIXED + SHIM_CLIENTS_MAX];

        for (;;) {
                size_t n_clients = S.n_clients;

                p[P_SIG] = (struct pollfd){ .fd = S.sigfd, .events = POLLIN };
                p[P_LISTEN] = (struct pollfd){ .fd = SHIM_FD_LISTEN, .events = POLLIN };
                p[P_OUT] = (struct pollfd){ .fd = S.out, .events = POLLIN };
                p[P_ERR] = (struct pollfd){ .fd = S.err, .events = POLLIN };
                for (size_t i = 0; i < n_clients; i++)
                        p[P__FIXED + i] = (struct pollfd){ .fd = S.clients[i].fd, .events = POLLIN };
                if (poll(p, P__FIXED + n_clients, -1) < 0)
                        continue;
                /* Output first: what the init wrote before it died is logged
                 * before its exit is recorded. */
                if (p[P_OUT].revents && !output_read(S.out, false))
                        output_close(&S.out);
                if (p[P_ERR].revents && !output_read(S.err, true))
                        output_close(&S.err);
                if (p[P_SIG].revents) {
                        struct signalfd_siginfo si;

                        while (read(S.sigfd, &si, sizeof(si)) == sizeof(si))
                                ;
                        reap();
                }
                if (p[P_LISTEN].revents)
                        client_accept();
                /* Clients from the back, so a drop (last moved in) skips none. */
                for (size_t i = n_clients; i-- > 0;)
                        if (p[P__FIXED + i].revents && !client_read(i))
                                client_drop(i);
        }
}

static int setup(void)
{
        sigset_t mask;

        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return -errno;
        S.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (S.sigfd < 0)
                return -errno;
        signal(SIGPIPE, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        for (int fd = SHIM_FD_OUT; fd <= SHIM_FD_ERR; fd++)
                if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
                        return -errno;
        /* The init may have exited before we blocked SIGCHLD. */
        reap();
        return 0;
}

int main(int argc, char **argv)
{
        char *end;

        if (argc < SHIM_ARGV_FIXED) {
                fprintf(stderr, "berth-shim: started by berth only (see berth(8))\n");
                return 2;
        }
        S.init = (pid_t)strtol(argv[2], &end, 10);
        S.terminal = strcmp(argv[3], "1") == 0;
        if (strcmp(argv[4], "1") == 0 && argc > SHIM_ARGV_FIXED)
                S.helper = argv + SHIM_ARGV_FIXED;
        if (*end || S.init <= 0)
                return 2;
        prctl(PR_SET_NAME, "berth-shim", 0, 0, 0);
        /* Whatever the container leaves behind when it has no pid namespace. */
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        if (setup() < 0)
                return 1;
        /* berth's create returns now. */
        if (write(SHIM_FD_READY, (char[]){ SHIM_READY }, 1) < 0)
                return 1;
        close(SHIM_FD_READY);
        if (S.terminal)
                output_close(&S.err);
        loop();
}
