/*
 * cpu_parse - the CPU cost of parsing the seed's 200 body three ways, for
 * valgrind --tool=callgrind (tests/bench/cpu_parse.py drives it).
 *
 *   cpu_parse MODE [N [FILE]]  MODE: ges | jsmn | cjson | ges_w0 | ges_w2048 |
 *                           ges_stream | all; N parses (default 100); FILE: parse
 *                           this body instead of the seed's (per-byte figures)
 *
 *   ges    ges_job_parse() of the body into a ges_job_status_t
 *   jsmn   bare jsmn (Debian's <jsmn.h>, JSMN_STATIC, JSMN_STRICT) tokenizing
 *          the body into 4096 tokens (52 used): no field is read
 *   cjson  Debian's cJSON: cJSON_Parse, then reading the fields ges_job_parse
 *          fills (top-level strings, jobProgress, each jobDetail set's
 *          entries) into a ges_job_status_t with bounded copies, cJSON_Delete
 *   ges_w0, ges_w2048   ges_parser_init/feed/finish with a 0-byte work buffer
 *          (jsmn never runs) or a 2048-byte one (the client's, with a 4 KiB
 *          I/O buffer); for comparison with ges_job_parse's 256 bytes
 *   ges_stream  the client's way: ges_parser_feed in 4 KiB slices with a
 *          2048-byte work buffer (for the streamed 10 MiB answer)
 *
 * With FILE, a parse counts as good when it succeeds (the seed's field
 * checks are for the seed); jsmn has BENCH_TOKENS tokens whatever the body.
 *
 * Each mode makes one warm-up parse (page faults, lazy symbol binding), then
 * calls bench_loop_MODE(N), which parses N times. Under
 *   valgrind --tool=callgrind --toggle-collect=bench_loop_MODE ./cpu_parse MODE N
 * only that loop is counted, so Ir / N is the cost of one parse.
 *
 * Allocations during the N parses are counted in-process: calls to malloc,
 * calloc, realloc and free from this program and from ges_job.o and jsmn go
 * through -Wl,--wrap=...; cJSON (a shared library, out of --wrap's reach)
 * allocates through cJSON_InitHooks() counters. Each run checks the parse
 * result, so none of the work can be optimised away, and prints one line:
 *   mode=ges n=100 bytes=614 allocs=0 frees=0 tokens=...
 *
 * The body is tests/data/seed-200.json, embedded as a C string at build
 * time (build/bench/seed_200.h, made by tests/bench/embed.py).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ges_job.h"

#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

#include <cjson/cJSON.h>

#include "seed_200.h"

#define NOINLINE __attribute__((noinline, noclone))
/* Enough for the seed (52) and for the per-byte bodies of cpu_parse.py (a
 * body that needs more fails: jsmn's JSMN_ERROR_NOMEM). One constant and
 * one call of jsmn_parse, so the seed's figure is what it always was. */
#define BENCH_TOKENS 4096

/* ------------------------------------------------------------------------- */
/* Allocation counters                                                        */
/* ------------------------------------------------------------------------- */
static int counting;
static unsigned long n_alloc, n_free;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

void *__wrap_malloc(size_t n)
{
    if (counting) n_alloc++;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    if (counting) n_alloc++;
    return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    if (counting) n_alloc++;
    return __real_realloc(p, n);
}

void __wrap_free(void *p)
{
    if (counting && p != NULL) n_free++;
    __real_free(p);
}

/* cJSON's allocator: through the wrapped malloc/free above, so counted. */
static void *cj_malloc(size_t n) { return malloc(n); }
static void cj_free(void *p) { free(p); }

/* The three loops are extern (not static) and never cloned, so that callgrind
 * finds them by these exact names. */
int bench_loop_ges(const char *body, size_t len, int n);
int bench_loop_jsmn(const char *body, size_t len, int n);
int bench_loop_cjson(const char *body, size_t len, int n);
int bench_loop_ges_w0(const char *body, size_t len, int n);
int bench_loop_ges_w2048(const char *body, size_t len, int n);
int bench_loop_ges_stream(const char *body, size_t len, int n);

/* 1 when a FILE replaces the seed: only success is checked. */
static int any_body;

/* ------------------------------------------------------------------------- */
/* (a) ges_job_parse                                                          */
/* ------------------------------------------------------------------------- */
static ges_job_status_t ges_out;

/* The seed's answer, read back (or, for another body, success alone). */
static int ges_ok(void)
{
    return any_body || (ges_out.job_state == GES_JOB_SUCCESS &&
                        ges_out.sets[GES_SET_SCHEMA].kept == 1);
}

static NOINLINE int parse_ges(const char *body, size_t len)
{
    return ges_job_parse(body, len, &ges_out) == GES_OK && ges_ok();
}

NOINLINE int bench_loop_ges(const char *body, size_t len, int n)
{
    int ok = 1, i;
    for (i = 0; i < n; i++) ok &= parse_ges(body, len);
    return ok;
}

/* The same parser through ges_parser_init/feed/finish with another work
 * buffer (ges_job_parse uses 256 bytes on its stack): 0 bytes, so jsmn
 * never runs and the scanner stores every value itself, and 2048 bytes,
 * what the client has with the CLI's 4 KiB I/O buffer (half of it). */
static char work2048[2048];

static NOINLINE int parse_ges_work(const char *body, size_t len, char *work, size_t wlen)
{
    ges_parser_t p;
    ges_parser_init(&p, &ges_out, work, wlen);
    return ges_parser_feed(&p, body, len) == GES_OK && ges_parser_finish(&p) == GES_OK &&
           ges_ok();
}

/* As the client feeds an answer's body: 4 KiB slices, 2048 bytes of work. */
static NOINLINE int parse_ges_stream(const char *body, size_t len)
{
    ges_parser_t p;
    size_t at = 0;
    ges_parser_init(&p, &ges_out, work2048, sizeof work2048);
    while (at < len) {
        size_t k = len - at < 4096 ? len - at : 4096;
        if (ges_parser_feed(&p, body + at, k) != GES_OK) return 0;
        at += k;
    }
    return ges_parser_finish(&p) == GES_OK && ges_ok();
}

NOINLINE int bench_loop_ges_stream(const char *body, size_t len, int n)
{
    int ok = 1, i;
    for (i = 0; i < n; i++) ok &= parse_ges_stream(body, len);
    return ok;
}

NOINLINE int bench_loop_ges_w0(const char *body, size_t len, int n)
{
    int ok = 1, i;
    for (i = 0; i < n; i++) ok &= parse_ges_work(body, len, NULL, 0);
    return ok;
}

NOINLINE int bench_loop_ges_w2048(const char *body, size_t len, int n)
{
    int ok = 1, i;
    for (i = 0; i < n; i++) ok &= parse_ges_work(body, len, work2048, sizeof work2048);
    return ok;
}

/* ------------------------------------------------------------------------- */
/* (b) bare jsmn                                                              */
/* ------------------------------------------------------------------------- */
static jsmntok_t toks[BENCH_TOKENS];
static int jsmn_count;

static NOINLINE int parse_jsmn(const char *body, size_t len)
{
    jsmn_parser p;
    jsmn_init(&p);
    jsmn_count = jsmn_parse(&p, body, len, toks, BENCH_TOKENS);
    return jsmn_count > 0 && toks[0].type == JSMN_OBJECT;
}

NOINLINE int bench_loop_jsmn(const char *body, size_t len, int n)
{
    int ok = 1, i;
    for (i = 0; i < n; i++) ok &= parse_jsmn(body, len);
    return ok;
}

/* ------------------------------------------------------------------------- */
/* (c) cJSON, reading the same fields into the same struct                    */
/* ------------------------------------------------------------------------- */
static ges_job_status_t cj_out;

/* Copy a string member into dst[cap + 1]; set the present/null bits. */
static void cj_str(const cJSON *obj, const char *name, char *dst, size_t cap,
                   uint32_t bit, uint32_t *present, uint32_t *null)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    size_t n;
    if (v == NULL) return;
    *present |= bit;
    if (cJSON_IsNull(v)) {
        *null |= bit;
        return;
    }
    if (!cJSON_IsString(v)) return;
    n = strlen(v->valuestring);
    if (n > cap) n = cap;
    memcpy(dst, v->valuestring, n);
    dst[n] = '\0';
}

static void cj_set(const cJSON *detail, const char *name, ges_job_fileset_t *set,
                   uint32_t bit, uint32_t *present)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(detail, name), *e;
    if (!cJSON_IsArray(arr)) return;
    *present |= bit;
    cJSON_ArrayForEach(e, arr) {
        ges_job_file_t *f;
        const cJSON *n;
        set->count++;
        if (set->kept >= GES_PATHS_MAX) continue;
        f = &set->entries[set->kept++];
        /* the members, expanded from ges_job.h's GES_FILE_FIELDS */
#define CJ_ENT_STR(NAME, m, k1, bound) \
        cj_str(e, k1, f->m, bound, GES_FF(NAME), &f->present, &f->null);
#define CJ_ENT_I64(NAME, m, k1, bound) \
        n = cJSON_GetObjectItemCaseSensitive(e, k1); \
        if (cJSON_IsNumber(n)) f->m = (int64_t)n->valuedouble;
#define CJ_ENT(NAME, m, k1, k2, KIND, bound) CJ_ENT_##KIND(NAME, m, k1, bound)
        GES_FILE_FIELDS(CJ_ENT)
        f->file_state = strcmp(f->status, "success") == 0 ? GES_FILE_SUCCESS : GES_FILE_UNKNOWN;
    }
}

static NOINLINE int parse_cjson(const char *body, size_t len)
{
    ges_job_status_t *o = &cj_out;
    cJSON *root = cJSON_ParseWithLength(body, len);
    const cJSON *v, *detail;
    int ok;
    memset(o, 0, sizeof *o); /* as ges_job_parse starts from a reset struct */
    if (root == NULL) return 0;
    /* the members, expanded from ges_job.h's GES_JOB_FIELDS and GES_SETS */
#define CJ_TOP_STR(NAME, m, k1, bound) \
    cj_str(root, k1, o->m, bound, GES_F(NAME), &o->present, &o->null);
#define CJ_TOP_F64(NAME, m, k1, bound) \
    v = cJSON_GetObjectItemCaseSensitive(root, k1); \
    if (cJSON_IsNumber(v)) { o->present |= GES_F(NAME); o->m = v->valuedouble; }
#define CJ_TOP_I64(NAME, m, k1, bound) \
    v = cJSON_GetObjectItemCaseSensitive(root, k1); \
    if (cJSON_IsNumber(v)) { o->present |= GES_F(NAME); o->m = (int64_t)v->valuedouble; }
#define CJ_TOP_DETAIL(NAME, m, k1, bound) \
    detail = cJSON_GetObjectItemCaseSensitive(root, k1); \
    if (cJSON_IsObject(detail)) { o->present |= GES_F(NAME); GES_SETS(CJ_SET) }
#define CJ_SET(NAME, k1, k2) \
    cj_set(detail, k1, &o->sets[GES_SET_##NAME], GES_F_SET(GES_SET_##NAME), &o->present);
#define CJ_TOP(NAME, m, k1, k2, KIND, bound) CJ_TOP_##KIND(NAME, m, k1, bound)
    GES_JOB_FIELDS(CJ_TOP)
    o->job_state = strcmp(o->status, "success") == 0 ? GES_JOB_SUCCESS : GES_JOB_UNKNOWN;
    cJSON_Delete(root);
    ok = any_body || (o->job_state == GES_JOB_SUCCESS && o->sets[GES_SET_SCHEMA].kept == 1);
    return ok;
}

NOINLINE int bench_loop_cjson(const char *body, size_t len, int n)
{
    int ok = 1, i;
    for (i = 0; i < n; i++) ok &= parse_cjson(body, len);
    return ok;
}

/* ------------------------------------------------------------------------- */
static const char *bench_body = SEED_200;
static size_t bench_len = SEED_200_LEN;

/* FILE's bytes replace the seed's. */
static int load(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (b = __real_malloc((size_t)n)) == NULL ||
        fread(b, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cpu_parse: cannot read %s\n", path);
        if (f) fclose(f);
        return 0;
    }
    fclose(f);
    bench_body = b;
    bench_len = (size_t)n;
    any_body = 1;
    return 1;
}

static int run(const char *mode, int n)
{
    int ok;
    const char *body = bench_body;
    size_t len = bench_len;
    if (strcmp(mode, "ges") == 0) {
        ok = parse_ges(body, len); /* warm-up */
        counting = 1;
        ok &= bench_loop_ges(body, len, n);
    } else if (strcmp(mode, "ges_w0") == 0) {
        ok = parse_ges_work(body, len, NULL, 0);
        counting = 1;
        ok &= bench_loop_ges_w0(body, len, n);
    } else if (strcmp(mode, "ges_w2048") == 0) {
        ok = parse_ges_work(body, len, work2048, sizeof work2048);
        counting = 1;
        ok &= bench_loop_ges_w2048(body, len, n);
    } else if (strcmp(mode, "ges_stream") == 0) {
        ok = parse_ges_stream(body, len);
        counting = 1;
        ok &= bench_loop_ges_stream(body, len, n);
    } else if (strcmp(mode, "jsmn") == 0) {
        ok = parse_jsmn(body, len);
        counting = 1;
        ok &= bench_loop_jsmn(body, len, n);
    } else if (strcmp(mode, "cjson") == 0) {
        cJSON_Hooks h;
        h.malloc_fn = cj_malloc;
        h.free_fn = cj_free;
        cJSON_InitHooks(&h);
        ok = parse_cjson(body, len);
        counting = 1;
        ok &= bench_loop_cjson(body, len, n);
    } else {
        fprintf(stderr, "cpu_parse: unknown mode %s\n", mode);
        return 2;
    }
    counting = 0;
    printf("mode=%s n=%d bytes=%lu ok=%d allocs=%lu frees=%lu allocs_per_parse=%.2f",
           mode, n, (unsigned long)len, ok, n_alloc, n_free, n > 0 ? (double)n_alloc / n : 0.0);
    if (strcmp(mode, "jsmn") == 0) printf(" tokens=%d", jsmn_count);
    printf("\n");
    n_alloc = n_free = 0;
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    int n = 100;
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: cpu_parse ges|jsmn|cjson|ges_w0|ges_w2048|ges_stream|all "
                        "[N [FILE]]\n");
        return 2;
    }
    if (argc >= 3) n = atoi(argv[2]);
    if (n < 0) n = 0;
    if (argc == 4 && !load(argv[3])) return 2;
    if (strcmp(argv[1], "all") == 0) {
        int r = run("ges", n);
        if (r == 0) r = run("jsmn", n);
        if (r == 0) r = run("cjson", n);
        return r;
    }
    return run(argv[1], n);
}
