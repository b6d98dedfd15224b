/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_main.c - the one Check runner. Each tests/unit/check_X.c defines
 * Suite *X_suite(void); the Makefile lists them in suites.h.
 */
#include <check.h>
#include <stdlib.h>

#define X(m) Suite *m##_suite(void);
#include "suites.h"
#undef X

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define X(m) srunner_add_suite(sr, m##_suite());
#include "suites.h"
#undef X
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
