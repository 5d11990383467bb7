/* control: pause, resume, ps, update and the lookup behind events (see
 * control.h). Pause and resume hold the container's lock, so two of them
 * never interleave with each other or with delete. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups/cgroup.h"
#include "process/control.h"
#include "state/state.h"
#include "util/cleanup.h"

struct ctl {
        struct state_dir dir;
        struct container_state st;
        enum container_status status;
};

static void ctl_done(struct ctl *c)
{
        container_state_done(&c->st);
        state_dir_close(&c->dir);
}

static int ctl_load(const char *root, const char *id, bool exclusive, struct ctl *c, struct berr *e)
{
        int r;

        *c = (struct ctl){ .dir = STATE_DIR_INIT };
        r = state_dir_open(root, id, exclusive, &c->dir, e);
        if (r == 0)
                r = state_read(&c->dir, &c->st, e);
        if (r < 0)
                return r;
        c->status = state_status(&c->dir, &c->st);
        if (!c->st.cgroup_path)
                return berr_set(e, -EOPNOTSUPP, "the container has no cgroup (rootless without a delegated cgroup)");
        return 0;
}

static int ctl_freeze(const char *root, const char *id, bool freeze, struct berr *e)
{
        struct ctl c;
        int r = ctl_load(root, id, true, &c, e);

        if (r == 0 && freeze && c.status != STATUS_RUNNING)
                r = berr_set(e, -EINVAL, "cannot pause a container that is %s", container_status_name(c.status));
        if (r == 0 && !freeze && c.status != STATUS_PAUSED)
                r = berr_set(e, -EINVAL, "cannot resume a container that is %s", container_status_name(c.status));
        if (r == 0)
                r = cgroup_freeze(c.st.cgroup_path, freeze, e);
        ctl_done(&c);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}

int container_pause(const char *root, const char *id, struct berr *e)
{
        return ctl_freeze(root, id, true, e);
}

int container_resume(const char *root, const char *id, struct berr *e)
{
        return ctl_freeze(root, id, false, e);
}

int container_pids(const char *root, const char *id, int **ret, size_t *ret_n, struct berr *e)
{
        struct ctl c;
        int r = ctl_load(root, id, false, &c, e);

        if (r == 0 && c.status == STATUS_STOPPED) {
                *ret = NULL;
                *ret_n = 0;
        } else if (r == 0) {
                r = cgroup_pids(c.st.cgroup_path, ret, ret_n, e);
        }
        ctl_done(&c);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}

int container_update(const char *root, const char *id, const struct spec_resources *res, struct berr *e)
{
        struct ctl c;
        int r = ctl_load(root, id, true, &c, e);

        if (r == 0 && c.status == STATUS_STOPPED)
                r = berr_set(e, -EINVAL, "cannot update a container that is stopped");
        if (r == 0)
                r = cgroup_update(c.st.cgroup_path, res, e);
        ctl_done(&c);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}

int container_cgroup(const char *root, const char *id, char **ret_path, bool *ret_running, struct berr *e)
{
        struct ctl c;
        int r = ctl_load(root, id, false, &c, e);

        if (r == 0) {
                *ret_path = strdup(c.st.cgroup_path);
                *ret_running = c.status != STATUS_STOPPED;
                if (!*ret_path)
                        r = berr_sys(e, -ENOMEM, "cgroup");
        }
        ctl_done(&c);
        return r < 0 ? berr_wrap(e, "container %s", id) : 0;
}
