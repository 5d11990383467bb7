/* check_seccomp: linux.seccomp to BPF (src/seccomp), without root. Each
 * compiled program runs in a small classic-BPF interpreter over made-up
 * syscalls, so the tests check what the kernel would answer, not how
 * libseccomp laid the program out. Also: the ENOSYS preamble, the refusals,
 * the cache key and the cache files, and the cost of Docker's profile. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "seccomp/seccomp.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define SC_ALLOW SECCOMP_RET_ALLOW
#define SC_ERRNO(x) (SECCOMP_RET_ERRNO | (x))

/* ---- a classic BPF interpreter for seccomp programs --------------------- */

static uint32_t sim(const struct seccomp_program *p, uint32_t arch, int nr, const uint64_t args[6])
{
        struct seccomp_data d = { .nr = nr, .arch = arch };
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

        if (args)
                memcpy(d.args, args, sizeof(d.args));
        for (size_t pc = 0; pc < p->len; pc++) {
                const struct sock_filter *f = &p->filter[pc];
                uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
                bool jump;

                switch (BPF_CLASS(f->code)) {
                case BPF_LD:
                        if (BPF_MODE(f->code) == BPF_ABS) {
                                ck_assert_uint_le(f->k + 4, sizeof(d));
                                memcpy(&a, (const char *)&d + f->k, 4);
                        } else if (BPF_MODE(f->code) == BPF_MEM)
                                a = mem[f->k];
                        else if (BPF_MODE(f->code) == BPF_IMM)
                                a = f->k;
                        else
                                ck_abort_msg("ld mode %#x", f->code);
                        break;
                case BPF_LDX:
                        x = BPF_MODE(f->code) == BPF_MEM ? mem[f->k] : f->k;
                        break;
                case BPF_ST: mem[f->k] = a; break;
                case BPF_STX: mem[f->k] = x; break;
                case BPF_ALU:
                        switch (BPF_OP(f->code)) {
                        case BPF_AND: a &= src; break;
                        case BPF_OR: a |= src; break;
                        case BPF_ADD: a += src; break;
                        case BPF_SUB: a -= src; break;
                        default: ck_abort_msg("alu op %#x", f->code);
                        }
                        break;
                case BPF_MISC:
                        if (BPF_MISCOP(f->code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        break;
                case BPF_RET:
                        return BPF_RVAL(f->code) == BPF_A ? a : f->k;
                case BPF_JMP:
                        if (BPF_OP(f->code) == BPF_JA) {
                                pc += f->k;
                                break;
                        }
                        switch (BPF_OP(f->code)) {
                        case BPF_JEQ: jump = a == src; break;
                        case BPF_JGT: jump = a > src; break;
                        case BPF_JGE: jump = a >= src; break;
                        case BPF_JSET: jump = (a & src) != 0; break;
                        default: ck_abort_msg("jmp op %#x", f->code);
                        }
                        pc += jump ? f->jt : f->jf;
                        break;
                }
        }
        ck_abort_msg("fell off the end of the program");
        return 0;
}

#define X86_64 AUDIT_ARCH_X86_64
#define RUN(p, nr) sim((p), X86_64, (nr), NULL)

/* ---- helpers ------------------------------------------------------------ */

static char *dq(const char *s)
{
        char *r = strdup(s);

        ck_assert_ptr_nonnull(r);
        for (char *p = r; *p; p++)
                if (*p == '\'')
                        *p = '"';
        return r;
}

/* A whole config around a seccomp object written with ' for ". */
static struct spec *parse_seccomp(const char *seccomp)
{
        _cleanup_free_ char *json = NULL, *t = NULL;
        struct spec *s = NULL;
        struct berr e = {};
        int r;

        ck_assert_int_ge(asprintf(&t, "{'process':{'args':['sh'],'cwd':'/'},'root':{'path':'r'},"
                                      "'linux':{'seccomp':%s}}", seccomp), 0);
        json = dq(t);
        r = spec_parse("config.json", json, strlen(json), &s, &e);
        ck_assert_msg(r == 0, "parse: %s", e.msg);
        return s;
}

static void compile_ok(const char *seccomp, struct seccomp_program *p)
{
        _cleanup_spec_ struct spec *s = parse_seccomp(seccomp);
        struct berr e = {};
        int r = seccomp_compile(&s->linux.seccomp, p, &e);

        ck_assert_msg(r == 0, "compile: %s", e.msg);
        ck_assert_ptr_nonnull(p->filter);
        ck_assert_uint_gt(p->len, 0);
}

static void compile_fails(const char *seccomp, const char *msg)
{
        _cleanup_spec_ struct spec *s = parse_seccomp(seccomp);
        struct seccomp_program p = SECCOMP_PROGRAM_INIT;
        struct berr e = {};
        int r = seccomp_compile(&s->linux.seccomp, &p, &e);

        ck_assert_int_lt(r, 0);
        ck_assert_ptr_null(p.filter);
        ck_assert_msg(strstr(e.msg, msg), "message \"%s\" lacks \"%s\"", e.msg, msg);
}

/* ---- translation ---------------------------------------------------------- */

START_TEST(test_deny_mkdir)
{
        struct seccomp_program p;

        compile_ok("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir','mkdirat'],"
                   "'action':'SCMP_ACT_ERRNO','errnoRet':1}]}", &p);
        ck_assert_uint_eq(RUN(&p, SYS_mkdir), SC_ERRNO(1));
        ck_assert_uint_eq(RUN(&p, SYS_mkdirat), SC_ERRNO(1));
        ck_assert_uint_eq(RUN(&p, SYS_getpid), SC_ALLOW);
        ck_assert(!p.notify);
        ck_assert_uint_eq(p.flags, 0);
        seccomp_program_done(&p);
}
END_TEST

static const struct { const char *action, *extra; uint32_t ret; } actions[] = {
        { "SCMP_ACT_KILL", "", SECCOMP_RET_KILL_THREAD },
        { "SCMP_ACT_KILL_THREAD", "", SECCOMP_RET_KILL_THREAD },
        { "SCMP_ACT_KILL_PROCESS", "", SECCOMP_RET_KILL_PROCESS },
        { "SCMP_ACT_TRAP", "", SECCOMP_RET_TRAP },
        { "SCMP_ACT_ERRNO", "", SC_ERRNO(EPERM) },
        { "SCMP_ACT_ERRNO", ",'errnoRet':5", SC_ERRNO(5) },
        { "SCMP_ACT_TRACE", ",'errnoRet':7", SECCOMP_RET_TRACE | 7 },
        { "SCMP_ACT_LOG", "", SECCOMP_RET_LOG },
        { "SCMP_ACT_NOTIFY", "", SECCOMP_RET_USER_NOTIF },
};

START_TEST(test_actions)
{
        struct seccomp_program p;
        _cleanup_free_ char *cfg = NULL;

        ck_assert_int_ge(asprintf(&cfg, "{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x',"
                                        "'syscalls':[{'names':['getppid'],'action':'%s'%s}]}",
                                  actions[_i].action, actions[_i].extra), 0);
        compile_ok(cfg, &p);
        ck_assert_uint_eq(RUN(&p, SYS_getppid), actions[_i].ret);
        ck_assert_uint_eq(RUN(&p, SYS_getpid), SC_ALLOW);
        ck_assert(p.notify == (actions[_i].ret == SECCOMP_RET_USER_NOTIF));
        ck_assert(!!(p.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) == p.notify);
        seccomp_program_done(&p);
}
END_TEST

START_TEST(test_default_actions)
{
        struct seccomp_program p;

        compile_ok("{'defaultAction':'SCMP_ACT_KILL_PROCESS','syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}",
                   &p);
        ck_assert_uint_eq(RUN(&p, SYS_read), SC_ALLOW);
        ck_assert_uint_eq(RUN(&p, SYS_write), SECCOMP_RET_KILL_PROCESS);
        /* No ENOSYS preamble without an errno default: a new syscall is killed too. */
        ck_assert_uint_eq(RUN(&p, 1000), SECCOMP_RET_KILL_PROCESS);
        seccomp_program_done(&p);
        compile_ok("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':13}", &p);
        ck_assert_uint_eq(RUN(&p, SYS_read), SC_ERRNO(13));
        seccomp_program_done(&p);
}
END_TEST

/* Each operator on clone's flags (arg 0): value, and whether it matches. */
static const struct { const char *op; uint64_t value, two, arg; bool match; } ops[] = {
        { "SCMP_CMP_EQ", 17, 0, 17, true }, { "SCMP_CMP_EQ", 17, 0, 18, false },
        { "SCMP_CMP_NE", 17, 0, 18, true }, { "SCMP_CMP_NE", 17, 0, 17, false },
        { "SCMP_CMP_LT", 17, 0, 16, true }, { "SCMP_CMP_LT", 17, 0, 17, false },
        { "SCMP_CMP_LE", 17, 0, 17, true }, { "SCMP_CMP_LE", 17, 0, 18, false },
        { "SCMP_CMP_GT", 17, 0, 18, true }, { "SCMP_CMP_GT", 17, 0, 17, false },
        { "SCMP_CMP_GE", 17, 0, 17, true }, { "SCMP_CMP_GE", 17, 0, 16, false },
        /* value is the mask, valueTwo what the masked argument must equal. */
        { "SCMP_CMP_MASKED_EQ", CLONE_NEWUSER, CLONE_NEWUSER, CLONE_NEWUSER | SIGCHLD, true },
        { "SCMP_CMP_MASKED_EQ", CLONE_NEWUSER, CLONE_NEWUSER, SIGCHLD, false },
        { "SCMP_CMP_MASKED_EQ", 0xff00000000ull, 0x1200000000ull, 0x12000000ffull, true },
        { "SCMP_CMP_MASKED_EQ", 0xff00000000ull, 0x1200000000ull, 0x13000000ffull, false },
        /* 64-bit values compare on both halves. */
        { "SCMP_CMP_GT", 0x100000000ull, 0, 0x100000001ull, true },
        { "SCMP_CMP_GT", 0x100000000ull, 0, 0xffffffffull, false },
};

START_TEST(test_operators)
{
        struct seccomp_program p;
        _cleanup_free_ char *cfg = NULL;
        uint64_t args[6] = { ops[_i].arg };

        ck_assert_int_ge(asprintf(&cfg, "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['clone'],"
                                        "'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':%llu,"
                                        "'valueTwo':%llu,'op':'%s'}]}]}",
                                  (unsigned long long)ops[_i].value, (unsigned long long)ops[_i].two, ops[_i].op), 0);
        compile_ok(cfg, &p);
        ck_assert_msg(sim(&p, X86_64, SYS_clone, args) == (ops[_i].match ? SC_ERRNO(EPERM) : SC_ALLOW),
                      "%s %llu/%llu on %llu", ops[_i].op, (unsigned long long)ops[_i].value,
                      (unsigned long long)ops[_i].two, (unsigned long long)ops[_i].arg);
        seccomp_program_done(&p);
}
END_TEST

/* Conditions on different arguments all hold (AND); several on one
 * argument are alternatives (runc's OR). */
START_TEST(test_args_and_or)
{
        struct seccomp_program p;

        compile_ok("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['socket'],'action':'SCMP_ACT_ERRNO',"
                   "'args':[{'index':0,'value':16,'op':'SCMP_CMP_EQ'},{'index':2,'value':9,'op':'SCMP_CMP_EQ'}]}]}",
                   &p);
        ck_assert_uint_eq(sim(&p, X86_64, SYS_socket, (uint64_t[6]){ 16, 3, 9 }), SC_ERRNO(EPERM));
        ck_assert_uint_eq(sim(&p, X86_64, SYS_socket, (uint64_t[6]){ 16, 3, 0 }), SC_ALLOW);
        ck_assert_uint_eq(sim(&p, X86_64, SYS_socket, (uint64_t[6]){ 2, 3, 9 }), SC_ALLOW);
        seccomp_program_done(&p);
        compile_ok("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['personality'],'action':'SCMP_ACT_ERRNO',"
                   "'args':[{'index':0,'value':1,'op':'SCMP_CMP_EQ'},{'index':0,'value':2,'op':'SCMP_CMP_EQ'}]}]}",
                   &p);
        /* Podman's copy has defaultErrnoRet ENOSYS (38). */
        ck_assert_uint_eq(sim(&p, X86_64, SYS_personality, (uint64_t[6]){ 1 }), SC_ERRNO(EPERM));
        ck_assert_uint_eq(sim(&p, X86_64, SYS_personality, (uint64_t[6]){ 2 }), SC_ERRNO(EPERM));
        ck_assert_uint_eq(sim(&p, X86_64, SYS_personality, (uint64_t[6]){ 3 }), SC_ALLOW);
        seccomp_program_done(&p);
}
END_TEST

START_TEST(test_unknown_names_skipped)
{
        struct seccomp_program p;

        compile_ok("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['no_such_syscall','getcwd'],"
                   "'action':'SCMP_ACT_ERRNO','errnoRet':2}]}", &p);
        ck_assert_uint_eq(RUN(&p, SYS_getcwd), SC_ERRNO(2));
        seccomp_program_done(&p);
}
END_TEST

/* Other architectures get their own numbers; an architecture not in the
 * filter is killed (libseccomp's bad-arch action). */
START_TEST(test_architectures)
{
        struct seccomp_program p;

        compile_ok("{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86','SCMP_ARCH_X32'],"
                   "'syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}", &p);
        ck_assert_uint_eq(sim(&p, AUDIT_ARCH_I386, 39 /* i386 mkdir */, NULL), SC_ERRNO(1));
        ck_assert_uint_eq(sim(&p, AUDIT_ARCH_I386, 20 /* i386 getpid */, NULL), SC_ALLOW);
        ck_assert_uint_eq(sim(&p, X86_64, 0x40000000 | SYS_mkdir, NULL), SC_ERRNO(1));
        ck_assert_uint_eq(sim(&p, AUDIT_ARCH_AARCH64, 34, NULL), SECCOMP_RET_KILL_THREAD);
        seccomp_program_done(&p);
}
END_TEST

START_TEST(test_flags)
{
        struct seccomp_program p;

        compile_ok("{'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_LOG',"
                   "'SECCOMP_FILTER_FLAG_SPEC_ALLOW','SECCOMP_FILTER_FLAG_TSYNC','SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV']}",
                   &p);
        /* WAIT_KILLABLE_RECV means nothing without a listener and is dropped. */
        ck_assert_uint_eq(p.flags, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_TSYNC);
        seccomp_program_done(&p);
        compile_ok("{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/a','flags':['SECCOMP_FILTER_FLAG_TSYNC',"
                   "'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'],'syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_NOTIFY'}]}",
                   &p);
        ck_assert_uint_eq(p.flags, SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC |
                                           SECCOMP_FILTER_FLAG_TSYNC_ESRCH | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
        seccomp_program_done(&p);
}
END_TEST

/* ---- ENOSYS for syscalls newer than the profile ------------------------- */

START_TEST(test_enosys_above_profile)
{
        struct seccomp_program p;

        compile_ok("{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86',"
                   "'SCMP_ARCH_X32'],'syscalls':[{'names':['read','write','openat2'],'action':'SCMP_ACT_ALLOW'}]}", &p);
        ck_assert_uint_eq(RUN(&p, SYS_read), SC_ALLOW);
        ck_assert_uint_eq(RUN(&p, SYS_openat2), SC_ALLOW);
        /* Below the newest named syscall: the profile's errno. */
        ck_assert_uint_eq(RUN(&p, SYS_mkdir), SC_ERRNO(EPERM));
        ck_assert_uint_eq(RUN(&p, SYS_openat2 - 1), SC_ERRNO(EPERM));
        /* Above it: ENOSYS, so that callers fall back. */
        ck_assert_uint_eq(RUN(&p, SYS_openat2 + 1), SC_ERRNO(ENOSYS));
        ck_assert_uint_eq(RUN(&p, 1000), SC_ERRNO(ENOSYS));
        ck_assert_uint_eq(sim(&p, X86_64, 0x40000000 | 1000, NULL), SC_ERRNO(ENOSYS));
        ck_assert_uint_eq(sim(&p, X86_64, 0x40000000 | SYS_read, NULL), SC_ALLOW);
        ck_assert_uint_eq(sim(&p, AUDIT_ARCH_I386, 3 /* read */, NULL), SC_ALLOW);
        ck_assert_uint_eq(sim(&p, AUDIT_ARCH_I386, 1000, NULL), SC_ERRNO(ENOSYS));
        ck_assert_uint_eq(sim(&p, AUDIT_ARCH_I386, 39 /* mkdir */, NULL), SC_ERRNO(EPERM));
        seccomp_program_done(&p);
}
END_TEST

/* ---- refusals ------------------------------------------------------------ */

START_TEST(test_refusals)
{
        compile_fails("{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/a'}",
                      ".linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
        compile_fails("{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/a','syscalls':[{'names':['mkdir'],"
                      "'action':'SCMP_ACT_ALLOW'},{'names':['read','sendmsg'],'action':'SCMP_ACT_NOTIFY'}]}",
                      ".linux.seccomp.syscalls[1]: SCMP_ACT_NOTIFY cannot be used for sendmsg");
        compile_fails("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_NOTIFY'}]}",
                      ".linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY");
}
END_TEST

START_TEST(test_parse_errors)
{
        static const char *const bad[][2] = {
                { "{'defaultAction':'SCMP_ACT_BOGUS'}", ".linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_BOGUS\"" },
                { "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['a'],'action':'SCMP_ACT_X'}]}",
                  ".linux.seccomp.syscalls[0].action: unknown seccomp action \"SCMP_ACT_X\"" },
                { "{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_PDP11']}",
                  ".linux.seccomp.architectures[0]: unknown seccomp architecture \"SCMP_ARCH_PDP11\"" },
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *t = NULL, *json = NULL;
                struct spec *s = NULL;
                struct berr e = {};

                ck_assert_int_ge(asprintf(&t, "{'process':{'args':['sh'],'cwd':'/'},'root':{'path':'r'},"
                                              "'linux':{'seccomp':%s}}", bad[i][0]), 0);
                json = dq(t);
                ck_assert_int_lt(spec_parse("config.json", json, strlen(json), &s, &e), 0);
                ck_assert_msg(strstr(e.msg, bad[i][1]), "\"%s\" lacks \"%s\"", e.msg, bad[i][1]);
        }
}
END_TEST

/* ---- the cache ----------------------------------------------------------- */

START_TEST(test_cache_key)
{
        _cleanup_spec_ struct spec *a = parse_seccomp("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                                                      "'action':'SCMP_ACT_ERRNO','errnoRet':1}]}");
        /* The same profile, other spacing and key order: the same key. */
        _cleanup_spec_ struct spec *b = parse_seccomp("{ 'syscalls' : [ { 'errnoRet':1, 'action':'SCMP_ACT_ERRNO',"
                                                      " 'names':['mkdir'] } ], 'defaultAction' : 'SCMP_ACT_ALLOW' }");
        _cleanup_spec_ struct spec *c = parse_seccomp("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                                                      "'action':'SCMP_ACT_ERRNO','errnoRet':2}]}");
        _cleanup_spec_ struct spec *d = parse_seccomp("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdi','r'],"
                                                      "'action':'SCMP_ACT_ERRNO','errnoRet':1}]}");

        ck_assert_uint_eq(seccomp_cache_key(&a->linux.seccomp), seccomp_cache_key(&b->linux.seccomp));
        ck_assert_uint_eq(seccomp_cache_key(&a->linux.seccomp), seccomp_cache_key(&a->linux.seccomp));
        ck_assert_uint_ne(seccomp_cache_key(&a->linux.seccomp), seccomp_cache_key(&c->linux.seccomp));
        ck_assert_uint_ne(seccomp_cache_key(&a->linux.seccomp), seccomp_cache_key(&d->linux.seccomp));
}
END_TEST

static char *tmpdir(void)
{
        char *t = strdup("/tmp/check_seccomp.XXXXXX");

        ck_assert_ptr_nonnull(t);
        ck_assert_ptr_nonnull(mkdtemp(t));
        return t;
}

START_TEST(test_cache_files)
{
        _cleanup_spec_ struct spec *s = parse_seccomp("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                                                      "'action':'SCMP_ACT_ERRNO','errnoRet':1}]}");
        _cleanup_free_ char *dir = tmpdir(), *name = NULL;
        _cleanup_close_ int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), cache = -EBADF;
        struct seccomp_program p1, p2, p3;
        struct berr e = {};
        bool hit = true;
        int fd;

        ck_assert_int_eq(seccomp_compile_cached(&s->linux.seccomp, root, &p1, &hit, &e), 0);
        ck_assert(!hit);
        ck_assert_int_eq(seccomp_compile_cached(&s->linux.seccomp, root, &p2, &hit, &e), 0);
        ck_assert(hit);
        ck_assert_uint_eq(p1.len, p2.len);
        ck_assert_uint_eq(p1.flags, p2.flags);
        ck_assert_mem_eq(p1.filter, p2.filter, p1.len * sizeof(*p1.filter));
        /* A damaged file is a miss, recompiled and rewritten. */
        ck_assert_int_ge(asprintf(&name, "%016llx.bpf", (unsigned long long)seccomp_cache_key(&s->linux.seccomp)), 0);
        cache = openat(root, ".seccomp-cache", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(cache, 0);
        fd = openat(cache, name, O_WRONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(pwrite(fd, "\xff", 1, 60), 1);
        close(fd);
        ck_assert_int_eq(seccomp_compile_cached(&s->linux.seccomp, root, &p3, &hit, &e), 0);
        ck_assert(!hit);
        ck_assert_mem_eq(p1.filter, p3.filter, p1.len * sizeof(*p1.filter));
        seccomp_program_done(&p3);
        ck_assert_int_eq(seccomp_compile_cached(&s->linux.seccomp, root, &p3, &hit, &e), 0);
        ck_assert(hit);
        /* A truncated one too. */
        fd = openat(cache, name, O_WRONLY | O_TRUNC | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, "BERTHSC1", 8), 8);
        close(fd);
        seccomp_program_done(&p3);
        ck_assert_int_eq(seccomp_compile_cached(&s->linux.seccomp, root, &p3, &hit, &e), 0);
        ck_assert(!hit);
        seccomp_program_done(&p1);
        seccomp_program_done(&p2);
        seccomp_program_done(&p3);
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, dir), 0);
}
END_TEST

/* ---- Docker's default profile ------------------------------------------- */

static double now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

START_TEST(test_docker_profile)
{
        _cleanup_free_ char *profile = NULL, *dir = tmpdir();
        _cleanup_close_ int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_spec_ struct spec *s = NULL;
        struct seccomp_program p, q;
        struct berr e = {};
        double t0, compile = 1e9, cached = 1e9;
        bool hit;

        ck_assert_int_eq(fs_read_at(AT_FDCWD, FIXTURES "/seccomp-docker-default.json", 1u << 20, &profile, NULL), 0);
        s = parse_seccomp(profile);
        /* The best of a few runs of each, so that noise does not decide. */
        for (int i = 0; i < 5; i++) {
                t0 = now_ms();
                ck_assert_int_eq(seccomp_compile(&s->linux.seccomp, &p, &e), 0);
                compile = compile < now_ms() - t0 ? compile : now_ms() - t0;
                if (i < 4)
                        seccomp_program_done(&p);
        }
        ck_assert_int_eq(seccomp_compile_cached(&s->linux.seccomp, root, &q, &hit, &e), 0);
        seccomp_program_done(&q);
        for (int i = 0; i < 5; i++) {
                t0 = now_ms();
                ck_assert_int_eq(seccomp_compile_cached(&s->linux.seccomp, root, &q, &hit, &e), 0);
                cached = cached < now_ms() - t0 ? cached : now_ms() - t0;
                ck_assert(hit);
                seccomp_program_done(&q);
        }
        printf("docker profile: %zu instructions, compile %.3f ms, cached load %.3f ms\n", p.len, compile, cached);
        ck_assert_uint_eq(RUN(&p, SYS_read), SC_ALLOW);
        ck_assert_uint_eq(RUN(&p, SYS_clone3), SC_ALLOW);              /* Podman's copy allows it */
        ck_assert_uint_eq(RUN(&p, SYS_kexec_load), SC_ERRNO(EPERM));
        ck_assert_uint_eq(RUN(&p, 1000), SC_ERRNO(ENOSYS));
        ck_assert_uint_eq(sim(&p, X86_64, SYS_personality, (uint64_t[6]){ 0 }), SC_ALLOW);
        /* Podman's copy has defaultErrnoRet ENOSYS (38). */
        ck_assert_uint_eq(sim(&p, X86_64, SYS_personality, (uint64_t[6]){ 1 }), SC_ERRNO(ENOSYS));
        /* No audit socket without CAP_AUDIT_WRITE; other sockets are fine. */
        ck_assert_uint_eq(sim(&p, X86_64, SYS_socket, (uint64_t[6]){ 16, 3, 9 }), SC_ERRNO(EINVAL));
        ck_assert_uint_eq(sim(&p, X86_64, SYS_socket, (uint64_t[6]){ 2, 1, 0 }), SC_ALLOW);
        seccomp_program_done(&p);
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, dir), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("seccomp");
        TCase *tc = tcase_create("seccomp");

        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_deny_mkdir);
        tcase_add_loop_test(tc, test_actions, 0, (int)ELEMENTSOF(actions));
        tcase_add_test(tc, test_default_actions);
        tcase_add_loop_test(tc, test_operators, 0, (int)ELEMENTSOF(ops));
        tcase_add_test(tc, test_args_and_or);
        tcase_add_test(tc, test_unknown_names_skipped);
        tcase_add_test(tc, test_architectures);
        tcase_add_test(tc, test_flags);
        tcase_add_test(tc, test_enosys_above_profile);
        tcase_add_test(tc, test_refusals);
        tcase_add_test(tc, test_parse_errors);
        tcase_add_test(tc, test_cache_key);
        tcase_add_test(tc, test_cache_files);
        tcase_add_test(tc, test_docker_profile);
        suite_add_tcase(s, tc);
        return unit_run(s);
}
