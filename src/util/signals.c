/* signals: signal names and numbers for `berth kill`, and the signals a
 * process ignores (see signals.h).
 *
 * runc's kill accepts a number or a name with or without "SIG", in any case.
 * We accept the same, plus the real-time forms kill(1) prints (RTMIN+N,
 * RTMAX-N). Real-time numbers come from the C library's SIGRTMIN/SIGRTMAX,
 * not the kernel's 32..64: glibc reserves the first two for its own threads,
 * and "RTMIN+1" must mean the signal a glibc program in the container knows
 * as SIGRTMIN+1, as it does for the host's kill(1). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/signals.h"

/* Canonical names first: signal_to_string() returns the first match. */
static const struct {
        const char *name;
        int sig;
} signal_table[] = {
        { "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT }, { "SIGILL", SIGILL },
        { "SIGTRAP", SIGTRAP }, { "SIGABRT", SIGABRT }, { "SIGBUS", SIGBUS }, { "SIGFPE", SIGFPE },
        { "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 }, { "SIGSEGV", SIGSEGV }, { "SIGUSR2", SIGUSR2 },
        { "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM }, { "SIGSTKFLT", SIGSTKFLT },
        { "SIGCHLD", SIGCHLD }, { "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP }, { "SIGTSTP", SIGTSTP },
        { "SIGTTIN", SIGTTIN }, { "SIGTTOU", SIGTTOU }, { "SIGURG", SIGURG }, { "SIGXCPU", SIGXCPU },
        { "SIGXFSZ", SIGXFSZ }, { "SIGVTALRM", SIGVTALRM }, { "SIGPROF", SIGPROF }, { "SIGWINCH", SIGWINCH },
        { "SIGIO", SIGIO }, { "SIGPWR", SIGPWR }, { "SIGSYS", SIGSYS },
        /* Aliases kill(1) also knows. */
        { "SIGIOT", SIGIOT }, { "SIGPOLL", SIGPOLL }, { "SIGCLD", SIGCHLD },
};

/* Digits only: no sign, no blanks, no trailing junk. -1 when not a number. */
static int parse_small_uint(const char *s)
{
        long v = 0;

        if (!*s)
                return -1;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -1;
                v = v * 10 + (*s - '0');
                if (v > 1000)
                        return -1;      /* far beyond any signal; stops overflow */
        }
        return (int)v;
}

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (prefix already stripped). */
static int parse_realtime(const char *s)
{
        int base, n = 0, sig;

        if (strncasecmp(s, "RTMIN", 5) == 0)
                base = SIGRTMIN;
        else if (strncasecmp(s, "RTMAX", 5) == 0)
                base = SIGRTMAX;
        else
                return -EINVAL;
        s += 5;
        if (*s) {
                if (*s != (base == SIGRTMIN ? '+' : '-'))
                        return -EINVAL;
                n = parse_small_uint(s + 1);
                if (n < 0)
                        return -EINVAL;
        }
        sig = base == SIGRTMIN ? base + n : base - n;
        if (sig < SIGRTMIN || sig > SIGRTMAX)
                return -EINVAL;
        return sig;
}

int signal_from_string(const char *s)
{
        int n;

        if (!s)
                return -EINVAL;
        n = parse_small_uint(s);
        if (n >= 0)
                return n >= 1 && n <= SIGRTMAX ? n : -EINVAL;
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        for (size_t i = 0; i < ELEMENTSOF(signal_table); i++)
                if (strcasecmp(s, signal_table[i].name + 3) == 0)
                        return signal_table[i].sig;
        return parse_realtime(s);
}

const char *signal_to_string(int sig)
{
        static __thread char buf[sizeof("SIGRTMIN+") + 11];

        for (size_t i = 0; i < ELEMENTSOF(signal_table); i++)
                if (signal_table[i].sig == sig)
                        return signal_table[i].name;
        if (sig < SIGRTMIN || sig > SIGRTMAX)
                return NULL;
        if (sig == SIGRTMIN)
                return "SIGRTMIN";
        snprintf(buf, sizeof(buf), "SIGRTMIN+%d", sig - SIGRTMIN);
        return buf;
}

int signals_ignored(uint64_t *ret)
{
        _cleanup_free_ char *status = NULL;
        const char *line;
        char *end;
        uint64_t mask;
        int r;

        r = fs_read_at(AT_FDCWD, "/proc/self/status", 64 * 1024, &status, NULL);
        if (r < 0)
                return r;
        line = strstr(status, "\nSigIgn:");
        if (!line)
                return -EINVAL;
        errno = 0;
        mask = strtoull(line + strlen("\nSigIgn:"), &end, 16);
        if (errno != 0 || (*end != '\n' && *end != '\0'))
                return -EINVAL;
        *ret = mask;
        return 0;
}
