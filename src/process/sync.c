/* sync: named steps over the creation socketpair (see sync.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
        case SYNC_SECCOMP: return "seccomp";
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

int sync_wait(int fd, enum sync_step expect, struct berr *e)
{
        struct sync_record rec;
        ssize_t n = RETRY_EINTR(recv(fd, &rec, sizeof(rec), 0));

        if (n < 0)
                return berr_sys(e, -errno, "waiting for step \"%s\"", sync_step_name(expect));
        if (n == 0)
                return berr_set(e, -EPIPE, "waiting for step \"%s\": the other side exited",
                                sync_step_name(expect));
        if (n != (ssize_t)sizeof(rec))
                return berr_set(e, -EIO, "waiting for step \"%s\": short message", sync_step_name(expect));
        if (rec.step == SYNC_ERROR) {
                rec.err.msg[sizeof(rec.err.msg) - 1] = '\0';
                *e = rec.err;
                if (e->code >= 0)
                        e->code = -EIO;
                return e->code;
        }
        if (rec.step != expect)
                return berr_set(e, -EPROTO, "expected step \"%s\", got \"%s\"", sync_step_name(expect),
                                sync_step_name(rec.step));
        return 0;
}

int sync_wait_closed(int fd, struct berr *e)
{
        struct sync_record rec;
        ssize_t n = RETRY_EINTR(recv(fd, &rec, sizeof(rec), 0));

        if (n < 0)
                return berr_sys(e, -errno, "waiting for the container init to let go of its parent");
        if (n > 0)
                return berr_set(e, -EPROTO, "after \"commit\": unexpected step \"%s\"",
                                sync_step_name(rec.step));
        return 0;
}

int sync_send_fd(int fd, enum sync_step step, int passed)
{
        struct sync_record rec = { .step = step };
        union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u = {};
        struct iovec iov = { .iov_base = &rec, .iov_len = sizeof(rec) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        ssize_t n;

        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &passed, sizeof(int));
        n = RETRY_EINTR(sendmsg(fd, &msg, MSG_NOSIGNAL));
        if (n < 0)
                return -errno;
        return n == (ssize_t)sizeof(rec) ? 0 : -EIO;
}

int sync_wait_fd(int fd, enum sync_step expect, int *ret_fd, struct berr *e)
{
        struct sync_record rec;
        union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u = {};
        struct iovec iov = { .iov_base = &rec, .iov_len = sizeof(rec) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
        struct cmsghdr *cm;
        ssize_t n = RETRY_EINTR(recvmsg(fd, &msg, MSG_CMSG_CLOEXEC));
        int passed = -EBADF;

        if (n < 0)
                return berr_sys(e, -errno, "waiting for step \"%s\"", sync_step_name(expect));
        for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
                    cm->cmsg_len == CMSG_LEN(sizeof(int)))
                        memcpy(&passed, CMSG_DATA(cm), sizeof(int));
        if (n == 0)
                return berr_set(e, -EPIPE, "waiting for step \"%s\": the other side exited", sync_step_name(expect));
        if (n != (ssize_t)sizeof(rec)) {
                safe_close(passed);
                return berr_set(e, -EIO, "waiting for step \"%s\": short message", sync_step_name(expect));
        }
        if (rec.step == SYNC_ERROR) {
                safe_close(passed);
                rec.err.msg[sizeof(rec.err.msg) - 1] = '\0';
                *e = rec.err;
                if (e->code >= 0)
                        e->code = -EIO;
                return e->code;
        }
        if (rec.step != expect || passed < 0) {
                safe_close(passed);
                return berr_set(e, -EPROTO, "expected step \"%s\" with an fd, got \"%s\"", sync_step_name(expect),
                                sync_step_name(rec.step));
        }
        *ret_fd = passed;
        return 0;
}
