/* seccomp/notify: hand a seccomp listener fd to the agent at
 * linux.seccomp.listenerPath (runtime-spec config-linux.md, "seccomp").
 *
 * The agent receives one message on a unix stream socket: the container
 * process state as JSON and, as SCM_RIGHTS, the fds it names ("fds":
 * ["seccompFd"]), runc's protocol:
 *   {"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state": {...}}
 * The parent does this, never the container: it is not under the filter,
 * and the listener path is a host path. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "seccomp/notify.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/json.h"

static int notify_message(const struct seccomp_notify_target *t, char **ret, size_t *ret_len, struct berr *e)
{
        struct jw *w = jw_new(JW_COMPACT);
        const char *text;
        char *msg;
        size_t len;

        if (!w)
                return berr_sys(e, -ENOMEM, "seccomp agent message");
        jw_obj_begin(w);
        jw_kstr(w, "ociVersion", t->oci_version);
        jw_key(w, "fds");
        jw_arr_begin(w);
        jw_str(w, "seccompFd");
        jw_arr_end(w);
        jw_kint(w, "pid", t->pid);
        jw_kstr(w, "metadata", t->metadata ? t->metadata : "");
        jw_obj_end(w);
        text = jw_text(w, &len);
        if (jw_error(w) < 0 || len < 2) {
                jw_free(w);
                return berr_sys(e, -ENOMEM, "seccomp agent message");
        }
        /* The state is already JSON: splice it in as the last member. */
        if (asprintf(&msg, "%.*s,\"state\":%.*s}", (int)(len - 1), text, (int)t->state_len, t->state) < 0) {
                jw_free(w);
                return berr_sys(e, -ENOMEM, "seccomp agent message");
        }
        jw_free(w);
        *ret = msg;
        *ret_len = strlen(msg);
        return 0;
}

static int notify_connect(const char *path, int *ret, struct berr *e)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF;

        if (strlen(path) >= sizeof(sa.sun_path))
                return berr_set(e, -ENAMETOOLONG, "seccomp listenerPath %s: too long for a unix socket", path);
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return berr_sys(e, -errno, "seccomp listenerPath %s: socket", path);
        if (RETRY_EINTR(connect(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0)
                return berr_sys(e, -errno, "seccomp listenerPath %s: connect to the agent", path);
        *ret = TAKE_FD(fd);
        return 0;
}

int seccomp_notify_send(const struct seccomp_notify_target *t, int listener_fd, struct berr *e)
{
        _cleanup_free_ char *msg = NULL;
        _cleanup_close_ int fd = -EBADF;
        union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u = {};
        struct iovec iov;
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        size_t len = 0;
        ssize_t n;
        int r;

        r = notify_message(t, &msg, &len, e);
        if (r == 0)
                r = notify_connect(t->listener_path, &fd, e);
        if (r < 0)
                return r;
        iov = (struct iovec){ .iov_base = msg, .iov_len = len };
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &listener_fd, sizeof(int));
        n = RETRY_EINTR(sendmsg(fd, &mh, MSG_NOSIGNAL));
        if (n < 0)
                return berr_sys(e, -errno, "seccomp listenerPath %s: send to the agent", t->listener_path);
        /* The fd went with the first byte; the rest of a long state follows. */
        if ((size_t)n < len && fs_write_all(fd, msg + n, len - (size_t)n) < 0)
                return berr_sys(e, -errno, "seccomp listenerPath %s: send to the agent", t->listener_path);
        return 0;
}
