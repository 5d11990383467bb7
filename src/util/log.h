/* log: where berth's messages go (--log, --log-format, --log-level).
 *
 * Without --log, messages go to stderr as text. With --log FILE they go to
 * FILE, as text or as one JSON object per line ({"level","msg","time"}).
 * The CLI reports a command's failure exactly once with log_fatal(). */
#pragma once

#include <stdbool.h>
#include <time.h>

#include "util/berr.h"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Apply the global flags; NULL means "not given". */
int log_setup(const char *file, const char *format, const char *level, bool debug, struct berr *e);
void log_close(void);
bool log_enabled(enum log_level lvl);
/* The fd of the --log file, or -EBADF: not one to hand to a container. */
int log_file_fd(void);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

/* The command failed: one line on stderr, and one "error" record in the log
 * file when there is one (containerd keeps the last error line, Podman
 * parses the file as one object). */
void log_fatal(const char *msg);

/* RFC 3339 with nanoseconds in UTC, as Go's time.RFC3339Nano prints it. */
void log_format_time(const struct timespec *ts, char *buf, size_t size);
