/*
 * libFuzzer harness: ges_job_parse() on arbitrary bytes.
 *
 * Build (from the repository root; tests/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *       -I. -Iport/posix tests/fuzz/fuzz_parse.c \
 *       -lmbedtls -lmbedx509 -lmbedcrypto -o build/fuzz/fuzz_parse
 * or without libFuzzer, replaying files (tests/fuzz/standalone.c):
 *   gcc -std=c99 -I. -Iport/posix tests/fuzz/fuzz_parse.c \
 *       tests/fuzz/standalone.c -lmbedtls -lmbedx509 -lmbedcrypto
 *
 * Checks, for every input (abort() on the first violation):
 *   1. ges_job_parse() returns GES_OK or a GES_ERR_JSON_* code (never
 *      GES_ERR_JSON_TOKENS, which the framer's budget rules out), and writes
 *      the whole struct (it is filled with garbage first);
 *   2. on error the struct equals a fresh ges_job_status_init() (memcmp);
 *   3. on success, fz_check_status(): every string NUL-terminated within its
 *      char[N+1], strlen <= len[] <= N, field[len] == '\0', zero past len,
 *      len 0 when absent or null, valid UTF-8 (decoded \u0000 allowed), a
 *      cut value within 3 bytes of its bound; bits consistent (null and
 *      truncated imply present, never both); kept == min(count,
 *      GES_PATHS_MAX), the set's truncated bit iff count > GES_PATHS_MAX,
 *      entries past kept untouched; job_state / file_state / epochs derived
 *      from the stored text; null and absent numbers are 0;
 *   4. the same input through ges_parser_init/feed/finish, split at 2-3
 *      points derived from a hash of the input (1 in 8: one byte at a time)
 *      with a work buffer of 0..600 bytes (exactly allocated, so ASan sees
 *      any overrun), gives the same error code and the same struct (memcmp)
 *      as ges_job_parse(), and the same error offset as a one-shot feed;
 *      errors are sticky (later feeds and finish return the same code and
 *      leave the struct reset); after a successful finish, feed and finish
 *      return GES_ERR_STATE and change nothing;
 *   5. the error offset is honest: the bytes before it feed without error,
 *      and the byte at it gives the same error;
 *   6. when nothing was cut, the struct written back as JSON (v1 or v2
 *      names, top-level or nested error shape, chosen from the hash) parses
 *      back to the very same struct.
 *
 * SPDX-License-Identifier: MIT
 */
#ifdef FZ_SMALL_CONFIG
#include "fuzz_small_config.h" /* every bound at its smallest */
#endif
#include "../assert_on.h" /* GES_ASSERT is assert() */
#include "../../ges_job.c"
#include "fuzz_common.h"

#define FZ_WORK_MAX 600

static int fz_is_json_err(ges_err_t e)
{
    return e == GES_OK || e == GES_ERR_JSON_SYNTAX || e == GES_ERR_JSON_ESCAPE ||
           e == GES_ERR_JSON_UTF8 || e == GES_ERR_JSON_INCOMPLETE ||
           e == GES_ERR_JSON_NOT_OBJECT || e == GES_ERR_JSON_NUMBER ||
           e == GES_ERR_JSON_TYPE || e == GES_ERR_JSON_DEPTH ||
           e == GES_ERR_JSON_TRAILING;
}

/* ------------------------------------------------------------------------- */
/* 4. Incremental parse at split points                                       */
/* ------------------------------------------------------------------------- */
typedef struct {
    ges_err_t err;
    unsigned long long offset;
} fz_run_t;

/* Feed data[0..n) cut at cuts[0..ncut) (ascending, within 0..n), or one
 * byte at a time when ncut is (size_t)-1; then finish. */
static fz_run_t fz_incremental(const uint8_t *data, size_t n, size_t work_len,
                               const size_t *cuts, size_t ncut,
                               ges_job_status_t *out)
{
    ges_parser_t p;
    fz_run_t r;
    char *work = (char *)malloc(work_len ? work_len : 1);
    size_t from = 0, i;
    ges_err_t e = GES_OK, first = GES_OK;
    int one_by_one = ncut == (size_t)-1;

    FZ_CHECK(work != NULL, "harness: out of memory");
    memset(out, 0xA5, sizeof *out);
    ges_parser_init(&p, out, work, work_len);
    for (i = 0; from < n || i == 0; i++) {
        size_t to;
        if (one_by_one) {
            to = from + 1 > n ? n : from + 1;
        } else {
            to = i < ncut ? cuts[i] : n;
        }
        e = ges_parser_feed(&p, (const char *)data + from, to - from);
        if (first != GES_OK) {
            FZ_CHECK(e == first, "errors are sticky: later feeds return the same code");
            FZ_CHECK(fz_is_reset(out, 0), "after an error the struct stays reset");
        } else if (e != GES_OK) {
            first = e;
            FZ_CHECK(fz_is_reset(out, 0), "a failed feed resets the struct");
        }
        from = to;
        if (n == 0) break;
    }
    e = ges_parser_finish(&p);
    if (first != GES_OK) {
        FZ_CHECK(e == first, "finish after an error returns that error");
    }
    r.err = e;
    r.offset = ges_parser_offset(&p);
    if (e == GES_OK) {
        ges_job_status_t copy;
        memcpy(&copy, out, sizeof copy);
        FZ_CHECK(ges_parser_feed(&p, "{", 1) == GES_ERR_STATE, "feed after finish: GES_ERR_STATE");
        FZ_CHECK(ges_parser_finish(&p) == GES_ERR_STATE, "finish twice: GES_ERR_STATE");
        FZ_CHECK(memcmp(&copy, out, sizeof copy) == 0, "feed after finish changes nothing");
        FZ_CHECK(r.offset == n, "success: every byte counted in the offset");
    } else {
        FZ_CHECK(fz_is_reset(out, 0), "a failed parse leaves the struct reset");
        FZ_CHECK(r.offset <= n, "error offset within the input");
    }
    free(work);
    return r;
}

/* ------------------------------------------------------------------------- */
/* 6. Writing the struct back as JSON                                         */
/* ------------------------------------------------------------------------- */
typedef struct {
    char b[65536];
    size_t n;
    fz_rng_t rng;
} fz_out_t;

static fz_out_t fz_json; /* static: too big for a comfortable stack */

static void fz_put(fz_out_t *o, const char *s, size_t n)
{
    FZ_CHECK(n <= sizeof o->b - o->n, "harness: serialiser buffer too small");
    memcpy(o->b + o->n, s, n);
    o->n += n;
}

static void fz_puts(fz_out_t *o, const char *s) { fz_put(o, s, strlen(s)); }

static void fz_put_jstr(fz_out_t *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    fz_put(o, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2];
            e[0] = '\\';
            e[1] = (char)c;
            fz_put(o, e, 2);
        } else if (c == '/' && (fz_next(&o->rng) & 3) == 0) {
            fz_put(o, "\\/", 2);
        } else if (c < 0x20 || (c < 0x80 && (fz_next(&o->rng) & 15) == 0)) {
            char e[6];
            e[0] = '\\';
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            fz_put(o, e, 6);
        } else {
            fz_put(o, (const char *)&c, 1);
        }
    }
    fz_put(o, "\"", 1);
}

static void fz_put_key(fz_out_t *o, int *first, const char *v1, const char *v2)
{
    const char *k = (fz_next(&o->rng) & 1) ? v2 : v1;
    if (!*first) fz_put(o, ",", 1);
    *first = 0;
    fz_put_jstr(o, k, strlen(k));
    fz_put(o, ":", 1);
}

static void fz_put_str_member(fz_out_t *o, int *first, const char *v1,
                              const char *v2, const char *s, unsigned len,
                              uint32_t present, uint32_t null, uint32_t bit)
{
    if (!(present & bit)) return;
    fz_put_key(o, first, v1, v2);
    if (null & bit) fz_puts(o, "null");
    else fz_put_jstr(o, s, len);
}

FZ_UNUSED static void fz_put_i64_member(fz_out_t *o, int *first, const char *v1,
                              const char *v2, int64_t v, uint32_t present,
                              uint32_t null, uint32_t bit)
{
    char num[32];
    if (!(present & bit)) return;
    fz_put_key(o, first, v1, v2);
    if (null & bit) {
        fz_puts(o, "null");
        return;
    }
    snprintf(num, sizeof num, "%lld", (long long)v);
    fz_puts(o, num);
}

/* The top level's number members, expanded from GES_JOB_FIELDS. */
typedef struct {
    const char *v1, *v2;
    size_t off;
    unsigned idx;
    int is_f64;
} fz_numfield_t;
#define FZ_NUM_STR(i, m, k1, k2)
#define FZ_NUM_DETAIL(i, m, k1, k2)
#define FZ_NUM_F64(i, m, k1, k2) {k1, k2, offsetof(ges_job_status_t, m), (i), 1},
#define FZ_NUM_I64(i, m, k1, k2) {k1, k2, offsetof(ges_job_status_t, m), (i), 0},
#define FZ_TOP_NUM(NAME, m, k1, k2, KIND, c) FZ_NUM_##KIND(GES_FI_##NAME, m, k1, k2)
static const fz_numfield_t fz_top_num[] = { GES_JOB_FIELDS(FZ_TOP_NUM) };

static void fz_serialise(fz_out_t *o, const ges_job_status_t *st)
{
#define FZ_SET_KEYS(NAME, k1, k2) {k1, k2},
    static const char *const set_keys[GES_SET_COUNT][2] = { GES_SETS(FZ_SET_KEYS) };
    int first = 1, nested = (fz_next(&o->rng) & 3) == 0;
    size_t i;
    unsigned s;
    fz_puts(o, "{");
    for (i = 0; i < FZ_N(fz_top_str); i++) {
        const fz_strfield_t *f = &fz_top_str[i];
        if (nested && (f->idx == GES_FI_ERROR_CODE || f->idx == GES_FI_ERROR_MESSAGE)) continue;
        fz_put_str_member(o, &first, f->v1, f->v2, (const char *)st + f->off,
                          st->len[f->idx], st->present, st->null, 1u << f->idx);
    }
    if (nested && (st->present & (GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE))) {
        int efirst = 1;
        fz_put_key(o, &first, "error", "error");
        fz_puts(o, "{");
        fz_put_str_member(o, &efirst, "code", "code", st->error_code,
                          st->len[GES_FI_ERROR_CODE], st->present, st->null,
                          GES_F_ERROR_CODE);
        fz_put_str_member(o, &efirst, "message", "message", st->error_message,
                          st->len[GES_FI_ERROR_MESSAGE], st->present, st->null,
                          GES_F_ERROR_MESSAGE);
        fz_puts(o, "}");
    }
    for (i = 0; i < FZ_N(fz_top_num); i++) { /* jobProgress and any other number */
        const fz_numfield_t *g = &fz_top_num[i];
        uint32_t bit = 1u << g->idx;
        char num[40];
        if (!(st->present & bit)) continue;
        if (!g->is_f64) {
            int64_t v;
            memcpy(&v, (const char *)st + g->off, sizeof v);
            fz_put_i64_member(o, &first, g->v1, g->v2, v, st->present, st->null, bit);
            continue;
        }
        fz_put_key(o, &first, g->v1, g->v2);
        if (st->null & bit) {
            fz_puts(o, "null");
        } else {
            double v;
            memcpy(&v, (const char *)st + g->off, sizeof v);
            snprintf(num, sizeof num, "%.17g", v);
            fz_puts(o, num);
        }
    }
    if (st->present & GES_F_JOB_DETAIL) {
        fz_put_key(o, &first, "jobDetail", "job_detail");
        if (st->null & GES_F_JOB_DETAIL) {
            fz_puts(o, "null");
        } else {
            int dfirst = 1;
            fz_puts(o, "{");
            for (s = 0; s < GES_SET_COUNT; s++) {
                const ges_job_fileset_t *fs = &st->sets[s];
                uint32_t k;
                if (!(st->present & GES_F_SET(s))) continue;
                fz_put_key(o, &dfirst, set_keys[s][0], set_keys[s][1]);
                if (st->null & GES_F_SET(s)) {
                    fz_puts(o, "null");
                    continue;
                }
                fz_puts(o, "[");
                for (k = 0; k < fs->kept; k++) {
#if GES_PATHS_MAX > 0
                    const ges_job_file_t *e = &fs->entries[k];
                    int efirst = 1;
                    size_t j;
                    if (k) fz_puts(o, ",");
                    fz_puts(o, "{");
                    for (j = 0; j < FZ_N(fz_ent_str); j++) {
                        const fz_strfield_t *g = &fz_ent_str[j];
                        fz_put_str_member(o, &efirst, g->v1, g->v2,
                                          (const char *)e + g->off, e->len[g->idx],
                                          e->present, e->null, 1u << g->idx);
                    }
                    for (j = 0; j < FZ_N(fz_ent_i64); j++) {
                        const fz_i64field_t *g = &fz_ent_i64[j];
                        int64_t v;
                        memcpy(&v, (const char *)e + g->off, sizeof v);
                        fz_put_i64_member(o, &efirst, g->v1, g->v2, v, e->present,
                                          e->null, 1u << g->idx);
                    }
                    fz_puts(o, "}");
#endif
                }
                fz_puts(o, "]");
            }
            fz_puts(o, "}");
        }
    }
    fz_puts(o, "}");
}

/* ------------------------------------------------------------------------- */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ges_job_status_t a, b, c; /* static: several KiB each */
    fz_rng_t rng;
    ges_err_t e;
    fz_run_t one, split;
    size_t cuts[3], ncut, work_len, i;

    if (data == NULL) data = (const uint8_t *)"";
    rng.s = fz_hash(data, size);

    /* 1-3: the one-call API */
    memset(&a, 0xA5, sizeof a);
    e = ges_job_parse((const char *)data, size, &a);
    FZ_CHECK(fz_is_json_err(e) || (e == GES_ERR_HTTP_BODY_TOO_LARGE && size > GES_BODY_MAX),
             "ges_job_parse returns GES_OK, a GES_ERR_JSON_* code, or BODY_TOO_LARGE "
             "past GES_BODY_MAX");
    if (e != GES_OK) {
        FZ_CHECK(fz_is_reset(&a, 0), "on error the struct equals ges_job_status_init()");
    } else {
        fz_check_status(&a);
        FZ_CHECK(a.http_status == 0, "ges_job_parse leaves http_status 0");
    }

    /* 4: one-shot feed with ges_job_parse's work size, then split feeds */
    one = fz_incremental(data, size, GES_PARSE_WORK, NULL, 0, &b);
    FZ_CHECK(one.err == e, "one-shot feed: same code as ges_job_parse");
    FZ_CHECK(memcmp(&a, &b, sizeof a) == 0, "one-shot feed: same struct as ges_job_parse");

    switch (fz_below(&rng, 4)) {
    case 0: work_len = fz_below(&rng, 16); break;  /* direct mode, tiny pieces */
    case 1: work_len = 8 + fz_below(&rng, 56); break;
    default: work_len = fz_below(&rng, FZ_WORK_MAX + 1); break;
    }
    if (fz_below(&rng, 8) == 0) {
        ncut = (size_t)-1; /* one byte at a time */
    } else {
        ncut = 2 + fz_below(&rng, 2);
        for (i = 0; i < ncut; i++) cuts[i] = fz_below(&rng, size + 1);
        /* ascending */
        for (i = 1; i < ncut; i++) {
            size_t j = i;
            while (j > 0 && cuts[j - 1] > cuts[j]) {
                size_t t = cuts[j];
                cuts[j] = cuts[j - 1];
                cuts[j - 1] = t;
                j--;
            }
        }
    }
    split = fz_incremental(data, size, work_len, cuts, ncut, &c);
    if (split.err != e || memcmp(&a, &c, sizeof a) != 0 || split.offset != one.offset) {
        fprintf(stderr, "work_len %lu, cuts:", (unsigned long)work_len);
        if (ncut == (size_t)-1) fprintf(stderr, " every byte");
        else for (i = 0; i < ncut; i++) fprintf(stderr, " %lu", (unsigned long)cuts[i]);
        fprintf(stderr, "; whole: %d at %llu, split: %d at %llu\n", (int)e,
                one.offset, (int)split.err, split.offset);
    }
    FZ_CHECK(split.err == e, "split feed: same code as ges_job_parse");
    FZ_CHECK(memcmp(&a, &c, sizeof a) == 0, "split feed: same struct as ges_job_parse");
    FZ_CHECK(split.offset == one.offset, "split feed: same error offset");

    /* 5: the error offset is where the input stopped being valid */
    if (e != GES_OK && one.offset < size) {
        ges_parser_t p;
        char work[GES_PARSE_WORK];
        ges_parser_init(&p, &b, work, sizeof work);
        FZ_CHECK(ges_parser_feed(&p, (const char *)data, (size_t)one.offset) == GES_OK,
                 "the bytes before the error offset feed cleanly");
        FZ_CHECK(ges_parser_feed(&p, (const char *)data + one.offset, 1) == e,
                 "the byte at the error offset gives the error");
    } else if (e != GES_OK) {
        FZ_CHECK(e == GES_ERR_JSON_INCOMPLETE,
                 "an error found at the end of the input is 'incomplete'");
    }

    /* 6: write it back, parse it again */
    if (e == GES_OK && !ges_job_truncated(&a)) {
        fz_json.n = 0;
        fz_json.rng.s = rng.s ^ 0x5EEDu;
        fz_serialise(&fz_json, &a);
        memset(&b, 0xA5, sizeof b);
        e = ges_job_parse(fz_json.b, fz_json.n, &b);
        if (e != GES_OK || memcmp(&a, &b, sizeof a) != 0) {
            fprintf(stderr, "re-serialised (%d): %.*s\n", (int)e, (int)fz_json.n, fz_json.b);
        }
        FZ_CHECK(e == GES_OK, "the struct written back as JSON parses");
        FZ_CHECK(memcmp(&a, &b, sizeof a) == 0, "the struct written back as JSON parses to itself");
    }
    return 0;
}
