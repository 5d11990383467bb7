/* spec/free: spec_free(), which releases a whole or a half-built spec: the
 * parser hangs every allocation on the struct as soon as it is made, so the
 * same function cleans up after a parse error at any depth. */
#include "config.h"

#include <stdlib.h>

#include "spec/spec.h"
#include "util/json.h"

static void strv_free(char **v)
{
        for (char **p = v; p && *p; p++)
                free(*p);
        free(v);
}

static void kv_free(struct spec_key_value *kv, size_t n)
{
        for (size_t i = 0; kv && i < n; i++) {
                free(kv[i].key);
                free(kv[i].value);
        }
        free(kv);
}

void spec_process_free(struct spec_process *p)
{
        free(p->cwd);
        strv_free(p->env);
        strv_free(p->args);
        free(p->user.additional_gids);
        free(p->rlimits);
        free(p->apparmor_profile);
        free(p->selinux_label);
        free(p->exec_cpu_affinity_initial);
        free(p->exec_cpu_affinity_final);
}

static void mounts_free(struct spec_mount *m, size_t n)
{
        for (size_t i = 0; m && i < n; i++) {
                free(m[i].destination);
                free(m[i].type);
                free(m[i].source);
                strv_free(m[i].options);
                free(m[i].uid_mappings);
                free(m[i].gid_mappings);
        }
        free(m);
}

static void hooks_free(struct spec_hook_list *l)
{
        for (size_t i = 0; l->hooks && i < l->n; i++) {
                free(l->hooks[i].path);
                strv_free(l->hooks[i].args);
                strv_free(l->hooks[i].env);
        }
        free(l->hooks);
}

void spec_resources_free(struct spec_resources *r)
{
        free(r->devices);
        free(r->cpu.cpus);
        free(r->cpu.mems);
        free(r->block_io.weight_device);
        free(r->block_io.throttle_read_bps);
        free(r->block_io.throttle_write_bps);
        free(r->block_io.throttle_read_iops);
        free(r->block_io.throttle_write_iops);
        for (size_t i = 0; r->hugepage_limits && i < r->n_hugepage_limits; i++)
                free(r->hugepage_limits[i].page_size);
        free(r->hugepage_limits);
        kv_free(r->network.priorities, r->network.n_priorities);
        for (size_t i = 0; r->rdma && i < r->n_rdma; i++)
                free(r->rdma[i].device);
        free(r->rdma);
        kv_free(r->unified, r->n_unified);
}

static void seccomp_free(struct spec_seccomp *s)
{
        strv_free(s->architectures);
        free(s->listener_path);
        free(s->listener_metadata);
        for (size_t i = 0; s->syscalls && i < s->n_syscalls; i++) {
                strv_free(s->syscalls[i].names);
                free(s->syscalls[i].args);
        }
        free(s->syscalls);
}

static void linux_free(struct spec_linux *l)
{
        for (size_t i = 0; i < SPEC_NS__MAX; i++)
                free(l->ns[i].path);
        free(l->uid_mappings);
        free(l->gid_mappings);
        for (size_t i = 0; l->devices && i < l->n_devices; i++)
                free(l->devices[i].path);
        free(l->devices);
        free(l->cgroups_path);
        spec_resources_free(&l->resources);
        kv_free(l->sysctl, l->n_sysctl);
        seccomp_free(&l->seccomp);
        strv_free(l->masked_paths);
        strv_free(l->readonly_paths);
        free(l->mount_label);
        for (size_t i = 0; l->net_devices && i < l->n_net_devices; i++) {
                free(l->net_devices[i].host_name);
                free(l->net_devices[i].name);
        }
        free(l->net_devices);
}

void spec_free(struct spec *s)
{
        if (!s)
                return;
        free(s->oci_version);
        spec_process_free(&s->process);
        free(s->root.path);
        free(s->hostname);
        free(s->domainname);
        mounts_free(s->mounts, s->n_mounts);
        for (size_t i = 0; i < SPEC_HOOK__MAX; i++)
                hooks_free(&s->hooks[i]);
        kv_free(s->annotations, s->n_annotations);
        linux_free(&s->linux);
        if (s->parse_tree)
                yajl_tree_free((json_val)s->parse_tree);
        free(s);
}
