/* hooks: spawn a hook, feed it the state, collect its output, wait for it
 * within its timeout (see hooks.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "process/hooks.h"
#include "security/selfexe.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/signals.h"

/* What a failing hook printed goes into the error message, cut to this. */
#define HOOK_OUTPUT_MAX 512

extern char **environ;

struct hook_run {
        const struct spec_hook *hook;
        const char *state;
        size_t state_len, state_sent;
        int in_fd;                      /* our end of the hook's stdin */
        int out_fd;                     /* read end of its stdout+stderr */
        int pidfd;
        char output[HOOK_OUTPUT_MAX + 1];
        size_t output_len;
};

/* The hook's side of the fork: stdio, a clean signal state, no fd of ours. */
__attribute__((noreturn)) static void hook_exec(const struct spec_hook *h, int in_fd, int out_fd)
{
        char *default_argv[] = { h->path, NULL };
        sigset_t none;
        int r;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0)
                _exit(127);
        /* The stub, when there is one, goes through it like the container's
         * process: createContainer and startContainer hooks run in the
         * container's namespaces (security/selfexe.h). */
        if (selfexe_stub_fd() >= 0 && selfexe_stub_move(3) < 0)
                _exit(127);
        close_range(selfexe_stub_fd() >= 0 ? 4 : 3, ~0U, 0);
        /* A hook without env inherits berth's environment, as in runc. */
        r = selfexe_execve("", h->path, h->n_args ? h->args : default_argv, h->n_env ? h->env : environ);
        dprintf(STDERR_FILENO, "cannot execute %s: %s", h->path, strerror(-r));
        _exit(127);
}

static int hook_spawn(struct hook_run *hr)
{
        struct clone_args args = { .flags = CLONE_PIDFD, .exit_signal = SIGCHLD };
        int in[2], out[2], pidfd = -EBADF, r = 0;
        long pid;

        /* A socket rather than a pipe for stdin: send() takes MSG_NOSIGNAL,
         * so a hook that exits without reading cannot SIGPIPE berth. */
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0)
                return -errno;
        if (pipe2(out, O_CLOEXEC) < 0) {
                r = -errno;
                close(in[0]);
                close(in[1]);
                return r;
        }
        args.pidfd = (uint64_t)(uintptr_t)&pidfd;
        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid == 0)
                hook_exec(hr->hook, in[1], out[1]);
        if (pid < 0)
                r = -errno;
        close(in[1]);
        close(out[1]);
        hr->pidfd = pidfd;
        hr->in_fd = in[0];
        hr->out_fd = out[0];
        if (r == 0 && (fcntl(hr->out_fd, F_SETFL, O_NONBLOCK) < 0 || fcntl(hr->in_fd, F_SETFL, O_NONBLOCK) < 0))
                r = -errno;
        return r;
}

/* Keep the start of what the hook printed; discard the rest. */
static void hook_read_output(struct hook_run *hr)
{
        char buf[4096];
        ssize_t n;

        while ((n = read(hr->out_fd, buf, sizeof(buf))) > 0) {
                size_t room = HOOK_OUTPUT_MAX - hr->output_len, take = (size_t)n < room ? (size_t)n : room;

                memcpy(hr->output + hr->output_len, buf, take);
                hr->output_len += take;
        }
        if (n == 0)
                hr->out_fd = safe_close(hr->out_fd);
}

static void hook_send_state(struct hook_run *hr)
{
        ssize_t n = send(hr->in_fd, hr->state + hr->state_sent, hr->state_len - hr->state_sent,
                         MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n > 0)
                hr->state_sent += (size_t)n;
        /* Done, or the hook closed its stdin: either way it gets EOF now. */
        if (hr->state_sent == hr->state_len || (n < 0 && errno != EAGAIN && errno != EINTR))
                hr->in_fd = safe_close(hr->in_fd);
}

static int hook_poll_timeout(const struct timespec *deadline)
{
        struct timespec now;
        int64_t ms;

        if (deadline->tv_sec == 0)
                return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
        return ms < 0 ? 0 : (int)ms;
}

/* Feed and drain the hook until it exits (0) or the deadline passes (-ETIME). */
static int hook_wait(struct hook_run *hr, siginfo_t *si)
{
        struct timespec deadline = {};

        if (hr->hook->timeout.set) {
                clock_gettime(CLOCK_MONOTONIC, &deadline);
                deadline.tv_sec += hr->hook->timeout.v;
        }
        for (;;) {
                struct pollfd p[3] = {
                        { .fd = hr->pidfd, .events = POLLIN },
                        { .fd = hr->out_fd, .events = POLLIN },
                        { .fd = hr->in_fd, .events = POLLOUT },
                };
                int n = poll(p, 3, hook_poll_timeout(&deadline));

                if (n < 0 && errno != EINTR)
                        return -errno;
                if (n == 0) {
                        pidfd_send_signal(hr->pidfd, SIGKILL, NULL, 0);
                        waitid(P_PIDFD, (id_t)hr->pidfd, si, WEXITED);
                        return -ETIME;
                }
                if (n > 0 && p[1].revents)
                        hook_read_output(hr);
                if (n > 0 && p[2].revents)
                        hook_send_state(hr);
                if (n > 0 && p[0].revents) {
                        /* What is left in the pipe; a daemonized grandchild
                         * may hold it open, so do not wait for EOF. */
                        if (hr->out_fd >= 0)
                                hook_read_output(hr);
                        return waitid(P_PIDFD, (id_t)hr->pidfd, si, WEXITED) < 0 ? -errno : 0;
                }
        }
}

/* "exited with status 3: <output>", on one line. */
static int hook_fail(struct hook_run *hr, const char *what, size_t idx, const char *why, struct berr *e)
{
        char *o = hr->output;
        size_t n = hr->output_len;

        for (size_t i = 0; i < n; i++)
                if (o[i] == '\n' || o[i] == '\r' || o[i] == '\t')
                        o[i] = ' ';
        while (n > 0 && o[n - 1] == ' ')
                n--;
        o[n] = '\0';
        return berr_set(e, -EIO, "%s hook #%zu (%s): %s%s%s", what, idx, hr->hook->path, why, n ? ": " : "", o);
}

static int hook_run_one(const struct spec_hook *h, const char *what, size_t idx, const char *state,
                        size_t state_len, struct berr *e)
{
        struct hook_run hr = {
                .hook = h, .state = state, .state_len = state_len,
                .in_fd = -EBADF, .out_fd = -EBADF, .pidfd = -EBADF,
        };
        siginfo_t si = {};
        char why[64];
        int r;

        r = hook_spawn(&hr);
        if (r == 0)
                r = hook_wait(&hr, &si);
        else if (hr.pidfd >= 0) {
                pidfd_send_signal(hr.pidfd, SIGKILL, NULL, 0);
                waitid(P_PIDFD, (id_t)hr.pidfd, &si, WEXITED);
        }
        safe_close(hr.in_fd);
        safe_close(hr.out_fd);
        safe_close(hr.pidfd);
        if (r == -ETIME) {
                snprintf(why, sizeof(why), "timed out after %llds", (long long)h->timeout.v);
                return hook_fail(&hr, what, idx, why, e);
        }
        if (r < 0)
                return berr_sys(e, r, "%s hook #%zu (%s)", what, idx, h->path);
        if (si.si_code == CLD_EXITED && si.si_status == 0)
                return 0;
        if (si.si_code == CLD_EXITED)
                snprintf(why, sizeof(why), "exited with status %d", si.si_status);
        else
                snprintf(why, sizeof(why), "killed by %s",
                         signal_to_string(si.si_status) ? signal_to_string(si.si_status) : "a signal");
        return hook_fail(&hr, what, idx, why, e);
}

int hooks_run(const struct spec *s, enum spec_hook_kind kind, const char *state, size_t state_len,
              bool keep_going, struct berr *e)
{
        const struct spec_hook_list *l = &s->hooks[kind];

        for (size_t i = 0; i < l->n; i++) {
                int r = hook_run_one(&l->hooks[i], spec_hook_name(kind), i, state, state_len, e);

                if (r < 0 && !keep_going)
                        return r;
                if (r < 0)
                        log_warn("%s", e->msg);
        }
        return 0;
}
