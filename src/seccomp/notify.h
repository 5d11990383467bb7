/* seccomp/notify: the seccomp listener fd to the agent at listenerPath. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "util/berr.h"

struct seccomp_notify_target {
        const char *listener_path;      /* linux.seccomp.listenerPath */
        const char *metadata;           /* linux.seccomp.listenerMetadata, or NULL */
        const char *oci_version;
        pid_t pid;                      /* the process the filter belongs to */
        const char *state;              /* the container's OCI state, JSON */
        size_t state_len;
};

/* Connect to the agent and send it the container process state with
 * listener_fd (SCM_RIGHTS). The caller keeps (and closes) listener_fd. */
int seccomp_notify_send(const struct seccomp_notify_target *t, int listener_fd, struct berr *e);
