/*
 * libFuzzer harness: the HTTP response reader (ges__http_feed and
 * ges__http_end, the state machine the client runs over TLS) on arbitrary
 * bytes taken as one HTTP response.
 *
 * Build: see fuzz_parse.c, or tests/fuzz/run.sh.
 *
 * The input is fed three ways, which must agree (abort() otherwise):
 *   A. ges_job_parse_response() on the whole input;
 *   B. ges__http_feed() in pieces whose sizes come from a PRNG seeded with
 *      a hash of the input (1-byte pieces, small ones, large ones, mixed),
 *      with a work buffer of 0..600 bytes, then ges__http_end(h, 1); the
 *      way the client's read loop uses the reader, with the transport in
 *      memory;
 *   C. ges__http_feed() on the whole input at once, with another work size.
 * B and C follow ges_job_parse_response()'s rules: bytes after a complete
 * answer are GES_ERR_HTTP, and any error but GES_ERR_SERVICE resets the
 * struct.
 *
 * Checks:
 *   - same error code for A, B and C; same struct (memcmp) always (OK and
 *     SERVICE keep fields, the rest is reset but for http_status); B and C
 *     end in the same reader state (status, close, retry_after, date);
 *   - a Date the reader took (>= 0) is an IMF-fixdate present in the
 *     input (formatted back independently);
 *   - ges__http_feed: used <= n always; used == n unless the answer is
 *     complete or an error stopped it; the reader's line window, header
 *     count and body count stay within their bounds;
 *   - every code is one ges_job_parse_response() documents;
 *   - GES_OK: 2xx, errorCode absent, null or empty; SERVICE: a final
 *     status (>= 200) that is not 2xx, or a 2xx with an errorCode;
 *     other errors: the struct is ges_job_status_init() but http_status;
 *   - OK and SERVICE: fz_check_status() on the struct, and an independent,
 *     lenient de-framer (fz_reference below: 1xx skipped, Content-Length,
 *     chunked, close-delimited, 204/304) must find the answer ending
 *     exactly at the end of the input with the same status, and the struct
 *     must equal ges_job_parse() of the body it extracted (or the reset
 *     struct, for a non-2xx answer whose body is not a valid job-status
 *     JSON), plus http_status.
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

typedef struct {
    ges_err_t err;
    int status;
    int close;
    uint32_t retry_after;
    int64_t date;
} fz_http_run_t;

static int fz_is_response_err(ges_err_t e)
{
    switch (e) {
    case GES_OK:
    case GES_ERR_SERVICE:
    case GES_ERR_HTTP:
    case GES_ERR_HTTP_HEADERS_TOO_LARGE:
    case GES_ERR_HTTP_BODY_TOO_LARGE:
    case GES_ERR_HTTP_FRAMING:
    case GES_ERR_HTTP_ENCODING:
    case GES_ERR_NET_CLOSED:
    case GES_ERR_JSON_SYNTAX:
    case GES_ERR_JSON_ESCAPE:
    case GES_ERR_JSON_UTF8:
    case GES_ERR_JSON_INCOMPLETE:
    case GES_ERR_JSON_NOT_OBJECT:
    case GES_ERR_JSON_NUMBER:
    case GES_ERR_JSON_TYPE:
    case GES_ERR_JSON_DEPTH:
    case GES_ERR_JSON_TRAILING:
        return 1;
    default:
        return 0;
    }
}

static void fz_check_reader(const ges__http_t *h, ges_err_t e)
{
    FZ_CHECK(h->line_len <= sizeof h->line, "line window within bounds");
    /* the byte that goes over is counted, then refused */
    FZ_CHECK(h->hdr <= GES_HTTP_HEADERS_MAX ||
                 (h->hdr == GES_HTTP_HEADERS_MAX + 1 && e == GES_ERR_HTTP_HEADERS_TOO_LARGE),
             "header bytes within GES_HTTP_HEADERS_MAX");
    FZ_CHECK(h->body <= GES_BODY_MAX, "body bytes within GES_BODY_MAX");
    FZ_CHECK(h->st <= H_DONE, "reader state is a known state");
}

/* Feed data[0..n) in pieces (sizes from rng, or all at once when rng is
 * NULL), the way ges_job_parse_response() would judge the whole. */
static fz_http_run_t fz_feed(const uint8_t *data, size_t n, size_t work_len,
                             fz_rng_t *rng, ges_job_status_t *out)
{
    ges_parser_t json;
    ges__http_t h;
    fz_http_run_t r;
    char *work = (char *)malloc(work_len ? work_len : 1);
    size_t off = 0;
    ges_err_t e = GES_OK;
    unsigned mode = rng ? (unsigned)fz_below(rng, 4) : 0;

    FZ_CHECK(work != NULL, "harness: out of memory");
    memset(out, 0xA5, sizeof *out);
    ges_parser_init(&json, out, work, work_len);
    ges__http_init(&h, &json);
    while (off < n) {
        size_t k = n - off, used = (size_t)-1;
        if (rng != NULL) {
            switch (mode) {
            case 0: k = 1; break;                              /* byte by byte */
            case 1: k = 1 + fz_below(rng, 8); break;           /* small pieces */
            case 2: k = 1 + fz_below(rng, 200); break;         /* TLS-record-ish */
            default: k = (fz_next(rng) & 1) ? 1 + fz_below(rng, 3)
                                            : 1 + fz_below(rng, n); break;
            }
            if (k > n - off) k = n - off;
        }
        e = ges__http_feed(&h, data + off, k, &used);
        FZ_CHECK(used <= k, "ges__http_feed: used <= n");
        fz_check_reader(&h, e);
        if (e != GES_OK) {
            FZ_CHECK(fz_is_reset(out, out->http_status), "a feed error resets the struct");
            break;
        }
        FZ_CHECK(used == k || h.st == H_DONE,
                 "ges__http_feed uses the whole piece unless the answer ended");
        off += used;
        if (h.st == H_DONE) {
            if (off < n) e = GES_ERR_HTTP; /* bytes after the answer */
            break;
        }
    }
    if (e == GES_OK) {
        e = ges__http_end(&h, 1);
        fz_check_reader(&h, e);
    }
    if (e != GES_OK && e != GES_ERR_SERVICE) ges__status_reset(out);
    r.err = e;
    r.status = h.status;
    r.close = h.close;
    r.retry_after = h.retry_after;
    r.date = h.date;
    free(work);
    return r;
}

/* A Date the reader took (UTC seconds >= 0) must be an IMF-fixdate written
 * in the input: format it back independently and look for it. */
static void fz_check_date(const uint8_t *d, size_t n, int64_t t)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char want[32];
    int64_t days = t / 86400, secs = t % 86400, y = 1970;
    unsigned m = 0, len, i;
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (;;) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (days < 365 + leap) break;
        days -= 365 + leap;
        y++;
    }
    for (m = 0; m < 12; m++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        unsigned dim = mdays[m] + (m == 1 && leap ? 1u : 0u);
        if (days < (int64_t)dim) break;
        days -= dim;
    }
    FZ_CHECK(y <= 9999 && m < 12, "Date within years 1970..9999");
    len = (unsigned)snprintf(want, sizeof want, "%02d %s %04d %02d:%02d:%02d GMT",
                             (int)days + 1, mon[m], (int)y, (int)(secs / 3600),
                             (int)(secs / 60 % 60), (int)(secs % 60));
    for (i = 0; i + len <= n; i++) {
        if (memcmp(d + i, want, len) == 0) return;
    }
    fprintf(stderr, "date %lld is %s\n", (long long)t, want);
    FZ_CHECK(0, "the Date the reader took is written in the input");
}

/* ------------------------------------------------------------------------- */
/* An independent de-framer, for answers the library accepted                 */
/* ------------------------------------------------------------------------- */
typedef struct {
    int ok;
    int status;
    size_t end;     /* where the answer ended */
    char *body;     /* malloc'd, body_len bytes */
    size_t body_len;
} fz_ref_t;

/* Next line from *pos: [start, start+len) before its CRLF. */
static int fz_line(const uint8_t *d, size_t n, size_t *pos, size_t *start, size_t *len)
{
    size_t i;
    for (i = *pos; i + 1 < n; i++) {
        if (d[i] == '\r' && d[i + 1] == '\n') {
            *start = *pos;
            *len = i - *pos;
            *pos = i + 2;
            return 1;
        }
    }
    return 0;
}

static int fz_name_is(const uint8_t *l, size_t n, const char *name, size_t *vstart)
{
    size_t i, nl = strlen(name);
    if (n <= nl || l[nl] != ':') return 0;
    for (i = 0; i < nl; i++) {
        unsigned char c = l[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (c != (unsigned char)name[i]) return 0;
    }
    *vstart = nl + 1;
    return 1;
}

static fz_ref_t fz_reference(const uint8_t *d, size_t n)
{
    fz_ref_t r;
    size_t pos = 0, s, l;
    memset(&r, 0, sizeof r);
    r.body = (char *)malloc(n ? n : 1);
    FZ_CHECK(r.body != NULL, "harness: out of memory");
    for (;;) {
        int chunked = 0, have_len = 0;
        uint64_t clen = 0;
        if (!fz_line(d, n, &pos, &s, &l) || l < 12) return r;
        r.status = (d[s + 9] - '0') * 100 + (d[s + 10] - '0') * 10 + (d[s + 11] - '0');
        for (;;) {
            size_t v;
            if (!fz_line(d, n, &pos, &s, &l)) return r;
            if (l == 0) break;
            if (fz_name_is(d + s, l, "content-length", &v)) {
                have_len = 1;
                clen = 0;
                for (; v < l; v++) {
                    if (d[s + v] >= '0' && d[s + v] <= '9') clen = clen * 10 + (d[s + v] - '0');
                }
            } else if (fz_name_is(d + s, l, "transfer-encoding", &v)) {
                chunked = 1;
            }
        }
        if (r.status < 200) continue; /* interim answer */
        if (r.status == 204 || r.status == 304) {
            /* no body */
        } else if (chunked) {
            for (;;) {
                uint64_t size = 0;
                size_t i;
                if (!fz_line(d, n, &pos, &s, &l)) return r;
                for (i = 0; i < l; i++) {
                    unsigned char c = d[s + i];
                    int x = c >= '0' && c <= '9' ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                    if (x < 0) break;
                    size = size * 16 + (uint64_t)x;
                }
                if (size == 0) {
                    do {
                        if (!fz_line(d, n, &pos, &s, &l)) return r;
                    } while (l != 0); /* trailers */
                    break;
                }
                if (size > n - pos) return r;
                memcpy(r.body + r.body_len, d + pos, (size_t)size);
                r.body_len += (size_t)size;
                pos += (size_t)size;
                if (n - pos < 2 || d[pos] != '\r' || d[pos + 1] != '\n') return r;
                pos += 2;
            }
        } else if (have_len) {
            if (clen > n - pos) return r;
            memcpy(r.body, d + pos, (size_t)clen);
            r.body_len = (size_t)clen;
            pos += (size_t)clen;
        } else {
            memcpy(r.body, d + pos, n - pos);
            r.body_len = n - pos;
            pos = n;
        }
        r.end = pos;
        r.ok = 1;
        return r;
    }
}

/* ------------------------------------------------------------------------- */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ges_job_status_t a, b, c, ref; /* static: several KiB each */
    fz_rng_t rng;
    ges_err_t e;
    fz_http_run_t rb, rc;
    size_t wb, wc;

    if (data == NULL) data = (const uint8_t *)"";
    rng.s = fz_hash(data, size);
    wb = fz_below(&rng, 3) == 0 ? fz_below(&rng, 16) : fz_below(&rng, FZ_WORK_MAX + 1);
    wc = fz_below(&rng, FZ_WORK_MAX + 1);

    /* A */
    memset(&a, 0xA5, sizeof a);
    e = ges_job_parse_response((const char *)data, size, &a);
    FZ_CHECK(fz_is_response_err(e), "a code ges_job_parse_response documents");

    /* B and C */
    rb = fz_feed(data, size, wb, &rng, &b);
    rc = fz_feed(data, size, wc, NULL, &c);
    if (rb.err != e || rc.err != e || memcmp(&a, &b, sizeof a) != 0 ||
        memcmp(&a, &c, sizeof a) != 0) {
        fprintf(stderr, "whole %d, pieces %d (work %lu), one feed %d (work %lu)\n",
                (int)e, (int)rb.err, (unsigned long)wb, (int)rc.err, (unsigned long)wc);
    }
    FZ_CHECK(rc.err == e, "one feed: same code as ges_job_parse_response");
    FZ_CHECK(memcmp(&a, &c, sizeof a) == 0, "one feed: same struct as ges_job_parse_response");
    FZ_CHECK(rb.err == e, "pieces: same code as ges_job_parse_response");
    FZ_CHECK(memcmp(&a, &b, sizeof a) == 0, "pieces: same struct as ges_job_parse_response");
    FZ_CHECK(rb.status == rc.status && rb.close == rc.close &&
                 rb.retry_after == rc.retry_after && rb.date == rc.date,
             "pieces and one feed end in the same reader state");
    if (rc.date >= 0) fz_check_date(data, size, rc.date);
    FZ_CHECK(rc.retry_after <= 86400, "Retry-After within its cap");
    FZ_CHECK(a.http_status == 0 || (a.http_status >= 100 && a.http_status <= 999),
             "http_status 0 or a three-digit code");

    if (e == GES_OK || e == GES_ERR_SERVICE) {
        fz_ref_t r;
        int two = a.http_status >= 200 && a.http_status <= 299;
        int code = (a.present & GES_F_ERROR_CODE) && !(a.null & GES_F_ERROR_CODE) &&
                   a.len[GES_FI_ERROR_CODE] > 0;
        FZ_CHECK(a.http_status >= 200, "a final answer has a final status");
        if (e == GES_OK) {
            FZ_CHECK(two && !code, "GES_OK: 2xx without errorCode");
        } else {
            FZ_CHECK(!two || code, "GES_ERR_SERVICE: non-2xx, or a 2xx errorCode");
        }
        fz_check_status(&a);

        r = fz_reference(data, size);
        FZ_CHECK(r.ok, "reference de-framer frames an accepted answer");
        FZ_CHECK(r.end == size, "an accepted answer ends at the end of the input");
        FZ_CHECK(r.status == a.http_status, "reference finds the same status");
        {
            ges_err_t je = ges_job_parse(r.body, r.body_len, &ref);
            ref.http_status = a.http_status;
            if (two) FZ_CHECK(je == GES_OK, "2xx accepted: its body parses alone");
            if (memcmp(&a, &ref, sizeof a) != 0) {
                fprintf(stderr, "body (%lu bytes, parse %d): %.*s\n",
                        (unsigned long)r.body_len, (int)je, (int)r.body_len, r.body);
            }
            FZ_CHECK(memcmp(&a, &ref, sizeof a) == 0,
                     "the struct is ges_job_parse() of the de-framed body");
        }
        free(r.body);
    } else {
        FZ_CHECK(fz_is_reset(&a, a.http_status), "an error leaves the struct reset");
    }
    return 0;
}
