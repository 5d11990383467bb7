/* namespaces/net: network set-up inside the container's network namespace,
 * through rtnetlink (libmnl, wrapped here and nowhere else). */
#pragma once

#include "util/berr.h"

/* Bring the loopback interface up in the calling thread's network namespace. */
int net_loopback_up(struct berr *e);
