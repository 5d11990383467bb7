/* keyring: the container's own session keyring (see keyring.h). */
#include "config.h"

#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "security/keyring.h"

/* Possessor: everything; owner: view, read, write, search, link, setattr;
 * group and other: nothing. The default would let any process of the same
 * uid on the host (uid 0, often) view the keyring. */
#define KEYRING_PERM 0x3f3f0000u

int keyring_join_new_session(const char *id, struct berr *e)
{
        char name[64];
        long key;

        /* Long ids are cut: the name is only a label for keyctl show. */
        snprintf(name, sizeof(name), "_ses.%s", id);
        key = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0);
        if (key < 0 && errno == ENOSYS)
                return 0;
        if (key < 0)
                return berr_sys(e, -errno, "join a new session keyring (use --no-new-keyring to keep the caller's)");
        if (syscall(SYS_keyctl, KEYCTL_SETPERM, key, KEYRING_PERM, 0, 0) < 0)
                return berr_sys(e, -errno, "set permissions of the session keyring");
        return 0;
}
