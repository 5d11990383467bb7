/* unified: raw "file": "value" pairs written as given, after the
 * converted fields so that they win. The controller is the file name's
 * prefix; a file that does not exist is an error naming it. */
#include "config.h"

#include <string.h>

#include "cgroups/controllers.h"

int cgroup_unified_apply(int dfd, const struct spec_resources *r, struct berr *e)
{
        for (size_t i = 0; i < r->n_unified; i++) {
                const struct spec_key_value *kv = &r->unified[i];
                char ctrl[64];
                size_t n = strcspn(kv->key, ".");
                int ret;

                if (n >= sizeof(ctrl))
                        n = sizeof(ctrl) - 1;
                memcpy(ctrl, kv->key, n);
                ctrl[n] = '\0';
                ret = cg_write(dfd, ctrl, kv->key, kv->value, e);
                if (ret < 0)
                        return berr_wrap(e, ".linux.resources.unified.%s", kv->key);
        }
        return 0;
}
