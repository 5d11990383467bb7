/* unit: the one way berth's unit test programs run their check suite and
 * turn its result into an exit status for automake. */
#pragma once

#include <check.h>
#include <stdlib.h>

static inline int unit_run(Suite *s)
{
        SRunner *sr = srunner_create(s);
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
