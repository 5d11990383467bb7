/* console: process.terminal. The pty is opened inside the container (its
 * /dev/pts/ptmx, after pivot_root), so the slave belongs to the container's
 * devpts instance; its master leaves the container over the sync socket and
 * goes on to the caller's --console-socket (SCM_RIGHTS, as runc and crun
 * send it) or to berth's own relay (process/foreground.h). */
#pragma once

#include <stdbool.h>

#include <sys/types.h>

#include "spec/spec.h"
#include "util/berr.h"

/* In the container, before the user switch: open a pty from /dev/pts/ptmx,
 * apply process.consoleSize, give the slave to `owner` (the workload's uid),
 * mount it on /dev/console (dev_console: the init, not an exec), make it
 * the controlling terminal of a new session and fds 0-2.
 * *ret_master is O_CLOEXEC. */
int console_setup(const struct spec_process *p, uid_t owner, bool dev_console, int *ret_master, struct berr *e);
/* Mount the pty slave on the container's /dev/console, never through a
 * symlink. */
int console_bind_dev_console(int slave, struct berr *e);

/* Connect to the unix socket at `path` (O_CLOEXEC), before anything is made. */
int console_socket_connect(const char *path, int *ret_fd, struct berr *e);

/* Send the pty master over a connected console socket. */
int console_socket_send(int sock, int master, struct berr *e);
