/* fuzz_text: small parsers of text berth reads from files it does not
 * trust: a CPU list (execCPUAffinity, cpuset files) and the container's
 * /etc/passwd (HOME). The first byte picks the parser and, for passwd, the
 * uid to look up. */
#include "config.h"
#include "fuzz.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "util/cpulist.h"
#include "util/passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text;
        cpu_set_t set;

        if (size < 1)
                return 0;
        text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        if (data[0] & 1) {
                int r = cpulist_parse(text, &set);

                if (r != 0 && r != -22)
                        abort();
        } else {
                free(passwd_home(text, (uid_t)(data[0] >> 1)));
        }
        free(text);
        return 0;
}
