/*
 * A small test harness in the spirit of jsmn's test.h: no allocation, no
 * framework. Each test is a function; a failed CHECK prints file:line and the
 * expression and marks the test failed (the test goes on, so one run shows
 * every broken expectation). main() ends with the line CI reads:
 *   N passed, N failed
 *
 *   static void test_x(void) { CHECK(1 + 1 == 2); CHECK_STR(s, "abc"); }
 *   int main(void) { RUN(test_x); return harness_done(); }
 */
#ifndef GES_TEST_HARNESS_H
#define GES_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_passed, harness_failed, harness_cur_failed;
static const char *harness_cur_name = "";

#define CHECK(cond)                                                    \
    do {                                                               \
        if (!(cond)) {                                                 \
            harness_cur_failed = 1;                                    \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, \
                    __LINE__, harness_cur_name, #cond);                \
        }                                                              \
    } while (0)

#define CHECK_EQ(a, b)                                                       \
    do {                                                                     \
        long long ha_ = (long long)(a), hb_ = (long long)(b);                \
        if (ha_ != hb_) {                                                    \
            harness_cur_failed = 1;                                          \
            fprintf(stderr, "%s:%d: %s: %s == %lld, expected %s == %lld\n",  \
                    __FILE__, __LINE__, harness_cur_name, #a, ha_, #b, hb_); \
        }                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                   \
    do {                                                                  \
        const char *ha_ = (a), *hb_ = (b);                                \
        if (strcmp(ha_, hb_) != 0) {                                      \
            harness_cur_failed = 1;                                       \
            fprintf(stderr, "%s:%d: %s: %s is \"%s\", expected \"%s\"\n", \
                    __FILE__, __LINE__, harness_cur_name, #a, ha_, hb_);  \
        }                                                                 \
    } while (0)

#define RUN(fn)                                \
    do {                                       \
        harness_cur_name = #fn;                \
        harness_cur_failed = 0;                \
        fn();                                  \
        if (harness_cur_failed) {              \
            harness_failed++;                  \
            fprintf(stderr, "FAIL %s\n", #fn); \
        } else {                               \
            harness_passed++;                  \
        }                                      \
    } while (0)

static int harness_done(void)
{
    printf("%d passed, %d failed\n", harness_passed, harness_failed);
    return harness_failed ? 1 : 0;
}

#endif
