/* devices: the device nodes and symlinks of a container's /dev. */
#pragma once

#include <stdbool.h>

#include "spec/spec.h"
#include "util/berr.h"

/* The default devices (null, zero, full, random, urandom, tty) and the
 * /dev symlinks runc creates, into a fresh /dev. In a user namespace mknod
 * is not allowed, so the host's nodes are bind-mounted instead. */
int devices_create_default(int rootfd, bool in_userns, struct berr *e);

/* linux.devices from the config. */
int devices_create_config(int rootfd, const struct spec_linux *l, bool in_userns, struct berr *e);
