/*
 * Unit tests of ges_job's JSON stage: ges_job_parse(), ges_parser_init /
 * feed / finish, ges_parse_time(), ges_job_status_is_terminal(),
 * ges_job_truncated() and ges_job_status_init().
 *
 * Build (from the repository root):
 *   gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -I. tests/test_parse.c \
 *       ges_job.c -lmbedtls -lmbedx509 -lmbedcrypto -lm -o /tmp/tp && /tmp/tp
 *
 * What is covered, in the order of main():
 *   - the API page's 200 and 400 examples byte for byte, the v2 snake_case
 *     shape, the three error shapes, a 200 answer carrying errorCode;
 *   - job and file status mapping, ges_job_status_is_terminal();
 *   - presence: absent / null / "" for every string field, numbers, sets;
 *   - truncation: every string field at its bound and one byte over, UTF-8
 *     characters straddling the bound (raw and escaped), sets over
 *     GES_PATHS_MAX, entry fields, ges_job_truncated();
 *   - escapes, raw UTF-8, control characters;
 *   - ges_parse_time() and the epoch fields;
 *   - numbers (jobProgress within 1 ulp of strtod, int64 line counts,
 *     grammar);
 *   - unknown members at every level, escaped keys, long keys;
 *   - malformed documents, wrong types, depth, trailing bytes;
 *   - duplicates (last wins);
 *   - streaming: every result (success or error) must be the same for every
 *     split of the input and every work-buffer size, compared with memcmp;
 *   - NULL arguments and call order.
 *
 * Every parse done through the helpers below is also replayed through
 * ges_parser_feed() (see check_stream()), and every error case checks that
 * the result struct was reset even though it was pre-filled with garbage.
 *
 * strtod is used here only to compute expected values.
 */
#include "ges_job.h"
#include "harness.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if GES_PATHS_MAX < 2
#error "these tests need GES_PATHS_MAX >= 2"
#endif

/* ------------------------------------------------------------------------- */
/* The API page's examples (seed-job-status.txt), byte for byte.             */
/* ------------------------------------------------------------------------- */
#include "seed_bodies.h"

/* v2 ShowJob2 answer (snake_case, "yyyy-MM-dd HH:mm:ss" times). */
static const char V2_200[] =
    "{\"job_id\":\"0ebb2d3a8b0e4f0c9a5d7c1e2f3a4b5c\",\"status\":\"running\","
    "\"job_type\":\"GraphManagement\",\"job_name\":\"ImportGraph\","
    "\"related_graph\":\"movies\",\"begin_time\":\"2024-02-29 12:34:56\","
    "\"end_time\":null,\"job_progress\":37.5,\"fail_reason\":\"\","
    "\"job_detail\":{"
    "\"schema_path\":[{\"path\":\"obs/s.xml\",\"log\":\"obs/s.log\","
    "\"status\":\"success\",\"cause\":null}],"
    "\"edgeset_path\":[{\"path\":\"obs/e.csv\",\"log\":null,"
    "\"status\":\"partFailed\",\"cause\":\"3 bad rows\",\"total_lines\":100,"
    "\"failed_lines\":3,\"successful_lines\":97}],"
    "\"vertexset_path\":[]}}";

/* ------------------------------------------------------------------------- */
/* Helpers                                                                    */
/* ------------------------------------------------------------------------- */
static ges_job_status_t st; /* result of the last parse helper call */

/* A large static buffer for generated bodies; no heap. */
static char big[256 * 1024];
static size_t big_len;
static int big_overflow;

static void b_reset(void)
{
    big_len = 0;
    big_overflow = 0;
    big[0] = '\0';
}

static void b_addn(const char *s, size_t n)
{
    if (big_len + n + 1 > sizeof big) {
        big_overflow = 1;
        return;
    }
    memcpy(big + big_len, s, n);
    big_len += n;
    big[big_len] = '\0';
}

static void b_add(const char *s) { b_addn(s, strlen(s)); }

static void b_rep(const char *s, size_t times)
{
    size_t i;
    for (i = 0; i < times; i++)
        b_add(s);
}

static const char PAT[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* n bytes of PAT repeated; the value a field must then hold is pat_at(). */
static void b_pattern(size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        b_addn(&PAT[i % (sizeof PAT - 1)], 1);
}

static int pattern_ok(const char *field, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (field[i] != PAT[i % (sizeof PAT - 1)])
            return 0;
    return field[n] == '\0';
}

static void b_ll(long long v)
{
    char t[32];
    sprintf(t, "%lld", v);
    b_add(t);
}

static void show(const char *s, size_t n)
{
    size_t i, lim = n > 200 ? 200 : n;
    fputc('"', stderr);
    for (i = 0; i < lim; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '"')
            fprintf(stderr, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(stderr, "\\x%02X", c);
        else
            fputc(c, stderr);
    }
    fputc('"', stderr);
    if (lim < n)
        fprintf(stderr, "... (%lu bytes)", (unsigned long)n);
}

static void ctx(int line, const char *s, size_t n, const char *what)
{
    fprintf(stderr, "  [line %d] %s; body ", line, what);
    show(s, n);
    fputc('\n', stderr);
}

static const char *errname(ges_err_t e)
{
    switch (e) {
    case GES_OK: return "GES_OK";
    case GES_ERR_INVALID_ARG: return "INVALID_ARG";
    case GES_ERR_JSON_SYNTAX: return "JSON_SYNTAX";
    case GES_ERR_JSON_ESCAPE: return "JSON_ESCAPE";
    case GES_ERR_JSON_UTF8: return "JSON_UTF8";
    case GES_ERR_JSON_INCOMPLETE: return "JSON_INCOMPLETE";
    case GES_ERR_JSON_NOT_OBJECT: return "JSON_NOT_OBJECT";
    case GES_ERR_JSON_TOKENS: return "JSON_TOKENS";
    case GES_ERR_JSON_NUMBER: return "JSON_NUMBER";
    case GES_ERR_JSON_TYPE: return "JSON_TYPE";
    case GES_ERR_JSON_DEPTH: return "JSON_DEPTH";
    case GES_ERR_JSON_TRAILING: return "JSON_TRAILING";
    case GES_ERR_STATE: return "STATE";
    default: return "other";
    }
}

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

static int file_is_zero(const ges_job_file_t *f)
{
    return all_zero(f->path, sizeof f->path) &&
           all_zero(f->log, sizeof f->log) &&
           all_zero(f->status, sizeof f->status) &&
           all_zero(f->cause, sizeof f->cause) &&
           f->file_state == GES_FILE_UNKNOWN && f->total_lines == 0 &&
           f->failed_lines == 0 && f->successful_lines == 0 &&
           all_zero(f->len, sizeof f->len) && f->present == 0 &&
           f->null == 0 && f->truncated == 0;
}

/* The state ges_job_status_init() documents: all zero, job_state UNKNOWN,
 * except http_status, which is compared with `http`. Field by field so that
 * padding does not matter. */
static int is_reset(const ges_job_status_t *s, int http)
{
    int ok = s->http_status == http && all_zero(s->job_id, sizeof s->job_id) &&
             all_zero(s->status, sizeof s->status) &&
             s->job_state == GES_JOB_UNKNOWN &&
             all_zero(s->job_type, sizeof s->job_type) &&
             all_zero(s->job_name, sizeof s->job_name) &&
             all_zero(s->related_graph, sizeof s->related_graph) &&
             all_zero(s->begin_time, sizeof s->begin_time) &&
             all_zero(s->end_time, sizeof s->end_time) &&
             s->begin_epoch == 0 && s->end_epoch == 0 &&
             all_zero(&s->job_progress, sizeof s->job_progress) &&
             all_zero(s->fail_reason, sizeof s->fail_reason) &&
             all_zero(s->error_code, sizeof s->error_code) &&
             all_zero(s->error_message, sizeof s->error_message) &&
             all_zero(s->len, sizeof s->len) && s->present == 0 &&
             s->null == 0 && s->truncated == 0 && s->invalid == 0;
    int i, j;
    for (i = 0; i < GES_SET_COUNT; i++) {
        if (s->sets[i].count != 0 || s->sets[i].kept != 0)
            ok = 0;
        for (j = 0; j < GES_PATHS_MAX; j++)
            if (!file_is_zero(&s->sets[i].entries[j]))
                ok = 0;
    }
    return ok;
}

/* ---- streaming replay ---------------------------------------------------- */
static ges_parser_t g_parser;
static char g_work[4096];
static const size_t WORK_SIZES[] = {0, 1, 16, 64, 4096};
#define N_WORK (sizeof WORK_SIZES / sizeof WORK_SIZES[0])

/* 0: off, 1: light (a few splits), 2: every split point. */
static int g_stream_level = 2;
static int g_sticky_bad; /* a later call returned a different error */
static int g_offset_bad; /* ges_parser_offset() depended on the split */
static int g_offset_reported;

static void note(ges_err_t *e, ges_err_t r)
{
    if (*e == GES_OK)
        *e = r;
    else if (r != *e)
        g_sticky_bad++;
}

/* Feed s[0..n): step 0 = two pieces split at `split`; else pieces of `step`
 * bytes. */
static ges_err_t stream_once(const char *s, size_t n, size_t split, size_t step,
                             size_t wl, ges_job_status_t *out,
                             unsigned long long *off)
{
    ges_err_t e = GES_OK;
    size_t pos;
    ges_parser_init(&g_parser, out, wl ? g_work : NULL, wl);
    if (step == 0) {
        note(&e, ges_parser_feed(&g_parser, s, split));
        note(&e, ges_parser_feed(&g_parser, s + split, n - split));
    } else {
        for (pos = 0; pos < n; pos += step) {
            size_t k = n - pos < step ? n - pos : step;
            note(&e, ges_parser_feed(&g_parser, s + pos, k));
        }
    }
    note(&e, ges_parser_finish(&g_parser));
    *off = ges_parser_offset(&g_parser);
    return e;
}

/* Every split and work size must give the same code and the same struct
 * (memcmp) as ges_job_parse(). */
static void check_stream(int line, const char *s, size_t n)
{
    static ges_job_status_t ref, got;
    ges_err_t re, e;
    unsigned long long off, ref_off = 0;
    int have_ref_off = 0;
    size_t w, split, stride, si;
    int bad = 0;
    static const size_t steps[] = {1, 2, 3, 7, 61};

    if (g_stream_level == 0)
        return;
    memset(&ref, 0, sizeof ref);
    re = ges_job_parse(s, n, &ref);

    if (g_stream_level == 1 || n > 20000)
        stride = n / 7 + 1; /* a few splits; big bodies also go byte by byte */
    else
        stride = n <= 700 ? 1 : n / 300 + 1;

    for (w = 0; w < N_WORK; w++) {
        size_t wl = WORK_SIZES[w];
        for (split = 0;; split += stride) {
            if (split > n)
                split = n;
            memset(&got, 0, sizeof got);
            e = stream_once(s, n, split, 0, wl, &got, &off);
            if (e != re || memcmp(&got, &ref, sizeof got) != 0) {
                if (bad++ < 2) {
                    ctx(line, s, n, "streaming differs from ges_job_parse");
                    fprintf(stderr,
                            "    work_len %lu, split at %lu: %s vs %s%s\n",
                            (unsigned long)wl, (unsigned long)split,
                            errname(e), errname(re),
                            e == re ? " (struct differs)" : "");
                }
            }
            if (re != GES_OK) {
                if (!have_ref_off) {
                    ref_off = off;
                    have_ref_off = 1;
                } else if (off != ref_off) {
                    g_offset_bad++;
                    if (g_offset_reported++ < 3) {
                        ctx(line, s, n, "ges_parser_offset depends on split");
                        fprintf(stderr,
                                "    work_len %lu split %lu: %llu vs %llu\n",
                                (unsigned long)wl, (unsigned long)split, off,
                                ref_off);
                    }
                }
            }
            if (split == n)
                break;
        }
        for (si = 0; si < sizeof steps / sizeof steps[0]; si++) {
            if ((g_stream_level == 1 || n > 20000) && steps[si] != 1 &&
                steps[si] != 61)
                continue;
            memset(&got, 0, sizeof got);
            e = stream_once(s, n, 0, steps[si], wl, &got, &off);
            if (e != re || memcmp(&got, &ref, sizeof got) != 0) {
                if (bad++ < 2) {
                    ctx(line, s, n, "streaming differs from ges_job_parse");
                    fprintf(stderr,
                            "    work_len %lu, pieces of %lu: %s vs %s%s\n",
                            (unsigned long)wl, (unsigned long)steps[si],
                            errname(e), errname(re),
                            e == re ? " (struct differs)" : "");
                }
            }
            if (re != GES_OK && have_ref_off && off != ref_off) {
                g_offset_bad++;
                if (g_offset_reported++ < 3) {
                    ctx(line, s, n, "ges_parser_offset depends on split");
                    fprintf(stderr, "    work_len %lu pieces of %lu: %llu vs %llu\n",
                            (unsigned long)wl, (unsigned long)steps[si], off,
                            ref_off);
                }
            }
        }
    }
    CHECK(bad == 0);
}

/* ---- parse helpers ------------------------------------------------------- */
static ges_err_t parse_at(int line, const char *s, size_t n, ges_err_t want)
{
    ges_err_t e;
    memset(&st, 0, sizeof st);
    e = ges_job_parse(s, n, &st);
    if (e != want) {
        ctx(line, s, n, "unexpected result");
        fprintf(stderr, "    got %s (%d), want %s (%d)\n", errname(e), (int)e,
                errname(want), (int)want);
    }
    CHECK_EQ(e, want);
    check_stream(line, s, n);
    return e;
}

#define PARSE_OK(lit) parse_at(__LINE__, (lit), sizeof(lit) - 1, GES_OK)
#define PARSE_BIG_OK() parse_at(__LINE__, big, big_len, GES_OK)

/* An error case: ges_job_parse into a struct full of garbage must give
 * `want` and leave the struct reset; streaming must agree for every split. */
static void expect_err_at(int line, const char *s, size_t n, ges_err_t want,
                          ges_err_t alt)
{
    ges_err_t e;
    memset(&st, 0xA5, sizeof st);
    e = ges_job_parse(s, n, &st);
    if (e != want && e != alt) {
        ctx(line, s, n, "unexpected result");
        fprintf(stderr, "    got %s (%d), want %s (%d)\n", errname(e), (int)e,
                errname(want), (int)want);
    }
    CHECK(e == want || e == alt);
    if (!is_reset(&st, 0))
        ctx(line, s, n, "out not reset after error");
    CHECK(is_reset(&st, 0));
    check_stream(line, s, n);
}

#define EXPECT_ERR(lit, code) \
    expect_err_at(__LINE__, (lit), sizeof(lit) - 1, (code), (code))
#define EXPECT_ERR_BIG(code) expect_err_at(__LINE__, big, big_len, (code), (code))

static int within_ulp(double got, double want)
{
    return got == want || got == nextafter(want, HUGE_VAL) ||
           got == nextafter(want, -HUGE_VAL);
}

/* ------------------------------------------------------------------------- */
/* Field table for the generic string tests                                   */
/* ------------------------------------------------------------------------- */
typedef struct {
    const char *pre; /* body before the member */
    const char *key;
    const char *post; /* body after the member */
    int set;          /* -1: top level; else the set of entries[0] */
    size_t off;       /* in ges_job_status_t, or in ges_job_file_t */
    size_t bound;
    uint32_t bit;
    int len_index; /* index in the struct's len[] array */
} target_t;

static target_t targets[64];
static size_t n_targets;
static char entry_pre[2 * GES_SET_COUNT][64];

/* The sets' keys, from ges_job.h's GES_SETS. */
#define TP_SET_V1(NAME, k1, k2) k1,
#define TP_SET_V2(NAME, k1, k2) k2,
static const char *const SET_V1[GES_SET_COUNT] = {GES_SETS(TP_SET_V1)};
static const char *const SET_V2[GES_SET_COUNT] = {GES_SETS(TP_SET_V2)};

static void add_target(const char *pre, const char *key, const char *post,
                       int set, size_t off, size_t bound, uint32_t bit,
                       int len_index)
{
    target_t *t = &targets[n_targets++];
    t->pre = pre;
    t->key = key;
    t->post = post;
    t->set = set;
    t->off = off;
    t->bound = bound;
    t->bit = bit;
    t->len_index = len_index;
}

/* The string members, expanded from ges_job.h's GES_JOB_FIELDS /
 * GES_FILE_FIELDS (a field added there is tested here too). */
typedef struct {
    const char *k1, *k2;
    size_t off, bound;
    uint32_t bit;
    int li;
} str_member_t;
#define TP_STR_STR(t, i, m, k1, k2, c) {k1, k2, offsetof(t, m), (c), 1u << (i), (i)},
#define TP_STR_F64(t, i, m, k1, k2, c)
#define TP_STR_I64(t, i, m, k1, k2, c)
#define TP_STR_DETAIL(t, i, m, k1, k2, c)
#define TP_TOP(NAME, m, k1, k2, KIND, c) \
    TP_STR_##KIND(ges_job_status_t, GES_FI_##NAME, m, k1, k2, c)
#define TP_ENT(NAME, m, k1, k2, KIND, c) \
    TP_STR_##KIND(ges_job_file_t, GES_FE_##NAME, m, k1, k2, c)
static const str_member_t tp_top_str[] = {GES_JOB_FIELDS(TP_TOP)};
static const str_member_t tp_ent_str[] = {GES_FILE_FIELDS(TP_ENT)};

static void build_targets(void)
{
    const str_member_t *top = tp_top_str, *ent = tp_ent_str;
    size_t i;
    int s, v;
    n_targets = 0;
    for (i = 0; i < sizeof tp_top_str / sizeof tp_top_str[0]; i++) {
        add_target("{", top[i].k1, "}", -1, top[i].off, top[i].bound,
                   top[i].bit, top[i].li);
        if (strcmp(top[i].k1, top[i].k2) != 0)
            add_target("{", top[i].k2, "}", -1, top[i].off, top[i].bound,
                       top[i].bit, top[i].li);
    }
    add_target("{\"error\":{", "code", "}}", -1,
               offsetof(ges_job_status_t, error_code), GES_CODE_MAX,
               GES_F_ERROR_CODE, GES_FI_ERROR_CODE);
    add_target("{\"error\":{", "message", "}}", -1,
               offsetof(ges_job_status_t, error_message), GES_TEXT_MAX,
               GES_F_ERROR_MESSAGE, GES_FI_ERROR_MESSAGE);
    for (v = 0; v < 2; v++) {
        for (s = 0; s < GES_SET_COUNT; s++) {
            char *pre = entry_pre[v * GES_SET_COUNT + s];
            sprintf(pre, "{\"%s\":{\"%s\":[{", v ? "job_detail" : "jobDetail",
                    v ? SET_V2[s] : SET_V1[s]);
            for (i = 0; i < sizeof tp_ent_str / sizeof tp_ent_str[0]; i++)
                add_target(pre, ent[i].k1, "}]}}", s, ent[i].off, ent[i].bound,
                           ent[i].bit, ent[i].li);
        }
    }
}

static char *tgt_field(const target_t *t)
{
    if (t->set < 0)
        return (char *)&st + t->off;
    return (char *)&st.sets[t->set].entries[0] + t->off;
}

static uint32_t tgt_present(const target_t *t)
{
    return t->set < 0 ? st.present & t->bit
                      : st.sets[t->set].entries[0].present & t->bit;
}

static uint32_t tgt_null(const target_t *t)
{
    return t->set < 0 ? st.null & t->bit
                      : st.sets[t->set].entries[0].null & t->bit;
}

static uint32_t tgt_trunc(const target_t *t)
{
    return t->set < 0 ? st.truncated & t->bit
                      : st.sets[t->set].entries[0].truncated & t->bit;
}

static unsigned tgt_len(const target_t *t)
{
    return t->set < 0 ? st.len[t->len_index]
                      : st.sets[t->set].entries[0].len[t->len_index];
}

static void tgt_begin(const target_t *t)
{
    b_reset();
    b_add(t->pre);
    b_add("\"");
    b_add(t->key);
    b_add("\":");
}

static void tgt_end(const target_t *t) { b_add(t->post); }

static void tgt_where(const target_t *t)
{
    fprintf(stderr, "  field %s%s (bound %lu)\n", t->pre, t->key,
            (unsigned long)t->bound);
}

/* ------------------------------------------------------------------------- */
/* The API page's examples                                                    */
/* ------------------------------------------------------------------------- */
static void check_seed_entry(const ges_job_file_t *f, const char *path)
{
    CHECK_STR(f->path, path);
    CHECK_EQ(f->len[GES_FE_PATH], strlen(path));
    CHECK_STR(f->log, "");
    CHECK_STR(f->cause, "");
    CHECK_STR(f->status, "success");
    CHECK_EQ(f->file_state, GES_FILE_SUCCESS);
    CHECK_EQ(f->present, GES_FF_PATH | GES_FF_LOG | GES_FF_CAUSE | GES_FF_STATUS);
    CHECK_EQ(f->null, GES_FF_LOG | GES_FF_CAUSE);
    CHECK_EQ(f->truncated, 0);
    CHECK_EQ(f->total_lines, 0);
    CHECK_EQ(f->failed_lines, 0);
    CHECK_EQ(f->successful_lines, 0);
}

static void test_seed_200(void)
{
    int s, j;
    PARSE_OK(SEED_200);
    CHECK_EQ(st.http_status, 0);
    CHECK_STR(st.job_id, "ff80808167f09aaa0167f19b35ec0305");
    CHECK_EQ(st.len[GES_FI_JOB_ID], 32);
    CHECK_STR(st.status, "success");
    CHECK_EQ(st.job_state, GES_JOB_SUCCESS);
    CHECK_STR(st.job_type, "GraphManagement");
    CHECK_STR(st.job_name, "ImportGraph");
    CHECK_STR(st.related_graph, "GES_UI_AUTO");
    CHECK_STR(st.begin_time, "2018-11-27T21:39:00");
    CHECK_STR(st.end_time, "2018-11-27T21:39:56");
    CHECK_EQ(st.begin_epoch, 1543354740LL);
    CHECK_EQ(st.end_epoch, 1543354796LL);
    CHECK(st.job_progress == 0.0 && !signbit(st.job_progress));
    CHECK_STR(st.fail_reason, "");
    CHECK_STR(st.error_code, "");
    CHECK_STR(st.error_message, "");
    CHECK_EQ(st.present,
             GES_F_JOB_ID | GES_F_STATUS | GES_F_JOB_TYPE | GES_F_JOB_NAME |
                 GES_F_RELATED_GRAPH | GES_F_BEGIN_TIME | GES_F_END_TIME |
                 GES_F_JOB_DETAIL | GES_F_SET(GES_SET_SCHEMA) |
                 GES_F_SET(GES_SET_EDGESET) | GES_F_SET(GES_SET_VERTEXSET) |
                 GES_F_JOB_PROGRESS);
    CHECK_EQ(st.null, 0);
    CHECK_EQ(st.truncated, 0);
    CHECK_EQ(st.invalid, 0);
    for (s = 0; s < GES_SET_COUNT; s++) {
        CHECK_EQ(st.sets[s].count, 1);
        CHECK_EQ(st.sets[s].kept, 1);
        for (j = 1; j < GES_PATHS_MAX; j++)
            CHECK(file_is_zero(&st.sets[s].entries[j]));
    }
    check_seed_entry(&st.sets[GES_SET_VERTEXSET].entries[0],
                     "ges-ui/auDatas/list_set_vertex.csv");
    check_seed_entry(&st.sets[GES_SET_EDGESET].entries[0],
                     "ges-ui/auDatas/list_set_edge.csv");
    check_seed_entry(&st.sets[GES_SET_SCHEMA].entries[0],
                     "ges-ui/auDatas/list_set_schema.xml");
    CHECK_EQ(ges_job_truncated(&st), 0);
    CHECK_EQ(ges_job_status_is_terminal(st.job_state), 1);
}

/* Same body with CRLF line ends, leading and trailing whitespace. */
static void test_seed_200_crlf(void)
{
    static ges_job_status_t lf;
    size_t i;
    memset(&lf, 0, sizeof lf);
    CHECK_EQ(ges_job_parse(SEED_200, sizeof SEED_200 - 1, &lf), GES_OK);
    b_reset();
    b_add(" \t\r\n");
    for (i = 0; i < sizeof SEED_200 - 1; i++) {
        if (SEED_200[i] == '\n')
            b_add("\r\n");
        else
            b_addn(&SEED_200[i], 1);
    }
    b_add("\r\n\t ");
    PARSE_BIG_OK();
    CHECK(memcmp(&st, &lf, sizeof st) == 0);
}

static void test_seed_400(void)
{
    PARSE_OK(SEED_400);
    CHECK_STR(st.error_code, "GES.8301");
    CHECK_STR(st.error_message,
              "can not find job, jobId is ff808081646e81d40164c5fb414b2b1a1");
    CHECK_EQ(st.len[GES_FI_ERROR_CODE], 8);
    CHECK_EQ(st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);
    CHECK_EQ(st.null, 0);
    CHECK_EQ(st.truncated, 0);
    CHECK_EQ(st.invalid, 0);
    CHECK((st.present & GES_F_STATUS) == 0);
    CHECK_STR(st.status, "");
    CHECK_STR(st.job_id, "");
    CHECK_EQ(st.job_state, GES_JOB_UNKNOWN);
    CHECK_EQ(st.sets[0].count, 0);
    CHECK_EQ(st.sets[1].count, 0);
    CHECK_EQ(st.sets[2].count, 0);
}

static void test_v2_shape(void)
{
    const ges_job_file_t *f;
    PARSE_OK(V2_200);
    CHECK_STR(st.job_id, "0ebb2d3a8b0e4f0c9a5d7c1e2f3a4b5c");
    CHECK_STR(st.status, "running");
    CHECK_EQ(st.job_state, GES_JOB_RUNNING);
    CHECK_STR(st.job_type, "GraphManagement");
    CHECK_STR(st.job_name, "ImportGraph");
    CHECK_STR(st.related_graph, "movies");
    CHECK_STR(st.begin_time, "2024-02-29 12:34:56");
    CHECK_EQ(st.begin_epoch, 1709210096LL);
    CHECK_STR(st.end_time, "");
    CHECK_EQ(st.end_epoch, 0);
    CHECK(st.job_progress == 37.5);
    CHECK_STR(st.fail_reason, "");
    CHECK_EQ(st.present,
             GES_F_JOB_ID | GES_F_STATUS | GES_F_JOB_TYPE | GES_F_JOB_NAME |
                 GES_F_RELATED_GRAPH | GES_F_BEGIN_TIME | GES_F_END_TIME |
                 GES_F_JOB_PROGRESS | GES_F_FAIL_REASON | GES_F_JOB_DETAIL |
                 GES_F_SET(GES_SET_SCHEMA) | GES_F_SET(GES_SET_EDGESET) |
                 GES_F_SET(GES_SET_VERTEXSET));
    CHECK_EQ(st.null, GES_F_END_TIME);
    CHECK_EQ(st.invalid, 0);
    CHECK_EQ(st.truncated, 0);

    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 1);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].kept, 1);
    f = &st.sets[GES_SET_SCHEMA].entries[0];
    CHECK_STR(f->path, "obs/s.xml");
    CHECK_STR(f->log, "obs/s.log");
    CHECK_STR(f->status, "success");
    CHECK_EQ(f->file_state, GES_FILE_SUCCESS);
    CHECK_STR(f->cause, "");
    CHECK_EQ(f->present, GES_FF_PATH | GES_FF_LOG | GES_FF_STATUS | GES_FF_CAUSE);
    CHECK_EQ(f->null, GES_FF_CAUSE);

    CHECK_EQ(st.sets[GES_SET_EDGESET].count, 1);
    CHECK_EQ(st.sets[GES_SET_EDGESET].kept, 1);
    f = &st.sets[GES_SET_EDGESET].entries[0];
    CHECK_STR(f->path, "obs/e.csv");
    CHECK_STR(f->log, "");
    CHECK_STR(f->status, "partFailed");
    CHECK_EQ(f->file_state, GES_FILE_PART_FAILED);
    CHECK_STR(f->cause, "3 bad rows");
    CHECK_EQ(f->total_lines, 100);
    CHECK_EQ(f->failed_lines, 3);
    CHECK_EQ(f->successful_lines, 97);
    CHECK_EQ(f->present, GES_FF_PATH | GES_FF_LOG | GES_FF_STATUS |
                             GES_FF_CAUSE | GES_FF_TOTAL_LINES |
                             GES_FF_FAILED_LINES | GES_FF_SUCCESSFUL_LINES);
    CHECK_EQ(f->null, GES_FF_LOG);

    CHECK_EQ(st.sets[GES_SET_VERTEXSET].count, 0);
    CHECK_EQ(st.sets[GES_SET_VERTEXSET].kept, 0);
    CHECK(file_is_zero(&st.sets[GES_SET_VERTEXSET].entries[0]));
    CHECK_EQ(ges_job_truncated(&st), 0);
}

static void test_v1_line_counts(void)
{
    const ges_job_file_t *f;
    PARSE_OK("{\"jobDetail\":{\"edgesetPath\":[{\"path\":\"e\",\"status\":\"failed\","
             "\"totalLines\":-1,\"failedLines\":-1,\"successfulLines\":-1},"
             "{\"path\":\"f\",\"totalLines\":10,\"failedLines\":null,"
             "\"successfulLines\":10}]}}");
    CHECK_EQ(st.sets[GES_SET_EDGESET].count, 2);
    CHECK_EQ(st.sets[GES_SET_EDGESET].kept, 2);
    f = &st.sets[GES_SET_EDGESET].entries[0];
    CHECK_EQ(f->file_state, GES_FILE_FAILED);
    CHECK_EQ(f->total_lines, -1);
    CHECK_EQ(f->failed_lines, -1);
    CHECK_EQ(f->successful_lines, -1);
    CHECK_EQ(f->present, GES_FF_PATH | GES_FF_STATUS | GES_FF_TOTAL_LINES |
                             GES_FF_FAILED_LINES | GES_FF_SUCCESSFUL_LINES);
    CHECK_EQ(f->null, 0);
    f = &st.sets[GES_SET_EDGESET].entries[1];
    CHECK_STR(f->path, "f");
    CHECK_EQ(f->total_lines, 10);
    CHECK_EQ(f->failed_lines, 0);
    CHECK_EQ(f->successful_lines, 10);
    CHECK_EQ(f->present, GES_FF_PATH | GES_FF_TOTAL_LINES |
                             GES_FF_FAILED_LINES | GES_FF_SUCCESSFUL_LINES);
    CHECK_EQ(f->null, GES_FF_FAILED_LINES);
    CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(GES_SET_EDGESET));
}

static void test_error_shapes(void)
{
    /* GES v1.0 service plane, with "result" */
    PARSE_OK("{\"errorMessage\":\"can not find job, jobId is 0ebb01\","
             "\"errorCode\":\"GES.8301\",\"result\":\"failed\"}");
    CHECK_STR(st.error_code, "GES.8301");
    CHECK_STR(st.error_message, "can not find job, jobId is 0ebb01");
    CHECK_EQ(st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);

    /* v2 / APIG snake_case */
    PARSE_OK("{\"error_msg\":\"Incorrect IAM authentication information: "
             "x-auth-token not found\",\"error_code\":\"APIG.0301\","
             "\"request_id\":\"5a2ce64c865e0e6046321c6f3d5a77ba\"}");
    CHECK_STR(st.error_code, "APIG.0301");
    CHECK_STR(st.error_message,
              "Incorrect IAM authentication information: x-auth-token not found");
    CHECK_EQ(st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);
    CHECK_EQ(st.null, 0);

    /* {"error":{"code","message"}} */
    PARSE_OK("{\"error\":{\"code\":\"GES.0001\",\"message\":\"Invalid parameter.\"}}");
    CHECK_STR(st.error_code, "GES.0001");
    CHECK_STR(st.error_message, "Invalid parameter.");
    CHECK_EQ(st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);

    /* ... with unknown members inside, known names nested deeper ignored */
    PARSE_OK("{\"error\":{\"details\":{\"code\":\"NO\",\"message\":\"NO\"},"
             "\"code\":\"C1\",\"list\":[{\"message\":\"NO\"}],\"message\":\"M1\","
             "\"n\":null}}");
    CHECK_STR(st.error_code, "C1");
    CHECK_STR(st.error_message, "M1");
    CHECK_EQ(st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);

    /* message null, code absent */
    PARSE_OK("{\"error\":{\"message\":null}}");
    CHECK_EQ(st.present, GES_F_ERROR_MESSAGE);
    CHECK_EQ(st.null, GES_F_ERROR_MESSAGE);

    PARSE_OK("{\"error\":{}}");
    CHECK_EQ(st.present, 0);

    /* "error" of another shape (a number, string, array, literal): not
     * ours, skipped, the members around it kept */
    PARSE_OK("{\"error\":-1.5e3,\"jobId\":\"J\",\"error\":7}");
    CHECK_STR(st.job_id, "J");
    CHECK_EQ(st.present, GES_F_JOB_ID);
    CHECK_STR(st.error_code, "");
    PARSE_OK("{\"error\":\"GES.0001\",\"error\":[{\"code\":\"C\"}],\"error\":true,"
             "\"error\":null,\"status\":\"running\"}");
    CHECK_EQ(st.present, GES_F_STATUS);
    CHECK_EQ(st.null, 0);
    CHECK_EQ(st.job_state, GES_JOB_RUNNING);
    CHECK_STR(st.error_code, "");

    /* code/message at the top level are not an error shape: unknown */
    PARSE_OK("{\"code\":\"X\",\"message\":\"Y\"}");
    CHECK_EQ(st.present, 0);
    CHECK_STR(st.error_code, "");

    /* a 200 answer carrying errorCode: parsed, fields filled */
    PARSE_OK("{\"errorMessage\":\"The job does not exist.\","
             "\"errorCode\":\"GES.7007\",\"jobId\":\"abc\",\"status\":\"failed\"}");
    CHECK_STR(st.error_code, "GES.7007");
    CHECK_STR(st.error_message, "The job does not exist.");
    CHECK_STR(st.job_id, "abc");
    CHECK_EQ(st.job_state, GES_JOB_FAILED);
    CHECK_EQ(st.present,
             GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE | GES_F_JOB_ID | GES_F_STATUS);

    /* success with empty error fields (the doc says they may be empty) */
    PARSE_OK("{\"errorMessage\":\"\",\"errorCode\":\"\",\"status\":\"pending\"}");
    CHECK_EQ(st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE | GES_F_STATUS);
    CHECK_EQ(st.null, 0);
    CHECK_STR(st.error_code, "");
    CHECK_EQ(st.job_state, GES_JOB_PENDING);

    PARSE_OK("{\"errorMessage\":null,\"errorCode\":null}");
    CHECK_EQ(st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);
    CHECK_EQ(st.null, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);
}

/* ------------------------------------------------------------------------- */
/* Status mapping                                                             */
/* ------------------------------------------------------------------------- */
static void test_job_status_mapping(void)
{
    static const struct {
        const char *json; /* the value as written in JSON */
        const char *raw;  /* the raw string kept */
        ges_job_state_t state;
    } cases[] = {
        {"\"pending\"", "pending", GES_JOB_PENDING},
        {"\"waiting\"", "waiting", GES_JOB_PENDING},
        {"\"running\"", "running", GES_JOB_RUNNING},
        {"\"success\"", "success", GES_JOB_SUCCESS},
        {"\"complete\"", "complete", GES_JOB_SUCCESS},
        {"\"failed\"", "failed", GES_JOB_FAILED},
        {"\"partiallyFailed\"", "partiallyFailed", GES_JOB_PARTIALLY_FAILED},
        {"\"succ\\u0065ss\"", "success", GES_JOB_SUCCESS},
        {"\"partFailed\"", "partFailed", GES_JOB_UNKNOWN},
        {"\"cancelled\"", "cancelled", GES_JOB_UNKNOWN},
        {"\"succes\"", "succes", GES_JOB_UNKNOWN},
        {"\"successful\"", "successful", GES_JOB_UNKNOWN},
        {"\"pendingX\"", "pendingX", GES_JOB_UNKNOWN},
        {"\"\"", "", GES_JOB_UNKNOWN},
        {"null", "", GES_JOB_UNKNOWN},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        b_reset();
        b_add("{\"status\":");
        b_add(cases[i].json);
        b_add("}");
        PARSE_BIG_OK();
        if (strcmp(st.status, cases[i].raw) != 0 ||
            st.job_state != cases[i].state)
            fprintf(stderr, "  status %s\n", cases[i].json);
        CHECK_STR(st.status, cases[i].raw);
        CHECK_EQ(st.job_state, cases[i].state);
        CHECK_EQ(st.present, GES_F_STATUS);
    }
    /* the v2 body's "status" is the same member */
    b_reset();
    b_add("{\"job_id\":\"x\",\"status\":\"complete\"}");
    PARSE_BIG_OK();
    CHECK_EQ(st.job_state, GES_JOB_SUCCESS);
    /* absent */
    PARSE_OK("{\"jobId\":\"x\"}");
    CHECK_EQ(st.job_state, GES_JOB_UNKNOWN);
}

/* "success\u0000" is not "success". */
static void test_job_status_embedded_nul(void)
{
    PARSE_OK("{\"status\":\"success\\u0000\"}");
    CHECK_EQ(st.job_state, GES_JOB_UNKNOWN);
    CHECK_EQ(st.len[GES_FI_STATUS], 8);
    CHECK(memcmp(st.status, "success\0", 9) == 0);
}

static void test_is_terminal(void)
{
    CHECK_EQ(ges_job_status_is_terminal(GES_JOB_UNKNOWN), 0);
    CHECK_EQ(ges_job_status_is_terminal(GES_JOB_PENDING), 0);
    CHECK_EQ(ges_job_status_is_terminal(GES_JOB_RUNNING), 0);
    CHECK_EQ(ges_job_status_is_terminal(GES_JOB_SUCCESS), 1);
    CHECK_EQ(ges_job_status_is_terminal(GES_JOB_FAILED), 1);
    CHECK_EQ(ges_job_status_is_terminal(GES_JOB_PARTIALLY_FAILED), 1);
}

static void test_file_status_mapping(void)
{
    static const struct {
        const char *json, *raw;
        ges_file_state_t state;
    } cases[] = {
        {"\"success\"", "success", GES_FILE_SUCCESS},
        {"\"failed\"", "failed", GES_FILE_FAILED},
        {"\"partFailed\"", "partFailed", GES_FILE_PART_FAILED},
        {"\"partiallyFailed\"", "partiallyFailed", GES_FILE_UNKNOWN},
        {"\"running\"", "running", GES_FILE_UNKNOWN},
        {"\"complete\"", "complete", GES_FILE_UNKNOWN},
        {"\"weird\"", "weird", GES_FILE_UNKNOWN},
        {"\"\"", "", GES_FILE_UNKNOWN},
        {"null", "", GES_FILE_UNKNOWN},
        {"\"part\\u0046ailed\"", "partFailed", GES_FILE_PART_FAILED},
    };
    size_t i;
    int s;
    for (s = 0; s < GES_SET_COUNT; s++) {
        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            b_reset();
            b_add("{\"jobDetail\":{\"");
            b_add(SET_V1[s]);
            b_add("\":[{\"path\":\"p\"},{\"status\":");
            b_add(cases[i].json);
            b_add("}]}}");
            PARSE_BIG_OK();
            if (strcmp(st.sets[s].entries[1].status, cases[i].raw) != 0 ||
                st.sets[s].entries[1].file_state != cases[i].state)
                fprintf(stderr, "  set %d file status %s\n", s, cases[i].json);
            CHECK_STR(st.sets[s].entries[1].status, cases[i].raw);
            CHECK_EQ(st.sets[s].entries[1].file_state, cases[i].state);
            CHECK_EQ(st.sets[s].entries[1].present, GES_FF_STATUS);
            CHECK_EQ(st.sets[s].entries[0].file_state, GES_FILE_UNKNOWN);
            CHECK_EQ(st.job_state, GES_JOB_UNKNOWN);
            CHECK_EQ(st.present & GES_F_STATUS, 0);
        }
    }
}

/* ------------------------------------------------------------------------- */
/* Presence                                                                   */
/* ------------------------------------------------------------------------- */
static void test_presence_strings(void)
{
    size_t i;
    for (i = 0; i < n_targets; i++) {
        const target_t *t = &targets[i];
        int was_failed = harness_cur_failed;
        harness_cur_failed = 0;

        /* absent */
        b_reset();
        b_add(t->pre);
        b_add(t->post);
        PARSE_BIG_OK();
        CHECK(!tgt_present(t));
        CHECK(!tgt_null(t));
        CHECK(all_zero(tgt_field(t), t->bound + 1));

        /* null */
        tgt_begin(t);
        b_add("null");
        tgt_end(t);
        PARSE_BIG_OK();
        CHECK(tgt_present(t));
        CHECK(tgt_null(t));
        CHECK(!tgt_trunc(t));
        CHECK_STR(tgt_field(t), "");
        CHECK_EQ(tgt_len(t), 0);

        /* "" */
        tgt_begin(t);
        b_add("\"\"");
        tgt_end(t);
        PARSE_BIG_OK();
        CHECK(tgt_present(t));
        CHECK(!tgt_null(t));
        CHECK(!tgt_trunc(t));
        CHECK_STR(tgt_field(t), "");
        CHECK_EQ(tgt_len(t), 0);

        /* "v" */
        tgt_begin(t);
        b_add("\"v\"");
        tgt_end(t);
        PARSE_BIG_OK();
        CHECK(tgt_present(t));
        CHECK(!tgt_null(t));
        CHECK_STR(tgt_field(t), "v");
        CHECK_EQ(tgt_len(t), 1);

        if (harness_cur_failed)
            tgt_where(t);
        harness_cur_failed |= was_failed;
    }
}

static void test_presence_numbers(void)
{
    const ges_job_file_t *f;
    PARSE_OK("{}");
    CHECK_EQ(st.present, 0);
    CHECK_EQ(st.null, 0);

    PARSE_OK("{\"jobProgress\":null}");
    CHECK_EQ(st.present, GES_F_JOB_PROGRESS);
    CHECK_EQ(st.null, GES_F_JOB_PROGRESS);
    CHECK(st.job_progress == 0.0);

    PARSE_OK("{\"job_progress\":0}");
    CHECK_EQ(st.present, GES_F_JOB_PROGRESS);
    CHECK_EQ(st.null, 0);

    PARSE_OK("{\"jobDetail\":{\"vertexsetPath\":[{\"totalLines\":null,"
             "\"failedLines\":0}]}}");
    f = &st.sets[GES_SET_VERTEXSET].entries[0];
    CHECK_EQ(f->present, GES_FF_TOTAL_LINES | GES_FF_FAILED_LINES);
    CHECK_EQ(f->null, GES_FF_TOTAL_LINES);
    CHECK_EQ(f->total_lines, 0);
    CHECK_EQ(f->failed_lines, 0);
}

static void test_presence_sets(void)
{
    int s;
    PARSE_OK("{\"jobId\":\"x\"}");
    CHECK_EQ(st.present & GES_F_JOB_DETAIL, 0);

    PARSE_OK("{\"jobDetail\":null}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL);
    CHECK_EQ(st.null, GES_F_JOB_DETAIL);

    PARSE_OK("{\"jobDetail\":{}}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL);
    CHECK_EQ(st.null, 0);

    PARSE_OK("{\"job_detail\":null}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL);
    CHECK_EQ(st.null, GES_F_JOB_DETAIL);

    for (s = 0; s < GES_SET_COUNT; s++) {
        int v;
        for (v = 0; v < 2; v++) {
            const char *d = v ? "job_detail" : "jobDetail";
            const char *n = v ? SET_V2[s] : SET_V1[s];
            int o;
            /* [] */
            b_reset();
            b_add("{\"");
            b_add(d);
            b_add("\":{\"");
            b_add(n);
            b_add("\":[]}}");
            PARSE_BIG_OK();
            CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(s));
            CHECK_EQ(st.null, 0);
            CHECK_EQ(st.sets[s].count, 0);
            CHECK_EQ(st.sets[s].kept, 0);
            /* null */
            b_reset();
            b_add("{\"");
            b_add(d);
            b_add("\":{\"");
            b_add(n);
            b_add("\":null}}");
            PARSE_BIG_OK();
            CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(s));
            CHECK_EQ(st.null, GES_F_SET(s));
            CHECK_EQ(st.sets[s].count, 0);
            /* [{}]: one entry with nothing in it */
            b_reset();
            b_add("{\"");
            b_add(d);
            b_add("\":{\"");
            b_add(n);
            b_add("\":[{}]}}");
            PARSE_BIG_OK();
            CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(s));
            CHECK_EQ(st.sets[s].count, 1);
            CHECK_EQ(st.sets[s].kept, 1);
            CHECK(file_is_zero(&st.sets[s].entries[0]));
            /* the other sets stay absent */
            for (o = 0; o < GES_SET_COUNT; o++)
                if (o != s)
                    CHECK_EQ(st.sets[o].count, 0);
        }
    }
}

/* ------------------------------------------------------------------------- */
/* Truncation                                                                 */
/* ------------------------------------------------------------------------- */
static void test_truncation_bounds(void)
{
    size_t i;
    g_stream_level = 1;
    for (i = 0; i < n_targets; i++) {
        const target_t *t = &targets[i];
        size_t N = t->bound;
        int was_failed = harness_cur_failed;
        harness_cur_failed = 0;

        /* exactly at the bound: kept whole */
        tgt_begin(t);
        b_add("\"");
        b_pattern(N);
        b_add("\"");
        tgt_end(t);
        PARSE_BIG_OK();
        CHECK(pattern_ok(tgt_field(t), N));
        CHECK(!tgt_trunc(t));
        CHECK_EQ(tgt_len(t), N);
        CHECK_EQ(ges_job_truncated(&st), 0);

        /* one byte over: cut to N, flagged, NUL-terminated */
        tgt_begin(t);
        b_add("\"");
        b_pattern(N + 1);
        b_add("\"");
        tgt_end(t);
        PARSE_BIG_OK();
        CHECK(pattern_ok(tgt_field(t), N));
        CHECK_EQ(strlen(tgt_field(t)), N);
        CHECK(tgt_trunc(t));
        CHECK(tgt_present(t));
        CHECK(!tgt_null(t));
        CHECK_EQ(tgt_len(t), N);
        CHECK_EQ(ges_job_truncated(&st), 1);
        if (t->set >= 0)
            CHECK_EQ(st.truncated, 0); /* the bit is in the entry */

        /* far over, with escapes past the bound */
        tgt_begin(t);
        b_add("\"");
        b_pattern(N);
        b_rep("\\n\\u00e9\\\"", 50);
        b_add("\"");
        tgt_end(t);
        PARSE_BIG_OK();
        CHECK(pattern_ok(tgt_field(t), N));
        CHECK(tgt_trunc(t));
        CHECK_EQ(tgt_len(t), N);

        /* one under */
        tgt_begin(t);
        b_add("\"");
        b_pattern(N - 1);
        b_add("\"");
        tgt_end(t);
        PARSE_BIG_OK();
        CHECK(pattern_ok(tgt_field(t), N - 1));
        CHECK(!tgt_trunc(t));

        if (harness_cur_failed)
            tgt_where(t);
        harness_cur_failed |= was_failed;
    }
    g_stream_level = 2;
}

/* A multi-byte character that would cross the bound is not split. */
static void test_truncation_utf8_straddle(void)
{
    static const struct {
        const char *json;  /* as written in the body */
        const char *bytes; /* decoded UTF-8 */
    } chars[] = {
        {"\xC3\xA9", "\xC3\xA9"},
        {"\\u00e9", "\xC3\xA9"},
        {"\xE2\x82\xAC", "\xE2\x82\xAC"},
        {"\\u20ac", "\xE2\x82\xAC"},
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
        {"\\ud83d\\ude00", "\xF0\x9F\x98\x80"},
    };
    size_t i, c, k;
    static char want[65536 + 16];
    g_stream_level = 1;
    for (i = 0; i < n_targets; i++) {
        const target_t *t = &targets[i];
        size_t N = t->bound;
        int was_failed = harness_cur_failed;
        harness_cur_failed = 0;
        for (c = 0; c < sizeof chars / sizeof chars[0]; c++) {
            size_t m = strlen(chars[c].bytes);
            for (k = N - m - 3; k <= N; k++) {
                size_t L = k + m + 2, cut;
                int trunc = L > N;
                /* value: k x's, the character, "yz" */
                memset(want, 'x', k);
                memcpy(want + k, chars[c].bytes, m);
                memcpy(want + k + m, "yz", 2);
                cut = trunc ? N : L;
                if (cut > k && cut < k + m)
                    cut = k;
                want[cut] = '\0';

                tgt_begin(t);
                b_add("\"");
                b_rep("x", k);
                b_add(chars[c].json);
                b_add("yz\"");
                tgt_end(t);
                PARSE_BIG_OK();
                if (memcmp(tgt_field(t), want, cut + 1) != 0 ||
                    !tgt_trunc(t) != !trunc || tgt_len(t) != cut) {
                    fprintf(stderr, "  k=%lu char %s: stored %lu bytes, want %lu\n",
                            (unsigned long)k, chars[c].json,
                            (unsigned long)strlen(tgt_field(t)),
                            (unsigned long)cut);
                }
                CHECK(memcmp(tgt_field(t), want, cut + 1) == 0);
                CHECK(!tgt_trunc(t) == !trunc);
                CHECK_EQ(tgt_len(t), cut);
            }
        }
        if (harness_cur_failed)
            tgt_where(t);
        harness_cur_failed |= was_failed;
    }
    g_stream_level = 2;
}

static void build_set(int v2, int s, unsigned count)
{
    unsigned i;
    b_reset();
    b_add(v2 ? "{\"job_detail\":{\"" : "{\"jobDetail\":{\"");
    b_add(v2 ? SET_V2[s] : SET_V1[s]);
    b_add("\":[");
    for (i = 0; i < count; i++) {
        if (i)
            b_add(",");
        b_add("{\"path\":\"p");
        b_ll((long long)i);
        b_add("\",\"status\":\"failed\",\"totalLines\":");
        b_ll((long long)i * 1000);
        b_add("}");
    }
    b_add("]}}");
}

static void test_truncation_sets(void)
{
    int s, v;
    unsigned c, j;
    char p[16];
    for (v = 0; v < 2; v++) {
        for (s = 0; s < GES_SET_COUNT; s++) {
            for (c = 0; c <= GES_PATHS_MAX + 3; c++) {
                unsigned kept = c < GES_PATHS_MAX ? c : GES_PATHS_MAX;
                build_set(v, s, c);
                PARSE_BIG_OK();
                CHECK_EQ(st.sets[s].count, c);
                CHECK_EQ(st.sets[s].kept, kept);
                CHECK_EQ(!!(st.truncated & GES_F_SET(s)), c > GES_PATHS_MAX);
                CHECK_EQ(ges_job_truncated(&st), c > GES_PATHS_MAX);
                CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(s));
                for (j = 0; j < kept; j++) {
                    sprintf(p, "p%u", j);
                    CHECK_STR(st.sets[s].entries[j].path, p);
                    CHECK_EQ(st.sets[s].entries[j].file_state, GES_FILE_FAILED);
                    CHECK_EQ(st.sets[s].entries[j].total_lines, (long long)j * 1000);
                }
                for (; j < GES_PATHS_MAX; j++)
                    CHECK(file_is_zero(&st.sets[s].entries[j]));
            }
        }
    }
    /* a large set: 3000 entries */
    build_set(0, GES_SET_EDGESET, 3000);
    CHECK(!big_overflow);
    PARSE_BIG_OK();
    CHECK_EQ(st.sets[GES_SET_EDGESET].count, 3000);
    CHECK_EQ(st.sets[GES_SET_EDGESET].kept, GES_PATHS_MAX);
    CHECK(st.truncated & GES_F_SET(GES_SET_EDGESET));
    CHECK_EQ(ges_job_truncated(&st), 1);
}

static void test_truncation_entry_field(void)
{
    const ges_job_file_t *f;
    b_reset();
    b_add("{\"jobDetail\":{\"edgesetPath\":[{\"path\":\"ok\"},{\"path\":\"");
    b_pattern(GES_PATH_MAX + 1);
    b_add("\",\"cause\":\"");
    b_pattern(GES_CAUSE_MAX + 7);
    b_add("\",\"status\":\"success\"}]}}");
    PARSE_BIG_OK();
    f = &st.sets[GES_SET_EDGESET].entries[1];
    CHECK(pattern_ok(f->path, GES_PATH_MAX));
    CHECK(pattern_ok(f->cause, GES_CAUSE_MAX));
    CHECK_EQ(f->truncated, GES_FF_PATH | GES_FF_CAUSE);
    CHECK_EQ(f->file_state, GES_FILE_SUCCESS);
    CHECK_EQ(st.sets[GES_SET_EDGESET].entries[0].truncated, 0);
    CHECK_EQ(st.truncated, 0);
    CHECK_EQ(ges_job_truncated(&st), 1);
}

/* A value much larger than any work buffer. */
static void test_truncation_huge_value(void)
{
    b_reset();
    b_add("{\"failReason\":\"");
    b_pattern(200000);
    b_add("\",\"jobId\":\"after\"}");
    CHECK(!big_overflow);
    PARSE_BIG_OK();
    CHECK(pattern_ok(st.fail_reason, GES_TEXT_MAX));
    CHECK_EQ(st.truncated, GES_F_FAIL_REASON);
    CHECK_STR(st.job_id, "after");
    CHECK_EQ(ges_job_truncated(&st), 1);
}

static void test_truncated_function(void)
{
    ges_job_status_init(&st);
    CHECK_EQ(ges_job_truncated(&st), 0);
    st.truncated = GES_F_JOB_NAME;
    CHECK_EQ(ges_job_truncated(&st), 1);
    ges_job_status_init(&st);
    st.truncated = GES_F_SET(GES_SET_VERTEXSET);
    CHECK_EQ(ges_job_truncated(&st), 1);
    ges_job_status_init(&st);
    st.sets[GES_SET_SCHEMA].count = 1;
    st.sets[GES_SET_SCHEMA].kept = 1;
    st.sets[GES_SET_SCHEMA].entries[0].truncated = GES_FF_LOG;
    CHECK_EQ(ges_job_truncated(&st), 1);
}

/* ------------------------------------------------------------------------- */
/* Escapes and UTF-8                                                          */
/* ------------------------------------------------------------------------- */
static void check_job_id(int line, const char *json, const char *bytes,
                         size_t n)
{
    b_reset();
    b_add("{\"jobId\":\"");
    b_add(json);
    b_add("\"}");
    parse_at(line, big, big_len, GES_OK);
    if (memcmp(st.job_id, bytes, n) != 0 || st.job_id[n] != '\0' ||
        st.len[GES_FI_JOB_ID] != n)
        ctx(line, big, big_len, "decoded jobId differs");
    CHECK(memcmp(st.job_id, bytes, n) == 0);
    CHECK(st.job_id[n] == '\0');
    CHECK_EQ(st.len[GES_FI_JOB_ID], n);
}

#define JOB_ID_IS(json, bytes) check_job_id(__LINE__, json, bytes, sizeof(bytes) - 1)

static void test_escapes_valid(void)
{
    JOB_ID_IS("\\\"", "\"");
    JOB_ID_IS("\\\\", "\\");
    JOB_ID_IS("\\/", "/");
    JOB_ID_IS("\\b", "\b");
    JOB_ID_IS("\\f", "\f");
    JOB_ID_IS("\\n", "\n");
    JOB_ID_IS("\\r", "\r");
    JOB_ID_IS("\\t", "\t");
    JOB_ID_IS("a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te", "a\"b\\c/d\b\f\n\r\te");
    JOB_ID_IS("\\u00e9", "\xC3\xA9");
    JOB_ID_IS("\\u00E9", "\xC3\xA9");
    JOB_ID_IS("\\u20ac", "\xE2\x82\xAC");
    JOB_ID_IS("\\u20AC", "\xE2\x82\xAC");
    JOB_ID_IS("\\ud83d\\ude00", "\xF0\x9F\x98\x80");
    JOB_ID_IS("\\uD83D\\uDE00", "\xF0\x9F\x98\x80");
    JOB_ID_IS("\\ud800\\udc00", "\xF0\x90\x80\x80");
    JOB_ID_IS("\\udbff\\udfff", "\xF4\x8F\xBF\xBF");
    JOB_ID_IS("\\u0041", "A");
    JOB_ID_IS("\\u007f", "\x7F");
    JOB_ID_IS("\\u0080", "\xC2\x80");
    JOB_ID_IS("\\u07ff", "\xDF\xBF");
    JOB_ID_IS("\\u0800", "\xE0\xA0\x80");
    JOB_ID_IS("\\ud7ff", "\xED\x9F\xBF");
    JOB_ID_IS("\\ue000", "\xEE\x80\x80");
    JOB_ID_IS("\\uffff", "\xEF\xBF\xBF");
    JOB_ID_IS("\\u0000", "\0");
    JOB_ID_IS("a\\u0000b", "a\0b");
    JOB_ID_IS("x\\u00e9\\u20ac\\ud83d\\ude00y", "x\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80y");
}

static void test_escapes_invalid(void)
{
    static const char *const bad[] = {
        "\\x",
        "\\a",
        "\\0",
        "\\'",
        "\\U00e9",
        "\\u12",
        "\\u12G4",
        "\\u",
        "\\uzzzz",
        "\\ud800",
        "\\ude00",
        "\\udfff",
        "\\ud800\\u0041",
        "\\ud800\\ud800",
        "\\ud800x",
        "\\ud800\\n",
        "a\\ude00b",
        "\\ud83d\\u00e9",
        "\\ud800\\ue000", /* a "low half" above the low surrogates */
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* in a known string field */
        b_reset();
        b_add("{\"jobId\":\"");
        b_add(bad[i]);
        b_add("\"}");
        EXPECT_ERR_BIG(GES_ERR_JSON_ESCAPE);
        /* in an entry field */
        b_reset();
        b_add("{\"jobDetail\":{\"schemaPath\":[{\"cause\":\"");
        b_add(bad[i]);
        b_add("\"}]}}");
        EXPECT_ERR_BIG(GES_ERR_JSON_ESCAPE);
        /* in an unknown member's value */
        b_reset();
        b_add("{\"x\":[\"");
        b_add(bad[i]);
        b_add("\"]}");
        EXPECT_ERR_BIG(GES_ERR_JSON_ESCAPE);
        /* in a key */
        b_reset();
        b_add("{\"k");
        b_add(bad[i]);
        b_add("\":1}");
        EXPECT_ERR_BIG(GES_ERR_JSON_ESCAPE);
        /* past the bound of a truncated field: still validated */
        b_reset();
        b_add("{\"jobId\":\"");
        b_pattern(GES_ID_MAX + 10);
        b_add(bad[i]);
        b_add("\"}");
        EXPECT_ERR_BIG(GES_ERR_JSON_ESCAPE);
    }
}

static void test_utf8_raw_valid(void)
{
    JOB_ID_IS("\xC3\xA9", "\xC3\xA9");
    JOB_ID_IS("\xE2\x82\xAC", "\xE2\x82\xAC");
    JOB_ID_IS("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");
    JOB_ID_IS("\xEF\xBF\xBF", "\xEF\xBF\xBF");
    JOB_ID_IS("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF");
    JOB_ID_IS("\xED\x9F\xBF", "\xED\x9F\xBF");
    JOB_ID_IS("\x7F", "\x7F");
    /* raw UTF-8 in keys and unknown values */
    PARSE_OK("{\"cl\xC3\xA9\":\"\xE2\x82\xAC\",\"jobId\":\"j\"}");
    CHECK_STR(st.job_id, "j");
}

static void test_utf8_raw_invalid(void)
{
    static const char *const bad[] = {
        "\xC3\x28",         /* bad continuation */
        "\xC0\x80",         /* overlong NUL */
        "\xC1\xBF",         /* overlong */
        "\xE0\x80\x80",     /* overlong 3-byte */
        "\xE0\x9F\xBF",     /* overlong 3-byte */
        "\xED\xA0\x80",     /* surrogate D800 */
        "\xED\xBF\xBF",     /* surrogate DFFF */
        "\xF0\x80\x80\x80", /* overlong 4-byte */
        "\xF0\x8F\xBF\xBF", /* overlong 4-byte */
        "\xF4\x90\x80\x80", /* above U+10FFFF */
        "\xF5\x80\x80\x80", /* F5 never valid */
        "\xF8\x88\x80\x80\x80",
        "\xFE",
        "\xFF",
        "\x80", /* lone continuation */
        "\xBF",
        "\xC3", /* sequence cut by the closing quote */
        "\xE2\x82",
        "\xF0\x9F\x98",
        "\xE2\x28\xA1",
        "\xF0\x9F\x28\x80",
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b_reset();
        b_add("{\"jobId\":\"a");
        b_add(bad[i]);
        b_add("\"}");
        EXPECT_ERR_BIG(GES_ERR_JSON_UTF8);
        /* sequence followed by more text */
        b_reset();
        b_add("{\"jobName\":\"");
        b_add(bad[i]);
        b_add("zz\"}");
        EXPECT_ERR_BIG(GES_ERR_JSON_UTF8);
        b_reset();
        b_add("{\"jobDetail\":{\"vertexsetPath\":[{\"path\":\"");
        b_add(bad[i]);
        b_add("\"}]}}");
        EXPECT_ERR_BIG(GES_ERR_JSON_UTF8);
        b_reset();
        b_add("{\"x\":{\"y\":\"");
        b_add(bad[i]);
        b_add("\"}}");
        EXPECT_ERR_BIG(GES_ERR_JSON_UTF8);
        b_reset();
        b_add("{\"");
        b_add(bad[i]);
        b_add("\":1}");
        EXPECT_ERR_BIG(GES_ERR_JSON_UTF8);
        /* past the bound of a truncated field */
        b_reset();
        b_add("{\"errorCode\":\"");
        b_pattern(GES_CODE_MAX + 3);
        b_add(bad[i]);
        b_add("\"}");
        EXPECT_ERR_BIG(GES_ERR_JSON_UTF8);
    }
}

static void test_control_chars(void)
{
    static const char ctl[] = {0x01, 0x08, 0x09, 0x0A, 0x0D, 0x1F};
    size_t i;
    for (i = 0; i < sizeof ctl; i++) {
        b_reset();
        b_add("{\"jobId\":\"a");
        b_addn(&ctl[i], 1);
        b_add("b\"}");
        EXPECT_ERR_BIG(GES_ERR_JSON_SYNTAX);
        b_reset();
        b_add("{\"x\":\"");
        b_addn(&ctl[i], 1);
        b_add("\"}");
        EXPECT_ERR_BIG(GES_ERR_JSON_SYNTAX);
        b_reset();
        b_add("{\"k");
        b_addn(&ctl[i], 1);
        b_add("\":1}");
        EXPECT_ERR_BIG(GES_ERR_JSON_SYNTAX);
    }
    /* raw NUL inside a string, between tokens */
    EXPECT_ERR("{\"jobId\":\"a\0b\"}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobId\":\0\"a\"}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":1,\x01\"b\":2}", GES_ERR_JSON_SYNTAX);
    /* \f and \v are not JSON whitespace */
    EXPECT_ERR("{\f}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":\v1}", GES_ERR_JSON_SYNTAX);
    /* the four JSON whitespace characters are fine everywhere */
    PARSE_OK(" \t\r\n{ \t\r\n\"jobId\" \t\r\n: \t\r\n\"x\" \t\r\n, \t\r\n"
             "\"u\" : [ 1 , { } , [ ] ] \t\r\n} \t\r\n");
    CHECK_STR(st.job_id, "x");
}

/* ------------------------------------------------------------------------- */
/* Times                                                                      */
/* ------------------------------------------------------------------------- */
static void time_ok(int line, const char *s, long long want)
{
    int64_t e = 12345;
    ges_err_t r = ges_parse_time(s, strlen(s), &e);
    if (r != GES_OK || e != want)
        fprintf(stderr, "  [line %d] ges_parse_time(\"%s\") = %d, %lld; want %lld\n",
                line, s, (int)r, (long long)e, want);
    CHECK_EQ(r, GES_OK);
    CHECK_EQ(e, want);
}

static void time_bad_n(int line, const char *s, size_t n)
{
    int64_t e = 0;
    ges_err_t r = ges_parse_time(s, n, &e);
    if (r != GES_ERR_INVALID_ARG) {
        fprintf(stderr, "  [line %d] ges_parse_time(", line);
        show(s, n);
        fprintf(stderr, ") = %d, want INVALID_ARG\n", (int)r);
    }
    CHECK_EQ(r, GES_ERR_INVALID_ARG);
}

#define TIME_OK(s, v) time_ok(__LINE__, s, v)
#define TIME_BAD(s) time_bad_n(__LINE__, s, strlen(s))

static void test_parse_time_valid(void)
{
    TIME_OK("1970-01-01T00:00:00", 0);
    TIME_OK("1970-01-01 00:00:00", 0);
    TIME_OK("1970-01-01T00:00:00Z", 0);
    TIME_OK("1970-01-01 00:00:00Z", 0);
    TIME_OK("1969-12-31T23:59:59", -1);
    TIME_OK("2018-11-27T21:39:00", 1543354740LL);
    TIME_OK("2018-11-27T21:39:56", 1543354796LL);
    TIME_OK("2018-11-27 21:39:56", 1543354796LL);
    TIME_OK("2018-11-27T21:39:56Z", 1543354796LL);
    TIME_OK("2000-02-29T00:00:00", 951782400LL);
    TIME_OK("2024-02-29T12:34:56", 1709210096LL);
    TIME_OK("2024-02-29 12:34:56", 1709210096LL);
    TIME_OK("1600-02-29T00:00:00", -11670998400LL);
    TIME_OK("1900-03-01T00:00:00", -2203891200LL);
    TIME_OK("2100-03-01T00:00:00", 4107542400LL);
    TIME_OK("2020-12-31T23:59:59", 1609459199LL);
    TIME_OK("2019-01-01T00:00:00", 1546300800LL);
    TIME_OK("2038-01-19T03:14:08", 2147483648LL);
    TIME_OK("9999-12-31T23:59:59", 253402300799LL);
    TIME_OK("0001-01-01T00:00:00", -62135596800LL);
    TIME_OK("0000-01-01T00:00:00", -62167219200LL);
    TIME_OK("0000-03-01T00:00:00", -62162035200LL);
    TIME_OK("0000-02-29T00:00:00", -62162035200LL - 86400);
    /* only `len` bytes are read */
    {
        int64_t e = 0;
        CHECK_EQ(ges_parse_time("2018-11-27T21:39:00XYZ", 19, &e), GES_OK);
        CHECK_EQ(e, 1543354740LL);
    }
}

static void test_parse_time_invalid(void)
{
    int64_t e;
    TIME_BAD("");
    TIME_BAD("2018-13-01T00:00:00");
    TIME_BAD("2018-00-01T00:00:00");
    TIME_BAD("2018-01-00T00:00:00");
    TIME_BAD("2018-01-32T00:00:00");
    TIME_BAD("2018-04-31T00:00:00");
    TIME_BAD("2018-02-29T00:00:00");
    TIME_BAD("1900-02-29T00:00:00");
    TIME_BAD("2100-02-29T00:00:00");
    TIME_BAD("2018-02-30T00:00:00");
    TIME_BAD("2018-11-27T24:00:00");
    TIME_BAD("2018-11-27T21:60:00");
    TIME_BAD("2018-11-27T21:39:60");
    TIME_BAD("2018-11-27T21:39");
    TIME_BAD("2018-11-27");
    TIME_BAD("2018-11-27T");
    TIME_BAD("2018-11-27T21:39:0");
    TIME_BAD("abcd-ef-ghTij:kl:mn");
    TIME_BAD("2018-11-27T21:39:0a");
    TIME_BAD("2018-1a-27T21:39:00");
    TIME_BAD("2018/11/27T21:39:00");
    TIME_BAD("2018-11-27X21:39:00");
    TIME_BAD("2018-11-27T21-39-00");
    TIME_BAD("2018-11-27T21:39:00ZZ");
    TIME_BAD("2018-11-27T21:39:00+08:00");
    TIME_BAD("2018-11-27T21:39:00.000");
    TIME_BAD("2018-11-27T21:39:00 ");
    TIME_BAD(" 2018-11-27T21:39:00");
    TIME_BAD("+018-11-27T21:39:00");
    TIME_BAD("-018-11-27T21:39:00");
    TIME_BAD("2018-1-27T21:39:00");
    TIME_BAD("20181-11-27T21:39:00");
    TIME_BAD("2018-11-27T21:39:00Zx");
    TIME_BAD("2018-11-27  21:39:00");
    time_bad_n(__LINE__, "2018-11-27T21:39:00\0", 20);
    time_bad_n(__LINE__, "2018-11-27T21:39:00", 18);
    /* NULL arguments */
    CHECK_EQ(ges_parse_time(NULL, 19, &e), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_parse_time("2018-11-27T21:39:00", 19, NULL), GES_ERR_INVALID_ARG);
}

static void test_time_fields_in_body(void)
{
    /* invalid date: GES_OK, flagged invalid, raw kept, epoch not set */
    PARSE_OK("{\"beginTime\":\"2018-02-30T00:00:00\","
             "\"endTime\":\"2018-11-27 21:39:56\"}");
    CHECK_STR(st.begin_time, "2018-02-30T00:00:00");
    CHECK_EQ(st.invalid, GES_F_BEGIN_TIME);
    CHECK_EQ(st.begin_epoch, 0);
    CHECK_EQ(st.end_epoch, 1543354796LL);
    CHECK_EQ(st.present, GES_F_BEGIN_TIME | GES_F_END_TIME);

    PARSE_OK("{\"begin_time\":\"not a date\",\"end_time\":\"2100-02-29 00:00:00\"}");
    CHECK_EQ(st.invalid, GES_F_BEGIN_TIME | GES_F_END_TIME);
    CHECK_STR(st.begin_time, "not a date");
    CHECK_STR(st.end_time, "2100-02-29 00:00:00");

    /* "" is present and not a date */
    PARSE_OK("{\"beginTime\":\"\"}");
    CHECK_EQ(st.present, GES_F_BEGIN_TIME);
    CHECK_EQ(st.invalid, GES_F_BEGIN_TIME);

    /* null is not invalid */
    PARSE_OK("{\"beginTime\":null,\"endTime\":\"1970-01-01T00:00:00Z\"}");
    CHECK_EQ(st.null, GES_F_BEGIN_TIME);
    CHECK_EQ(st.invalid, 0);
    CHECK_EQ(st.end_epoch, 0);

    /* escapes are decoded before the date is read */
    PARSE_OK("{\"endTime\":\"2038-01-19T03\\u003a14\\u003A08\"}");
    CHECK_EQ(st.invalid, 0);
    CHECK_EQ(st.end_epoch, 2147483648LL);

    PARSE_OK("{\"endTime\":\"9999-12-31T23:59:59\"}");
    CHECK_EQ(st.end_epoch, 253402300799LL);

    /* a time too long for its field: cut, flagged, and not a date */
    PARSE_OK("{\"beginTime\":\"2018-11-27T21:39:00.000000000+08:00\"}");
    CHECK(st.truncated & GES_F_BEGIN_TIME);
    CHECK(st.invalid & GES_F_BEGIN_TIME);
    CHECK_EQ(st.begin_epoch, 0);
    CHECK_EQ(strlen(st.begin_time), GES_TIME_MAX);

    /* a time with an escaped NUL is not a date */
    PARSE_OK("{\"beginTime\":\"2018-11-27T21:39:00\\u0000\"}");
    CHECK_EQ(st.invalid, GES_F_BEGIN_TIME);
}

/* ------------------------------------------------------------------------- */
/* Numbers                                                                    */
/* ------------------------------------------------------------------------- */
static double progress_at(int line, const char *lit)
{
    b_reset();
    b_add("{\"jobProgress\":");
    b_add(lit);
    b_add("}");
    parse_at(line, big, big_len, GES_OK);
    CHECK_EQ(st.present, GES_F_JOB_PROGRESS);
    return st.job_progress;
}

#define PROGRESS_EXACT(lit, v)                                               \
    do {                                                                     \
        double got_ = progress_at(__LINE__, lit);                            \
        if (got_ != (v))                                                     \
            fprintf(stderr, "  jobProgress %s: got %.17g want %.17g\n", lit, \
                    got_, (double)(v));                                      \
        CHECK(got_ == (v));                                                  \
    } while (0)

#define PROGRESS_ULP(lit)                                                    \
    do {                                                                     \
        double got_ = progress_at(__LINE__, lit);                            \
        double want_ = strtod(lit, NULL);                                    \
        if (!within_ulp(got_, want_))                                        \
            fprintf(stderr, "  jobProgress %s: got %.17g want %.17g\n", lit, \
                    got_, want_);                                            \
        CHECK(within_ulp(got_, want_));                                      \
    } while (0)

static void test_job_progress(void)
{
    double z;
    PROGRESS_EXACT("0", 0.0);
    PROGRESS_EXACT("100", 100.0);
    PROGRESS_EXACT("1e2", 100.0);
    PROGRESS_EXACT("1E2", 100.0);
    PROGRESS_EXACT("1e+2", 100.0);
    PROGRESS_EXACT("100.0", 100.0);
    PROGRESS_EXACT("0.1", 0.1);
    PROGRESS_EXACT("37.5", 37.5);
    PROGRESS_EXACT("0.25", 0.25);
    PROGRESS_EXACT("-1", -1.0);
    PROGRESS_EXACT("0e0", 0.0);
    PROGRESS_EXACT("9007199254740992", 9007199254740992.0);
    PROGRESS_EXACT("1000000000000000000000", 1e21);
    z = progress_at(__LINE__, "-0.0");
    CHECK(z == 0.0 && signbit(z));
    z = progress_at(__LINE__, "-0");
    CHECK(z == 0.0 && signbit(z));
    PROGRESS_ULP("1.5E-3");
    PROGRESS_ULP("1.5e-3");
    PROGRESS_ULP("0.12345678901234567");
    PROGRESS_ULP("12.345678901234567");
    PROGRESS_ULP("99.999999999999986");
    PROGRESS_ULP("3.14159265358979323846264338327950288");
    PROGRESS_ULP("123456789012345678901234567890");
    PROGRESS_ULP("0.000000000000000000000000000001");
    PROGRESS_ULP("1e-7");
    PROGRESS_ULP("2.2250738585072014e-308");
    PROGRESS_ULP("-66.6666666666666667");
    PROGRESS_ULP("0.30000000000000004");
    PROGRESS_ULP("1234567.8901234567e-5");
    /* overflow of a double */
    EXPECT_ERR("{\"jobProgress\":1e400}", GES_ERR_JSON_NUMBER);
    EXPECT_ERR("{\"jobProgress\":-1e400}", GES_ERR_JSON_NUMBER);
    EXPECT_ERR("{\"jobProgress\":1e99999999999}", GES_ERR_JSON_NUMBER);
    EXPECT_ERR("{\"job_progress\":1.8e308}", GES_ERR_JSON_NUMBER);
}

/* Far from 0..100: the rule ("within 1 ulp for decimals") has no range. */
static void test_job_progress_far_range(void)
{
    PROGRESS_ULP("6.02214076e23");
    PROGRESS_ULP("1e300");
    PROGRESS_ULP("1.7976931348623157e308");
    PROGRESS_ULP("8.4391683711604447e-274");
    PROGRESS_ULP("172e-284");
    /* 2^80 - 1 rounds up to 2^80: the 53-bit mantissa carries over */
    {
        static const char b[] = "{\"jobProgress\":1208925819614629174706175}";
        CHECK_EQ(ges_job_parse(b, sizeof b - 1, &st), GES_OK);
        CHECK(st.job_progress == 1208925819614629174706176.0);
    }
    /* exact ties past 2^53 (no digit lost, no division): to even, down
     * when the kept bits end in 0, up when they end in 1 */
    CHECK(progress_at(__LINE__, "9007199254740993") == 9007199254740992.0);
    CHECK(progress_at(__LINE__, "9007199254740995") == 9007199254740996.0);
    CHECK(progress_at(__LINE__, "-9007199254740995") == -9007199254740996.0);
}

static void lines_ok(int line, const char *lit, long long want)
{
    const ges_job_file_t *f;
    b_reset();
    b_add("{\"jobDetail\":{\"edgesetPath\":[{\"totalLines\":");
    b_add(lit);
    b_add(",\"failedLines\":");
    b_add(lit);
    b_add(",\"successfulLines\":");
    b_add(lit);
    b_add("}],\"vertexset_path\":[{\"total_lines\":");
    b_add(lit);
    b_add("}]}}");
    parse_at(line, big, big_len, GES_OK);
    f = &st.sets[GES_SET_EDGESET].entries[0];
    if (f->total_lines != want || f->failed_lines != want ||
        f->successful_lines != want ||
        st.sets[GES_SET_VERTEXSET].entries[0].total_lines != want)
        fprintf(stderr, "  [line %d] lines %s: got %lld\n", line, lit,
                (long long)f->total_lines);
    CHECK_EQ(f->total_lines, want);
    CHECK_EQ(f->failed_lines, want);
    CHECK_EQ(f->successful_lines, want);
    CHECK_EQ(f->present, GES_FF_TOTAL_LINES | GES_FF_FAILED_LINES |
                             GES_FF_SUCCESSFUL_LINES);
    CHECK_EQ(f->null, 0);
    CHECK_EQ(st.sets[GES_SET_VERTEXSET].entries[0].total_lines, want);
}

static void lines_bad(int line, const char *lit, ges_err_t want)
{
    b_reset();
    b_add("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"p\",\"totalLines\":");
    b_add(lit);
    b_add("}]}}");
    expect_err_at(line, big, big_len, want, want);
    b_reset();
    b_add("{\"job_detail\":{\"vertexset_path\":[{\"successful_lines\":");
    b_add(lit);
    b_add(",\"path\":\"p\"}]}}");
    expect_err_at(line, big, big_len, want, want);
}

static void test_line_counts(void)
{
    lines_ok(__LINE__, "-1", -1);
    lines_ok(__LINE__, "0", 0);
    lines_ok(__LINE__, "-0", 0);
    lines_ok(__LINE__, "1", 1);
    lines_ok(__LINE__, "4294967296", 4294967296LL);
    lines_ok(__LINE__, "9223372036854775807", INT64_MAX);
    lines_ok(__LINE__, "-9223372036854775808", INT64_MIN);
    lines_bad(__LINE__, "9223372036854775808", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "-9223372036854775809", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "18446744073709551616", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "100000000000000000000000", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "1.5", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "-0.5", GES_ERR_JSON_NUMBER);
    /* integral values written with a fraction or an exponent are integers
     * (issue 13); anything with a non-zero fraction is not */
    lines_ok(__LINE__, "1e6", 1000000);
    lines_ok(__LINE__, "1E+6", 1000000);
    lines_ok(__LINE__, "25.0", 25);
    lines_ok(__LINE__, "2.5e1", 25);
    lines_ok(__LINE__, "-1.000e3", -1000);
    lines_ok(__LINE__, "100e-2", 1);
    lines_ok(__LINE__, "0e99999", 0);
    lines_ok(__LINE__, "0.0", 0);
    lines_ok(__LINE__, "9.223372036854775807e18", INT64_MAX);
    lines_ok(__LINE__, "-9.223372036854775808E18", INT64_MIN);
    lines_ok(__LINE__, "1000000000000000000.0000000000000", 1000000000000000000LL);
    lines_bad(__LINE__, "1e-1", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "15e-1", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "9.223372036854775808e18", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "1e19", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "1e99999999999", GES_ERR_JSON_NUMBER);
    lines_bad(__LINE__, "1.00000000000000000001", GES_ERR_JSON_NUMBER); /* 21 digits, the last lost */
    lines_bad(__LINE__, "0.000000000000000000000001", GES_ERR_JSON_NUMBER);
}

/* Underflow rounds like strtod (glibc's is correctly rounded), subnormals
 * and zero included; it is not an error (issue 13). */
static void test_job_progress_underflow(void)
{
    static const char *const lits[] = {
        "1e-999",
        "-1e-999",
        "1e-400",
        "4.9406564584124654e-324",
        "5e-324",
        "3e-324",
        "2.4703282292062328e-324",
        "2.4703282292062327e-324",
        "2.470328229206232e-324",
        "1e-310",
        "-1e-320",
        "-1e-330", /* below 2^-1075 past the shortcut for e < -343: -0.0 */
        "2.2250738585072009e-308",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "4.4501477170144023e-308",
        "1.5e-323",
        "7.4e-323",
        "1234567890123456789e-340",
        "0.0000000000000000000000000000001e-300",
    };
    size_t i;
    for (i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        double want = strtod(lits[i], NULL), got = progress_at(__LINE__, lits[i]);
        if (memcmp(&got, &want, sizeof got) != 0) { /* bit for bit: the sign of 0 too */
            fprintf(stderr, "  jobProgress %s: got %.17g want %.17g\n", lits[i], got, want);
            CHECK(0);
        }
    }
}

/* Random decimals against strtod (glibc's is correctly rounded), fixed seed:
 * with up to 19 significant digits (every digit kept) the same double bit
 * for bit, or GES_ERR_JSON_NUMBER where strtod overflows; longer ones
 * (digits past the 19th dropped) within 1 ulp, the largest double counting
 * as 1 ulp from an overflow. Integer, fraction and
 * exponent lengths of every size, exact ties past 2^53 and their neighbours,
 * doubles printed with 1..19 digits, the subnormal and overflow edges. */
static uint64_t prop_state = 0x9E3779B97F4A7C15ull;
static uint64_t prop_rand(void) /* xorshift64 */
{
    prop_state ^= prop_state << 13;
    prop_state ^= prop_state >> 7;
    prop_state ^= prop_state << 17;
    return prop_state;
}

static char *prop_digits(char *q, int n, int lead)
{
    int i;
    for (i = 0; i < n; i++)
        *q++ = (char)('0' + (i == 0 && lead ? 1 + prop_rand() % 9 : prop_rand() % 10));
    return q;
}

/* newlib's strtod (the C library of the firmware build, make
 * test-firmware) is not correctly rounded on every subnormal: for
 * -1235595738006314815e-326 it gives -1.2355957380063151e-308, one ulp off
 * the exact value's rounding, -1.2355957380063146e-308 (glibc's, Python's
 * and ours). There a subnormal reference is trusted to 1 ulp only. */
static int ref_loose(double want)
{
#ifdef __NEWLIB__
    return want != 0.0 && fabs(want) < DBL_MIN;
#else
    (void)want;
    return 0;
#endif
}

static void test_job_progress_random(void)
{
    static const char pre[] = "{\"jobProgress\":";
    char b[160];
    long i, exact = 0, over = 0, sub = 0, bad = 0;
    for (i = 0; i < 100000 && bad < 10; i++) {
        char *s = b + sizeof pre - 1, *q = s, *p;
        unsigned kind = (unsigned)(prop_rand() % 6);
        int sig = 0, lost = 0, x;
        double want, got;
        ges_err_t e;
        memcpy(b, pre, sizeof pre - 1);
        if (prop_rand() % 4 == 0) *q++ = '-';
        if (kind <= 2) { /* 1..40 integer digits, 0..40 fraction digits, exponent */
            if (prop_rand() % 3 == 0)
                *q++ = '0';
            else
                q = prop_digits(q, 1 + (int)(prop_rand() % 40), 1);
            if (prop_rand() % 2) {
                int z = (int)(prop_rand() % 30) * (int)(prop_rand() % 2);
                *q++ = '.';
                while (z-- > 0) *q++ = '0';
                q = prop_digits(q, 1 + (int)(prop_rand() % 40), 0);
            }
            if (kind != 0) {
                x = (int)(prop_rand() % 801) - 400;
                q += sprintf(q, "%s%d", x >= 0 && prop_rand() % 2 ? "E+" : "e", x);
            }
        } else if (kind == 3) { /* an exact tie past 2^53, or 1 or 2 away */
            int k = 1 + (int)(prop_rand() % 10);
            uint64_t m = (prop_rand() >> 11) | (1ull << 52);
            uint64_t t = ((m << k) | (1ull << (k - 1))) + (uint64_t)(prop_rand() % 5) - 2u;
            q += sprintf(q, "%llu", (unsigned long long)t);
        } else if (kind == 4) {                                  /* any double, printed with 1..19 digits */
            uint64_t bits = prop_rand() & 0x7FEFFFFFFFFFFFFFull; /* finite */
            double d;
            memcpy(&d, &bits, sizeof d);
            q += sprintf(q, "%.*e", (int)(prop_rand() % 19), d);
        } else { /* the subnormal and the overflow edges */
            q = prop_digits(q, 1 + (int)(prop_rand() % 19), 1);
            x = prop_rand() % 2 ? -300 - (int)(prop_rand() % 60) : 280 + (int)(prop_rand() % 40);
            q += sprintf(q, "e%d", x);
        }
        *q = '\0';
        for (p = s; *p != '\0' && *p != 'e' && *p != 'E'; p++) {
            if (*p < '0' || *p > '9' || (sig == 0 && *p == '0')) continue;
            if (++sig > 19 && *p != '0') lost = 1;
        }
        want = strtod(s, NULL);
        *q++ = '}';
        e = ges_job_parse(b, (size_t)(q - b), &st);
        got = st.job_progress;
        if (isinf(want)) { /* overflow; with a digit dropped, 1 ulp below is right too */
            over++;
            if (e == GES_ERR_JSON_NUMBER || (lost && e == GES_OK && fabs(got) == DBL_MAX)) continue;
        } else if (e == GES_OK && (lost || ref_loose(want) ? within_ulp(got, want)
                                                           : memcmp(&got, &want, sizeof got) == 0)) {
            exact += !lost;
            sub += !lost && want != 0.0 && fabs(want) < DBL_MIN;
            continue;
        }
        bad++;
        *--q = '\0';
        fprintf(stderr, "  jobProgress %s: %s %.17g, strtod %.17g\n", s, ges_strerror(e), got, want);
    }
    CHECK_EQ(bad, 0);
    /* the generator reached what it is for */
    CHECK(exact > 50000 && over > 3000 && sub > 2000);
}

/* ges_parser_feed takes at most GES_BODY_MAX bytes in all (issue 13): the
 * bytes up to the bound are parsed, one more is an error, however split. */
static void test_feed_bound(void)
{
    static char sp[1 << 16];
    static const char doc[] = "{\"jobId\":\"x\"}";
    unsigned long total = GES_BODY_MAX, k;
    int split;
    memset(sp, ' ', sizeof sp);
    for (split = 0; split < 2; split++) {
        ges_parser_t p;
        ges_err_t e;
        unsigned long fed = sizeof doc - 1;
        ges_parser_init(&p, &st, NULL, 0);
        e = ges_parser_feed(&p, doc, sizeof doc - 1);
        while (e == GES_OK && fed < total) { /* whitespace up to the bound */
            k = total - fed < sizeof sp ? total - fed : sizeof sp;
            e = ges_parser_feed(&p, sp, k);
            fed += k;
        }
        CHECK_EQ(e, GES_OK);
        CHECK_EQ(ges_parser_offset(&p), total);
        /* one byte more: alone, or inside a larger piece */
        e = split ? ges_parser_feed(&p, sp, 1) : ges_parser_feed(&p, sp, sizeof sp);
        CHECK_EQ(e, GES_ERR_HTTP_BODY_TOO_LARGE);
        CHECK_EQ(ges_parser_offset(&p), total);
        CHECK_EQ(ges_parser_finish(&p), GES_ERR_HTTP_BODY_TOO_LARGE);
    }
}

static const char *const bad_numbers[] = {
    "01",
    "00",
    "-01",
    "1.",
    "-1.",
    ".5",
    "-.5",
    "-",
    "1e",
    "1E",
    "1e+",
    "1e-",
    "+1",
    "0x10",
    "--1",
    "1.e5",
    "1ee2",
    "1.2.3",
    "1e2.5",
    "Infinity",
    "-Infinity",
    "NaN",
    "1 2",
    "- 1",
    "0.5.",
    "1e5e5",
};

/* Grammar: the same bad numbers wherever they appear. */
static void test_number_grammar(void)
{
    static const char *const pre[] = {
        "{\"jobProgress\":",
        "{\"x\":",
        "{\"x\":[",
    };
    static const char *const post[] = {"}", "}", "]}"};
    size_t i, p;
    for (i = 0; i < sizeof bad_numbers / sizeof bad_numbers[0]; i++) {
        for (p = 0; p < sizeof pre / sizeof pre[0]; p++) {
            b_reset();
            b_add(pre[p]);
            b_add(bad_numbers[i]);
            b_add(post[p]);
            EXPECT_ERR_BIG(GES_ERR_JSON_SYNTAX);
        }
    }
    /* valid numbers in unknown members are skipped */
    PARSE_OK("{\"a\":0,\"b\":-0,\"c\":0.0,\"d\":1e5,\"e\":1E+5,\"f\":1e-5,"
             "\"g\":-1.5e10,\"h\":123456789012345678901234567890,"
             "\"i\":[0,-0.0e-0,1,2.5],\"jobId\":\"j\"}");
    CHECK_STR(st.job_id, "j");
    CHECK_EQ(st.present, GES_F_JOB_ID);
}

/* The same in a line count (a known integer field of an entry). */
static void test_number_grammar_line_counts(void)
{
    size_t i;
    for (i = 0; i < sizeof bad_numbers / sizeof bad_numbers[0]; i++) {
        b_reset();
        b_add("{\"jobDetail\":{\"schemaPath\":[{\"totalLines\":");
        b_add(bad_numbers[i]);
        b_add("}]}}");
        EXPECT_ERR_BIG(GES_ERR_JSON_SYNTAX);
        b_reset();
        b_add("{\"jobDetail\":{\"schemaPath\":[{\"failedLines\":");
        b_add(bad_numbers[i]);
        b_add(",\"path\":\"p\"}]}}");
        EXPECT_ERR_BIG(GES_ERR_JSON_SYNTAX);
    }
}

/* ------------------------------------------------------------------------- */
/* Unknown members, keys                                                      */
/* ------------------------------------------------------------------------- */
static void test_unknown_top(void)
{
    PARSE_OK("{\"u1\":\"s\",\"u2\":123,\"u3\":-1.5e10,\"u4\":true,\"u5\":false,"
             "\"u6\":null,\"u7\":[],\"u8\":{},"
             "\"u9\":[1,\"a\",null,true,false,{\"b\":[{\"c\":{}}]},[[[]]]],"
             "\"u10\":{\"a\":{\"b\":{\"c\":[1,2,{\"d\":\"e\"}]}}},"
             "\"jobId\":\"J\","
             "\"u11\":\"\\u00e9\\n\\\"\\\\\",\"u12\":[{},{},[{}]],"
             "\"\":\"empty key\",\"u13\":{\"\":[]}}");
    CHECK_STR(st.job_id, "J");
    CHECK_EQ(st.present, GES_F_JOB_ID);
    CHECK_EQ(st.null, 0);
}

static void test_unknown_long_values(void)
{
    b_reset();
    b_add("{\"u\":\"");
    b_pattern(100000);
    b_add("\",\"v\":[");
    b_rep("123456789,", 2000);
    b_add("0],\"w\":{\"x\":\"");
    b_rep("\\u00e9", 3000);
    b_add("\"},\"status\":\"failed\"}");
    CHECK(!big_overflow);
    PARSE_BIG_OK();
    CHECK_EQ(st.present, GES_F_STATUS);
    CHECK_EQ(st.job_state, GES_JOB_FAILED);
}

static void test_unknown_nested_known_names(void)
{
    PARSE_OK("{\"x\":{\"jobId\":\"NO\",\"status\":\"failed\","
             "\"jobDetail\":{\"schemaPath\":[{\"path\":\"NO\"}]}},"
             "\"y\":[{\"jobId\":\"NO\"},{\"errorCode\":\"NO\"}],"
             "\"jobId\":\"J\",\"z\":{\"error\":{\"code\":\"NO\"}}}");
    CHECK_STR(st.job_id, "J");
    CHECK_EQ(st.present, GES_F_JOB_ID);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 0);
    CHECK_STR(st.error_code, "");

    /* names of other levels used at the wrong level are unknown */
    PARSE_OK("{\"schemaPath\":[{\"path\":\"x\"}],\"path\":\"p\",\"cause\":\"c\","
             "\"schema_path\":[],\"log\":null,\"totalLines\":5}");
    CHECK_EQ(st.present, 0);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 0);
}

static void test_unknown_in_detail(void)
{
    PARSE_OK("{\"jobDetail\":{\"x\":[1,{\"schemaPath\":[{\"path\":\"NO\"}]}],"
             "\"schemaPath\":[{\"path\":\"p\"}],"
             "\"y\":{\"edgesetPath\":[{\"path\":\"NO\"}]},\"z\":null,\"w\":\"s\","
             "\"v\":-1.25,\"t\":true,\"jobId\":\"NO\",\"path\":\"NO\"}}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(GES_SET_SCHEMA));
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 1);
    CHECK_STR(st.sets[GES_SET_SCHEMA].entries[0].path, "p");
    CHECK_EQ(st.sets[GES_SET_EDGESET].count, 0);
    CHECK_STR(st.job_id, "");
}

static void test_unknown_in_entries(void)
{
    const ges_job_file_t *f;
    PARSE_OK("{\"jobDetail\":{\"vertexsetPath\":[{\"x\":{\"path\":\"NO\"},"
             "\"path\":\"p\",\"y\":[{\"status\":\"failed\"},[[]]],\"z\":true,"
             "\"status\":\"success\",\"w\":-0.5e-3,\"n\":null,\"jobId\":\"NO\","
             "\"schemaPath\":[{\"path\":\"NO\"}],\"s\":\"str\"},"
             "{\"q\":{}}]}}");
    CHECK_EQ(st.sets[GES_SET_VERTEXSET].count, 2);
    f = &st.sets[GES_SET_VERTEXSET].entries[0];
    CHECK_STR(f->path, "p");
    CHECK_STR(f->status, "success");
    CHECK_EQ(f->present, GES_FF_PATH | GES_FF_STATUS);
    CHECK(file_is_zero(&st.sets[GES_SET_VERTEXSET].entries[1]));
    CHECK_STR(st.job_id, "");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 0);
}

static void test_escaped_keys(void)
{
    PARSE_OK("{\"job\\u0049d\":\"X\"}");
    CHECK_STR(st.job_id, "X");
    CHECK_EQ(st.present, GES_F_JOB_ID);
    PARSE_OK("{\"\\u006a\\u006f\\u0062\\u0049\\u0064\":\"Y\"}");
    CHECK_STR(st.job_id, "Y");
    PARSE_OK("{\"st\\u0061tus\":\"failed\",\"job\\/Id\":\"NO\"}");
    CHECK_EQ(st.job_state, GES_JOB_FAILED);
    CHECK_EQ(st.present, GES_F_STATUS);
    PARSE_OK("{\"jobDet\\u0061il\":{\"schema\\u0050ath\":[{\"p\\u0061th\":\"q\","
             "\"tot\\u0061lLines\":7}]}}");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 1);
    CHECK_STR(st.sets[GES_SET_SCHEMA].entries[0].path, "q");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].entries[0].total_lines, 7);
    PARSE_OK("{\"error\":{\"c\\u006fde\":\"E\"}}");
    CHECK_STR(st.error_code, "E");
    PARSE_OK("{\"\\u0065rror\":{\"code\":\"E2\"}}");
    CHECK_STR(st.error_code, "E2");
}

static void test_near_miss_keys(void)
{
    /* keys that are not known names, however close */
    PARSE_OK("{\"jobId\\u0000\":\"X\",\"jobI\":\"X\",\"JOBID\":\"X\",\"jobid\":\"X\","
             "\"jobIdX\":\"X\",\"jobId \":\"X\",\" jobId\":\"X\","
             "\"jobIdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\":\"X\","
             "\"successfulLinesXXXXXXXXXXXXXXXX\":1,"
             "\"aaaaaaaaaaaaaaaaaaaa\":1,\"aaaaaaaaaaaaaaaaaaaaa\":2,"
             "\"errorCodeerrorCodeerrorCode\":\"X\"}");
    CHECK_EQ(st.present, 0);
    CHECK_STR(st.job_id, "");
    PARSE_OK("{\"jobDetail\":{\"schemaPathX\":[{}],\"schemaPat\":[{}],"
             "\"edgesetPathedgesetPathedgesetPath\":[{}],"
             "\"vertexsetPath\":[{\"pathpathpathpathpathpathpath\":\"X\","
             "\"successfulLinesXXXXXXXXXXXXXXXX\":1,\"statu\":\"failed\"}]}}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(GES_SET_VERTEXSET));
    CHECK_EQ(st.sets[GES_SET_VERTEXSET].entries[0].present, 0);
    /* a very long key */
    b_reset();
    b_add("{\"");
    b_pattern(5000);
    b_add("\":{\"jobId\":\"NO\"},\"jobId\":\"J\"}");
    PARSE_BIG_OK();
    CHECK_STR(st.job_id, "J");
    CHECK_EQ(st.present, GES_F_JOB_ID);
}

/* ------------------------------------------------------------------------- */
/* Malformed documents                                                        */
/* ------------------------------------------------------------------------- */
static void test_not_object(void)
{
    EXPECT_ERR("[]", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR("[1,2]", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR(" [ {\"jobId\":\"x\"} ] ", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR("\"x\"", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR("1", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR("-2.5e3", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR("true", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR("false", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR("null", GES_ERR_JSON_NOT_OBJECT);
    EXPECT_ERR(" \n null \n", GES_ERR_JSON_NOT_OBJECT);
}

/* A non-JSON, non-object top level: both codes describe it. */
static void test_not_object_invalid(void)
{
    expect_err_at(__LINE__, "[tru]", 5, GES_ERR_JSON_SYNTAX, GES_ERR_JSON_NOT_OBJECT);
    expect_err_at(__LINE__, "[01]", 4, GES_ERR_JSON_SYNTAX, GES_ERR_JSON_NOT_OBJECT);
    expect_err_at(__LINE__, "[1,]", 4, GES_ERR_JSON_SYNTAX, GES_ERR_JSON_NOT_OBJECT);
    expect_err_at(__LINE__, "tru", 3, GES_ERR_JSON_SYNTAX, GES_ERR_JSON_NOT_OBJECT);
}

static void test_syntax_errors(void)
{
    EXPECT_ERR("{\"x\":[tru]}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"x\":[01]}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":1,}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\" \"b\"}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobId\" \"b\"}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobId\":nul}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobDetail\":nulll}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":truee}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":t}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":fals}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":falsy}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":True}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":NULL}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":1 \"b\":2}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{,\"a\":1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{,}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\"::1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{:1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\"}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":1,,\"b\":1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":[1 2]}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":[,1]}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":[1,,2]}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":[1,]}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":[\"x\":1]}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{1:2}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{true:1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{null:1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{{}:1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{a:1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{'a':1}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":'x'}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":{\"b\"}}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":{\"b\":1,}}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":\"b\":\"c\"}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":\"x\"y\"}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"a\":1:2}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"p\",}]}}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{},]}}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{}{}]}}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[],}}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"error\":{\"code\":\"x\",}}", GES_ERR_JSON_SYNTAX);
    /* a syntax error in an entry past GES_PATHS_MAX is still found */
    build_set(0, GES_SET_SCHEMA, GES_PATHS_MAX + 2);
    big_len -= 4; /* drop "}]}}" */
    b_add(",}]}}");
    EXPECT_ERR_BIG(GES_ERR_JSON_SYNTAX);
}

/* A broken literal where a known member's value goes: the body is not JSON,
 * which is SYNTAX ("literals" in the header's text); "tru" has no JSON type
 * to be wrong. */
static void test_broken_literal_in_known_field(void)
{
    EXPECT_ERR("{\"jobId\":tru}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobProgress\":tru}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobDetail\":fals}", GES_ERR_JSON_SYNTAX);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"totalLines\":tru}]}}",
               GES_ERR_JSON_SYNTAX);
}

static void test_trailing(void)
{
    EXPECT_ERR("{\"jobId\":\"x\"} garbage", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{\"jobId\":\"x\"}x", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{}{}", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{} {}", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{}}", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{}]", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{},", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{}1", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{}\0", GES_ERR_JSON_TRAILING);
    EXPECT_ERR("{} \n \"x\"", GES_ERR_JSON_TRAILING);
    PARSE_OK("{\"jobId\":\"x\"} \t\r\n");
    CHECK_STR(st.job_id, "x");
    PARSE_OK("{}");
    CHECK_EQ(st.present, 0);
}

static void test_incomplete(void)
{
    EXPECT_ERR("", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR(" \r\n\t ", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{ ", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"job", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobId\"", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobId\":", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobId\":\"ab", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobId\":\"ab\\", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobId\":\"ab\"", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobId\":\"ab\",", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"a\":tr", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"a\":true", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"a\":1", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"a\":[1,2", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"a\":{\"b\":", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"p\"}", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"p\"}]}", GES_ERR_JSON_INCOMPLETE);
    /* the seed body cut anywhere is incomplete */
    {
        size_t cut;
        for (cut = 0; cut < sizeof SEED_200 - 1; cut += 37)
            expect_err_at(__LINE__, SEED_200, cut, GES_ERR_JSON_INCOMPLETE,
                          GES_ERR_JSON_INCOMPLETE);
        /* everything but the closing brace (the body ends "}\n") */
        expect_err_at(__LINE__, SEED_200, (size_t)(strrchr(SEED_200, '}') - SEED_200),
                      GES_ERR_JSON_INCOMPLETE, GES_ERR_JSON_INCOMPLETE);
    }
}

/* Mismatched brackets: the header files them under INCOMPLETE ("the
 * document ended early or is unbalanced"). */
static void test_unbalanced(void)
{
    EXPECT_ERR("{\"a\":[}]", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"a\":{]}", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"a\":[[]}", GES_ERR_JSON_INCOMPLETE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"p\"]}}", GES_ERR_JSON_INCOMPLETE);
}

static void test_wrong_types(void)
{
    EXPECT_ERR("{\"jobId\":5}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobId\":true}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobId\":false}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobId\":{}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobId\":[]}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"job_id\":5}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"status\":1}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"beginTime\":20181127}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"errorCode\":8301}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"error_msg\":[\"x\"]}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobProgress\":\"50\"}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobProgress\":true}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobProgress\":[]}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"job_progress\":{}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":[]}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":\"x\"}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":1}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":false}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"job_detail\":[]}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":{}}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":\"x\"}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"edgesetPath\":true}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[1]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[\"x\"]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[[]]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"path\":1}]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"status\":{}}]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"totalLines\":\"5\"}]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"failedLines\":true}]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"jobDetail\":{\"schemaPath\":[{\"successful_lines\":[]}]}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"error\":{\"code\":5}}", GES_ERR_JSON_TYPE);
    EXPECT_ERR("{\"error\":{\"message\":{}}}", GES_ERR_JSON_TYPE);
    /* after valid members too */
    EXPECT_ERR("{\"jobId\":\"ok\",\"status\":\"running\",\"jobProgress\":\"50\"}",
               GES_ERR_JSON_TYPE);
}

static void build_depth_arrays(const char *pre, unsigned used, unsigned total,
                               const char *post)
{
    b_reset();
    b_add(pre);
    b_rep("[", total - used);
    b_rep("]", total - used);
    b_add(post);
}

static void test_depth(void)
{
    const unsigned D = GES_JSON_MAX_DEPTH;
    /* levels counted with the top-level object as 1 */
    build_depth_arrays("{\"x\":", 1, D, "}");
    PARSE_BIG_OK();
    build_depth_arrays("{\"x\":", 1, D + 1, "}");
    EXPECT_ERR_BIG(GES_ERR_JSON_DEPTH);

    b_reset();
    b_rep("{\"x\":", D - 1);
    b_add("{}");
    b_rep("}", D - 1);
    PARSE_BIG_OK();
    b_reset();
    b_rep("{\"x\":", D);
    b_add("{}");
    b_rep("}", D);
    EXPECT_ERR_BIG(GES_ERR_JSON_DEPTH);

    /* inside a file entry: top, jobDetail, set, entry = 4 levels */
    build_depth_arrays("{\"jobDetail\":{\"schemaPath\":[{\"x\":", 4, D,
                       "}]},\"jobId\":\"J\"}");
    PARSE_BIG_OK();
    CHECK_STR(st.job_id, "J");
    build_depth_arrays("{\"jobDetail\":{\"schemaPath\":[{\"x\":", 4, D + 1,
                       "}]},\"jobId\":\"J\"}");
    EXPECT_ERR_BIG(GES_ERR_JSON_DEPTH);

    /* in the error object */
    build_depth_arrays("{\"error\":{\"x\":", 2, D, "}}");
    PARSE_BIG_OK();
    build_depth_arrays("{\"error\":{\"x\":", 2, D + 1, "}}");
    EXPECT_ERR_BIG(GES_ERR_JSON_DEPTH);

    /* very deep and never closed: depth, found before the end */
    b_reset();
    b_add("{\"x\":");
    b_rep("[", 5000);
    EXPECT_ERR_BIG(GES_ERR_JSON_DEPTH);
    b_reset();
    b_rep("{\"x\":", 3000);
    EXPECT_ERR_BIG(GES_ERR_JSON_DEPTH);
}

/* ------------------------------------------------------------------------- */
/* Duplicates: the last value wins                                            */
/* ------------------------------------------------------------------------- */
static void test_duplicates_strings(void)
{
    PARSE_OK("{\"jobId\":\"a\",\"jobId\":\"b\"}");
    CHECK_STR(st.job_id, "b");
    CHECK_EQ(st.len[GES_FI_JOB_ID], 1);
    PARSE_OK("{\"jobId\":\"first-long\",\"job_id\":\"b\"}");
    CHECK_STR(st.job_id, "b");
    CHECK(all_zero(st.job_id + 1, sizeof st.job_id - 1));

    b_reset();
    b_add("{\"jobId\":\"");
    b_pattern(GES_ID_MAX + 5);
    b_add("\",\"jobId\":\"short\"}");
    PARSE_BIG_OK();
    CHECK_STR(st.job_id, "short");
    CHECK_EQ(st.truncated, 0);
    CHECK_EQ(ges_job_truncated(&st), 0);

    b_reset();
    b_add("{\"jobId\":\"short\",\"jobId\":\"");
    b_pattern(GES_ID_MAX + 5);
    b_add("\"}");
    PARSE_BIG_OK();
    CHECK(pattern_ok(st.job_id, GES_ID_MAX));
    CHECK_EQ(st.truncated, GES_F_JOB_ID);

    PARSE_OK("{\"jobId\":\"a\",\"jobId\":null}");
    CHECK_EQ(st.present, GES_F_JOB_ID);
    CHECK_EQ(st.null, GES_F_JOB_ID);
    CHECK_STR(st.job_id, "");
    PARSE_OK("{\"jobId\":null,\"jobId\":\"a\"}");
    CHECK_EQ(st.present, GES_F_JOB_ID);
    CHECK_EQ(st.null, 0);
    CHECK_STR(st.job_id, "a");

    PARSE_OK("{\"status\":\"success\",\"status\":\"running\"}");
    CHECK_STR(st.status, "running");
    CHECK_EQ(st.job_state, GES_JOB_RUNNING);
    PARSE_OK("{\"status\":\"success\",\"status\":\"bogus\"}");
    CHECK_EQ(st.job_state, GES_JOB_UNKNOWN);

    PARSE_OK("{\"jobProgress\":5,\"jobProgress\":7.5}");
    CHECK(st.job_progress == 7.5);
    PARSE_OK("{\"jobProgress\":5,\"jobProgress\":null}");
    CHECK_EQ(st.null, GES_F_JOB_PROGRESS);

    PARSE_OK("{\"beginTime\":\"2018-02-30T00:00:00\",\"beginTime\":\"2018-11-27T21:39:00\"}");
    CHECK_EQ(st.invalid, 0);
    CHECK_EQ(st.begin_epoch, 1543354740LL);
    PARSE_OK("{\"beginTime\":\"2018-11-27T21:39:00\",\"beginTime\":\"bad\"}");
    CHECK_EQ(st.invalid, GES_F_BEGIN_TIME);
    CHECK_STR(st.begin_time, "bad");

    PARSE_OK("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"a\",\"status\":\"failed\","
             "\"path\":\"b\",\"status\":\"success\",\"totalLines\":1,\"totalLines\":2}]}}");
    CHECK_STR(st.sets[GES_SET_SCHEMA].entries[0].path, "b");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].entries[0].file_state, GES_FILE_SUCCESS);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].entries[0].total_lines, 2);

    PARSE_OK("{\"errorCode\":\"A\",\"error\":{\"code\":\"B\"}}");
    CHECK_STR(st.error_code, "B");
}

/* A status followed by a null status: the enum must follow the last value. */
static void test_duplicate_status_then_null(void)
{
    PARSE_OK("{\"status\":\"success\",\"status\":null}");
    CHECK_STR(st.status, "");
    CHECK_EQ(st.null, GES_F_STATUS);
    CHECK_EQ(st.job_state, GES_JOB_UNKNOWN);
    CHECK_EQ(ges_job_status_is_terminal(st.job_state), 0);
    PARSE_OK("{\"jobDetail\":{\"schemaPath\":[{\"status\":\"failed\","
             "\"status\":null}]}}");
    CHECK_STR(st.sets[GES_SET_SCHEMA].entries[0].status, "");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].entries[0].null, GES_FF_STATUS);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].entries[0].file_state, GES_FILE_UNKNOWN);
}

static void test_duplicates_sets(void)
{
    PARSE_OK("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"a\"},{\"path\":\"b\","
             "\"cause\":\"c\"}],\"schemaPath\":[{\"path\":\"d\"}]}}");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 1);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].kept, 1);
    CHECK_STR(st.sets[GES_SET_SCHEMA].entries[0].path, "d");
    CHECK(file_is_zero(&st.sets[GES_SET_SCHEMA].entries[1]));

    build_set(0, GES_SET_EDGESET, GES_PATHS_MAX + 3);
    big_len -= 2; /* drop "}}" */
    big[big_len] = '\0';
    b_add(",\"edgesetPath\":[{\"path\":\"only\"}]}}");
    PARSE_BIG_OK();
    CHECK_EQ(st.sets[GES_SET_EDGESET].count, 1);
    CHECK_EQ(st.sets[GES_SET_EDGESET].kept, 1);
    CHECK_EQ(st.truncated, 0);
    CHECK_EQ(ges_job_truncated(&st), 0);
    CHECK_STR(st.sets[GES_SET_EDGESET].entries[0].path, "only");
    CHECK(file_is_zero(&st.sets[GES_SET_EDGESET].entries[1]));

    PARSE_OK("{\"jobDetail\":{\"vertexsetPath\":[{\"path\":\"a\"}],"
             "\"vertexsetPath\":null}}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(GES_SET_VERTEXSET));
    CHECK_EQ(st.null, GES_F_SET(GES_SET_VERTEXSET));
    CHECK_EQ(st.sets[GES_SET_VERTEXSET].count, 0);
    CHECK(file_is_zero(&st.sets[GES_SET_VERTEXSET].entries[0]));

    PARSE_OK("{\"jobDetail\":{\"vertexsetPath\":null,"
             "\"vertexsetPath\":[{\"path\":\"a\"}]}}");
    CHECK_EQ(st.null, 0);
    CHECK_EQ(st.sets[GES_SET_VERTEXSET].count, 1);
}

/* A duplicated jobDetail replaces the whole earlier one. */
static void test_duplicates_job_detail(void)
{
    PARSE_OK("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"a\"}],"
             "\"edgesetPath\":[{\"path\":\"e\"}]},"
             "\"jobDetail\":{\"schemaPath\":[{\"path\":\"b\"}]}}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL | GES_F_SET(GES_SET_SCHEMA));
    CHECK_STR(st.sets[GES_SET_SCHEMA].entries[0].path, "b");
    CHECK_EQ(st.sets[GES_SET_EDGESET].count, 0);
    CHECK(file_is_zero(&st.sets[GES_SET_EDGESET].entries[0]));

    PARSE_OK("{\"jobDetail\":{\"schemaPath\":[{\"path\":\"a\"}]},\"jobDetail\":null}");
    CHECK_EQ(st.present, GES_F_JOB_DETAIL);
    CHECK_EQ(st.null, GES_F_JOB_DETAIL);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 0);
}

/* ------------------------------------------------------------------------- */
/* Streaming                                                                  */
/* ------------------------------------------------------------------------- */
/* Explicitly every split point, whatever g_stream_level. */
static void stream_all(int line, const char *s, size_t n)
{
    int saved = g_stream_level;
    g_stream_level = 2;
    check_stream(line, s, n);
    g_stream_level = saved;
}

static void test_stream_bodies(void)
{
    stream_all(__LINE__, SEED_200, sizeof SEED_200 - 1);
    stream_all(__LINE__, SEED_400, sizeof SEED_400 - 1);
    stream_all(__LINE__, V2_200, sizeof V2_200 - 1);
    build_set(1, GES_SET_VERTEXSET, GES_PATHS_MAX + 3);
    stream_all(__LINE__, big, big_len);
    b_reset();
    b_add("{\"jobId\":\"x\\u00e9\\ud83d\\ude00\xE2\x82\xACy\",\"jobName\":\"");
    b_pattern(GES_NAME_MAX + 2);
    b_add("\",\"jobProgress\":12.345678901234567e-1,\"u\":[{\"a\":[1,2,{}]}],"
          "\"beginTime\":\"2018-02-30T00:00:00\"}");
    stream_all(__LINE__, big, big_len);
}

/* Byte by byte, every work size, into a struct pre-filled with garbage:
 * ges_parser_init() resets it and the named fields match ges_job_parse(). */
static void test_stream_garbage_out(void)
{
    static ges_job_status_t ref, got;
    size_t w, i;
    memset(&ref, 0, sizeof ref);
    CHECK_EQ(ges_job_parse(SEED_200, sizeof SEED_200 - 1, &ref), GES_OK);
    for (w = 0; w < N_WORK; w++) {
        memset(&got, 0x5A, sizeof got);
        ges_parser_init(&g_parser, &got, WORK_SIZES[w] ? g_work : NULL,
                        WORK_SIZES[w]);
        for (i = 0; i < sizeof SEED_200 - 1; i++)
            CHECK_EQ(ges_parser_feed(&g_parser, SEED_200 + i, 1), GES_OK);
        CHECK_EQ(ges_parser_finish(&g_parser), GES_OK);
        /* compare every named field (padding may differ) */
        CHECK(memcmp(got.job_id, ref.job_id, sizeof ref.job_id) == 0);
        CHECK(memcmp(got.status, ref.status, sizeof ref.status) == 0);
        CHECK(memcmp(got.error_message, ref.error_message,
                     sizeof ref.error_message) == 0);
        CHECK(memcmp(got.len, ref.len, sizeof ref.len) == 0);
        CHECK_EQ(got.present, ref.present);
        CHECK_EQ(got.null, ref.null);
        CHECK_EQ(got.begin_epoch, ref.begin_epoch);
        CHECK_EQ(got.sets[0].count, 1);
        CHECK(memcmp(got.sets[0].entries[0].path, ref.sets[0].entries[0].path,
                     sizeof ref.sets[0].entries[0].path) == 0);
        CHECK(file_is_zero(&got.sets[0].entries[1]));
        CHECK_EQ(got.http_status, 0);
    }
}

static void test_stream_sticky_and_state(void)
{
    static ges_job_status_t out;
    ges_err_t e;
    /* errors are sticky */
    ges_parser_init(&g_parser, &out, g_work, sizeof g_work);
    e = ges_parser_feed(&g_parser, "{\"a\":tru}", 9);
    if (e == GES_OK)
        e = ges_parser_finish(&g_parser);
    CHECK_EQ(e, GES_ERR_JSON_SYNTAX);
    CHECK_EQ(ges_parser_feed(&g_parser, "{}", 2), GES_ERR_JSON_SYNTAX);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_ERR_JSON_SYNTAX);
    CHECK(is_reset(&out, 0));

    /* an error in the first feed, data after it is not looked at */
    ges_parser_init(&g_parser, &out, NULL, 0);
    CHECK_EQ(ges_parser_feed(&g_parser, "[]", 2), GES_ERR_JSON_NOT_OBJECT);
    CHECK_EQ(ges_parser_feed(&g_parser, "{\"jobId\":\"x\"}", 13),
             GES_ERR_JSON_NOT_OBJECT);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_ERR_JSON_NOT_OBJECT);
    CHECK(is_reset(&out, 0));

    /* feed after finish */
    ges_parser_init(&g_parser, &out, g_work, 64);
    CHECK_EQ(ges_parser_feed(&g_parser, "{\"jobId\":\"x\"}", 13), GES_OK);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_OK);
    CHECK_STR(out.job_id, "x");
    CHECK_EQ(ges_parser_feed(&g_parser, " ", 1), GES_ERR_STATE);

    /* empty feeds are harmless */
    ges_parser_init(&g_parser, &out, g_work, 16);
    CHECK_EQ(ges_parser_feed(&g_parser, "", 0), GES_OK);
    CHECK_EQ(ges_parser_feed(&g_parser, "{\"jobId\":", 9), GES_OK);
    CHECK_EQ(ges_parser_feed(&g_parser, "", 0), GES_OK);
    CHECK_EQ(ges_parser_feed(&g_parser, "\"y\"}", 4), GES_OK);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_OK);
    CHECK_STR(out.job_id, "y");
}

/* The parser leaves http_status alone: it is the client's. */
static void test_stream_http_status_kept(void)
{
    static ges_job_status_t out;
    ges_parser_init(&g_parser, &out, g_work, 64);
    out.http_status = 404;
    CHECK_EQ(ges_parser_feed(&g_parser, SEED_400, sizeof SEED_400 - 1), GES_OK);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_OK);
    CHECK_EQ(out.http_status, 404);
    CHECK_STR(out.error_code, "GES.8301");

    ges_parser_init(&g_parser, &out, g_work, 64);
    out.http_status = 502;
    (void)ges_parser_feed(&g_parser, "{\"jobId\":\"abc\",\"x\":[01]}", 24);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_ERR_JSON_SYNTAX);
    CHECK(is_reset(&out, 502));

    /* ges_job_parse: http_status is 0 */
    memset(&st, 0, sizeof st);
    st.http_status = 200;
    CHECK_EQ(ges_job_parse("{}", 2, &st), GES_OK);
    CHECK_EQ(st.http_status, 0);
}

/* ges_parser_offset() reports where the parser stopped; that place cannot
 * depend on how the body was cut (checked on every error case above). */
static void test_error_offset_split_independent(void)
{
    CHECK_EQ(g_offset_bad, 0);
}

static void test_sticky_errors_everywhere(void)
{
    /* counted over every streamed error case above */
    CHECK_EQ(g_sticky_bad, 0);
}

/* Many members and values, far more than GES_JSON_MAX_TOKENS in one piece. */
static void test_wide_document(void)
{
    unsigned i;
    b_reset();
    b_add("{");
    for (i = 0; i < 3000; i++) {
        b_add("\"u");
        b_ll(i);
        b_add("\":");
        b_ll(i);
        b_add(",");
    }
    b_add("\"arr\":[");
    for (i = 0; i < 10000; i++)
        b_add("0,");
    b_add("0],\"objs\":[");
    for (i = 0; i < 2000; i++)
        b_add("{},");
    b_add("{}],\"jobDetail\":{\"schemaPath\":[");
    for (i = 0; i < 2000; i++)
        b_add("{\"path\":\"p\",\"a\":1,\"b\":2,\"c\":[3,4,5]},");
    b_add("{}]},\"jobId\":\"J\"}");
    CHECK(!big_overflow);
    PARSE_BIG_OK();
    CHECK_STR(st.job_id, "J");
    CHECK_EQ(st.sets[GES_SET_SCHEMA].count, 2001);
    CHECK_EQ(st.sets[GES_SET_SCHEMA].kept, GES_PATHS_MAX);
}

/* ------------------------------------------------------------------------- */
/* Arguments, init, strerror                                                  */
/* ------------------------------------------------------------------------- */
static void test_null_args(void)
{
    static ges_job_status_t out;
    CHECK_EQ(ges_job_parse(NULL, 2, &out), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_job_parse("{}", 2, NULL), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_parser_feed(NULL, "{}", 2), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_parser_finish(NULL), GES_ERR_INVALID_ARG);
    ges_parser_init(&g_parser, &out, NULL, 0);
    CHECK_EQ(ges_parser_feed(&g_parser, NULL, 2), GES_ERR_INVALID_ARG);
    ges_parser_init(NULL, &out, NULL, 0); /* nothing to start: no effect */
    CHECK_EQ(ges_parser_offset(NULL), 0u);
    /* no data at all is no error, and changes nothing */
    ges_parser_init(&g_parser, &out, NULL, 0);
    CHECK_EQ(ges_parser_feed(&g_parser, NULL, 0), GES_OK);
    CHECK_EQ(ges_parser_feed(&g_parser, "{\"jobId\":\"abc\"}", 15), GES_OK);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_OK);
    CHECK(out.len[GES_FI_JOB_ID] == 3 && memcmp(out.job_id, "abc", 3) == 0);
    CHECK_EQ(ges_parser_offset(&g_parser), 15u);
    /* a work size past INT_MAX is taken as none: the same result */
    ges_parser_init(&g_parser, &out, g_work, (size_t)INT_MAX + 1u);
    CHECK_EQ(ges_parser_feed(&g_parser, "{\"jobId\":\"abc\"}", 15), GES_OK);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_OK);
    CHECK(out.len[GES_FI_JOB_ID] == 3 && memcmp(out.job_id, "abc", 3) == 0);
    CHECK_EQ(ges_parse_time(NULL, 0, NULL), GES_ERR_INVALID_ARG);
    /* a parser started without a result struct refuses to run */
    ges_parser_init(&g_parser, NULL, NULL, 0);
    CHECK_EQ(ges_parser_feed(&g_parser, "{}", 2), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_parser_finish(&g_parser), GES_ERR_INVALID_ARG);
}

static void test_status_init(void)
{
    memset(&st, 0xC3, sizeof st);
    ges_job_status_init(&st);
    CHECK(is_reset(&st, 0));
}

/* Every ges_err_t has its own non-empty text; with GES_ERROR_TEXTS=0
 * (build/test_parse_texts0) the text is "E" and the value. A value that is
 * not a ges_err_t gives the fallback, which is no code's text. */
static void test_strerror(void)
{
    static const ges_err_t codes[] = {
        GES_OK,
        GES_ERR_INVALID_ARG,
        GES_ERR_BUFFER_TOO_SMALL,
        GES_ERR_NET_CONNECT,
        GES_ERR_NET_SEND,
        GES_ERR_NET_RECV,
        GES_ERR_NET_CLOSED,
        GES_ERR_TIMEOUT,
        GES_ERR_PROXY,
        GES_ERR_TLS,
        GES_ERR_TLS_CERT,
        GES_ERR_HTTP,
        GES_ERR_HTTP_HEADERS_TOO_LARGE,
        GES_ERR_HTTP_BODY_TOO_LARGE,
        GES_ERR_HTTP_FRAMING,
        GES_ERR_HTTP_ENCODING,
        GES_ERR_SERVICE,
        GES_ERR_JSON_SYNTAX,
        GES_ERR_JSON_ESCAPE,
        GES_ERR_JSON_UTF8,
        GES_ERR_JSON_INCOMPLETE,
        GES_ERR_JSON_NOT_OBJECT,
        GES_ERR_JSON_TOKENS,
        GES_ERR_JSON_NUMBER,
        GES_ERR_JSON_TYPE,
        GES_ERR_JSON_DEPTH,
        GES_ERR_JSON_TRAILING,
        GES_ERR_CANCELLED,
        GES_ERR_STATE,
    };
    /* values every ABI's ges_err_t holds: on arm-none-eabi enums are as
     * small as their values (AAPCS), one byte here, so INT_MIN would arrive
     * as 0 (GES_OK) and INT_MAX as -1 */
    static const int unknown[] = {-128, -72, -60, -41, -3, 1, 100, 127};
    const char *fallback = ges_strerror((ges_err_t)-100);
    size_t i, j;
    CHECK(fallback != NULL && fallback[0] != '\0');
    CHECK(strcmp(fallback, GES_ERROR_TEXTS ? "unknown error" : "E?") == 0);
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK(ges_strerror((ges_err_t)unknown[i]) == fallback);
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *a = ges_strerror(codes[i]);
        char want[16];
        CHECK(a != NULL && a[0] != '\0');
        if (a == NULL) continue;
        CHECK(strcmp(a, fallback) != 0);
        CHECK(ges_strerror(codes[i]) == a); /* static: the same text each time */
        snprintf(want, sizeof want, "E%d", (int)codes[i]);
        CHECK((strcmp(a, want) == 0) == !GES_ERROR_TEXTS);
        for (j = 0; j < i; j++)
            CHECK(strcmp(a, ges_strerror(codes[j])) != 0);
    }
#if GES_ERROR_TEXTS
    CHECK(strcmp(ges_strerror(GES_OK), "success") == 0);
    CHECK(strcmp(ges_strerror(GES_ERR_STATE), "call out of order") == 0);
#endif
}

int main(void)
{
    build_targets();

    RUN(test_seed_200);
    RUN(test_seed_200_crlf);
    RUN(test_seed_400);
    RUN(test_v2_shape);
    RUN(test_v1_line_counts);
    RUN(test_error_shapes);

    RUN(test_job_status_mapping);
    RUN(test_job_status_embedded_nul);
    RUN(test_is_terminal);
    RUN(test_file_status_mapping);

    RUN(test_presence_strings);
    RUN(test_presence_numbers);
    RUN(test_presence_sets);

    RUN(test_truncation_bounds);
    RUN(test_truncation_utf8_straddle);
    RUN(test_truncation_sets);
    RUN(test_truncation_entry_field);
    RUN(test_truncation_huge_value);
    RUN(test_truncated_function);

    RUN(test_escapes_valid);
    RUN(test_escapes_invalid);
    RUN(test_utf8_raw_valid);
    RUN(test_utf8_raw_invalid);
    RUN(test_control_chars);

    RUN(test_parse_time_valid);
    RUN(test_parse_time_invalid);
    RUN(test_time_fields_in_body);

    RUN(test_job_progress);
    RUN(test_job_progress_far_range);
    RUN(test_line_counts);
    RUN(test_job_progress_underflow);
    RUN(test_job_progress_random);
    RUN(test_feed_bound);
    RUN(test_number_grammar);
    RUN(test_number_grammar_line_counts);

    RUN(test_unknown_top);
    RUN(test_unknown_long_values);
    RUN(test_unknown_nested_known_names);
    RUN(test_unknown_in_detail);
    RUN(test_unknown_in_entries);
    RUN(test_escaped_keys);
    RUN(test_near_miss_keys);

    RUN(test_not_object);
    RUN(test_not_object_invalid);
    RUN(test_syntax_errors);
    RUN(test_broken_literal_in_known_field);
    RUN(test_trailing);
    RUN(test_incomplete);
    RUN(test_unbalanced);
    RUN(test_wrong_types);
    RUN(test_depth);

    RUN(test_duplicates_strings);
    RUN(test_duplicate_status_then_null);
    RUN(test_duplicates_sets);
    RUN(test_duplicates_job_detail);

    RUN(test_stream_bodies);
    RUN(test_stream_garbage_out);
    RUN(test_stream_sticky_and_state);
    RUN(test_stream_http_status_kept);
    RUN(test_wide_document);
    RUN(test_sticky_errors_everywhere);
    RUN(test_error_offset_split_independent);

    RUN(test_null_args);
    RUN(test_status_init);
    RUN(test_strerror);

    return harness_done();
}
