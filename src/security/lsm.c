/* security/lsm: process.apparmorProfile, process.selinuxLabel and
 * linux.mountLabel. The labels take effect at execve through the
 * attr/exec files of the calling thread (as runc does), so the runtime
 * itself never runs confined. linux.mountLabel becomes the context= option
 * of the filesystems berth creates (see mount_one). A label asked for on a
 * host without its LSM is an error, not a silently unconfined container. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "security/lsm.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* /sys/kernel/security/lsm lists the active LSMs ("lockdown,capability,..."). */
static bool lsm_listed(int sysfs_fd, const char *name)
{
        _cleanup_free_ char *list = NULL;
        size_t n = strlen(name);

        if (fs_read_at(sysfs_fd, "kernel/security/lsm", 4096, &list, NULL) < 0)
                return false;
        for (const char *p = list; (p = strstr(p, name)); p += n)
                if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\n' || p[n] == '\0'))
                        return true;
        return false;
}

bool lsm_enabled_at(int sysfs_fd, enum lsm which)
{
        _cleanup_free_ char *param = NULL;

        if (which == LSM_APPARMOR) {
                if (lsm_listed(sysfs_fd, "apparmor"))
                        return true;
                return fs_read_at(sysfs_fd, "module/apparmor/parameters/enabled", 16, &param, NULL) == 0 &&
                       param[0] == 'Y';
        }
        /* SELinux is usable once selinuxfs is mounted; securityfs may be absent. */
        return lsm_listed(sysfs_fd, "selinux") || faccessat(sysfs_fd, "fs/selinux/enforce", F_OK, 0) == 0;
}

bool lsm_enabled(enum lsm which)
{
        _cleanup_close_ int fd = open("/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        return fd >= 0 && lsm_enabled_at(fd, which);
}

int lsm_check_process(const struct spec_process *p, const char *where, struct berr *e)
{
        if (p->apparmor_profile && !lsm_enabled(LSM_APPARMOR))
                return berr_set(e, -EOPNOTSUPP, "%s.apparmorProfile: \"%s\" asked for, but AppArmor "
                                "is not enabled on this host", where, p->apparmor_profile);
        if (p->selinux_label && !lsm_enabled(LSM_SELINUX))
                return berr_set(e, -EOPNOTSUPP, "%s.selinuxLabel: \"%s\" asked for, but SELinux "
                                "is not enabled on this host", where, p->selinux_label);
        return 0;
}

int lsm_check(const struct spec *s, struct berr *e)
{
        int r = lsm_check_process(&s->process, "config.json: .process", e);

        if (r < 0)
                return r;
        if (s->linux.mount_label && !lsm_enabled(LSM_SELINUX))
                return berr_set(e, -EOPNOTSUPP, "config.json: .linux.mountLabel: \"%s\" asked for, but SELinux "
                                "is not enabled on this host", s->linux.mount_label);
        return 0;
}

/* AppArmor has its own attr directory since Linux 5.1 (so it can stack
 * with other LSMs); the shared attr/exec is the fallback. */
static int lsm_apparmor_exec(const char *profile, struct berr *e)
{
        _cleanup_free_ char *cmd = NULL;
        int r;

        if (asprintf(&cmd, "exec %s", profile) < 0)
                return berr_sys(e, -ENOMEM, "apparmor");
        r = fs_write_proc_at(AT_FDCWD, "/proc/thread-self/attr/apparmor/exec", cmd);
        if (r == -ENOENT)
                r = fs_write_proc_at(AT_FDCWD, "/proc/thread-self/attr/exec", cmd);
        return r < 0 ? berr_sys(e, r, "set AppArmor profile \"%s\"", profile) : 0;
}

int lsm_apply_exec_labels(const struct spec_process *p, struct berr *e)
{
        int r;

        if (p->apparmor_profile) {
                r = lsm_apparmor_exec(p->apparmor_profile, e);
                if (r < 0)
                        return r;
        }
        if (p->selinux_label) {
                r = fs_write_proc_at(AT_FDCWD, "/proc/thread-self/attr/exec", p->selinux_label);
                if (r < 0)
                        return berr_sys(e, r, "set SELinux label \"%s\"", p->selinux_label);
        }
        return 0;
}
