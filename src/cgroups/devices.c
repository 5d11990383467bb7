/* devices: linux.resources.devices as a BPF_PROG_TYPE_CGROUP_DEVICE
 * program (cgroup v2 has no devices.allow file).
 *
 * The rules are the spec's followed by runc's default allowed devices, and
 * the last rule that matches a request decides; nothing matching means
 * deny. That is the device cgroup's whitelist semantics as runc's emulator
 * produces them: a leading "deny all" resets, "allow all" opens up, and a
 * deny of some access bits carves them out of an earlier allow. */
#include "config.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups/controllers.h"
#include "util/cleanup.h"

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(d, s, o)        INSN(BPF_LDX | BPF_W | BPF_MEM, d, s, o, 0)
#define MOV32_REG(d, s)       INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i)   INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define JMP32_IMM(op, d, i, o) INSN(BPF_JMP32 | (op) | BPF_K, d, 0, o, i)
#define MOV64_IMM(d, i)       INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT_INSN()           INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define ACC_ALL (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)
#define WILD (-1)

/* runc's AllowedDevices (libcontainer/specconv). */
static const struct spec_device_rule default_rules[] = {
        { .allow = true, .type = 'c', .major = { WILD, false }, .minor = { WILD, false }, .access = "m" },
        { .allow = true, .type = 'b', .major = { WILD, false }, .minor = { WILD, false }, .access = "m" },
        { .allow = true, .type = 'c', .major = { 1, true }, .minor = { 3, true }, .access = "rwm" },  /* null */
        { .allow = true, .type = 'c', .major = { 1, true }, .minor = { 8, true }, .access = "rwm" },  /* random */
        { .allow = true, .type = 'c', .major = { 1, true }, .minor = { 7, true }, .access = "rwm" },  /* full */
        { .allow = true, .type = 'c', .major = { 5, true }, .minor = { 0, true }, .access = "rwm" },  /* tty */
        { .allow = true, .type = 'c', .major = { 1, true }, .minor = { 5, true }, .access = "rwm" },  /* zero */
        { .allow = true, .type = 'c', .major = { 1, true }, .minor = { 9, true }, .access = "rwm" },  /* urandom */
        { .allow = true, .type = 'c', .major = { 5, true }, .minor = { 1, true }, .access = "rwm" },  /* console */
        { .allow = true, .type = 'c', .major = { 136, true }, .minor = { WILD, false }, .access = "rwm" }, /* pts */
        { .allow = true, .type = 'c', .major = { 5, true }, .minor = { 2, true }, .access = "rwm" },  /* ptmx */
        { .allow = true, .type = 'c', .major = { 10, true }, .minor = { 200, true }, .access = "rwm" }, /* net/tun */
};

static int access_mask(const char *access)
{
        int m = 0;

        for (; *access; access++)
                m |= *access == 'r' ? BPF_DEVCG_ACC_READ : *access == 'w' ? BPF_DEVCG_ACC_WRITE : BPF_DEVCG_ACC_MKNOD;
        return m;
}

/* One rule's block: each test jumps past the block when it fails; the
 * block ends with "return allow". Registers: w2 type, w3 access, w4 major,
 * w5 minor (see devices_prologue). */
static int rule_block(const struct spec_device_rule *d, struct bpf_insn *out, size_t *n, struct berr *e)
{
        struct bpf_insn b[8];
        size_t k = 0;
        int acc = access_mask(d->access);

        if ((d->major.set && d->major.v > UINT32_MAX) || (d->minor.set && d->minor.v > UINT32_MAX))
                return berr_set(e, -ERANGE, "device number out of range");
        if (d->type != 'a')
                b[k++] = JMP32_IMM(BPF_JNE, 2, d->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, 0);
        if (acc != ACC_ALL) {
                /* allow: the request is a subset; deny: it touches the bits. */
                b[k++] = MOV32_REG(1, 3);
                b[k++] = ALU32_IMM(BPF_AND, 1, d->allow ? ~acc & ACC_ALL : acc);
                b[k++] = JMP32_IMM(d->allow ? BPF_JNE : BPF_JEQ, 1, 0, 0);
        }
        if (d->major.set && d->major.v >= 0)
                b[k++] = JMP32_IMM(BPF_JNE, 4, (int32_t)(uint32_t)d->major.v, 0);
        if (d->minor.set && d->minor.v >= 0)
                b[k++] = JMP32_IMM(BPF_JNE, 5, (int32_t)(uint32_t)d->minor.v, 0);
        b[k++] = MOV64_IMM(0, d->allow ? 1 : 0);
        b[k++] = EXIT_INSN();
        for (size_t i = 0; i < k; i++) {
                if (BPF_CLASS(b[i].code) == BPF_JMP32)
                        b[i].off = (int16_t)(k - i - 1);        /* to the next block */
                out[(*n)++] = b[i];
        }
        return 0;
}

int cgroup_devices_compile(const struct spec_device_rule *rules, size_t n, struct bpf_insn **ret, size_t *ret_n,
                           struct berr *e)
{
        size_t total = n + ELEMENTSOF(default_rules), k = 0;
        bool decided = false;
        _cleanup_free_ struct bpf_insn *p = calloc(6 + total * 8 + 2, sizeof(*p));

        if (!p)
                return berr_sys(e, -ENOMEM, "device program");
        /* struct bpf_cgroup_dev_ctx { u32 access_type (access << 16 | type); u32 major, minor; } */
        p[k++] = LDX_W(2, 1, 0);
        p[k++] = MOV32_REG(3, 2);
        p[k++] = ALU32_IMM(BPF_AND, 2, 0xffff);
        p[k++] = ALU32_IMM(BPF_RSH, 3, 16);
        p[k++] = LDX_W(4, 1, 4);
        p[k++] = LDX_W(5, 1, 8);
        /* Last match wins: emit the rules from the last to the first. */
        for (size_t i = total; i-- > 0;) {
                const struct spec_device_rule *d = i >= n ? &default_rules[i - n] : &rules[i];
                size_t start = k;
                int r = rule_block(d, p, &k, e);

                if (r < 0)
                        return i < n ? berr_wrap(e, ".linux.resources.devices[%zu]", i) : r;
                /* A rule that matches everything ends the program: the
                 * verifier refuses unreachable instructions after it. */
                if (k - start == 2) {
                        decided = true;
                        break;
                }
        }
        if (!decided) {
                p[k++] = MOV64_IMM(0, 0);
                p[k++] = EXIT_INSN();
        }
        *ret = TAKE_PTR(p);
        *ret_n = k;
        return 0;
}

static int bpf(int cmd, union bpf_attr *attr)
{
        return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* Without the verifier's log first: asking for it makes the kernel write
 * it (it overflows 4 KiB for any program, and the load must be redone). It
 * is asked for only to explain a refusal. */
static int devices_load(const struct bpf_insn *prog, size_t n, struct berr *e)
{
        static char log[4096];
        union bpf_attr a = {
                .prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
                .insns = (uint64_t)(uintptr_t)prog,
                .insn_cnt = (uint32_t)n,
                .license = (uint64_t)(uintptr_t)"GPL",
        };
        int fd = bpf(BPF_PROG_LOAD, &a), err;

        if (fd >= 0)
                return fd;
        err = errno;
        a.log_buf = (uint64_t)(uintptr_t)log;
        a.log_size = sizeof(log);
        a.log_level = 1;
        log[0] = '\0';
        fd = bpf(BPF_PROG_LOAD, &a);
        if (fd >= 0)
                return fd;
        return berr_sys(e, -err, "load the device cgroup program (%.200s)", log);
}

/* Ids of the device programs attached to the group now. */
static int devices_query(int dfd, uint32_t *ids, uint32_t *n)
{
        union bpf_attr a = {
                .query.target_fd = (uint32_t)dfd,
                .query.attach_type = BPF_CGROUP_DEVICE,
                .query.prog_ids = (uint64_t)(uintptr_t)ids,
                .query.prog_cnt = *n,
        };

        if (bpf(BPF_PROG_QUERY, &a) < 0)
                return -errno;
        *n = a.query.prog_cnt;
        return 0;
}

static void devices_detach(int dfd, uint32_t id)
{
        union bpf_attr a = { .prog_id = id };
        int fd = bpf(BPF_PROG_GET_FD_BY_ID, &a);

        if (fd < 0)
                return;
        a = (union bpf_attr){ .target_fd = (uint32_t)dfd, .attach_bpf_fd = (uint32_t)fd,
                              .attach_type = BPF_CGROUP_DEVICE };
        bpf(BPF_PROG_DETACH, &a);
        close(fd);
}

int cgroup_devices_apply(int dfd, const struct spec_device_rule *rules, size_t n, struct berr *e)
{
        _cleanup_free_ struct bpf_insn *prog = NULL;
        _cleanup_close_ int fd = -EBADF;
        uint32_t old[64], n_old = ELEMENTSOF(old);
        union bpf_attr a = {};
        size_t len;
        int r;

        r = cgroup_devices_compile(rules, n, &prog, &len, e);
        if (r < 0)
                return r;
        fd = devices_load(prog, len, e);
        if (fd < 0)
                return fd;
        if (devices_query(dfd, old, &n_old) < 0)
                n_old = 0;
        a.target_fd = (uint32_t)dfd;
        a.attach_bpf_fd = (uint32_t)fd;
        a.attach_type = BPF_CGROUP_DEVICE;
        a.attach_flags = BPF_F_ALLOW_MULTI;
        if (bpf(BPF_PROG_ATTACH, &a) < 0)
                return berr_sys(e, -errno, "attach the device cgroup program");
        for (uint32_t i = 0; i < n_old; i++)
                devices_detach(dfd, old[i]);
        return 0;
}
