/* caps: bounding, E/P/I and ambient sets via libcap (see caps.h). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "security/caps.h"
#include "util/log.h"

int caps_last_cap(void)
{
        return (int)cap_max_bits() - 1;
}

static bool caps_has(uint64_t mask, int cap)
{
        return (mask >> cap) & 1;
}

int caps_drop_bounding(const struct spec_caps *c, struct berr *e)
{
        int last = caps_last_cap();

        for (int cap = 0; cap <= last; cap++) {
                if (caps_has(c->bounding, cap))
                        continue;
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
                        return berr_sys(e, -errno, "drop capability %s from the bounding set", spec_cap_name(cap));
        }
        return 0;
}

static int caps_fill(cap_t caps, cap_flag_t flag, uint64_t mask, int last)
{
        for (int cap = 0; cap <= last; cap++) {
                cap_value_t v = cap;

                if (caps_has(mask, cap) && cap_set_flag(caps, flag, 1, &v, CAP_SET) < 0)
                        return -errno;
        }
        return 0;
}

int caps_apply(const struct spec_caps *c, struct berr *e)
{
        int last = caps_last_cap(), r = 0;
        cap_t caps = cap_init();

        if (!caps)
                return berr_sys(e, -errno, "capabilities");
        r = caps_fill(caps, CAP_EFFECTIVE, c->effective, last);
        if (r == 0)
                r = caps_fill(caps, CAP_PERMITTED, c->permitted, last);
        if (r == 0)
                r = caps_fill(caps, CAP_INHERITABLE, c->inheritable, last);
        if (r == 0 && cap_set_proc(caps) < 0)
                r = -errno;
        cap_free(caps);
        if (r < 0)
                return berr_sys(e, r, "set capabilities");
        /* One prctl: libcap's cap_reset_ambient() first asks about every
         * capability in turn. EINVAL: a kernel without ambient capabilities. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return berr_sys(e, -errno, "reset ambient capabilities");
        for (int cap = 0; cap <= last; cap++) {
                if (!caps_has(c->ambient, cap))
                        continue;
                /* Ambient needs the cap in permitted and inheritable (the
                 * kernel says EPERM otherwise, and we know it beforehand);
                 * runc skips the ones that cannot be raised rather than fail. */
                if (!caps_has(c->permitted & c->inheritable, cap))
                        log_debug("cannot raise ambient capability %s: not both permitted and inheritable",
                                  spec_cap_name(cap));
                else if (cap_set_ambient(cap, CAP_SET) < 0)
                        log_debug("cannot raise ambient capability %s: %m", spec_cap_name(cap));
        }
        return 0;
}
