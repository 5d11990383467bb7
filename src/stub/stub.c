/* berth-stub: execve the container's process, and nothing else.
 *
 * berth's own code must not be what a container process can reach through
 * /proc/<pid>/exe or "#!/proc/self/exe" (CVE-2019-5736). Rather than running
 * all of berth from a sealed copy of itself, which costs a copy and a whole
 * second start-up of berth per container, berth keeps this stub, a few KiB
 * of static code, as a byte array; copies it into a sealed memfd (before
 * clone, or while the init sets up, handed over at the commit); and the
 * container's process ends berth's part by executing the memfd, which
 * executes the workload. Whatever runs as the stub runs only this file:
 * nothing here reads a path of the container's or takes an argument it does
 * not expect.
 *
 * It runs with the container process's credentials, limits and seccomp
 * filter already in place; it makes no system call but execve (and, on
 * failure, write and exit), besides what libc's start-up needs. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "stub/stub.h"

/* Append s to buf (of size STUB_MSG_MAX, NUL-terminated), truncating. */
#define STUB_MSG_MAX 4096
static void stub_append(char *buf, const char *s)
{
        size_t len = strlen(buf);

        while (*s && len < STUB_MSG_MAX - 1)
                buf[len++] = *s++;
        buf[len] = '\0';
}

/* All of s to stderr. */
static void stub_write(const char *s)
{
        size_t len = strlen(s);

        while (len > 0) {
                ssize_t n = write(STDERR_FILENO, s, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return;
                s += n;
                len -= (size_t)n;
        }
}

int main(int argc, char **argv, char **envp)
{
        static char msg[STUB_MSG_MAX];
        int err;

        if (argc <= STUB_ARG_ARGV || strcmp(argv[0], STUB_ARGV0) != 0) {
                stub_write(STUB_ARGV0 ": runs only as berth's last step before a container's process\n");
                return 1;
        }
        execve(argv[STUB_ARG_EXE], argv + STUB_ARG_ARGV, envp);
        err = errno;
        /* As berth words it (berr_sys): nobody else is left to tell. One
         * line, one write, so that it stays whole among others' output. */
        stub_append(msg, argv[STUB_ARG_PREFIX]);
        stub_append(msg, "exec \"");
        stub_append(msg, argv[STUB_ARG_ARGV]);
        stub_append(msg, "\": ");
        stub_append(msg, strerror(err));
        stub_append(msg, "\n");
        stub_write(msg);
        return err == ENOENT ? 127 : err == EACCES || err == ENOEXEC ? 126 : 1;
}
