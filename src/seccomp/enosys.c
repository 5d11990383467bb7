/* seccomp/enosys: ENOSYS for syscalls the profile cannot know about.
 *
 * A profile with an errno default (Docker's: EPERM) also answers that errno
 * for syscalls added to the kernel after the profile was written. glibc
 * and others probe a new syscall and fall back to an old one only on
 * ENOSYS; EPERM makes them fail instead (clone3, faccessat2, statx were
 * all bitten). runc's answer, taken here: any syscall number above the
 * highest the profile names for that architecture returns ENOSYS.
 *
 * libseccomp has no rule on "number greater than", so berth prepends a few
 * instructions to the program libseccomp exported. The preamble only
 * decides "newer than the profile"; everything else falls through to the
 * unchanged libseccomp program, which reloads what it needs (its first
 * instruction loads the architecture). Jumps in classic BPF are relative,
 * so prepending keeps libseccomp's own jumps valid. */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/enosys.h"
#include "spec/spec.h"
#include "util/cleanup.h"

/* x32 syscalls come as AUDIT_ARCH_X86_64 with this bit set in the number. */
#define X32_SYSCALL_BIT 0x40000000u
#define MAX_ARCHES 24
/* Instructions per architecture block at most, plus the head and tail. */
#define BLOCK_MAX 5

struct arch_max {
        uint32_t token;
        int max;                        /* highest syscall number named; -1: none */
};

static int arch_highest(uint32_t token, const struct spec_seccomp *s)
{
        int max = -1;

        for (size_t i = 0; i < s->n_syscalls; i++)
                for (size_t j = 0; j < s->syscalls[i].n_names; j++) {
                        /* Negative numbers are libseccomp's pseudo-syscalls (multiplexed on x86). */
                        int nr = seccomp_syscall_resolve_name_arch(token, s->syscalls[i].names[j]);

                        if (nr > max)
                                max = nr;
                }
        return max;
}

static size_t collect_arches(const struct spec_seccomp *s, struct arch_max *out)
{
        size_t n = 0;

        out[n++] = (struct arch_max){ .token = seccomp_arch_native() };
        for (size_t i = 0; i < s->n_architectures && n < MAX_ARCHES; i++) {
                char lower[32];
                const char *name = s->architectures[i] + strlen("SCMP_ARCH_");
                size_t k;
                uint32_t t;
                bool dup = false;

                for (k = 0; name[k] && k + 1 < sizeof(lower); k++)
                        lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] - 'A' + 'a' : name[k]);
                lower[k] = '\0';
                t = seccomp_arch_resolve_name(lower);
                for (size_t j = 0; j < n; j++)
                        dup |= out[j].token == t;
                if (t != 0 && !dup)
                        out[n++] = (struct arch_max){ .token = t };
        }
        for (size_t i = 0; i < n; i++)
                out[i].max = arch_highest(out[i].token, s);
        return n;
}

static int find_arch(const struct arch_max *a, size_t n, uint32_t token)
{
        for (size_t i = 0; i < n; i++)
                if (a[i].token == token)
                        return a[i].max;
        return -1;
}

/* An instruction whose jump targets are absolute indices in the preamble,
 * resolved to relative offsets once its length is known. */
struct insn {
        struct sock_filter f;
        size_t jt, jf;                  /* absolute targets of a conditional jump */
        bool cond;
};

enum { TARGET_ENOSYS = 100000, TARGET_MAIN };

static void emit(struct insn *p, size_t *n, uint16_t code, uint32_t k, size_t jt, size_t jf, bool cond)
{
        p[(*n)++] = (struct insn){ .f = { .code = code, .k = k }, .jt = jt, .jf = jf, .cond = cond };
}

/* One block: "if arch == A and nr > max(A): ENOSYS". x86_64 also carries
 * x32 numbers (bit 30), compared against x32's own maximum when x32 is in
 * the filter and otherwise left to libseccomp. */
static void emit_block(struct insn *p, size_t *n, const struct arch_max *a, size_t na, size_t i)
{
        size_t start = *n, next_slot;
        bool x86_64 = a[i].token == AUDIT_ARCH_X86_64;
        int x32 = x86_64 ? find_arch(a, na, SCMP_ARCH_X32) : -1;

        emit(p, n, BPF_JMP | BPF_JEQ | BPF_K, a[i].token, 0, 0, true);
        next_slot = start;              /* jf patched to the next block below */
        emit(p, n, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0, false);
        if (x86_64 && x32 >= 0) {
                emit(p, n, BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, *n + 1, *n + 2, true);
                emit(p, n, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)x32, TARGET_ENOSYS, TARGET_MAIN, true);
        } else if (x86_64) {
                emit(p, n, BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, TARGET_MAIN, *n + 1, true);
        }
        emit(p, n, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a[i].max, TARGET_ENOSYS, TARGET_MAIN, true);
        p[next_slot].jt = start + 1;
        p[next_slot].jf = *n;
}

static size_t resolve(size_t target, size_t enosys, size_t main)
{
        return target == TARGET_ENOSYS ? enosys : target == TARGET_MAIN ? main : target;
}

int seccomp_enosys_prepend(const struct spec_seccomp *s, struct sock_filter **filter, size_t *len, struct berr *e)
{
        struct arch_max arches[MAX_ARCHES];
        struct insn pre[2 + MAX_ARCHES * BLOCK_MAX + 2];
        size_t na = collect_arches(s, arches), n = 0, enosys, main;
        struct sock_filter *out;

        emit(pre, &n, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0, false);
        for (size_t i = 0; i < na; i++)
                if (arches[i].token != SCMP_ARCH_X32 && arches[i].max >= 0)
                        emit_block(pre, &n, arches, na, i);
        if (n == 1)
                return 0;               /* the profile names no syscall at all */
        emit(pre, &n, BPF_JMP | BPF_JA, 1, 0, 0, false);        /* no block matched: over ENOSYS */
        enosys = n;
        emit(pre, &n, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA), 0, 0, false);
        main = n;
        out = malloc((n + *len) * sizeof(*out));
        if (!out)
                return berr_sys(e, -ENOMEM, "seccomp");
        for (size_t i = 0; i < n; i++) {
                out[i] = pre[i].f;
                if (pre[i].cond) {
                        /* The preamble is short: every offset fits the 8 bits of jt/jf. */
                        out[i].jt = (uint8_t)(resolve(pre[i].jt, enosys, main) - i - 1);
                        out[i].jf = (uint8_t)(resolve(pre[i].jf, enosys, main) - i - 1);
                }
        }
        memcpy(out + n, *filter, *len * sizeof(*out));
        free(*filter);
        *filter = out;
        *len += n;
        return 0;
}
