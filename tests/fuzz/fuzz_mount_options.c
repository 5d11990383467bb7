/* fuzz_mount_options: a mount's "options" list (one option per line of the
 * input) through mount_opts_parse(). */
#include "config.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "mount/options.h"
#include "util/berr.h"

#define MAX_OPTIONS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1), *opts[MAX_OPTIONS + 1], *p, *nl;
        struct mount_opts o;
        struct berr e = { 0 };
        size_t n = 0;

        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        for (p = text; n < MAX_OPTIONS && p; p = nl) {
                nl = strchr(p, '\n');
                if (nl)
                        *nl++ = '\0';
                opts[n++] = p;
        }
        opts[n] = NULL;
        memset(&o, 0, sizeof(o));
        if (mount_opts_parse(opts, &o, &e) == 0)
                mount_opts_free(&o);
        else if (e.msg[0] == '\0')
                abort();
        free(text);
        return 0;
}
