/* resolve: openat2-confined lookups and creation inside a rootfs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount/resolve.h"
#include "util/cleanup.h"

int resolve_open(int rootfd, const char *path, int flags)
{
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

        return fd < 0 ? -errno : (int)fd;
}

/* Create `name` inside parentfd: a directory, or an empty regular file. */
static int resolve_create_entry(int parentfd, const char *name, bool file)
{
        if (file) {
                int fd = openat(parentfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

                if (fd < 0)
                        return -errno;
                close(fd);
                return 0;
        }
        return mkdirat(parentfd, name, 0755) < 0 ? -errno : 0;
}

/* The common case of resolve_mkdir_open: only the last component is
 * missing. It is made in its parent, resolved in the root like every
 * prefix; -ENOENT (a parent missing too) or -EEXIST (the name is there,
 * as a dangling link) send the caller to the walk, which says what is
 * wrong. */
static int resolve_mkdir_last(int rootfd, const char *path, bool file)
{
        _cleanup_free_ char *copy = strdup(path);
        _cleanup_close_ int parent = -EBADF;
        char *slash, *name;
        int r;

        if (!copy)
                return -ENOMEM;
        for (size_t n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
                copy[n - 1] = '\0';
        slash = strrchr(copy, '/');
        if (!slash)
                return -ENOENT;
        name = slash + 1;
        if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strlen(name) > 255)
                return -ENOENT;
        *slash = '\0';
        parent = resolve_open(rootfd, copy[0] ? copy : "/", O_PATH | O_DIRECTORY);
        if (parent < 0)
                return parent == -ENOTDIR ? -ENOENT : parent;
        r = resolve_create_entry(parent, name, file);
        if (r < 0)
                return r;
        *slash = '/';
        return resolve_open(rootfd, copy, O_PATH);
}

int resolve_mkdir_open(int rootfd, const char *path, enum resolve_last last, int *ret_fd,
                       struct berr *e)
{
        _cleanup_free_ char *prefix = NULL;
        _cleanup_close_ int parent = -EBADF;
        size_t len = strlen(path), pos = 0;
        int fd;

        fd = resolve_open(rootfd, path, O_PATH);
        if (fd >= 0 || fd != -ENOENT) {
                if (fd < 0)
                        return berr_sys(e, fd, "resolve %s in rootfs", path);
                *ret_fd = fd;
                return 0;
        }
        fd = resolve_mkdir_last(rootfd, path, last == RESOLVE_LAST_FILE);
        if (fd >= 0) {
                *ret_fd = fd;
                return 0;
        }
        if (fd != -ENOENT && fd != -EEXIST)
                return berr_sys(e, fd, "create %s in rootfs", path);
        prefix = malloc(len + 2);
        if (!prefix)
                return berr_sys(e, -ENOMEM, "resolve %s", path);
        parent = resolve_open(rootfd, "/", O_PATH);
        if (parent < 0)
                return berr_sys(e, parent, "open rootfs");
        /* Walk prefix by prefix; each missing component is made in its parent fd. */
        while (pos < len) {
                size_t start, end;
                bool is_last;
                int r;

                while (pos < len && path[pos] == '/')
                        pos++;
                start = pos;
                while (pos < len && path[pos] != '/')
                        pos++;
                end = pos;
                if (end == start)
                        break;
                while (pos < len && path[pos] == '/')
                        pos++;
                is_last = pos >= len;
                memcpy(prefix, path, end);
                prefix[end] = '\0';
                fd = resolve_open(rootfd, prefix, O_PATH);
                if (fd == -ENOENT) {
                        char name[256];

                        if (end - start >= sizeof(name))
                                return berr_set(e, -ENAMETOOLONG, "resolve %s: component too long", path);
                        memcpy(name, path + start, end - start);
                        name[end - start] = '\0';
                        r = resolve_create_entry(parent, name, is_last && last == RESOLVE_LAST_FILE);
                        if (r == -EEXIST)
                                return berr_set(e, -ELOOP, "resolve %s: \"%s\" is a dangling symbolic link", path, prefix);
                        if (r < 0)
                                return berr_sys(e, r, "create %s in rootfs", prefix);
                        fd = resolve_open(rootfd, prefix, O_PATH);
                }
                if (fd < 0)
                        return berr_sys(e, fd, "resolve %s in rootfs", prefix);
                safe_close(parent);
                parent = fd;
        }
        *ret_fd = TAKE_FD(parent);
        return 0;
}

int resolve_parent(int rootfd, const char *path, int *ret_fd, char **ret_name_buf, const char **ret_name,
                   struct berr *e)
{
        _cleanup_free_ char *copy = strdup(path);
        char *slash;
        int r;

        if (!copy)
                return berr_sys(e, -ENOMEM, "resolve %s", path);
        /* Drop trailing slashes, then split at the last one. */
        for (size_t n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
                copy[n - 1] = '\0';
        slash = strrchr(copy, '/');
        if (!slash || slash[1] == '\0' || strcmp(slash + 1, "..") == 0 || strcmp(slash + 1, ".") == 0)
                return berr_set(e, -EINVAL, "%s: not a path to a file", path);
        *slash = '\0';
        r = resolve_mkdir_open(rootfd, copy[0] ? copy : "/", RESOLVE_LAST_DIR, ret_fd, e);
        if (r < 0)
                return r;
        *ret_name = slash + 1;
        *ret_name_buf = TAKE_PTR(copy);
        return 0;
}
