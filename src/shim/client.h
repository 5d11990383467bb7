/* client: how berth's commands talk to a container's shim over its socket
 * (shim/protocol.h; state_read() reads the exit record). Sockets only: the
 * process layer (delete) uses it too. */
#pragma once

#include <stdbool.h>

#include "shim/protocol.h"

/* Connect to the shim of the container directory dir_fd and send req (0:
 * none): *ret_fd is the connection. -ECONNREFUSED or -ENOENT: no shim
 * runs. */
int shim_connect(int dir_fd, char req, int *ret_fd);

/* Receive messages until SHIM_MSG_EXIT: 0 with *ret filled, -EPIPE when
 * the shim went away without one. */
int shim_recv_exit(int fd, struct shim_exit *ret);

/* Tell the shim its container is deleted and wait until it has gone; no
 * shim is not an error. */
void shim_quit(int dir_fd);

/* Whether a shim serves the container (its socket file may outlive it). */
bool shim_alive(int dir_fd);
