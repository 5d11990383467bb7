/* passwd: parse "name:pw:uid:gid:gecos:home:shell" lines (see passwd.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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

char *passwd_home(const char *text, uid_t uid)
{
        for (const char *line = text; *line; ) {
                size_t n = strcspn(line, "\n"), len;
                const char *home;
                uid_t u;

                if (passwd_line_uid(line, n, &u) == 0 && u == uid) {
                        home = passwd_field(line, n, 5, &len);
                        if (!home || len == 0 || home[0] != '/')
                                return NULL;
                        return strndup(home, len);
                }
                line += n;
                line += *line == '\n';
        }
        return NULL;
}
