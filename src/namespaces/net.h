/* namespaces/net: network set-up through rtnetlink (libmnl, wrapped here
 * and nowhere else): the container's loopback, and host interfaces moved
 * into its network namespace (linux.netDevices). */
#pragma once

#include "util/berr.h"

/* Move host interface host_name into the network namespace netns_fd,
 * renamed to name, with its IPv4 and IPv6 addresses and its up/down state
 * (the kernel drops addresses on a move). Runs in the runtime, as host root. */
int net_move_device(const char *host_name, const char *name, int netns_fd, struct berr *e);
