/* log: text or JSON log records to stderr or the --log file (see log.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"

static struct {
        int fd;                 /* -EBADF: stderr, text */
        bool json;
        enum log_level level;
} log_cfg = { .fd = -EBADF, .json = false, .level = LOG_WARN };

static const char *const level_names[] = {
        [LOG_ERROR] = "error", [LOG_WARN] = "warning", [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

int log_setup(const char *file, const char *format, const char *level, bool debug, struct berr *e)
{
        if (format && strcmp(format, "json") == 0)
                log_cfg.json = true;
        else if (format && strcmp(format, "text") != 0)
                return berr_set(e, -EINVAL, "--log-format: expected \"text\" or \"json\", got \"%s\"", format);
        if (level) {
                size_t i;

                for (i = 0; i < ELEMENTSOF(level_names); i++)
                        if (strcmp(level, level_names[i]) == 0 ||
                            (i == LOG_WARN && strcmp(level, "warn") == 0))
                                break;
                if (i == ELEMENTSOF(level_names))
                        return berr_set(e, -EINVAL, "--log-level: expected error, warning, info or debug, got \"%s\"", level);
                log_cfg.level = (enum log_level)i;
        }
        if (debug)
                log_cfg.level = LOG_DEBUG;
        if (file) {
                int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);

                if (fd < 0)
                        return berr_sys(e, -errno, "--log %s", file);
                log_cfg.fd = fd;
        }
        return 0;
}

void log_close(void)
{
        log_cfg.fd = safe_close(log_cfg.fd);
}

bool log_enabled(enum log_level lvl)
{
        return lvl <= log_cfg.level;
}

/* snprintf, not strftime: strftime calls tzset(), which reads
 * /etc/localtime (and $TZ) for a time stamp that is UTC anyway. */
void log_format_time(const struct timespec *ts, char *buf, size_t size)
{
        struct tm tm;

        gmtime_r(&ts->tv_sec, &tm);
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, ts->tv_nsec);
}

static void log_write_record(int fd, bool json, enum log_level lvl, const char *msg)
{
        char stamp[64];
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        log_format_time(&ts, stamp, sizeof(stamp));
        if (json) {
                _cleanup_jw_ struct jw *w = jw_new(JW_COMPACT);
                const char *text;
                size_t len;

                if (!w)
                        return;
                jw_obj_begin(w);
                jw_kstr(w, "level", level_names[lvl]);
                jw_kstr(w, "msg", msg);
                jw_kstr(w, "time", stamp);
                jw_obj_end(w);
                text = jw_text(w, &len);
                dprintf(fd, "%.*s\n", (int)len, text);
        } else if (fd == STDERR_FILENO) {
                dprintf(fd, "berth: %s\n", msg);
        } else {
                dprintf(fd, "time=\"%s\" level=%s msg=\"%s\"\n", stamp, level_names[lvl], msg);
        }
}

int log_file_fd(void)
{
        return log_cfg.fd >= 0 ? log_cfg.fd : -EBADF;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
        char msg[2048];
        va_list ap;
        int saved = errno;

        if (!log_enabled(lvl))
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (log_cfg.fd >= 0)
                log_write_record(log_cfg.fd, log_cfg.json, lvl, msg);
        else
                log_write_record(STDERR_FILENO, false, lvl, msg);
        errno = saved;
}

void log_fatal(const char *msg)
{
        if (log_cfg.fd >= 0)
                log_write_record(log_cfg.fd, log_cfg.json, LOG_ERROR, msg);
        log_write_record(STDERR_FILENO, false, LOG_ERROR, msg);
}
