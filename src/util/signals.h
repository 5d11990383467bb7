/* signals: signal names and numbers as runc's `kill` accepts them; the
 * signals this process ignores. */
#pragma once

#include <stdint.h>

/* "9", "KILL", "SIGKILL", "kill", "RTMIN+3", "SIGRTMAX-1" -> number.
 * Returns the signal number (> 0) or -EINVAL. */
int signal_from_string(const char *s);
/* "SIGKILL" for 9; NULL for an unknown number. Real-time signals are
 * "SIGRTMIN+N" (returned in a static buffer). */
const char *signal_to_string(int sig);

/* The signals this process ignores (SIG_IGN), from /proc/self/status: bit
 * N-1 stands for signal N. Only these survive an execve; handled signals are
 * reset by the kernel. Returns 0 or a negative errno. */
int signals_ignored(uint64_t *ret);
