/* selfexe: the stub and the sealed copy of berth (see selfexe.h).
 *
 * Other options were weighed. PR_SET_MM_EXE_FILE needs CAP_SYS_RESOURCE
 * (absent here) and refuses while the old binary is mapped. A read-only
 * overlayfs over the binary's directory (runc 1.2) spares the copy but not
 * the second start-up of berth, which is most of what the copy of berth
 * costs (about 1 ms, page faults of a dynamically linked program, on the
 * development machine; the stub's exec is a tenth of it). runc 1.2.0's
 * opt-in stub (runc-dmz, dropped in 1.2.1) changed the capabilities a
 * non-root process ended up with: an execve without file capabilities in
 * between drops the permitted set to the ambient one. That matters only
 * under no_new_privs, where the next execve may not gain what the process
 * no longer has; berth takes the sealed copy then (selfexe_stub_keeps_caps). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <link.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "security/selfexe.h"
#include "spec/spec.h"
#include "stub/stub.h"
#include "util/cleanup.h"
#include "util/fs.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SELFEXE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* stub_blob.c, generated from berth-stub by the build. */
extern const unsigned char selfexe_stub_blob[];
extern const size_t selfexe_stub_size;

static char **selfexe_argv;
static bool selfexe_is_copy;
static int selfexe_stub = -EBADF;
/* selfexe_stub_defer(): the stub comes later, in a child (by the commit). */
static bool selfexe_stub_pending;

static int selfexe_fd_is_sealed(int fd)
{
        int seals = fcntl(fd, F_GET_SEALS);

        if (seals < 0)
                return errno == EINVAL ? 0 : -errno;    /* EINVAL: not a sealable file */
        return (seals & SELFEXE_SEALS) == SELFEXE_SEALS;
}

/* A memfd to execute. vm.memfd_noexec (6.3) makes memfds non-executable
 * unless asked for with MFD_EXEC, which older kernels reject. */
static int selfexe_memfd(const char *name, struct berr *e)
{
        int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

        if (fd < 0 && errno == EINVAL)
                fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        return fd < 0 ? berr_sys(e, -errno, "memfd_create") : fd;
}

static int selfexe_seal(int fd, const char *what, struct berr *e)
{
        if (fcntl(fd, F_ADD_SEALS, SELFEXE_SEALS) < 0)
                return berr_sys(e, -errno, "seal the memfd of %s", what);
        return 0;
}

/* How much of the ELF file execve and the dynamic loader read: up to the
 * end of the last segment's contents (and of the program headers). What
 * follows, the section headers and non-allocated sections, is for
 * debuggers: a build with -g (the default) is three quarters debug
 * information, and copying it is most of what the copy costs. Anything
 * unexpected: the whole file. */
static off_t selfexe_loaded_size(int fd, off_t size)
{
        ElfW(Ehdr) eh;
        off_t end;

        if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
            eh.e_phentsize != sizeof(ElfW(Phdr)) || eh.e_phnum == 0 || eh.e_phnum > 256)
                return size;
        end = (off_t)(eh.e_phoff + (ElfW(Off))eh.e_phnum * sizeof(ElfW(Phdr)));
        for (unsigned i = 0; i < eh.e_phnum; i++) {
                ElfW(Phdr) ph;

                if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != (ssize_t)sizeof(ph))
                        return size;
                if (ph.p_filesz && (off_t)(ph.p_offset + ph.p_filesz) > end)
                        end = (off_t)(ph.p_offset + ph.p_filesz);
        }
        return end > 0 && end <= size ? end : size;
}

/* A sealed memfd holding a copy of the running binary. */
static int selfexe_copy(int *ret_fd, struct berr *e)
{
        _cleanup_close_ int src = -EBADF, mfd = -EBADF;
        struct stat st;
        off_t done = 0, size;

        src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (src < 0 || fstat(src, &st) < 0)
                return berr_sys(e, -errno, "open /proc/self/exe");
        size = selfexe_loaded_size(src, st.st_size);
        mfd = selfexe_memfd("berth", e);
        if (mfd < 0)
                return mfd;
        while (done < size) {
                ssize_t n = sendfile(mfd, src, &done, (size_t)(size - done));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return berr_sys(e, -errno, "copy the berth binary into a memfd");
                if (n == 0)
                        return berr_set(e, -EIO, "copy the berth binary into a memfd: short read");
        }
        if (selfexe_seal(mfd, "berth's copy", e) < 0)
                return e->code;
        *ret_fd = TAKE_FD(mfd);
        return 0;
}

int selfexe_helper(const char *name, char *buf, size_t size)
{
        const char *self = selfexe_path();

        if (self) {
                char dir[PATH_MAX];

                snprintf(dir, sizeof(dir), "%s", self);
                snprintf(buf, size, "%s/%s", dirname(dir), name);
                if (access(buf, X_OK) == 0)
                        return 0;
        }
        snprintf(buf, size, "%s/%s", BERTH_PKGLIBEXECDIR, name);
        return access(buf, X_OK) == 0 ? 0 : -ENOENT;
}

/* The binary's path on the host, which the memfd copy no longer shows. */
static char selfexe_host_path[PATH_MAX];

const char *selfexe_path(void)
{
        ssize_t n;

        if (selfexe_host_path[0])
                return selfexe_host_path;
        n = readlink("/proc/self/exe", selfexe_host_path, sizeof(selfexe_host_path) - 1);
        if (n <= 0 || selfexe_host_path[0] != '/') {
                selfexe_host_path[0] = '\0';
                return NULL;
        }
        selfexe_host_path[n] = '\0';
        return selfexe_host_path;
}

int selfexe_init(char **argv, struct berr *e)
{
        _cleanup_close_ int fd = -EBADF;
        const char *marker = getenv(SELFEXE_ENV);
        size_t n = 0;
        int r;

        /* getopt permutes argv in place: keep the order berth was given. */
        while (argv[n])
                n++;
        selfexe_argv = calloc(n + 1, sizeof(*argv));
        if (!selfexe_argv)
                return berr_set(e, -ENOMEM, "out of memory");
        memcpy(selfexe_argv, argv, n * sizeof(*argv));
        if (!marker)
                return 0;
        /* Re-executed: and sealed, or the marker was forged or inherited. */
        fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, -errno, "open /proc/self/exe");
        r = selfexe_fd_is_sealed(fd);
        if (r < 0)
                return berr_sys(e, r, "inspect /proc/self/exe");
        if (r == 0)
                return berr_set(e, -EPERM, "%s is set but /proc/self/exe is not a sealed copy of berth", SELFEXE_ENV);
        if (marker[0] == '/' && strlen(marker) < sizeof(selfexe_host_path))
                strcpy(selfexe_host_path, marker);
        unsetenv(SELFEXE_ENV);
        selfexe_is_copy = true;
        return 0;
}

/* An execve without file capabilities leaves a process that is not root
 * with its ambient capabilities as permitted ones, the inheritable and
 * bounding sets as they were: what the workload's own execve then computes
 * is the same, unless no_new_privs caps it at the permitted set it had. */
static bool selfexe_stub_keeps_caps(const struct spec_process *p)
{
        return !p->no_new_privileges || p->user.uid == 0 || !p->has_caps || p->caps.permitted == p->caps.ambient;
}

bool selfexe_needs_copy(const struct spec_linux *l, const struct spec_process *p)
{
        const struct spec_namespace *pid = &l->ns[SPEC_NS_PID];

        /* Not root: the /proc files of a non-dumpable process would be
         * root's, out of the reach of berth and its user. */
        if (geteuid() != 0 || p->selinux_label || p->apparmor_profile || !selfexe_stub_keeps_caps(p))
                return true;
        if (l->ns[SPEC_NS_USER].present)
                return false;
        return (p->has_caps && (p->caps.bounding & (UINT64_C(1) << CAP_SYS_PTRACE))) || (pid->present && pid->path);
}

int selfexe_reexec_sealed(struct berr *e)
{
        _cleanup_close_ int mfd = -EBADF;
        int r;

        if (selfexe_is_copy)
                return 0;
        if (!selfexe_argv)
                return berr_set(e, -EINVAL, "re-execute berth: selfexe_init was not called");
        r = selfexe_copy(&mfd, e);
        if (r < 0)
                return r;
        /* The marker carries the host path across to the copy. */
        if (setenv(SELFEXE_ENV, selfexe_path() ? selfexe_path() : "-", 1) < 0)
                return berr_sys(e, -errno, "setenv");
        execveat(mfd, "", selfexe_argv, environ, AT_EMPTY_PATH);
        r = -errno;
        unsetenv(SELFEXE_ENV);
        return berr_sys(e, r, "execute the sealed copy of berth (vm.memfd_noexec?)");
}

int selfexe_stub_prepare(struct berr *e)
{
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (selfexe_is_copy || selfexe_stub >= 0)
                return 0;
        fd = selfexe_memfd("berth-stub", e);
        if (fd < 0)
                return fd;
        r = fs_write_all(fd, selfexe_stub_blob, selfexe_stub_size);
        if (r < 0)
                return berr_sys(e, r, "write berth-stub into a memfd");
        if (selfexe_seal(fd, "berth-stub", e) < 0)
                return e->code;
        /* Inherited by every clone: see selfexe_keep_undumpable(). */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return berr_sys(e, -errno, "make berth's processes non-dumpable");
        selfexe_stub = TAKE_FD(fd);
        return 0;
}

bool selfexe_stub_defer(void)
{
        if (selfexe_is_copy || selfexe_stub >= 0)
                return false;
        /* The stub is not there yet, the protection it goes with is. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return false;
        selfexe_stub_pending = true;
        return true;
}

void selfexe_stub_adopt(int fd)
{
        safe_close(selfexe_stub);
        selfexe_stub = fd;
        selfexe_stub_pending = false;
}

void selfexe_keep_undumpable(void)
{
        if (selfexe_stub >= 0 || selfexe_stub_pending)
                prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int selfexe_stub_fd(void)
{
        return selfexe_stub;
}

int selfexe_stub_move(int fd)
{
        if (selfexe_stub < 0 || selfexe_stub == fd)
                return 0;
        if (dup3(selfexe_stub, fd, O_CLOEXEC) < 0)
                return -errno;
        close(selfexe_stub);
        selfexe_stub = fd;
        return 0;
}

int selfexe_execve(const char *prefix, const char *exe, char *const argv[], char *const envp[])
{
        _cleanup_free_ char **sargv = NULL;
        size_t n = 0;

        if (selfexe_stub < 0) {
                execve(exe, argv, envp);
                return -errno;
        }
        while (argv[n])
                n++;
        sargv = calloc(STUB_ARG_ARGV + n + 1, sizeof(*sargv));
        if (!sargv)
                return -ENOMEM;
        /* execve() takes char *const[] but writes nothing through it. */
        sargv[0] = (char *)(uintptr_t)STUB_ARGV0;
        sargv[STUB_ARG_PREFIX] = (char *)(uintptr_t)prefix;
        sargv[STUB_ARG_EXE] = (char *)(uintptr_t)exe;
        memcpy(sargv + STUB_ARG_ARGV, argv, n * sizeof(*argv));
        execveat(selfexe_stub, "", sargv, envp, AT_EMPTY_PATH);
        return -errno;
}
