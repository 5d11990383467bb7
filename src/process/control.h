/* control: commands that act on a running container through its cgroup:
 * pause, resume, ps, update, events. Each names the container in errors;
 * a container without a cgroup (rootless, undelegated) is refused clearly. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/berr.h"

struct spec_resources;

int container_pause(const char *root, const char *id, struct berr *e);
int container_resume(const char *root, const char *id, struct berr *e);
/* The pids in the container's group, sorted; free *ret. */
int container_pids(const char *root, const char *id, int **ret, size_t *ret_n, struct berr *e);
int container_update(const char *root, const char *id, const struct spec_resources *r, struct berr *e);

/* What `events` polls: the group's path (a new string) and whether the
 * container still runs. */
int container_cgroup(const char *root, const char *id, char **ret_path, bool *ret_running, struct berr *e);
