/* selfexe: no container process runs berth's binary from the host
 * (CVE-2019-5736).
 *
 * The container's init and exec'd processes are clones of the berth
 * process: until they execve the workload their /proc/<pid>/exe is berth's
 * binary on the host, and a workload "#!/proc/self/exe" makes the kernel
 * execute that binary inside the container. Either way a container process
 * could open the host binary through the magic link and, once berth has
 * exited (no more ETXTBSY), overwrite it.
 *
 * Two guards, chosen per container:
 *  - the stub (the usual one): the processes are not dumpable while they run
 *    berth's code, so a container process cannot open their /proc/<pid>/exe
 *    (that takes CAP_SYS_PTRACE in the host's user namespace), and they end
 *    berth's part by executing berth-stub (src/stub/stub.c) from a sealed
 *    memfd, which executes the workload: what "/proc/self/exe" names when
 *    the workload runs is the stub's sealed copy.
 *  - the sealed copy of all of berth: berth re-executes itself from a sealed
 *    memfd, and its processes exec the workload directly. It costs a copy and
 *    a second start-up of berth, so it is kept for the containers the stub
 *    would not cover (selfexe_needs_copy). */
#pragma once

#include <stdbool.h>

#include "util/berr.h"

struct spec_linux;
struct spec_process;

/* The environment variable that marks the re-executed copy (loop guard);
 * it carries the binary's host path. */
#define SELFEXE_ENV "_BERTH_SELFEXE"

/* First thing in main: keep argv for selfexe_reexec_sealed(), and, in the
 * re-executed copy, check that it is sealed and drop the marker. */
int selfexe_init(char **argv, struct berr *e);

/* Whether a container (its linux section) with the process p needs the
 * sealed copy of berth rather than the stub:
 *  - a security label (SELinux or AppArmor) for the process, which must
 *    apply when the workload is executed, not when the stub is;
 *  - without a user namespace of its own, CAP_SYS_PTRACE in the bounding set
 *    or a pid namespace joined from elsewhere: processes that may open
 *    /proc/<pid>/exe of a non-dumpable process, or others in the same pid
 *    namespace that may;
 *  - non-root user, no_new_privs and permitted capabilities beyond the
 *    ambient ones (selfexe.c, selfexe_stub_keeps_caps);
 *  - berth not running as root: a rootless berth, unless its caller (rootless
 *    Podman) made it root in a user namespace. */
bool selfexe_needs_copy(const struct spec_linux *l, const struct spec_process *p);

/* Copy the binary into a sealed memfd and execute it with the argv given to
 * selfexe_init() and the marker. Does not return on success. Call it before
 * anything of the container is touched (no other process, no file). */
int selfexe_reexec_sealed(struct berr *e);

/* The sealed memfd of the stub: before clone, inherited by the children,
 * or after it when deferred (below). A no-op in the sealed copy of berth,
 * whose processes exec directly, and when the stub is made already. */
int selfexe_stub_prepare(struct berr *e);

/* Or, when the container's init needs the stub only to execute the
 * workload: make berth's processes non-dumpable now (before clone, so the
 * init is born so) and the stub's memfd after clone, while the init sets
 * up (selfexe_stub_prepare() then), handing it over with the commit; the
 * init takes it with selfexe_stub_adopt(). False when there is no stub to
 * defer: the sealed copy, or a stub already made. */
bool selfexe_stub_defer(void);
void selfexe_stub_adopt(int fd);

/* With the stub, berth's processes are not dumpable (set by
 * selfexe_stub_prepare() or _defer()); a change of credentials resets that
 * to fs.suid_dumpable: a child calls this after its user switch. */
void selfexe_keep_undumpable(void);

/* The stub's memfd (to keep open in the children), or -EBADF. */
int selfexe_stub_fd(void);

/* Renumber the stub's memfd to fd (close-on-exec), for a child that closes
 * all fds above stdio. */
int selfexe_stub_move(int fd);

/* execve(exe, argv, envp), through the stub when there is one. On the
 * stub's side a failure to execute exe is written to stderr after prefix,
 * and the stub exits 127 (ENOENT), 126 (EACCES, ENOEXEC) or 1. Returns
 * -errno when the exec of the stub (or of exe) failed. */
int selfexe_execve(const char *prefix, const char *exe, char *const argv[], char *const envp[]);

/* The berth binary's absolute path on the host, also when running from the
 * memfd copy; NULL if unknown. For what runs berth again later (the shim's
 * exit helper) and finds files beside it (berth-shim). */
const char *selfexe_path(void);

/* berth's helper program `name` (berth-shim, berth-netdev): beside the berth
 * binary (a build tree, a /usr/local/bin install), else where `make
 * install` puts it. Its path in buf, or -ENOENT. */
int selfexe_helper(const char *name, char *buf, size_t size);
