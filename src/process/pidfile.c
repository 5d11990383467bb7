/* pidfile: --pid-file of create, run and exec, written atomically (a
 * reader such as conmon or containerd never sees it half-written). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "process/container.h"
#include "util/cleanup.h"
#include "util/fs.h"

int container_write_pid_file(const char *path, pid_t pid, struct berr *e)
{
        _cleanup_free_ char *copy = strdup(path);
        _cleanup_close_ int dfd = -EBADF;
        char buf[32], *slash;
        int r;

        if (!copy)
                return berr_sys(e, -ENOMEM, "pid file");
        slash = strrchr(copy, '/');
        if (slash)
                *slash = '\0';
        dfd = open(slash ? (copy[0] ? copy : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return berr_sys(e, -errno, "pid file %s", path);
        snprintf(buf, sizeof(buf), "%d", (int)pid);
        r = fs_write_atomic_at(dfd, slash ? slash + 1 : copy, buf, strlen(buf), 0644);
        return r < 0 ? berr_sys(e, r, "write pid file %s", path) : 0;
}
