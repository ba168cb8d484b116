/*
 * GES_ASSERT as the standard assert(), for the test, fuzz, sanitizer and
 * coverage builds. Every suite and fuzz harness that includes ges_job.c
 * includes this first (after its feature macros: <assert.h> fixes them);
 * where ges_job.c is compiled alone the Makefile's TEST_ASSERT passes it
 * with -include. Without it GES_ASSERT checks nothing (ges_job.h).
 * test_http's test_asserts_are_live proves it took (a violated
 * precondition aborts; a build with NDEBUG fails that test).
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_TEST_ASSERT_ON_H
#define GES_TEST_ASSERT_ON_H
#include <assert.h>
#undef GES_ASSERT /* when included after ges_job.h (test_schema) */
#define GES_ASSERT(x) assert(x)
#endif
