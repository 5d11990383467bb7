/* signals: signal names and numbers as runc's `kill` accepts them. */
#pragma once

/* "9", "KILL", "SIGKILL", "kill", "RTMIN+3", "SIGRTMAX-1" -> number.
 * Returns the signal number (> 0) or -EINVAL. */
int signal_from_string(const char *s);
/* "SIGKILL" for 9; NULL for an unknown number. Real-time signals are
 * "SIGRTMIN+N" (returned in a static buffer). */
const char *signal_to_string(int sig);
