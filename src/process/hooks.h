/* hooks: run the OCI hooks of one kind (config.json "hooks"), each as a
 * child process of the caller with the container's state JSON on its stdin,
 * its own args and env, and its timeout.
 *
 * Where each kind runs is the caller's business (runtime-spec 1.2,
 * runtime.md "Lifecycle"): prestart and createRuntime in the runtime's
 * namespaces during create (src/process/create.c), createContainer in the
 * container's namespaces before pivot_root and startContainer just before
 * the workload's execve (src/process/init.c), poststart after start and
 * poststop after delete (src/process/lifecycle.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "spec/spec.h"
#include "util/berr.h"

/* Run every hook of `kind` in order. The first failure (exec failure, a
 * non-zero exit, a signal, a timeout) stops the list and is returned, its
 * message naming the kind, the index and the path, and ending with what the
 * hook printed. With keep_going (poststop), a failure is logged as a
 * warning and the next hook runs; the return is then 0. */
int hooks_run(const struct spec *s, enum spec_hook_kind kind, const char *state, size_t state_len,
              bool keep_going, struct berr *e);

static inline bool hooks_any(const struct spec *s, enum spec_hook_kind kind)
{
        return s->hooks[kind].n > 0;
}
