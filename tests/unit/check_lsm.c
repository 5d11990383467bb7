/* check_lsm: LSM detection (src/security/lsm.c) against fake /sys trees. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "security/lsm.h"
#include "util/cleanup.h"
#include "util/fs.h"

struct fake { const char *lsm_list, *aa_param; bool selinuxfs, aa, se; };

static const struct fake hosts[] = {
        { NULL, NULL, false, false, false },                             /* nothing at all */
        { "lockdown,capability,landlock,yama,bpf\n", NULL, false, false, false },
        { "lockdown,capability,apparmor\n", NULL, false, true, false },
        { NULL, "Y\n", false, true, false },                             /* no securityfs */
        { NULL, "N\n", false, false, false },                            /* built in, switched off */
        { "capability,selinux\n", NULL, true, false, true },
        { NULL, NULL, true, false, true },                               /* selinuxfs only */
        { "capability,notapparmor,selinuxish\n", NULL, false, false, false }, /* whole names only */
};

static void put(const char *dir, const char *file, const char *text)
{
        _cleanup_free_ char *cmd = NULL;
        _cleanup_close_ int d = -EBADF;

        ck_assert_int_ge(asprintf(&cmd, "mkdir -p '%s'", dir), 0);
        ck_assert_int_eq(system(cmd), 0);
        d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(d, 0);
        ck_assert_int_eq(fs_write_atomic_at(d, file, text, strlen(text), 0644), 0);
}

START_TEST(test_detection)
{
        const struct fake *h = &hosts[_i];
        char tmpl[] = "/tmp/check_lsm.XXXXXX";
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int root = -EBADF;

        ck_assert_ptr_nonnull(mkdtemp(tmpl));
        root = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (h->lsm_list) {
                ck_assert_int_ge(asprintf(&p, "%s/kernel/security", tmpl), 0);
                put(p, "lsm", h->lsm_list);
                free(TAKE_PTR(p));
        }
        if (h->aa_param) {
                ck_assert_int_ge(asprintf(&p, "%s/module/apparmor/parameters", tmpl), 0);
                put(p, "enabled", h->aa_param);
                free(TAKE_PTR(p));
        }
        if (h->selinuxfs) {
                ck_assert_int_ge(asprintf(&p, "%s/fs/selinux", tmpl), 0);
                put(p, "enforce", "1");
        }
        ck_assert_int_eq(lsm_enabled_at(root, LSM_APPARMOR), h->aa);
        ck_assert_int_eq(lsm_enabled_at(root, LSM_SELINUX), h->se);
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, tmpl), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("lsm");
        TCase *tc = tcase_create("lsm");

        tcase_add_loop_test(tc, test_detection, 0, (int)ELEMENTSOF(hosts));
        suite_add_tcase(s, tc);
        return unit_run(s);
}
