/* controllers: one function per cgroup v2 controller that writes the
 * linux.resources fields it owns into a container's group.
 *
 * Each takes an O_DIRECTORY fd of the group (so unit tests aim them at a
 * temporary directory) and writes only the fields that are set. Values are
 * converted as runc and crun convert them for cgroup v2. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/berr.h"

int cgroup_memory_apply(int dfd, const struct spec_resources *r, struct berr *e);
int cgroup_cpu_apply(int dfd, const struct spec_resources *r, struct berr *e);
int cgroup_cpuset_apply(int dfd, const struct spec_resources *r, struct berr *e);
int cgroup_pids_apply(int dfd, const struct spec_resources *r, struct berr *e);
int cgroup_io_apply(int dfd, const struct spec_resources *r, struct berr *e);
int cgroup_hugetlb_apply(int dfd, const struct spec_resources *r, struct berr *e);
int cgroup_rdma_apply(int dfd, const struct spec_resources *r, struct berr *e);
int cgroup_unified_apply(int dfd, const struct spec_resources *r, struct berr *e);

/* Every controller above, in a fixed order (cpuset before the rest, unified
 * last so that raw keys win over converted ones, as in runc). */
int cgroup_resources_apply(int dfd, const struct spec_resources *r, struct berr *e);

/* Enable every available controller in each ancestor's
 * cgroup.subtree_control down to the group at path (best effort: a
 * controller left off shows up as a clear error when a limit needs it).
 * create does it when the config asks for limits, and update when it does,
 * so that a limit first asked for by update finds its files. */
void cgroup_enable_controllers(const char *path);

/* Whether r asks for anything that needs a controller (devices excluded:
 * they go through an eBPF program, which every cgroup2 group takes). */
bool cgroup_resources_wanted(const struct spec_resources *r);

/* Conversions, exported for the unit tests. */
uint64_t cgroup_cpu_shares_to_weight(uint64_t shares);
uint64_t cgroup_blkio_weight_to_io_weight(uint64_t weight);
/* memory.swap.max from OCI's memory+swap value; -ERANGE/-EINVAL with a
 * message when it cannot be expressed. *ret = -1 means "max". */
int cgroup_memory_swap_value(int64_t limit, int64_t swap, int64_t *ret, struct berr *e);

/* ---- devices.c: BPF_PROG_TYPE_CGROUP_DEVICE ---------------------------- */

struct bpf_insn;
/* Compile rules (spec order, last match wins) followed by runc's default
 * allowed devices into a program; *ret is malloc'ed, *ret_n instructions. */
int cgroup_devices_compile(const struct spec_device_rule *rules, size_t n, struct bpf_insn **ret, size_t *ret_n,
                           struct berr *e);
/* Load the program for the rules and attach it to the group (BPF_F_ALLOW_MULTI),
 * then detach any program that was there before (so an update never leaves
 * a window without one). */
int cgroup_devices_apply(int dfd, const struct spec_device_rule *rules, size_t n, struct berr *e);

/* ---- helpers shared by the controller files ----------------------------- */

/* Write value to dfd/file (O_TRUNC). A missing file becomes "the <ctrl>
 * controller is not available in this cgroup v2 group (cannot write
 * <file>)": on a hybrid host the controller lives on cgroup v1. */
int cg_write(int dfd, const char *ctrl, const char *file, const char *value, struct berr *e);
int cg_write_u64(int dfd, const char *ctrl, const char *file, uint64_t v, struct berr *e);
/* An OCI int64 limit: negative means "max". */
int cg_write_limit(int dfd, const char *ctrl, const char *file, int64_t v, struct berr *e);
