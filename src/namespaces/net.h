/* namespaces/net: host interfaces moved into a container's network
 * namespace (linux.netDevices), through rtnetlink and libmnl. Linked into
 * berth-netdev only; berth runs it through netdev.h. */
#pragma once

#include "util/berr.h"

/* Move host interface host_name into the network namespace netns_fd,
 * renamed to name, with its IPv4 and IPv6 addresses and its up/down state
 * (the kernel drops addresses on a move). Runs as host root, single-threaded
 * (it steps into netns_fd and back). */
int net_move_device(const char *host_name, const char *name, int netns_fd, struct berr *e);
