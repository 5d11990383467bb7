/* log: text or JSON log records to stderr or the --log file (see log.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
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

/* The date and time by arithmetic (days to civil date, after H. Hinnant's
 * "chrono-compatible low-level date algorithms"): glibc's gmtime_r and
 * strftime both run tzset() once per process, which reads /etc/localtime
 * (and $TZ) for a time stamp that is UTC anyway. */
void log_format_time(const struct timespec *ts, char *buf, size_t size)
{
        int64_t t = ts->tv_sec, days = t / 86400, secs = t % 86400;

        if (secs < 0) {
                secs += 86400;
                days--;
        }
        days += 719468;                 /* from 1970-01-01 to 0000-03-01 */
        int64_t era = (days >= 0 ? days : days - 146096) / 146097;
        int64_t doe = days - era * 146097;                                      /* [0, 146096] */
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;    /* [0, 399] */
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  /* [0, 365] */
        int64_t mp = (5 * doy + 2) / 153;                                       /* [0, 11], from March */
        int64_t day = doy - (153 * mp + 2) / 5 + 1;
        int64_t month = mp < 10 ? mp + 3 : mp - 9;
        int64_t year = yoe + era * 400 + (month <= 2);

        snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%09ldZ", (long long)year, (long long)month,
                 (long long)day, (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60),
                 ts->tv_nsec);
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
