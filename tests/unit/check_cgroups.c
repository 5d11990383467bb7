/* Unit tests for the cgroup v2 controllers: each writes into a temporary
 * directory standing in for the container's group (files the kernel would
 * provide are created empty first), and the device program is run in a
 * small interpreter of the instructions it uses. No root needed. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups/controllers.h"
#include "util/fs.h"

static char dir[] = "/tmp/berth-check-cgroups-XXXXXX";
static int dfd = -1;

static void setup(void)
{
        ck_assert_ptr_nonnull(mkdtemp(dir));
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(dfd, 0);
}

static void teardown(void)
{
        close(dfd);
        fs_rm_rf_at(AT_FDCWD, dir);
        strcpy(dir, "/tmp/berth-check-cgroups-XXXXXX");
}

/* The kernel's files: empty, so an unwritten one reads back "". */
static void touch(const char *const *names)
{
        for (; *names; names++)
                ck_assert_int_eq(fs_write_atomic_at(dfd, *names, "", 0, 0644), 0);
}

static char content[4096];
static const char *cat(const char *name)
{
        char *buf = NULL;

        ck_assert_int_eq(fs_read_at(dfd, name, sizeof(content), &buf, NULL), 0);
        snprintf(content, sizeof(content), "%s", buf);
        free(buf);
        return content;
}

#define SET(x) { .v = (x), .set = true }

static char s_cpus[] = "0-1", s_mems[] = "0", s_2mb[] = "2MB", s_mlx[] = "mlx5_0", s_high[] = "memory.high",
        s_val[] = "12345", s_misc[] = "misc.max";

START_TEST(test_conversions)
{
        ck_assert_uint_eq(cgroup_cpu_shares_to_weight(2), 1);
        ck_assert_uint_eq(cgroup_cpu_shares_to_weight(1024), 39);
        ck_assert_uint_eq(cgroup_cpu_shares_to_weight(262144), 10000);
        ck_assert_uint_eq(cgroup_cpu_shares_to_weight(0), 0);
        ck_assert_uint_eq(cgroup_blkio_weight_to_io_weight(10), 1);
        ck_assert_uint_eq(cgroup_blkio_weight_to_io_weight(500), 4950);
        ck_assert_uint_eq(cgroup_blkio_weight_to_io_weight(1000), 10000);
}
END_TEST

START_TEST(test_memory)
{
        struct spec_resources r = { .memory = { .limit = SET(32 << 20), .swap = SET(64 << 20),
                                                .reservation = SET(16 << 20) } };
        struct berr e;

        touch((const char *[]){ "memory.max", "memory.swap.max", "memory.low", NULL });
        ck_assert_int_eq(cgroup_memory_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("memory.max"), "33554432");
        ck_assert_str_eq(cat("memory.swap.max"), "33554432");   /* (memory+swap) - memory */
        ck_assert_str_eq(cat("memory.low"), "16777216");
        r = (struct spec_resources){ .memory = { .limit = SET(-1) } };
        ck_assert_int_eq(cgroup_memory_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("memory.max"), "max");
        ck_assert_str_eq(cat("memory.swap.max"), "max");        /* unlimited memory: swap too */
        r = (struct spec_resources){ .memory = { .limit = SET(64 << 20), .swap = SET(32 << 20) } };
        ck_assert_int_eq(cgroup_memory_apply(dfd, &r, &e), -ERANGE);
        ck_assert_ptr_nonnull(strstr(e.msg, ".linux.resources.memory: memory.swap"));
        r = (struct spec_resources){ .memory = { .swap = SET(32 << 20) } };
        ck_assert_int_eq(cgroup_memory_apply(dfd, &r, &e), -EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "needs a memory.limit"));
}
END_TEST

/* A hybrid host: the file is missing because the controller is on v1. */
START_TEST(test_missing_controller)
{
        struct spec_resources r = { .memory = { .limit = SET(1 << 20) } };
        struct berr e;

        ck_assert_int_eq(cgroup_resources_apply(dfd, &r, &e), -ENOENT);
        ck_assert_ptr_nonnull(strstr(e.msg, ".linux.resources.memory: the memory controller is not available"));
        ck_assert_ptr_nonnull(strstr(e.msg, "memory.max=1048576"));
}
END_TEST

START_TEST(test_cpu)
{
        struct spec_resources r = { .cpu = { .shares = SET(1024), .quota = SET(50000), .period = SET(100000),
                                             .burst = SET(1000), .idle = SET(1) } };
        struct berr e;

        touch((const char *[]){ "cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle", NULL });
        ck_assert_int_eq(cgroup_cpu_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("cpu.weight"), "39");
        ck_assert_str_eq(cat("cpu.max"), "50000 100000");
        ck_assert_str_eq(cat("cpu.max.burst"), "1000");
        ck_assert_str_eq(cat("cpu.idle"), "1");
        r = (struct spec_resources){ .cpu = { .period = SET(20000) } };
        ck_assert_int_eq(cgroup_cpu_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("cpu.max"), "max 20000");
        r = (struct spec_resources){ .cpu = { .quota = SET(25000) } };
        ck_assert_int_eq(cgroup_cpu_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("cpu.max"), "25000 100000");
        r = (struct spec_resources){ .cpu = { .realtime_runtime = SET(950000) } };
        ck_assert_int_eq(cgroup_cpu_apply(dfd, &r, &e), -EOPNOTSUPP);
        ck_assert_ptr_nonnull(strstr(e.msg, "realtimeRuntime and realtimePeriod are cgroup v1 only"));
}
END_TEST

START_TEST(test_cpuset_pids)
{
        struct spec_resources r = { .cpu = { .cpus = s_cpus, .mems = s_mems }, .pids = { SET(10) } };
        struct berr e;

        touch((const char *[]){ "cpuset.cpus", "cpuset.mems", "pids.max", NULL });
        ck_assert_int_eq(cgroup_resources_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("cpuset.cpus"), "0-1");
        ck_assert_str_eq(cat("cpuset.mems"), "0");
        ck_assert_str_eq(cat("pids.max"), "10");
        r = (struct spec_resources){ .pids = { SET(-1) } };
        ck_assert_int_eq(cgroup_pids_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("pids.max"), "max");
}
END_TEST

START_TEST(test_io)
{
        struct spec_throttle_device t = { .major = 8, .minor = 0, .rate = 1048576 };
        struct spec_resources r = { .block_io = { .weight = SET(500), .throttle_read_bps = &t,
                                                  .n_throttle_read_bps = 1 } };
        struct berr e;

        touch((const char *[]){ "io.weight", "io.max", NULL });
        ck_assert_int_eq(cgroup_io_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("io.weight"), "4950");
        ck_assert_str_eq(cat("io.max"), "8:0 rbps=1048576");
        /* With BFQ, blkio's own scale goes to io.bfq.weight. */
        touch((const char *[]){ "io.bfq.weight", NULL });
        r.block_io.n_throttle_read_bps = 0;
        ck_assert_int_eq(cgroup_io_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("io.bfq.weight"), "500");
}
END_TEST

START_TEST(test_hugetlb_rdma_unified)
{
        struct spec_hugepage_limit h = { .page_size = s_2mb, .limit = 4194304 };
        struct spec_rdma_limit rd = { .device = s_mlx, .hca_handles = SET(3) };
        struct spec_key_value u = { .key = s_high, .value = s_val };
        struct spec_resources r = { .hugepage_limits = &h, .n_hugepage_limits = 1, .rdma = &rd, .n_rdma = 1,
                                    .unified = &u, .n_unified = 1 };
        struct berr e;

        touch((const char *[]){ "hugetlb.2MB.max", "rdma.max", "memory.high", NULL });
        ck_assert_int_eq(cgroup_resources_apply(dfd, &r, &e), 0);
        ck_assert_str_eq(cat("hugetlb.2MB.max"), "4194304");
        ck_assert_str_eq(cat("rdma.max"), "mlx5_0 hca_handle=3 hca_object=max");
        ck_assert_str_eq(cat("memory.high"), "12345");
        u.key = s_misc;
        ck_assert_int_eq(cgroup_unified_apply(dfd, &r, &e), -ENOENT);
        ck_assert_ptr_nonnull(strstr(e.msg, ".linux.resources.unified.misc.max: the misc controller is not available"));
}
END_TEST

/* ---- the device program, interpreted ---------------------------------- */

static int run_prog(const struct bpf_insn *p, size_t n, int type, int access, uint32_t major, uint32_t minor)
{
        uint32_t ctx[3] = { (uint32_t)(access << 16 | type), major, minor };
        uint64_t reg[11] = { [1] = (uint64_t)(uintptr_t)ctx };

        for (size_t pc = 0; pc < n; pc++) {
                const struct bpf_insn *i = &p[pc];
                uint64_t *d = &reg[i->dst_reg], s = reg[i->src_reg];

                if (BPF_CLASS(i->code) == BPF_JMP && BPF_OP(i->code) != BPF_EXIT)
                        ck_assert_msg(i->off >= 0 && pc + 1 + (size_t)i->off < n, "jump out of the program at %zu", pc);
                switch (i->code) {
                case BPF_LDX | BPF_W | BPF_MEM: *d = *(uint32_t *)((char *)(uintptr_t)s + i->off); break;
                case BPF_LD | BPF_DW | BPF_IMM:
                        ck_assert_uint_lt(pc + 1, n);
                        *d = (uint64_t)(uint32_t)p[pc + 1].imm << 32 | (uint32_t)i->imm;
                        pc++;
                        break;
                case BPF_ALU64 | BPF_MOV | BPF_X: *d = s; break;
                case BPF_ALU64 | BPF_MOV | BPF_K: *d = (uint64_t)(int64_t)i->imm; break;
                case BPF_ALU64 | BPF_LSH | BPF_K: *d <<= i->imm; break;
                case BPF_ALU64 | BPF_OR | BPF_X: *d |= s; break;
                case BPF_ALU64 | BPF_AND | BPF_X: *d &= s; break;
                case BPF_JMP | BPF_JEQ | BPF_X: if (*d == s) pc += (size_t)i->off; break;
                case BPF_JMP | BPF_EXIT: return (int)reg[0];
                default: ck_abort_msg("unexpected opcode 0x%x at %zu", i->code, pc);
                }
        }
        ck_abort_msg("fell off the end of the program");
        return -1;
}

/* The kernel's verifier takes the program (root only; elsewhere the
 * interpreter above is all there is, and the integration tests load it). */
static void verify_prog(const struct bpf_insn *p, size_t n)
{
        static char log[1 << 20];
        union bpf_attr a = {
                .prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
                .insns = (uint64_t)(uintptr_t)p,
                .insn_cnt = (uint32_t)n,
                .license = (uint64_t)(uintptr_t)"GPL",
        };
        int fd;

        if (geteuid() != 0)
                return;
        fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
        if (fd < 0 && errno == EPERM) {
                fprintf(stderr, "note: BPF_PROG_LOAD is not permitted here: device programs not verified\n");
                return;
        }
        if (fd < 0) {
                /* again, for the verifier's reasons (a log that overflows fails the load) */
                a.log_buf = (uint64_t)(uintptr_t)log;
                a.log_size = sizeof(log);
                a.log_level = 1;
                syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
        }
        ck_assert_msg(fd >= 0, "the verifier refused the program: %.2000s", log);
        close(fd);
}

#define C BPF_DEVCG_DEV_CHAR
#define B BPF_DEVCG_DEV_BLOCK
#define R BPF_DEVCG_ACC_READ
#define W BPF_DEVCG_ACC_WRITE
#define M BPF_DEVCG_ACC_MKNOD

START_TEST(test_devices)
{
        struct spec_device_rule rules[] = {
                { .allow = false, .type = 'a', .access = "rwm" },
                { .allow = true, .type = 'c', .major = SET(1), .minor = SET(11), .access = "rw" },
                { .allow = false, .type = 'c', .major = SET(1), .minor = SET(11), .access = "w" },
        };
        struct bpf_insn *p = NULL;
        struct berr e;
        size_t n;

        /* deny all, then runc's defaults */
        ck_assert_int_eq(cgroup_devices_compile(rules, 1, &p, &n, &e), 0);
        verify_prog(p, n);
        ck_assert_int_eq(run_prog(p, n, C, R | W, 1, 3), 1);       /* /dev/null */
        ck_assert_int_eq(run_prog(p, n, C, R | W, 136, 7), 1);     /* a pty */
        ck_assert_int_eq(run_prog(p, n, C, W, 1, 11), 0);          /* /dev/kmsg */
        ck_assert_int_eq(run_prog(p, n, B, M, 7, 0), 1);           /* mknod of anything */
        ck_assert_int_eq(run_prog(p, n, B, R, 7, 0), 0);           /* but not its use */
        ck_assert_int_eq(run_prog(p, n, B, R, 1, 3), 0);           /* a block device is not /dev/null */
        ck_assert_int_eq(run_prog(p, n, C, R, 1, 3 | 1 << 19), 0); /* nor is a minor with more bits */
        ck_assert_int_eq(run_prog(p, n, C, M | R, 136, 0xfffff), 1);
        free(p);
        /* an allow, then a deny of one access bit out of it */
        ck_assert_int_eq(cgroup_devices_compile(rules, 3, &p, &n, &e), 0);
        verify_prog(p, n);
        ck_assert_int_eq(run_prog(p, n, C, R, 1, 11), 1);
        ck_assert_int_eq(run_prog(p, n, C, R | W, 1, 11), 0);
        ck_assert_int_eq(run_prog(p, n, C, W, 1, 11), 0);
        ck_assert_int_eq(run_prog(p, n, C, M, 1, 11), 1);          /* the defaults' mknod */
        ck_assert_int_eq(run_prog(p, n, C, R, 1, 12), 0);
        free(p);
        /* allow all */
        rules[0].allow = true;
        ck_assert_int_eq(cgroup_devices_compile(rules, 1, &p, &n, &e), 0);
        verify_prog(p, n);
        ck_assert_int_eq(run_prog(p, n, B, R | W, 8, 0), 1);
        free(p);
        /* allow all, then a deny of reading and writing one device: the
         * fall-through allows, the tests deny */
        rules[2].access[0] = 'r', rules[2].access[1] = 'w', rules[2].access[2] = '\0';
        rules[1] = rules[2];
        rules[1].major.v = 4096;        /* a major no device has: no test */
        ck_assert_int_eq(cgroup_devices_compile(rules, 3, &p, &n, &e), 0);
        verify_prog(p, n);
        ck_assert_int_eq(run_prog(p, n, C, R, 1, 11), 0);
        ck_assert_int_eq(run_prog(p, n, C, W | M, 1, 11), 0);
        ck_assert_int_eq(run_prog(p, n, C, M, 1, 11), 1);
        ck_assert_int_eq(run_prog(p, n, C, R, 4096 & 0xfff, 11), 1);
        ck_assert_int_eq(run_prog(p, n, B, R, 1, 11), 1);
        free(p);
        /* no rules: only the defaults */
        ck_assert_int_eq(cgroup_devices_compile(NULL, 0, &p, &n, &e), 0);
        verify_prog(p, n);
        ck_assert_int_eq(run_prog(p, n, C, R, 1, 11), 0);
        ck_assert_int_eq(run_prog(p, n, C, R, 1, 9), 1);
        free(p);
        rules[1].major.v = (int64_t)UINT32_MAX + 1;
        ck_assert_int_eq(cgroup_devices_compile(rules, 2, &p, &n, &e), -ERANGE);
        ck_assert_ptr_nonnull(strstr(e.msg, ".linux.resources.devices[1]"));
}
END_TEST

/* Each test jumps to an exit at the end of the program, and a jump reaches
 * 32767 instructions: more rules than fit are refused, not cut. */
START_TEST(test_devices_too_many)
{
        size_t n = 12000;
        struct spec_device_rule *rules = calloc(n, sizeof(*rules));
        struct bpf_insn *p = NULL;
        struct berr e;
        size_t len;

        ck_assert_ptr_nonnull(rules);
        for (size_t i = 0; i < n; i++)
                rules[i] = (struct spec_device_rule){ .allow = true, .type = 'c', .major = SET(1),
                                                      .minor = SET((int64_t)i), .access = "r" };
        ck_assert_int_eq(cgroup_devices_compile(rules, 4000, &p, &len, &e), 0);
        verify_prog(p, len);
        ck_assert_int_eq(run_prog(p, len, C, R, 1, 3999), 1);
        ck_assert_int_eq(run_prog(p, len, C, R, 1, 4000), 0);
        free(p);
        ck_assert_int_eq(cgroup_devices_compile(rules, n, &p, &len, &e), -E2BIG);
        ck_assert_ptr_nonnull(strstr(e.msg, "12000 device rules"));
        free(rules);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("cgroups");
        TCase *tc = tcase_create("controllers");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_conversions);
        tcase_add_test(tc, test_memory);
        tcase_add_test(tc, test_missing_controller);
        tcase_add_test(tc, test_cpu);
        tcase_add_test(tc, test_cpuset_pids);
        tcase_add_test(tc, test_io);
        tcase_add_test(tc, test_hugetlb_rdma_unified);
        tcase_add_test(tc, test_devices);
        tcase_add_test(tc, test_devices_too_many);
        suite_add_tcase(s, tc);
        return unit_run(s);
}
