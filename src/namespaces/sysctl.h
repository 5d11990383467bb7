/* sysctl: linux.sysctl, allowed only for keys that belong to a namespace
 * the container has of its own (ipc, net, uts); any other key would change
 * the host for everyone, and is refused. */
#pragma once

#include "spec/spec.h"
#include "util/berr.h"

/* Pure: check every key against the config's namespaces (before clone). */
int sysctl_check(const struct spec_linux *l, struct berr *e);

/* Write the values under /proc/sys, in the container, before /proc/sys is
 * made read-only. */
int sysctl_apply(const struct spec_linux *l, struct berr *e);
