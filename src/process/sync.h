/* sync: the parent/child protocol of container creation, over one
 * SOCK_SEQPACKET socketpair. Each message is one record: a step name and,
 * for SYNC_ERROR, the child's error record as is (struct berr is fixed-size
 * and pointer-free for exactly this).
 *
 *   parent                          child (container init)
 *   clone3 ──────────────────────▶  (waits)
 *   [user ns: write id maps]
 *   SYNC_MAPS_DONE  ─────────────▶  setup: namespaces, mounts, /dev
 *   [only when the config has prestart, createRuntime or createContainer hooks:]
 *                   ◀─────────────  SYNC_HOOKS
 *   prestart, createRuntime hooks
 *   SYNC_HOOKS_DONE + state JSON ─▶ createContainer hooks
 *                                   pivot_root, hostname, rlimits
 *                   ◀─────────────  SYNC_CONSOLE + pty master fd
 *   send the master to the           (only with process.terminal: the pty
 *   console socket, or keep it       is opened after pivot_root, so it
 *   (foreground run)                 belongs to the container's devpts)
 *   [only when the seccomp profile notifies (SCMP_ACT_NOTIFY):]
 *                   ◀─────────────  SYNC_SECCOMP + the listener fd
 *   hand the fd to the agent at
 *   linux.seccomp.listenerPath
 *   [only when run starts the container at commit (below):]
 *                   ◀─────────────  SYNC_FINISHING
 *                                   user, caps, PATH lookup
 *                   ◀─────────────  SYNC_CREATED  (or SYNC_ERROR + record)
 *   state.json (renamed into place:
 *   written while the init set up),
 *   pid file
 *   SYNC_COMMIT [+ state JSON,   ──▶  clear PDEATHSIG, close the socket
 *     or the stub's memfd]
 *   (waits for EOF) ◀─────────────  wait on exec.fifo, startContainer hooks
 *                                   (with the state sent at commit), execve
 *
 * A foreground `run` without create or poststart hooks starts the container
 * at commit (container_create_opts.start): there is no exec.fifo, and the
 * init execs as soon as SYNC_COMMIT comes. Each side polls for the answer
 * it waits on last (sync_wait_soon) rather than sleeping: the init for the
 * commit, which takes the parent microseconds; the parent for CREATED, once
 * SYNC_FINISHING has told it that the init's last steps have begun, so that
 * its wake-up runs alongside them.
 *
 * Without createContainer or startContainer hooks (which run in the
 * container through berth-stub), the stub's sealed memfd is made by the
 * parent while the init sets up, and sent with SYNC_COMMIT (SCM_RIGHTS):
 * the init needs it only to execute the workload.
 *
 * The parent must not exit before the child has cleared PDEATHSIG, or its
 * exit kills the container it has just reported as created: hence the last
 * wait, for the child's end of the socket to close.
 *
 * A step may carry a payload (the state JSON the hooks read on stdin): it
 * follows as a message of its own.
 *
 * An EOF on either side means the other died: the child exits, the parent
 * cleans up. */
#pragma once

#include <stddef.h>

#include "util/berr.h"

enum sync_step {
        SYNC_MAPS_DONE = 1,
        SYNC_HOOKS,
        SYNC_HOOKS_DONE,
        SYNC_CREATED,
        SYNC_COMMIT,
        SYNC_ERROR,
        SYNC_CONSOLE,                   /* carries the pty master (SCM_RIGHTS) */
        SYNC_EXEC_CHILD,                /* exec: the pid of the process to run, as data */
        SYNC_SECCOMP,                   /* carries the seccomp listener fd (SCM_RIGHTS) */
        SYNC_FINISHING,                 /* run: the init's last steps begin */
};

const char *sync_step_name(enum sync_step s);
int sync_send(int fd, enum sync_step step);
int sync_send_error(int fd, const struct berr *err);
/* A step followed by a payload of len > 0 bytes. */
int sync_send_data(int fd, enum sync_step step, const void *data, size_t len);
/* A step that carries one fd (SCM_RIGHTS). */
int sync_send_fd(int fd, enum sync_step step, int passed);
/* Wait for `expect` and the fd it carries: *ret_fd is new, O_CLOEXEC. */
int sync_wait_fd(int fd, enum sync_step expect, int *ret_fd, struct berr *e);
/* Wait for `expect`. A SYNC_ERROR from the peer is copied into e and its code
 * returned; EOF or an unexpected step is an error naming what was awaited. */
int sync_wait(int fd, enum sync_step expect, struct berr *e);
/* sync_wait for an answer due within microseconds: it polls the socket,
 * yielding the CPU between tries, for up to SYNC_SOON_US before it sleeps
 * in sync_wait. On a virtual machine a sleeping process takes some 40 us to
 * wake (an interprocessor interrupt through the hypervisor). */
#define SYNC_SOON_US 200
/* With ret_fd, the step carries an fd, as for sync_wait_fd. */
int sync_wait_soon(int fd, enum sync_step expect, int *ret_fd, struct berr *e);
/* Wait for `expect` and its payload: *ret is a new NUL-terminated buffer. */
int sync_wait_data(int fd, enum sync_step expect, char **ret, size_t *ret_len, struct berr *e);
/* Wait for the peer to close its end (EOF). A SYNC_ERROR is the peer's
 * error (copied into e); any other message is a protocol error. */
int sync_wait_closed(int fd, struct berr *e);
