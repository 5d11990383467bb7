/* console: the container's pty and the console socket (see console.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "process/console.h"
#include "util/cleanup.h"

#define CONSOLE_PTMX "/dev/pts/ptmx"

static int console_make_ctty(int slave, struct berr *e)
{
        if (setsid() < 0)
                return berr_sys(e, -errno, "terminal: setsid");
        if (ioctl(slave, TIOCSCTTY, 0) < 0)
                return berr_sys(e, -errno, "terminal: make the pty the controlling terminal");
        for (int fd = 0; fd <= 2; fd++)
                if (dup2(slave, fd) < 0)
                        return berr_sys(e, -errno, "terminal: make the pty fd %d", fd);
        return 0;
}

/* The container's /dev/console becomes its pty, as runc makes it. The
 * mount point is opened with O_NOFOLLOW and the pty attached to that fd,
 * so a /dev/console the image made a symlink (to a host file, or raced in
 * while berth works: CVE-2025-52565) is refused, never followed. */
int console_bind_dev_console(int slave, struct berr *e)
{
        _cleanup_close_ int dev = open("/dev", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        _cleanup_close_ int target = -EBADF, mfd = -EBADF;
        struct stat st;

        if (dev < 0)
                return berr_sys(e, -errno, "terminal: open /dev");
        target = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (target < 0 && errno == ENOENT) {
                int fd = openat(dev, "console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);

                /* A read-only /dev of the image's own: no console, as
                 * without a terminal. */
                if (fd < 0 && errno == EROFS)
                        return 0;
                if (fd < 0)
                        return berr_sys(e, -errno, "terminal: create /dev/console");
                close(fd);
                target = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
        }
        if (target < 0)
                return berr_sys(e, -errno, "terminal: open /dev/console");
        if (fstat(target, &st) < 0)
                return berr_sys(e, -errno, "terminal: stat /dev/console");
        if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
                return berr_set(e, -EPERM, "terminal: /dev/console is not a file or a device (a symlink?): refusing to mount over it");
        mfd = open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (mfd < 0)
                return berr_sys(e, -errno, "terminal: bind the pty");
        if (move_mount(mfd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return berr_sys(e, -errno, "terminal: mount the pty on /dev/console");
        return 0;
}

int console_setup(const struct spec_process *p, uid_t owner, bool dev_console, int *ret_master, struct berr *e)
{
        _cleanup_close_ int master = -EBADF, slave = -EBADF;
        int unlock = 0;

        master = open(CONSOLE_PTMX, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0)
                return berr_sys(e, -errno, "terminal: open %s in the container (is devpts mounted?)", CONSOLE_PTMX);
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
                return berr_sys(e, -errno, "terminal: unlock the pty");
        /* By the master, not by a path: nothing in the container can swap
         * the slave under us. */
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return berr_sys(e, -errno, "terminal: open the pty slave");
        if (p->console_size.set) {
                struct winsize ws = { .ws_row = (unsigned short)p->console_size.height,
                                      .ws_col = (unsigned short)p->console_size.width };

                if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
                        return berr_sys(e, -errno, "terminal: set the size from .process.consoleSize");
        }
        /* The workload must own its terminal once it is not root; an id
         * the user namespace does not map (EINVAL) keeps root's. */
        if (fchown(slave, owner, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM)
                return berr_sys(e, -errno, "terminal: chown the pty to %u", (unsigned)owner);
        if (dev_console && console_bind_dev_console(slave, e) < 0)
                return e->code;
        if (console_make_ctty(slave, e) < 0)
                return e->code;
        *ret_master = TAKE_FD(master);
        return 0;
}

int console_socket_connect(const char *path, int *ret_fd, struct berr *e)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF;

        if (strlen(path) >= sizeof(sa.sun_path))
                return berr_set(e, -ENAMETOOLONG, "--console-socket %s: path too long", path);
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return berr_sys(e, -errno, "--console-socket %s", path);
        if (RETRY_EINTR(connect(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0)
                return berr_sys(e, -errno, "--console-socket %s: connect", path);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int console_socket_send(int sock, int master, struct berr *e)
{
        /* runc sends the terminal's name as the data; receivers ignore it. */
        char name[] = "/dev/ptmx";
        struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
        union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl = {};
        struct msghdr msg = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
        };
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &master, sizeof(int));
        if (RETRY_EINTR(sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0)
                return berr_sys(e, -errno, "--console-socket: send the pty master");
        return 0;
}
