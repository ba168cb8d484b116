/*
 * Shared by the fuzz harnesses (fuzz_parse.c, fuzz_http.c, fuzz_request.c).
 * Each harness includes ../../ges_job.c first (to reach its internals), then
 * this file. Nothing here is part of the library.
 *
 * What lives here:
 *   - FZ_CHECK: report the violated invariant on stderr, then abort(), so
 *     libFuzzer (or the standalone driver) records the input as a crash;
 *   - a hash of the input and a small PRNG seeded from it, from which the
 *     harnesses derive split points, work-buffer sizes and the like, so a
 *     given input always replays the same way;
 *   - fz_check_status(): every invariant a ges_job_status_t must satisfy
 *     after a successful parse, whatever the input was;
 *   - fz_is_reset(): "the struct is as ges_job_status_init() leaves it,
 *     but for http_status" (what every failed call must leave).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_FUZZ_COMMON_H
#define GES_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not every harness uses every helper. */
#if defined(__GNUC__)
#define FZ_UNUSED __attribute__((unused))
#else
#define FZ_UNUSED
#endif

FZ_UNUSED static void fz_fail(const char *file, int line, const char *what,
                    const char *cond)
{
    fprintf(stderr, "%s:%d: invariant violated: %s [%s]\n", file, line, what,
            cond);
    fflush(stderr);
    abort();
}

#define FZ_CHECK(cond, what)                                                 \
    do {                                                                     \
        if (!(cond)) fz_fail(__FILE__, __LINE__, (what), #cond);             \
    } while (0)

/* ------------------------------------------------------------------------- */
/* Deterministic randomness from the input                                    */
/* ------------------------------------------------------------------------- */
FZ_UNUSED static uint64_t fz_hash(const uint8_t *d, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a, 64 bit */
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= d[i];
        h *= 1099511628211ull;
    }
    h ^= (uint64_t)n;
    return h;
}

typedef struct {
    uint64_t s;
} fz_rng_t;

FZ_UNUSED static uint64_t fz_next(fz_rng_t *r) /* splitmix64 */
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* 0..n-1 (n > 0) */
FZ_UNUSED static size_t fz_below(fz_rng_t *r, size_t n)
{
    return (size_t)(fz_next(r) % (uint64_t)n);
}

/* ------------------------------------------------------------------------- */
/* Independent references                                                     */
/* ------------------------------------------------------------------------- */
/* 1 if s[0..n) is valid UTF-8 (RFC 3629: no overlongs, no surrogates,
 * <= U+10FFFF). A NUL byte is U+0000 and valid: the parser stores a
 * decoded \u0000 as a NUL byte. */
FZ_UNUSED static int fz_utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t need;
        unsigned lo = 0x80, hi = 0xBF, k;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return 0;
        }
        if (n - i - 1 < need) return 0;
        for (k = 1; k <= need; k++) {
            unsigned b = s[i + k];
            if (b < lo || b > hi) return 0;
            lo = 0x80;
            hi = 0xBF;
        }
        i += need + 1;
    }
    return 1;
}

FZ_UNUSED static int fz_eq(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

FZ_UNUSED static ges_job_state_t fz_job_state(const char *s, size_t n)
{
    if (fz_eq(s, n, "pending") || fz_eq(s, n, "waiting")) return GES_JOB_PENDING;
    if (fz_eq(s, n, "running")) return GES_JOB_RUNNING;
    if (fz_eq(s, n, "success") || fz_eq(s, n, "complete")) return GES_JOB_SUCCESS;
    if (fz_eq(s, n, "failed")) return GES_JOB_FAILED;
    if (fz_eq(s, n, "partiallyFailed")) return GES_JOB_PARTIALLY_FAILED;
    return GES_JOB_UNKNOWN;
}

FZ_UNUSED static ges_file_state_t fz_file_state(const char *s, size_t n)
{
    if (fz_eq(s, n, "success")) return GES_FILE_SUCCESS;
    if (fz_eq(s, n, "failed")) return GES_FILE_FAILED;
    if (fz_eq(s, n, "partFailed")) return GES_FILE_PART_FAILED;
    return GES_FILE_UNKNOWN;
}

/* ------------------------------------------------------------------------- */
/* The struct's invariants                                                    */
/* ------------------------------------------------------------------------- */
/* The string members, expanded from ges_job.h's GES_JOB_FIELDS /
 * GES_FILE_FIELDS: a field added there is checked and round-tripped here. */
typedef struct {
    const char *name;
    const char *v1, *v2; /* JSON keys */
    size_t off;  /* offset of the char[cap + 1] */
    size_t cap;  /* bound N */
    unsigned idx; /* bit and len[] index */
} fz_strfield_t;

#define FZ_STR_STR(t, i, m, k1, k2, c) {#m, k1, k2, offsetof(t, m), (c), (i)},
#define FZ_STR_F64(t, i, m, k1, k2, c)
#define FZ_STR_I64(t, i, m, k1, k2, c)
#define FZ_STR_DETAIL(t, i, m, k1, k2, c)
#define FZ_TOP(NAME, m, k1, k2, KIND, c) \
    FZ_STR_##KIND(ges_job_status_t, GES_FI_##NAME, m, k1, k2, c)
#define FZ_ENT(NAME, m, k1, k2, KIND, c) \
    FZ_STR_##KIND(ges_job_file_t, GES_FE_##NAME, m, k1, k2, c)
static const fz_strfield_t fz_top_str[] = { GES_JOB_FIELDS(FZ_TOP) };
static const fz_strfield_t fz_ent_str[] = { GES_FILE_FIELDS(FZ_ENT) };

/* The int64_t members of a file entry, the same way. */
typedef struct {
    const char *v1, *v2;
    size_t off;
    unsigned idx;
} fz_i64field_t;
#define FZ_I64_STR(i, m, k1, k2)
#define FZ_I64_I64(i, m, k1, k2) {k1, k2, offsetof(ges_job_file_t, m), (i)},
#define FZ_ENT_I64(NAME, m, k1, k2, KIND, c) FZ_I64_##KIND(GES_FE_##NAME, m, k1, k2)
static const fz_i64field_t fz_ent_i64[] = { GES_FILE_FIELDS(FZ_ENT_I64) };
#define FZ_N(a) (sizeof(a) / sizeof((a)[0]))

/* Every bit ges_job_status_t's masks may hold. */
#define FZ_SET_BITS (((1u << GES_SET_COUNT) - 1u) << GES_FI_COUNT)
#define FZ_TOP_BITS (((1u << GES_FI_COUNT) - 1u) | FZ_SET_BITS)
#define FZ_ENT_BITS ((1u << GES_FE_COUNT) - 1u)

FZ_UNUSED static int fz_all_zero(const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) {
        if (b[i] != 0) return 0;
    }
    return 1;
}

/* One string field: storage char[cap + 1], stored length len, its bits. */
FZ_UNUSED static void fz_check_str(const char *s, size_t cap, unsigned len,
                                   int present, int null, int trunc)
{
    size_t i;
    FZ_CHECK(len <= cap, "len[] <= N");
    FZ_CHECK(s[len] == '\0', "field[len] is the terminating NUL");
    FZ_CHECK(strlen(s) <= len, "strlen <= len[]");
    /* Bytes past the value are zero, so memcmp compares values only (the
     * split-invariance checks rely on it). */
    for (i = len; i <= cap; i++) {
        FZ_CHECK(s[i] == '\0', "bytes after a value are zero");
    }
    if (!present) {
        FZ_CHECK(len == 0 && !null && !trunc, "absent field is empty, not null, not cut");
    }
    if (null) {
        FZ_CHECK(len == 0 && !trunc, "null field is empty and not cut");
    }
    if (trunc) {
        FZ_CHECK(len + 3 >= cap, "a cut value ends within 3 bytes of its bound");
    }
    FZ_CHECK(fz_utf8_ok((const unsigned char *)s, len),
             "stored value is valid UTF-8 (cut on a character boundary)");
}

FZ_UNUSED static void fz_check_time(const ges_job_status_t *st, unsigned idx,
                          const char *s, int64_t epoch)
{
    uint32_t bit = 1u << idx;
    int live = (st->present & bit) && !(st->null & bit);
    if (!live) {
        FZ_CHECK(epoch == 0 && !(st->invalid & bit), "absent or null time: epoch 0, valid");
        return;
    }
    if (st->invalid & bit) {
        int64_t x = 0;
        FZ_CHECK(epoch == 0, "invalid time: epoch 0");
        FZ_CHECK((st->truncated & bit) ||
                     ges_parse_time(s, st->len[idx], &x) != GES_OK,
                 "a time flagged invalid does not parse");
    } else {
        int64_t x = 0;
        FZ_CHECK(!(st->truncated & bit), "a cut time is flagged invalid");
        FZ_CHECK(ges_parse_time(s, st->len[idx], &x) == GES_OK && x == epoch,
                 "a valid time's epoch is ges_parse_time() of its text");
    }
}

FZ_UNUSED static void fz_check_entry(const ges_job_file_t *e)
{
    size_t i;
    FZ_CHECK((e->present & ~(uint32_t)FZ_ENT_BITS) == 0, "entry present bits");
    FZ_CHECK((e->null & ~e->present) == 0, "entry: null implies present");
    FZ_CHECK((e->truncated & ~e->present) == 0, "entry: truncated implies present");
    FZ_CHECK((e->truncated & e->null) == 0, "entry: never both null and cut");
    {
        uint32_t str_bits = 0;
        for (i = 0; i < FZ_N(fz_ent_str); i++) str_bits |= 1u << fz_ent_str[i].idx;
        FZ_CHECK((e->truncated & ~str_bits) == 0, "entry: only strings are cut");
    }
    for (i = 0; i < FZ_N(fz_ent_str); i++) {
        const fz_strfield_t *f = &fz_ent_str[i];
        uint32_t bit = 1u << f->idx;
        fz_check_str((const char *)e + f->off, f->cap, e->len[f->idx],
                     (e->present & bit) != 0, (e->null & bit) != 0,
                     (e->truncated & bit) != 0);
    }
    if ((e->present & GES_FF_STATUS) && !(e->null & GES_FF_STATUS)) {
        FZ_CHECK(e->file_state == fz_file_state(e->status, e->len[GES_FE_STATUS]),
                 "file_state matches the status text");
    } else {
        FZ_CHECK(e->file_state == GES_FILE_UNKNOWN, "no status: file_state unknown");
    }
    /* absent or null numbers are 0 (a null after a number included:
     * regress/parse/F1-*) */
    for (i = 0; i < FZ_N(fz_ent_i64); i++) {
        uint32_t bit = 1u << fz_ent_i64[i].idx;
        int64_t v;
        memcpy(&v, (const char *)e + fz_ent_i64[i].off, sizeof v);
        if (!(e->present & bit) || (e->null & bit))
            FZ_CHECK(v == 0, "absent/null line count is 0");
    }
}

/* Everything a successful parse (or a service error that kept its fields)
 * must leave in *st. */
FZ_UNUSED static void fz_check_status(const ges_job_status_t *st)
{
    size_t i;
    unsigned s;
    volatile uint32_t paths_max = GES_PATHS_MAX; /* no "always false" warning at 0 */
    FZ_CHECK((st->present & ~(uint32_t)FZ_TOP_BITS) == 0, "present bits are known bits");
    FZ_CHECK((st->null & ~st->present) == 0, "null implies present");
    FZ_CHECK((st->truncated & ~st->present) == 0, "truncated implies present");
    FZ_CHECK((st->truncated & st->null) == 0, "never both null and cut");
    FZ_CHECK((st->truncated & (GES_F_JOB_PROGRESS | GES_F_JOB_DETAIL)) == 0,
             "only strings and sets are cut");
    FZ_CHECK((st->invalid & ~(uint32_t)(GES_F_BEGIN_TIME | GES_F_END_TIME)) == 0,
             "invalid holds time bits only");
    for (i = 0; i < FZ_N(fz_top_str); i++) {
        const fz_strfield_t *f = &fz_top_str[i];
        uint32_t bit = 1u << f->idx;
        fz_check_str((const char *)st + f->off, f->cap, st->len[f->idx],
                     (st->present & bit) != 0, (st->null & bit) != 0,
                     (st->truncated & bit) != 0);
    }
    for (i = 0; i < FZ_N(st->len); i++) {
        size_t k;
        int is_str = 0;
        for (k = 0; k < FZ_N(fz_top_str); k++) is_str |= fz_top_str[k].idx == i;
        if (!is_str) FZ_CHECK(st->len[i] == 0, "unused len[] slot stays 0");
    }
    if ((st->present & GES_F_STATUS) && !(st->null & GES_F_STATUS)) {
        FZ_CHECK(st->job_state == fz_job_state(st->status, st->len[GES_FI_STATUS]),
                 "job_state matches the status text");
    } else {
        FZ_CHECK(st->job_state == GES_JOB_UNKNOWN, "no status: job_state unknown");
    }
    fz_check_time(st, GES_FI_BEGIN_TIME, st->begin_time, st->begin_epoch);
    fz_check_time(st, GES_FI_END_TIME, st->end_time, st->end_epoch);
    FZ_CHECK(st->job_progress == st->job_progress &&
                 st->job_progress - st->job_progress == 0.0,
             "jobProgress is finite");
    if (!(st->present & GES_F_JOB_PROGRESS) || (st->null & GES_F_JOB_PROGRESS)) {
        FZ_CHECK(fz_all_zero(&st->job_progress, sizeof st->job_progress),
                 "absent/null jobProgress is +0.0");
    }
    if ((st->present & FZ_SET_BITS) != 0) {
        FZ_CHECK((st->present & GES_F_JOB_DETAIL) && !(st->null & GES_F_JOB_DETAIL),
                 "a set is present only inside a present, non-null jobDetail");
    }
    for (s = 0; s < GES_SET_COUNT; s++) {
        const ges_job_fileset_t *fs = &st->sets[s];
        uint32_t bit = GES_F_SET(s), want_kept;
        FZ_CHECK(fs->kept <= paths_max, "kept <= GES_PATHS_MAX");
        FZ_CHECK(fs->kept <= fs->count, "kept <= count");
        want_kept = fs->count < paths_max ? fs->count : paths_max;
        FZ_CHECK(fs->kept == want_kept, "kept == min(count, GES_PATHS_MAX)");
        FZ_CHECK((fs->count > paths_max) == ((st->truncated & bit) != 0),
                 "set's truncated bit set iff count > GES_PATHS_MAX");
        if (!(st->present & bit) || (st->null & bit)) {
            FZ_CHECK(fs->count == 0, "absent or null set has no entries");
        }
#if GES_PATHS_MAX > 0
        {
            uint32_t k;
            for (k = 0; k < fs->kept; k++) fz_check_entry(&fs->entries[k]);
            for (k = fs->kept; k < GES_PATHS_MAX; k++) {
                FZ_CHECK(fz_all_zero(&fs->entries[k], sizeof fs->entries[k]),
                         "entries past kept are untouched (zero)");
            }
        }
#endif
    }
}

/* 1 if *st equals a fresh ges_job_status_init() but for http_status. */
FZ_UNUSED static int fz_is_reset(const ges_job_status_t *st, int http_status)
{
    ges_job_status_t fresh;
    memset(&fresh, 0x5A, sizeof fresh);
    ges_job_status_init(&fresh);
    fresh.http_status = http_status;
    return memcmp(&fresh, st, sizeof fresh) == 0;
}

#endif /* GES_FUZZ_COMMON_H */
