/* fuzz_seccomp: config.json through the parser and, when it has a
 * linux.seccomp object, through the seccomp compiler (libseccomp and the
 * ENOSYS preamble). Compiling must succeed or fail with a message naming
 * the JSON path, and a program is never longer than the kernel takes. */
#include "config.h"
#include "fuzz.h"

#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/seccomp.h"
#include "spec/spec.h"
#include "util/berr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct seccomp_program p = SECCOMP_PROGRAM_INIT;
        struct spec *s = NULL;
        struct berr e = { 0 };
        int r;

        if (spec_parse("config.json", (const char *)data, size, &s, &e) < 0)
                return 0;
        r = seccomp_compile(&s->linux.seccomp, &p, &e);
        if (r == 0 && s->linux.seccomp.present && (!p.filter || p.len == 0 || p.len > BPF_MAXINSNS))
                abort();
        if (r < 0 && (p.filter || strstr(e.msg, "seccomp") == NULL))
                abort();
        seccomp_program_done(&p);
        spec_free(s);
        return 0;
}
