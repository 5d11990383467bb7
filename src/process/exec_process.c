/* exec_process: the process `berth exec` runs: runc's rules. --process
 * FILE is the whole process (the flags that describe it are ignored, as
 * runc ignores them); otherwise the container's process with ARGS, and -e
 * appended to its env, --cwd, -u, -g, --cap, --no-new-privs, -t applied. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "process/exec.h"
#include "security/lsm.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define EXEC_PROCESS_MAX (16u << 20)

static int exec_parse_id(const char *s, const char *what, uint32_t *ret, struct berr *e)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || end == s || *end || s[0] == '-' || v > UINT32_MAX - 1)
                return berr_set(e, -EINVAL, "%s: expected a number, got \"%s\"", what, s);
        *ret = (uint32_t)v;
        return 0;
}

/* -u UID[:GID]: numbers, as runc takes them. */
static int exec_parse_user(const char *user, struct spec_user *u, struct berr *e)
{
        _cleanup_free_ char *copy = strdup(user);
        char *colon;
        uint32_t id;
        int r;

        if (!copy)
                return berr_sys(e, -ENOMEM, "--user");
        colon = strchr(copy, ':');
        if (colon)
                *colon = '\0';
        r = exec_parse_id(copy, "--user", &id, e);
        if (r < 0)
                return r;
        u->uid = id;
        if (colon) {
                r = exec_parse_id(colon + 1, "--user", &id, e);
                if (r < 0)
                        return r;
                u->gid = id;
        }
        return 0;
}

static int exec_add_env(struct exec_ctx *c, struct berr *e)
{
        const struct container_exec_opts *o = c->o;
        size_t n = c->proc.n_env;

        if (o->n_env == 0)
                return 0;
        for (size_t i = 0; i < o->n_env; i++)
                if (!strchr(o->env[i], '=') || o->env[i][0] == '=')
                        return berr_set(e, -EINVAL, "--env: expected KEY=VALUE, got \"%s\"", o->env[i]);
        c->env = calloc(n + o->n_env + 1, sizeof(char *));
        if (!c->env)
                return berr_sys(e, -ENOMEM, "--env");
        memcpy(c->env, c->proc.env, n * sizeof(char *));
        memcpy(c->env + n, o->env, o->n_env * sizeof(char *));
        c->proc.env = c->env;
        c->proc.n_env = n + o->n_env;
        return 0;
}

static int exec_add_gids(struct exec_ctx *c, struct berr *e)
{
        struct spec_user *u = &c->proc.user;
        size_t n = u->n_additional_gids;

        if (c->o->n_gids == 0)
                return 0;
        c->gids = calloc(n + c->o->n_gids, sizeof(gid_t));
        if (!c->gids)
                return berr_sys(e, -ENOMEM, "--additional-gids");
        if (n)
                memcpy(c->gids, u->additional_gids, n * sizeof(gid_t));
        memcpy(c->gids + n, c->o->gids, c->o->n_gids * sizeof(gid_t));
        u->additional_gids = c->gids;
        u->n_additional_gids = n + c->o->n_gids;
        return 0;
}

/* --cap adds to bounding, effective, permitted and ambient (runc's sets). */
static int exec_add_caps(struct exec_ctx *c, struct berr *e)
{
        struct spec_caps *caps = &c->proc.caps;

        for (size_t i = 0; i < c->o->n_caps; i++) {
                int cap = spec_cap_from_name(c->o->caps[i]);

                if (cap < 0)
                        return berr_set(e, -EINVAL, "--cap: unknown capability \"%s\"", c->o->caps[i]);
                caps->bounding |= UINT64_C(1) << cap;
                caps->effective |= UINT64_C(1) << cap;
                caps->permitted |= UINT64_C(1) << cap;
                caps->ambient |= UINT64_C(1) << cap;
        }
        return 0;
}

static int exec_from_flags(struct exec_ctx *c, struct berr *e)
{
        const struct container_exec_opts *o = c->o;
        int r;

        c->proc = c->spec->process;
        c->proc.args = o->args;
        c->proc.n_args = o->n_args;
        c->proc.terminal = o->tty == 1;
        if (o->cwd) {
                if (o->cwd[0] != '/')
                        return berr_set(e, -EINVAL, "--cwd: expected an absolute path, got \"%s\"", o->cwd);
                c->proc.cwd = o->cwd;
        }
        if (o->no_new_privs)
                c->proc.no_new_privileges = true;
        r = exec_add_env(c, e);
        if (r == 0 && o->user)
                r = exec_parse_user(o->user, &c->proc.user, e);
        if (r == 0)
                r = exec_add_gids(c, e);
        if (r == 0)
                r = exec_add_caps(c, e);
        return r;
}

static int exec_from_file(struct exec_ctx *c, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int r;

        r = fs_read_at(AT_FDCWD, c->o->process_file, EXEC_PROCESS_MAX, &buf, &len);
        if (r < 0)
                return berr_sys(e, r, "--process %s", c->o->process_file);
        r = spec_parse_process(c->o->process_file, buf, len, &c->file_proc, e);
        if (r < 0)
                return r;
        c->have_file_proc = true;
        c->proc = c->file_proc;
        return 0;
}

int exec_build_process(struct exec_ctx *c, struct berr *e)
{
        const struct container_exec_opts *o = c->o;
        char where[PATH_MAX + 8];
        int r;

        r = o->process_file ? exec_from_file(c, e) : exec_from_flags(c, e);
        if (r < 0)
                return r;
        if (o->apparmor && !lsm_enabled(LSM_APPARMOR))
                return berr_set(e, -EOPNOTSUPP, "--apparmor \"%s\": AppArmor is not enabled on this host", o->apparmor);
        if (o->process_label && !lsm_enabled(LSM_SELINUX))
                return berr_set(e, -EOPNOTSUPP, "--process-label \"%s\": SELinux is not enabled on this host",
                                o->process_label);
        /* c->proc is a shallow copy: what it was copied from keeps its
         * own strings. */
        if (o->apparmor && !(c->proc.apparmor_profile = c->apparmor = strdup(o->apparmor)))
                return berr_sys(e, -ENOMEM, "--apparmor");
        if (o->process_label && !(c->proc.selinux_label = c->process_label = strdup(o->process_label)))
                return berr_sys(e, -ENOMEM, "--process-label");
        if (!o->process_file)
                return lsm_check_process(&c->proc, "config.json: .process", e);
        snprintf(where, sizeof(where), "%s: ", o->process_file);
        return lsm_check_process(&c->proc, where, e);
}

void exec_ctx_done(struct exec_ctx *c)
{
        c->pidfd = safe_close(c->pidfd);
        c->console = safe_close(c->console);
        c->console_sock = safe_close(c->console_sock);
        c->sync_fd[0] = safe_close(c->sync_fd[0]);
        c->sync_fd[1] = safe_close(c->sync_fd[1]);
        c->time_fd = safe_close(c->time_fd);
        c->cgroup_fd = safe_close(c->cgroup_fd);
        c->init_pidfd = safe_close(c->init_pidfd);
        seccomp_program_done(&c->seccomp);
        free(c->apparmor);
        free(c->process_label);
        free(c->env);
        free(c->gids);
        if (c->have_file_proc)
                spec_process_free(&c->file_proc);
        spec_free(c->spec);
        container_state_done(&c->st);
        state_dir_close(&c->dir);
}
