/* fs: fd-first file helpers (see fs.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

int fs_read_at(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len)
{
        /* O_NONBLOCK: a fifo planted where a file is expected must not hang
         * the reader; it is refused below (regular files ignore the flag). */
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = max < 4096 ? max : 4096;
        struct stat st;

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
        buf = malloc(cap + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n;

                if (len == cap) {
                        char *nb, probe;

                        if (cap >= max) {
                                /* Full: anything more means the file is too big. */
                                n = RETRY_EINTR(read(fd, &probe, 1));
                                if (n < 0)
                                        return -errno;
                                if (n > 0)
                                        return -EFBIG;
                                break;
                        }
                        cap = cap * 2 > max ? max : cap * 2;
                        nb = realloc(buf, cap + 1);
                        if (!nb)
                                return -ENOMEM;
                        buf = nb;
                }
                n = RETRY_EINTR(read(fd, buf + len, cap - len));
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        if (ret_len)
                *ret_len = len;
        return 0;
}

int fs_write_all(int fd, const void *buf, size_t len)
{
        const char *p = buf;

        while (len > 0) {
                ssize_t n = RETRY_EINTR(write(fd, p, len));

                if (n < 0)
                        return -errno;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static int fs_staged_name(const char *name, char *buf, size_t size)
{
        if (snprintf(buf, size, ".%s.tmp.%d", name, (int)getpid()) >= (int)size)
                return -ENAMETOOLONG;
        return 0;
}

int fs_write_staged_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode)
{
        char tmp[256];
        int fd, r;

        r = fs_staged_name(name, tmp, sizeof(tmp));
        if (r < 0)
                return r;
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return -errno;
        r = fs_write_all(fd, data, len);
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r < 0)
                unlinkat(dirfd, tmp, 0);
        return r;
}

int fs_commit_staged_at(int dirfd, const char *name)
{
        char tmp[256];
        int r;

        r = fs_staged_name(name, tmp, sizeof(tmp));
        if (r < 0)
                return r;
        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                r = -errno;
                unlinkat(dirfd, tmp, 0);
                return r;
        }
        return 0;
}

int fs_write_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode)
{
        int r = fs_write_staged_at(dirfd, name, data, len, mode);

        return r < 0 ? r : fs_commit_staged_at(dirfd, name);
}

int fs_write_string_at(int dirfd, const char *name, const char *s)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return fs_write_all(fd, s, strlen(s));
}

int fs_write_proc_at(int dirfd, const char *name, const char *s)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        struct statfs sfs;

        if (fd < 0)
                return -errno;
        if (fstatfs(fd, &sfs) < 0)
                return -errno;
        if (sfs.f_type != PROC_SUPER_MAGIC)
                return -EXDEV;
        return fs_write_all(fd, s, strlen(s));
}

int fs_path_clean(const char *path, char *buf, size_t size)
{
        size_t len = 0;

        if (size < 2)
                return -ENAMETOOLONG;
        while (*path) {
                size_t n;

                path += strspn(path, "/");
                n = strcspn(path, "/");
                if (n == 0 || (n == 1 && path[0] == '.')) {
                        path += n;
                        continue;
                }
                if (n == 2 && path[0] == '.' && path[1] == '.') {
                        while (len > 0 && buf[--len] != '/')
                                ;
                        path += n;
                        continue;
                }
                if (len + 1 + n >= size)
                        return -ENAMETOOLONG;
                buf[len] = '/';
                memcpy(buf + len + 1, path, n);
                len += 1 + n;
                path += n;
        }
        if (len == 0)
                buf[len++] = '/';
        buf[len] = '\0';
        return 0;
}

static int fs_rm_children(int dfd, dev_t dev);

static int fs_rm_entry(int dfd, const char *name, dev_t dev)
{
        struct stat st;
        int r;

        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (S_ISDIR(st.st_mode)) {
                int sub;

                if (st.st_dev != dev)
                        return -EXDEV;          /* a mount point: never descend */
                sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (sub < 0)
                        return -errno;
                r = fs_rm_children(sub, dev);
                close(sub);
                if (r < 0)
                        return r;
                return unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
        }
        return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
}

static int fs_rm_children(int dfd, dev_t dev)
{
        int dup_fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
        struct dirent *de;
        DIR *d;
        int r = 0;

        if (dup_fd < 0)
                return -errno;
        d = fdopendir(dup_fd);
        if (!d) {
                close(dup_fd);
                return -errno;
        }
        while ((de = readdir(d))) {
                int q;

                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                /* A file that readdir says is no directory goes without a stat. */
                if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
                        q = unlinkat(dfd, de->d_name, 0) < 0 && errno != ENOENT ? -errno : 0;
                else
                        q = fs_rm_entry(dfd, de->d_name, dev);
                if (q < 0 && r == 0)
                        r = q;
        }
        closedir(d);
        return r;
}

int fs_rm_rf_at(int dirfd, const char *name)
{
        struct stat st;

        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        return fs_rm_entry(dirfd, name, st.st_dev);
}

int fs_mkdir_p(const char *path, mode_t mode)
{
        _cleanup_free_ char *p = NULL;
        char *s;

        /* Most often only the last component is missing, or none. */
        if (mkdir(path, mode) == 0 || errno == EEXIST)
                return 0;
        if (errno != ENOENT)
                return -errno;
        p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (s = p + 1; ; s++) {
                bool last = *s == '\0';

                if (*s != '/' && !last)
                        continue;
                *s = '\0';
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        return -errno;
                if (last)
                        break;
                *s = '/';
        }
        return 0;
}
