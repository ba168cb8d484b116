/*
 * Unit tests of ges_job's HTTP stage: the request writer (ges__wr_t,
 * ges__write_request), the argument checks (ges__id_ok, ges__token_ok,
 * ges__host_norm), the response reader (ges__http_feed, ges__http_end) and
 * ges_job_parse_response().
 *
 * Build (from the repository root), or `make build/test_http`:
 *   gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -Wshadow -I. -Iport/posix \
 *       tests/test_http.c -lmbedtls -lmbedx509 -lmbedcrypto -o build/test_http
 * This file includes ges_job.c to reach its static internals: do not link
 * ges_job.c or libges_job.a with it. It reads no file: the seed bodies of
 * tests/data are embedded below.
 *
 * What is covered, in the order of main():
 *   - request writer, through an in-memory sink (64 KiB capture, call
 *     counter, optional failure on the Nth call): exact bytes on port 443
 *     (no port in Host) and other ports; percent-encoding of reserved,
 *     control and UTF-8 bytes, unreserved bytes kept, every byte 1..255
 *     against an independent encoder; a 16 KiB token through a 64-byte
 *     (and a 1-byte) buffer, identical to a 4 KiB buffer, with the exact
 *     number and size of sink calls; a sink failing on call 1, 2 or the
 *     last one: its error comes back and nothing more is sent;
 *   - ges__id_ok, ges__token_ok, ges__host_norm (names, IPv4 and IPv6
 *     literals), bounds included; ges__ip_parse against inet_pton (fixed
 *     cases and 400,000 random strings); the Host header of each;
 *   - response reader: every response is fed whole, with four work-buffer
 *     sizes, split in two at EVERY byte position and one byte at a time
 *     (above 3000 bytes: every split within 64 bytes of either end, and
 *     every 97th position);
 *     the outcome (code of feed/end, the result struct by memcmp, h.status,
 *     h.close, h.retry_after, where the answer ended) must be the same for
 *     all of them, and is compared with exact expectations: a 2xx or a
 *     JSON error answer must give exactly ges_job_parse(body) plus
 *     http_status, every other error exactly ges_job_status_init() plus
 *     http_status. ges__http_feed must never report used > n, must use
 *     the whole piece unless it stops (error or H_DONE), and after H_DONE
 *     `used` must point just past the answer (checked again with bytes
 *     appended after the answer);
 *       OK and service cases: Content-Length, odd-case names, OWS, same
 *       Content-Length twice, chunked (sizes 1 and 7, hex upper/lower,
 *       leading zeros, extensions, trailers), 1xx answers skipped, 204 and
 *       304, status line without reason, close-delimited bodies, the
 *       Connection / keep-alive rules, Retry-After, redirects, 400 with the
 *       seed error body, HTML error pages, a 2xx with errorCode, malformed
 *       JSON in a 2xx;
 *       errors: every Content-Length and Transfer-Encoding conflict or
 *       invalid value, bad chunk sizes and chunk framing, endless chunk
 *       extensions, control bytes, folding, bare LF, lone CR, bad status
 *       lines, 101, headers (1xx and trailers included) over
 *       GES_HTTP_HEADERS_MAX at the exact byte, answers cut short anywhere,
 *       framing errors after part of the body was parsed;
 *   - GES_BODY_MAX: per-chunk size, running total of chunked, Content-Length
 *     and close-delimited bodies, in 2xx (JSON parsed) and 5xx (JSON
 *     ignored) answers, at the exact byte;
 *   - ges_job_parse_response() on whole buffers, bytes after the answer,
 *     NULL arguments.
 */
#define _POSIX_C_SOURCE 200809L /* inet_pton, the oracle of test_ip_parse */
#include "assert_on.h"          /* GES_ASSERT is assert() */
#include "../ges_job.c"
#include "harness.h"

#ifndef GES_TEST_NO_INET_PTON /* bare-metal newlib (tests/firmware) has none */
#include <arpa/inet.h>
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if GES_CONFIG_NO_TLS
#error "the request writer is built only with TLS: unset GES_CONFIG_NO_TLS"
#endif

/* ------------------------------------------------------------------------- */
/* Seed bodies (tests/data/seed-200.json and seed-400.json, byte for byte)    */
/* ------------------------------------------------------------------------- */
#include "seed_bodies.h"

/* A short body, so that the many splits of the many cases stay fast. */
static const char SMALL[] =
    "{\"jobId\":\"j1\",\"status\":\"running\",\"jobProgress\":0.5}";

static const char HTML_502[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
    "<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n";

#define JUNK "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"

/* ========================================================================= */
/* Request writer                                                             */
/* ========================================================================= */
static unsigned char cap_buf[65536]; /* what the sink received */
static size_t cap_len;
static unsigned long cap_calls;   /* sink calls, failed one included */
static unsigned long cap_fail_at; /* 1-based call that fails, 0: none */
static ges_err_t cap_fail_err;
static unsigned long cap_short; /* calls with fewer bytes than cap_full */
static size_t cap_full;         /* the writer's buffer size */
static size_t cap_last;         /* bytes of the last call */
static int cap_bad;             /* empty call, wrong ctx, overflow */
static int cap_ctx_marker;

static void cap_reset(size_t full, unsigned long fail_at, ges_err_t err)
{
    cap_len = 0;
    cap_calls = 0;
    cap_fail_at = fail_at;
    cap_fail_err = err;
    cap_short = 0;
    cap_full = full;
    cap_last = 0;
    cap_bad = 0;
}

static ges_err_t cap_sink(void *ctx, const unsigned char *p, size_t n)
{
    cap_calls++;
    if (ctx != &cap_ctx_marker || n == 0 || p == NULL || n > cap_full) cap_bad = 1;
    if (cap_fail_at != 0 && cap_calls == cap_fail_at) return cap_fail_err;
    if (n < cap_full) cap_short++;
    cap_last = n;
    if (cap_len + n > sizeof cap_buf) {
        cap_bad = 1;
        return GES_ERR_NET_SEND;
    }
    memcpy(cap_buf + cap_len, p, n);
    cap_len += n;
    return GES_OK;
}

static unsigned char wr_buf[4096];
/* First path segment write_req() asks for; NULL is the default "v1.0". */
static const char *write_req_version = NULL;

/* Write one request through a `bufsz`-byte buffer into the capture. */
static ges_err_t write_req(size_t bufsz, const char *host, unsigned port,
                           const char *token, const char *project,
                           const char *graph, const char *job)
{
    ges__wr_t w;
    ges_err_t e;
    w.sink = cap_sink;
    w.ctx = &cap_ctx_marker;
    w.buf = wr_buf;
    w.cap = bufsz;
    w.len = 0;
    w.err = GES_OK;
    e = ges__write_request(&w, host, port, write_req_version, token, project, graph, job);
    CHECK_EQ(w.err, e);
    return e;
}

/* Print the first difference between what the sink got and `exp`. */
static int same_bytes(const char *exp, size_t elen)
{
    size_t i;
    if (cap_len == elen && memcmp(cap_buf, exp, elen) == 0) return 1;
    for (i = 0; i < cap_len && i < elen && cap_buf[i] == (unsigned char)exp[i]; i++) {}
    fprintf(stderr, "  request differs at byte %lu (got %lu bytes, expected %lu)\n"
                    "  got:      \"%.*s\"\n  expected: \"%.*s\"\n",
            (unsigned long)i, (unsigned long)cap_len, (unsigned long)elen,
            (int)(cap_len - i < 60 ? cap_len - i : 60), (const char *)cap_buf + i,
            (int)(elen - i < 60 ? elen - i : 60), exp + i);
    return 0;
}

#define UA "User-Agent: ges_job/" GES_VERSION_STRING "\r\n"

static void test_request_port_443(void)
{
    static const char exp[] =
        "GET /v1.0/0123456789abcdef0123456789abcdef/graphs/demo_graph/jobs/"
        "ff80808167f09aaa0167f19b35ec0305/status HTTP/1.1\r\n"
        "Host: ges.cn-north-4.myhuaweicloud.com\r\n" UA
        "Accept: application/json\r\nAccept-Encoding: identity\r\n"
        "X-Auth-Token: MIIExampleToken-_.+/=\r\n"
        "\r\n";
    cap_reset(sizeof wr_buf, 0, GES_OK);
    CHECK_EQ(write_req(sizeof wr_buf, "ges.cn-north-4.myhuaweicloud.com", 443,
                       "MIIExampleToken-_.+/=", "0123456789abcdef0123456789abcdef",
                       "demo_graph", "ff80808167f09aaa0167f19b35ec0305"),
             GES_OK);
    CHECK(same_bytes(exp, sizeof exp - 1));
    CHECK_EQ(cap_calls, 1); /* fits the buffer: one flush at the end */
    CHECK(!cap_bad);
}

/* api_version v2: only the first path segment changes (issue 14). */
static void test_request_v2_path(void)
{
    static const char exp[] =
        "GET /v2/0123456789abcdef0123456789abcdef/graphs/demo_graph/jobs/"
        "ff80808167f09aaa0167f19b35ec0305/status HTTP/1.1\r\n"
        "Host: ges.cn-north-4.myhuaweicloud.com\r\n" UA
        "Accept: application/json\r\nAccept-Encoding: identity\r\n"
        "X-Auth-Token: T\r\n"
        "\r\n";
    cap_reset(sizeof wr_buf, 0, GES_OK);
    write_req_version = ges__api_segment(GES_API_V2);
    CHECK_EQ(write_req(sizeof wr_buf, "ges.cn-north-4.myhuaweicloud.com", 443, "T",
                       "0123456789abcdef0123456789abcdef", "demo_graph",
                       "ff80808167f09aaa0167f19b35ec0305"),
             GES_OK);
    write_req_version = NULL;
    CHECK(same_bytes(exp, sizeof exp - 1));
    CHECK_STR(ges__api_segment(GES_API_V1), "v1.0");
}

static void test_request_other_ports(void)
{
    static const struct {
        unsigned port;
        const char *host_line;
    } t[] = {
        {8443, "Host: h:8443\r\n"},
        {80, "Host: h:80\r\n"},
        {1, "Host: h:1\r\n"},
        {65535, "Host: h:65535\r\n"},
        {444, "Host: h:444\r\n"},
        {10443, "Host: h:10443\r\n"},
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        char exp[512];
        int n = sprintf(exp, "GET /v1.0/p/graphs/g/jobs/j/status HTTP/1.1\r\n%s" UA "Accept: application/json\r\nAccept-Encoding: identity\r\nX-Auth-Token: t\r\n\r\n",
                        t[i].host_line);
        cap_reset(sizeof wr_buf, 0, GES_OK);
        CHECK_EQ(write_req(sizeof wr_buf, "h", t[i].port, "t", "p", "g", "j"), GES_OK);
        CHECK(same_bytes(exp, (size_t)n));
        CHECK(!cap_bad);
    }
}

/* Independent encoder, the oracle: unreserved bytes as they are, every
 * other byte as %XX with upper-case hex. */
static size_t oracle_enc(char *dst, const char *id)
{
    static const char unres[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                "0123456789-._~";
    size_t n = 0;
    for (; *id; id++) {
        unsigned char c = (unsigned char)*id;
        if (memchr(unres, c, sizeof unres - 1) != NULL) {
            dst[n++] = (char)c;
        } else {
            n += (size_t)sprintf(dst + n, "%%%02X", c);
        }
    }
    dst[n] = '\0';
    return n;
}

static void test_request_percent_encoding(void)
{
    static const char exp[] =
        "GET /v1.0/a%2Fb%20c/graphs/%25%3F%23%2B%3A%40%26%3D/jobs/"
        "%0D%0AX%0D%0A%C3%A9%E5%9B%BE%FF/status HTTP/1.1\r\n"
        "Host: h\r\n" UA "Accept: application/json\r\nAccept-Encoding: identity\r\nX-Auth-Token: t\r\n\r\n";
    static const char exp_unres[] =
        "GET /v1.0/ABCXYZabcxyz0189-._~/graphs/...%2F../jobs/~/status HTTP/1.1\r\n"
        "Host: h\r\n" UA "Accept: application/json\r\nAccept-Encoding: identity\r\nX-Auth-Token: t\r\n\r\n";
    char all[256], enc[256 * 3 + 1], exp_all[1024];
    int i, n;

    cap_reset(sizeof wr_buf, 0, GES_OK);
    CHECK_EQ(write_req(sizeof wr_buf, "h", 443, "t", "a/b c", "%?#+:@&=",
                       "\r\nX\r\n\xC3\xA9\xE5\x9B\xBE\xFF"),
             GES_OK);
    CHECK(same_bytes(exp, sizeof exp - 1));

    cap_reset(sizeof wr_buf, 0, GES_OK);
    CHECK_EQ(write_req(sizeof wr_buf, "h", 443, "t", "ABCXYZabcxyz0189-._~", ".../..", "~"),
             GES_OK);
    CHECK(same_bytes(exp_unres, sizeof exp_unres - 1));

    /* Every byte 1..255 in one ID, against the oracle, through a small
     * buffer so the %XX triplets also straddle flushes. */
    for (i = 1; i < 256; i++) all[i - 1] = (char)i;
    all[255] = '\0';
    oracle_enc(enc, all);
    n = sprintf(exp_all, "GET /v1.0/p/graphs/%s/jobs/j/status HTTP/1.1\r\nHost: h\r\n" UA "Accept: application/json\r\nAccept-Encoding: identity\r\nX-Auth-Token: t\r\n\r\n",
                enc);
    cap_reset(7, 0, GES_OK);
    CHECK_EQ(write_req(7, "h", 443, "t", "p", all, "j"), GES_OK);
    CHECK(same_bytes(exp_all, (size_t)n));
    CHECK(!cap_bad);
    /* 66 unreserved bytes kept, 189 encoded */
    CHECK(strlen(enc) == 66 + (255 - 66) * 3);
}

static char big_token[16384 + 1];
static unsigned char out_4k[65536];
static size_t out_4k_len;

static void test_request_long_token(void)
{
    size_t i, total;
    char prefix[512];
    int pn;
    for (i = 0; i < sizeof big_token - 1; i++) big_token[i] = (char)(0x21 + (i * 7) % 94);
    big_token[sizeof big_token - 1] = '\0';
    CHECK(ges__token_ok(big_token));

    pn = sprintf(prefix, "GET /v1.0/p/graphs/g/jobs/j/status HTTP/1.1\r\nHost: h\r\n" UA
                         "Accept: application/json\r\nAccept-Encoding: identity\r\nX-Auth-Token: ");
    total = (size_t)pn + 16384 + 4;

    cap_reset(4096, 0, GES_OK);
    CHECK_EQ(write_req(4096, "h", 443, big_token, "p", "g", "j"), GES_OK);
    CHECK_EQ(cap_len, total);
    CHECK(memcmp(cap_buf, prefix, (size_t)pn) == 0);
    CHECK(memcmp(cap_buf + pn, big_token, 16384) == 0);
    CHECK(memcmp(cap_buf + pn + 16384, "\r\n\r\n", 4) == 0);
    CHECK_EQ(cap_calls, (total + 4095) / 4096);
    CHECK(!cap_bad);
    memcpy(out_4k, cap_buf, cap_len);
    out_4k_len = cap_len;

    /* 64 bytes: every call but the last is full, nothing is lost. */
    cap_reset(64, 0, GES_OK);
    CHECK_EQ(write_req(64, "h", 443, big_token, "p", "g", "j"), GES_OK);
    CHECK_EQ(cap_len, out_4k_len);
    CHECK(memcmp(cap_buf, out_4k, out_4k_len) == 0);
    CHECK_EQ(cap_calls, (total + 63) / 64);
    CHECK(cap_calls > 256);
    CHECK_EQ(cap_short, total % 64 ? 1 : 0);
    CHECK_EQ(cap_last, total % 64 ? total % 64 : 64);
    CHECK(!cap_bad);

    /* 1 byte: the degenerate buffer still works. */
    cap_reset(1, 0, GES_OK);
    CHECK_EQ(write_req(1, "h", 443, big_token, "p", "g", "j"), GES_OK);
    CHECK_EQ(cap_len, out_4k_len);
    CHECK(memcmp(cap_buf, out_4k, out_4k_len) == 0);
    CHECK_EQ(cap_calls, total);
    CHECK(!cap_bad);
}

#define REQ_LINE "GET /v1.0/p/graphs/g/jobs/j/status HTTP/1.1\r\nHost: h\r\n"

static void test_request_sink_fails(void)
{
    unsigned long all;
    /* How many calls a complete request takes through 64 bytes. */
    cap_reset(64, 0, GES_OK);
    CHECK_EQ(write_req(64, "h", 443, big_token, "p", "g", "j"), GES_OK);
    all = cap_calls;
    CHECK(all > 3);

    cap_reset(64, 2, GES_ERR_NET_SEND);
    CHECK_EQ(write_req(64, "h", 443, big_token, "p", "g", "j"), GES_ERR_NET_SEND);
    CHECK_EQ(cap_calls, 2); /* nothing after the failure */
    CHECK_EQ(cap_len, 64);  /* only the first call's bytes went out */
    CHECK(memcmp(cap_buf, REQ_LINE, sizeof REQ_LINE - 1) == 0);

    cap_reset(64, 1, GES_ERR_TIMEOUT);
    CHECK_EQ(write_req(64, "h", 443, big_token, "p", "g", "j"), GES_ERR_TIMEOUT);
    CHECK_EQ(cap_calls, 1);
    CHECK_EQ(cap_len, 0);

    cap_reset(64, all, GES_ERR_TLS);
    CHECK_EQ(write_req(64, "h", 443, big_token, "p", "g", "j"), GES_ERR_TLS);
    CHECK_EQ(cap_calls, all);

    /* A request that fits the buffer fails on its only call. */
    cap_reset(sizeof wr_buf, 1, GES_ERR_NET_SEND);
    CHECK_EQ(write_req(sizeof wr_buf, "h", 443, "t", "p", "g", "j"), GES_ERR_NET_SEND);
    CHECK_EQ(cap_calls, 1);
}

/* ------------------------------------------------------------------------- */
/* Argument checks                                                            */
/* ------------------------------------------------------------------------- */
static void test_id_ok(void)
{
    static char id[GES_ID_MAX + 2];
    CHECK(!ges__id_ok(NULL));
    CHECK(!ges__id_ok(""));
    CHECK(!ges__id_ok("."));
    CHECK(!ges__id_ok(".."));
    CHECK(ges__id_ok("..."));
    CHECK(ges__id_ok("a"));
    CHECK(ges__id_ok("./"));
    CHECK(ges__id_ok("a/b"));
    CHECK(ges__id_ok("\r\n"));
    CHECK(ges__id_ok("ff80808167f09aaa0167f19b35ec0305"));
    memset(id, 'a', GES_ID_MAX);
    id[GES_ID_MAX] = '\0';
    CHECK(ges__id_ok(id));
    id[GES_ID_MAX] = 'a';
    id[GES_ID_MAX + 1] = '\0';
    CHECK(!ges__id_ok(id));
}

static void test_token_ok(void)
{
    static char tok[GES_TOKEN_MAX + 2];
    CHECK(!ges__token_ok(NULL));
    CHECK(!ges__token_ok(""));
    CHECK(ges__token_ok("a"));
    CHECK(ges__token_ok("!~")); /* 0x21 and 0x7E, the bounds */
    CHECK(ges__token_ok("MIIZ+/=-_."));
    CHECK(!ges__token_ok("ab\rcd"));
    CHECK(!ges__token_ok("ab\ncd"));
    CHECK(!ges__token_ok("ab\r\nX-Evil: 1"));
    CHECK(!ges__token_ok("ab cd"));
    CHECK(!ges__token_ok(" abcd"));
    CHECK(!ges__token_ok("abcd "));
    CHECK(!ges__token_ok("ab\tcd"));
    CHECK(!ges__token_ok("ab\x7F"
                         "cd"));
    CHECK(!ges__token_ok("ab\x80"
                         "cd"));
    CHECK(!ges__token_ok("ab\xC3\xA9"));
    CHECK(!ges__token_ok("\x01"));
    CHECK(!ges__token_ok("\xFF"));
    memset(tok, 'T', GES_TOKEN_MAX);
    tok[GES_TOKEN_MAX] = '\0';
    CHECK(ges__token_ok(tok));
    tok[GES_TOKEN_MAX] = 'T';
    tok[GES_TOKEN_MAX + 1] = '\0';
    CHECK(!ges__token_ok(tok));
}

static int host_ok(const char *h)
{
    static char out[GES_HOST_MAX + 1];
    return ges__host_norm(h, out);
}

static void test_host_ok(void)
{
    static char host[GES_HOST_MAX + 3];
    static char out[GES_HOST_MAX + 1];
    CHECK(!host_ok(NULL));
    CHECK(!host_ok(""));
    CHECK(host_ok("ges.cn-north-4.myhuaweicloud.com"));
    CHECK(host_ok("127.0.0.1"));
    CHECK(host_ok("localhost"));
    CHECK(host_ok("A-Z.a-z.0-9"));
    CHECK(!host_ok("h:443"));
    CHECK(!host_ok("h/x"));
    CHECK(!host_ok("h x"));
    CHECK(!host_ok("h\r\nX-Evil: 1"));
    CHECK(!host_ok("h\n"));
    CHECK(!host_ok("user@h"));
    CHECK(!host_ok("h?x"));
    CHECK(!host_ok("h#x"));
    CHECK(!host_ok("h%41"));
    CHECK(!host_ok("h\t"));
    CHECK(!host_ok("b\xC3\xBC"
                   "cher.de"));
    /* addresses: IPv4 exactly, IPv6 bare or in brackets (kept bare) */
    CHECK(host_ok("::1") && ges__host_norm("::1", out) && strcmp(out, "::1") == 0);
    CHECK(ges__host_norm("[::1]", out) && strcmp(out, "::1") == 0);
    CHECK(ges__host_norm("[2001:db8::42]", out) && strcmp(out, "2001:db8::42") == 0);
    CHECK(host_ok("::ffff:192.0.2.1"));
    CHECK(!host_ok("[::1"));
    CHECK(!host_ok("::1]"));
    CHECK(!host_ok("[]"));
    CHECK(!host_ok("[127.0.0.1]")); /* brackets are for IPv6 */
    CHECK(!host_ok("[localhost]"));
    CHECK(!host_ok("fe80::1%eth0")); /* no zone */
    CHECK(!host_ok("::g"));
    CHECK(!host_ok("1:2"));
    CHECK(!host_ok("[::1]:443"));
    CHECK(!host_ok("h::1"));      /* a name with a colon is neither */
    CHECK(!host_ok("010.0.0.1")); /* digits and dots must be a quad */
    CHECK(!host_ok("1.2.3"));
    CHECK(!host_ok("256.1.1.1"));
    CHECK(!host_ok("1.2.3.4."));
    CHECK(host_ok("1.2.3.4.example"));
    memset(host, 'h', GES_HOST_MAX);
    host[GES_HOST_MAX] = '\0';
    CHECK(host_ok(host));
    host[GES_HOST_MAX] = 'h';
    host[GES_HOST_MAX + 1] = '\0';
    CHECK(!host_ok(host));
}

/* ges_job.h (ges_client_init) accepts [A-Za-z0-9._-]: '_' appears in real
 * internal host names and cannot break a header line. */
static void test_host_ok_underscore_as_documented(void)
{
    CHECK(host_ok("under_score.example.com"));
    CHECK(!host_ok("under score.example.com"));
}

#ifndef GES_TEST_NO_INET_PTON
/* ges__ip_parse against the C library's inet_pton, which RFC 4291 text and
 * dotted quads without leading zeros define: fixed cases, then random
 * strings over the address alphabet (every one must agree: accepted or
 * not, and the same 4 or 16 bytes). */
static void ip_agree(const char *s)
{
    uint8_t mine[16], want[16];
    unsigned n = ges__ip_parse(s, mine);
    int v4 = inet_pton(AF_INET, s, want) == 1;
    int v6 = !v4 && strchr(s, ':') != NULL && inet_pton(AF_INET6, s, want) == 1;
    unsigned expect = v4 ? 4u : v6 ? 16u
                                   : 0u;
    if (n != expect || (n && memcmp(mine, want, n) != 0)) {
        fprintf(stderr, "  ip_parse(\"%s\") = %u, inet_pton says %u\n", s, n, expect);
        CHECK(0);
    }
}

static void test_ip_parse(void)
{
    static const char *const cases[] = {
        "0.0.0.0",
        "255.255.255.255",
        "192.0.2.1",
        "1.2.3.4",
        "01.2.3.4",
        "1.2.3.04",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "1..2.3",
        ".1.2.3",
        "1.2.3.",
        "1.2.3.4 ",
        "::",
        "::1",
        "1::",
        "1::2",
        "::ffff:1.2.3.4",
        "1::2/64",      /* a group ended by neither ':' nor the end */
        "fe80::1%eth0", /* a zone */
        "::1.2.3.4",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "1:2:3:4:5:6:7:8::", /* "::" after eight groups (found by fuzz_request) */
        "::1:2:3:4:5:6:7:8",
        "1:2:3:4::5:6:7:8",
        "::2:3:4:5:6:7:8",
        "1:2:3:4:5:6:1.2.3.4",
        "1::2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:",
        ":::",
        "1:::2",
        "1::2::3",
        "12345::",
        "abcd:ef01:2345:6789:ABCD:EF01:2345:6789",
        "::ffff:1.2.3",
        "::ffff:1.2.3.4.5",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3.4:5",
        "2001:db8::42",
        "fe80::",
        "0:0:0:0:0:0:0:0",
        "::0:0",
        "1.2.3.4::",
        ":",
        "",
    };
    size_t i;
    uint32_t x = 12345;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) ip_agree(cases[i]);
    for (i = 0; i < 400000; i++) {
        static const char alpha[] = "0123456789abcdefABCDEF::::..";
        char s[48];
        size_t k, n;
        x = x * 1103515245u + 12345u;
        n = (x >> 16) % 40;
        for (k = 0; k < n; k++) {
            x = x * 1103515245u + 12345u;
            s[k] = alpha[(x >> 16) % (sizeof alpha - 1)];
        }
        s[n] = '\0';
        ip_agree(s);
    }
}

/* The Host header brackets an IPv6 address and adds the port unless 443. */
#endif /* GES_TEST_NO_INET_PTON */

static void test_host_header_value(void)
{
    static const struct {
        const char *host;
        unsigned port;
        const char *want;
    } v[] = {
        {"h", 443, "h"},
        {"h", 8443, "h:8443"},
        {"127.0.0.1", 8443, "127.0.0.1:8443"},
        {"::1", 8443, "[::1]:8443"},
        {"::1", 443, "[::1]"},
        {"2001:db8::42", 65535, "[2001:db8::42]:65535"},
    };
    char out[GES__HOST_HDR_MAX];
    static char longest[GES_HOST_MAX + 1];
    size_t i;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        ges__host_value(v[i].host, v[i].port, out, sizeof out);
        CHECK_STR(out, v[i].want);
    }
    /* the longest host with the longest port fits, nothing cut */
    memset(longest, 'h', GES_HOST_MAX);
    ges__host_value(longest, 65535, out, sizeof out);
    CHECK(strlen(out) == GES_HOST_MAX + 6 && strcmp(out + GES_HOST_MAX, ":65535") == 0);
}

/* ========================================================================= */
/* Response reader                                                            */
/* ========================================================================= */
typedef struct {
    ges_err_t err;       /* first error of feed, else the code of end */
    int phase;           /* 0: OK, 1: error from feed, 2: error from end */
    int done;            /* H_DONE reached while feeding */
    size_t done_at;      /* then: input bytes the answer took */
    int status;          /* h.status */
    int close;           /* h.close */
    uint32_t retry;      /* h.retry_after */
    int used_over;       /* some feed said used > n */
    int used_short;      /* some feed stopped early without error or H_DONE */
    ges_job_status_t st; /* the result */
} outcome_t;

static char work_buf[1024];

/* Feed resp[0..len) to a fresh reader: in pieces [0,cut) and [cut,len) when
 * step is 0 (cut 0 feeds an empty piece first), else in pieces of `step`
 * bytes. Like the client: feeding stops at the first error or when the
 * answer is complete; without an error, ges__http_end(h, 1) then judges the
 * answer (the end of the input is the connection's close). */
static void run_resp(const char *resp, size_t len, size_t cut, size_t step,
                     size_t work_len, outcome_t *o)
{
    ges_parser_t json;
    ges__http_t h;
    size_t a = 0;
    int first = 1;
    memset(o, 0, sizeof *o);
    memset(&o->st, 0xA5, sizeof o->st); /* garbage: init must clear it */
    ges_parser_init(&json, &o->st, work_len ? work_buf : NULL, work_len);
    ges__http_init(&h, &json);
    for (;;) {
        size_t b, used = (size_t)-1;
        ges_err_t e;
        if (!first && a >= len) break;
        if (step) b = a + step < len ? a + step : len;
        else b = first ? cut : len;
        e = ges__http_feed(&h, (const unsigned char *)resp + a, b - a, &used);
        if (used > b - a) {
            o->used_over = 1;
            used = b - a;
        }
        if (e != GES_OK) {
            o->err = e;
            o->phase = 1;
            break;
        }
        if (h.st == H_DONE) {
            o->done = 1;
            o->done_at = a + used;
            break;
        }
        if (used != b - a) o->used_short = 1;
        a = b;
        first = 0;
    }
    if (o->phase == 0) {
        o->err = ges__http_end(&h, 1);
        o->phase = o->err == GES_OK ? 0 : 2;
    }
    o->status = h.status;
    o->close = h.close;
    o->retry = h.retry_after;
}

/* What differs between two outcomes, or NULL. */
static const char *outcome_diff(const outcome_t *a, const outcome_t *b)
{
    if (a->err != b->err) return "error code";
    if (a->phase != b->phase) return "phase (feed/end)";
    if (a->done != b->done) return "done";
    if (a->done_at != b->done_at) return "done_at (used after H_DONE)";
    if (a->status != b->status) return "h.status";
    if (a->close != b->close) return "h.close";
    if (a->retry != b->retry) return "h.retry_after";
    if (a->used_over != b->used_over) return "used > n";
    if (a->used_short != b->used_short) return "short use";
    if (memcmp(&a->st, &b->st, sizeof a->st) != 0) return "result struct";
    return NULL;
}

typedef struct {
    const char *name;
    ges_err_t err;    /* expected code */
    int status;       /* expected h.status and out->http_status */
    int close;        /* expected h.close, -1 to skip */
    long retry;       /* expected h.retry_after, -1 to skip */
    int done;         /* 1: the framing ends the answer, at the input's end */
    const char *body; /* non-NULL: out == ges_job_parse(body) + http_status;
                           NULL: out == ges_job_status_init() + http_status */
} expect_t;

static outcome_t last; /* the whole-input outcome of the last check_http */
static outcome_t other;
static char junk_buf[(1 << 17) + 64];

static void compare_runs(const char *resp, size_t len, size_t cut, size_t step,
                         size_t work_len, const char *what, unsigned long *bad)
{
    const char *d;
    run_resp(resp, len, cut, step, work_len, &other);
    d = outcome_diff(&last, &other);
    if (d != NULL) {
        if (*bad == 0) {
            fprintf(stderr, "  %s: %s: %s differs (cut %lu, step %lu, work %lu): "
                            "err %d vs %d\n",
                    harness_cur_name, what, d, (unsigned long)cut, (unsigned long)step,
                    (unsigned long)work_len, (int)last.err, (int)other.err);
        }
        ++*bad;
    }
}

/* Splits at every position up to 3000 bytes; above, every position within
 * 64 bytes of either end and every 97th in between. */
static int cut_wanted(size_t cut, size_t len)
{
    return len <= 3000 || cut < 64 || cut + 64 > len || cut % 97 == 0;
}

static void check_http(const expect_t *x, const char *resp, size_t len)
{
    static ges_job_status_t ref;
    static const size_t works[] = {0, 1, 64, sizeof work_buf};
    const char *saved = harness_cur_name;
    unsigned long bad = 0;
    size_t cut, i;

    harness_cur_name = x->name;
    if (x->body != NULL) {
        CHECK_EQ(ges_job_parse(x->body, strlen(x->body), &ref), GES_OK);
    } else {
        ges_job_status_init(&ref);
    }
    ref.http_status = x->status;

    /* whole, against the expectations */
    run_resp(resp, len, len, 0, 256, &last);
    CHECK_EQ(last.err, x->err);
    CHECK_EQ(last.status, x->status);
    CHECK_EQ(last.st.http_status, x->status);
    if (x->close >= 0) CHECK_EQ(last.close, x->close);
    if (x->retry >= 0) CHECK_EQ(last.retry, x->retry);
    CHECK_EQ(last.done, x->done);
    if (x->done) CHECK_EQ(last.done_at, len);
    CHECK(!last.used_over);
    CHECK(!last.used_short);
    if (memcmp(&last.st, &ref, sizeof ref) != 0) {
        CHECK(!"result struct differs from the expected one");
        fprintf(stderr, "  %s: present 0x%lx (expected 0x%lx), job_id \"%s\", "
                        "error_code \"%s\"\n",
                x->name, (unsigned long)last.st.present, (unsigned long)ref.present,
                last.st.job_id, last.st.error_code);
    }
    if (x->err != GES_OK && x->err != GES_ERR_SERVICE) {
        CHECK_EQ(last.st.present, 0);
        CHECK_EQ(last.st.null, 0);
        CHECK_EQ(last.st.truncated, 0);
    }

    /* the same outcome for every work-buffer size, split and piece size */
    for (i = 0; i < sizeof works / sizeof works[0]; i++) {
        compare_runs(resp, len, len, 0, works[i], "work size", &bad);
    }
    for (cut = 0; cut <= len; cut++) {
        if (cut_wanted(cut, len)) compare_runs(resp, len, cut, 0, 64, "two pieces", &bad);
    }
    compare_runs(resp, len, 0, 1, 64, "byte by byte", &bad);
    compare_runs(resp, len, 0, 2, 0, "two bytes at a time", &bad);

    /* bytes after a complete answer are left alone */
    if (x->done && len + sizeof JUNK <= sizeof junk_buf) {
        size_t jl = len + sizeof JUNK - 1;
        memcpy(junk_buf, resp, len);
        memcpy(junk_buf + len, JUNK, sizeof JUNK - 1);
        compare_runs(junk_buf, jl, jl, 0, 64, "answer + more bytes", &bad);
        compare_runs(junk_buf, jl, 0, 1, 64, "answer + more bytes, byte by byte", &bad);
        for (cut = len >= 8 ? len - 8 : 0; cut <= jl; cut++) {
            compare_runs(junk_buf, jl, cut, 0, 64, "answer + more bytes, two pieces", &bad);
        }
    }
    if (bad) fprintf(stderr, "  %s: %lu runs differ from the whole one\n", x->name, bad);
    CHECK_EQ(bad, 0);
    harness_cur_name = saved;
}

/* ------------------------------------------------------------------------- */
/* Building responses                                                         */
/* ------------------------------------------------------------------------- */
static char rb[1 << 17]; /* the response under construction */
static size_t rn;

static void r_put(const char *s, size_t n)
{
    if (rn + n > sizeof rb) {
        CHECK(!"test response buffer too small");
        return;
    }
    memcpy(rb + rn, s, n);
    rn += n;
}

static void r_s(const char *s) { r_put(s, strlen(s)); }

static void r_start(const char *head)
{
    rn = 0;
    r_s(head);
}

static void r_cl(unsigned long n)
{
    char t[64];
    sprintf(t, "Content-Length: %lu\r\n", n);
    r_s(t);
}

/* head + Content-Length + blank line + body */
static void r_cl_body(const char *head, const char *body)
{
    r_start(head);
    r_cl((unsigned long)strlen(body));
    r_s("\r\n");
    r_s(body);
}

enum {
    CH_LOWER,
    CH_UPPER,
    CH_EXT,
    CH_ZEROS,
    CH_BWS_EXT,
    CH_EXT_NOVAL,
    CH_TAB_EXT
};

/* One chunk: size line in the given style, data, CRLF. */
static void r_chunk(const char *data, size_t n, int style)
{
    char t[64];
    unsigned long u = (unsigned long)n;
    switch (style) {
    case CH_UPPER: sprintf(t, "%lX\r\n", u); break;
    case CH_EXT: sprintf(t, "%lx;name=val\r\n", u); break;
    case CH_ZEROS: sprintf(t, "000%lX\r\n", u); break;
    case CH_BWS_EXT: sprintf(t, "%lx ; q=\"a;b c\"\r\n", u); break;
    case CH_EXT_NOVAL: sprintf(t, "%lx;flag;x=1\r\n", u); break;
    case CH_TAB_EXT: sprintf(t, "%lx\t;t\r\n", u); break;
    default: sprintf(t, "%lx\r\n", u); break;
    }
    r_s(t);
    r_put(data, n);
    r_s("\r\n");
}

#define CHECK_HTTP(x) check_http(&(x), rb, rn)

/* ------------------------------------------------------------------------- */
/* Answers that parse                                                         */
/* ------------------------------------------------------------------------- */
static void test_resp_content_length(void)
{
    expect_t x = {"200 Content-Length, seed body", GES_OK, 200, 0, 0, 1, SEED_200};
    r_cl_body("HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
              "Date: Tue, 27 Nov 2018 13:40:00 GMT\r\n",
              SEED_200);
    CHECK_HTTP(x);
    CHECK_STR(last.st.job_id, "ff80808167f09aaa0167f19b35ec0305");
    CHECK_STR(last.st.status, "success");
    CHECK_EQ(last.st.job_state, GES_JOB_SUCCESS);
    CHECK_EQ(last.st.sets[GES_SET_SCHEMA].kept, 1);
    CHECK_STR(last.st.sets[GES_SET_EDGESET].entries[0].path,
              "ges-ui/auDatas/list_set_edge.csv");
    CHECK_EQ(last.st.http_status, 200);

    x.name = "odd-case header names";
    rn = 0;
    r_s("HTTP/1.1 200 OK\r\ncOnTeNt-TyPe: application/json\r\ncOnTeNt-LeNgTh: ");
    {
        char t[32];
        sprintf(t, "%lu\r\n\r\n", (unsigned long)strlen(SEED_200));
        r_s(t);
    }
    r_s(SEED_200);
    CHECK_HTTP(x);

    x.name = "Content-Length without OWS";
    x.body = SMALL;
    rn = 0;
    r_s("HTTP/1.1 200 OK\r\nCONTENT-LENGTH:");
    {
        char t[32];
        sprintf(t, "%lu\r\n\r\n", (unsigned long)strlen(SMALL));
        r_s(t);
    }
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "Content-Length with tabs and spaces around";
    rn = 0;
    r_s("HTTP/1.1 200 OK\r\ncontent-length: \t ");
    {
        char t[32];
        sprintf(t, "%lu \t\r\n\r\n", (unsigned long)strlen(SMALL));
        r_s(t);
    }
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "same Content-Length twice";
    r_start("HTTP/1.1 200 OK\r\n");
    r_cl((unsigned long)strlen(SMALL));
    r_s("X-Other: 1\r\n");
    r_cl((unsigned long)strlen(SMALL));
    r_s("\r\n");
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "status line without reason";
    r_cl_body("HTTP/1.1 200\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "status line with empty reason";
    r_cl_body("HTTP/1.1 200 \r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "status line with a 200-byte reason";
    r_start("HTTP/1.1 200 ");
    {
        int i;
        for (i = 0; i < 20; i++) r_s("Very Fine ");
    }
    r_s("\r\n");
    r_cl((unsigned long)strlen(SMALL));
    r_s("\r\n");
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "long unknown headers and a name without value";
    r_start("HTTP/1.1 200 OK\r\nX-Request-Id: ");
    {
        int i;
        for (i = 0; i < 30; i++) r_s("0123456789");
    }
    r_s("\r\nX-Empty:\r\nServer: CloudWAF\r\n");
    r_cl((unsigned long)strlen(SMALL));
    r_s("\r\n");
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "Content-Length 0 in a 200 (no document)";
    x.err = GES_ERR_JSON_INCOMPLETE;
    x.body = NULL;
    r_cl_body("HTTP/1.1 200 OK\r\n", "");
    CHECK_HTTP(x);
}

/* Retry-After after a 200 (issue 13): seconds or an HTTP-date, the date
 * counted from the answer's Date (in either order) and 0 without one, above
 * a day capped; the last of several counts. */
static void check_retry_after(expect_t *x)
{
    static const struct {
        const char *name, *head;
        long retry;
    } cases[] = {
        {"Retry-After: 3", "Retry-After: 3\r\n", 3},
        {"Retry-After as a date, and no Date to measure it from",
         "retry-after: Fri, 31 Dec 1999 23:59:59 GMT\r\n", 0},
        {"Retry-After: 90000 is capped at a day", "Retry-After: 90000\r\n", 86400},
        {"Retry-After: 10^23 is capped at a day",
         "Retry-After: 100000000000000000000000\r\n", 86400},
        {"Retry-After as a date, 59 s after Date",
         "retry-after: Fri, 31 Dec 1999 23:59:59 GMT\r\nDate: Fri, 31 Dec 1999 23:59:00 GMT\r\n", 59},
        {"Retry-After as a date, 59 s after Date (Date first)",
         "Date: Fri, 31 Dec 1999 23:59:00 GMT\r\nretry-after: Fri, 31 Dec 1999 23:59:59 GMT\r\n", 59},
        {"Retry-After as a date before Date",
         "Retry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\nDate: Sat, 01 Jan 2000 00:00:00 GMT\r\n", 0},
        {"Retry-After as a date years after Date is capped",
         "Retry-After: Sun, 31 Dec 2034 23:59:59 GMT\r\nDate: Sat, 01 Jan 2000 00:00:00 GMT\r\n", 86400},
        {"Retry-After: seconds after a date: the last one counts",
         "Retry-After: Sun, 31 Dec 2034 23:59:59 GMT\r\nDate: Sat, 01 Jan 2000 00:00:00 GMT\r\n"
         "Retry-After: 7\r\n",
         7},
    };
    char head[256];
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        x->name = cases[i].name;
        x->retry = cases[i].retry;
        CHECK((size_t)snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\n%s", cases[i].head) < sizeof head);
        r_cl_body(head, SMALL);
        check_http(x, rb, rn);
    }
    x->retry = 0;
}

static void test_resp_connection(void)
{
    expect_t x = {"Connection: close", GES_OK, 200, 1, 0, 1, SMALL};
    r_cl_body("HTTP/1.1 200 OK\r\nConnection: close\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "Connection: Keep-Alive, CLOSE";
    r_cl_body("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "HTTP/1.1 keeps the connection by default";
    x.close = 0;
    r_cl_body("HTTP/1.1 200 OK\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "Connection: clone, (a near miss, then nothing after the comma)";
    r_cl_body("HTTP/1.1 200 OK\r\nConnection: clone,\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "HTTP/1.0 with Connection: keep-alive";
    r_cl_body("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "HTTP/1.0 without keep-alive closes";
    x.close = 1;
    r_cl_body("HTTP/1.0 200 OK\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "HTTP/1.0 close-delimited";
    x.done = 0;
    x.body = SEED_200;
    r_start("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n");
    r_s(SEED_200);
    CHECK_HTTP(x);

    x.name = "HTTP/1.1 without length: close-delimited";
    x.body = SMALL;
    r_start("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n");
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "close-delimited, empty body";
    x.err = GES_ERR_JSON_INCOMPLETE;
    x.body = NULL;
    r_start("HTTP/1.0 200 OK\r\n\r\n");
    CHECK_HTTP(x);

    x.err = GES_OK;
    x.close = 0;
    x.done = 1;
    x.body = SMALL;
    check_retry_after(&x);

    x.name = "a 1xx's Retry-After does not carry into the answer";
    x.retry = 0;
    r_start("HTTP/1.1 100 Continue\r\nRetry-After: 5\r\nDate: Sat, 01 Jan 2000 00:00:00 GMT\r\n\r\n");
    r_s("HTTP/1.1 200 OK\r\n");
    r_cl(strlen(SMALL));
    r_s("\r\n");
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "Content-Encoding: identity is plain";
    r_cl_body("HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "an empty Content-Encoding is plain";
    r_cl_body("HTTP/1.1 200 OK\r\nContent-Encoding:\r\n", SMALL);
    CHECK_HTTP(x);

    x.name = "a 1xx's Content-Encoding does not carry into the answer";
    r_start("HTTP/1.1 103 Early Hints\r\nContent-Encoding: gzip\r\n\r\n");
    r_s("HTTP/1.1 200 OK\r\n");
    r_cl(strlen(SMALL));
    r_s("\r\n");
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "an error answer's Content-Encoding does not matter";
    x.err = GES_ERR_SERVICE;
    x.status = 404;
    x.body = NULL;
    r_start("HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\n\x1f\x8b\x08");
    CHECK_HTTP(x);
}

static void test_resp_chunked(void)
{
    static const int styles[] = {CH_LOWER, CH_LOWER, CH_LOWER, CH_UPPER,
                                 CH_EXT, CH_ZEROS, CH_BWS_EXT, CH_EXT_NOVAL, CH_TAB_EXT};
    static const size_t sizes[] = {1, 7, 26, 26, 5, 31, 3, 0x4B, 2};
    expect_t x = {"chunked, every size style, trailers", GES_OK, 200, 0, 0, 1, SEED_200};
    size_t off = 0, i, total = strlen(SEED_200);

    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nContent-Type: application/json\r\n\r\n");
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        r_chunk(SEED_200 + off, sizes[i], styles[i]);
        off += sizes[i];
    }
    r_chunk(SEED_200 + off, total - off, CH_UPPER);
    r_s("0;end=1\r\nX-Trailer: yes\r\nX-Checksum: 1234\r\n\r\n");
    CHECK_HTTP(x);
    CHECK_STR(last.st.job_id, "ff80808167f09aaa0167f19b35ec0305");

    x.name = "chunked, one chunk, no trailer";
    x.body = SMALL;
    r_start("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
    r_chunk(SMALL, strlen(SMALL), CH_LOWER);
    r_s("0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "chunked, a chunk per byte, upper-case hex";
    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (i = 0; i < strlen(SMALL); i++) r_chunk(SMALL + i, 1, CH_UPPER);
    r_s("0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "chunked, 40-byte extension, Transfer-Encoding with OWS";
    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding:   chunked  \r\n\r\n");
    {
        char t[64];
        sprintf(t, "%lx;e=0123456789012345678901234567890123\r\n",
                (unsigned long)strlen(SMALL));
        r_s(t);
    }
    r_s(SMALL);
    r_s("\r\n0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "chunked 400 with the seed error body";
    x.err = GES_ERR_SERVICE;
    x.status = 400;
    x.body = SEED_400;
    r_start("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(SEED_400, 10, CH_LOWER);
    r_chunk(SEED_400 + 10, strlen(SEED_400) - 10, CH_EXT);
    r_s("0\r\nX-T: 1\r\n\r\n");
    CHECK_HTTP(x);
    CHECK_STR(last.st.error_code, "GES.8301");

    x.name = "chunked 502 with an HTML body";
    x.status = 502;
    x.body = NULL;
    r_start("HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(HTML_502, 20, CH_LOWER);
    r_chunk(HTML_502 + 20, strlen(HTML_502) - 20, CH_UPPER);
    r_s("0\r\n\r\n");
    CHECK_HTTP(x);
}

static void test_resp_interim(void)
{
    expect_t x = {"100 Continue then 200", GES_OK, 200, 0, 0, 1, SMALL};
    r_cl_body("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", SMALL);
    CHECK_HTTP(x);

    /* The interim answers' headers must not leak into the final one. */
    x.name = "100 and 103 with headers, then 200";
    r_start("HTTP/1.1 100 Continue\r\nConnection: close\r\nContent-Length: 5\r\n\r\n"
            "HTTP/1.1 103 Early Hints\r\nLink: </x.css>; rel=preload\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
            "HTTP/1.1 200 OK\r\n");
    r_cl((unsigned long)strlen(SMALL));
    r_s("\r\n");
    r_s(SMALL);
    CHECK_HTTP(x);

    x.name = "100 Continue then chunked 200";
    r_start("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(SMALL, strlen(SMALL), CH_LOWER);
    r_s("0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "204 No Content";
    x.err = GES_ERR_JSON_INCOMPLETE; /* no document to read a status from */
    x.status = 204;
    x.body = NULL;
    r_start("HTTP/1.1 204 No Content\r\nDate: Tue, 27 Nov 2018 13:40:00 GMT\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "204 with Content-Length: 0 keeps the connection";
    r_start("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    CHECK_HTTP(x);

    /* A 204 or 304 has no body whatever it declares (RFC 9112 6.3), but
     * the bytes a server sends anyway must never be read as the next
     * answer: the connection is closed (issue 13, 1c). */
    x.name = "204 ignores a Content-Length, and closes";
    x.close = 1;
    r_start("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "204 ignores chunked, and closes";
    r_start("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "304 Not Modified, and closes";
    x.err = GES_ERR_SERVICE;
    x.status = 304;
    r_start("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "304 without a body keeps the connection";
    x.close = 0;
    r_start("HTTP/1.1 304 Not Modified\r\n\r\n");
    CHECK_HTTP(x);
}

static void test_resp_service(void)
{
    static const char json_7001[] =
        "{\"errorCode\":\"GES.7001\",\"errorMessage\":\"The graph does not exist.\"}";
    static const char json_ec_empty[] = "{\"jobId\":\"j1\",\"status\":\"success\",\"errorCode\":\"\"}";
    static const char json_ec_null[] = "{\"jobId\":\"j1\",\"errorCode\":null,\"errorMessage\":null}";
    static const char json_apig[] = "{\"error_code\":\"APIG.0308\",\"error_msg\":\"flow control\"}";
    expect_t x = {"302 with Location", GES_ERR_SERVICE, 302, 0, 0, 1, NULL};

    r_start("HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example.com/x\r\n"
            "Content-Length: 0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "301 with Location and an HTML body";
    x.status = 301;
    r_cl_body("HTTP/1.1 301 Moved Permanently\r\nLocation: /v1.0/x\r\nContent-Type: text/html\r\n",
              "<html><body>Moved</body></html>");
    CHECK_HTTP(x);

    x.name = "400 with the seed error body";
    x.status = 400;
    x.body = SEED_400;
    r_cl_body("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n", SEED_400);
    CHECK_HTTP(x);
    CHECK_STR(last.st.error_code, "GES.8301");
    CHECK_STR(last.st.error_message, "can not find job, jobId is ff808081646e81d40164c5fb414b2b1a1");
    CHECK_EQ(last.st.present, GES_F_ERROR_CODE | GES_F_ERROR_MESSAGE);

    x.name = "502 with an HTML body";
    x.status = 502;
    x.body = NULL;
    r_cl_body("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n", HTML_502);
    CHECK_HTTP(x);
    CHECK_EQ(last.st.present, 0);

    x.name = "502 HTML, HTTP/1.0 close-delimited";
    x.close = 1;
    x.done = 0;
    r_start("HTTP/1.0 502 Bad Gateway\r\n\r\n");
    r_s(HTML_502);
    CHECK_HTTP(x);

    x.name = "404 without body";
    x.status = 404;
    x.close = 0;
    x.done = 1;
    r_start("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "503 with Retry-After: 3";
    x.status = 503;
    x.retry = 3;
    r_start("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "429 snake_case error body, Retry-After";
    x.status = 429;
    x.retry = 120;
    x.body = json_apig;
    r_cl_body("HTTP/1.1 429 Too Many Requests\r\nRetry-After:  120 \r\n", json_apig);
    CHECK_HTTP(x);
    CHECK_STR(last.st.error_code, "APIG.0308");

    x.name = "600 is not 2xx";
    x.status = 600;
    x.retry = 0;
    x.body = NULL;
    r_start("HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n");
    CHECK_HTTP(x);

    x.name = "200 with errorCode GES.7001";
    x.status = 200;
    x.body = json_7001;
    r_cl_body("HTTP/1.1 200 OK\r\n", json_7001);
    CHECK_HTTP(x);
    CHECK_STR(last.st.error_code, "GES.7001");

    x.name = "200 with errorCode \"\"";
    x.err = GES_OK;
    x.body = json_ec_empty;
    r_cl_body("HTTP/1.1 200 OK\r\n", json_ec_empty);
    CHECK_HTTP(x);

    x.name = "200 with errorCode null";
    x.body = json_ec_null;
    r_cl_body("HTTP/1.1 200 OK\r\n", json_ec_null);
    CHECK_HTTP(x);

    x.name = "201 is a success";
    x.status = 201;
    x.body = SMALL;
    r_cl_body("HTTP/1.1 201 Created\r\n", SMALL);
    CHECK_HTTP(x);
}

static void test_resp_bad_json(void)
{
    /* done: the error is found at the body's end (by ges__http_end), so
     * the answer's framing did end */
    static const struct {
        const char *name, *body;
        ges_err_t err;
        int done;
    } t[] = {
        {"200, trailing comma", "{\"jobId\":\"j1\",}", GES_ERR_JSON_SYNTAX, 0},
        {"200, HTML body", "<html>oops</html>", GES_ERR_JSON_SYNTAX, 0},
        {"200, document cut inside its length", "{\"jobId\":\"j1\"", GES_ERR_JSON_INCOMPLETE, 1},
        {"200, array", "[1,2]", GES_ERR_JSON_NOT_OBJECT, 0},
        {"200, bytes after the document", "{\"jobId\":\"j1\"} x", GES_ERR_JSON_TRAILING, 0},
        {"200, wrong type", "{\"jobId\":5}", GES_ERR_JSON_TYPE, 0},
    };
    static char cname[128];
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ges_job_status_t st;
        expect_t x = {NULL, GES_OK, 200, 0, 0, 0, NULL};
        x.name = t[i].name;
        x.err = t[i].err;
        x.done = t[i].done;
        /* the HTTP path gives what the JSON stage gives */
        CHECK_EQ(ges_job_parse(t[i].body, strlen(t[i].body), &st), t[i].err);
        r_cl_body("HTTP/1.1 200 OK\r\n", t[i].body);
        CHECK_HTTP(x);
        /* and the same in a chunked answer */
        sprintf(cname, "%s (chunked)", t[i].name);
        x.name = cname;
        r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        r_chunk(t[i].body, 3, CH_LOWER);
        r_chunk(t[i].body + 3, strlen(t[i].body) - 3, CH_LOWER);
        r_s("0\r\n\r\n");
        CHECK_HTTP(x);
    }
}

/* ------------------------------------------------------------------------- */
/* Errors                                                                     */
/* ------------------------------------------------------------------------- */
/* An answer that must fail with `err`, struct reset, http_status kept. */
static void check_err(const char *name, const char *resp, size_t len, ges_err_t err,
                      int status)
{
    expect_t x = {NULL, GES_OK, 0, -1, -1, 0, NULL};
    x.name = name;
    x.err = err;
    x.status = status;
    check_http(&x, resp, len);
}

#define CHECK_ERR(name, lit, err, status) check_err(name, lit, sizeof lit - 1, err, status)

/* A 1xx's Date and Retry-After never reach the final answer (issue 13). */
static void test_interim_headers_reset(void)
{
    static const char r[] = "HTTP/1.1 100 Continue\r\nDate: Sat, 01 Jan 2000 00:00:00 GMT\r\n"
                            "Retry-After: Sat, 01 Jan 2000 00:01:00 GMT\r\n\r\n"
                            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    ges_parser_t json;
    ges__http_t h;
    ges_job_status_t out;
    size_t used = 0;
    ges_parser_init(&json, &out, work_buf, sizeof work_buf);
    ges__http_init(&h, &json);
    CHECK_EQ(ges__http_feed(&h, (const unsigned char *)r, sizeof r - 1, &used), GES_OK);
    CHECK_EQ(h.st, H_DONE);
    CHECK_EQ(h.date, -1);
    CHECK_EQ(h.retry_at, -1);
    CHECK_EQ(h.retry_after, 0);
}

/* A 2xx answer in another Content-Encoding is named, not misread as
 * malformed JSON (issue 13). */
static void test_content_encoding(void)
{
    static const char gz[] = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\n\x1f\x8b\x08";
    static const char br[] = "HTTP/1.1 200 OK\r\ncontent-encoding: br, identity\r\nContent-Length: 2\r\n\r\n{}";
    static const char lng[] = "HTTP/1.1 200 OK\r\nContent-Encoding: x-very-long-coding-name-indeed\r\n\r\n";
    ges_parser_t json;
    ges__http_t h;
    ges_job_status_t out;
    size_t used;
    CHECK_ERR("200 gzip", gz, GES_ERR_HTTP_ENCODING, 200);
    CHECK_ERR("200 br, identity", br, GES_ERR_HTTP_ENCODING, 200);
    ges_parser_init(&json, &out, work_buf, sizeof work_buf);
    ges__http_init(&h, &json);
    CHECK_EQ(ges__http_feed(&h, (const unsigned char *)gz, sizeof gz - 1, &used), GES_ERR_HTTP_ENCODING);
    CHECK_STR(h.coding, "gzip");
    ges_parser_init(&json, &out, work_buf, sizeof work_buf);
    ges__http_init(&h, &json);
    CHECK_EQ(ges__http_feed(&h, (const unsigned char *)lng, sizeof lng - 1, &used), GES_ERR_HTTP_ENCODING);
    CHECK_EQ(strlen(h.coding), GES_CODING_MAX);
    CHECK(memcmp(h.coding, "x-very-long", 11) == 0);
    CHECK(strcmp(h.coding + GES_CODING_MAX - 3, "...") == 0); /* cut, and says so */
    CHECK_ERR("200 identitx (eight letters, not identity)",
              "HTTP/1.1 200 OK\r\nContent-Encoding: identitx\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP_ENCODING, 200);
    {
        /* a line longer than the reader's window: whatever it names, not
         * identity alone; reported cut */
        static const char over[] = "HTTP/1.1 200 OK\r\nContent-Encoding: identity, "
                                   "x-one-more-coding-past-the-window\r\nContent-Length: 2\r\n\r\n{}";
        CHECK_ERR("200 Content-Encoding past the line window", over, GES_ERR_HTTP_ENCODING, 200);
        ges_parser_init(&json, &out, work_buf, sizeof work_buf);
        ges__http_init(&h, &json);
        CHECK_EQ(ges__http_feed(&h, (const unsigned char *)over, sizeof over - 1, &used),
                 GES_ERR_HTTP_ENCODING);
        CHECK_EQ(strlen(h.coding), GES_CODING_MAX);
        CHECK(memcmp(h.coding, "identity, ", 10) == 0);
        CHECK(strcmp(h.coding + GES_CODING_MAX - 3, "...") == 0);
    }
}

static void test_err_content_length(void)
{
    char t[128];
    CHECK_ERR("two different Content-Length",
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("two different Content-Length, larger first",
              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\ncontent-length: 2\r\n\r\n{} ",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Content-Length: 12abc", "HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("empty Content-Length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("blank Content-Length", "HTTP/1.1 200 OK\r\nContent-Length:   \r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Content-Length: -1", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Content-Length: +2", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Content-Length: 0x2", "HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Content-Length: 1 2", "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Content-Length: 2, 2", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("conflicting Content-Length in a 400",
              "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\nContent-Length: 30\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 400);

    sprintf(t, "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n\r\n{",
            (unsigned long)GES_BODY_MAX + 1UL);
    check_err("Content-Length GES_BODY_MAX + 1", t, strlen(t),
              GES_ERR_HTTP_BODY_TOO_LARGE, 200);
    CHECK_ERR("Content-Length of 24 digits",
              "HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999999999\r\n\r\n{",
              GES_ERR_HTTP_BODY_TOO_LARGE, 200);
    CHECK_ERR("Content-Length 2^64",
              "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n{",
              GES_ERR_HTTP_BODY_TOO_LARGE, 200);
}

static void test_err_transfer_encoding(void)
{
    CHECK_ERR("Content-Length then chunked",
              "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n"
              "2\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunked then Content-Length",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 7\r\n\r\n"
              "2\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Transfer-Encoding: gzip",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n{}", GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Transfer-Encoding: gzip, chunked",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Transfer-Encoding: chunked, gzip",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Transfer-Encoding: identity",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n{}", GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Transfer-Encoding: chunkee (seven letters, not chunked)",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkee\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Transfer-Encoding empty", "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("Transfer-Encoding: chunked twice",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
              "2\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
}

static void test_err_chunks(void)
{
    char t[256];
    CHECK_ERR("chunk size -5", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunk size zz", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("empty chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunk size 0x2", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\n{}",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunk size then garbage",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunk size ffffffffffffffffffff",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n{}",
              GES_ERR_HTTP_BODY_TOO_LARGE, 200);
    sprintf(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%lx\r\n{",
            (unsigned long)GES_BODY_MAX + 1UL);
    check_err("chunk size GES_BODY_MAX + 1", t, strlen(t), GES_ERR_HTTP_BODY_TOO_LARGE, 200);
    CHECK_ERR("chunk data not followed by CRLF",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}X\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunk data followed by CR only",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunk data followed by LF only",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("chunk longer than its size",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("bare LF after chunk size",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("NUL in chunk size line",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;\0\r\n{}\r\n0\r\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);
    CHECK_ERR("bare LF in a trailer",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: 1\n\r\n",
              GES_ERR_HTTP_FRAMING, 200);

    /* A chunk-size line is not counted in the header budget; its length is
     * bounded on its own, so an endless extension ends cleanly. */
    {
        int i;
        r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=");
        for (i = 0; i < 2000; i++) r_s("aaaaaaaaaa");
        check_err("endless chunk extension", rb, rn, GES_ERR_HTTP_FRAMING, 200);
        r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (i = 0; i < 2000; i++) r_s("0000000000");
        check_err("endless run of zeros as chunk size", rb, rn, GES_ERR_HTTP_FRAMING, 200);
    }
    /* The longest chunk-size line accepted is GES_HTTP_CHUNK_LINE_MAX bytes
     * (ges_job.h, "Fixed limits"); one more is a framing error. */
    {
        char cl[GES_HTTP_CHUNK_LINE_MAX + 2];
        ges_job_status_t st;
        size_t k;
        for (k = 0; k < 2; k++) {
            memset(cl, 'e', sizeof cl);
            memcpy(cl, "2;e=", 4);
            cl[GES_HTTP_CHUNK_LINE_MAX + k] = '\0';
            r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            r_s(cl);
            r_s("\r\n{}\r\n0\r\n\r\n");
            if (k == 0) {
                CHECK_EQ(ges_job_parse_response(rb, rn, &st), GES_OK);
                CHECK_EQ(st.http_status, 200);
            } else {
                check_err("chunk-size line one byte over GES_HTTP_CHUNK_LINE_MAX", rb, rn,
                          GES_ERR_HTTP_FRAMING, 200);
            }
        }
    }
}

static void test_err_syntax(void)
{
    CHECK_ERR("NUL in a header value",
              "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("NUL in a header name",
              "HTTP/1.1 200 OK\r\nX\0A: b\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("control byte 0x01 in a header",
              "HTTP/1.1 200 OK\r\nX-A: \x01\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("DEL in a header",
              "HTTP/1.1 200 OK\r\nX-A: \x7F\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("NUL in the status line", "HTTP/1.1 200 O\0K\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("header folding (space)",
              "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("header folding (tab)",
              "HTTP/1.1 200 OK\r\nX-A: a\r\n\tb\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("header without colon",
              "HTTP/1.1 200 OK\r\nContent-Length 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("a tab after the version", "HTTP/1.1\t200 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("HTTP/1.2", "HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 0);
    CHECK_ERR("bare LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\n{}", GES_ERR_HTTP, 0);
    CHECK_ERR("bare LF in a header",
              "HTTP/1.1 200 OK\r\nContent-Length: 2\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("bare LF ends the headers",
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("CR not followed by LF",
              "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 200);
    CHECK_ERR("status line HTTX/1.1", "HTTX/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("status line 20", "HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 0);
    CHECK_ERR("status line HTTP/2", "HTTP/2 200\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 0);
    CHECK_ERR("status line HTTP/1.2", "HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("status line 2000", "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("status line 099", "HTTP/1.1 099 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("status line 2x0", "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("status line lower-case", "http/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("status line with two spaces", "HTTP/1.1  200 OK\r\nContent-Length: 2\r\n\r\n{}",
              GES_ERR_HTTP, 0);
    CHECK_ERR("blank line before the status line",
              "\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", GES_ERR_HTTP, 0);
    CHECK_ERR("not HTTP at all", "SSH-2.0-OpenSSH_9.2\r\n", GES_ERR_HTTP, 0);
    CHECK_ERR("101 Switching Protocols",
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
              GES_ERR_HTTP, 101);
    CHECK_ERR("101 after a 100",
              "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n",
              GES_ERR_HTTP, 101);
}

/* Status line + X-Pad lines + Content-Length line + blank line, exactly
 * `hdr_bytes` bytes, then SMALL. */
static void build_padded(const char *first, size_t hdr_bytes)
{
    char cl[64], line[1100];
    size_t left;
    sprintf(cl, "Content-Length: %lu\r\n", (unsigned long)strlen(SMALL));
    r_start(first);
    left = hdr_bytes - rn - strlen(cl) - 2;
    while (left > 0) {
        size_t l = left > 1009 ? 1000 : left; /* each line 9..1009 bytes */
        CHECK(l >= 9);
        memcpy(line, "X-Pad: ", 7);
        memset(line + 7, 'p', l - 9);
        memcpy(line + l - 2, "\r\n", 2);
        r_put(line, l);
        left -= l;
    }
    r_s(cl);
    r_s("\r\n");
    CHECK_EQ(rn, hdr_bytes);
    r_s(SMALL);
}

static void test_err_headers_too_large(void)
{
    expect_t ok = {"headers of exactly GES_HTTP_HEADERS_MAX bytes", GES_OK, 200, 0, 0, 1, SMALL};
    int i;

    build_padded("HTTP/1.1 200 OK\r\n", GES_HTTP_HEADERS_MAX);
    CHECK_HTTP(ok);
    build_padded("HTTP/1.1 200 OK\r\n", GES_HTTP_HEADERS_MAX + 1);
    check_err("headers of GES_HTTP_HEADERS_MAX + 1 bytes", rb, rn,
              GES_ERR_HTTP_HEADERS_TOO_LARGE, 200);

    /* 1xx answers count too. */
    ok.name = "100 + 200 headers of exactly GES_HTTP_HEADERS_MAX bytes";
    build_padded("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", GES_HTTP_HEADERS_MAX);
    CHECK_HTTP(ok);
    build_padded("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", GES_HTTP_HEADERS_MAX + 1);
    check_err("100 + 200 headers one byte over", rb, rn, GES_ERR_HTTP_HEADERS_TOO_LARGE, 200);

    r_start("HTTP/1.1 200 OK\r\nX-Pad: ");
    for (i = 0; i < 2000; i++) r_s("0123456789");
    check_err("one endless header line", rb, rn, GES_ERR_HTTP_HEADERS_TOO_LARGE, 200);

    r_start("HTTP/1.1 200 ");
    for (i = 0; i < 2000; i++) r_s("0123456789");
    check_err("endless status line", rb, rn, GES_ERR_HTTP_HEADERS_TOO_LARGE, 0);

    r_start("");
    for (i = 0; i < 2000; i++) r_s("HTTP/1.1 100 Continue\r\n\r\n");
    check_err("endless 100 Continue", rb, rn, GES_ERR_HTTP_HEADERS_TOO_LARGE, 100);

    /* trailers count too */
    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(SMALL, strlen(SMALL), CH_LOWER);
    r_s("0\r\n");
    for (i = 0; i < 2000; i++) r_s("X-Trailer: 0123456789\r\n");
    r_s("\r\n");
    check_err("trailer flood", rb, rn, GES_ERR_HTTP_HEADERS_TOO_LARGE, 200);
}

static void test_err_cut_short(void)
{
    char t[256];
    size_t n;
    sprintf(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n%.10s", SEED_200);
    check_err("Content-Length 100, 10 bytes, EOF", t, strlen(t), GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("nothing at all", "", GES_ERR_NET_CLOSED, 0);
    CHECK_ERR("cut in the status line", "HTTP/1.1 20", GES_ERR_NET_CLOSED, 0);
    CHECK_ERR("cut after the status line", "HTTP/1.1 200 OK\r\n", GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("cut in a header", "HTTP/1.1 200 OK\r\nContent-Len", GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("cut before the blank line", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",
              GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("cut in the blank line", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r",
              GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("cut in the body", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{",
              GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("only a 100 Continue", "HTTP/1.1 100 Continue\r\n\r\n", GES_ERR_NET_CLOSED, 100);
    CHECK_ERR("chunked, cut in chunk data",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{}", GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("chunked, cut before the last chunk",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
              GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("chunked, cut after the last chunk",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n",
              GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("chunked, cut in the trailers",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: 1\r\n",
              GES_ERR_NET_CLOSED, 200);
    CHECK_ERR("400 cut short",
              "HTTP/1.1 400 Bad Request\r\nContent-Length: 50\r\n\r\n{\"errorCode\":",
              GES_ERR_NET_CLOSED, 400);

    /* Cut after whole members were read: the result must still be reset. */
    r_start("HTTP/1.1 200 OK\r\n");
    r_cl((unsigned long)strlen(SEED_200));
    r_s("\r\n");
    n = rn;
    r_put(SEED_200, 200);
    CHECK(rn == n + 200);
    check_err("seed body cut after 200 bytes", rb, rn, GES_ERR_NET_CLOSED, 200);

    r_start("HTTP/1.1 400 Bad Request\r\n");
    r_cl((unsigned long)strlen(SEED_400) + 10);
    r_s("\r\n");
    r_s(SEED_400);
    check_err("seed 400 body, 10 bytes missing", rb, rn, GES_ERR_NET_CLOSED, 400);
}

/* A framing error once part of the body was parsed into the result. */
static void test_err_after_partial_body(void)
{
    static const char part[] = "{\"jobId\":\"j1\",\"status\":\"running\",";
    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(part, sizeof part - 1, CH_LOWER);
    r_s("zz\r\n\"jobProgress\":0.5}\r\n0\r\n\r\n");
    check_err("bad chunk size after two members", rb, rn, GES_ERR_HTTP_FRAMING, 200);

    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(part, sizeof part - 1, CH_LOWER);
    rn -= 2;
    r_s("XY\"jobProgress\":0.5}\r\n0\r\n\r\n");
    check_err("missing CRLF after two members", rb, rn, GES_ERR_HTTP_FRAMING, 200);

    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(SEED_200, strlen(SEED_200) - 2, CH_LOWER);
    r_s("ffffffffffffffffffff\r\n");
    check_err("huge chunk after most of the seed", rb, rn, GES_ERR_HTTP_BODY_TOO_LARGE, 200);
}

/* ------------------------------------------------------------------------- */
/* GES_BODY_MAX                                                               */
/* ------------------------------------------------------------------------- */
static char spaces[1 << 20];

typedef struct {
    ges_parser_t json;
    ges__http_t h;
    ges_job_status_t st;
    ges_err_t err;
    int over;
} big_t;

static big_t big;

static void big_start(void)
{
    memset(&big, 0, sizeof big);
    /* no work buffer: values go straight to the result, so a reset shows */
    ges_parser_init(&big.json, &big.st, NULL, 0);
    ges__http_init(&big.h, &big.json);
}

/* Feed until consumed, an error, or the answer's end. */
static void big_feed(const char *p, size_t n)
{
    while (n > 0 && big.err == GES_OK && big.h.st != H_DONE) {
        size_t used = (size_t)-1;
        big.err = ges__http_feed(&big.h, (const unsigned char *)p, n, &used);
        if (used > n) {
            big.over = 1;
            return;
        }
        if (big.err == GES_OK && big.h.st != H_DONE && used != n) {
            big.over = 1;
            return;
        }
        p += used;
        n -= used;
    }
}

static void big_feed_s(const char *s) { big_feed(s, strlen(s)); }

/* `n` bytes of spaces as chunks of at most `per` bytes. */
static void big_chunks(unsigned long n, unsigned long per)
{
    while (n > 0 && big.err == GES_OK) {
        unsigned long k = n < per ? n : per, left = k;
        char t[32];
        sprintf(t, "%lx\r\n", k);
        big_feed_s(t);
        while (left > 0) {
            size_t m = left < sizeof spaces ? left : sizeof spaces;
            big_feed(spaces, m);
            left -= m;
        }
        big_feed_s("\r\n");
        n -= k;
    }
}

static void big_spaces(unsigned long n)
{
    while (n > 0 && big.err == GES_OK) {
        size_t m = n < sizeof spaces ? n : sizeof spaces;
        big_feed(spaces, m);
        n -= m;
    }
}

static void test_body_limit_chunk_size(void)
{
    char t[128];
    big_start();
    sprintf(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%lx\r\n",
            (unsigned long)GES_BODY_MAX);
    big_feed_s(t);
    CHECK_EQ(big.err, GES_OK);
    CHECK_EQ(big.h.st, H_CHUNK_DATA);
    CHECK_EQ(big.h.left, GES_BODY_MAX);
    CHECK(!big.over);
    CHECK_EQ(ges__http_end(&big.h, 1), GES_ERR_NET_CLOSED);
}

static const char BIG_HEAD_JSON[] = "{\"jobId\":\"big\"";

static void test_body_limit_chunked(void)
{
    unsigned long head = sizeof BIG_HEAD_JSON - 1;
    /* 2xx, JSON parsed: exactly GES_BODY_MAX bytes is fine ... */
    big_start();
    big_feed_s("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    big_feed_s("e\r\n{\"jobId\":\"big\"\r\n");
    big_chunks(GES_BODY_MAX - head - 1, 0x100000UL);
    big_feed_s("1\r\n}\r\n0\r\n\r\n");
    CHECK_EQ(big.err, GES_OK);
    CHECK(!big.over);
    CHECK_EQ(big.h.st, H_DONE);
    CHECK_EQ(big.h.body, GES_BODY_MAX);
    CHECK_EQ(ges__http_end(&big.h, 1), GES_OK);
    CHECK_STR(big.st.job_id, "big");

    /* ... one byte more is not, wherever the chunks begin and end */
    big_start();
    big_feed_s("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    big_feed_s("e\r\n{\"jobId\":\"big\"\r\n");
    big_chunks(GES_BODY_MAX - head, 0x7fffffUL);
    CHECK_EQ(big.err, GES_OK);
    big_feed_s("1\r\n}\r\n0\r\n\r\n");
    CHECK_EQ(big.err, GES_ERR_HTTP_BODY_TOO_LARGE);
    CHECK(!big.over);
    CHECK_EQ(big.h.body, GES_BODY_MAX);
    CHECK_EQ(big.st.http_status, 200);
    CHECK_EQ(big.st.present, 0); /* reset after the error */

    /* 5xx: the JSON error is ignored and the body framed on, yet bounded */
    big_start();
    big_feed_s("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n");
    big_chunks(GES_BODY_MAX, 0x7fffffUL);
    CHECK_EQ(big.err, GES_OK);
    big_feed_s("1\r\nx\r\n");
    CHECK_EQ(big.err, GES_ERR_HTTP_BODY_TOO_LARGE);
    CHECK(!big.over);
    CHECK_EQ(big.st.http_status, 500);
}

/* A flood of 1-byte chunks with long extensions: the framing has its own
 * GES_BODY_MAX budget, so the bytes read stay under about twice the bound
 * (without it, ~53 wire bytes per body byte would pass). */
static void test_body_limit_chunk_framing_flood(void)
{
    static const char one[] = "1;padding-padding-padding-padding-padding\r\n \r\n";
    unsigned long long wire = 0, rounds = 0;
    big_start();
    big_feed_s("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
    while (big.err == GES_OK && rounds < 100000000ull) {
        big_feed(one, sizeof one - 1);
        wire += sizeof one - 1;
        rounds++;
    }
    CHECK_EQ(big.err, GES_ERR_HTTP_BODY_TOO_LARGE);
    CHECK(!big.over);
    CHECK(big.h.framing <= GES_BODY_MAX + 1);
    CHECK(wire <= 2ull * GES_BODY_MAX);
    CHECK(big.h.body < GES_BODY_MAX / 40); /* refused long before the body bound */
}

/* The framing budget runs out on the CR or LF after a chunk's data as it
 * does on a size line: the counter is set to where a flood like the one
 * above would have brought it, so the last byte of the budget and the one
 * past it fall on the CRLF (at_lf 0: the CR is past it; 1: the CR is the
 * last one, the LF past it). */
static void test_body_limit_framing_at_crlf(void)
{
    unsigned at_lf;
    for (at_lf = 0; at_lf < 2; at_lf++) {
        big_start();
        big_feed_s("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
        CHECK_EQ(big.err, GES_OK);
        big.h.framing = GES_BODY_MAX - 3 - at_lf;
        big_feed_s("1\r\n "); /* 3 bytes of framing, 1 of body */
        CHECK_EQ(big.err, GES_OK);
        CHECK_EQ(big.h.st, H_CHUNK_CR);
        CHECK_EQ(big.h.framing, GES_BODY_MAX - at_lf);
        big_feed_s("\r");
        CHECK_EQ(big.err, at_lf ? GES_OK : GES_ERR_HTTP_BODY_TOO_LARGE);
        if (at_lf) {
            CHECK_EQ(big.h.st, H_CHUNK_LF);
            big_feed_s("\n");
            CHECK_EQ(big.err, GES_ERR_HTTP_BODY_TOO_LARGE);
        }
        CHECK(!big.over);
        CHECK_EQ(big.h.framing, GES_BODY_MAX + 1);
        CHECK_EQ(big.h.body, 2);
        CHECK_EQ(big.st.present, 0); /* reset after the error */
    }
}

static void test_body_limit_length_and_close(void)
{
    char t[128];
    unsigned long head = sizeof BIG_HEAD_JSON - 1;
    big_start();
    sprintf(t, "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n\r\n", (unsigned long)GES_BODY_MAX);
    big_feed_s(t);
    big_feed_s(BIG_HEAD_JSON);
    big_spaces(GES_BODY_MAX - head - 1);
    big_feed_s("}");
    CHECK_EQ(big.err, GES_OK);
    CHECK(!big.over);
    CHECK_EQ(big.h.st, H_DONE);
    CHECK_EQ(ges__http_end(&big.h, 1), GES_OK);
    CHECK_STR(big.st.job_id, "big");

    /* close-delimited 5xx: GES_BODY_MAX bytes fine, one more is not */
    big_start();
    big_feed_s("HTTP/1.0 500 Internal Server Error\r\n\r\n");
    big_spaces(GES_BODY_MAX);
    CHECK_EQ(big.err, GES_OK);
    CHECK_EQ(big.h.st, H_BODY_CLOSE);
    big_feed_s("x");
    CHECK_EQ(big.err, GES_ERR_HTTP_BODY_TOO_LARGE);
    CHECK(!big.over);

    /* close-delimited 2xx with a JSON body: same bound */
    big_start();
    big_feed_s("HTTP/1.0 200 OK\r\n\r\n");
    big_feed_s(BIG_HEAD_JSON);
    big_spaces(GES_BODY_MAX - head);
    CHECK_EQ(big.err, GES_OK);
    big_feed_s("}");
    CHECK_EQ(big.err, GES_ERR_HTTP_BODY_TOO_LARGE);
    CHECK_EQ(big.st.present, 0); /* reset after the error */
    CHECK_EQ(big.st.http_status, 200);
}

/* ------------------------------------------------------------------------- */
/* Odds and ends of ges__http_feed                                            */
/* ------------------------------------------------------------------------- */
static void test_feed_edges(void)
{
    ges_parser_t json;
    ges__http_t h;
    ges_job_status_t st;
    size_t used = 99;
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}MORE";
    ges_parser_init(&json, &st, work_buf, 64);
    ges__http_init(&h, &json);
    CHECK_EQ(ges__http_feed(&h, (const unsigned char *)resp, 0, &used), GES_OK);
    CHECK_EQ(used, 0);
    CHECK_EQ(h.st, H_STATUS);
    CHECK_EQ(ges__http_feed(&h, (const unsigned char *)resp, sizeof resp - 1, &used), GES_OK);
    CHECK_EQ(used, sizeof resp - 1 - 4);
    CHECK_EQ(h.st, H_DONE);
    /* once done, nothing more is taken */
    used = 99;
    CHECK_EQ(ges__http_feed(&h, (const unsigned char *)"MORE", 4, &used), GES_OK);
    CHECK_EQ(used, 0);
    CHECK_EQ(ges__http_end(&h, 1), GES_OK);

    /* a close-delimited body is complete only at EOF */
    ges_parser_init(&json, &st, work_buf, 64);
    ges__http_init(&h, &json);
    CHECK_EQ(ges__http_feed(&h, (const unsigned char *)"HTTP/1.0 200 OK\r\n\r\n{}", 21, &used),
             GES_OK);
    CHECK_EQ(used, 21);
    CHECK_EQ(h.st, H_BODY_CLOSE);
    CHECK_EQ(ges__http_end(&h, 0), GES_ERR_NET_CLOSED);
}

/* ------------------------------------------------------------------------- */
/* ges_job_parse_response                                                     */
/* ------------------------------------------------------------------------- */
static ges_job_status_t pr_st, pr_ref;

static ges_err_t parse_resp(const char *resp, size_t len)
{
    memset(&pr_st, 0x5A, sizeof pr_st);
    return ges_job_parse_response(resp, len, &pr_st);
}

static int pr_is_reset(int http_status)
{
    ges_job_status_init(&pr_ref);
    pr_ref.http_status = http_status;
    return memcmp(&pr_st, &pr_ref, sizeof pr_st) == 0;
}

static int pr_is_body(const char *body, int http_status)
{
    if (ges_job_parse(body, strlen(body), &pr_ref) != GES_OK) return 0;
    pr_ref.http_status = http_status;
    return memcmp(&pr_st, &pr_ref, sizeof pr_st) == 0;
}

#define PR(lit) parse_resp(lit, sizeof lit - 1)

static void test_parse_response(void)
{
    r_cl_body("HTTP/1.1 200 OK\r\n", SEED_200);
    CHECK_EQ(parse_resp(rb, rn), GES_OK);
    CHECK(pr_is_body(SEED_200, 200));

    r_start("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(SEED_200, 100, CH_EXT);
    r_chunk(SEED_200 + 100, strlen(SEED_200) - 100, CH_UPPER);
    r_s("0\r\nX-T: 1\r\n\r\n");
    CHECK_EQ(parse_resp(rb, rn), GES_OK);
    CHECK(pr_is_body(SEED_200, 200));

    r_start("HTTP/1.0 200 OK\r\n\r\n");
    r_s(SEED_200);
    CHECK_EQ(parse_resp(rb, rn), GES_OK);
    CHECK(pr_is_body(SEED_200, 200));

    r_cl_body("HTTP/1.1 400 Bad Request\r\n", SEED_400);
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_SERVICE);
    CHECK(pr_is_body(SEED_400, 400));
    CHECK_STR(pr_st.error_code, "GES.8301");

    r_cl_body("HTTP/1.1 502 Bad Gateway\r\n", HTML_502);
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_SERVICE);
    CHECK(pr_is_reset(502));

    r_start("HTTP/1.1 302 Found\r\nLocation: https://x.example/\r\nContent-Length: 0\r\n\r\n");
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_SERVICE);
    CHECK(pr_is_reset(302));

    r_cl_body("HTTP/1.1 200 OK\r\n", "{\"errorCode\":\"GES.7001\",\"errorMessage\":\"x\"}");
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_SERVICE);
    CHECK_STR(pr_st.error_code, "GES.7001");
    CHECK_EQ(pr_st.http_status, 200);

    r_cl_body("HTTP/1.1 200 OK\r\n", "{\"jobId\":\"j1\",}");
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_JSON_SYNTAX);
    CHECK(pr_is_reset(200));

    /* bytes after a complete answer */
    r_cl_body("HTTP/1.1 200 OK\r\n", SEED_200);
    r_s("X");
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_HTTP);
    CHECK(pr_is_reset(200));
    r_cl_body("HTTP/1.1 200 OK\r\n", SEED_200);
    r_s("\r\n");
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_HTTP);
    CHECK(pr_is_reset(200));
    r_cl_body("HTTP/1.1 200 OK\r\n", SEED_200);
    r_s(JUNK);
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_HTTP);
    CHECK(pr_is_reset(200));
    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(SMALL, strlen(SMALL), CH_LOWER);
    r_s("0\r\n\r\nX");
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_HTTP);
    CHECK(pr_is_reset(200));
    CHECK_EQ(PR("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nX"),
             GES_ERR_HTTP);
    CHECK(pr_is_reset(404));

    /* cut short, framing, syntax */
    r_start("HTTP/1.1 200 OK\r\n");
    r_cl((unsigned long)strlen(SEED_200));
    r_s("\r\n");
    r_put(SEED_200, 200);
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_NET_CLOSED);
    CHECK(pr_is_reset(200));
    CHECK_EQ(PR("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"jobId\":"),
             GES_ERR_NET_CLOSED);
    CHECK(pr_is_reset(200));
    CHECK_EQ(PR("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
             GES_ERR_HTTP_FRAMING);
    CHECK(pr_is_reset(200));
    r_start("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    r_chunk(SEED_200, 300, CH_LOWER);
    r_s("zz\r\n");
    CHECK_EQ(parse_resp(rb, rn), GES_ERR_HTTP_FRAMING);
    CHECK(pr_is_reset(200));
    CHECK_EQ(PR("HTTP/1.1 200 OK\nContent-Length: 2\n\n{}"), GES_ERR_HTTP);
    CHECK(pr_is_reset(0));
    CHECK_EQ(parse_resp("", 0), GES_ERR_NET_CLOSED);
    CHECK(pr_is_reset(0));
    CHECK_EQ(PR("HTTP/1.1 204 No Content\r\n\r\n"), GES_ERR_JSON_INCOMPLETE);
    CHECK(pr_is_reset(204));

    /* NULL arguments */
    memset(&pr_st, 0x5A, sizeof pr_st);
    CHECK_EQ(ges_job_parse_response(NULL, 0, &pr_st), GES_ERR_INVALID_ARG);
    CHECK(pr_is_reset(0));
    CHECK_EQ(ges_job_parse_response("HTTP/1.1 200 OK\r\n\r\n{}", 21, NULL), GES_ERR_INVALID_ARG);
}

static int no_io_calls;
static int no_connect(void *x, const char *h, uint16_t p, uint32_t t, ges_sock_t *s)
{
    (void)x;
    (void)h;
    (void)p;
    (void)t;
    (void)s;
    no_io_calls++;
    return GES_PORT_ERROR;
}
static int no_send(void *x, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t)
{
    (void)x;
    (void)s;
    (void)b;
    (void)n;
    (void)t;
    no_io_calls++;
    return GES_PORT_ERROR;
}
static int no_recv(void *x, ges_sock_t s, unsigned char *b, size_t n, uint32_t t)
{
    (void)x;
    (void)s;
    (void)b;
    (void)n;
    (void)t;
    no_io_calls++;
    return GES_PORT_ERROR;
}
static void no_close(void *x, ges_sock_t s)
{
    (void)x;
    (void)s;
    no_io_calls++;
}
static uint32_t no_now(void *x)
{
    (void)x;
    no_io_calls++;
    return 0;
}
static void no_sleep(void *x, uint32_t ms)
{
    (void)x;
    (void)ms;
    no_io_calls++;
}
static int no_entropy(void *x, unsigned char *b, size_t n)
{
    (void)x;
    (void)b;
    (void)n;
    no_io_calls++;
    return -1;
}

/* Client set-up refusals that happen before any I/O: credentials that could
 * break a header, both kinds of credentials at once, and a CA mbedTLS cannot
 * parse (the set-up is then undone: free is safe, the mbedTLS code kept). */
/* A port none of whose functions may be called, and a configuration on
 * it that gets as far as its CA, which is junk (GES_ERR_TLS: accepted). */
static ges_port_t no_port;
static void refused_config(ges_client_config_t *cfg)
{
    static unsigned char io[512];
    static const unsigned char junk_ca[] = "-----BEGIN CERTIFICATE-----\nnot base64\n"
                                           "-----END CERTIFICATE-----\n";
    no_port.net_connect = no_connect;
    no_port.net_send = no_send;
    no_port.net_recv = no_recv;
    no_port.net_close = no_close;
    no_port.now_ms = no_now;
    no_port.sleep_ms = no_sleep;
    no_port.entropy = no_entropy;
    ges_client_config_init(cfg);
    cfg->host = "localhost";
    cfg->platform = &no_port;
    cfg->io_buf = io;
    cfg->io_buf_len = sizeof io;
    cfg->ca_pem = junk_ca;
    cfg->ca_pem_len = sizeof junk_ca;
}

static void test_client_init_refusals(void)
{
    ges_client_config_t cfg;
    static ges_client_t c;
    size_t len;
    refused_config(&cfg);
    cfg.ak = "AK with space";
    cfg.sk = "SK";
    CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_INVALID_ARG);
    cfg.ak = "AK";
    cfg.sk = "SK\r\nX-Injected: 1";
    CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_INVALID_ARG);
    cfg.sk = "SK";
    cfg.token = "tok";
    CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_INVALID_ARG); /* both kinds */
    cfg.ak = cfg.sk = NULL;
    cfg.project_id_header = "p";
    CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_INVALID_ARG); /* AK/SK only */
    cfg.project_id_header = NULL;
    len = cfg.io_buf_len;
    cfg.io_buf_len = GES_IO_BUF_MIN - 1;
    CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_BUFFER_TOO_SMALL);
    cfg.io_buf_len = len;
    CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_TLS); /* the CA is junk */
    CHECK(ges_client_tls_error(&c) < 0);
    ges_client_free(&c); /* safe after a failed init */
    ges_client_free(&c);
    CHECK_EQ(no_io_calls, 0);
}


/* Each thing ges_client_init refuses, alone on a configuration that gets
 * as far as the CA (junk here, so GES_ERR_TLS means "accepted"): a missing
 * port function, CA, buffer, port, timeout or API version, and bad
 * secrets; then the NULL cases of the small public calls. */
static void test_client_api_refusals(void)
{
    static ges_port_t full, port;
    static ges_client_t c;
    ges_client_config_t ok, cfg;
    ges_wait_config_t wc;
    ges_job_status_t out;
    int i;
    refused_config(&ok);
    full = no_port;
    ok.platform = &port;
    ok.token = "tok";
    port = full;
    CHECK_EQ(ges_client_init(&c, &ok), GES_ERR_TLS);
    ges_client_free(&c);
    CHECK_EQ(ges_client_init(NULL, &ok), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_client_init(&c, NULL), GES_ERR_INVALID_ARG);
    for (i = 0; i < 7; i++) { /* each port function missing */
        port = full;
        if (i == 0) port.net_connect = NULL;
        if (i == 1) port.net_send = NULL;
        if (i == 2) port.net_recv = NULL;
        if (i == 3) port.net_close = NULL;
        if (i == 4) port.now_ms = NULL;
        if (i == 5) port.sleep_ms = NULL;
        if (i == 6) port.entropy = NULL;
        CHECK_EQ(ges_client_init(&c, &ok), GES_ERR_INVALID_ARG);
    }
    port = full;
    for (i = 0; i < 14; i++) { /* each other field wrong */
        cfg = ok;
        if (i == 0) cfg.platform = NULL;
        if (i == 1) cfg.ca_pem = NULL;
        if (i == 2) cfg.ca_pem_len = 0;
        if (i == 3) cfg.io_buf = NULL;
        if (i == 4) cfg.port = 0;
        if (i == 5) cfg.timeout_ms = 0;
        if (i == 6) cfg.timeout_ms = 0x80000000u;
        if (i == 7) cfg.api_version = (ges_api_t)7;
        if (i == 8) cfg.security_token = "st"; /* only with AK/SK */
        if (i == 9) {
            cfg.token = NULL;
            cfg.ak = "AK";
            cfg.sk = "SK";
            cfg.security_token = "s t";
        }
        if (i == 10) {
            cfg.token = NULL;
            cfg.ak = "AK";
            cfg.sk = "SK";
            cfg.project_id_header = "p q";
        }
        if (i == 11) cfg.host = NULL;
        if (i == 12) cfg.ak = "AK"; /* a token and half of AK/SK */
        if (i == 13) cfg.sk = "SK";
        CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_INVALID_ARG);
    }
    cfg = ok; /* the longest values still pass */
    cfg.token = NULL;
    cfg.ak = "AK";
    cfg.sk = "SK";
    cfg.security_token = "st";
    cfg.project_id_header = "proj";
    cfg.timeout_ms = 0x7FFFFFFFu;
    CHECK_EQ(ges_client_init(&c, &cfg), GES_ERR_TLS);
    ges_client_free(&c);
    CHECK_EQ(no_io_calls, 0);

    /* the small calls take NULL */
    CHECK_EQ(ges_client_tls_error(NULL), 0);
    CHECK_STR(ges_client_content_coding(NULL), "");
    CHECK_EQ(ges_client_cert_flags(NULL), 0);
    ges_client_free(NULL);
    ges_client_cancel(NULL);
    ges_job_status_init(NULL);
    CHECK_EQ(ges_job_truncated(NULL), 0);
    ges_wait_config_init(NULL);
    ges_client_config_init(NULL);
    CHECK_EQ(ges_job_retryable(GES_ERR_NET_SEND, NULL), 1);
    CHECK_EQ(ges_job_retryable(GES_ERR_SERVICE, NULL), 0);
    CHECK_EQ(ges_job_retryable(GES_ERR_JSON_SYNTAX, &out), 0);
    CHECK_EQ(ges_job_get_status(NULL, "p", "g", "j", &out), GES_ERR_INVALID_ARG);
    memset(&c, 0, sizeof c);
    c.initialised = 1;
    c.cfg.token = "t";
    c.cfg.platform = &full;
    CHECK_EQ(ges_job_get_status(&c, "p", "g", "j", NULL), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_job_wait(&c, "p", "g", "j", NULL, NULL), GES_ERR_INVALID_ARG);
    ges_wait_config_init(&wc);
    wc.deadline_ms = 0x80000000u;
    CHECK_EQ(ges_job_wait(&c, "p", "g", "j", &wc, &out), GES_ERR_INVALID_ARG);
    c.initialised = 0; /* never initialised, or freed */
    CHECK_EQ(ges_job_get_status(&c, "p", "g", "j", &out), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_job_wait(&c, "p", "g", "j", NULL, &out), GES_ERR_INVALID_ARG);
    CHECK_EQ(no_io_calls, 0);
    memset(&c, 0, sizeof c);
}


/* Lines the reader meets rarely, fed whole into a ges__http_t: each row is
 * a status line and header block (and body), the error it ends with, and,
 * for answers that end, what the reader made of the headers. Overlong
 * lines of every header we act on, names with spaces or none, odd token
 * lists, broken dates, chunk-size lines with spaces or past the window. */
static void test_reader_rare_lines(void)
{
    static const struct {
        const char *resp;
        ges_err_t err;
        int close, keep; /* -1: not checked */
        int64_t date;    /* -2: not checked */
        uint32_t retry;
    } rows[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 00000000000000000000000000000000000002\r\n\r\n{}",
         GES_ERR_HTTP_FRAMING, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding:                              chunked\r\n\r\n",
         GES_ERR_HTTP_FRAMING, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nConnection: keep-alive, something-long-enough-to-pass\r\n"
         "Content-Length: 2\r\n\r\n{}",
         GES_OK, 1, 0, -2, 0},
        {"HTTP/1.1 200 OK\r\nConnection: , ,\tkeep-alive \t, x\r\nContent-Length: 2\r\n\r\n{}",
         GES_OK, 0, 1, -2, 0},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\t\r\nContent-Length: 2\r\n\r\n{}",
         GES_OK, 0, 1, -2, 0},
        {"HTTP/1.1 200 OK\r\nDate:                    Sat, 01 Jan 2000 00:00:00 GMT\r\n"
         "Content-Length: 2\r\n\r\n{}",
         GES_OK, -1, -1, -1, 0},
        {"HTTP/1.1 200 OK\r\nDate: Sat, 01 Jan 2000 00:00:00 GMT\r\nContent-Length: 2\r\n\r\n{}",
         GES_OK, -1, -1, 946684800, 0},
        {"HTTP/1.1 200 OK\r\nRetry-After:                Sat, 01 Jan 2000 00:00:00 GMT\r\n"
         "Content-Length: 2\r\n\r\n{}",
         GES_OK, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nX-No-Colon-In-The-Window-Because-This-Name-Is-Long: 1\r\n"
         "Content-Length: 2\r\n\r\n{}",
         GES_OK, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nX-No-Colon\r\n\r\n", GES_ERR_HTTP, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", GES_ERR_HTTP, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nX\tY: 1\r\n\r\n", GES_ERR_HTTP, -1, -1, -2, 0},
        {"HTTP/1.2 200 OK\r\n\r\n", GES_ERR_HTTP, -1, -1, -2, 0},
        {"HTTP/1.1 200X\r\n\r\n", GES_ERR_HTTP, -1, -1, -2, 0},
        {"HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
         GES_OK, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \t;ext\r\n{}\r\n0\r\n\r\n",
         GES_OK, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\n{}\r\n0\r\n\r\n",
         GES_ERR_HTTP_FRAMING, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
         "0000000000000000000000000000000000000000000000002\r\n{}\r\n0\r\n\r\n",
         GES_ERR_HTTP_FRAMING, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\rX0\r\n\r\n",
         GES_ERR_HTTP_FRAMING, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n"
         "X-Trailer-Long-Enough-To-Pass-The-Window-Of-The-Reader: 1\r\n\r\n",
         GES_OK, -1, -1, -2, 0},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX: 1\n\r\n",
         GES_ERR_HTTP_FRAMING, -1, -1, -2, 0},
    };
    /* IMF-fixdates broken at each fixed position, and a month that is none */
    static const char *const bad_dates[] = {
        "Sat; 01 Jan 2000 00:00:00 GMT", "Sat,-01 Jan 2000 00:00:00 GMT",
        "Sat, 01-Jan 2000 00:00:00 GMT", "Sat, 01 Jan-2000 00:00:00 GMT",
        "Sat, 01 Jan 2000-00:00:00 GMT", "Sat, 01 Jan 2000 00:00:00 UTC",
        "Sat, 01 Jam 2000 00:00:00 GMT"};
    size_t i;
    for (i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        CHECK_EQ(ges__http_date(bad_dates[i], strlen(bad_dates[i])), -1);
    }
    CHECK_EQ(ges__http_date("Sat, 01 Jan 2000 00:00:00 GMT", 29), 946684800);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        static ges_job_status_t out;
        static char work[GES_PARSE_WORK];
        ges_parser_t json;
        ges__http_t h;
        size_t used = 0, n = strlen(rows[i].resp);
        ges_err_t e;
        ges_parser_init(&json, &out, work, sizeof work);
        ges__http_init(&h, &json);
        e = ges__http_feed(&h, (const unsigned char *)rows[i].resp, n, &used);
        if (e == GES_OK) e = ges__http_end(&h, 1);
        if (e == GES_ERR_SERVICE && h.status == 404) e = GES_OK; /* framed to the end */
        CHECK_EQ(e, rows[i].err);
        if (e != rows[i].err) fprintf(stderr, "  row %u: %s\n", (unsigned)i, rows[i].resp);
        if (e != GES_OK) continue;
        CHECK_EQ(used, n);
        if (rows[i].close >= 0) CHECK_EQ(h.close, rows[i].close);
        if (rows[i].keep >= 0) CHECK_EQ(h.keep_alive, rows[i].keep);
        if (rows[i].date != -2) CHECK_EQ(h.date, rows[i].date);
        CHECK_EQ(h.retry_after, rows[i].retry);
        CHECK_EQ(h.retry_at, -1);
    }
}

/* ------------------------------------------------------------------------- */
/* GES_ASSERT is live in test builds (tests/assert_on.h): it evaluates its   */
/* argument, and a violated precondition of each state machine (reader,      */
/* writer, signer, client) aborts, in a forked child. A build without it (or */
/* with NDEBUG) fails. Without fork (bare metal; qemu-user, whose forked     */
/* children die of SIGSEGV when they abort) only the first part runs.        */
/* ------------------------------------------------------------------------- */
#if (defined(__unix__) || defined(__APPLE__)) && !defined(GES_TEST_NO_FORK_DEATH)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

enum {
    DIE_READER,
    DIE_WRITER,
    DIE_SIGNER,
    DIE_CLIENT,
    DIE_COUNT
};

static void die_put(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
}

/* In the child: break one precondition; returning means nothing fired. */
static void break_precondition(int which)
{
    static ges_job_status_t out;
    static ges_parser_t json;
    static char work[GES_PARSE_WORK];
    static ges__http_t h;
    static unsigned char buf[16];
    static ges_client_t c;
    ges__wr_t w;
    ges_sign_request_t r;
    const ges_sign_header_t *hd[GES__SIGN_MAX_HEADERS + 2];
    ges_sign_header_t fixed[2];
    ges__emit_t em;
    size_t nh = 0, seglen[1] = {1};
    const char *seg[1] = {"a"};
    switch (which) {
    case DIE_READER: /* a line byte in a body state */
        ges_parser_init(&json, &out, work, sizeof work);
        ges__http_init(&h, &json);
        h.st = H_BODY_LEN;
        (void)ges__http_line_byte(&h, 'x');
        break;
    case DIE_WRITER: /* a full buffer that was not flushed */
        memset(&w, 0, sizeof w);
        w.sink = cap_sink;
        w.buf = buf;
        w.cap = w.len = sizeof buf;
        ges__wr(&w, "x", 1);
        break;
    case DIE_SIGNER: /* more path segments than a signature takes */
        memset(&r, 0, sizeof r);
        r.method = "GET";
        r.sdk_date = "20260101T000000Z";
        em.put = die_put;
        em.ctx = NULL;
        (void)ges__canon(&r, seg, seglen, GES__SIGN_MAX_SEGMENTS + 1, 0, &em, hd, fixed, &nh);
        break;
    default: /* DIE_CLIENT: a request sent with no connection */
        c.initialised = 1;
        (void)ges__send_request(&c, "p", "g", "j");
        break;
    }
}

static void test_asserts_are_live(void)
{
    int n = 0, which;
    GES_ASSERT(++n == 1);
    CHECK_EQ(n, 1); /* the default GES_ASSERT never evaluates its argument */
    for (which = 0; which < DIE_COUNT; which++) {
        int status = 0;
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid < 0) return;
        if (pid == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0) (void)dup2(fd, 2); /* assert's message is expected */
            break_precondition(which);
            _exit(0);
        }
        CHECK_EQ(waitpid(pid, &status, 0), pid);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)) {
            fprintf(stderr, "  precondition %d did not abort (status 0x%x)\n", which, status);
        }
    }
}
#else
static void test_asserts_are_live(void)
{
    int n = 0;
    GES_ASSERT(++n == 1);
    CHECK_EQ(n, 1); /* the default GES_ASSERT never evaluates its argument */
}
#endif

int main(void)
{
    RUN(test_asserts_are_live);
    RUN(test_client_init_refusals);
    RUN(test_client_api_refusals);
    RUN(test_reader_rare_lines);
    memset(spaces, ' ', sizeof spaces);

    RUN(test_request_port_443);
    RUN(test_request_v2_path);
    RUN(test_request_other_ports);
    RUN(test_request_percent_encoding);
    RUN(test_request_long_token);
    RUN(test_request_sink_fails);
    RUN(test_id_ok);
    RUN(test_token_ok);
    RUN(test_host_ok);
    RUN(test_host_ok_underscore_as_documented);
#ifndef GES_TEST_NO_INET_PTON
    RUN(test_ip_parse);
#endif
    RUN(test_host_header_value);
    RUN(test_interim_headers_reset);
    RUN(test_content_encoding);

    RUN(test_resp_content_length);
    RUN(test_resp_connection);
    RUN(test_resp_chunked);
    RUN(test_resp_interim);
    RUN(test_resp_service);
    RUN(test_resp_bad_json);
    RUN(test_err_content_length);
    RUN(test_err_transfer_encoding);
    RUN(test_err_chunks);
    RUN(test_err_syntax);
    RUN(test_err_headers_too_large);
    RUN(test_err_cut_short);
    RUN(test_err_after_partial_body);
    RUN(test_body_limit_chunk_size);
    RUN(test_body_limit_chunked);
    RUN(test_body_limit_chunk_framing_flood);
    RUN(test_body_limit_framing_at_crlf);
    RUN(test_body_limit_length_and_close);
    RUN(test_feed_edges);
    RUN(test_parse_response);
    return harness_done();
}
