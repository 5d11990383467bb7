/* sysctl: namespace ownership check and writes (see sysctl.h). The lists
 * are the kernel's namespaced sysctls, as runc validates them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "namespaces/sysctl.h"
#include "util/fs.h"

static const char *const ipc_keys[] = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

static bool sysctl_in(const char *key, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(key, list[i]) == 0)
                        return true;
        return false;
}

/* The namespace a key belongs to, or -1 when it is not namespaced. */
static int sysctl_namespace(const char *key)
{
        if (sysctl_in(key, ipc_keys, sizeof(ipc_keys) / sizeof(*ipc_keys)) || strncmp(key, "fs.mqueue.", 10) == 0)
                return SPEC_NS_IPC;
        if (strncmp(key, "net.", 4) == 0)
                return SPEC_NS_NET;
        if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
                return SPEC_NS_UTS;
        return -1;
}

int sysctl_check(const struct spec_linux *l, struct berr *e)
{
        for (size_t i = 0; i < l->n_sysctl; i++) {
                const char *key = l->sysctl[i].key;
                int ns = sysctl_namespace(key);

                if (ns < 0)
                        return berr_set(e, -EPERM, "config.json: .linux.sysctl[\"%s\"]: not in a namespace of the container's own: it would change the host",
                                        key);
                if (!l->ns[ns].present)
                        return berr_set(e, -EPERM, "config.json: .linux.sysctl[\"%s\"]: needs the container's own %s namespace",
                                        key, spec_ns_name((enum spec_ns_type)ns));
        }
        return 0;
}

int sysctl_apply(const struct spec_linux *l, struct berr *e)
{
        for (size_t i = 0; i < l->n_sysctl; i++) {
                char path[512];
                int n, r;

                n = snprintf(path, sizeof(path), "/proc/sys/%s", l->sysctl[i].key);
                if (n < 0 || (size_t)n >= sizeof(path))
                        return berr_set(e, -ENAMETOOLONG, "sysctl %s: key too long", l->sysctl[i].key);
                /* "net.ipv4.ip_forward" -> net/ipv4/ip_forward (dots after the
                 * prefix are separators; the parser refused "/" and ".."). */
                for (char *p = path + 10; *p; p++)
                        if (*p == '.')
                                *p = '/';
                r = fs_write_proc_at(AT_FDCWD, path, l->sysctl[i].value);
                if (r == -EXDEV)
                        return berr_set(e, r, "sysctl %s: %s is not on procfs", l->sysctl[i].key, path);
                if (r < 0)
                        return berr_sys(e, r, "sysctl %s=%s", l->sysctl[i].key, l->sysctl[i].value);
        }
        return 0;
}
