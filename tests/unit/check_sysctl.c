/* Unit tests for the sysctl ownership check: pure, no root. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "namespaces/sysctl.h"

static int check_one(const char *key, enum spec_ns_type present, struct berr *e)
{
        struct spec_key_value kv = { (char *)(uintptr_t)key, (char *)(uintptr_t)"1" };
        struct spec_linux l = { .sysctl = &kv, .n_sysctl = 1 };

        if ((int)present >= 0)
                l.ns[present].present = true;
        return sysctl_check(&l, e);
}

START_TEST(test_owned_keys)
{
        struct berr e;

        ck_assert_int_eq(check_one("net.ipv4.ip_forward", SPEC_NS_NET, &e), 0);
        ck_assert_int_eq(check_one("kernel.shmmax", SPEC_NS_IPC, &e), 0);
        ck_assert_int_eq(check_one("fs.mqueue.msg_max", SPEC_NS_IPC, &e), 0);
        ck_assert_int_eq(check_one("kernel.domainname", SPEC_NS_UTS, &e), 0);
}
END_TEST

START_TEST(test_refused_keys)
{
        struct berr e;

        ck_assert_int_eq(check_one("kernel.pid_max", SPEC_NS_NET, &e), -EPERM);
        ck_assert_str_eq(e.msg, "config.json: .linux.sysctl[\"kernel.pid_max\"]: not in a namespace of the container's own: it would change the host");
        ck_assert_int_eq(check_one("net.core.somaxconn", SPEC_NS_IPC, &e), -EPERM);
        ck_assert_str_eq(e.msg, "config.json: .linux.sysctl[\"net.core.somaxconn\"]: needs the container's own network namespace");
        /* A prefix is not enough: kernel.shm is no IPC key. */
        ck_assert_int_eq(check_one("kernel.shm", SPEC_NS_IPC, &e), -EPERM);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("sysctl");
        TCase *tc = tcase_create("check");

        tcase_add_test(tc, test_owned_keys);
        tcase_add_test(tc, test_refused_keys);
        suite_add_tcase(s, tc);
        return unit_run(s);
}
