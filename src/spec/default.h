/* spec/default: the starter config.json that `berth spec` writes. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "util/json.h"

/* Write the default config as one JSON object: the same content and key
 * order as `runc spec` (1.1.5), with ociVersion "1.2.0" and hostname
 * "berth". rootless gives runc's --rootless variant: a user namespace that
 * maps container root to uid/gid, no network namespace, /sys bind-mounted,
 * no uid=/gid= mount options and no resources. Returns 0 or a negative errno
 * if the writer failed. */
int spec_default_write(struct jw *w, bool rootless, uid_t uid, gid_t gid);
