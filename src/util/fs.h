/* fs: small fd-first file helpers used across berth. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "util/berr.h"

/* Read all of dirfd/name (at most max bytes; larger is -EFBIG) into a new
 * NUL-terminated buffer. O_NOFOLLOW: the last component is never a symlink;
 * anything but a regular file is refused (-EISDIR, -EINVAL), never waited on. */
int fs_read_at(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len);

/* Write data to dirfd/name atomically for readers: a temporary file in the
 * same directory, renamed over name. Not fsync'd: what berth writes this way
 * is runtime state (it means nothing after a reboot, and /run is a tmpfs),
 * and an fsync per create costs more than the rest of the write. */
int fs_write_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode);
/* The same in two steps: the temporary file, then (fs_commit_staged_at)
 * the rename, which is all a reader waits for. A staged file that is not
 * committed stays, under a name no reader opens, until its directory goes. */
int fs_write_staged_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode);
int fs_commit_staged_at(int dirfd, const char *name);

/* Lexically clean an absolute path into buf: no "//", "." or ".." (a ".."
 * at the top stays at "/"), no trailing slash. -ENAMETOOLONG if it does
 * not fit. Symlinks are not looked at. */
int fs_path_clean(const char *path, char *buf, size_t size);

/* Write s to dirfd/name, which must be a file of procfs (so a mount over
 * it cannot redirect the write somewhere else): -EXDEV otherwise. */
int fs_write_proc_at(int dirfd, const char *name, const char *s);

/* Write all of buf to fd, retrying short writes and EINTR. */
int fs_write_all(int fd, const void *buf, size_t len);

/* Write a short string into an existing file (sysctl, proc knobs, cgroup files). */
int fs_write_string_at(int dirfd, const char *name, const char *s);

/* Remove dirfd/name and everything below it, never crossing a mount point
 * and never following symlinks. Missing is not an error. */
int fs_rm_rf_at(int dirfd, const char *name);

/* mkdir -p of an absolute or relative path (plain path walk: for berth's own
 * directories, never for paths inside a container's rootfs). */
int fs_mkdir_p(const char *path, mode_t mode);
