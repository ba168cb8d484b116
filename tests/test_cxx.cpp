/*
 * The public headers from C++ (the C++ builds of `make test`, C++98 and C++11,
 * -Wall -Wextra -Wpedantic -Werror): ges_job.h and the POSIX and lwIP
 * (sockets) port headers compile inside a C++ file, their declarations have C
 * linkage (this file links against the C library) and behave as documented.
 */
#include "ges_job.h"
#include "ges_port_posix.h"
#include "ges_port_lwip.h"
#include "harness.h"

#include <cstring>

static void test_parse_from_cxx(void)
{
    static const char body[] = "{\"status\":\"running\",\"jobProgress\":0.5}";
    ges_job_status_t st;
    CHECK(ges_job_parse(body, std::strlen(body), &st) == GES_OK);
    CHECK(st.job_state == GES_JOB_RUNNING);
    CHECK(st.job_progress > 0.49 && st.job_progress < 0.51);
    CHECK(!ges_job_status_is_terminal(st.job_state));
    CHECK(ges_job_status_is_terminal(GES_JOB_SUCCESS));
    CHECK(ges_job_parse("[]", 2, &st) != GES_OK);
}

static void test_incremental_parser_from_cxx(void)
{
    static const char body[] = "{\"status\":\"success\"}";
    static char work[256];
    ges_parser_t p;
    ges_job_status_t st;
    ges_job_status_init(&st);
    ges_parser_init(&p, &st, work, sizeof work);
    CHECK(ges_parser_feed(&p, body, 5) == GES_OK);
    CHECK(ges_parser_feed(&p, body + 5, std::strlen(body) - 5) == GES_OK);
    CHECK(ges_parser_finish(&p) == GES_OK);
    CHECK(st.job_state == GES_JOB_SUCCESS);
    CHECK(ges_parser_feed(&p, "x", 1) == GES_ERR_STATE);
}

static void test_helpers_from_cxx(void)
{
    int64_t epoch = 0;
    CHECK(ges_parse_time("1970-01-02T00:00:00Z", 20, &epoch) == GES_OK);
    CHECK(epoch == 86400);
    CHECK(std::strcmp(ges_strerror(GES_ERR_TIMEOUT), ges_strerror(GES_OK)) != 0);
}

#if !GES_CONFIG_NO_TLS
static void test_client_declarations_from_cxx(void)
{
    ges_client_config_t cfg;
    ges_wait_config_t wc;
    char date[17];
    ges_client_config_init(&cfg);
    ges_wait_config_init(&wc);
    CHECK(cfg.port == 443);
    CHECK(cfg.platform == NULL);
    CHECK(wc.interval_ms > 0 && wc.interval_ms <= wc.max_interval_ms);
    CHECK(ges_sdk_date(0, date) == GES_OK);
    CHECK_STR(date, "19700101T000000Z");
    CHECK(ges_port_posix() != NULL);
    CHECK(ges_port_posix()->now_ms != NULL);
}
#endif

int main()
{
    RUN(test_parse_from_cxx);
    RUN(test_incremental_parser_from_cxx);
    RUN(test_helpers_from_cxx);
#if !GES_CONFIG_NO_TLS
    RUN(test_client_declarations_from_cxx);
#endif
    return harness_done();
}
