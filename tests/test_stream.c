/*
 * Streaming tests: the body is parsed while it arrives, whatever its
 * framing, in memory bounded by the caller's buffers; results do not depend
 * on split points or buffer sizes; an endless body is refused at
 * GES_BODY_MAX.
 *
 * Build (from the repository root):
 *   cc -std=c99 -Wall -Wextra -Wpedantic -Werror -Wshadow -O2 -I. \
 *      -Iport/posix tests/test_stream.c -lmbedtls -lmbedx509 -lmbedcrypto \
 *      -o build/test_stream && build/test_stream
 *
 * What is covered, in the order of main():
 *   1. a ~10 MiB job-status answer (50,000 vertexsetPath entries, 64 KiB
 *      strings with escapes and multi-byte UTF-8, unknown members before and
 *      after jobDetail) read through the HTTP reader in reads of at most 512
 *      bytes with a 512-byte JSON work buffer (a 1 KiB I/O buffer split as
 *      the client splits it), framed chunked, by Content-Length and by the
 *      connection's close; the result is compared with a model of the
 *      answer, field by field and as a whole struct;
 *   2. a property test: generated small answers (several shapes, 0..10
 *      entries, strings around the field bounds), the API page's two
 *      examples, and corrupted copies of them, fed at every split point into
 *      two pieces and at random multi-splits, with work buffers of 0, 1, 7,
 *      GES_IO_BUF_MIN / 2, 512 and 4096 bytes; every result (struct, error
 *      and error offset) must equal the whole-buffer parse;
 *   3. endless bodies (chunked and close-delimited) refused with
 *      GES_ERR_HTTP_BODY_TOO_LARGE exactly after GES_BODY_MAX body bytes, a
 *      body of exactly GES_BODY_MAX bytes accepted, oversized
 *      Content-Length and chunk sizes refused up front;
 *   4. the string decoder's word-at-a-time plain-run scan against its
 *      byte definition (every byte value at every position), and that byte
 *      definition (ges__sdec_byte) against the decoder's loop.
 * The process's peak RSS is printed at the end, for information.
 *
 * The generator allocates nothing: it is a struct whose state produces the
 * next bytes of the body into the caller's buffer.
 */
#define _POSIX_C_SOURCE 200809L

#include "assert_on.h" /* GES_ASSERT is assert() */
#include "../ges_job.c"
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Time bound of test_property; tests/firmware raises it for emulation. */
#ifndef GES_TEST_PROPERTY_SECONDS
#define GES_TEST_PROPERTY_SECONDS 30.0
#endif

/* ------------------------------------------------------------------------- */
/* Long strings: a fixed sequence of characters, written with escapes, raw   */
/* multi-byte UTF-8 and a \u0000, whose decoded form is known.               */
/* ------------------------------------------------------------------------- */
typedef struct {
    const char *enc; /* bytes on the wire */
    size_t el;
    const char *dec; /* bytes once decoded */
    size_t dl;
} unit_t;

#define U(e, d)                            \
    {                                      \
        e, sizeof(e) - 1, d, sizeof(d) - 1 \
    }

/* After the one-letter tag: 7 decoded bytes, so the first 8 make a block. */
static const unit_t U_HEAD[] = {
    U("a", "a"),
    U("b", "b"),
    U("\xC3\xA9", "\xC3\xA9"),
    U("\\n", "\n"),
    U("\\u00e9", "\xC3\xA9"),
};
/* Blocks of 8 decoded bytes each, so every multiple of 8 (every default
 * bound) falls between two characters. */
static const unit_t U_CYC[] = {
    /* c, raw euro sign, escaped surrogate pair (U+1F600) */
    U("c", "c"),
    U("\xE2\x82\xAC", "\xE2\x82\xAC"),
    U("\\ud83d\\ude00", "\xF0\x9F\x98\x80"),
    /* quote, raw U+1F389, escaped solidus, e-acute with upper-case hex */
    U("\\\"", "\""),
    U("\xF0\x9F\x8E\x89", "\xF0\x9F\x8E\x89"),
    U("\\/", "/"),
    U("\\u00E9", "\xC3\xA9"),
    /* escaped euro sign, d, tab, backslash, raw e-acute */
    U("\\u20ac", "\xE2\x82\xAC"),
    U("d", "d"),
    U("\\t", "\t"),
    U("\\\\", "\\"),
    U("\xC3\xA9", "\xC3\xA9"),
    /* digits and an escaped A */
    U("0", "0"),
    U("1", "1"),
    U("2", "2"),
    U("3", "3"),
    U("4", "4"),
    U("5", "5"),
    U("6", "6"),
    U("\\u0041", "A"),
    /* a NUL, letters, CR, backspace, form feed */
    U("\\u0000", "\0"),
    U("e", "e"),
    U("f", "f"),
    U("g", "g"),
    U("\\r", "\r"),
    U("\\b", "\b"),
    U("\\f", "\f"),
    U("h", "h"),
};
#define N_HEAD (sizeof U_HEAD / sizeof U_HEAD[0])
#define N_CYC (sizeof U_CYC / sizeof U_CYC[0])

static const char TAGS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const unit_t U_PAD = U("z", "z");

/* The s-th character of the long string tagged `tag` (an upper-case
 * letter, which starts the string so that fields cannot be mixed up), whose
 * sequence starts `shift` characters late (a shift moves the character
 * boundaries off the multiples of 8, so bounds fall inside characters). */
static unit_t lunit(char tag, uint32_t shift, uint32_t s)
{
    unit_t u;
    if (s == 0) {
        u.enc = u.dec = &TAGS[tag - 'A'];
        u.el = u.dl = 1;
        return u;
    }
    s += shift;
    if (s <= N_HEAD) return U_HEAD[s - 1];
    return U_CYC[(s - 1 - N_HEAD) % N_CYC];
}

/* A long string being written: exactly `len` wire bytes, characters of the
 * sequence while the next one fits, then 'z' up to `len`. */
typedef struct {
    char tag;
    int pad;
    uint32_t len, shift, wire, s;
} lstr_t;

static void lstr_start(lstr_t *l, char tag, uint32_t shift, uint32_t len)
{
    memset(l, 0, sizeof *l);
    l->tag = tag;
    l->shift = shift;
    l->len = len;
}

/* Next character of l (advances); 0 when the string is complete. */
static int lstr_next(lstr_t *l, unit_t *u)
{
    if (l->wire >= l->len) return 0;
    if (!l->pad) {
        *u = lunit(l->tag, l->shift, l->s);
        if (l->wire + u->el > l->len) l->pad = 1;
    }
    if (l->pad) *u = U_PAD;
    l->wire += (uint32_t)u->el;
    l->s++;
    return 1;
}

/* What a field bounded at `bound` holds after decoding the long string: the
 * characters that fit, whole; *trunc when one did not. Returns the length. */
static size_t lstr_expect(char tag, uint32_t shift, uint32_t len, size_t bound,
                          char *out, int *trunc)
{
    lstr_t l;
    unit_t u;
    size_t n = 0;
    lstr_start(&l, tag, shift, len);
    *trunc = 0;
    while (lstr_next(&l, &u)) {
        if (n + u.dl > bound) {
            *trunc = 1;
            break;
        }
        memcpy(out + n, u.dec, u.dl);
        n += u.dl;
    }
    out[n] = '\0';
    return n;
}

/* ------------------------------------------------------------------------- */
/* The answer generator                                                       */
/* ------------------------------------------------------------------------- */
#define GEN_LONG_TEXT 1u   /* jobType, jobName, relatedGraph, failReason,
                              errorMessage and two unknown strings: long */
#define GEN_LONG_SHORTS 2u /* jobId, status, beginTime, endTime: long */
#define GEN_LONG_PATHS 4u  /* vertex entries 1, 3, 777 and the last: long path */
#define GEN_V2 8u          /* snake_case member names */
#define GEN_EXTRA 16u      /* unknown members inside some entries */
#define GEN_SPACES 32u     /* white space between tokens */
#define GEN_SHIFT 64u      /* long strings' characters off the 8-byte grid */

enum {
    M_STR,
    M_RAW,
    M_DETAIL
};

typedef struct {
    const char *v1, *v2;
    int kind;
    int fi;             /* GES_FI_*, -1 for an unknown member */
    char tag;           /* long string's tag */
    unsigned long_when; /* GEN_* flag making it long */
    const char *val;    /* M_STR: plain content (NULL: null); M_RAW: JSON */
} top_t;

static const top_t TOP[] = {
    {"jobId", "job_id", M_STR, GES_FI_JOB_ID, 'I', GEN_LONG_SHORTS,
     "ff80808167f09aaa0167f19b35ec0305"},
    {"status", "status", M_STR, GES_FI_STATUS, 'S', GEN_LONG_SHORTS, "success"},
    {"jobType", "job_type", M_STR, GES_FI_JOB_TYPE, 'T', GEN_LONG_TEXT,
     "GraphManagement"},
    {"unknownObj", "unknown_obj", M_RAW, -1, 0, 0,
     "{\"a\":[1,2,{\"b\":\"c\\u00e9\"}],\"d\":{\"e\":null,\"f\":true,"
     "\"g\":[[],{}]},\"h\":-0.5e+2,\"status\":\"failed\"}"},
    {"jobName", "job_name", M_STR, GES_FI_JOB_NAME, 'N', GEN_LONG_TEXT,
     "ImportGraph"},
    {"relatedGraph", "related_graph", M_STR, GES_FI_RELATED_GRAPH, 'R',
     GEN_LONG_TEXT, "GES_UI_AUTO"},
    {"beginTime", "begin_time", M_STR, GES_FI_BEGIN_TIME, 'B', GEN_LONG_SHORTS,
     "2018-11-27T21:39:00"},
    {"unknownLong", "unknown_long", M_STR, -1, 'U', GEN_LONG_TEXT, "short"},
    {"endTime", "end_time", M_STR, GES_FI_END_TIME, 'E', GEN_LONG_SHORTS,
     "2018-11-27T21:39:56"},
    {"failReason", "fail_reason", M_STR, GES_FI_FAIL_REASON, 'F',
     GEN_LONG_TEXT, NULL},
    {"errorCode", "error_code", M_STR, GES_FI_ERROR_CODE, 'C', 0, ""},
    {"errorMessage", "error_msg", M_STR, GES_FI_ERROR_MESSAGE, 'M',
     GEN_LONG_TEXT, NULL},
    {"jobProgress", "job_progress", M_RAW, GES_FI_JOB_PROGRESS, 0, 0, "0.75"},
    {"jobDetail", "job_detail", M_DETAIL, GES_FI_JOB_DETAIL, 0, 0, NULL},
    {"unknownAfter", "unknown_after", M_RAW, -1, 0, 0,
     "{\"k\":[1,2,3,{\"z\":\"\\u00e9\\ud83d\\ude00\"}],\"n\":-1.5e-3,"
     "\"t\":[true,false,null],\"jobId\":\"not-this-one\"}"},
    {"unknownTail", "unknown_tail", M_STR, -1, 'Z', GEN_LONG_TEXT, "end"},
};
#define N_TOP (sizeof TOP / sizeof TOP[0])

/* TOP adds generators and values to the schema, so it is written out; this
 * test ties it to ges_job.h's GES_JOB_FIELDS: every row there has exactly one
 * row here, with the same keys (a field added there fails here until it
 * gets a generator row). */
typedef struct {
    const char *v1, *v2;
} schema_keys_t;
#define SCHEMA_KEYS(NAME, m, k1, k2, KIND, bound) {k1, k2},
static const schema_keys_t SCHEMA_TOP[GES_FI_COUNT] = {GES_JOB_FIELDS(SCHEMA_KEYS)};

static void test_table_covers_schema(void)
{
    int fi;
    size_t i;
    for (fi = 0; fi < GES_FI_COUNT; fi++) {
        int rows = 0;
        for (i = 0; i < N_TOP; i++) {
            if (TOP[i].fi != fi) continue;
            rows++;
            CHECK_STR(TOP[i].v1, SCHEMA_TOP[fi].v1);
            CHECK_STR(TOP[i].v2, SCHEMA_TOP[fi].v2);
        }
        CHECK_EQ(rows, 1);
    }
}

enum {
    G_TOP,
    G_TOP_QUOTE,
    G_SCHEMA,
    G_VTX,
    G_VTX_TAIL,
    G_DONE
};

typedef struct {
    /* shape */
    uint32_t n_vertex; /* vertexsetPath entries */
    uint32_t n_schema; /* schemaPath entries */
    uint32_t long_len; /* wire bytes of every long string */
    unsigned flags;    /* GEN_* */
    /* state */
    int step;
    uint32_t k;    /* top-level member */
    uint32_t j;    /* entry */
    char tmp[768]; /* the next small piece */
    size_t tmp_len, tmp_pos;
    int in_long;
    lstr_t ls;   /* the long string being written */
    unit_t cur;  /* its current character */
    size_t upos; /* bytes of cur already written */
    unsigned long long produced;
} gen_t;

static void gen_init(gen_t *g, uint32_t n_vertex, uint32_t n_schema,
                     uint32_t long_len, unsigned flags)
{
    memset(g, 0, sizeof *g);
    g->n_vertex = n_vertex;
    g->n_schema = n_schema;
    g->long_len = long_len;
    g->flags = flags;
    g->step = G_TOP;
}

static const char *gkey(const gen_t *g, const char *v1, const char *v2)
{
    return (g->flags & GEN_V2) ? v2 : v1;
}

static void tcat(gen_t *g, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(g->tmp + g->tmp_len, sizeof g->tmp - g->tmp_len, fmt, ap);
    va_end(ap);
    if (n > 0) g->tmp_len += (size_t)n;
    if (g->tmp_len >= sizeof g->tmp) g->tmp_len = sizeof g->tmp - 1; /* never */
}

/* Separator between tokens: nothing, or some white space. */
static const char *gsp(const gen_t *g)
{
    return (g->flags & GEN_SPACES) ? " \r\n\t" : "";
}

/* Shift of the long string tagged `tag`. */
static uint32_t gshift(const gen_t *g, char tag)
{
    return (g->flags & GEN_SHIFT) ? 1u + (uint32_t)tag % 6u : 0u;
}

static int vtx_long(const gen_t *g, uint32_t i)
{
    return (g->flags & GEN_LONG_PATHS) &&
           (i == 1 || i == 3 || i == 777 || i + 1 == g->n_vertex);
}

/* What vertex entry i says, besides its path. */
static const char *vtx_status(uint32_t i)
{
    static const char *const st[3] = {"success", "failed", "partFailed"};
    return st[i % 3];
}
static void vtx_lines(uint32_t i, long *total, long *failed, long *ok)
{
    *total = 1000 + (long)((i * 7919u) % 100000u);
    *failed = i % 3 == 0 ? 0 : i % 3 == 1 ? *total
                                          : (long)(i % 97);
    *ok = *total - *failed;
}

static void gen_step(gen_t *g)
{
    const char *sp = gsp(g);
    g->tmp_len = g->tmp_pos = 0;
    switch (g->step) {
    case G_TOP: {
        const top_t *m;
        if (g->k == N_TOP) {
            tcat(g, "%s}%s", sp, sp);
            g->step = G_DONE;
            return;
        }
        m = &TOP[g->k];
        tcat(g, "%s%s\"%s\"%s:%s", g->k == 0 ? "{" : ",", sp,
             gkey(g, m->v1, m->v2), sp, sp);
        if (m->kind == M_RAW) {
            tcat(g, "%s", m->val);
            g->k++;
        } else if (m->kind == M_DETAIL) {
            tcat(g, "{\"detailUnknown\":[{\"a\":1},\"b\",{\"c\":{\"d\":[]}}],"
                    "\"%s\":%s[",
                 gkey(g, "schemaPath", "schema_path"), sp);
            g->j = 0;
            g->step = G_SCHEMA;
        } else if (g->flags & m->long_when) {
            tcat(g, "\"");
            lstr_start(&g->ls, m->tag, gshift(g, m->tag), g->long_len);
            g->in_long = 1;
            g->step = G_TOP_QUOTE;
        } else {
            if (m->val == NULL) tcat(g, "null");
            else tcat(g, "\"%s\"", m->val);
            g->k++;
        }
        return;
    }
    case G_TOP_QUOTE:
        tcat(g, "\"");
        g->k++;
        g->step = G_TOP;
        return;
    case G_SCHEMA:
        if (g->j == g->n_schema) {
            tcat(g, "],\"%s\":[%s],%s\"%s\":[", gkey(g, "edgesetPath", "edgeset_path"),
                 sp, sp, gkey(g, "vertexsetPath", "vertexset_path"));
            g->j = 0;
            g->step = G_VTX;
            return;
        }
        tcat(g, "%s{\"path\":\"obs://ges-bucket/schema/schema-%u.xml\",\"log\":null,"
                "\"cause\":null,%s\"status\":\"success\"}",
             g->j ? "," : "", (unsigned)g->j, sp);
        g->j++;
        return;
    case G_VTX:
        if (g->j == g->n_vertex) {
            tcat(g, "]%s}", sp);
            g->k++; /* past jobDetail */
            g->step = G_TOP;
            return;
        }
        tcat(g, "%s%s{\"path\":%s\"", g->j ? "," : "", sp, sp);
        if (vtx_long(g, g->j)) {
            lstr_start(&g->ls, TAGS[g->j % 26], gshift(g, TAGS[g->j % 26]),
                       g->long_len);
            g->in_long = 1;
        } else {
            tcat(g, "obs://ges-bucket/vertex/p%06u.csv", (unsigned)g->j);
        }
        g->step = G_VTX_TAIL;
        return;
    case G_VTX_TAIL: {
        long total, failed, ok;
        uint32_t i = g->j;
        vtx_lines(i, &total, &failed, &ok);
        tcat(g, "\",\"log\":\"obs://ges-bucket/logs/p%06u.log\","
                "\"status\":\"%s\",\"cause\":",
             (unsigned)i, vtx_status(i));
        if (i % 3 == 0) tcat(g, "null");
        else tcat(g, "\"line %u: bad vertex\"", (unsigned)(i * 13u % 1000u));
        if ((g->flags & GEN_EXTRA) && i % 7 == 3) {
            tcat(g, ",\"extra\":{\"n\":[1,{\"m\":null}],\"s\":\"x\\u00e9\"}");
        }
        tcat(g, ",\"%s\":%ld,\"%s\":%ld,%s\"%s\":%ld}",
             gkey(g, "totalLines", "total_lines"), total,
             gkey(g, "failedLines", "failed_lines"), failed, sp,
             gkey(g, "successfulLines", "successful_lines"), ok);
        g->j++;
        g->step = G_VTX;
        return;
    }
    default:
        return;
    }
}

/* Up to `cap` next bytes of the body; fewer only at its end. */
static size_t gen_fill(gen_t *g, unsigned char *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap) {
        if (g->tmp_pos < g->tmp_len) {
            size_t k = g->tmp_len - g->tmp_pos;
            if (k > cap - n) k = cap - n;
            memcpy(buf + n, g->tmp + g->tmp_pos, k);
            g->tmp_pos += k;
            n += k;
            continue;
        }
        if (g->in_long) {
            /* a character may be split across two calls */
            while (n < cap) {
                size_t k;
                if (g->upos == 0 && !lstr_next(&g->ls, &g->cur)) {
                    g->in_long = 0;
                    break;
                }
                k = g->cur.el - g->upos;
                if (k > cap - n) k = cap - n;
                memcpy(buf + n, g->cur.enc + g->upos, k);
                n += k;
                g->upos += k;
                if (g->upos == g->cur.el) g->upos = 0;
            }
            continue;
        }
        if (g->step == G_DONE) break;
        gen_step(g);
    }
    g->produced += n;
    return n;
}

static size_t gen_src(void *ctx, unsigned char *buf, size_t cap)
{
    return gen_fill((gen_t *)ctx, buf, cap);
}

static unsigned long long gen_total(uint32_t n_vertex, uint32_t n_schema,
                                    uint32_t long_len, unsigned flags)
{
    static unsigned char sink[65536];
    gen_t g;
    gen_init(&g, n_vertex, n_schema, long_len, flags);
    while (gen_fill(&g, sink, sizeof sink) > 0) {}
    return g.produced;
}

/* ------------------------------------------------------------------------- */
/* The model: what the parser must make of a generated answer                 */
/* ------------------------------------------------------------------------- */
static char *top_field(ges_job_status_t *st, int fi, size_t *bound)
{
    switch (fi) {
    case GES_FI_JOB_ID: *bound = GES_ID_MAX; return st->job_id;
    case GES_FI_STATUS: *bound = GES_STATUS_MAX; return st->status;
    case GES_FI_JOB_TYPE: *bound = GES_NAME_MAX; return st->job_type;
    case GES_FI_JOB_NAME: *bound = GES_NAME_MAX; return st->job_name;
    case GES_FI_RELATED_GRAPH: *bound = GES_NAME_MAX; return st->related_graph;
    case GES_FI_BEGIN_TIME: *bound = GES_TIME_MAX; return st->begin_time;
    case GES_FI_END_TIME: *bound = GES_TIME_MAX; return st->end_time;
    case GES_FI_FAIL_REASON: *bound = GES_TEXT_MAX; return st->fail_reason;
    case GES_FI_ERROR_CODE: *bound = GES_CODE_MAX; return st->error_code;
    default: *bound = GES_TEXT_MAX; return st->error_message;
    }
}

/* A plain ASCII value into a field bounded at `bound`. */
static uint16_t put_plain(char *dst, size_t bound, const char *s, uint32_t *trunc,
                          uint32_t bit)
{
    size_t n = strlen(s);
    if (n > bound) {
        n = bound;
        *trunc |= bit;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return (uint16_t)n;
}

#if GES_PATHS_MAX > 0
static void expect_entry(const gen_t *g, int schema, uint32_t i, ges_job_file_t *e)
{
    char buf[160];
    memset(e, 0, sizeof *e);
    e->present = GES_FF_PATH | GES_FF_LOG | GES_FF_STATUS | GES_FF_CAUSE;
    if (schema) {
        snprintf(buf, sizeof buf, "obs://ges-bucket/schema/schema-%u.xml", (unsigned)i);
        e->len[GES_FE_PATH] = put_plain(e->path, GES_PATH_MAX, buf, &e->truncated,
                                        GES_FF_PATH);
        e->null = GES_FF_LOG | GES_FF_CAUSE;
        e->len[GES_FE_STATUS] = put_plain(e->status, GES_STATUS_MAX, "success",
                                          &e->truncated, GES_FF_STATUS);
        e->file_state = GES_FILE_SUCCESS;
        return;
    }
    if (vtx_long(g, i)) {
        int tr;
        char tag = TAGS[i % 26];
        e->len[GES_FE_PATH] = (uint16_t)lstr_expect(tag, gshift(g, tag), g->long_len,
                                                    GES_PATH_MAX, e->path, &tr);
        if (tr) e->truncated |= GES_FF_PATH;
    } else {
        snprintf(buf, sizeof buf, "obs://ges-bucket/vertex/p%06u.csv",
                 (unsigned)i);
        e->len[GES_FE_PATH] = put_plain(e->path, GES_PATH_MAX, buf, &e->truncated,
                                        GES_FF_PATH);
    }
    snprintf(buf, sizeof buf, "obs://ges-bucket/logs/p%06u.log", (unsigned)i);
    e->len[GES_FE_LOG] = put_plain(e->log, GES_PATH_MAX, buf, &e->truncated, GES_FF_LOG);
    e->len[GES_FE_STATUS] = put_plain(e->status, GES_STATUS_MAX, vtx_status(i),
                                      &e->truncated, GES_FF_STATUS);
    e->file_state = i % 3 == 0   ? GES_FILE_SUCCESS
                    : i % 3 == 1 ? GES_FILE_FAILED
                                 : GES_FILE_PART_FAILED;
    if (i % 3 == 0) {
        e->null |= GES_FF_CAUSE;
    } else {
        snprintf(buf, sizeof buf, "line %u: bad vertex", (unsigned)(i * 13u % 1000u));
        e->len[GES_FE_CAUSE] = put_plain(e->cause, GES_CAUSE_MAX, buf, &e->truncated,
                                         GES_FF_CAUSE);
    }
    {
        long total, failed, ok;
        vtx_lines(i, &total, &failed, &ok);
        e->total_lines = total;
        e->failed_lines = failed;
        e->successful_lines = ok;
    }
    e->present |= GES_FF_TOTAL_LINES | GES_FF_FAILED_LINES | GES_FF_SUCCESSFUL_LINES;
}
#endif

static void gen_expect(const gen_t *g, ges_job_status_t *st)
{
    size_t m;
    ges_job_status_init(st);
    for (m = 0; m < N_TOP; m++) {
        const top_t *t = &TOP[m];
        uint32_t bit;
        if (t->fi < 0) continue;
        bit = 1u << t->fi;
        st->present |= bit;
        if (t->kind == M_STR) {
            size_t bound;
            char *f = top_field(st, t->fi, &bound);
            int is_long = (g->flags & t->long_when) != 0;
            if (is_long) {
                int tr;
                st->len[t->fi] = (uint16_t)lstr_expect(t->tag, gshift(g, t->tag),
                                                       g->long_len, bound, f, &tr);
                if (tr) st->truncated |= bit;
            } else if (t->val == NULL) {
                st->null |= bit;
            } else {
                st->len[t->fi] = put_plain(f, bound, t->val, &st->truncated, bit);
            }
            if (t->fi == GES_FI_STATUS) {
                st->job_state = is_long ? GES_JOB_UNKNOWN : GES_JOB_SUCCESS;
            }
            if (t->fi == GES_FI_BEGIN_TIME || t->fi == GES_FI_END_TIME) {
                int64_t *ep = t->fi == GES_FI_BEGIN_TIME ? &st->begin_epoch
                                                         : &st->end_epoch;
                if ((st->truncated & bit) ||
                    ges_parse_time(f, st->len[t->fi], ep) != GES_OK) {
                    *ep = 0;
                    st->invalid |= bit;
                }
            }
        } else if (t->fi == GES_FI_JOB_PROGRESS) {
            st->job_progress = 0.75;
        } else if (t->kind == M_DETAIL) {
            uint32_t i;
            st->present |= GES_F_SET(GES_SET_SCHEMA) | GES_F_SET(GES_SET_EDGESET) |
                           GES_F_SET(GES_SET_VERTEXSET);
            st->sets[GES_SET_SCHEMA].count = g->n_schema;
            st->sets[GES_SET_VERTEXSET].count = g->n_vertex;
            if (g->n_schema > (uint32_t)GES_PATHS_MAX) {
                st->truncated |= GES_F_SET(GES_SET_SCHEMA);
            }
            if (g->n_vertex > (uint32_t)GES_PATHS_MAX) {
                st->truncated |= GES_F_SET(GES_SET_VERTEXSET);
            }
#if GES_PATHS_MAX > 0
            for (i = 0; i < g->n_schema && i < GES_PATHS_MAX; i++) {
                expect_entry(g, 1, i, &st->sets[GES_SET_SCHEMA].entries[i]);
                st->sets[GES_SET_SCHEMA].kept = i + 1;
            }
            for (i = 0; i < g->n_vertex && i < GES_PATHS_MAX; i++) {
                expect_entry(g, 0, i, &st->sets[GES_SET_VERTEXSET].entries[i]);
                st->sets[GES_SET_VERTEXSET].kept = i + 1;
            }
#else
            (void)i;
#endif
        }
    }
}

/* ------------------------------------------------------------------------- */
/* HTTP framing around a body source                                          */
/* ------------------------------------------------------------------------- */
typedef size_t (*src_fn)(void *ctx, unsigned char *buf, size_t cap);

enum {
    FR_CHUNKED,
    FR_LENGTH,
    FR_CLOSE
};

#define CHUNK_MAX 3000

typedef struct {
    int mode;
    src_fn src;
    void *ctx;
    uint32_t lcg;
    unsigned char buf[CHUNK_MAX + 64]; /* headers, or one framed chunk */
    size_t len, pos;
    size_t data_from, data_to; /* the chunk's data within buf */
    int head_done, done;
    unsigned long chunks;
    unsigned long long body; /* body bytes handed out so far */
} http_gen_t;

static uint32_t lcg_next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void http_gen_init(http_gen_t *hg, int mode, src_fn src, void *ctx,
                          unsigned long long content_length, uint32_t seed)
{
    int n;
    memset(hg, 0, sizeof *hg);
    hg->mode = mode;
    hg->src = src;
    hg->ctx = ctx;
    hg->lcg = seed;
    if (mode == FR_CHUNKED) {
        n = snprintf((char *)hg->buf, sizeof hg->buf,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n");
    } else if (mode == FR_LENGTH) {
        n = snprintf((char *)hg->buf, sizeof hg->buf,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Content-Length: %llu\r\n\r\n",
                     content_length);
    } else {
        n = snprintf((char *)hg->buf, sizeof hg->buf,
                     "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n");
    }
    hg->len = (size_t)n;
}

/* Frame the next chunk (or the last-chunk and trailer) into hg->buf. */
static void http_gen_chunk(http_gen_t *hg)
{
    size_t want = 1 + lcg_next(&hg->lcg) % CHUNK_MAX, got, head;
    char line[32];
    int n;
    hg->pos = 0;
    got = hg->src(hg->ctx, hg->buf + 24, want);
    if (got == 0) {
        /* last chunk, sometimes with a trailer */
        n = snprintf((char *)hg->buf, sizeof hg->buf, "0\r\n%s\r\n",
                     hg->chunks % 2 ? "X-Trailer: ok\r\n" : "");
        hg->len = (size_t)n;
        hg->data_from = hg->data_to = 0;
        hg->done = 1;
        return;
    }
    n = snprintf(line, sizeof line, "%lx%s\r\n", (unsigned long)got,
                 hg->chunks % 97 == 5 ? ";ext=\"v\"" : "");
    head = (size_t)n;
    memcpy(hg->buf + 24 - head, line, head);
    hg->buf[24 + got] = '\r';
    hg->buf[24 + got + 1] = '\n';
    /* shift so the chunk starts at 0 */
    memmove(hg->buf, hg->buf + 24 - head, head + got + 2);
    hg->len = head + got + 2;
    hg->data_from = head;
    hg->data_to = head + got;
    hg->chunks++;
}

/* Up to `cap` next bytes of the response; 0 at its end. */
static size_t http_gen_next(http_gen_t *hg, unsigned char *out, size_t cap)
{
    size_t n = 0;
    while (n < cap) {
        if (hg->pos < hg->len) {
            size_t k = hg->len - hg->pos, a, b;
            if (k > cap - n) k = cap - n;
            memcpy(out + n, hg->buf + hg->pos, k);
            if (hg->head_done) { /* count the chunk data in [pos, pos + k) */
                a = hg->pos > hg->data_from ? hg->pos : hg->data_from;
                b = hg->pos + k < hg->data_to ? hg->pos + k : hg->data_to;
                if (b > a) hg->body += b - a;
            }
            hg->pos += k;
            n += k;
            continue;
        }
        hg->head_done = 1;
        if (hg->done) break;
        if (hg->mode == FR_CHUNKED) {
            http_gen_chunk(hg);
        } else {
            size_t got = hg->src(hg->ctx, out + n, cap - n);
            hg->body += got;
            n += got;
            if (got == 0) hg->done = 1;
            break;
        }
    }
    return n;
}

/* ------------------------------------------------------------------------- */
/* Test 1: a ~10 MiB answer through the HTTP reader, 1 KiB of I/O buffer      */
/* ------------------------------------------------------------------------- */
#define BIG_ENTRIES 50000u
#define BIG_LONG 65536u
#define BIG_FLAGS (GEN_LONG_TEXT | GEN_LONG_PATHS | GEN_EXTRA)
#define IO_HALF 512

static double secs_since(clock_t t0)
{
    return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

static void check_big(const ges_job_status_t *st, const gen_t *shape)
{
    static ges_job_status_t exp;
    static const int long_top[] = {GES_FI_JOB_TYPE, GES_FI_JOB_NAME,
                                   GES_FI_RELATED_GRAPH, GES_FI_FAIL_REASON,
                                   GES_FI_ERROR_MESSAGE};
    size_t i;
    gen_expect(shape, &exp);
    exp.http_status = 200;

    CHECK_EQ(st->http_status, 200);
    CHECK_STR(st->job_id, exp.job_id);
    CHECK_STR(st->status, "success");
    CHECK_EQ(st->job_state, GES_JOB_SUCCESS);
    CHECK_STR(st->begin_time, "2018-11-27T21:39:00");
    CHECK_STR(st->end_time, "2018-11-27T21:39:56");
    CHECK(st->job_progress == 0.75);
    CHECK((st->present & GES_F_ERROR_CODE) && st->len[GES_FI_ERROR_CODE] == 0);
    /* every long string: its exact first bytes, cut at its bound, flagged */
    for (i = 0; i < sizeof long_top / sizeof long_top[0]; i++) {
        size_t bound;
        int fi = long_top[i];
        const char *got = top_field((ges_job_status_t *)(void *)st, fi, &bound);
        const char *want = top_field(&exp, fi, &bound);
        CHECK_EQ(st->len[fi], exp.len[fi]);
        CHECK(memcmp(got, want, bound + 1) == 0);
        CHECK_EQ(st->truncated & (1u << fi), exp.truncated & (1u << fi));
        /* 64 KiB decode to about 37 KiB: cut at the bound (whole characters
         * end at every multiple of 8) and flagged */
        if (bound % 8 == 0 && bound < 30000) {
            CHECK_EQ(st->len[fi], bound);
            CHECK(st->truncated & (1u << fi));
        }
    }
    CHECK_EQ(st->job_type[0], 'T');
    CHECK(memcmp(st->job_type, "Tab\xC3\xA9\n\xC3\xA9"
                               "c\xE2\x82\xAC\xF0\x9F\x98\x80\"",
                 17) == 0);
    /* sets */
    CHECK(st->present & GES_F_JOB_DETAIL);
    CHECK_EQ(st->sets[GES_SET_VERTEXSET].count, BIG_ENTRIES);
    CHECK_EQ(st->sets[GES_SET_VERTEXSET].kept, GES_PATHS_MAX); /* < 50000 */
    CHECK(st->truncated & GES_F_SET(GES_SET_VERTEXSET));
    CHECK(st->present & GES_F_SET(GES_SET_EDGESET));
    CHECK_EQ(st->sets[GES_SET_EDGESET].count, 0);
    CHECK_EQ(st->sets[GES_SET_EDGESET].kept, 0);
    CHECK(!(st->truncated & GES_F_SET(GES_SET_EDGESET)));
    CHECK_EQ(st->sets[GES_SET_SCHEMA].count, 3);
    CHECK_EQ(st->sets[GES_SET_SCHEMA].kept, 3 < GES_PATHS_MAX ? 3 : GES_PATHS_MAX);
#if GES_PATHS_MAX > 0
    for (i = 0; i < GES_PATHS_MAX; i++) {
        const ges_job_file_t *e = &st->sets[GES_SET_VERTEXSET].entries[i];
        CHECK(memcmp(e, &exp.sets[GES_SET_VERTEXSET].entries[i], sizeof *e) == 0);
        if (vtx_long(shape, (uint32_t)i)) { /* the 64 KiB paths */
            CHECK_EQ(e->path[0], TAGS[i % 26]);
#if GES_PATH_MAX % 8 == 0 && GES_PATH_MAX < 30000
            CHECK(e->truncated & GES_FF_PATH);
            CHECK_EQ(e->len[GES_FE_PATH], GES_PATH_MAX);
#endif
        } else {
            CHECK(!(e->truncated & GES_FF_PATH));
        }
    }
#endif
#if GES_PATHS_MAX > 3 && GES_PATH_MAX < 30000
    CHECK(st->sets[GES_SET_VERTEXSET].entries[1].truncated & GES_FF_PATH);
    CHECK(st->sets[GES_SET_VERTEXSET].entries[3].truncated & GES_FF_PATH);
    CHECK_STR(st->sets[GES_SET_VERTEXSET].entries[2].path,
              "obs://ges-bucket/vertex/p000002.csv");
    CHECK_EQ(st->sets[GES_SET_VERTEXSET].entries[2].file_state, GES_FILE_PART_FAILED);
    CHECK_EQ(st->sets[GES_SET_VERTEXSET].entries[2].failed_lines, 2);
#endif
    CHECK(ges_job_truncated(st));
    /* and everything at once */
    CHECK(memcmp(st, &exp, sizeof exp) == 0);
}

static void big_framed(int mode)
{
    static gen_t g;
    static http_gen_t hg;
    static ges_job_status_t st;
    static char work[IO_HALF];
    static unsigned char rx[IO_HALF];
    ges_parser_t p;
    ges__http_t h;
    ges_err_t e = GES_OK;
    unsigned long long total = gen_total(BIG_ENTRIES, 3, BIG_LONG, BIG_FLAGS);
    unsigned long reads = 0;
    uint32_t rl = 12345;
    clock_t t0 = clock();
    static const char *const names[] = {"chunked", "content-length", "close"};

    gen_init(&g, BIG_ENTRIES, 3, BIG_LONG, BIG_FLAGS);
    http_gen_init(&hg, mode, gen_src, &g, total, 0xC0FFEEu + (uint32_t)mode);
    ges_parser_init(&p, &st, work, sizeof work);
    ges__http_init(&h, &p);
    for (;;) {
        size_t used = 0, want, n;
        want = mode == FR_CHUNKED ? 1 + lcg_next(&rl) % IO_HALF : IO_HALF;
        n = http_gen_next(&hg, rx, want);
        if (n == 0) break;
        reads++;
        e = ges__http_feed(&h, rx, n, &used);
        if (e != GES_OK) break;
        CHECK_EQ(used, n);
        if (used != n) break;
    }
    if (total > GES_BODY_MAX) { /* a build with a smaller limit */
        CHECK_EQ(e, GES_ERR_HTTP_BODY_TOO_LARGE);
        printf("  %s: refused, over GES_BODY_MAX\n", names[mode]);
        return;
    }
    CHECK_EQ(e, GES_OK);
    CHECK_EQ(h.body, total);
    CHECK_EQ(hg.body, total);
    CHECK_EQ(h.st, mode == FR_CLOSE ? H_BODY_CLOSE : H_DONE);
    e = ges__http_end(&h, mode == FR_CLOSE);
    CHECK_EQ(e, GES_OK);
    if (mode == FR_CHUNKED) CHECK(hg.chunks > 5000);
    check_big(&st, &g);
    printf("  %s: %llu body bytes, %lu reads, %.2f s\n", names[mode], total, reads,
           secs_since(t0));
}

static void test_big_chunked(void) { big_framed(FR_CHUNKED); }
static void test_big_content_length(void) { big_framed(FR_LENGTH); }
static void test_big_close(void) { big_framed(FR_CLOSE); }

/* The generator itself: its size, and the same bytes whatever the reads. */
static void test_generator(void)
{
    static unsigned char a[32768], b[32768];
    gen_t g1, g2;
    unsigned long long total = gen_total(BIG_ENTRIES, 3, BIG_LONG, BIG_FLAGS);
    size_t n1, n2, i;
    int same = 1;
    CHECK(total > 9ull * 1024 * 1024 && total < 11ull * 1024 * 1024);
    /* 4 KiB reads and 1..97-byte reads give the same stream (on a smaller
     * answer with every feature) */
    gen_init(&g1, 40, 3, 300, BIG_FLAGS | GEN_LONG_SHORTS | GEN_SPACES | GEN_SHIFT);
    gen_init(&g2, 40, 3, 300, BIG_FLAGS | GEN_LONG_SHORTS | GEN_SPACES | GEN_SHIFT);
    n1 = gen_fill(&g1, a, sizeof a);
    for (n2 = 0, i = 1; n2 < sizeof b; i = i % 97 + 1) {
        size_t k = gen_fill(&g2, b + n2, i < sizeof b - n2 ? i : sizeof b - n2);
        if (k == 0) break;
        n2 += k;
    }
    CHECK(n1 < sizeof a); /* it fits */
    CHECK_EQ(n1, n2);
    for (i = 0; i < n1 && i < n2; i++) same &= a[i] == b[i];
    CHECK(same);
    /* a long string is exactly long_len bytes on the wire */
    {
        lstr_t l;
        unit_t u;
        uint32_t len;
        for (len = 0; len < 200; len++) {
            size_t w = 0;
            lstr_start(&l, 'Q', len % 5, len);
            while (lstr_next(&l, &u)) w += u.el;
            CHECK_EQ(w, len);
        }
    }
    /* and the model agrees with the parser on it */
    {
        static ges_job_status_t got, want;
        CHECK_EQ(ges_job_parse((const char *)a, n1, &got), GES_OK);
        gen_expect(&g1, &want);
        CHECK(memcmp(&got, &want, sizeof got) == 0);
    }
}

/* ------------------------------------------------------------------------- */
/* Test 2: property test, every split and several work-buffer sizes           */
/* ------------------------------------------------------------------------- */
#include "seed_bodies.h"

static const size_t WORK_SIZES[] = {0, 1, 7, GES_IO_BUF_MIN / 2, 512, 4096};
#define N_WORK (sizeof WORK_SIZES / sizeof WORK_SIZES[0])

static char prop_work[4096];
static ges_job_status_t prop_ref, prop_got;
static unsigned long prop_parses;
static int prop_fail_reported;

/* Reference: the whole buffer at once. */
typedef struct {
    ges_err_t err;
    unsigned long long offset; /* error offset, from one feed of it all */
} ref_t;

static void take_ref(const char *doc, size_t n, ref_t *r)
{
    ges_parser_t p;
    static ges_job_status_t tmp;
    static char w[256];
    ges_job_status_init(&prop_ref);
    r->err = ges_job_parse(doc, n, &prop_ref);
    /* the error offset, as one feed with ges_job_parse's work size sees it */
    ges_parser_init(&p, &tmp, w, sizeof w);
    if (ges_parser_feed(&p, doc, n) == GES_OK) (void)ges_parser_finish(&p);
    r->offset = ges_parser_offset(&p);
}

/* Feed doc in the pieces cut at cuts[0..ncuts) (increasing), finish, and
 * compare with the reference. */
static void stream_cmp(const char *what, const char *doc, size_t n,
                       const ref_t *r, size_t ws, const size_t *cuts,
                       size_t ncuts)
{
    ges_parser_t p;
    ges_err_t e = GES_OK;
    size_t from = 0, i;
    ges_job_status_init(&prop_got);
    ges_parser_init(&p, &prop_got, ws ? prop_work : NULL, ws);
    for (i = 0; i <= ncuts && e == GES_OK; i++) {
        size_t to = i < ncuts ? cuts[i] : n;
        e = ges_parser_feed(&p, doc + from, to - from);
        from = to;
    }
    if (e == GES_OK) e = ges_parser_finish(&p);
    prop_parses++;
    if (e != r->err || memcmp(&prop_got, &prop_ref, sizeof prop_got) != 0 ||
        (e != GES_OK && ges_parser_offset(&p) != r->offset)) {
        CHECK(0 && "streamed result differs from the whole-buffer parse");
        if (prop_fail_reported++ < 10) {
            fprintf(stderr, "  %s: %zu bytes, work %zu, %zu cut(s) first at %zu: "
                            "err %d (want %d), offset %llu (want %llu), struct %s\n",
                    what, n, ws, ncuts, ncuts ? cuts[0] : 0, (int)e, (int)r->err,
                    ges_parser_offset(&p), r->offset,
                    memcmp(&prop_got, &prop_ref, sizeof prop_got) ? "differs" : "same");
        }
    }
}

/* For every work size: every 2-piece split (or, with `every` 0, one random
 * 2-piece split: used for the many error documents), plus `multi` random
 * multi-splits. */
static void prop_doc(const char *what, const char *doc, size_t n, int every,
                     unsigned multi, uint32_t *seed)
{
    static size_t cuts[4096];
    ref_t r;
    size_t w, s;
    take_ref(doc, n, &r);
    for (w = 0; w < N_WORK; w++) {
        size_t ws = WORK_SIZES[w];
        unsigned m;
        if (every) {
            for (s = 0; s <= n; s++) stream_cmp(what, doc, n, &r, ws, &s, 1);
        } else {
            s = n ? lcg_next(seed) % (n + 1) : 0;
            stream_cmp(what, doc, n, &r, ws, &s, 1);
        }
        for (m = 0; m < multi; m++) {
            size_t nc = 0, at = 0, maxp = 1 + lcg_next(seed) % (m % 3 == 0 ? 4 : 64);
            for (;;) {
                at += 1 + lcg_next(seed) % maxp;
                if (at >= n || nc == sizeof cuts / sizeof cuts[0]) break;
                cuts[nc++] = at;
            }
            stream_cmp(what, doc, n, &r, ws, cuts, nc);
        }
    }
}

static size_t gen_doc(char *buf, size_t cap, uint32_t nv, uint32_t ns,
                      uint32_t long_len, unsigned flags)
{
    gen_t g;
    size_t n;
    gen_init(&g, nv, ns, long_len, flags);
    n = gen_fill(&g, (unsigned char *)buf, cap);
    CHECK(n < cap);
    return n;
}

static void test_property(void)
{
    /* Shapes: entries 0..10, long strings from empty to two bounds over,
     * across every default bound (24, 32, 64, 128, 256), both spellings,
     * white space, unknown members in entries. */
    static const struct {
        uint32_t nv, ns, long_len;
        unsigned flags;
    } shapes[] = {
        {0, 0, 0, 0},
        {0, 0, 0, GEN_LONG_TEXT | GEN_LONG_SHORTS},
        {1, 1, 23, GEN_LONG_SHORTS},
        {1, 3, 40, GEN_LONG_SHORTS | GEN_SPACES},
        {2, 0, 41, GEN_LONG_SHORTS | GEN_LONG_PATHS},
        {4, 3, 44, GEN_LONG_SHORTS | GEN_V2},
        {3, 2, 57, GEN_LONG_SHORTS | GEN_EXTRA | GEN_SHIFT},
        {5, 1, 58, GEN_LONG_SHORTS | GEN_LONG_TEXT | GEN_LONG_PATHS},
        {6, 1, 112, GEN_LONG_TEXT},
        {4, 2, 113, GEN_LONG_TEXT | GEN_LONG_PATHS | GEN_V2 | GEN_SHIFT},
        {7, 0, 114, GEN_LONG_PATHS | GEN_EXTRA},
        {2, 1, 225, GEN_LONG_PATHS | GEN_SPACES},
        {2, 1, 230, GEN_LONG_TEXT | GEN_LONG_PATHS | GEN_SHIFT},
        {3, 1, 450, GEN_LONG_TEXT},
        {10, 3, 460, GEN_LONG_PATHS | GEN_EXTRA | GEN_V2},
        {8, 3, 0, GEN_LONG_PATHS | GEN_LONG_TEXT},
        {10, 0, 1, GEN_EXTRA | GEN_SPACES},
    };
    static char doc[32768];
    char what[64];
    size_t i, n, pos;
    uint32_t seed = 20240601u;
    clock_t t0 = clock();
    unsigned long before;

    /* the seeds, every split */
    prop_doc("seed-200", SEED_200, sizeof SEED_200 - 1, 1, 40, &seed);
    prop_doc("seed-400", SEED_400, sizeof SEED_400 - 1, 1, 40, &seed);
    /* generated answers */
    for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        n = gen_doc(doc, sizeof doc, shapes[i].nv, shapes[i].ns,
                    shapes[i].long_len, shapes[i].flags);
        snprintf(what, sizeof what, "shape %u (%u entries, strings of %u)",
                 (unsigned)i, (unsigned)shapes[i].nv, (unsigned)shapes[i].long_len);
        /* the model first: the reference itself must be right */
        {
            gen_t g;
            static ges_job_status_t want;
            gen_init(&g, shapes[i].nv, shapes[i].ns, shapes[i].long_len,
                     shapes[i].flags);
            gen_expect(&g, &want);
            CHECK_EQ(ges_job_parse(doc, n, &prop_ref), GES_OK);
            CHECK(memcmp(&want, &prop_ref, sizeof want) == 0);
        }
        /* every split while the time budget lasts (slow builds, such as
         * sanitizers, fall back to sampled splits) */
        prop_doc(what, doc, n, n <= 5000 && secs_since(t0) < 5.0, 40, &seed);
    }
    /* random shapes, sampled splits */
    for (i = 0; i < 300; i++) {
        static const unsigned fl[] = {GEN_LONG_TEXT, GEN_LONG_SHORTS, GEN_LONG_PATHS,
                                      GEN_V2, GEN_EXTRA, GEN_SPACES, GEN_SHIFT};
        uint32_t nv = lcg_next(&seed) % 11, ns = lcg_next(&seed) % 4;
        uint32_t ll = lcg_next(&seed) % 600;
        unsigned flags = 0, b;
        for (b = 0; b < sizeof fl / sizeof fl[0]; b++) {
            if (lcg_next(&seed) % 2) flags |= fl[b];
        }
        n = gen_doc(doc, sizeof doc, nv, ns, ll, flags);
        snprintf(what, sizeof what, "random shape %u (%u entries, strings of %u)",
                 (unsigned)i, (unsigned)nv, (unsigned)ll);
        {
            gen_t g;
            static ges_job_status_t want;
            gen_init(&g, nv, ns, ll, flags);
            gen_expect(&g, &want);
            CHECK_EQ(ges_job_parse(doc, n, &prop_ref), GES_OK);
            CHECK(memcmp(&want, &prop_ref, sizeof want) == 0);
        }
        prop_doc(what, doc, n, 0, 6, &seed);
    }
    before = prop_parses;
    /* errors split anywhere: every prefix of the seeds, and the seeds with
     * one byte replaced, at every position */
    for (i = 0; i < 2; i++) {
        const char *seed_doc = i ? SEED_400 : SEED_200;
        size_t len = i ? sizeof SEED_400 - 1 : sizeof SEED_200 - 1, k;
        static const char subst[] = "\"}],\\:1 n\x80\x01{[";
        for (n = 0; n < len; n++) {
            prop_doc("seed prefix", seed_doc, n, 0, 2, &seed);
        }
        for (pos = 0; pos < len; pos++) {
            for (k = 0; k < sizeof subst - 1; k++) {
                memcpy(doc, seed_doc, len);
                if (doc[pos] == subst[k]) continue;
                doc[pos] = subst[k];
                prop_doc("seed corrupted", doc, len, 0, 1, &seed);
            }
        }
    }
    /* a small generated answer with long strings, corrupted */
    n = gen_doc(doc, sizeof doc, 2, 1, 60, GEN_LONG_SHORTS | GEN_LONG_PATHS | GEN_SHIFT);
    for (pos = 0; pos < n; pos += 3) {
        static char bad[4096];
        if (n > sizeof bad) break;
        memcpy(bad, doc, n);
        bad[pos] = (char)(pos % 2 ? '\\' : '\xC3');
        prop_doc("generated corrupted", bad, n, 0, 1, &seed);
    }
    printf("  %lu streamed parses (%lu of error documents) compared, %.2f s\n",
           prop_parses, prop_parses - before, secs_since(t0));
    CHECK(secs_since(t0) < GES_TEST_PROPERTY_SECONDS);
}

/* ------------------------------------------------------------------------- */
/* Test 3: an endless body is refused exactly after GES_BODY_MAX bytes        */
/* ------------------------------------------------------------------------- */
typedef struct {
    unsigned long long n;
    const char *head, *rep, *tail;
    unsigned long long limit; /* 0: endless; else total bytes (head + pad + tail) */
} endless_t;

static size_t endless_src(void *ctx, unsigned char *buf, size_t cap)
{
    endless_t *s = (endless_t *)ctx;
    size_t i, hl = strlen(s->head), rl = strlen(s->rep), tl = strlen(s->tail);
    for (i = 0; i < cap; i++, s->n++) {
        unsigned long long at = s->n;
        if (at < hl) {
            buf[i] = (unsigned char)s->head[at];
        } else if (s->limit == 0 || at < s->limit - tl) {
            buf[i] = (unsigned char)s->rep[(at - hl) % rl];
        } else if (at < s->limit) {
            buf[i] = (unsigned char)s->tail[at - (s->limit - tl)];
        } else {
            break;
        }
    }
    return i;
}

static void endless(int mode)
{
    static http_gen_t hg;
    static ges_job_status_t st;
    static char work[IO_HALF];
    static unsigned char rx[IO_HALF];
    endless_t src = {0, "{\"jobId\":\"endless\",\"unknown\":[",
                     "{\"a\":[1,2,3],\"b\":\"xyz\\u00e9\xC3\xA9\"},", "", 0};
    ges_parser_t p;
    ges__http_t h;
    ges_err_t e = GES_OK;
    unsigned long long accepted = 0, in_read = 0;
    clock_t t0 = clock();

    http_gen_init(&hg, mode, endless_src, &src, 0, 77u);
    ges_parser_init(&p, &st, work, sizeof work);
    ges__http_init(&h, &p);
    for (;;) {
        size_t used = 0, n;
        unsigned long long before = hg.body;
        /* 512-byte reads, then single bytes near the limit, so the read
         * that fails carries exactly one body byte */
        n = http_gen_next(&hg, rx, accepted + 4096 < GES_BODY_MAX ? IO_HALF : 1);
        in_read = hg.body - before;
        CHECK(n > 0);
        if (n == 0) break;
        e = ges__http_feed(&h, rx, n, &used);
        if (e != GES_OK) break;
        accepted += in_read;
        if (accepted > GES_BODY_MAX || secs_since(t0) > 60.0) break; /* failed */
    }
    CHECK_EQ(e, GES_ERR_HTTP_BODY_TOO_LARGE);
    CHECK_EQ(accepted, GES_BODY_MAX); /* every byte up to the limit taken */
    CHECK_EQ(in_read, 1);             /* and refused at byte MAX + 1 */
    CHECK_EQ(h.body, GES_BODY_MAX);
    CHECK_EQ(p.err, GES_OK); /* the JSON itself was fine */
    CHECK(strstr(ges_strerror(e), "too large") != NULL);
    CHECK(secs_since(t0) < 20.0);
    printf("  %s: refused after %llu body bytes, %.2f s\n",
           mode == FR_CHUNKED ? "chunked" : "close", accepted, secs_since(t0));
}

static void test_endless_chunked(void) { endless(FR_CHUNKED); }
static void test_endless_close(void) { endless(FR_CLOSE); }

/* A body of exactly GES_BODY_MAX bytes is read; one more byte is not. */
static void test_body_max_exact(void)
{
    static http_gen_t hg;
    static ges_job_status_t st;
    static char work[IO_HALF];
    static unsigned char rx[IO_HALF];
    /* {"jobId":"exact","pad":"zzz...z"} of exactly GES_BODY_MAX bytes */
    endless_t src = {0, "{\"jobId\":\"exact\",\"pad\":\"", "z", "\"}",
                     GES_BODY_MAX};
    ges_parser_t p;
    ges__http_t h;
    ges_err_t e = GES_OK;
    char resp[160];

    http_gen_init(&hg, FR_LENGTH, endless_src, &src, GES_BODY_MAX, 1u);
    ges_parser_init(&p, &st, work, sizeof work);
    ges__http_init(&h, &p);
    for (;;) {
        size_t used = 0, n = http_gen_next(&hg, rx, IO_HALF);
        if (n == 0) break;
        e = ges__http_feed(&h, rx, n, &used);
        if (e != GES_OK) break;
    }
    CHECK_EQ(e, GES_OK);
    CHECK_EQ(h.body, GES_BODY_MAX);
    CHECK_EQ(ges__http_end(&h, 0), GES_OK);
    CHECK_STR(st.job_id, "exact");

    /* Content-Length one over the limit: refused before any body byte */
    snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n\r\n{}",
             (unsigned long)GES_BODY_MAX + 1ul);
    CHECK_EQ(ges_job_parse_response(resp, strlen(resp), &st),
             GES_ERR_HTTP_BODY_TOO_LARGE);
    snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n\r\n",
             (unsigned long)GES_BODY_MAX);
    CHECK_EQ(ges_job_parse_response(resp, strlen(resp), &st), GES_ERR_NET_CLOSED);
    /* one chunk over the limit: refused at its size line */
    snprintf(resp, sizeof resp,
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%lx\r\n{}",
             (unsigned long)GES_BODY_MAX + 1ul);
    CHECK_EQ(ges_job_parse_response(resp, strlen(resp), &st),
             GES_ERR_HTTP_BODY_TOO_LARGE);
    /* a chunk size with endless digits: refused, not accumulated */
    {
        ges_parser_t p2;
        ges__http_t h2;
        static const char head[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        unsigned char zeros[64];
        size_t used, k;
        ges_parser_init(&p2, &st, work, sizeof work);
        ges__http_init(&h2, &p2);
        CHECK_EQ(ges__http_feed(&h2, (const unsigned char *)head, sizeof head - 1, &used),
                 GES_OK);
        memset(zeros, '0', sizeof zeros);
        e = GES_OK;
        for (k = 0; k < 100000 && e == GES_OK; k++) {
            e = ges__http_feed(&h2, zeros, sizeof zeros, &used);
        }
        CHECK(e == GES_ERR_HTTP_FRAMING || e == GES_ERR_HTTP_BODY_TOO_LARGE);
        CHECK(k < 100000);
    }
}

/* ------------------------------------------------------------------------- */
/* A count of digits beyond any int32 cannot overflow the exponent: the
 * decimal exponent saturates (a number of 3 * 2^30 digits, streamed). */
static void test_number_exponent_saturates(void)
{
    static char digits[1 << 16];
    ges_parser_t p;
    ges_err_t e = GES_OK;
    unsigned long i, n = (3ul << 30) / sizeof digits;
    memset(digits, '7', sizeof digits);
    /* an integer part of 3 * 2^30 digits: far above 1.8e308 */
    ges_parser_init(&p, &prop_got, NULL, 0);
    e = ges_parser_feed(&p, "{\"jobProgress\":1", 16);
    for (i = 0; i < n && e == GES_OK && p.offset < GES_BODY_MAX - sizeof digits; i++) {
        e = ges_parser_feed(&p, digits, sizeof digits);
    }
    /* the body bound stops it first with the default GES_BODY_MAX; what
     * matters is that nothing is accepted with a wrapped exponent */
    CHECK(e == GES_OK || e == GES_ERR_HTTP_BODY_TOO_LARGE);
    if (e == GES_OK) e = ges_parser_feed(&p, "}", 1);
    if (e == GES_OK) e = ges_parser_finish(&p);
    CHECK(e == GES_ERR_JSON_NUMBER || e == GES_ERR_HTTP_BODY_TOO_LARGE);
    /* and directly: the reader's exponents saturate */
    {
        ges__num_t num;
        double v;
        int64_t iv;
        memset(&num, 0, sizeof num);
        (void)ges__num_byte(&num, '0');
        (void)ges__num_byte(&num, '.');
        for (i = 0; i < 3000000ul; i++) (void)ges__num_byte(&num, '0');
        (void)ges__num_byte(&num, '5');
        CHECK(num.exp10 >= -GES__NUM_SAT);
        CHECK_EQ(ges__num_to_f64(&num, &v), GES_OK);
        CHECK(v == 0.0);
        CHECK_EQ(ges__num_to_i64(&num, &iv), GES_ERR_JSON_NUMBER);
        memset(&num, 0, sizeof num);
        for (i = 0; i < 3000000ul; i++) (void)ges__num_byte(&num, '9');
        CHECK(num.exp10 <= GES__NUM_SAT);
        CHECK_EQ(ges__num_to_f64(&num, &v), GES_ERR_JSON_NUMBER);
        CHECK_EQ(ges__num_to_i64(&num, &iv), GES_ERR_JSON_NUMBER);
    }
}

/* ges__plain_run (word-at-a-time) against the byte definition: every byte
 * value at every position of runs of 1..9 bytes. */
static void test_plain_run_exhaustive(void)
{
    char buf[9];
    int bad = 0;
    size_t len, pos;
    unsigned c;
    for (len = 1; len <= sizeof buf; len++) {
        for (pos = 0; pos < len; pos++) {
            for (c = 0; c < 256; c++) {
                size_t want, got;
                memset(buf, 'a', sizeof buf);
                buf[pos] = (char)c;
                want = (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') ? len : pos;
                got = ges__plain_run(buf, len);
                if (got != want && bad++ < 5) {
                    fprintf(stderr, "plain_run len %u byte 0x%02x at %u: %u, want %u\n",
                            (unsigned)len, c, (unsigned)pos, (unsigned)got, (unsigned)want);
                }
            }
        }
    }
    CHECK_EQ(bad, 0);
}

/* ges__sdec_byte is the decoder's byte definition, whole: its callers take
 * the closing quote and plain bytes themselves (ges__sdec_feed, ges__byte),
 * so only a direct call takes its '"' and plain-byte branches. A string fed
 * through it a byte at a time decodes as ges__sdec_feed decodes it. */
static void test_sdec_byte_definition(void)
{
    static const char enc[] = "ab\\\"c\\u00e9\xc3\xa9z\\n\xf0\x9f\x98\x80.\"";
    char one[32], all[32];
    ges__sdec_t d1, d2;
    size_t i, k = 0;
    int r = GES__STR_MORE;
    ges__sdec_init(&d1, one, sizeof one);
    for (i = 0; i < sizeof enc - 1; i++) {
        r = ges__sdec_byte(&d1, (unsigned char)enc[i]);
        if (r != GES__STR_MORE) break;
    }
    CHECK_EQ(r, GES__STR_END);
    CHECK_EQ(i, sizeof enc - 2); /* at the closing quote */
    ges__sdec_init(&d2, all, sizeof all);
    CHECK_EQ(ges__sdec_feed(&d2, enc, sizeof enc - 1, &k), GES__STR_END);
    CHECK_EQ(k, sizeof enc - 2);
    CHECK_EQ(d1.len, d2.len);
    CHECK_EQ(d1.len, 15); /* ab"c, two e-acutes, z, LF, a 4-byte emoji, . */
    CHECK(d1.len == d2.len && memcmp(one, all, d1.len) == 0);
    CHECK(memcmp(one, "ab\"c\xc3\xa9\xc3\xa9z\n\xf0\x9f\x98\x80.", 15) == 0);
    CHECK(!d1.trunc);
    /* a plain byte into a full destination: cut, not written */
    ges__sdec_init(&d1, one, 2);
    CHECK_EQ(ges__sdec_byte(&d1, 'x'), GES__STR_MORE);
    CHECK_EQ(ges__sdec_byte(&d1, 'y'), GES__STR_MORE);
    CHECK_EQ(ges__sdec_byte(&d1, 'z'), GES__STR_MORE);
    CHECK_EQ(d1.len, 2);
    CHECK(d1.trunc && one[0] == 'x' && one[1] == 'y');
}

int main(void)
{
    struct rusage ru;
    setvbuf(stdout, NULL, _IOLBF, 0);
    RUN(test_table_covers_schema);
    RUN(test_generator);
    RUN(test_big_chunked);
    RUN(test_big_content_length);
    RUN(test_big_close);
    RUN(test_property);
    RUN(test_endless_chunked);
    RUN(test_endless_close);
    RUN(test_body_max_exact);
    RUN(test_number_exponent_saturates);
    RUN(test_plain_run_exhaustive);
    RUN(test_sdec_byte_definition);
#ifndef GES_TEST_NO_RUSAGE /* bare-metal newlib (tests/firmware): no ru_maxrss */
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        printf("peak RSS: %ld KiB (information)\n", (long)ru.ru_maxrss);
    }
#else
    (void)ru;
#endif
    return harness_done();
}
