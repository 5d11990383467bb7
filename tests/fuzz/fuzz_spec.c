/* fuzz_spec: config.json, the runtime's most hostile input, through the
 * whole parser and validator, then freed. Whatever the input, the parser
 * must return 0 with a spec or an error with a message, never crash, leak
 * or read out of bounds. */
#include "config.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "spec/spec.h"
#include "util/berr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct spec *s = NULL;
        struct berr e = { 0 };
        int r = spec_parse("config.json", (const char *)data, size, &s, &e);

        if (r == 0) {
                if (!s)
                        abort();
                spec_free(s);
        } else if (s || e.msg[0] == '\0' || strncmp(e.msg, "config.json", 11) != 0) {
                /* An error always names the file. */
                abort();
        }
        return 0;
}
