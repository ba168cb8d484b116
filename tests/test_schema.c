/*
 * The schema's promise: a field added the documented way (one row, through
 * GES_CONFIG_FILE = tests/schema_extra_config.h) gets its index, bit, len[]
 * slot, parsing (present, null, len, truncated, wrong type, duplicates, both
 * key spellings), the same result for every split and work-buffer size, and
 * its CLI lines and the fuzzers' invariants (fz_check_status, expanded
 * from the same list), with no other change; the fields and sets around it
 * keep their own bits. Built only in that configuration (Makefile: test_schema).
 *
 * SPDX-License-Identifier: MIT
 */
#define main ges_cli_main
#include "../examples/ges_job_status.c" /* first: it sets the feature macros */
#undef main
#include "assert_on.h" /* GES_ASSERT is assert() */
#include "../ges_job.c"

#include "harness.h"
#include "fuzz/fuzz_common.h" /* fz_check_status: the fuzzers' invariants */

#ifndef GES_SCHEMA_EXTRA_CONFIG_H
#error "build with -DGES_CONFIG_FILE='\"schema_extra_config.h\"' -Itests"
#endif

/* Parse `body` whole; also fed in every 2-piece split and with several work
 * buffers, each result compared byte for byte with the whole parse. */
static ges_err_t parse_all_ways(const char *body, ges_job_status_t *out)
{
    static ges_job_status_t other;
    static const size_t works[] = {0, 8, 9, 16, 33, 64, 256};
    char work[256];
    size_t len = strlen(body), cut, w;
    ges_err_t e = ges_job_parse(body, len, out);
    if (e == GES_OK) fz_check_status(out); /* aborts on a broken invariant */
    for (w = 0; w < sizeof works / sizeof works[0]; w++) {
        for (cut = 0; cut <= len; cut++) {
            ges_parser_t p;
            ges_err_t e2;
            ges_parser_init(&p, &other, works[w] ? work : NULL, works[w]);
            e2 = ges_parser_feed(&p, body, cut);
            if (e2 == GES_OK) e2 = ges_parser_feed(&p, body + cut, len - cut);
            if (e2 == GES_OK) e2 = ges_parser_finish(&p);
            CHECK_EQ(e2, e);
            CHECK(memcmp(&other, out, sizeof other) == 0);
        }
    }
    return e;
}

static void test_layout(void)
{
    CHECK_EQ(GES_FI_JOB_CATEGORY, GES_FI_JOB_DETAIL + 1);
    CHECK_EQ(GES_FI_COUNT, 13);
    CHECK_EQ(GES_F(JOB_CATEGORY), 1u << 12);
    CHECK_EQ(GES_F_SET(GES_SET_SCHEMA), 1u << 13); /* the sets moved up */
    CHECK_EQ(GES_FI_LEN_SLOTS, 13);                /* a slot for the new string */
    CHECK_EQ(sizeof(((ges_job_status_t *)0)->job_category), 17);
    CHECK_EQ(GES_FE_FORMAT, 7);
    CHECK_EQ(GES_FE_LEN_SLOTS, 8);
    CHECK_EQ(sizeof(((ges_job_file_t *)0)->format), 9);
    /* the longest key is still successful_lines (16 bytes) */
    CHECK_EQ(GES__KEY_MAX, 16);
}

static void test_present(void)
{
    static ges_job_status_t st;
    const char *body =
        "{\"jobId\":\"j1\",\"jobCategory\":\"import\",\"status\":\"success\","
        "\"jobDetail\":{\"schemaPath\":[{\"path\":\"p\",\"format\":\"csv\"}]}}";
    CHECK_EQ(parse_all_ways(body, &st), GES_OK);
    CHECK_STR(st.job_category, "import");
    CHECK_EQ(st.len[GES_FI_JOB_CATEGORY], 6);
    CHECK_EQ(st.present, GES_F_JOB_ID | GES_F(JOB_CATEGORY) | GES_F_STATUS |
                             GES_F_JOB_DETAIL | GES_F_SET(GES_SET_SCHEMA));
    CHECK_EQ(st.null, 0);
    CHECK_EQ(st.truncated, 0);
    CHECK_STR(st.job_id, "j1");
    CHECK_EQ(st.job_state, GES_JOB_SUCCESS);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].kept, 1);
    CHECK_STR(st.sets[GES_SET_SCHEMA].entries[0].format, "csv");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].entries[0].len[GES_FE_FORMAT], 3);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].entries[0].present, GES_FF_PATH | GES_FF(FORMAT));
    /* v2 spellings */
    CHECK_EQ(parse_all_ways("{\"job_category\":\"x\\u0000y\",\"job_detail\":"
                            "{\"edgeset_path\":[{\"file_format\":\"orc\"}]}}",
                            &st),
             GES_OK);
    CHECK_EQ(st.len[GES_FI_JOB_CATEGORY], 3); /* a decoded \u0000 counts */
    CHECK(memcmp(st.job_category, "x\0y", 4) == 0);
    CHECK_STR(st.sets[GES_SET_EDGESET].entries[0].format, "orc");
}

static void test_null_and_absent(void)
{
    static ges_job_status_t st;
    CHECK_EQ(parse_all_ways("{\"jobCategory\":null}", &st), GES_OK);
    CHECK_EQ(st.present, GES_F(JOB_CATEGORY));
    CHECK_EQ(st.null, GES_F(JOB_CATEGORY));
    CHECK_EQ(st.len[GES_FI_JOB_CATEGORY], 0);
    CHECK_STR(st.job_category, "");
    /* a duplicate: the last value wins, null then a string and back */
    CHECK_EQ(parse_all_ways("{\"jobCategory\":\"long value here\",\"jobCategory\":null}", &st),
             GES_OK);
    CHECK_EQ(st.null, GES_F(JOB_CATEGORY));
    CHECK_EQ(st.len[GES_FI_JOB_CATEGORY], 0);
    CHECK(memcmp(st.job_category, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 17) == 0);
    CHECK_EQ(parse_all_ways("{\"jobId\":\"a\"}", &st), GES_OK);
    CHECK_EQ(st.present & GES_F(JOB_CATEGORY), 0);
}

static void test_truncated(void)
{
    static ges_job_status_t st;
    CHECK_EQ(parse_all_ways("{\"jobCategory\":\"0123456789abcdefXYZ\","
                            "\"jobDetail\":{\"vertexsetPath\":[{\"format\":\"parquet-v2\"}]}}",
                            &st),
             GES_OK);
    CHECK_STR(st.job_category, "0123456789abcdef");
    CHECK_EQ(st.len[GES_FI_JOB_CATEGORY], 16);
    CHECK_EQ(st.truncated, GES_F(JOB_CATEGORY));
    CHECK_STR(st.sets[GES_SET_VERTEXSET].entries[0].format, "parquet-");
    CHECK_EQ(st.sets[GES_SET_VERTEXSET].entries[0].truncated, GES_FF(FORMAT));
    CHECK_EQ(ges_job_truncated(&st), 1);
}

static void test_wrong_type(void)
{
    static ges_job_status_t st;
    CHECK_EQ(parse_all_ways("{\"jobCategory\":5}", &st), GES_ERR_JSON_TYPE);
    CHECK_EQ(st.present, 0);
}

/* The CLI's table is expanded from the list too: its line comes after
 * errorMessage (list order) and it is named in truncated=. */
static void test_cli_lines(void)
{
    static ges_job_status_t st;
    char buf[512];
    size_t n;
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK_EQ(ges_job_parse("{\"errorMessage\":\"m\",\"jobCategory\":\"0123456789abcdefXYZ\"}",
                           strlen("{\"errorMessage\":\"m\",\"jobCategory\":\"0123456789abcdefXYZ\"}"),
                           &st),
             GES_OK);
    print_status(f, &st, 0);
    rewind(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    CHECK_STR(buf, "errorMessage=m\njobCategory=0123456789abcdef\ntruncated=jobCategory\n");
}

int main(void)
{
    RUN(test_layout);
    RUN(test_present);
    RUN(test_null_and_absent);
    RUN(test_truncated);
    RUN(test_wrong_type);
    RUN(test_cli_lines);
    return harness_done();
}
