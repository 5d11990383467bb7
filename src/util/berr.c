/* berr: fill and wrap the fixed-size error record (see berr.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/berr.h"

static int berr_vset(struct berr *e, int code, const char *fmt, va_list ap)
{
        if (code >= 0)
                code = -EINVAL;
        e->code = code;
        vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
        return code;
}

int berr_set(struct berr *e, int code, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        code = berr_vset(e, code, fmt, ap);
        va_end(ap);
        return code;
}

int berr_sys(struct berr *e, int code, const char *fmt, ...)
{
        va_list ap;
        size_t len;

        va_start(ap, fmt);
        code = berr_vset(e, code, fmt, ap);
        va_end(ap);
        len = strlen(e->msg);
        snprintf(e->msg + len, sizeof(e->msg) - len, ": %s", strerror(-code));
        return code;
}

int berr_wrap(struct berr *e, const char *fmt, ...)
{
        char old[BERR_MSG_MAX];
        size_t len, rest;
        va_list ap;

        if (e->code >= 0)
                e->code = -EINVAL;
        memcpy(old, e->msg, sizeof(old));
        old[sizeof(old) - 1] = '\0';
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
        va_end(ap);
        len = strlen(e->msg);
        if (old[0] == '\0' || len + 2 >= sizeof(e->msg))
                return e->code;
        /* "context: old", cut to fit. */
        memcpy(e->msg + len, ": ", 2);
        len += 2;
        rest = strnlen(old, sizeof(e->msg) - 1 - len);
        memcpy(e->msg + len, old, rest);
        e->msg[len + rest] = '\0';
        return e->code;
}
