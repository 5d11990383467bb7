/* client: connect to a container's shim, read its exit record (see client.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "shim/client.h"
#include "util/cleanup.h"
#include "util/log.h"

/* Through the directory fd: a state root deep enough to make
 * <root>/<id>/shim.sock longer than sun_path still works. */
static void shim_address(int dir_fd, struct sockaddr_un *ret)
{
        *ret = (struct sockaddr_un){ .sun_family = AF_UNIX };
        snprintf(ret->sun_path, sizeof(ret->sun_path), "/proc/self/fd/%d/%s", dir_fd, SHIM_SOCKET);
}

int shim_connect(int dir_fd, char req, int *ret_fd)
{
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa;

        shim_address(dir_fd, &sa);
        fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (RETRY_EINTR(connect(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0)
                return -errno;
        if (req && send(fd, &req, 1, MSG_NOSIGNAL) != 1)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int shim_recv_exit(int fd, struct shim_exit *ret)
{
        char msg[SHIM_MSG_MAX];

        for (;;) {
                ssize_t n = RETRY_EINTR(recv(fd, msg, sizeof(msg), 0));

                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EPIPE;
                if (msg[0] == SHIM_MSG_EXIT && (size_t)n == 1 + sizeof(*ret)) {
                        memcpy(ret, msg + 1, sizeof(*ret));
                        return 0;
                }
        }
}

void shim_quit(int dir_fd)
{
        _cleanup_close_ int fd = -EBADF;
        struct pollfd p = { .events = POLLIN };
        struct stat st;
        char c;

        /* No socket, no shim (engines' containers, run --no-shim): spare
         * the connect. */
        if (fstatat(dir_fd, SHIM_SOCKET, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return;
        if (shim_connect(dir_fd, SHIM_REQ_QUIT, &fd) < 0)
                return;
        /* It closes the connection by exiting. */
        p.fd = fd;
        if (RETRY_EINTR(poll(&p, 1, 5000)) == 0)
                log_warn("the shim did not exit within 5 s");
        else
                (void)!read(fd, &c, 1);
}

bool shim_alive(int dir_fd)
{
        _cleanup_close_ int fd = -EBADF;

        return shim_connect(dir_fd, 0, &fd) == 0;
}
