/* shim: berth's side of the shim that supervises a detached container
 * (the shim itself is src/shim/shim.c, a program of its own).
 *
 * A detached container (`create`, `run -d`) gets a shim unless berth's
 * caller reaps containers itself, as conmon and containerd's runc shim do:
 * then berth behaves exactly as runc, and no process of berth's stays. The
 * global --shim and --no-shim decide explicitly; without them berth looks
 * at whether its parent would adopt an orphan (shim_decide). */
#pragma once

#include <stdbool.h>

#include "process/container.h"
#include "util/berr.h"

enum shim_mode { SHIM_MODE_AUTO, SHIM_MODE_ALWAYS, SHIM_MODE_NEVER };

/* Whether a detached container made now gets a shim. */
int shim_decide(enum shim_mode mode, bool *ret_use, struct berr *e);

struct shim_opts {
        const char *log_path;           /* --log-path, or NULL: <root>/<id>/container.log */
        bool start;                     /* run -d: start it too */
        bool rm;                        /* run -d --rm: delete it once it has exited */
};

/* Create (and with start, start) the container from a child process that
 * then becomes its shim. Returns once the container is created (started)
 * and the shim serves its socket, or with the error that stopped it and
 * nothing left behind. */
int shim_create(const struct container_create_opts *o, const struct shim_opts *so, struct berr *e);
