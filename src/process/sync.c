/* sync: named steps over the creation socketpair (see sync.h). */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "process/sync.h"
#include "util/cleanup.h"

struct sync_record {
        unsigned step;
        struct berr err;
};

const char *sync_step_name(enum sync_step s)
{
        switch (s) {
        case SYNC_MAPS_DONE: return "maps-done";
        case SYNC_HOOKS: return "hooks";
        case SYNC_HOOKS_DONE: return "hooks-done";
        case SYNC_CREATED: return "created";
        case SYNC_COMMIT: return "commit";
        case SYNC_ERROR: return "error";
        case SYNC_CONSOLE: return "console";
        case SYNC_EXEC_CHILD: return "exec-child";
        case SYNC_SECCOMP: return "seccomp";
        case SYNC_FINISHING: return "finishing";
        }
        return "unknown";
}

static int sync_send_record(int fd, const struct sync_record *rec)
{
        ssize_t n = RETRY_EINTR(send(fd, rec, sizeof(*rec), MSG_NOSIGNAL));

        if (n < 0)
                return -errno;
        return n == (ssize_t)sizeof(*rec) ? 0 : -EIO;
}

int sync_send(int fd, enum sync_step step)
{
        struct sync_record rec = { .step = step };

        return sync_send_record(fd, &rec);
}

int sync_send_error(int fd, const struct berr *err)
{
        struct sync_record rec = { .step = SYNC_ERROR, .err = *err };

        return sync_send_record(fd, &rec);
}

int sync_send_data(int fd, enum sync_step step, const void *data, size_t len)
{
        int r = sync_send(fd, step);
        ssize_t n;

        if (r < 0)
                return r;
        n = RETRY_EINTR(send(fd, data, len, MSG_NOSIGNAL));
        if (n < 0)
                return -errno;
        return (size_t)n == len ? 0 : -EIO;
}

int sync_wait_data(int fd, enum sync_step expect, char **ret, size_t *ret_len, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        ssize_t size, n;
        int r = sync_wait(fd, expect, e);

        if (r < 0)
                return r;
        /* MSG_TRUNC with MSG_PEEK gives the whole datagram's length. */
        size = RETRY_EINTR(recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC));
        if (size < 0)
                return berr_sys(e, -errno, "waiting for the data of step \"%s\"", sync_step_name(expect));
        if (size == 0)
                return berr_set(e, -EPIPE, "waiting for the data of step \"%s\": the other side exited",
                                sync_step_name(expect));
        buf = malloc((size_t)size + 1);
        if (!buf)
                return berr_sys(e, -ENOMEM, "step \"%s\"", sync_step_name(expect));
        n = RETRY_EINTR(recv(fd, buf, (size_t)size, 0));
        if (n != size)
                return berr_set(e, -EIO, "step \"%s\": short data", sync_step_name(expect));
        buf[n] = '\0';
        *ret = TAKE_PTR(buf);
        *ret_len = (size_t)n;
        return 0;
}

int sync_send_fd(int fd, enum sync_step step, int passfd)
{
        struct sync_record rec = { .step = step };
        struct iovec iov = { .iov_base = &rec, .iov_len = sizeof(rec) };
        union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl = {};
        struct msghdr msg = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
        };
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        ssize_t n;

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &passfd, sizeof(int));
        n = RETRY_EINTR(sendmsg(fd, &msg, MSG_NOSIGNAL));
        if (n < 0)
                return -errno;
        return n == (ssize_t)sizeof(rec) ? 0 : -EIO;
}

/* The checks every wait makes on a received record. */
static int sync_check_record(struct sync_record *rec, ssize_t n, enum sync_step expect, struct berr *e)
{
        if (n < 0)
                return berr_sys(e, -errno, "waiting for step \"%s\"", sync_step_name(expect));
        if (n == 0)
                return berr_set(e, -EPIPE, "waiting for step \"%s\": the other side exited",
                                sync_step_name(expect));
        if (n != (ssize_t)sizeof(*rec))
                return berr_set(e, -EIO, "waiting for step \"%s\": short message", sync_step_name(expect));
        if (rec->step == SYNC_ERROR) {
                rec->err.msg[sizeof(rec->err.msg) - 1] = '\0';
                *e = rec->err;
                if (e->code >= 0)
                        e->code = -EIO;
                return e->code;
        }
        if (rec->step != expect)
                return berr_set(e, -EPROTO, "expected step \"%s\", got \"%s\"", sync_step_name(expect),
                                sync_step_name(rec->step));
        return 0;
}

/* One record; with ret_fd, also the fd it carries (-EBADF when none). */
static ssize_t sync_recv_record_flags(int fd, struct sync_record *rec, int *ret_fd, int flags)
{
        struct iovec iov = { .iov_base = rec, .iov_len = sizeof(*rec) };
        union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl = {};
        struct msghdr msg = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
        };
        ssize_t n = RETRY_EINTR(recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | flags));

        if (ret_fd)
                *ret_fd = -EBADF;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n >= 0 && c; c = CMSG_NXTHDR(&msg, c)) {
                int got;

                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
                        continue;
                memcpy(&got, CMSG_DATA(c), sizeof(int));
                if (ret_fd)
                        *ret_fd = got;
                else
                        close(got);
        }
        return n;
}

static ssize_t sync_recv_record(int fd, struct sync_record *rec, int *ret_fd)
{
        return sync_recv_record_flags(fd, rec, ret_fd, 0);
}

/* A received record that must carry an fd: *got moves to *ret_fd. */
static int sync_check_record_fd(struct sync_record *rec, ssize_t n, int *got, enum sync_step expect, int *ret_fd,
                                struct berr *e)
{
        int r = sync_check_record(rec, n, expect, e);

        if (r < 0)
                return r;
        if (*got < 0)
                return berr_set(e, -EPROTO, "step \"%s\" came without its file descriptor", sync_step_name(expect));
        *ret_fd = TAKE_FD(*got);
        return 0;
}

int sync_wait_fd(int fd, enum sync_step expect, int *ret_fd, struct berr *e)
{
        _cleanup_close_ int got = -EBADF;
        struct sync_record rec;
        ssize_t n = sync_recv_record(fd, &rec, &got);

        return sync_check_record_fd(&rec, n, &got, expect, ret_fd, e);
}

int sync_wait(int fd, enum sync_step expect, struct berr *e)
{
        struct sync_record rec;
        ssize_t n = sync_recv_record(fd, &rec, NULL);

        return sync_check_record(&rec, n, expect, e);
}

int sync_wait_soon(int fd, enum sync_step expect, int *ret_fd, struct berr *e)
{
        _cleanup_close_ int got = -EBADF;
        struct sync_record rec;
        struct timespec start, now;
        ssize_t n;

        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                n = sync_recv_record_flags(fd, &rec, ret_fd ? &got : NULL, MSG_DONTWAIT);
                if (n >= 0 || errno != EAGAIN)
                        break;
                clock_gettime(CLOCK_MONOTONIC, &now);
                if ((now.tv_sec - start.tv_sec) * 1000000 + (now.tv_nsec - start.tv_nsec) / 1000 >= SYNC_SOON_US)
                        return ret_fd ? sync_wait_fd(fd, expect, ret_fd, e) : sync_wait(fd, expect, e);
                sched_yield();
        }
        if (ret_fd)
                return sync_check_record_fd(&rec, n, &got, expect, ret_fd, e);
        return sync_check_record(&rec, n, expect, e);
}

int sync_wait_closed(int fd, struct berr *e)
{
        struct sync_record rec;
        ssize_t n = sync_recv_record(fd, &rec, NULL);

        if (n < 0)
                return berr_sys(e, -errno, "waiting for the child to let go of its parent");
        if (n == (ssize_t)sizeof(rec) && rec.step == SYNC_ERROR)
                return sync_check_record(&rec, n, SYNC_ERROR, e);
        if (n > 0)
                return berr_set(e, -EPROTO, "waiting for the end of the protocol: unexpected step \"%s\"",
                                sync_step_name(rec.step));
        return 0;
}
