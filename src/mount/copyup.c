/* mount/copyup: runc's "tmpcopyup" mount option (see copyup.h).
 *
 * The copy walks the image's directory through fds below the already
 * resolved destination, and never follows a link: a symlink is copied as a
 * symlink, so a hostile image cannot make berth read a host file into the
 * container or write outside the new tmpfs. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mount/copyup.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* Deeper trees are refused rather than walked with ever more open fds. */
#define COPYUP_MAX_DEPTH 64

static int copyup_tree(int src, int dst, unsigned depth, struct berr *e);

static int copyup_data(int in, int out)
{
        char buf[65536];
        ssize_t n;

        /* copy_file_range works within one filesystem type only; the rest
         * (an overlay or ext4 image into tmpfs) is read and written. */
        while ((n = copy_file_range(in, NULL, out, NULL, 1u << 30, 0)) > 0)
                ;
        if (n == 0)
                return 0;
        if (errno != EXDEV && errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS)
                return -errno;
        while ((n = RETRY_EINTR(read(in, buf, sizeof(buf)))) > 0) {
                int r = fs_write_all(out, buf, (size_t)n);

                if (r < 0)
                        return r;
        }
        return n < 0 ? -errno : 0;
}

static int copyup_file(int sdir, int ddir, const char *name, struct berr *e)
{
        /* O_NONBLOCK and a second look: a fifo swapped in since the stat
         * must not hang the create. */
        _cleanup_close_ int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        _cleanup_close_ int out = -EBADF;
        struct stat st;
        int r;

        if (in < 0)
                return berr_sys(e, -errno, "open %s", name);
        if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode))
                return berr_set(e, -EAGAIN, "%s changed while it was copied", name);
        out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (out < 0)
                return berr_sys(e, -errno, "create %s", name);
        r = copyup_data(in, out);
        return r < 0 ? berr_sys(e, r, "copy %s", name) : 0;
}

static int copyup_symlink(int sdir, int ddir, const char *name, const struct stat *st, struct berr *e)
{
        _cleanup_free_ char *target = malloc((size_t)st->st_size + 1);
        ssize_t n;

        if (!target)
                return berr_sys(e, -ENOMEM, "symlink %s", name);
        n = readlinkat(sdir, name, target, (size_t)st->st_size + 1);
        if (n < 0)
                return berr_sys(e, -errno, "read symlink %s", name);
        if (n > st->st_size)
                return berr_set(e, -EAGAIN, "symlink %s changed while it was copied", name);
        target[n] = '\0';
        if (symlinkat(target, ddir, name) < 0)
                return berr_sys(e, -errno, "symlink %s", name);
        return 0;
}

static int copyup_dir(int sdir, int ddir, const char *name, unsigned depth, struct berr *e)
{
        _cleanup_close_ int s = -EBADF, d = -EBADF;

        if (depth >= COPYUP_MAX_DEPTH)
                return berr_set(e, -ELOOP, "%s: more than %d levels of directories", name, COPYUP_MAX_DEPTH);
        if (mkdirat(ddir, name, 0700) < 0)
                return berr_sys(e, -errno, "mkdir %s", name);
        s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (s < 0)
                return berr_sys(e, -errno, "open %s", name);
        d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (d < 0)
                return berr_sys(e, -errno, "open %s", name);
        return copyup_tree(s, d, depth + 1, e) < 0 ? berr_wrap(e, "%s", name) : 0;
}

/* Owner, then mode (chown clears set-id bits), then times. */
static int copyup_attrs(int ddir, const char *name, const struct stat *st, struct berr *e)
{
        const struct timespec times[2] = { st->st_atim, st->st_mtim };

        if (fchownat(ddir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(e, -errno, "chown %s to %u:%u", name, st->st_uid, st->st_gid);
        if (!S_ISLNK(st->st_mode) && fchmodat(ddir, name, st->st_mode & 07777, 0) < 0)
                return berr_sys(e, -errno, "chmod %s", name);
        if (utimensat(ddir, name, times, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(e, -errno, "set the times of %s", name);
        return 0;
}

static int copyup_entry(int sdir, int ddir, const char *name, unsigned depth, struct berr *e)
{
        struct stat st;
        int r;

        if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(e, -errno, "stat %s", name);
        switch (st.st_mode & S_IFMT) {
        case S_IFDIR:
                r = copyup_dir(sdir, ddir, name, depth, e);
                break;
        case S_IFREG:
                r = copyup_file(sdir, ddir, name, e);
                break;
        case S_IFLNK:
                r = copyup_symlink(sdir, ddir, name, &st, e);
                break;
        default:                /* devices, fifos, sockets */
                r = mknodat(ddir, name, st.st_mode, st.st_rdev) < 0 ? berr_sys(e, -errno, "mknod %s", name) : 0;
                break;
        }
        return r < 0 ? r : copyup_attrs(ddir, name, &st, e);
}

static int copyup_tree(int src, int dst, unsigned depth, struct berr *e)
{
        int fd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        DIR *d;
        int r = 0;

        if (fd < 0)
                return berr_sys(e, -errno, "open");
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return berr_sys(e, r, "open");
        }
        while (r == 0 && (errno = 0, de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        r = copyup_entry(dirfd(d), dst, de->d_name, depth, e);
        if (r == 0 && errno != 0)
                r = berr_sys(e, -errno, "read directory");
        closedir(d);
        return r;
}

int mount_copyup(int src_fd, int mnt_fd, struct berr *e)
{
        _cleanup_close_ int root = openat(mnt_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct stat st;

        if (root < 0)
                return berr_sys(e, -errno, "open the new tmpfs");
        if (fstat(src_fd, &st) < 0)
                return berr_sys(e, -errno, "stat the destination");
        /* The tmpfs takes the mode of the directory it covers, as in runc. */
        if (fchmod(root, st.st_mode & 07777) < 0)
                return berr_sys(e, -errno, "chmod the new tmpfs");
        return copyup_tree(src_fd, root, 0, e);
}
