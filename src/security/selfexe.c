/* selfexe: re-execute from a sealed memfd copy of the binary (see
 * selfexe.h). crun does the same; runc 1.2 does it too (or clones the
 * binary through an overlayfs). Other options were weighed: PR_SET_MM
 * EXE_FILE needs CAP_SYS_RESOURCE (absent here) and refuses while the old
 * binary is mapped; PR_SET_DUMPABLE=0 keeps other processes out of
 * /proc/<pid>/exe but not the "#!/proc/self/exe" re-execution, which runs a
 * fresh, dumpable berth inside the container. The copy costs one sendfile of
 * the binary and one execve. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "security/selfexe.h"
#include "util/cleanup.h"

#define SELFEXE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int selfexe_fd_is_sealed(int fd)
{
        int seals = fcntl(fd, F_GET_SEALS);

        if (seals < 0)
                return errno == EINVAL ? 0 : -errno;    /* EINVAL: not a sealable file */
        return (seals & SELFEXE_SEALS) == SELFEXE_SEALS;
}

int selfexe_is_sealed(void)
{
        _cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        return selfexe_fd_is_sealed(fd);
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
        mfd = memfd_create("berth", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (mfd < 0)
                return berr_sys(e, -errno, "memfd_create");
        while (done < size) {
                ssize_t n = sendfile(mfd, src, &done, (size_t)(size - done));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return berr_sys(e, -errno, "copy the berth binary into a memfd");
                if (n == 0)
                        return berr_set(e, -EIO, "copy the berth binary into a memfd: short read");
        }
        if (fcntl(mfd, F_ADD_SEALS, SELFEXE_SEALS) < 0)
                return berr_sys(e, -errno, "seal the memfd copy of berth");
        *ret_fd = TAKE_FD(mfd);
        return 0;
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

int selfexe_ensure_sealed(char **argv, struct berr *e)
{
        _cleanup_close_ int mfd = -EBADF;
        const char *marker = getenv(SELFEXE_ENV);
        int r = selfexe_is_sealed();

        if (r < 0)
                return berr_sys(e, r, "inspect /proc/self/exe");
        if (r > 0) {
                if (marker && marker[0] == '/' && strlen(marker) < sizeof(selfexe_host_path))
                        strcpy(selfexe_host_path, marker);
                unsetenv(SELFEXE_ENV);
                return 0;
        }
        /* Already re-executed and still not sealed: do not loop. */
        if (marker)
                return berr_set(e, -EPERM, "re-executed from a memfd but /proc/self/exe is not sealed");
        r = selfexe_copy(&mfd, e);
        if (r < 0)
                return r;
        /* The marker carries the host path across to the copy. */
        if (setenv(SELFEXE_ENV, selfexe_path() ? selfexe_path() : "-", 1) < 0)
                return berr_sys(e, -errno, "setenv");
        execveat(mfd, "", argv, environ, AT_EMPTY_PATH);
        r = -errno;
        unsetenv(SELFEXE_ENV);
        return berr_sys(e, r, "execute the sealed copy of berth (vm.memfd_noexec?)");
}
