/* Tests for namespaces/net against the real kernel: each test makes its own
 * network namespace (check runs every test in a child process), where "lo"
 * starts down. Needs root; without it the program reports SKIP (exit 77),
 * never a pass. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "namespaces/namespaces.h"
#include "util/cleanup.h"

static void enter_new_netns(void)
{
        ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s", strerror(errno));
}

/* The kernel's view: SIOCGIFFLAGS on "lo". */
static bool lo_up_ioctl(void)
{
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct ifreq ifr = {};

        ck_assert_int_ge(fd, 0);
        strcpy(ifr.ifr_name, "lo");
        ck_assert_msg(ioctl(fd, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS: %s", strerror(errno));
        return ifr.ifr_flags & IFF_UP;
}

static void pclosep(FILE **p)
{
        if (*p)
                pclose(*p);
}

/* What an administrator would look at: the flags `ip link show lo` prints,
 * "1: lo: <LOOPBACK,UP,LOWER_UP> mtu ...". */
static bool lo_up_ip_link(void)
{
        _cleanup_(pclosep) FILE *p = popen("ip -o link show lo", "re");
        char line[512] = "", *flags, *end;

        ck_assert_msg(p != NULL, "popen ip: %s", strerror(errno));
        ck_assert_msg(fgets(line, sizeof(line), p) != NULL, "ip -o link show lo printed nothing");
        flags = strchr(line, '<');
        end = flags ? strchr(flags, '>') : NULL;
        ck_assert_msg(flags && end, "unexpected ip output: %s", line);
        *end = '\0';
        for (char *tok = strtok(flags + 1, ","); tok; tok = strtok(NULL, ","))
                if (strcmp(tok, "UP") == 0)
                        return true;
        return false;
}

START_TEST(test_loopback_up)
{
        struct berr e = {};

        enter_new_netns();
        ck_assert(!lo_up_ioctl());
        ck_assert(!lo_up_ip_link());

        ck_assert_msg(ns_loopback_up(&e) == 0, "ns_loopback_up: %s", e.msg);
        ck_assert(lo_up_ioctl());
        ck_assert(lo_up_ip_link());

        /* Already up: still a success. */
        ck_assert_msg(ns_loopback_up(&e) == 0, "second ns_loopback_up: %s", e.msg);
        ck_assert(lo_up_ioctl());
}
END_TEST

/* Without CAP_NET_ADMIN the kernel refuses SIOCSIFFLAGS: the refusal must
 * reach the caller as -EPERM with context. */
START_TEST(test_loopback_up_refused)
{
        cap_value_t net_admin = CAP_NET_ADMIN;
        struct berr e = {};
        cap_t caps;
        int r;

        enter_new_netns();
        caps = cap_get_proc();
        ck_assert_ptr_nonnull(caps);
        ck_assert_int_eq(cap_set_flag(caps, CAP_EFFECTIVE, 1, &net_admin, CAP_CLEAR), 0);
        ck_assert_int_eq(cap_set_proc(caps), 0);
        cap_free(caps);

        r = ns_loopback_up(&e);
        ck_assert_int_eq(r, -EPERM);
        ck_assert_int_eq(e.code, -EPERM);
        ck_assert_msg(strncmp(e.msg, "bring up lo: ", 13) == 0, "message: %s", e.msg);
        ck_assert(!lo_up_ioctl());
}
END_TEST

static Suite *net_suite(void)
{
        Suite *s = suite_create("net");
        TCase *tc = tcase_create("root");

        tcase_add_test(tc, test_loopback_up);
        tcase_add_test(tc, test_loopback_up_refused);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr;
        int failed;

        if (geteuid() != 0) {
                printf("SKIP: check_net needs root: it creates network namespaces and brings "
                       "their loopback up (run it as root, e.g. in CI)\n");
                return 77;      /* automake's SKIP */
        }
        sr = srunner_create(net_suite());
        /* Each test changes its namespace and capabilities: keep them apart. */
        srunner_set_fork_status(sr, CK_FORK);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
