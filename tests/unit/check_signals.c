/* Unit tests for util/signals: the forms runc's kill accepts, plus the
 * real-time forms, and everything else refused; the ignored-signal mask. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/signals.h"

START_TEST(test_numbers)
{
        ck_assert_int_eq(signal_from_string("9"), SIGKILL);
        ck_assert_int_eq(signal_from_string("15"), SIGTERM);
        ck_assert_int_eq(signal_from_string("1"), 1);
        ck_assert_int_eq(signal_from_string("009"), SIGKILL);
        ck_assert_int_eq(signal_from_string("64"), SIGRTMAX);
        ck_assert_int_eq(signal_from_string("0"), -EINVAL);
        ck_assert_int_eq(signal_from_string("65"), -EINVAL);
        ck_assert_int_eq(signal_from_string("-9"), -EINVAL);
        ck_assert_int_eq(signal_from_string("+9"), -EINVAL);
        ck_assert_int_eq(signal_from_string("9x"), -EINVAL);
        ck_assert_int_eq(signal_from_string(" 9"), -EINVAL);
        ck_assert_int_eq(signal_from_string("99999999999999999999"), -EINVAL);
}
END_TEST

START_TEST(test_names)
{
        ck_assert_int_eq(signal_from_string("KILL"), SIGKILL);
        ck_assert_int_eq(signal_from_string("SIGKILL"), SIGKILL);
        ck_assert_int_eq(signal_from_string("kill"), SIGKILL);
        ck_assert_int_eq(signal_from_string("sigkill"), SIGKILL);
        ck_assert_int_eq(signal_from_string("SigTerm"), SIGTERM);
        ck_assert_int_eq(signal_from_string("HUP"), SIGHUP);
        ck_assert_int_eq(signal_from_string("SIGUSR1"), SIGUSR1);
        ck_assert_int_eq(signal_from_string("usr2"), SIGUSR2);
        ck_assert_int_eq(signal_from_string("WINCH"), SIGWINCH);
        ck_assert_int_eq(signal_from_string("SIGSTKFLT"), SIGSTKFLT);
        ck_assert_int_eq(signal_from_string("PWR"), SIGPWR);
        ck_assert_int_eq(signal_from_string("SYS"), SIGSYS);
        /* Aliases. */
        ck_assert_int_eq(signal_from_string("IOT"), SIGABRT);
        ck_assert_int_eq(signal_from_string("SIGPOLL"), SIGIO);
        ck_assert_int_eq(signal_from_string("CLD"), SIGCHLD);
}
END_TEST

START_TEST(test_every_classic_signal_round_trips)
{
        for (int sig = 1; sig < 32; sig++) {
                const char *name = signal_to_string(sig);

                ck_assert_msg(name != NULL, "signal %d has no name", sig);
                ck_assert_msg(strncmp(name, "SIG", 3) == 0, "%s", name);
                ck_assert_int_eq(signal_from_string(name), sig);
                ck_assert_int_eq(signal_from_string(name + 3), sig);
        }
}
END_TEST

START_TEST(test_realtime)
{
        ck_assert_int_eq(signal_from_string("RTMIN"), SIGRTMIN);
        ck_assert_int_eq(signal_from_string("SIGRTMIN"), SIGRTMIN);
        ck_assert_int_eq(signal_from_string("RTMIN+3"), SIGRTMIN + 3);
        ck_assert_int_eq(signal_from_string("sigrtmin+3"), SIGRTMIN + 3);
        ck_assert_int_eq(signal_from_string("RTMAX"), SIGRTMAX);
        ck_assert_int_eq(signal_from_string("SIGRTMAX-1"), SIGRTMAX - 1);
        ck_assert_int_eq(signal_from_string("rtmax-2"), SIGRTMAX - 2);
        ck_assert_int_eq(signal_from_string("RTMIN+0"), SIGRTMIN);
        ck_assert_int_eq(signal_from_string(""), -EINVAL);
        {
                char s[32];

                snprintf(s, sizeof(s), "RTMIN+%d", SIGRTMAX - SIGRTMIN);
                ck_assert_int_eq(signal_from_string(s), SIGRTMAX);
                snprintf(s, sizeof(s), "RTMIN+%d", SIGRTMAX - SIGRTMIN + 1);
                ck_assert_int_eq(signal_from_string(s), -EINVAL);
                snprintf(s, sizeof(s), "RTMAX-%d", SIGRTMAX - SIGRTMIN);
                ck_assert_int_eq(signal_from_string(s), SIGRTMIN);
                snprintf(s, sizeof(s), "RTMAX-%d", SIGRTMAX - SIGRTMIN + 1);
                ck_assert_int_eq(signal_from_string(s), -EINVAL);
        }
        ck_assert_int_eq(signal_from_string("RTMIN-1"), -EINVAL);
        ck_assert_int_eq(signal_from_string("RTMAX+1"), -EINVAL);
        ck_assert_int_eq(signal_from_string("RTMIN+"), -EINVAL);
        ck_assert_int_eq(signal_from_string("RTMIN+x"), -EINVAL);
        ck_assert_int_eq(signal_from_string("RTMIN3"), -EINVAL);

        ck_assert_str_eq(signal_to_string(SIGRTMIN), "SIGRTMIN");
        ck_assert_str_eq(signal_to_string(SIGRTMIN + 3), "SIGRTMIN+3");
        ck_assert_int_eq(signal_from_string(signal_to_string(SIGRTMAX)), SIGRTMAX);
}
END_TEST

START_TEST(test_invalid)
{
        ck_assert_int_eq(signal_from_string(NULL), -EINVAL);
        ck_assert_int_eq(signal_from_string("SIG"), -EINVAL);
        ck_assert_int_eq(signal_from_string("FOO"), -EINVAL);
        ck_assert_int_eq(signal_from_string("SIGSIGKILL"), -EINVAL);
        ck_assert_int_eq(signal_from_string("KILL "), -EINVAL);
        ck_assert_int_eq(signal_from_string("SIG_KILL"), -EINVAL);

        ck_assert_ptr_null(signal_to_string(0));
        ck_assert_ptr_null(signal_to_string(-1));
        ck_assert_ptr_null(signal_to_string(SIGRTMAX + 1));
        ck_assert_str_eq(signal_to_string(SIGKILL), "SIGKILL");
        ck_assert_str_eq(signal_to_string(SIGCHLD), "SIGCHLD");    /* not the alias */
        ck_assert_str_eq(signal_to_string(SIGABRT), "SIGABRT");
}
END_TEST

START_TEST(test_ignored_mask)
{
        uint64_t mask = 0;

        signal(SIGUSR2, SIG_IGN);
        signal(SIGWINCH, SIG_DFL);
        ck_assert_int_eq(signals_ignored(&mask), 0);
        ck_assert(mask & (UINT64_C(1) << (SIGUSR2 - 1)));
        ck_assert(!(mask & (UINT64_C(1) << (SIGWINCH - 1))));
        signal(SIGUSR2, SIG_DFL);
        ck_assert_int_eq(signals_ignored(&mask), 0);
        ck_assert(!(mask & (UINT64_C(1) << (SIGUSR2 - 1))));
}
END_TEST

static Suite *signals_suite(void)
{
        Suite *s = suite_create("signals");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_numbers);
        tcase_add_test(tc, test_names);
        tcase_add_test(tc, test_every_classic_signal_round_trips);
        tcase_add_test(tc, test_realtime);
        tcase_add_test(tc, test_invalid);
        tcase_add_test(tc, test_ignored_mask);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return unit_run(signals_suite());
}
