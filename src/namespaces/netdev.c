/* namespaces/netdev: run berth-netdev (see netdev.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "namespaces/netdev.h"
#include "security/selfexe.h"
#include "util/cleanup.h"

extern char **environ;

/* Its stderr, up to size - 1 bytes, without the trailing newline. */
static void netdev_read_message(int fd, char *buf, size_t size)
{
        size_t len = 0;
        char sink[256];
        ssize_t n;

        for (;;) {
                if (len < size - 1)
                        n = read(fd, buf + len, size - 1 - len);
                else
                        n = read(fd, sink, sizeof(sink));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                if (len < size - 1)
                        len += (size_t)n;
        }
        buf[len] = '\0';
        while (len > 0 && buf[len - 1] == '\n')
                buf[--len] = '\0';
}

int netdev_move(const char *host_name, const char *name, int netns_fd, struct berr *e)
{
        char helper[PATH_MAX], msg[512];
        /* posix_spawn() takes char *const[] but writes nothing through it. */
        char *argv[] = { (char *)(uintptr_t)"berth-netdev", (char *)(uintptr_t)host_name,
                         (char *)(uintptr_t)name, NULL };
        _cleanup_close_ int out = -EBADF, in = -EBADF, ns = -EBADF;
        posix_spawn_file_actions_t fa;
        int pipefd[2], status, r;
        pid_t pid;

        if (selfexe_helper("berth-netdev", helper, sizeof(helper)) < 0)
                return berr_set(e, -ENOENT, "berth-netdev not found beside %s nor in %s: install it",
                                selfexe_path() ? selfexe_path() : "berth", BERTH_PKGLIBEXECDIR);
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return berr_sys(e, -errno, "pipe");
        out = pipefd[0];
        in = pipefd[1];
        /* Above the numbers the child's actions write: with berth's own
         * stdio closed, either could be 0 to 3. */
        ns = fcntl(netns_fd, F_DUPFD_CLOEXEC, 10);
        r = ns < 0 ? -errno : 0;
        if (r == 0 && in < 10) {
                int moved = fcntl(in, F_DUPFD_CLOEXEC, 10);

                r = moved < 0 ? -errno : 0;
                safe_close(in);
                in = moved;
        }
        if (r < 0)
                return berr_sys(e, r, "run %s", helper);
        /* The namespace as fd 3, its messages on a pipe, nothing else of
         * berth's (the caller's --preserve-fds are not close-on-exec). */
        r = posix_spawn_file_actions_init(&fa);
        if (r == 0)
                r = posix_spawn_file_actions_adddup2(&fa, in, STDERR_FILENO);
        if (r == 0)
                r = posix_spawn_file_actions_adddup2(&fa, ns, 3);
        if (r == 0)
                r = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (r == 0)
                r = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        if (r == 0)
                r = posix_spawn_file_actions_addclosefrom_np(&fa, 4);
        if (r == 0)
                r = posix_spawn(&pid, helper, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        in = safe_close(in);
        if (r != 0)
                return berr_sys(e, -r, "run %s", helper);
        netdev_read_message(out, msg, sizeof(msg));
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return berr_sys(e, -errno, "wait for %s", helper);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        if (WIFSIGNALED(status))
                return berr_set(e, -EIO, "%s killed by %s", helper, strsignal(WTERMSIG(status)));
        /* 1-125: an errno; anything else (255: a usage error) is EIO. */
        r = WEXITSTATUS(status) < 126 ? WEXITSTATUS(status) : EIO;
        return berr_set(e, -r, "%s", msg[0] ? msg : "berth-netdev failed without a message");
}
