/* seccomp: linux.seccomp to a BPF program with libseccomp (the only place
 * berth uses it), and the loader the container side runs. The spec arrives
 * validated (src/spec/parse_seccomp.c): names of actions, operators,
 * architectures and flags are known; here only what libseccomp or the
 * kernel refuses can still fail. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp/enosys.h"
#include "seccomp/seccomp.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/log.h"

/* The default errno of an ERRNO or TRACE action without errnoRet (runc's). */
#define SECCOMP_DEFAULT_ERRNO EPERM

static void ctxp(scmp_filter_ctx *c)
{
        if (*c)
                seccomp_release(*c);
}
#define _cleanup_scmp_ _cleanup_(ctxp)

static uint32_t seccomp_action(enum spec_seccomp_action a, const opt_u64 *errno_ret)
{
        uint16_t data = errno_ret->set ? (uint16_t)errno_ret->v : SECCOMP_DEFAULT_ERRNO;

        switch (a) {
        case SPEC_SCMP_ACT_KILL: return SCMP_ACT_KILL;
        case SPEC_SCMP_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
        case SPEC_SCMP_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
        case SPEC_SCMP_ACT_TRAP: return SCMP_ACT_TRAP;
        case SPEC_SCMP_ACT_ERRNO: return SCMP_ACT_ERRNO(data);
        case SPEC_SCMP_ACT_TRACE: return SCMP_ACT_TRACE(data);
        case SPEC_SCMP_ACT_ALLOW: return SCMP_ACT_ALLOW;
        case SPEC_SCMP_ACT_LOG: return SCMP_ACT_LOG;
        case SPEC_SCMP_ACT_NOTIFY: return SCMP_ACT_NOTIFY;
        }
        return SCMP_ACT_KILL_PROCESS;
}

static enum scmp_compare seccomp_op(enum spec_seccomp_op op)
{
        switch (op) {
        case SPEC_SCMP_CMP_NE: return SCMP_CMP_NE;
        case SPEC_SCMP_CMP_LT: return SCMP_CMP_LT;
        case SPEC_SCMP_CMP_LE: return SCMP_CMP_LE;
        case SPEC_SCMP_CMP_EQ: return SCMP_CMP_EQ;
        case SPEC_SCMP_CMP_GE: return SCMP_CMP_GE;
        case SPEC_SCMP_CMP_GT: return SCMP_CMP_GT;
        case SPEC_SCMP_CMP_MASKED_EQ: return SCMP_CMP_MASKED_EQ;
        }
        return _SCMP_CMP_MIN;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token, via its own name ("x86_64"). */
static uint32_t seccomp_arch_token(const char *name)
{
        const char *prefix = "SCMP_ARCH_";
        char lower[32];
        size_t i;

        if (strncmp(name, prefix, strlen(prefix)) != 0)
                return 0;
        name += strlen(prefix);
        for (i = 0; name[i] && i + 1 < sizeof(lower); i++)
                lower[i] = (char)tolower((unsigned char)name[i]);
        lower[i] = '\0';
        return seccomp_arch_resolve_name(lower);
}

static int seccomp_add_arches(scmp_filter_ctx ctx, const struct spec_seccomp *s, struct berr *e)
{
        for (size_t i = 0; i < s->n_architectures; i++) {
                uint32_t arch = seccomp_arch_token(s->architectures[i]);
                int r;

                if (arch == 0)
                        return berr_set(e, -EOPNOTSUPP,
                                        ".linux.seccomp.architectures[%zu]: %s is not known to libseccomp %u.%u.%u",
                                        i, s->architectures[i], SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
                r = seccomp_arch_add(ctx, arch);
                if (r < 0 && r != -EEXIST)
                        return berr_sys(e, r, ".linux.seccomp.architectures[%zu]: add %s", i, s->architectures[i]);
        }
        return 0;
}

/* runc's rule for args: conditions on distinct arguments must all hold
 * (one rule); when one argument has several conditions, libseccomp cannot
 * AND them, so each condition becomes a rule of its own (an OR). */
static bool seccomp_args_repeat(const struct spec_seccomp_syscall *sc)
{
        unsigned seen = 0;

        for (size_t i = 0; i < sc->n_args; i++) {
                if (seen & (1u << sc->args[i].index))
                        return true;
                seen |= 1u << sc->args[i].index;
        }
        return false;
}

static int seccomp_add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const struct spec_seccomp_syscall *sc)
{
        struct scmp_arg_cmp cmp[6];
        int r;

        if (sc->n_args > ELEMENTSOF(cmp))
                return -E2BIG;
        for (size_t i = 0; i < sc->n_args; i++)
                cmp[i] = (struct scmp_arg_cmp){
                        .arg = sc->args[i].index, .op = seccomp_op(sc->args[i].op),
                        .datum_a = sc->args[i].value, .datum_b = sc->args[i].value_two,
                };
        if (!seccomp_args_repeat(sc))
                return seccomp_rule_add_array(ctx, action, nr, (unsigned)sc->n_args, cmp);
        for (size_t i = 0; i < sc->n_args; i++) {
                r = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int seccomp_add_syscalls(scmp_filter_ctx ctx, const struct spec_seccomp *s, uint32_t def, struct berr *e)
{
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const struct spec_seccomp_syscall *sc = &s->syscalls[i];
                uint32_t action = seccomp_action(sc->action, &sc->errno_ret);

                /* libseccomp refuses a rule that repeats the default; it changes nothing. */
                if (action == def)
                        continue;
                for (size_t j = 0; j < sc->n_names; j++) {
                        int nr = seccomp_syscall_resolve_name(sc->names[j]), r;

                        if (nr == __NR_SCMP_ERROR) {
                                /* One profile serves many kernels and architectures (runc does the same). */
                                log_debug("seccomp: syscall \"%s\" is unknown here, its rule is skipped", sc->names[j]);
                                continue;
                        }
                        r = seccomp_add_rule(ctx, action, nr, sc);
                        if (r < 0)
                                return berr_sys(e, r, ".linux.seccomp.syscalls[%zu]: rule for \"%s\"", i,
                                                sc->names[j]);
                }
        }
        return 0;
}

/* The listener fd travels to the parent with sendmsg(2), after the filter
 * is loaded: a notified sendmsg would wait for an agent that can only get
 * the fd through that very call. runc refuses notify on write(2) for the
 * same reason. */
static int seccomp_check_notify(const struct spec_seccomp *s, bool *ret_notify, struct berr *e)
{
        bool notify = false;

        if (s->default_action == SPEC_SCMP_ACT_NOTIFY)
                return berr_set(e, -EINVAL, ".linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default "
                                "action (berth needs sendmsg to hand the listener to the agent)");
        for (size_t i = 0; i < s->n_syscalls; i++) {
                if (s->syscalls[i].action != SPEC_SCMP_ACT_NOTIFY)
                        continue;
                notify = true;
                for (size_t j = 0; j < s->syscalls[i].n_names; j++)
                        if (strcmp(s->syscalls[i].names[j], "sendmsg") == 0 ||
                            strcmp(s->syscalls[i].names[j], "socketcall") == 0)
                                return berr_set(e, -EINVAL, ".linux.seccomp.syscalls[%zu]: SCMP_ACT_NOTIFY cannot "
                                                "be used for %s: berth sends the listener fd with it", i,
                                                s->syscalls[i].names[j]);
        }
        if (notify && !s->listener_path)
                return berr_set(e, -EINVAL, ".linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY");
        *ret_notify = notify;
        return 0;
}

static const struct { unsigned spec, kernel; const char *name; } seccomp_flags[] = {
        { SPEC_SECCOMP_FLAG_TSYNC, SECCOMP_FILTER_FLAG_TSYNC, "SECCOMP_FILTER_FLAG_TSYNC" },
        { SPEC_SECCOMP_FLAG_LOG, SECCOMP_FILTER_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG" },
        { SPEC_SECCOMP_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_SPEC_ALLOW, "SECCOMP_FILTER_FLAG_SPEC_ALLOW" },
        { SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
          "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" },
};

/* Probe a filter flag as runc does: a known flag with a NULL program fails
 * with EFAULT, an unknown one with EINVAL. */
bool seccomp_kernel_has_flag(unsigned flag)
{
        if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
                flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
        return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL) < 0 && errno == EFAULT;
}

bool seccomp_flag_supported(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(seccomp_flags); i++)
                if (strcmp(seccomp_flags[i].name, name) == 0)
                        return seccomp_kernel_has_flag(seccomp_flags[i].kernel);
        return false;
}

static int seccomp_load_flags(const struct spec_seccomp *s, bool notify, unsigned *ret, struct berr *e)
{
        unsigned flags = notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;

        for (size_t i = 0; i < ELEMENTSOF(seccomp_flags); i++) {
                if (!(s->flags & seccomp_flags[i].spec))
                        continue;
                /* Only meaningful for a listener; the kernel refuses it alone. */
                if (seccomp_flags[i].spec == SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV && !notify) {
                        log_debug("seccomp: %s ignored: the profile notifies nothing", seccomp_flags[i].name);
                        continue;
                }
                if (!seccomp_kernel_has_flag(seccomp_flags[i].kernel))
                        return berr_set(e, -EOPNOTSUPP, ".linux.seccomp.flags: %s is not supported by this kernel",
                                        seccomp_flags[i].name);
                flags |= seccomp_flags[i].kernel;
        }
        /* With a listener, TSYNC must report a thread it cannot sync as ESRCH. */
        if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && notify)
                flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
        *ret = flags;
        return 0;
}

/* libseccomp 2.5 exports only to an fd: a memfd keeps it in memory. */
static int seccomp_export(scmp_filter_ctx ctx, struct sock_filter **ret, size_t *ret_len, struct berr *e)
{
        _cleanup_close_ int fd = memfd_create("berth-seccomp", MFD_CLOEXEC);
        _cleanup_free_ struct sock_filter *prog = NULL;
        struct stat st;
        int r;

        if (fd < 0)
                return berr_sys(e, -errno, "seccomp: memfd");
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return berr_sys(e, r, "seccomp: export the filter");
        if (fstat(fd, &st) < 0)
                return berr_sys(e, -errno, "seccomp: export the filter");
        if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0)
                return berr_set(e, -EIO, "seccomp: exported filter has %lld bytes", (long long)st.st_size);
        prog = malloc((size_t)st.st_size);
        if (!prog)
                return berr_sys(e, -ENOMEM, "seccomp");
        if (pread(fd, prog, (size_t)st.st_size, 0) != st.st_size)
                return berr_sys(e, -EIO, "seccomp: read the exported filter");
        *ret = TAKE_PTR(prog);
        *ret_len = (size_t)st.st_size / sizeof(struct sock_filter);
        return 0;
}

static int seccomp_build(const struct spec_seccomp *s, scmp_filter_ctx *ret, struct berr *e)
{
        uint32_t def = seccomp_action(s->default_action, &s->default_errno_ret);
        _cleanup_scmp_ scmp_filter_ctx ctx = seccomp_init(def);
        int r;

        if (!ctx)
                return berr_set(e, -EINVAL, ".linux.seccomp.defaultAction: libseccomp refuses %s",
                                spec_seccomp_action_name(s->default_action));
        /* berth loads the program itself; libseccomp must not set no_new_privs. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        if (r < 0)
                return berr_sys(e, r, "seccomp: attribute");
        r = seccomp_add_arches(ctx, s, e);
        if (r == 0)
                r = seccomp_add_syscalls(ctx, s, def, e);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(ctx);
        return 0;
}

int seccomp_compile(const struct spec_seccomp *s, struct seccomp_program *ret, struct berr *e)
{
        _cleanup_scmp_ scmp_filter_ctx ctx = NULL;
        struct seccomp_program p = SECCOMP_PROGRAM_INIT;
        int r;

        *ret = p;
        if (!s->present)
                return 0;
        r = seccomp_check_notify(s, &p.notify, e);
        if (r == 0)
                r = seccomp_load_flags(s, p.notify, &p.flags, e);
        if (r == 0)
                r = seccomp_build(s, &ctx, e);
        if (r == 0)
                r = seccomp_export(ctx, &p.filter, &p.len, e);
        if (r == 0 && s->default_action == SPEC_SCMP_ACT_ERRNO)
                r = seccomp_enosys_prepend(s, &p.filter, &p.len, e);
        if (r == 0 && p.len > BPF_MAXINSNS)
                r = berr_set(e, -E2BIG, ".linux.seccomp: the filter has %zu instructions, more than the kernel's %d",
                             p.len, BPF_MAXINSNS);
        if (r < 0) {
                seccomp_program_done(&p);
                return r;
        }
        *ret = p;
        return 0;
}

void seccomp_program_done(struct seccomp_program *p)
{
        free(p->filter);
        p->filter = NULL;
        p->len = 0;
}

int seccomp_program_load(const struct seccomp_program *p, int *ret_listener, struct berr *e)
{
        struct sock_fprog prog;
        long r;

        if (ret_listener)
                *ret_listener = -EBADF;
        if (!p || !p->filter)
                return 0;
        prog = (struct sock_fprog){ .len = (unsigned short)p->len, .filter = p->filter };
        r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog);
        if (r < 0)
                return berr_sys(e, -errno, "load the seccomp filter");
        /* The listener fd comes without O_CLOEXEC: the workload must not keep it. */
        if (p->notify && ret_listener) {
                if (fcntl((int)r, F_SETFD, FD_CLOEXEC) < 0)
                        return berr_sys(e, -errno, "seccomp listener");
                *ret_listener = (int)r;
        }
        return 0;
}
