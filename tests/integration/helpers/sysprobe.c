/* sysprobe: one raw syscall, its result printed, for the seccomp tests
 * (busybox applets hide errno values and call more than one syscall).
 * Built static at test time (test-seccomp.sh); never committed as a binary.
 *
 *   sysprobe NR [ARG...]      syscall(NR, ARG...) -> "ret=R" or "errno=E"
 *   sysprobe status           the Seccomp and NoNewPrivs lines of
 *                             /proc/self/status */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int status(void)
{
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];

        if (!f)
                return 1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, "Seccomp:", 8) == 0 || strncmp(line, "NoNewPrivs:", 11) == 0)
                        fputs(line, stdout);
        fclose(f);
        return 0;
}

int main(int argc, char **argv)
{
        long args[6] = { 0 };
        long r;

        if (argc < 2 || argc > 8) {
                fprintf(stderr, "usage: sysprobe NR [ARG...] | status\n");
                return 2;
        }
        if (strcmp(argv[1], "status") == 0)
                return status();
        for (int i = 2; i < argc; i++)
                args[i - 2] = strtol(argv[i], NULL, 0);
        r = syscall(strtol(argv[1], NULL, 0), args[0], args[1], args[2], args[3], args[4], args[5]);
        if (r < 0)
                printf("errno=%d\n", errno);
        else
                printf("ret=%ld\n", r);
        fflush(stdout);
        return 0;
}
