/* namespaces/netdev: linux.netDevices, from berth's side. The rtnetlink work
 * is berth-netdev's (net.h), a helper installed beside berth-shim: berth
 * links no libmnl. */
#pragma once

#include "util/berr.h"

/* Run berth-netdev to move host interface host_name into netns_fd as name;
 * its one-line message and errno become e. */
int netdev_move(const char *host_name, const char *name, int netns_fd, struct berr *e);
