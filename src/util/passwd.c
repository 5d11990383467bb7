/* passwd: parse "name:pw:uid:gid:gecos:home:shell" lines (see passwd.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/passwd.h"

/* Field i (0-based) of a line of n bytes; its length in *ret_len. */
static const char *passwd_field(const char *line, size_t n, int i, size_t *ret_len)
{
        const char *p = line, *end = line + n;

        for (; i > 0; i--) {
                const char *colon = memchr(p, ':', (size_t)(end - p));

                if (!colon)
                        return NULL;
                p = colon + 1;
        }
        *ret_len = (size_t)(end - p);
        {
                const char *colon = memchr(p, ':', *ret_len);

                if (colon)
                        *ret_len = (size_t)(colon - p);
        }
        return p;
}

static int passwd_line_uid(const char *line, size_t n, uid_t *ret)
{
        char buf[16], *end;
        size_t len;
        const char *f = passwd_field(line, n, 2, &len);
        unsigned long v;

        if (!f || len == 0 || len >= sizeof(buf))
                return -1;
        memcpy(buf, f, len);
        buf[len] = '\0';
        v = strtoul(buf, &end, 10);
        if (*end || buf[0] < '0' || buf[0] > '9' || v > (uid_t)-1)
                return -1;
        *ret = (uid_t)v;
        return 0;
}

/* The first line with uid, and its length; NULL when there is none. */
static const char *passwd_line(const char *text, uid_t uid, size_t *ret_n)
{
        for (const char *line = text; *line; ) {
                size_t n = strcspn(line, "\n");
                uid_t u;

                if (passwd_line_uid(line, n, &u) == 0 && u == uid) {
                        *ret_n = n;
                        return line;
                }
                line += n;
                line += *line == '\n';
        }
        return NULL;
}

char *passwd_home(const char *text, uid_t uid)
{
        size_t n, len;
        const char *line = passwd_line(text, uid, &n);
        const char *home = line ? passwd_field(line, n, 5, &len) : NULL;

        if (!home || len == 0 || home[0] != '/')
                return NULL;
        return strndup(home, len);
}

char *passwd_name(const char *text, uid_t uid)
{
        size_t n, len;
        const char *line = passwd_line(text, uid, &n);
        const char *name = line ? passwd_field(line, n, 0, &len) : NULL;

        if (!name || len == 0)
                return NULL;
        return strndup(name, len);
}

int passwd_host_name(uid_t uid, char *buf, size_t size)
{
        _cleanup_free_ char *text = NULL, *name = NULL;

        if (fs_read_at(AT_FDCWD, "/etc/passwd", 16u << 20, &text, NULL) < 0 || !(name = passwd_name(text, uid)))
                return -ENOENT;
        snprintf(buf, size, "%s", name);
        return 0;
}
