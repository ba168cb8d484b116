/*
 * ges_job.c - see ges_job.h for the API and its contracts.
 * SPDX-License-Identifier: MIT
 *
 * Layout of this file, in data-path order (the banners below carry these
 * numbers):
 *   1.  configuration checks (ranges, mbedTLS modules), jsmn's include
 *   1b. mbedTLS compatibility: every mbedTLS include and version shim
 *   2.  small helpers (wipe, digits, case-insensitive compare, exact words)
 *   3.  JSON stage, fed by the HTTP reader's body bytes:
 *       3a string decoder, 3b number reader, 3c dates (parse_time),
 *       3d field table, 3e framer (a byte-driven validating scanner that
 *       hands bounded pieces to jsmn), ges_parser_* and ges_job_parse
 *   4.  HTTP response reader (a byte-driven state machine; its transition
 *       table is above ges__http_feed), ges_job_parse_response
 *   4b. request writer (buffered, token or AK/SK headers)        [TLS only]
 *   4c. AK/SK signing: canonical request streamed into SHA-256, HMAC,
 *       ges_sign_request, ges_sdk_date                            [TLS only]
 *   5.  port and TLS glue (sliced I/O, BIO, certificate dates), client:
 *       connect, send, read, keep-alive, ges_job_get_status       [TLS only]
 *   5a. HTTP CONNECT proxy: the CONNECT writer, the proxy's answer read
 *       byte by byte (never past its blank line)        [TLS, GES_PROXY]
 *   5b. waiting for a job: retry rules, jitter, sleep, ges_job_wait,
 *       client init and free                                      [TLS only]
 *   6.  public odds and ends (status helpers, strerror)
 *
 * The date arithmetic (3c days_from_civil, 4c civil_from_days) is Howard
 * Hinnant's, "chrono-Compatible Low-Level Date Algorithms"
 * (https://howardhinnant.github.io/date_algorithms.html).
 */
#include "ges_job.h"

#include <float.h>
#include <limits.h>
#include <string.h>

/* ------------------------------------------------------------------------- */
/* 1. Configuration checks                                                    */
/* ------------------------------------------------------------------------- */
#if GES_ID_MAX < 8 || GES_ID_MAX > 1024
#error "GES_ID_MAX must be in 8..1024"
#endif
#if GES_STATUS_MAX < 16 || GES_STATUS_MAX > 256
#error "GES_STATUS_MAX must be in 16..256"
#endif
#if GES_NAME_MAX < 8 || GES_NAME_MAX > 4096
#error "GES_NAME_MAX must be in 8..4096"
#endif
#if GES_TIME_MAX < 19 || GES_TIME_MAX > 64
#error "GES_TIME_MAX must be in 19..64"
#endif
#if GES_CODE_MAX < 8 || GES_CODE_MAX > 256
#error "GES_CODE_MAX must be in 8..256"
#endif
#if GES_TEXT_MAX < 8 || GES_TEXT_MAX > 65535
#error "GES_TEXT_MAX must be in 8..65535"
#endif
#if GES_PATH_MAX < 8 || GES_PATH_MAX > 65535
#error "GES_PATH_MAX must be in 8..65535"
#endif
#if GES_CAUSE_MAX < 8 || GES_CAUSE_MAX > 65535
#error "GES_CAUSE_MAX must be in 8..65535"
#endif
#if GES_PATHS_MAX < 0 || GES_PATHS_MAX > 1024
#error "GES_PATHS_MAX must be in 0..1024"
#endif
#if GES_JSON_MAX_TOKENS < 3 || GES_JSON_MAX_TOKENS > 1024
#error "GES_JSON_MAX_TOKENS must be in 3..1024"
#endif
#if GES_JSON_MAX_DEPTH < 4 || GES_JSON_MAX_DEPTH > 64
#error "GES_JSON_MAX_DEPTH must be in 4..64 (one bit per level in a uint64_t)"
#endif
#if GES_IO_BUF_MIN < 64 || GES_IO_BUF_MIN > 65536
#error "GES_IO_BUF_MIN must be in 64..65536"
#endif
#if GES_HTTP_HEADERS_MAX < 256 || GES_HTTP_HEADERS_MAX > 1048576
#error "GES_HTTP_HEADERS_MAX must be in 256..1048576"
#endif
#if GES_BODY_MAX < 1024 || GES_BODY_MAX > 0x7FFFFFFF
#error "GES_BODY_MAX must be in 1024..2147483647"
#endif
#if GES_CODING_MAX < 8 || GES_CODING_MAX > 64
#error "GES_CODING_MAX must be in 8..64"
#endif
#if GES_HOST_MAX < 16 || GES_HOST_MAX > 253
#error "GES_HOST_MAX must be in 16..253"
#endif
#if GES_WAIT_SLICE_MS < 1 || GES_WAIT_SLICE_MS > 1000
#error "GES_WAIT_SLICE_MS must be in 1..1000"
#endif
#if GES_TOKEN_MAX < 64 || GES_TOKEN_MAX > 1048576
#error "GES_TOKEN_MAX must be in 64..1048576"
#endif
#if GES_AKSK_MAX < 16 || GES_AKSK_MAX > 1024
#error "GES_AKSK_MAX must be in 16..1024"
#endif
#if GES_PARSE_WORK < 1 || GES_PARSE_WORK > 65536
#error "GES_PARSE_WORK must be in 1..65536"
#endif
#if GES_CONFIG_NO_TLS != 0 && GES_CONFIG_NO_TLS != 1
#error "GES_CONFIG_NO_TLS must be 0 or 1"
#endif
#if GES_CONFIG_TLS13 != 0 && GES_CONFIG_TLS13 != 1
#error "GES_CONFIG_TLS13 must be 0 or 1"
#endif
#if GES_PROXY != 0 && GES_PROXY != 1
#error "GES_PROXY must be 0 or 1"
#endif
#if GES_ERROR_TEXTS != 0 && GES_ERROR_TEXTS != 1
#error "GES_ERROR_TEXTS must be 0 or 1"
#endif
#if GES_PROXY_CRED_MAX < 1 || GES_PROXY_CRED_MAX > 1024
#error "GES_PROXY_CRED_MAX must be in 1..1024"
#endif
#if GES_PROXY_HEAD_MAX < 64 || GES_PROXY_HEAD_MAX > 65536
#error "GES_PROXY_HEAD_MAX must be in 64..65536"
#endif

/* The mbedTLS modules the client calls (ges_job.h, GES_CONFIG_NO_TLS), named
 * here rather than left to an undefined function at link time. ges_job.h
 * has included mbedtls/ssl.h, hence mbedTLS's configuration. */
#if !GES_CONFIG_NO_TLS
#if !defined(MBEDTLS_SSL_TLS_C) || !defined(MBEDTLS_SSL_CLI_C)
#error "ges_job needs mbedTLS with MBEDTLS_SSL_TLS_C and MBEDTLS_SSL_CLI_C (a TLS client), or GES_CONFIG_NO_TLS=1"
#endif
#if !defined(MBEDTLS_SSL_PROTO_TLS1_2) && !(GES_CONFIG_TLS13 && defined(MBEDTLS_SSL_PROTO_TLS1_3))
#error "ges_job needs mbedTLS with MBEDTLS_SSL_PROTO_TLS1_2 (or GES_CONFIG_TLS13=1 and MBEDTLS_SSL_PROTO_TLS1_3)"
#endif
#if !defined(MBEDTLS_SSL_SERVER_NAME_INDICATION)
#error "ges_job needs mbedTLS with MBEDTLS_SSL_SERVER_NAME_INDICATION (the host name is sent as SNI)"
#endif
#if !defined(MBEDTLS_X509_CRT_PARSE_C)
#error "ges_job needs mbedTLS with MBEDTLS_X509_CRT_PARSE_C (the CA and the server's certificate)"
#endif
#if !defined(MBEDTLS_CTR_DRBG_C)
#error "ges_job needs mbedTLS with MBEDTLS_CTR_DRBG_C (the random generator, seeded from the port)"
#endif
#if !defined(MBEDTLS_SHA256_C)
#error "ges_job needs mbedTLS with MBEDTLS_SHA256_C (AK/SK signing)"
#endif
#endif /* !GES_CONFIG_NO_TLS */

/* jsmn stays private to this file: static functions, strict mode, so it can
 * not clash with the application's own copy (GES_JSMN_INCLUDE: ges_job.h). */
#define JSMN_STATIC
#define JSMN_STRICT
#include GES_JSMN_INCLUDE

/* ------------------------------------------------------------------------- */
/* 1b. mbedTLS compatibility                                                  */
/*                                                                           */
/* Every mbedTLS header this file includes (ges_job.h has ssl.h, ctr_drbg.h  */
/* and x509_crt.h) and every difference between the versions we build with   */
/* (2.28 and 3.x, tests/mbedtls/): the code below tests these names only,    */
/* never MBEDTLS_VERSION_NUMBER.                                             */
/* ------------------------------------------------------------------------- */
#if !GES_CONFIG_NO_TLS
#include <mbedtls/version.h> /* MBEDTLS_VERSION_NUMBER: 2.x defines it only here */
#include <mbedtls/sha256.h>
#include <mbedtls/net_sockets.h> /* error code values only */
#if defined(MBEDTLS_PLATFORM_MEMORY)
#include <mbedtls/platform.h> /* mbedtls_platform_set_calloc_free */
#endif

/* SHA-256: 3.0 dropped the _ret suffix (2.x's plain names return void). */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define GES__SHA_START(c) mbedtls_sha256_starts((c), 0)
#define GES__SHA_UPDATE(c, p, n) mbedtls_sha256_update((c), (p), (n))
#define GES__SHA_FINISH(c, o) mbedtls_sha256_finish((c), (o))
#else
#define GES__SHA_START(c) mbedtls_sha256_starts_ret((c), 0)
#define GES__SHA_UPDATE(c, p, n) mbedtls_sha256_update_ret((c), (p), (n))
#define GES__SHA_FINISH(c, o) mbedtls_sha256_finish_ret((c), (o))
#endif

/* 3.x with PSA crypto: psa_crypto_init() before any TLS use. */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#define GES__NEED_PSA_INIT 1
#else
#define GES__NEED_PSA_INIT 0
#endif

/* The TLS version bounds: mbedtls_ssl_conf_{min,max}_tls_version from 3.2
 * (3.0 and 3.1 lack the _tls_ form), major/minor numbers before. */
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
#define GES__TLS_VERSION_API 1
#else
#define GES__TLS_VERSION_API 0
#endif

/* 3.6.1+ hands TLS 1.3 tickets over only when asked (as
 * MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET from mbedtls_ssl_read). */
#if defined(MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED) && \
    defined(MBEDTLS_SSL_PROTO_TLS1_3) && defined(MBEDTLS_SSL_SESSION_TICKETS)
#define GES__TLS13_TICKET_SIGNAL 1
#else
#define GES__TLS13_TICKET_SIGNAL 0
#endif
/* (The code tests MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET itself: that
 * error exists from 3.x with TLS 1.3.) */
#endif /* !GES_CONFIG_NO_TLS */

/* ------------------------------------------------------------------------- */
/* 2. Small helpers                                                           */
/* ------------------------------------------------------------------------- */
/* memset through a volatile pointer, so wiping a secret is not optimised
 * away as a dead store. */
#if !GES_CONFIG_NO_TLS
static void ges__wipe(void *p, size_t n)
{
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (n--) {
        *v++ = 0;
    }
}
#endif

static int ges__is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int ges__lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* The one case-insensitive compare (header names and tokens, the signed
 * header names' order, the gateway's message): up to n bytes of a and b,
 * ASCII letters folded to lower case, stopping after a NUL both share.
 * <0, 0 or >0, like strncmp. Lower-case words need no folding, so a match
 * against one is exact for them. */
static int ges__icmp(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        int x = ges__lower((unsigned char)a[i]), y = ges__lower((unsigned char)b[i]);
        if (x != y || x == 0) return x - y;
    }
    return 0;
}

/* 1 if the n bytes at s equal the NUL-terminated word w, exactly. */
static int ges__eq(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    return wl == n && memcmp(s, w, n) == 0;
}

/* ------------------------------------------------------------------------- */
/* 3a. JSON strings: an incremental decoder                                   */
/*                                                                           */
/* Incremental, because a string may arrive split anywhere: plain runs a     */
/* word at a time, whole escapes and characters at once when all their bytes */
/* are there, else one byte at a time (ges__sdec_byte, which also finds      */
/* every error). It checks escapes and UTF-8 (RFC 3629: no overlongs, no     */
/* surrogates, <= U+10FFFF), decodes into `dst` when there is one, and cuts  */
/* only between characters. The same decoder (ges__sdec_feed) serves the     */
/* framer (validation, direct values, keys) and the jsmn pieces, so both     */
/* paths decode identically.                                                 */
/* ------------------------------------------------------------------------- */
enum {
    GES__STR_MORE = 0,
    GES__STR_END = 1
};

static void ges__sdec_init(ges__sdec_t *d, char *dst, size_t cap)
{
    memset(d, 0, sizeof *d);
    d->dst = dst;
    d->cap = cap;
}

static void ges__sdec_emit(ges__sdec_t *d, const uint8_t *b, size_t n)
{
    if (d->dst == NULL || d->trunc) {
        return;
    }
    if (n > d->cap - d->len) {
        d->trunc = 1; /* cut before this character, never inside it */
        return;
    }
    memcpy(d->dst + d->len, b, n);
    d->len += n;
}

static void ges__sdec_emit_cp(ges__sdec_t *d, uint32_t cp)
{
    uint8_t b[4];
    size_t n;
    if (d->dst == NULL || d->trunc) return; /* what ges__sdec_emit would do */
    if (cp < 0x80) {
        b[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (uint8_t)(0xC0 | (cp >> 6));
        b[1] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (uint8_t)(0xE0 | (cp >> 12));
        b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (uint8_t)(0xF0 | (cp >> 18));
        b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 4;
    }
    ges__sdec_emit(d, b, n);
}

static int ges__hexval(unsigned char c)
{
    unsigned v = (unsigned)c - '0';
    if (v < 10) return (int)v;
    v = ((unsigned)c | 0x20u) - 'a'; /* 'A'..'F' and 'a'..'f' only */
    return v < 6 ? (int)v + 10 : -1;
}

/* Escape states. */
enum {
    GES__E_NONE,
    GES__E_BACKSLASH,
    GES__E_HEX,
    GES__E_LOW_BACKSLASH,
    GES__E_LOW_U
};

/* Length of the run of plain bytes at s (printable ASCII but '"' and '\\'),
 * which a string decoder outside any escape copies as they are.
 *
 * A word at a time (size_t: 8 bytes on 64-bit hosts, 4 on Cortex-M), read
 * through memcpy so any alignment is fine. The test is the "determine if a
 * word has a zero byte / a byte less than n" trick of Sean Anderson's Bit
 * Twiddling Hacks, specialised: a byte is special when it is < 0x20 (its
 * x - 0x20 borrows), '"' or '\\' (its x ^ '"' or x ^ '\\' is 0, and minus 1
 * borrows), or >= 0x80 (its own top bit). The top bit of every lane is set
 * for the lowest special byte at least; borrows only run upwards from a
 * special byte, so a word without one gives exactly 0 (no false alarm) and
 * ~x's usual mask is not needed (a byte whose top bit x has set is special
 * anyway). On a little-endian machine the lowest flagged lane is the first
 * special byte in memory, and its index is counted without a loop: the
 * lanes below it, as 0x01 each, summed into the top lane by a multiply.
 * Elsewhere the byte loop finds where the run ends. */
#define GES__W1 ((size_t)-1 / 255u) /* 0x0101...01 */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GES__LE 1
#else
#define GES__LE 0
#endif
static inline size_t ges__plain_run(const char *s, size_t n)
{
    size_t k = 0;
    while (n - k >= sizeof(size_t)) {
        size_t x, m;
        memcpy(&x, s + k, sizeof x);
        m = ((x - GES__W1 * 0x20u) | ((x ^ GES__W1 * 0x22u) - GES__W1) |
             ((x ^ GES__W1 * 0x5Cu) - GES__W1) | x) &
            GES__W1 * 0x80u;
        if (m != 0) {
#if GES__LE
            m = (((m & (0u - m)) >> 7) - 1u) & GES__W1; /* 0x01 per lane below */
            return k + ((m * GES__W1) >> (8u * (sizeof(size_t) - 1u)));
#else
            break;
#endif
        }
        k += sizeof(size_t);
    }
    while (k < n) {
        unsigned char c = (unsigned char)s[k];
        if ((unsigned char)(c - 0x20) >= 0x60 || c == '"' || c == '\\') break;
        k++;
    }
    return k;
}

/* Copy n bytes that are already known to be valid UTF-8 without any escape
 * (a plain run, or a string the framer validated), at a character boundary:
 * the same result as decoding them, and cut where the decoder would cut,
 * before the first character that does not fit (a plain run's bytes are
 * all characters, so its cut is at the room left). */
static inline void ges__sdec_copy(ges__sdec_t *d, const char *s, size_t n)
{
    size_t room;
    if (d->dst == NULL || d->trunc) return;
    room = d->cap - d->len;
    if (n > room) {
        n = room;
        d->trunc = 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0u) == 0x80u) n--; /* s[room] exists */
    }
    memcpy(d->dst + d->len, s, n);
    d->len += n;
}

static int ges__sdec_byte(ges__sdec_t *d, unsigned char c);

/* The byte a one-letter escape \c stands for, or -1 (\u is not one). */
static int ges__esc1(unsigned char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/': return c;
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return -1;
    }
}

/* A UTF-8 lead byte (RFC 3629): the number of continuation bytes after it
 * (0: c is no lead), and the range of the first one (no overlongs, no
 * surrogates, nothing above U+10FFFF); the others are 0x80..0xBF. */
static unsigned ges__utf8_lead(unsigned c, uint8_t *lo, uint8_t *hi)
{
    *lo = (uint8_t)(c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90
                                                 : 0x80);
    *hi = (uint8_t)(c == 0xED ? 0x9F : c == 0xF4 ? 0x8F
                                                 : 0xBF);
    return (c >= 0xC2 && c <= 0xDF) ? 1u : (c >= 0xE0 && c <= 0xEF) ? 2u
                                       : (c >= 0xF0 && c <= 0xF4)   ? 3u
                                                                    : 0u;
}

/* Four hex digits, or -1. */
static long ges__hex4(const unsigned char *s)
{
    long v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        int h = ges__hexval(s[i]);
        if (h < 0) return -1;
        v = (v << 4) | h;
    }
    return v;
}

/* A whole escape sequence or multi-byte UTF-8 character at s, the decoder
 * being between characters: decoded at once when all of it is here and
 * valid, with what ges__sdec_byte would emit. Returns the bytes it took,
 * or 0: then the byte decoder goes on (and finds any error at its byte). */
static size_t ges__sdec_seq(ges__sdec_t *d, const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint8_t lo, hi;
    if (c == '\\') {
        unsigned char out;
        long h, l;
        int e;
        if (n < 2) return 0;
        switch (s[1]) {
        case 'u':
            if (n < 6 || (h = ges__hex4(s + 2)) < 0 || (h >= 0xDC00 && h <= 0xDFFF)) return 0;
            if (h < 0xD800 || h > 0xDBFF) {
                ges__sdec_emit_cp(d, (uint32_t)h);
                return 6;
            }
            if (n < 12 || s[6] != '\\' || s[7] != 'u' || (l = ges__hex4(s + 8)) < 0xDC00 ||
                l > 0xDFFF) {
                return 0;
            }
            ges__sdec_emit_cp(d, 0x10000u + (((uint32_t)h - 0xD800u) << 10) +
                                     ((uint32_t)l - 0xDC00u));
            return 12;
        default:
            if ((e = ges__esc1(s[1])) < 0) return 0;
            out = (unsigned char)e;
            ges__sdec_emit(d, &out, 1);
            return 2;
        }
    }
    len = ges__utf8_lead(c, &lo, &hi) + 1u;
    if (len == 1 || n < len || s[1] < lo || s[1] > hi ||
        (len > 2 && (s[2] & 0xC0) != 0x80) || (len > 3 && (s[3] & 0xC0) != 0x80)) {
        return 0;
    }
    ges__sdec_emit(d, s, len);
    return len;
}

/* Decode the bytes of a string's inside, from wherever the decoder is, up
 * to the closing quote (not taken) or the n-th byte: plain runs a word at a
 * time, whole escapes and characters at once, anything else (a sequence
 * split by the end of the data, an error) byte by byte. Returns
 * GES__STR_END (s[*k] is the closing quote), GES__STR_MORE (*k == n) or a
 * negative ges_err_t (s[*k] is the bad byte). */
static int ges__sdec_feed(ges__sdec_t *d, const char *s, size_t n, size_t *k)
{
    size_t i = 0;
    int r = GES__STR_MORE;
    while (i < n) {
        if (d->esc == GES__E_NONE && d->need == 0) {
            size_t m;
            if ((unsigned char)(s[i] - 0x20) < 0x60 && s[i] != '"' && s[i] != '\\') {
                m = ges__plain_run(s + i, n - i); /* a plain run starts here */
                ges__sdec_copy(d, s + i, m);
                i += m;
                if (i == n) break;
            }
            if (s[i] == '"') {
                r = GES__STR_END;
                break;
            }
            m = ges__sdec_seq(d, (const unsigned char *)s + i, n - i);
            if (m != 0) {
                i += m;
                continue;
            }
        }
        r = ges__sdec_byte(d, (unsigned char)s[i]);
        if (r < 0) break;
        i++;
    }
    *k = i;
    return r;
}

/* Feed one byte that follows the opening quote. Returns GES__STR_MORE,
 * GES__STR_END at the closing quote, or a negative ges_err_t. */
static int ges__sdec_byte(ges__sdec_t *d, unsigned char c)
{
    if (d->need) { /* inside a raw multi-byte UTF-8 character */
        if (c < d->ulo || c > d->uhi) return GES_ERR_JSON_UTF8;
        d->ulo = 0x80;
        d->uhi = 0xBF;
        d->pend[d->npend++] = c;
        if (--d->need == 0) ges__sdec_emit(d, d->pend, d->npend);
        return GES__STR_MORE;
    }
    switch (d->esc) {
    case GES__E_NONE:
        /* The byte definition of the decoder. Its callers take a closing
         * quote and plain bytes (0x20..0x7F) themselves (ges__sdec_feed's
         * plain run, ges__byte's test), so here c is never '"' nor, below,
         * a plain byte: only test_stream's direct calls take those two. */
        if (c == '"') return GES__STR_END;
        if (c == '\\') {
            d->esc = GES__E_BACKSLASH;
            return GES__STR_MORE;
        }
        if (c < 0x20) return GES_ERR_JSON_SYNTAX; /* raw control character */
        if (c < 0x80) {
            ges__sdec_emit(d, &c, 1);
            return GES__STR_MORE;
        }
        d->need = (uint8_t)ges__utf8_lead(c, &d->ulo, &d->uhi);
        if (d->need == 0) return GES_ERR_JSON_UTF8;
        d->pend[0] = c;
        d->npend = 1;
        return GES__STR_MORE;
    case GES__E_BACKSLASH: {
        unsigned char out;
        int e;
        if (c == 'u') {
            d->esc = GES__E_HEX;
            d->acc = 0;
            d->npend = 0; /* counts hex digits */
            return GES__STR_MORE;
        }
        if ((e = ges__esc1(c)) < 0) return GES_ERR_JSON_ESCAPE;
        out = (unsigned char)e;
        d->esc = GES__E_NONE;
        ges__sdec_emit(d, &out, 1);
        return GES__STR_MORE;
    }
    case GES__E_HEX: {
        int h = ges__hexval(c);
        if (h < 0) return GES_ERR_JSON_ESCAPE;
        d->acc = (uint16_t)(((unsigned)d->acc << 4) | (unsigned)h);
        if (++d->npend < 4) return GES__STR_MORE;
        d->npend = 0;
        if (d->sur) { /* this must be the low half of a pair */
            uint32_t cp;
            if (d->acc < 0xDC00 || d->acc > 0xDFFF) return GES_ERR_JSON_ESCAPE;
            cp = 0x10000u + (((uint32_t)d->sur - 0xD800u) << 10) +
                 ((uint32_t)d->acc - 0xDC00u);
            d->sur = 0;
            d->esc = GES__E_NONE;
            ges__sdec_emit_cp(d, cp);
        } else if (d->acc >= 0xD800 && d->acc <= 0xDBFF) {
            d->sur = d->acc;
            d->esc = GES__E_LOW_BACKSLASH;
        } else if (d->acc >= 0xDC00 && d->acc <= 0xDFFF) {
            return GES_ERR_JSON_ESCAPE; /* lone low surrogate */
        } else {
            d->esc = GES__E_NONE;
            ges__sdec_emit_cp(d, d->acc);
        }
        return GES__STR_MORE;
    }
    case GES__E_LOW_BACKSLASH:
        if (c != '\\') return GES_ERR_JSON_ESCAPE; /* lone high surrogate */
        d->esc = GES__E_LOW_U;
        return GES__STR_MORE;
    default: /* GES__E_LOW_U */
        if (c != 'u') return GES_ERR_JSON_ESCAPE;
        d->esc = GES__E_HEX;
        d->acc = 0;
        return GES__STR_MORE;
    }
}

/* ------------------------------------------------------------------------- */
/* 3b. JSON numbers: an incremental reader, no strtod, no locale              */
/*                                                                           */
/* Keeps the first 19 significant digits as an integer and a decimal         */
/* exponent. Integers (line counts) are exact or an error: any integral      */
/* value is one ("1e6", "25.0", "2.5e1"), a fraction or a dropped non-zero   */
/* digit is not. Doubles are correctly rounded (round half to even) for up   */
/* to 19 significant digits: exact operands and one rounding when they fit  */
/* (every progress value), else a big-integer product or quotient rounded    */
/* once, subnormals included (below 2^-1075 is 0). Digits past the 19th are  */
/* dropped, so longer inputs are within 1 ulp. Above the largest double      */
/* (1.8e308) is GES_ERR_JSON_NUMBER. Both exponents saturate at +-1e5, far   */
/* beyond any double, so no count of digits can overflow them.               */
/* ------------------------------------------------------------------------- */
enum {
    GES__N_START,
    GES__N_MINUS,
    GES__N_ZERO,
    GES__N_INT,
    GES__N_DOT,
    GES__N_FRAC,
    GES__N_E,
    GES__N_ESIGN,
    GES__N_EXP
};
#define GES__NUM_NEG 1u
#define GES__NUM_BIG 4u /* more than 19 integer digits */
#define GES__NUM_ENEG 8u
#define GES__NUM_LOST 16u   /* a dropped digit was not 0 */
#define GES__NUM_SAT 100000 /* |exp10| and e saturate here */

static void ges__num_digit(ges__num_t *n, unsigned d, int frac)
{
    if (n->nd < 19) {
        n->mant = n->mant * 10u + d;
        if (n->mant != 0) n->nd++;
        if (frac && n->exp10 > -GES__NUM_SAT) n->exp10--;
    } else {
        if (!frac) {
            if (n->exp10 < GES__NUM_SAT) n->exp10++; /* an integer digit dropped */
            n->flags |= GES__NUM_BIG;
        }
        if (d != 0) n->flags |= GES__NUM_LOST;
    }
}

/* Feed one byte. Returns 0 when consumed, 1 when the number ended before
 * this byte (which the caller must still process), or GES_ERR_JSON_SYNTAX. */
static int ges__num_byte(ges__num_t *n, unsigned char c)
{
    int dig = ges__is_digit(c);
    switch (n->st) {
    case GES__N_START:
        if (c == '-') {
            n->flags |= GES__NUM_NEG;
            n->st = GES__N_MINUS;
            return 0;
        }
        /* fall through */
    case GES__N_MINUS:
        if (!dig) return GES_ERR_JSON_SYNTAX;
        n->st = (c == '0') ? GES__N_ZERO : GES__N_INT;
        ges__num_digit(n, (unsigned)(c - '0'), 0);
        return 0;
    case GES__N_ZERO:
        if (dig) return GES_ERR_JSON_SYNTAX; /* no leading zeros */
        /* fall through */
    case GES__N_INT:
        if (dig) {
            ges__num_digit(n, (unsigned)(c - '0'), 0);
            return 0;
        }
        if (c == '.') {
            n->st = GES__N_DOT;
            return 0;
        }
        if (c == 'e' || c == 'E') {
            n->st = GES__N_E;
            return 0;
        }
        return 1;
    case GES__N_DOT:
    case GES__N_FRAC:
        if (dig) {
            n->st = GES__N_FRAC;
            ges__num_digit(n, (unsigned)(c - '0'), 1);
            return 0;
        }
        if (n->st == GES__N_DOT) return GES_ERR_JSON_SYNTAX;
        if (c == 'e' || c == 'E') {
            n->st = GES__N_E;
            return 0;
        }
        return 1;
    case GES__N_E:
        if (c == '+' || c == '-') {
            if (c == '-') n->flags |= GES__NUM_ENEG;
            n->st = GES__N_ESIGN;
            return 0;
        }
        /* fall through */
    case GES__N_ESIGN:
        if (!dig) return GES_ERR_JSON_SYNTAX;
        n->st = GES__N_EXP;
        /* fall through */
    default: /* GES__N_EXP */
        if (!dig) return 1;
        if (n->e < GES__NUM_SAT) n->e = n->e * 10 + (c - '0'); /* saturate */
        return 0;
    }
}

/* The decimal exponent of mant: digit positions and the explicit one. */
static long ges__num_exp(const ges__num_t *n)
{
    return (long)n->exp10 + ((n->flags & GES__NUM_ENEG) ? -(long)n->e : (long)n->e);
}

static ges_err_t ges__num_to_i64(const ges__num_t *n, int64_t *v)
{
    uint64_t m = n->mant;
    long e = ges__num_exp(n);
    /* Integral values only, exactly: no dropped digit (more than 19
     * significant digits is out of int64's range or not exact), and a
     * negative exponent may only strip zeros. */
    if ((n->flags & (GES__NUM_BIG | GES__NUM_LOST)) != 0) return GES_ERR_JSON_NUMBER;
    for (; e < 0 && m != 0; e++) {
        if (m % 10u != 0) return GES_ERR_JSON_NUMBER;
        m /= 10u;
    }
    for (; e > 0 && m != 0; e--) {
        if (m > UINT64_MAX / 10u) return GES_ERR_JSON_NUMBER;
        m *= 10u;
    }
    if (n->flags & GES__NUM_NEG) {
        if (m > (uint64_t)INT64_MAX + 1u) return GES_ERR_JSON_NUMBER;
        *v = (m == (uint64_t)INT64_MAX + 1u) ? INT64_MIN : -(int64_t)m;
    } else {
        if (m > (uint64_t)INT64_MAX) return GES_ERR_JSON_NUMBER;
        *v = (int64_t)m;
    }
    return GES_OK;
}

/* Big-integer help for the decimals the fast path cannot take: little-endian
 * 32-bit words, enough for 10^19 * 10^308 * 2^64 and for 2^1250. */
#define GES__BIG_WORDS 42

/* w *= f (mul) or w /= f (!mul); returns 1 if a division left a remainder. */
static int ges__big_op(uint32_t *w, int *nw, uint32_t f, int mul)
{
    uint64_t r = 0;
    int i;
    if (mul) {
        for (i = 0; i < *nw; i++) {
            r += (uint64_t)w[i] * f;
            w[i] = (uint32_t)r;
            r >>= 32;
        }
        if (r) w[(*nw)++] = (uint32_t)r;
        return 0;
    }
    for (i = *nw - 1; i >= 0; i--) {
        r = (r << 32) | w[i];
        w[i] = (uint32_t)(r / f);
        r %= f;
    }
    /* The quotient keeps >= 64 bits (ges__num_to_f64 shifts the dividend),
     * so *nw never reaches 0; the test keeps the loop safe alone. */
    while (*nw > 0 && w[*nw - 1] == 0) (*nw)--; /* GCOVR_EXCL_BR_LINE: *nw > 0 always, see above */
    return r != 0;
}

static int ges__big_bit(const uint32_t *w, int b)
{
    return (int)((w[b >> 5] >> (b & 31)) & 1u);
}

/* The slow path writes the double's bits: IEEE 754 binary64, stored in the
 * byte order of a uint64_t (every target since ARM's old FPA). */
#if defined(DBL_MANT_DIG) /* always, but for cppcheck, which reads no system header */ && \
    (FLT_RADIX != 2 || DBL_MANT_DIG != 53 || DBL_MAX_EXP != 1024 || DBL_MIN_EXP != -1021)
#error "ges_job needs IEEE 754 binary64 doubles"
#endif
#if defined(__FLOAT_WORD_ORDER__) && defined(__BYTE_ORDER__) && __FLOAT_WORD_ORDER__ != __BYTE_ORDER__
#error "ges_job needs doubles stored in the byte order of uint64_t"
#endif

static ges_err_t ges__num_to_f64(const ges__num_t *n, double *v)
{
    long e = ges__num_exp(n), k;
    double x = 1.0;

    if (n->mant == 0 || e < -343) {
        x = 0.0; /* m < 10^19, so m * 10^-344 < 2^-1075: rounds to 0 */
    } else if (n->mant <= (1ull << 53) && e >= -22 && e <= 22) {
        /* Fast path (Clinger): 10^|e| <= 10^22 = 2^22 * 5^22 with 5^22 <
         * 2^53, so every power of ten the loop forms is exact, and the one
         * multiply or divide by it is the only rounding. */
        for (k = e < 0 ? -e : e; k > 0; k--) x *= 10.0;
        x = e >= 0 ? (double)n->mant * x : (double)n->mant / x;
    } else {
        /* m * 10^e as a big integer w times 2^bexp, rounded once: its bits
         * from the top down to lo are kept (53 of them, fewer where the
         * unit would fall below 2^-1074), the next one is the rounding bit,
         * any set one below it (or a division's remainder) is sticky. */
        uint32_t w[GES__BIG_WORDS];
        int nw, i, top, lo, mul, sticky = 0, round = 0;
        /* Shift left so that the result keeps 64+ bits: 2 words for a
         * product, more for a quotient (log2(10) < 3.322 bits per digit). */
        int words = e >= 0 ? 2 : (int)((-e * 3322 / 1000 + 96) / 32);
        int bexp = -words * 32;
        uint64_t m = 0;
        if (e > 308) return GES_ERR_JSON_NUMBER;
        for (i = 0; i < words; i++) w[i] = 0;
        w[words] = (uint32_t)n->mant;
        w[words + 1] = (uint32_t)(n->mant >> 32);
        nw = words + 2;
        mul = e > 0;
        while (e != 0) { /* by 10^9 at a time, then by the rest */
            uint32_t f = 1;
            for (i = 0; i < 9 && e != 0; i++, e += mul ? -1 : 1) f *= 10u;
            sticky |= ges__big_op(w, &nw, f, mul);
        }
        top = nw * 32 - 1;
        while (!ges__big_bit(w, top)) top--;
        lo = top - 52 + bexp < -1074 ? -1074 - bexp : top - 52;
        for (i = top; i >= 0; i--) {
            int b = ges__big_bit(w, i);
            if (i >= lo) {
                m = (m << 1) | (uint64_t)b;
            } else if (i == lo - 1) {
                round = b;
            } else {
                sticky |= b;
            }
        }
        if (round && (sticky || (m & 1u))) m++;
        /* m * 2^(lo + bexp), m <= 2^53, as binary64: a biased exponent of
         * lo + bexp + 1075 over m's hidden bit, added so that m = 2^53 (or
         * a subnormal rounded up to 2^52) carries into it; 0 for
         * subnormals. The largest double is below 0x7FF << 52. */
        m += (uint64_t)(lo + bexp + 1074) << 52;
        if (m >= 0x7FF0000000000000ull) return GES_ERR_JSON_NUMBER;
        memcpy(&x, &m, sizeof x);
    }
    *v = (n->flags & GES__NUM_NEG) ? -x : x;
    return GES_OK;
}

/* ------------------------------------------------------------------------- */
/* 3c. Dates                                                                  */
/* ------------------------------------------------------------------------- */
/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar, for
 * years 0..9999: count years from March, so the leap day is the last day of
 * the "year", and 400 years (146097 days) later, so none is negative and
 * 32-bit arithmetic does. */
static int64_t ges__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    uint32_t yy = (uint32_t)y + 400u - (m <= 2);
    uint32_t doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    return (int64_t)(yy * 365 + yy / 4 - yy / 100 + yy / 400 + doy) - 719468 - 146097;
}

/* see ges_job.h */
ges_err_t ges_parse_time(const char *s, size_t len, int64_t *epoch)
{
    /* d: a digit; anything else: that byte ('T' may also be a space) */
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    unsigned v[6], i, leap;
    if (s == NULL || epoch == NULL) return GES_ERR_INVALID_ARG;
    if (len == 20 && s[19] == 'Z') len = 19;
    if (len != 19) return GES_ERR_INVALID_ARG;
    for (i = 0; i < 19; i++) {
        if (pat[i] == 'd' ? !ges__is_digit((unsigned char)s[i])
                          : (s[i] != pat[i] && !(i == 10 && s[i] == ' '))) {
            return GES_ERR_INVALID_ARG;
        }
    }
    /* year (4 digits), month, day, hour, minute, second (2 each) */
    for (i = 0; i < 6; i++) {
        const char *q = s + (i == 0 ? 0 : 2 + 3 * i);
        v[i] = (unsigned)(q[0] - '0') * 10u + (unsigned)(q[1] - '0');
    }
    v[0] = v[0] * 100u + (unsigned)(s[2] - '0') * 10u + (unsigned)(s[3] - '0');
    leap = v[0] % 4 == 0 && (v[0] % 100 != 0 || v[0] % 400 == 0);
    /* days in the month: 30 or 31 alternating, the parity flipping at
     * August; February 28 or 29 */
    if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[3] > 23 || v[4] > 59 || v[5] > 59 ||
        v[2] > (v[1] == 2 ? 28u + leap : 30u + ((v[1] + (v[1] >> 3)) & 1u))) {
        return GES_ERR_INVALID_ARG;
    }
    *epoch = ges__days_from_civil((int64_t)v[0], v[1], v[2]) * 86400 +
             (int64_t)(v[3] * 3600u + v[4] * 60u + v[5]);
    return GES_OK;
}

/* ------------------------------------------------------------------------- */
/* 3d. The field table                                                        */
/*                                                                           */
/* One row per JSON member we keep: its v1.0 and v2 names, where it lives,   */
/* its kind. The rows of the top level and of a file entry are expanded from */
/* ges_job.h's GES_JOB_FIELDS / GES_FILE_FIELDS / GES_SETS (see "Adding a    */
/* field" there); only the nested error shape's two aliases are written out. */
/* ------------------------------------------------------------------------- */
/* Kinds of member. No code compares them by order: ges__kind_scalar(). */
enum {
    GES__K_STR,
    GES__K_F64,
    GES__K_I64,
    GES__K_DETAIL,
    GES__K_ERROR,
    GES__K_SET
};
/* Levels: where the framer is in the document. */
enum {
    GES__L_NONE,
    GES__L_TOP,
    GES__L_DETAIL,
    GES__L_ERROR,
    GES__L_SET,
    GES__L_ENTRY,
    GES__L_SKIP,
    GES__L_END
};

typedef struct {
    const char *v1, *v2; /* member names (v2 may equal v1) */
    uint8_t level;       /* GES__L_TOP, GES__L_ERROR, GES__L_DETAIL or GES__L_ENTRY */
    uint8_t kind;
    uint8_t idx;    /* GES_FI_* / GES_FE_* bit and len index, or set index */
    uint8_t l1, l2; /* strlen(v1), strlen(v2): the lookup compares these first */
    uint16_t cap;   /* string bound */
    size_t off;     /* offset in ges_job_status_t or ges_job_file_t */
} ges__field_t;

/* A string, number or null value goes to a field (not a container). */
static int ges__kind_scalar(unsigned kind)
{
    return kind == GES__K_STR || kind == GES__K_F64 || kind == GES__K_I64;
}

#define GES__OFF_STR(t, m) offsetof(t, m)
#define GES__OFF_F64(t, m) offsetof(t, m)
#define GES__OFF_I64(t, m) offsetof(t, m)
#define GES__OFF_DETAIL(t, m) 0
#define GES__KL(k) (uint8_t)(sizeof(k) - 1)
#define GES__KEYS(k1, k2) k1, k2
#define GES__LENS(k1, k2) GES__KL(k1), GES__KL(k2)
#define GES__TOP_ROW(NAME, m, k1, k2, KIND, bound)                                   \
    {GES__KEYS(k1, k2), GES__L_TOP, GES__K_##KIND, GES_FI_##NAME, GES__LENS(k1, k2), \
     bound, GES__OFF_##KIND(ges_job_status_t, m)},
#define GES__ENT_ROW(NAME, m, k1, k2, KIND, bound)                                     \
    {GES__KEYS(k1, k2), GES__L_ENTRY, GES__K_##KIND, GES_FE_##NAME, GES__LENS(k1, k2), \
     bound, GES__OFF_##KIND(ges_job_file_t, m)},
#define GES__SET_ROW(NAME, k1, k2) \
    {GES__KEYS(k1, k2), GES__L_DETAIL, GES__K_SET, GES_SET_##NAME, GES__LENS(k1, k2), 0, 0},
static const ges__field_t ges__fields[] = {
    GES_JOB_FIELDS(GES__TOP_ROW){"error", "error", GES__L_TOP, GES__K_ERROR, 0, 5, 5, 0, 0},
    /* {"error":{"code","message"}}: the API gateway's nested shape */
    {"code", "code", GES__L_ERROR, GES__K_STR, GES_FI_ERROR_CODE, 4, 4, GES_CODE_MAX,
     offsetof(ges_job_status_t, error_code)},
    {"message", "message", GES__L_ERROR, GES__K_STR, GES_FI_ERROR_MESSAGE, 7, 7,
     GES_TEXT_MAX, offsetof(ges_job_status_t, error_message)},
    GES_SETS(GES__SET_ROW)
        GES_FILE_FIELDS(GES__ENT_ROW)};
/* Every set's bit in the masks. */
#define GES__SET_BITS (((1u << GES_SET_COUNT) - 1u) << GES_FI_COUNT)
#define GES__NFIELDS (sizeof ges__fields / sizeof ges__fields[0])
#define GES__NO_FIELD 0xFF

/* Compile-time checks (C99: a negative array size stops the build). */
/* Field indexes are uint8_t and GES__NO_FIELD is not one of them. */
typedef char ges__nfields_fit[GES__NFIELDS < GES__NO_FIELD ? 1 : -1];
/* Every member's bit and every set's bit fits the uint32_t masks. */
typedef char ges__fi_bits_fit[GES_FI_COUNT + GES_SET_COUNT <= 32 ? 1 : -1];
typedef char ges__fe_bits_fit[GES_FE_COUNT <= 32 ? 1 : -1];
/* len[] has no slot past the members (ges__fi_slots_t; each string's own
 * slot is checked per row below). */
typedef char ges__fi_len_fit[GES_FI_LEN_SLOTS <= GES_FI_COUNT ? 1 : -1];
typedef char ges__fe_len_fit[GES_FE_LEN_SLOTS <= GES_FE_COUNT ? 1 : -1];
/* Per row: a string's bound fits len[]'s uint16_t (and is at least 1), its
 * index has a len[] slot, its keys fit the parser's key buffer. */
#define GES__CHECK_ROW(P, NAME, m, k1, k2, KIND, bound, slots)                    \
    typedef char ges__bound_##P##NAME[!GES__IS_STR_##KIND ||                      \
                                              ((bound) >= 1 && (bound) <= 0xFFFF) \
                                          ? 1                                     \
                                          : -1];                                  \
    typedef char ges__slot_##P##NAME[!GES__IS_STR_##KIND ||                       \
                                             GES_##P##_##NAME < (slots)           \
                                         ? 1                                      \
                                         : -1];                                   \
    typedef char ges__key_##P##NAME[sizeof(k1) <= GES__KEY_MAX + 1 &&             \
                                            sizeof(k2) <= GES__KEY_MAX + 1        \
                                        ? 1                                       \
                                        : -1];
#define GES__CHECK_FI(NAME, m, k1, k2, KIND, bound) \
    GES__CHECK_ROW(FI, NAME, m, k1, k2, KIND, bound, GES_FI_LEN_SLOTS)
#define GES__CHECK_FE(NAME, m, k1, k2, KIND, bound) \
    GES__CHECK_ROW(FE, NAME, m, k1, k2, KIND, bound, GES_FE_LEN_SLOTS)
GES_JOB_FIELDS(GES__CHECK_FI)
GES_FILE_FIELDS(GES__CHECK_FE)
/* Key lengths fit the rows' uint8_t. */
typedef char ges__key_len_fit[GES__KEY_MAX <= 255 ? 1 : -1];
/* The rows come level by level, in this order (the lookup scans only its
 * level's rows): the top level's members and "error", the nested error's
 * two, the sets (GES__L_DETAIL), a file entry's members. */
#define GES__ROWS_ERROR (GES_FI_COUNT + 1)
#define GES__ROWS_DETAIL (GES__ROWS_ERROR + 2)
#define GES__ROWS_ENTRY (GES__ROWS_DETAIL + GES_SET_COUNT)
typedef char ges__rows_fit[GES__ROWS_ENTRY + GES_FE_COUNT == GES__NFIELDS ? 1 : -1];

/* The row named `key` at `level`: only that level's rows, lengths and
 * first bytes first, then the rest (a dozen rows at most per level, so no
 * hashing). */
static uint8_t ges__lookup(uint8_t level, const char *key, size_t len)
{
    size_t i, end;
    switch (level) {
    case GES__L_TOP:
        i = 0;
        end = GES__ROWS_ERROR;
        break;
    case GES__L_ERROR:
        i = GES__ROWS_ERROR;
        end = GES__ROWS_DETAIL;
        break;
    case GES__L_DETAIL:
        i = GES__ROWS_DETAIL;
        end = GES__ROWS_ENTRY;
        break;
    case GES__L_ENTRY:
        i = GES__ROWS_ENTRY;
        end = GES__NFIELDS;
        break;
    default: return GES__NO_FIELD;
    }
    if (len == 0) return GES__NO_FIELD;
    for (; i < end; i++) {
        const ges__field_t *f = &ges__fields[i];
        GES_ASSERT(f->level == level);
        if ((f->l1 == len && f->v1[0] == key[0] && memcmp(key, f->v1, len) == 0) ||
            (f->l2 == len && f->v2[0] == key[0] && memcmp(key, f->v2, len) == 0)) {
            return (uint8_t)i;
        }
    }
    return GES__NO_FIELD;
}

/* Where a member's value lives: masks, length slot and storage. */
typedef struct {
    char *base;
    uint32_t *present, *null, *trunc;
    uint16_t *len;
} ges__where_t;

static void ges__where(ges_parser_t *p, ges__where_t *w)
{
    ges_job_status_t *o = p->out;
#if GES_PATHS_MAX > 0
    if (p->level == GES__L_ENTRY) {
        ges_job_file_t *e = &o->sets[p->set].entries[p->entry];
        w->base = (char *)e;
        w->present = &e->present;
        w->null = &e->null;
        w->trunc = &e->truncated;
        w->len = e->len;
        return;
    }
#endif
    w->base = (char *)o;
    w->present = &o->present;
    w->null = &o->null;
    w->trunc = &o->truncated;
    w->len = o->len;
}

/* A member's value starts: forget any earlier value (duplicates: the last
 * one wins) and mark it present. For strings, aim `d` at the field. */
static inline void ges__value_reset(ges_parser_t *p, const ges__field_t *f,
                                    ges__sdec_t *d)
{
    ges__where_t w;
    uint32_t bit = 1u << f->idx;
    uint8_t kind = f->kind; /* read before the writes below (clang's analyzer
                             * would otherwise let them change *f) */
    ges__where(p, &w);
    *w.present |= bit;
    *w.null &= ~bit;
    *w.trunc &= ~bit;
    if (kind == GES__K_STR) {
        char *s = w.base + f->off;
        if (w.len[f->idx] != 0) memset(s, 0, (size_t)f->cap + 1);
        w.len[f->idx] = 0;
        if (d) ges__sdec_init(d, s, f->cap);
    } else if (kind == GES__K_F64) {
        *(double *)(void *)(w.base + f->off) = 0.0; /* a later null leaves 0 */
    } else {
        *(int64_t *)(void *)(w.base + f->off) = 0;
    }
    /* what was derived from an earlier value goes with it */
    if (f->level == GES__L_ENTRY) {
#if GES_PATHS_MAX > 0
        if (f->idx == GES_FE_STATUS) {
            p->out->sets[p->set].entries[p->entry].file_state = GES_FILE_UNKNOWN;
        }
#endif
    } else if (f->idx == GES_FI_STATUS) {
        p->out->job_state = GES_JOB_UNKNOWN;
    } else if (f->idx == GES_FI_BEGIN_TIME || f->idx == GES_FI_END_TIME) {
        p->out->invalid &= ~bit;
        *(f->idx == GES_FI_BEGIN_TIME ? &p->out->begin_epoch : &p->out->end_epoch) = 0;
    }
}

static void ges__value_null(ges_parser_t *p, const ges__field_t *f)
{
    ges__where_t w;
    ges__value_reset(p, f, NULL);
    ges__where(p, &w);
    *w.null |= 1u << f->idx;
}

static ges_job_state_t ges__job_state(const char *s, size_t n)
{
    if (ges__eq(s, n, "pending") || ges__eq(s, n, "waiting")) return GES_JOB_PENDING;
    if (ges__eq(s, n, "running")) return GES_JOB_RUNNING;
    if (ges__eq(s, n, "success") || ges__eq(s, n, "complete")) return GES_JOB_SUCCESS;
    if (ges__eq(s, n, "failed")) return GES_JOB_FAILED;
    if (ges__eq(s, n, "partiallyFailed")) return GES_JOB_PARTIALLY_FAILED;
    return GES_JOB_UNKNOWN;
}

#if GES_PATHS_MAX > 0
static ges_file_state_t ges__file_state(const char *s, size_t n)
{
    if (ges__eq(s, n, "success")) return GES_FILE_SUCCESS;
    if (ges__eq(s, n, "failed")) return GES_FILE_FAILED;
    if (ges__eq(s, n, "partFailed")) return GES_FILE_PART_FAILED;
    return GES_FILE_UNKNOWN;
}
#endif

/* A string value is complete in d: terminate it, flag a cut, and derive
 * what depends on it (status enums, epochs). */
static void ges__value_str_done(ges_parser_t *p, const ges__field_t *f,
                                ges__sdec_t *d)
{
    ges__where_t w;
    uint32_t bit = 1u << f->idx;
    char *s = d->dst;
    ges__where(p, &w);
    s[d->len] = '\0';
    w.len[f->idx] = (uint16_t)d->len;
    if (d->trunc) *w.trunc |= bit;
    if (f->level == GES__L_ENTRY) {
#if GES_PATHS_MAX > 0
        if (f->idx == GES_FE_STATUS) {
            p->out->sets[p->set].entries[p->entry].file_state =
                ges__file_state(s, d->len);
        }
#endif
    } else if (f->idx == GES_FI_STATUS) {
        p->out->job_state = ges__job_state(s, d->len);
    } else if (f->idx == GES_FI_BEGIN_TIME || f->idx == GES_FI_END_TIME) {
        int64_t *ep = f->idx == GES_FI_BEGIN_TIME ? &p->out->begin_epoch
                                                  : &p->out->end_epoch;
        *ep = 0;
        if (d->trunc || ges_parse_time(s, d->len, ep) != GES_OK) {
            *ep = 0;
            p->out->invalid |= bit;
        }
    }
}

static ges_err_t ges__value_num(ges_parser_t *p, const ges__field_t *f,
                                const ges__num_t *n)
{
    ges__where_t w;
    ges_err_t e;
    ges__value_reset(p, f, NULL);
    ges__where(p, &w);
    if (f->kind == GES__K_F64) {
        e = ges__num_to_f64(n, (double *)(void *)(w.base + f->off));
    } else {
        e = ges__num_to_i64(n, (int64_t *)(void *)(w.base + f->off));
    }
    return e;
}

/* ------------------------------------------------------------------------- */
/* 3e. The framer                                                             */
/*                                                                           */
/* A byte-driven scanner validates the whole document as it arrives (jsmn    */
/* only tokenizes: it accepts [tru], {"a":1,} ...) and decides, member by    */
/* member, what happens to each value:                                       */
/*   - members we do not keep are validated and skipped, never buffered;     */
/*   - members we keep at the top level, in "error" and in each file entry   */
/*     have their values copied into the work buffer as one piece `[v,v2]`   */
/*     per object (the framer looked each key up and keeps its field in      */
/*     piece_field, so jsmn gets no keys; several members per piece, up to   */
/*     the token budget) and handed to jsmn when the object ends, when the   */
/*     buffer is full or before the framer descends; so each file entry      */
/*     reaches jsmn on its own;                                              */
/*   - a member that alone does not fit the buffer is stored "direct": the   */
/*     scanner decodes its value into the field as it arrives (with the same */
/*     decoder), so its size never matters and the field is cut at its own  */
/*     bound, flagged, never lost.                                           */
/* Memory is the parser struct plus the caller's work buffer, whatever the   */
/* size of the body; results do not depend on split points or buffer size.  */
/* ------------------------------------------------------------------------- */
enum {
    GES__S_VALUE,     /* a value is due */
    GES__S_ARR_FIRST, /* after '[': a value or ']' */
    GES__S_OBJ_FIRST, /* after '{': a key or '}' */
    GES__S_OBJ_KEY,   /* after ',' in an object: a key */
    GES__S_COLON,     /* after a key */
    GES__S_AFTER,     /* after a value: ',' or the container's end */
    GES__S_STR,       /* inside a string (key or value) */
    GES__S_NUM,       /* inside a number */
    GES__S_LIT,       /* inside true / false / null */
    GES__S_END        /* after the document: only white space */
};
/* The states between tokens (above the table's line), which ges__struct_byte
 * takes: a set of bits, so no test depends on the order above. */
#define GES__S_BETWEEN                                                            \
    ((1u << GES__S_VALUE) | (1u << GES__S_ARR_FIRST) | (1u << GES__S_OBJ_FIRST) | \
     (1u << GES__S_OBJ_KEY) | (1u << GES__S_COLON) | (1u << GES__S_AFTER))
/*
 * State x input (ges__byte; ges__struct_byte for the states above the line
 * but ws; the invariants of the state are written at ges_parser_t in
 * ges_job.h). ws = space, tab, LF, CR. "value" = '"', '{', '[', '-', a
 * digit, 't', 'f', 'n'. SYN = GES_ERR_JSON_SYNTAX, INC =
 * GES_ERR_JSON_INCOMPLETE. In the states above the line, a '}' or ']' that
 * does not match the open container is INC, whatever the table says.
 *
 *  state     | ws    | value            | '}' / ']'        | ','           | ':'   | other
 *  ----------+-------+------------------+------------------+---------------+-------+------
 *  VALUE     | stay  | begin (1)        | SYN              | SYN           | SYN   | SYN
 *  ARR_FIRST | stay  | begin (1)        | ']': pop (2)     | SYN           | SYN   | SYN
 *  OBJ_FIRST | stay  | '"': key in STR  | '}': pop (2)     | SYN           | SYN   | SYN
 *  OBJ_KEY   | stay  | '"': key in STR  | SYN (after ',')  | SYN           | SYN   | SYN
 *  COLON     | stay  | SYN              | SYN              | SYN           | VALUE | SYN
 *  AFTER     | stay  | SYN              | pop (2)          | OBJ_KEY in an | SYN   | SYN
 *            |       |                  |                  | object, else  |       |
 *            |       |                  |                  | VALUE         |       |
 *  ----------+-------+------------------+------------------+---------------+-------+------
 *  STR       | the string decoder (ges__str_seg takes the inside at once,
 *            | ges__sdec_byte the rest): '"' ends it (a key: COLON; a
 *            | value: end (3)); '\' starts an escape; a byte < 0x20 is
 *            | SYN; bad UTF-8 / escapes are GES_ERR_JSON_UTF8 / _ESCAPE;
 *            | anything else stays.
 *  NUM       | the number grammar (ges__num_byte) takes digits . e E + -;
 *            | ws ',' '}' ']' end the number (3) and are then read again
 *            | in the new state (GES__AGAIN); anything else is SYN.
 *  LIT       | the next letter of true/false/null stays (the last one ends
 *            | the value (3)); anything else is SYN.
 *  END       | ws stays; anything else is GES_ERR_JSON_TRAILING.
 *
 * (1) ges__value_begin: at GES__L_NONE only '{' (else NOT_OBJECT); a
 *     container pushes (depth over GES_JSON_MAX_DEPTH is GES_ERR_JSON_DEPTH)
 *     and enters ARR_FIRST / OBJ_FIRST; a scalar enters STR / NUM / LIT.
 *     A kept member's value of the wrong type is skipped, and TYPE raised
 *     when it ends.
 * (2) ges__pop: the level is left (a piece is flushed to jsmn), then (3).
 * (3) ges__value_end: the value is stored (direct) or its member recorded
 *     in the piece (capturing); then AFTER, or END at depth 0.
 */

static const char *const ges__lits[3] = {"true", "false", "null"};

static int ges__is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int ges__member_level(uint8_t level)
{
    return level == GES__L_TOP || level == GES__L_ERROR || level == GES__L_ENTRY;
}

static const ges__field_t *ges__cur_field(const ges_parser_t *p)
{
    return p->field == GES__NO_FIELD ? NULL : &ges__fields[p->field];
}

/* Hand work[0..end) (a '[' and the values of `members` complete members) to
 * jsmn and store each member. Tokens live on this function's stack only. */
static ges_err_t ges__piece(ges_parser_t *p, size_t end)
{
    jsmntok_t tok[GES_JSON_MAX_TOKENS];
    jsmn_parser jp;
    int r, i;
    unsigned members = p->members;
    p->members = 0;
    if (members == 0) return GES_OK;
    GES_ASSERT(end < p->work_len && p->work[0] == '[');
    p->work[end] = ']';
    jsmn_init(&jp);
    r = jsmn_parse(&jp, p->work, end + 1, tok, GES_JSON_MAX_TOKENS);
    /* The scanner validated these bytes and the budget fits; anything else
     * would be a bug, reported rather than trusted (not reached by any test:
     * it cannot be, short of a bug). */
    if (r != (int)(1 + members) || tok[0].type != JSMN_ARRAY) {                   /* GCOVR_EXCL_BR_LINE: true only by a bug, see above */
        return r == JSMN_ERROR_NOMEM ? GES_ERR_JSON_TOKENS : GES_ERR_JSON_SYNTAX; /* GCOVR_EXCL_BR_LINE: not reached, see above */
    }
    for (i = 1; i < r; i++) {
        /* tok[i] is a value; the framer recorded which field its key names */
        const jsmntok_t *v = &tok[i];
        ges__sdec_t d;
        const char *s;
        size_t j, n;
        const ges__field_t *f = &ges__fields[p->piece_field[i - 1]];
        ges_err_t e = GES_OK;

        s = p->work + v->start;
        n = (size_t)(v->end - v->start);
        /* the framer let only null or a value of the field's type in */
        if (v->type != JSMN_STRING && s[0] == 'n') {
            ges__value_null(p, f);
        } else if (f->kind == GES__K_STR) {
            ges__value_reset(p, f, &d);
            if (memchr(s, '\\', n) == NULL) ges__sdec_copy(&d, s, n); /* validated */
            else (void)ges__sdec_feed(&d, s, n, &j);
            ges__value_str_done(p, f, &d);
        } else {
            ges__num_t num;
            memset(&num, 0, sizeof num);
            for (j = 0; j < n; j++) (void)ges__num_byte(&num, (unsigned char)s[j]);
            e = ges__value_num(p, f, &num);
        }
        /* Never taken: ges__value_end range-checked this number already, so
         * ges__value_num cannot fail, and ges__piece's only error is the
         * jsmn check above. Nor, then, are the error returns after
         * ges__flush, ges__cap and ges__member_begin (marked "see
         * ges__piece"); they keep any future error on its way out. */
        if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: never taken, see above */
    }
    return GES_OK;
}

/* Flush the complete members of the current piece and empty the buffer. */
static ges_err_t ges__flush(ges_parser_t *p)
{
    ges_err_t e = ges__piece(p, p->used);
    p->used = 0;
    return e;
}

/* The member being captured does not fit any more: its value will go
 * straight to its field. Bytes of the value already in the buffer are
 * decoded now, with a fresh decoder that ends in the state the scanner's
 * own decoder is in. */
static void ges__go_direct(ges_parser_t *p)
{
    const ges__field_t *f = ges__cur_field(p);
    p->capturing = 0;
    p->direct = 1;
    if (p->value_start != 0 && p->state == GES__S_STR && !p->is_key && f != NULL) { /* GCOVR_EXCL_BR_LINE: only the state test can be false: ges__cap (our only caller) runs for a value of a kept field, after ges__value_begin set value_start >= 1 and is_key 0 */
        ges__value_reset(p, f, &p->str);
        size_t k;
        (void)ges__sdec_feed(&p->str, p->work + p->value_start + 1,
                             p->used - p->value_start - 1, &k);
    }
    p->used = 0;
    p->value_start = 0;
}

/* Append one byte of the member being captured, the buffer being full
 * (ges__cap's slow path). */
static ges_err_t ges__cap_full(ges_parser_t *p, unsigned char c)
{
    if (p->members > 0) {
        /* Hand the complete members to jsmn; keep the partial one. */
        /* The partial member starts with its ',' separator, which the
         * ']' closing the complete ones overwrites. */
        size_t from = p->member_start + 1, tail;
        ges_err_t e = ges__piece(p, p->member_start);
        if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
        tail = p->used - from;
        memmove(p->work + 1, p->work + from, tail);
        if (p->value_start) p->value_start = p->value_start - from + 1; /* GCOVR_EXCL_BR_LINE: always true: ges__cap runs only after ges__value_begin set value_start >= 1 */
        p->member_start = 1;
        p->used = 1 + tail;
    }
    if (p->used + 1 >= p->work_len) {
        ges__go_direct(p);
        return GES_OK;
    }
    p->work[p->used++] = (char)c;
    return GES_OK;
}

/* Append one byte of the member being captured (one byte is kept for the
 * ']' that closes the piece). */
static inline ges_err_t ges__cap(ges_parser_t *p, unsigned char c)
{
    if (p->used + 1 < p->work_len) {
        p->work[p->used++] = (char)c;
        return GES_OK;
    }
    return ges__cap_full(p, c);
}

/* A key starts at a member level: open a piece or add to it. */
static ges_err_t ges__member_begin(ges_parser_t *p)
{
    p->field = GES__NO_FIELD;
    p->direct = 0;
    p->value_start = 0;
    p->capturing = 0;
    if (p->work_len < 8) {
        p->direct = 1; /* no room for a piece worth having */
        return GES_OK;
    }
    /* Close the piece at the token budget, or when not even the separator
     * and a quote would fit. */
    if (p->members >= (GES_JSON_MAX_TOKENS - 1) / 2 ||
        (p->members > 0 && p->used + 3 > p->work_len)) {
        ges_err_t e = ges__flush(p);
        if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
    }
    if (p->used == 0) p->work[p->used++] = '[';
    p->member_start = p->used;
    if (p->members > 0) p->work[p->used++] = ',';
    p->capturing = 1;
    return GES_OK;
}

/* The key, decoded (len 0 for one cut to fit p->key: it matches no row),
 * is complete: decide the member's fate. */
static void ges__key_done(ges_parser_t *p, const char *key, size_t len)
{
    const ges__field_t *f;
    p->field = ges__lookup(p->level, key, len);
    p->state = GES__S_COLON;
    f = ges__cur_field(p);
    if (!ges__member_level(p->level)) return;
    if (f == NULL || f->kind == GES__K_DETAIL || f->kind == GES__K_ERROR) {
        /* not stored from this piece: forget its separator */
        if (p->capturing) p->used = p->member_start;
        /* members is always 0 when only the '[' is there (used == 1):
         * complete members sit after it; so members == 0 is not false */
        if (p->used == 1 && p->members == 0) p->used = 0; /* GCOVR_EXCL_BR_LINE: members == 0 always when used == 1, see above */
        p->capturing = 0;
        p->direct = 0;
    }
}

static ges_err_t ges__push(ges_parser_t *p, int is_object, uint8_t level)
{
    if (p->depth >= GES_JSON_MAX_DEPTH) return GES_ERR_JSON_DEPTH;
    if (is_object) p->stack |= (uint64_t)1 << p->depth;
    else p->stack &= ~((uint64_t)1 << p->depth);
    p->depth++;
    p->level = level;
    p->state = is_object ? GES__S_OBJ_FIRST : GES__S_ARR_FIRST;
    return GES_OK;
}

/* A value of the current member (or array element) begins with byte c.
 * Decides where it goes, checks its type, and enters the right state. */
static ges_err_t ges__value_begin(ges_parser_t *p, unsigned char c)
{
    const ges__field_t *f = NULL;
    uint8_t kind = 0xFF;         /* 0xFF: nobody keeps this value */
    uint8_t inner = GES__L_SKIP; /* level inside, if it is a container */
    ges_err_t e;
    int is_null = (c == 'n');
    int is_str = (c == '"'), is_num = (c == '-' || ges__is_digit(c));

    if (is_str && p->capturing && ges__fields[p->field].kind == GES__K_STR) {
        /* The common case, a kept string being captured: capturing means a
         * member level and a scalar field (ges__key_done), so the checks
         * below would all pass; straight to the scalar's start. */
        f = &ges__fields[p->field];
        kind = GES__K_STR;
        goto scalar;
    }
    if (!(c == '{' || c == '[' || is_str || is_num || c == 't' ||
          c == 'f' || is_null)) {
        return GES_ERR_JSON_SYNTAX;
    }
    switch (p->level) {
    case GES__L_NONE:
        if (c != '{') return GES_ERR_JSON_NOT_OBJECT;
        p->state = GES__S_OBJ_FIRST;
        return ges__push(p, 1, GES__L_TOP);
    case GES__L_TOP:
    case GES__L_ERROR:
    case GES__L_ENTRY:
    case GES__L_DETAIL:
        f = ges__cur_field(p);
        if (f != NULL) kind = f->kind;
        break;
    case GES__L_SET:
        /* an element of schemaPath & co: an object, one entry */
        if (c != '{') {
            p->type_bad = 1;
            break;
        }
        {
            ges_job_fileset_t *fs = &p->out->sets[p->set];
            /* never at UINT32_MAX: each entry takes 2+ bytes of a body of
             * at most GES_BODY_MAX < 2^31 bytes */
            if (fs->count < UINT32_MAX) fs->count++; /* GCOVR_EXCL_BR_LINE: never at UINT32_MAX, see above */
#if GES_PATHS_MAX > 0
            if (p->entry < GES_PATHS_MAX) {
                fs->kept = p->entry + 1;
                return ges__push(p, 1, GES__L_ENTRY);
            }
#endif
            p->out->truncated |= GES_F_SET(p->set);
        }
        break;
    default: /* GES__L_SKIP */
        break;
    }

    /* A value of the wrong type is skipped like an unknown one, and the
     * type error raised when it ends: a document that is not even JSON
     * ({"jobId":tru}) gets the syntax error. */
    if ((kind == GES__K_STR && !is_str && !is_null) ||
        ((kind == GES__K_F64 || kind == GES__K_I64) && !is_num && !is_null) ||
        (kind == GES__K_DETAIL && c != '{' && !is_null) ||
        (kind == GES__K_SET && c != '[' && !is_null)) {
        p->type_bad = 1;
        kind = 0xFF;
        p->capturing = 0;
        p->direct = 0;
        if (ges__member_level(p->level)) {
            p->used = p->used ? p->member_start : 0;
        }
    }
    switch (kind) {
    case GES__K_DETAIL:
    case GES__K_SET:
        if (ges__member_level(p->level)) {
            e = ges__flush(p);         /* the buffer is the next level's now */
            if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
        }
        if (kind == GES__K_DETAIL) {
            /* a repeated jobDetail replaces everything before it (the
             * first finds the sets zeroed already: no 5 KiB memset) */
            if (p->out->present & GES__SET_BITS) {
                memset(p->out->sets, 0, sizeof p->out->sets);
            }
            p->out->present &= ~GES__SET_BITS;
            p->out->null &= ~(GES_F_JOB_DETAIL | GES__SET_BITS);
            p->out->truncated &= ~GES__SET_BITS;
            if (is_null) p->out->null |= GES_F_JOB_DETAIL;
            p->out->present |= GES_F_JOB_DETAIL;
            inner = GES__L_DETAIL;
        } else {
            /* a repeated set replaces the earlier one; entries are thus
             * always zero when an element starts filling them */
            if (p->out->present & GES_F_SET(f->idx)) {
                memset(&p->out->sets[f->idx], 0, sizeof p->out->sets[0]);
            }
            p->out->null &= ~GES_F_SET(f->idx);
            p->out->truncated &= ~GES_F_SET(f->idx);
            if (is_null) p->out->null |= GES_F_SET(f->idx);
            p->out->present |= GES_F_SET(f->idx);
            p->set = f->idx;
            p->entry = 0;
            inner = GES__L_SET;
        }
        break;
    case GES__K_ERROR:
        if (c == '{') {
            e = ges__flush(p);
            if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
            inner = GES__L_ERROR;
        } /* "error" of another shape: not ours, skipped */
        break;
    default:
        break;
    }

    if (c == '{' || c == '[') {
        if (inner == GES__L_SKIP && p->level != GES__L_SKIP) {
            p->skip_ret = p->level;
            p->skip_depth = (uint16_t)(p->depth + 1);
        }
        return ges__push(p, c == '{', inner);
    }

    /* A scalar. Kept members at member levels are captured or direct. */
scalar:
    if (ges__kind_scalar(kind) && ges__member_level(p->level) && !p->capturing) { /* GCOVR_EXCL_BR_LINE: a scalar kind is only in the rows of member levels (TOP, ERROR, ENTRY) */
        p->direct = 1;
    }
    if (!ges__kind_scalar(kind)) p->capturing = 0; /* not ours: nothing to buffer */
    if (p->capturing) {
        p->value_start = p->used;
        e = ges__cap(p, c);
        if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
    }
    if (is_str) {
        p->state = GES__S_STR;
        p->is_key = 0;
        if (p->direct && kind == GES__K_STR) ges__value_reset(p, f, &p->str); /* GCOVR_EXCL_BR_LINE: direct on a string value means a string field: any other kind was a type error, direct cleared */
        else ges__sdec_init(&p->str, NULL, 0);
    } else if (is_num) {
        memset(&p->num, 0, sizeof p->num);
        (void)ges__num_byte(&p->num, c);
        p->state = GES__S_NUM;
    } else {
        p->lit = c == 't' ? 0 : c == 'f' ? 1
                                         : 2;
        p->lit_pos = 1;
        p->state = GES__S_LIT;
    }
    return GES_OK;
}

/* A scalar value or a container just ended. */
static ges_err_t ges__value_end(ges_parser_t *p, int scalar)
{
    ges_err_t e = GES_OK;
    if (p->type_bad && p->level != GES__L_SKIP) return GES_ERR_JSON_TYPE;
    if (scalar && ges__member_level(p->level)) {
        const ges__field_t *f = ges__cur_field(p);
        if (p->state == GES__S_NUM && f != NULL && ges__kind_scalar(f->kind)) {
            /* range-check now in both modes, so the error and its offset do
             * not depend on the buffer */
            double dv;
            int64_t iv;
            e = f->kind == GES__K_F64 ? ges__num_to_f64(&p->num, &dv)
                                      : ges__num_to_i64(&p->num, &iv);
            if (e != GES_OK) return e;
        }
        if (p->capturing) {
            p->piece_field[p->members++] = p->field;                      /* jsmn need not look it up again */
        } else if (p->direct && f != NULL && ges__kind_scalar(f->kind)) { /* GCOVR_EXCL_BR_LINE: direct only on a known scalar field: ges__key_done clears it for an unknown, jobDetail or error key */
            if (p->state == GES__S_STR) {
                ges__value_str_done(p, f, &p->str);
            } else if (p->state == GES__S_NUM) {
                e = ges__value_num(p, f, &p->num);
            } else {
                ges__value_null(p, f); /* a literal: the type check let only null in */
            }
        }
        p->capturing = 0;
        p->direct = 0;
        p->value_start = 0;
    }
    p->state = p->depth == 0 ? GES__S_END : GES__S_AFTER;
    return e;
}

/* A container closes: c is '}' or ']'. */
static inline ges_err_t ges__pop(ges_parser_t *p, unsigned char c)
{
    ges_err_t e = GES_OK;
    int is_object = (int)((p->stack >> (p->depth - 1)) & 1u);
    (void)is_object;
    GES_ASSERT(is_object == (c == '}')); /* ges__byte checked */
    p->depth--;
    switch (p->level) {
    case GES__L_SKIP:
        if (p->depth + 1 == p->skip_depth) p->level = p->skip_ret;
        break;
    case GES__L_ENTRY:
        e = ges__flush(p);
        p->entry++;
        p->level = GES__L_SET;
        break;
    case GES__L_SET:
        p->level = GES__L_DETAIL;
        break;
    case GES__L_DETAIL:
        p->level = GES__L_TOP;
        break;
    case GES__L_ERROR:
        e = ges__flush(p);
        p->level = GES__L_TOP;
        break;
    default: /* GES__L_TOP */
        e = ges__flush(p);
        p->level = GES__L_END;
        break;
    }
    p->field = GES__NO_FIELD;
    if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
    return ges__value_end(p, 0);
}

/* The bytes of a string after its opening quote, up to its closing quote
 * (not included) or the end of the data, at once: decoded (or only
 * checked) in a loop, plain runs a word at a time, escapes and UTF-8 by
 * the decoder; then captured, in one copy when the work buffer has room
 * for all of them, else byte by byte as ges__cap decides (when the member
 * goes direct there, the rest is decoded again into its field, as
 * ges__go_direct did with the bytes before). *k gets the bytes consumed;
 * at an error, those before the bad one. A key that is here whole and
 * plain ends here: s[*k] is its closing quote, and the state COLON. */
static ges_err_t ges__str_seg(ges_parser_t *p, const char *s, size_t n, size_t *k)
{
    size_t j = 0;
    int r = GES__STR_MORE;
    if (p->str.esc == GES__E_NONE && p->str.need == 0) {
        /* most strings are one plain run: no call for them */
        j = ges__plain_run(s, n);
        if (p->is_key && p->str.len == 0 && j < n && s[j] == '"') {
            /* A whole plain key: looked up where it is, not copied (one
             * too long for p->key matches no row, as its cut copy would
             * not), and its closing quote taken here too. */
            ges__key_done(p, s, j);
            *k = j;
            return GES_OK;
        }
        if (p->str.dst != NULL) ges__sdec_copy(&p->str, s, j);
    }
    if (j < n && s[j] != '"') {
        size_t m;
        r = ges__sdec_feed(&p->str, s + j, n - j, &m);
        j += m;
    }
    *k = j;
    if (p->capturing && !p->is_key) {    /* a key is not captured (ges__byte) */
        if (j < p->work_len - p->used) { /* ges__cap would take them all */
            memcpy(p->work + p->used, s, j);
            p->used += j;
        } else {
            size_t t;
            for (t = 0; t < j; t++) {
                ges_err_t e = ges__cap(p, (unsigned char)s[t]);
                if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
                if (!p->capturing) {
                    (void)ges__sdec_feed(&p->str, s + t, j - t, &t);
                    break;
                }
            }
        }
    }
    return r < 0 ? (ges_err_t)r : GES_OK;
}

/* ges__byte's "the number ended before this byte: process it again". A
 * loop in the caller, not recursion, keeps the stack bound static. */
#define GES__AGAIN ((ges_err_t)1)

/* A byte between tokens (the states above the table's line), not white
 * space. */
static ges_err_t ges__struct_byte(ges_parser_t *p, unsigned char c)
{
    if ((c == '}' || c == ']') && p->depth > 0 &&
        (int)((p->stack >> (p->depth - 1)) & 1u) != (c == '}')) {
        return GES_ERR_JSON_INCOMPLETE; /* closes the wrong kind: unbalanced */
    }
    switch (p->state) {
    case GES__S_OBJ_FIRST:
    case GES__S_OBJ_KEY:
        if (c == '}' && p->state == GES__S_OBJ_FIRST) return ges__pop(p, c);
        if (c != '"') return GES_ERR_JSON_SYNTAX;
        p->field = GES__NO_FIELD;
        if (ges__member_level(p->level)) {
            ges_err_t e = ges__member_begin(p);
            if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
        }
        p->is_key = 1;
        p->state = GES__S_STR;
        ges__sdec_init(&p->str, p->key, sizeof p->key - 1); /* (unused in a skip) */
        return GES_OK;
    case GES__S_COLON:
        if (c != ':') return GES_ERR_JSON_SYNTAX;
        p->state = GES__S_VALUE;
        return GES_OK;
    case GES__S_AFTER:
        if (c == ',') {
            int in_object = (int)((p->stack >> (p->depth - 1)) & 1u);
            p->state = in_object ? GES__S_OBJ_KEY : GES__S_VALUE;
            return GES_OK;
        }
        if (c == '}' || c == ']') return ges__pop(p, c);
        return GES_ERR_JSON_SYNTAX;
    case GES__S_ARR_FIRST:
        if (c == ']') return ges__pop(p, c);
        return ges__value_begin(p, c);
    default: /* GES__S_VALUE */
        return ges__value_begin(p, c);
    }
}

static ges_err_t ges__byte(ges_parser_t *p, unsigned char c)
{
    int r;
    ges_err_t e;
    switch (p->state) {
    case GES__S_END:
        return ges__is_ws(c) ? GES_OK : GES_ERR_JSON_TRAILING;
    case GES__S_STR:
        /* c is always '"' here (ges_parser_feed gives ges__byte the byte
         * where ges__str_seg stopped): a closing quote, or one after a
         * backslash or inside a UTF-8 character; c != '"' is not taken. */
        r = c == '"' && p->str.esc == GES__E_NONE && p->str.need == 0; /* GCOVR_EXCL_BR_LINE: c == '"' always, see above */
        if (p->capturing && !p->is_key) {                              /* a key is not captured */
            e = ges__cap(p, c);
            if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
        }
        if (r) {
            r = GES__STR_END; /* what ges__sdec_byte says, without the call */
        } else {
            r = ges__sdec_byte(&p->str, c);
            if (r < 0) return (ges_err_t)r;
        }
        if (r == GES__STR_END) {
            if (p->is_key) {
                ges__key_done(p, p->key, p->str.trunc ? 0 : p->str.len);
                return GES_OK;
            }
            return ges__value_end(p, 1);
        }
        return GES_OK;
    case GES__S_NUM:
        r = ges__num_byte(&p->num, c);
        if (r < 0) return (ges_err_t)r;
        if (r == 0) {
            return p->capturing ? ges__cap(p, c) : GES_OK;
        }
        if (!ges__is_ws(c) && c != ',' && c != '}' && c != ']') {
            return GES_ERR_JSON_SYNTAX; /* 1.2.3, 1e5e5 ... */
        }
        e = ges__value_end(p, 1); /* c belongs to what follows */
        return e != GES_OK ? e : GES__AGAIN;
    case GES__S_LIT:
        if (c != (unsigned char)ges__lits[p->lit][p->lit_pos]) {
            return GES_ERR_JSON_SYNTAX;
        }
        if (p->capturing) {
            e = ges__cap(p, c);
            if (e != GES_OK) return e; /* GCOVR_EXCL_BR_LINE: not taken: see ges__piece */
        }
        if (ges__lits[p->lit][++p->lit_pos] == '\0') return ges__value_end(p, 1);
        return GES_OK;
    default:
        break;
    }
    if (ges__is_ws(c)) return GES_OK; /* jsmn needs none of it */
    return ges__struct_byte(p, c);
}

/* see ges_job.h */
void ges_parser_init(ges_parser_t *p, ges_job_status_t *out, char *work,
                     size_t work_len)
{
    if (p == NULL) return;
    memset(p, 0, sizeof *p);
    p->out = out;
    p->work = work;
    p->work_len = (work != NULL && work_len <= (size_t)INT_MAX) ? work_len : 0;
    p->state = GES__S_VALUE;
    p->level = GES__L_NONE;
    p->field = GES__NO_FIELD;
    if (out != NULL) ges_job_status_init(out);
    else p->err = GES_ERR_INVALID_ARG;
}

/* After a failed parse or answer the result is "nothing known" but for the
 * HTTP status: what a cut or broken answer left is not an answer. */
static void ges__status_reset(ges_job_status_t *out)
{
    int http = out->http_status;
    ges_job_status_init(out);
    out->http_status = http;
}

static ges_err_t ges__parser_fail(ges_parser_t *p, ges_err_t e)
{
    p->err = e;
    ges__status_reset(p->out);
    return e;
}

/* see ges_job.h */
ges_err_t ges_parser_feed(ges_parser_t *p, const char *data, size_t len)
{
    size_t i;
    int over = 0;
    if (p == NULL || (data == NULL && len != 0)) return GES_ERR_INVALID_ARG;
    if (p->err != GES_OK) return p->err;
    if (len > GES_BODY_MAX - p->offset) {
        /* The bytes up to the bound are parsed first, so the error is the
         * same however the body was split. */
        len = (size_t)(GES_BODY_MAX - p->offset);
        over = 1;
    }
    /* p->offset counts the bytes consumed: the failing byte is not */
    for (i = 0; i < len; i++) {
        ges_err_t e;
        if (p->state == GES__S_STR) {
            /* The common case: the inside of a string at once. */
            size_t k;
            e = ges__str_seg(p, data + i, len - i, &k);
            if (e != GES_OK) {
                p->offset += i + k;
                return ges__parser_fail(p, e);
            }
            i += k;
            if (i == len) break;
            /* data[i] is the closing quote; a plain key's is taken */
            if (p->state != GES__S_STR) continue;
        }
        if ((GES__S_BETWEEN >> p->state) & 1u) { /* ges__byte's work, without its dispatch */
            if (ges__is_ws((unsigned char)data[i])) continue;
            e = ges__struct_byte(p, (unsigned char)data[i]);
        } else {
            do {
                e = ges__byte(p, (unsigned char)data[i]);
            } while (e == GES__AGAIN);
        }
        if (e != GES_OK) {
            p->offset += i;
            return ges__parser_fail(p, e);
        }
    }
    p->offset += len;
    return over ? ges__parser_fail(p, GES_ERR_HTTP_BODY_TOO_LARGE) : GES_OK;
}

/* see ges_job.h */
ges_err_t ges_parser_finish(ges_parser_t *p)
{
    if (p == NULL) return GES_ERR_INVALID_ARG;
    if (p->err != GES_OK) return p->err;
    if (p->state != GES__S_END) return ges__parser_fail(p, GES_ERR_JSON_INCOMPLETE);
    p->err = GES_ERR_STATE; /* finished: further feeding is a mistake */
    return GES_OK;
}

/* see ges_job.h */
unsigned long long ges_parser_offset(const ges_parser_t *p)
{
    return p ? p->offset : 0;
}

/* see ges_job.h */
ges_err_t ges_job_parse(const char *body, size_t len, ges_job_status_t *out)
{
    ges_parser_t p;
    char work[GES_PARSE_WORK];
    ges_err_t e;
    if (out == NULL) return GES_ERR_INVALID_ARG;
    if (body == NULL) {
        ges_job_status_init(out);
        return GES_ERR_INVALID_ARG;
    }
    ges_parser_init(&p, out, work, sizeof work);
    e = ges_parser_feed(&p, body, len);
    if (e == GES_OK) e = ges_parser_finish(&p);
    return e;
}

/* ------------------------------------------------------------------------- */
/* 4. HTTP response reader                                                    */
/*                                                                           */
/* A byte-driven state machine, so any split of the input gives the same     */
/* result. Lines (status, headers, chunk sizes, trailers) are inspected      */
/* through a small window; only the few headers we act on must fit it. Body  */
/* bytes go to the JSON parser in spans, never buffered here.                */
/* ------------------------------------------------------------------------- */
enum {
    H_STATUS,     /* status line */
    H_HEADER,     /* header lines */
    H_BODY_LEN,   /* Content-Length body */
    H_BODY_CLOSE, /* body up to the connection's close */
    H_CHUNK_SIZE, /* chunk-size [; ext] line */
    H_CHUNK_DATA,
    H_CHUNK_CR, /* CRLF after chunk data */
    H_CHUNK_LF,
    H_TRAILER, /* trailer lines after the last chunk */
    H_DONE
};

/* The window a line is inspected through. Every line we act on fits: the
 * longest is a Retry-After with an IMF-fixdate, 13 + 29 bytes; a status
 * line needs its first 12 (the reason is skipped). Longer lines are only
 * counted (line_over) and, where that matters, refused. */
#define GES__LINE_WINDOW 48
/* line_over counts the bytes past the window and stops here: header lines
 * only ask whether the line fitted (line_over != 0); a chunk-size line is
 * refused at its next byte once this many did not fit (chunk extensions
 * without end), so a size line may pass the window by at most this many
 * bytes, CR and LF not counted. */
#define GES__LINE_OVER_MAX 2
/* So the longest chunk-size line accepted is ges_job.h's constant. */
#if GES__LINE_WINDOW + GES__LINE_OVER_MAX - 1 != GES_HTTP_CHUNK_LINE_MAX
#error "GES_HTTP_CHUNK_LINE_MAX must be GES__LINE_WINDOW + GES__LINE_OVER_MAX - 1"
#endif

typedef struct {
    ges_parser_t *json;
    uint64_t left;     /* Content-Length or chunk bytes still due */
    uint64_t body;     /* body bytes so far */
    uint64_t framing;  /* chunk-size lines and CRLFs so far */
    unsigned long hdr; /* status-line and header bytes so far */
    int status;        /* HTTP status of the final answer */
    uint8_t st;
    uint8_t http10;
    uint8_t close;      /* the connection cannot be reused */
    uint8_t keep_alive; /* "Connection: keep-alive" (matters for 1.0) */
    uint8_t chunked;
    uint8_t have_len;
    uint8_t line_over; /* bytes past the window, up to GES__LINE_OVER_MAX */
    uint8_t line_cr;   /* the line's CR was seen */
    uint16_t line_len;
    char line[GES__LINE_WINDOW];
    uint8_t encoded;                 /* Content-Encoding other than identity */
    uint32_t retry_after;            /* Retry-After in seconds, 0 if none */
    int64_t retry_at;                /* Retry-After as an HTTP-date, -1 if none */
    int64_t date;                    /* Date as UTC seconds, -1 if none or invalid */
    char coding[GES_CODING_MAX + 1]; /* that Content-Encoding, for messages */
} ges__http_t;

static void ges__http_init(ges__http_t *h, ges_parser_t *json)
{
    memset(h, 0, sizeof *h);
    h->json = json;
    h->date = -1;
    h->retry_at = -1;
}

#define GES__RETRY_AFTER_MAX 86400u /* a day: longer Retry-After values are capped */

/* A Retry-After date's distance from its reference time, as seconds:
 * a date already passed is 0, beyond a day is a day. */
static uint32_t ges__retry_secs(int64_t d)
{
    return d <= 0 ? 0 : d > GES__RETRY_AFTER_MAX ? GES__RETRY_AFTER_MAX
                                                 : (uint32_t)d;
}

/* IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", to UTC seconds; -1 if it is
 * not one. (The obsolete RFC 850 and asctime forms are not accepted.) */
static int64_t ges__http_date(const char *v, size_t n)
{
    static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char iso[20];
    int64_t t;
    unsigned m;
    if (n != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' ||
        v[16] != ' ' || memcmp(v + 25, " GMT", 4) != 0) {
        return -1;
    }
    for (m = 0; m < 12 && memcmp(mon + 3 * (size_t)m, v + 8, 3) != 0; m++) {}
    if (m == 12) return -1;
    /* reuse the strict ISO parser: yyyy-MM-ddTHH:mm:ss */
    memcpy(iso, v + 12, 4);
    iso[4] = '-';
    iso[5] = (char)('0' + (m + 1) / 10);
    iso[6] = (char)('0' + (m + 1) % 10);
    iso[7] = '-';
    memcpy(iso + 8, v + 5, 2);
    iso[10] = 'T';
    memcpy(iso + 11, v + 17, 8);
    return ges_parse_time(iso, 19, &t) == GES_OK ? t : -1;
}

/* OWS-trimmed value of a "name: value" line, lower-case name compare. */
static int ges__hdr_is(const char *line, size_t n, const char *name,
                       const char **val, size_t *vlen)
{
    size_t i, nl = strlen(name);
    if (n <= nl || line[nl] != ':' || ges__icmp(line, name, nl) != 0) return 0;
    i = nl + 1;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    while (n > i && (line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
    *val = line + i;
    *vlen = n - i;
    return 1;
}

/* Decimal or hex digits into *v, refusing anything above `max`. Returns 1,
 * 0 for a non-digit or empty input, -1 for a value above max. */
static int ges__parse_uint(const char *s, size_t n, int base, uint64_t max,
                           uint64_t *v)
{
    size_t i;
    uint64_t x = 0;
    if (n == 0) return 0;
    for (i = 0; i < n; i++) {
        int d = base == 16 ? ges__hexval((unsigned char)s[i])
                           : (ges__is_digit((unsigned char)s[i]) ? s[i] - '0' : -1);
        if (d < 0) return 0;
        if (x > (max - (uint64_t)d) / (uint64_t)base) return -1;
        x = x * (uint64_t)base + (uint64_t)d;
    }
    *v = x;
    return 1;
}

static int ges__has_token(const char *v, size_t n, const char *tok)
{
    size_t i = 0, tl = strlen(tok);
    while (i < n) {
        size_t j, k;
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
        j = i;
        while (j < n && v[j] != ',') j++;
        k = j;
        while (k > i && (v[k - 1] == ' ' || v[k - 1] == '\t')) k--;
        if (k - i == tl && ges__icmp(v + i, tok, tl) == 0) return 1;
        i = j;
    }
    return 0;
}

/* The status code of "HTTP/1.x NNN[ reason]" (x 0 or 1, NNN 100..999),
 * given the line's first min(len, 13) bytes; -1 if it is not one. Shared
 * by the HTTP reader and the proxy's answer to CONNECT. */
static int ges__status_code(const char *l, size_t len)
{
    uint64_t code;
    if (len < 12 || memcmp(l, "HTTP/1.", 7) != 0 || (l[7] != '0' && l[7] != '1') ||
        l[8] != ' ' || ges__parse_uint(l + 9, 3, 10, 999, &code) != 1 || code < 100 ||
        (len > 12 && l[12] != ' ')) {
        return -1;
    }
    return (int)code;
}

static ges_err_t ges__http_status_line(ges__http_t *h)
{
    const char *l = h->line;
    int code;
    GES_ASSERT(h->st == H_STATUS);
    code = ges__status_code(l, h->line_len);
    if (code < 0) return GES_ERR_HTTP;
    h->http10 = l[7] == '0';
    h->status = code;
    h->json->out->http_status = h->status;
    h->st = H_HEADER;
    return GES_OK;
}

static ges_err_t ges__http_headers_end(ges__http_t *h)
{
    GES_ASSERT(h->st == H_HEADER && h->line_len == 0 && h->status >= 100);
    if (h->status < 200) {
        if (h->status == 101) return GES_ERR_HTTP; /* we asked no upgrade */
        /* 1xx interim answer: the real one follows, and none of these
         * headers carries into it */
        h->have_len = h->chunked = h->keep_alive = h->close = h->encoded = 0;
        h->coding[0] = '\0';
        h->retry_after = 0;
        h->retry_at = h->date = -1;
        h->st = H_STATUS;
        return GES_OK;
    }
    if (h->retry_at >= 0 && h->date >= 0) {
        /* Retry-After as a date: how far past the answer's own Date */
        h->retry_after = ges__retry_secs(h->retry_at - h->date);
    }
    /* status >= 200 is always true here (1xx returned above), kept to
     * read as the 2xx test it is */
    if (h->encoded && h->status >= 200 && h->status <= 299) { /* GCOVR_EXCL_BR_LINE: status >= 200 always, see above */
        /* We asked for identity; a compressed body would only be
         * reported as malformed JSON. Say what it is instead. */
        return GES_ERR_HTTP_ENCODING;
    }
    if (h->http10 && !h->keep_alive) h->close = 1;
    if (h->status == 204 || h->status == 304) {
        /* No body, whatever the headers say (RFC 9112 6.3); but a server
         * that declared one may send it anyway, so the connection is not
         * reused: those bytes must never be read as the next answer. */
        if (h->chunked || (h->have_len && h->left > 0)) h->close = 1;
        h->st = H_DONE;
    } else if (h->chunked) {
        h->st = H_CHUNK_SIZE;
    } else if (h->have_len) {
        h->st = h->left ? H_BODY_LEN : H_DONE;
    } else {
        h->st = H_BODY_CLOSE;
        h->close = 1;
    }
    return GES_OK;
}

static ges_err_t ges__http_header(ges__http_t *h)
{
    const char *v;
    size_t vl, n = h->line_len;
    uint64_t x;
    if (n == 0) return ges__http_headers_end(h);
    {
        /* A field name is a token right up to the colon: no folding, no
         * space before the colon (RFC 9112 5.1: such answers are refused). */
        const char *colon = (const char *)memchr(h->line, ':', n);
        size_t k, end = colon ? (size_t)(colon - h->line) : n;
        if (colon == NULL && !h->line_over) return GES_ERR_HTTP;
        if (end == 0) return GES_ERR_HTTP;
        for (k = 0; k < end; k++) {
            if (h->line[k] == ' ' || h->line[k] == '\t') return GES_ERR_HTTP;
        }
    }
    if (ges__hdr_is(h->line, n, "content-length", &v, &vl)) {
        int r;
        if (h->line_over) return GES_ERR_HTTP_FRAMING;
        r = ges__parse_uint(v, vl, 10, GES_BODY_MAX, &x);
        if (r < 0) return GES_ERR_HTTP_BODY_TOO_LARGE;
        if (r == 0 || (h->have_len && x != h->left) || h->chunked) {
            return GES_ERR_HTTP_FRAMING;
        }
        h->have_len = 1;
        h->left = x;
    } else if (ges__hdr_is(h->line, n, "transfer-encoding", &v, &vl)) {
        /* Only "chunked" alone: other codings we could not decode, and
         * chunked next to a Content-Length is how requests get smuggled. */
        if (h->line_over || h->chunked || h->have_len ||
            !(vl == 7 && ges__has_token(v, vl, "chunked"))) {
            return GES_ERR_HTTP_FRAMING;
        }
        h->chunked = 1;
    } else if (ges__hdr_is(h->line, n, "connection", &v, &vl)) {
        if (h->line_over || ges__has_token(v, vl, "close")) h->close = 1;
        if (!h->line_over && ges__has_token(v, vl, "keep-alive")) h->keep_alive = 1;
    } else if (ges__hdr_is(h->line, n, "date", &v, &vl)) {
        h->date = h->line_over ? -1 : ges__http_date(v, vl);
    } else if (ges__hdr_is(h->line, n, "retry-after", &v, &vl)) {
        /* Seconds (above a day is capped, not ignored) or an HTTP-date,
         * resolved against Date once the headers have ended. */
        int r = h->line_over ? 0 : ges__parse_uint(v, vl, 10, GES__RETRY_AFTER_MAX, &x);
        if (r != 0) {
            h->retry_after = r > 0 ? (uint32_t)x : GES__RETRY_AFTER_MAX;
            h->retry_at = -1;
        } else if (!h->line_over) {
            h->retry_at = ges__http_date(v, vl);
        }
    } else if (ges__hdr_is(h->line, n, "content-encoding", &v, &vl)) {
        if (h->line_over || (vl > 0 && !(vl == 8 && ges__has_token(v, vl, "identity")))) {
            size_t k = vl < GES_CODING_MAX ? vl : GES_CODING_MAX;
            h->encoded = 1;
            memcpy(h->coding, v, k);
            h->coding[k] = '\0';
            if (h->line_over || vl > GES_CODING_MAX) { /* cut: say so */
                memcpy(h->coding + GES_CODING_MAX - 3, "...", 3);
            }
        }
    }
    return GES_OK;
}

static ges_err_t ges__http_chunk_size(ges__http_t *h)
{
    size_t n = 0;
    int r;
    GES_ASSERT(h->st == H_CHUNK_SIZE);
    while (n < h->line_len && h->line[n] != ';' && h->line[n] != ' ' &&
           h->line[n] != '\t') {
        n++;
    }
    if (h->line_over && n == h->line_len) return GES_ERR_HTTP_FRAMING;
    r = ges__parse_uint(h->line, n, 16, GES_BODY_MAX, &h->left);
    if (r < 0) return GES_ERR_HTTP_BODY_TOO_LARGE;
    if (r == 0) return GES_ERR_HTTP_FRAMING;
    while (n < h->line_len && (h->line[n] == ' ' || h->line[n] == '\t')) n++;
    if (n < h->line_len && h->line[n] != ';') return GES_ERR_HTTP_FRAMING;
    h->st = h->left ? H_CHUNK_DATA : H_TRAILER;
    return GES_OK;
}

/* The reader's transition table. The line states take one byte at a time
 * (ges__http_line_byte), the others spans (ges__http_feed). Any error ends
 * the answer; the input classes are tried from the top.
 *
 *   state         input                          next state, action
 *   ------------  -----------------------------  ------------------------------
 *   line states   past the state's byte budget   the budget's error (below)
 *   (H_STATUS,    size line: a byte once the     GES_ERR_HTTP_FRAMING
 *   H_HEADER,       line is GES__LINE_OVER_MAX
 *   H_CHUNK_SIZE,   bytes past the window
 *   H_TRAILER)    LF after CR                    the state's line handler (below)
 *                 LF alone; after CR, not LF;    GES_ERR_HTTP, but
 *                   a control byte but HT        GES_ERR_HTTP_FRAMING in
 *                                                H_CHUNK_SIZE and H_TRAILER
 *                 CR                             same state, CR noted
 *                 any other byte                 same state, into the window
 *                                                (or counted past it)
 *   line handlers, on the line in the window:
 *   H_STATUS      "HTTP/1.x NNN[ reason]"        H_HEADER; else GES_ERR_HTTP
 *   H_HEADER      a field line                   H_HEADER (acted on if we use it)
 *                 empty, status 1xx but 101      H_STATUS, the headers forgotten
 *                 empty, 101                     GES_ERR_HTTP
 *                 empty, 2xx, Content-Encoding   GES_ERR_HTTP_ENCODING
 *                 empty, 204 or 304              H_DONE
 *                 empty, chunked                 H_CHUNK_SIZE
 *                 empty, Content-Length n        H_BODY_LEN, or H_DONE if n = 0
 *                 empty, neither                 H_BODY_CLOSE, not reusable
 *   H_CHUNK_SIZE  hex size [; ext]               H_CHUNK_DATA, or H_TRAILER if 0
 *   H_TRAILER     a field line / the empty line  H_TRAILER (skipped) / H_DONE
 *   span states:
 *   H_BODY_LEN    up to `left` bytes             JSON parser; H_DONE at left = 0
 *   H_CHUNK_DATA  up to `left` bytes             JSON parser; H_CHUNK_CR at 0
 *   H_BODY_CLOSE  every byte                     JSON parser; ends at the close
 *   H_CHUNK_CR    CR / anything else             H_CHUNK_LF / GES_ERR_HTTP_FRAMING
 *   H_CHUNK_LF    LF / anything else             H_CHUNK_SIZE / GES_ERR_HTTP_FRAMING
 *   H_DONE        -                              feeding stops (*used tells)
 *
 * Budgets: status, header and trailer bytes count against
 * GES_HTTP_HEADERS_MAX (GES_ERR_HTTP_HEADERS_TOO_LARGE); body bytes, and
 * chunk-size lines and CRLFs as framing, against GES_BODY_MAX
 * (GES_ERR_HTTP_BODY_TOO_LARGE), which the body bytes up to the bound
 * reach first, however they came. A non-2xx body that is not JSON still
 * frames: its JSON error stays in the parser.
 *
 * ges__http_line_byte: one byte of a line state. */
static ges_err_t ges__http_line_byte(ges__http_t *h, unsigned char c)
{
    GES_ASSERT(h->st == H_STATUS || h->st == H_HEADER || h->st == H_CHUNK_SIZE ||
               h->st == H_TRAILER);
    GES_ASSERT(h->line_len <= GES__LINE_WINDOW && h->line_over <= GES__LINE_OVER_MAX);
    if (h->st != H_CHUNK_SIZE) {
        if (++h->hdr > GES_HTTP_HEADERS_MAX) return GES_ERR_HTTP_HEADERS_TOO_LARGE;
    } else if (++h->framing > GES_BODY_MAX) {
        return GES_ERR_HTTP_BODY_TOO_LARGE; /* a flood of tiny chunks */
    } else if (h->line_len >= sizeof h->line && h->line_over >= GES__LINE_OVER_MAX) {
        return GES_ERR_HTTP_FRAMING; /* chunk extensions without end */
    }
    if (c == '\n') {
        ges_err_t e;
        if (!h->line_cr) return GES_ERR_HTTP; /* bare LF */
        switch (h->st) {
        case H_STATUS: e = ges__http_status_line(h); break;
        case H_HEADER: e = ges__http_header(h); break;
        case H_CHUNK_SIZE: e = ges__http_chunk_size(h); break;
        default: /* H_TRAILER: skipped, up to the empty line */
            e = GES_OK;
            /* line_over is never set on an empty line (only bytes past
             * the full window count), so !line_over is not false here */
            if (h->line_len == 0 && !h->line_over) h->st = H_DONE; /* GCOVR_EXCL_BR_LINE: line_over is 0 on an empty line, see above */
            break;
        }
        h->line_len = 0;
        h->line_over = 0;
        h->line_cr = 0;
        return e;
    }
    if (h->line_cr) return GES_ERR_HTTP; /* CR not followed by LF */
    if (c == '\r') {
        h->line_cr = 1;
        return GES_OK;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7F) return GES_ERR_HTTP; /* NUL... */
    if (h->line_len < sizeof h->line) {
        h->line[h->line_len++] = (char)c;
    } else if (h->line_over < GES__LINE_OVER_MAX) {
        h->line_over++;
    }
    return GES_OK;
}

/* Feed received bytes. *used tells how many were consumed; the answer is
 * complete when h->st == H_DONE. */
static ges_err_t ges__http_feed(ges__http_t *h, const unsigned char *b,
                                size_t n, size_t *used)
{
    size_t i = 0;
    ges_err_t e = GES_OK;
    GES_ASSERT(h != NULL && h->json != NULL && used != NULL && (b != NULL || n == 0));
    while (i < n && h->st != H_DONE) {
        switch (h->st) {
        case H_BODY_LEN:
        case H_CHUNK_DATA:
        case H_BODY_CLOSE: {
            size_t k = n - i, room = (size_t)(GES_BODY_MAX - h->body);
            int over = 0;
            GES_ASSERT(h->st == H_BODY_CLOSE || h->left > 0);
            if (h->st != H_BODY_CLOSE && (uint64_t)k > h->left) k = (size_t)h->left;
            if (k > room) { /* the bytes up to the bound still count first, */
                k = room;   /* so the error is the same however they came */
                over = 1;
            }
            h->body += k;
            /* For a non-2xx answer a JSON error is kept in the parser and
             * the framing goes on, so an HTML body still ends cleanly. */
            e = ges_parser_feed(h->json, (const char *)b + i, k);
            /* a body is read only for a final answer: status >= 200 */
            if (h->status >= 200 && h->status <= 299 && e != GES_OK) break; /* GCOVR_EXCL_BR_LINE: status >= 200 always here */
            e = over ? GES_ERR_HTTP_BODY_TOO_LARGE : GES_OK;
            i += k;
            if (h->st != H_BODY_CLOSE) {
                h->left -= k;
                if (h->left == 0) h->st = h->st == H_BODY_LEN ? H_DONE : H_CHUNK_CR;
            }
            break;
        }
        case H_CHUNK_CR:
        case H_CHUNK_LF:
            e = b[i++] == (h->st == H_CHUNK_CR ? '\r' : '\n') ? GES_OK : GES_ERR_HTTP_FRAMING;
            if (e == GES_OK && ++h->framing > GES_BODY_MAX) e = GES_ERR_HTTP_BODY_TOO_LARGE;
            h->st = h->st == H_CHUNK_CR ? H_CHUNK_LF : H_CHUNK_SIZE;
            break;
        default: /* the line states; a malformed size or trailer line is framing */
            e = ges__http_line_byte(h, b[i++]);
            if (e == GES_ERR_HTTP && (h->st == H_CHUNK_SIZE || h->st == H_TRAILER)) {
                e = GES_ERR_HTTP_FRAMING;
            }
            break;
        }
        if (e != GES_OK) {
            ges__status_reset(h->json->out);
            break;
        }
    }
    *used = i;
    return e;
}

/* The answer has been read (or the connection closed: eof). Decide what it
 * says. Shared by the client and ges_job_parse_response(). */
static ges_err_t ges__http_end(ges__http_t *h, int eof)
{
    ges_job_status_t *out = h->json->out;
    ges_err_t e;
    GES_ASSERT(h->st <= H_DONE);
    if (h->st != H_DONE && !(eof && h->st == H_BODY_CLOSE)) {
        ges__status_reset(out);
        return GES_ERR_NET_CLOSED;
    }
    e = ges_parser_finish(h->json);
    /* status < 200 is never true here: only a final answer ends (a 1xx
     * goes back to H_STATUS) */
    if (h->status < 200 || h->status > 299) { /* GCOVR_EXCL_BR_LINE: status < 200 never, see above */
        /* Whatever the body was (HTML, nothing, a redirect), this is the
         * service's error; its error fields are kept when it had them. */
        out->http_status = h->status;
        return GES_ERR_SERVICE;
    }
    if (e != GES_OK) return e;
    if ((out->present & GES_F_ERROR_CODE) && !(out->null & GES_F_ERROR_CODE) &&
        out->len[GES_FI_ERROR_CODE] > 0) {
        return GES_ERR_SERVICE;
    }
    return GES_OK;
}

/* see ges_job.h */
ges_err_t ges_job_parse_response(const char *resp, size_t len,
                                 ges_job_status_t *out)
{
    ges_parser_t json;
    ges__http_t h;
    char work[GES_PARSE_WORK];
    size_t used = 0;
    ges_err_t e;
    if (out == NULL) return GES_ERR_INVALID_ARG;
    ges_parser_init(&json, out, work, sizeof work);
    if (resp == NULL) return GES_ERR_INVALID_ARG;
    ges__http_init(&h, &json);
    e = ges__http_feed(&h, (const unsigned char *)resp, len, &used);
    if (e == GES_OK && used < len) e = GES_ERR_HTTP; /* bytes after the answer */
    if (e == GES_OK) e = ges__http_end(&h, 1);
    if (e != GES_OK && e != GES_ERR_SERVICE) ges__status_reset(out);
    return e;
}

#if !GES_CONFIG_NO_TLS /* the writer serves only the client */
/* ------------------------------------------------------------------------- */
/* 4b. Request writer                                                         */
/*                                                                           */
/* Buffered: the request, token included, passes through the I/O buffer in  */
/* pieces, so no buffer needs to hold a multi-KiB token; the caller wipes    */
/* the buffer afterwards. The sink is TLS in the client and memory in tests. */
/* ------------------------------------------------------------------------- */
typedef struct {
    ges_err_t (*sink)(void *ctx, const unsigned char *p, size_t n);
    void *ctx;
    unsigned char *buf;
    size_t cap, len;
    ges_err_t err;
} ges__wr_t;

static void ges__wr_flush(ges__wr_t *w)
{
    GES_ASSERT(w->sink != NULL && w->len <= w->cap);
    if (w->err == GES_OK && w->len > 0) w->err = w->sink(w->ctx, w->buf, w->len);
    w->len = 0;
}

/* Invariant: between calls the buffer is never full (a full one is
 * flushed), so every turn below copies at least one byte. */
static void ges__wr(ges__wr_t *w, const char *s, size_t n)
{
    GES_ASSERT(w->buf != NULL && w->cap > 0 && w->len < w->cap && (s != NULL || n == 0));
    while (n > 0 && w->err == GES_OK) {
        size_t k = w->cap - w->len;
        if (k > n) k = n;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
        if (w->len == w->cap) ges__wr_flush(w);
    }
}

static void ges__wr_s(ges__wr_t *w, const char *s) { ges__wr(w, s, strlen(s)); }

/* One byte as a URI path or query needs it: itself when unreserved
 * (A-Za-z0-9-._~, RFC 3986), else %XX with upper-case hex. Returns 1 or 3. */
static size_t ges__pct_byte(unsigned char c, char out[3])
{
    static const char hex[] = "0123456789ABCDEF";
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || ges__is_digit(c) ||
        c == '-' || c == '.' || c == '_' || c == '~') {
        out[0] = (char)c;
        return 1;
    }
    out[0] = '%';
    out[1] = hex[c >> 4];
    out[2] = hex[c & 15];
    return 3;
}

/* A path segment, percent-encoded outside the unreserved set. */
static void ges__wr_seg(ges__wr_t *w, const char *id)
{
    char e[3];
    for (; *id; id++) ges__wr(w, e, ges__pct_byte((unsigned char)*id, e));
}

/* An ID is 1..GES_ID_MAX bytes and not "." or ".." (which a server or a
 * proxy would resolve as a path step). Any byte is fine: it is encoded. */
static int ges__id_ok(const char *id)
{
    size_t n;
    if (id == NULL) return 0;
    n = strlen(id);
    return n >= 1 && n <= GES_ID_MAX && strcmp(id, ".") != 0 && strcmp(id, "..") != 0;
}

/* How a request authenticates: a token, or AK/SK headers already signed. */
typedef struct {
    const char *token;          /* X-Auth-Token, or NULL for AK/SK */
    const char *sdk_date;       /* AK/SK: X-Sdk-Date */
    const char *project_hdr;    /* AK/SK: X-Project-Id, or NULL */
    const char *security_token; /* AK/SK: X-Security-Token, or NULL */
    const char *authorization;  /* AK/SK: the Authorization value */
    const char *version;        /* path's first segment, "v1.0" or "v2";
                                   NULL is "v1.0" */
} ges__auth_t;

/* The first path segment for a config's api_version (checked at init). */
static const char *ges__api_segment(ges_api_t v)
{
    return v == GES_API_V2 ? "v2" : "v1.0";
}

/* A dotted IPv4 address (four decimal parts 0..255, no leading zeros) or
 * an IPv6 address in RFC 4291 text (hex groups, one "::", an IPv4 tail; no
 * zone) into network-order bytes. Returns 4, 16, or 0 for anything else. */
static unsigned ges__ip4_parse(const char *s, uint8_t *out)
{
    unsigned part;
    for (part = 0; part < 4; part++) {
        unsigned v = 0, d = 0;
        if (part > 0 && *s++ != '.') return 0;
        while (d < 4 && ges__is_digit((unsigned char)s[d])) {
            v = v * 10 + (unsigned)(s[d] - '0');
            d++;
        }
        if (d == 0 || d > 3 || v > 255 || (d > 1 && s[0] == '0')) return 0;
        out[part] = (uint8_t)v;
        s += d;
    }
    return *s == '\0' ? 4 : 0;
}

static unsigned ges__ip_parse(const char *s, uint8_t out[16])
{
    /* groups written; where "::" stands (SIZE_MAX: nowhere; 8 is a place:
     * after eight groups, where it is refused below) */
    size_t ng = 0, gap = SIZE_MAX, k;
    if (strchr(s, ':') == NULL) return ges__ip4_parse(s, out);
    if (s[0] == ':' && s[1] != ':') return 0;
    if (s[0] == ':') { /* leading "::" */
        gap = 0;
        s += 2;
    }
    while (*s != '\0') {
        unsigned v = 0, d = 0;
        int h;
        if (ng == 8) return 0;
        while (d < 5 && (h = ges__hexval((unsigned char)s[d])) >= 0) {
            v = (v << 4) | (unsigned)h;
            d++;
        }
        if (s[d] == '.') { /* an IPv4 tail takes two groups */
            if (ng > 6 || ges__ip4_parse(s, out + 2 * ng) != 4) return 0;
            ng += 2;
            break;
        }
        if (d == 0 || d > 4) return 0;
        out[2 * ng] = (uint8_t)(v >> 8);
        out[2 * ng + 1] = (uint8_t)v;
        ng++;
        s += d;
        if (*s == '\0') break;
        if (*s++ != ':') return 0;
        if (*s == ':') {
            if (gap != SIZE_MAX) return 0; /* a second "::" */
            gap = ng;
            s++;
        } else if (*s == '\0') {
            return 0; /* a trailing single ':' */
        }
    }
    if (gap == SIZE_MAX) return ng == 8 ? 16 : 0;
    if (ng > 7) return 0; /* "::" stands for at least one group */
    /* move the groups after the gap to the end, zero the gap */
    for (k = ng; k > gap; k--) {
        out[2 * (8 - ng + k - 1)] = out[2 * (k - 1)];
        out[2 * (8 - ng + k - 1) + 1] = out[2 * (k - 1) + 1];
    }
    memset(out + 2 * gap, 0, 2 * (8 - ng));
    return 16;
}

/* "host" or "host:port" as the Host header says it (port omitted at 443),
 * an IPv6 address in brackets ("[::1]:8443"). `cap` holds any host of
 * GES_HOST_MAX bytes: GES__HOST_HDR_MAX. */
#define GES__HOST_HDR_MAX (GES_HOST_MAX + 9) /* "[" "]" ":65535" NUL */
static void ges__host_value(const char *host, unsigned port, char *out, size_t cap)
{
    char num[8];
    size_t i = sizeof num, n = strlen(host);
    int v6 = strchr(host, ':') != NULL;
    if (n + 2 * (size_t)v6 >= cap) n = cap - 1 - 2 * (size_t)v6; /* GCOVR_EXCL_BR_LINE: never true, host <= GES_HOST_MAX (checked at init) */
    if (v6) *out++ = '[';
    memcpy(out, host, n);
    if (v6) out[n++] = ']';
    if (port != 443) {
        do {
            num[--i] = (char)('0' + port % 10);
            port /= 10;
        } while (port);
        num[--i] = ':';
        if (n + sizeof num - i < cap) { /* GCOVR_EXCL_BR_LINE: always true: host <= GES_HOST_MAX, cap holds the port */
            memcpy(out + n, num + i, sizeof num - i);
            n += sizeof num - i;
        }
    }
    out[n] = '\0';
}

static void ges__wr_hdr(ges__wr_t *w, const char *name, const char *value)
{
    ges__wr_s(w, name);
    ges__wr_s(w, value);
    ges__wr_s(w, "\r\n");
}

/* The whole request. IDs were checked by ges__id_ok(), host and secrets at
 * init, so nothing here can break a line. */
static ges_err_t ges__write_request_auth(ges__wr_t *w, const char *host, unsigned port,
                                         const ges__auth_t *a, const char *project,
                                         const char *graph, const char *job)
{
    char hv[GES__HOST_HDR_MAX];
    GES_ASSERT(project != NULL && graph != NULL && job != NULL); /* any bytes: encoded */
    GES_ASSERT(a->token != NULL || (a->sdk_date != NULL && a->authorization != NULL));
    GES_ASSERT(host != NULL && strlen(host) <= GES_HOST_MAX);
    ges__host_value(host, port, hv, sizeof hv);
    ges__wr_s(w, "GET /");
    ges__wr_s(w, a->version != NULL ? a->version : "v1.0");
    ges__wr_s(w, "/");
    ges__wr_seg(w, project);
    ges__wr_s(w, "/graphs/");
    ges__wr_seg(w, graph);
    ges__wr_s(w, "/jobs/");
    ges__wr_seg(w, job);
    ges__wr_s(w, "/status HTTP/1.1\r\n");
    ges__wr_hdr(w, "Host: ", hv);
    ges__wr_s(w, "User-Agent: ges_job/" GES_VERSION_STRING
                 "\r\nAccept: application/json\r\nAccept-Encoding: identity\r\n");
    if (a->token != NULL) {
        ges__wr_hdr(w, "X-Auth-Token: ", a->token);
    } else {
        ges__wr_hdr(w, "X-Sdk-Date: ", a->sdk_date);
        if (a->project_hdr) ges__wr_hdr(w, "X-Project-Id: ", a->project_hdr);
        if (a->security_token) ges__wr_hdr(w, "X-Security-Token: ", a->security_token);
        ges__wr_hdr(w, "Authorization: ", a->authorization);
    }
    ges__wr_s(w, "\r\n");
    ges__wr_flush(w);
    return w->err;
}

/* The token flavour (what tests and fuzzers drive); `version` as in
 * ges__auth_t. */
static ges_err_t ges__write_request(ges__wr_t *w, const char *host, unsigned port,
                                    const char *version, const char *token,
                                    const char *project, const char *graph,
                                    const char *job)
{
    ges__auth_t a;
    memset(&a, 0, sizeof a);
    a.token = token;
    a.version = version;
    return ges__write_request_auth(w, host, port, &a, project, graph, job);
}

/* ------------------------------------------------------------------------- */
/* 4c. AK/SK request signing (SDK-HMAC-SHA256)                                */
/*                                                                           */
/* The canonical request is never built in memory: each part goes straight  */
/* into SHA-256 as it is produced, so signing needs a few hundred bytes of   */
/* stack whatever the lengths of the path, query or security token.          */
/* ------------------------------------------------------------------------- */
/* Where the canonical request goes: SHA-256, or a test's buffer. */
typedef struct {
    void (*put)(void *ctx, const char *s, size_t n);
    void *ctx;
} ges__emit_t;

static void ges__sha_str(const ges__emit_t *h, const char *s, size_t n)
{
    h->put(h->ctx, s, n);
}

static void ges__sha_put(void *ctx, const char *s, size_t n)
{
    (void)GES__SHA_UPDATE((mbedtls_sha256_context *)ctx, (const unsigned char *)s, n);
}

static void ges__hex(const unsigned char *b, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = hx[b[i] >> 4];
        out[2 * i + 1] = hx[b[i] & 15];
    }
}

/* Percent-decode one byte of s[0..n) at *i (a malformed escape is taken
 * literally, as the reference signers do). */
static unsigned char ges__pct_next(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c == '%' && *i + 2 < n && ges__hexval((unsigned char)s[*i + 1]) >= 0 &&
        ges__hexval((unsigned char)s[*i + 2]) >= 0) {
        c = (unsigned char)(ges__hexval((unsigned char)s[*i + 1]) * 16 +
                            ges__hexval((unsigned char)s[*i + 2]));
        *i += 3;
        return c;
    }
    (*i)++;
    return c;
}

/* Hash s[0..n) percent-encoded outside A-Za-z0-9-_.~ (upper-case hex);
 * decoded first when `decode`. */
static void ges__sha_enc(const ges__emit_t *h, const char *s, size_t n, int decode)
{
    size_t i = 0;
    char e[3];
    while (i < n) {
        unsigned char c = decode ? ges__pct_next(s, n, &i) : (unsigned char)s[i++];
        ges__sha_str(h, e, ges__pct_byte(c, e));
    }
}

/* Compare two percent-encoded strings by their decoded bytes. */
static int ges__pct_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    while (i < an && j < bn) {
        unsigned char x = ges__pct_next(a, an, &i), y = ges__pct_next(b, bn, &j);
        if (x != y) return x < y ? -1 : 1;
    }
    return (i < an) - (j < bn);
}

/* HMAC-SHA256 (RFC 2104) over one message, without mbedtls_md (which
 * allocates its context). The padded key is wiped. */
static void ges__hmac(const unsigned char *key, size_t klen, const unsigned char *msg,
                      size_t mlen, unsigned char out[32])
{
    unsigned char k[64], pad[64];
    mbedtls_sha256_context h;
    size_t i;
    GES_ASSERT((key != NULL || klen == 0) && msg != NULL && out != NULL);
    memset(k, 0, sizeof k);
    mbedtls_sha256_init(&h);
    if (klen > sizeof k) {
        (void)GES__SHA_START(&h);
        (void)GES__SHA_UPDATE(&h, key, klen);
        (void)GES__SHA_FINISH(&h, k);
    } else if (klen > 0) {
        memcpy(k, key, klen);
    }
    for (i = 0; i < 64; i++) pad[i] = (unsigned char)(k[i] ^ 0x36);
    (void)GES__SHA_START(&h);
    (void)GES__SHA_UPDATE(&h, pad, 64);
    (void)GES__SHA_UPDATE(&h, msg, mlen);
    (void)GES__SHA_FINISH(&h, out);
    for (i = 0; i < 64; i++) pad[i] = (unsigned char)(k[i] ^ 0x5c);
    (void)GES__SHA_START(&h);
    (void)GES__SHA_UPDATE(&h, pad, 64);
    (void)GES__SHA_UPDATE(&h, out, 32);
    (void)GES__SHA_FINISH(&h, out);
    mbedtls_sha256_free(&h);
    ges__wipe(k, sizeof k);
    ges__wipe(pad, sizeof pad);
}

#define GES__SIGN_MAX_HEADERS GES_SIGN_HEADERS_MAX
#define GES__SIGN_MAX_QUERY GES_SIGN_QUERY_MAX
#define GES__SIGN_MAX_SEGMENTS GES_SIGN_SEGMENTS_MAX

/* The headers to sign: host, x-sdk-date and the caller's, sorted by name
 * (case folded) into hd[0..*nh); `fixed` holds the first two. */
static ges_err_t ges__canon_headers(const ges_sign_request_t *r, const ges_sign_header_t **hd,
                                    ges_sign_header_t fixed[2], size_t *nh)
{
    size_t n = 0, i, j;
    if (r->n_headers > GES__SIGN_MAX_HEADERS) return GES_ERR_INVALID_ARG;
    fixed[0].name = "host";
    fixed[0].value = r->host;
    fixed[1].name = "x-sdk-date";
    fixed[1].value = r->sdk_date;
    if (r->host != NULL) hd[n++] = &fixed[0];
    hd[n++] = &fixed[1];
    for (i = 0; i < r->n_headers; i++) {
        if (r->headers[i].name == NULL || r->headers[i].value == NULL) return GES_ERR_INVALID_ARG;
        hd[n++] = &r->headers[i];
    }
    for (i = 1; i < n; i++) { /* insertion sort: at most 10 */
        const ges_sign_header_t *x = hd[i];
        for (j = i; j > 0 && ges__icmp(hd[j - 1]->name, x->name, SIZE_MAX) > 0; j--) hd[j] = hd[j - 1];
        hd[j] = x;
    }
    *nh = n;
    return GES_OK;
}

/* One query parameter: spans of the request's query string. */
typedef struct {
    const char *k, *v;
    size_t kn, vn;
} ges__qparam_t;

/* The "k=v" pieces between '&'s of `query` (empty pieces skipped), sorted
 * by decoded key, then decoded value, into q[0..*nq). */
static ges_err_t ges__canon_query(const char *query, ges__qparam_t *q, size_t *nq)
{
    const char *s = query;
    size_t n = 0;
    while (s != NULL && *s) {
        const char *amp = strchr(s, '&'), *eq;
        size_t len = amp ? (size_t)(amp - s) : strlen(s), j;
        ges__qparam_t x;
        x.k = s;
        s += len + (amp != NULL);
        if (len == 0) continue;
        if (n == GES__SIGN_MAX_QUERY) return GES_ERR_INVALID_ARG;
        eq = (const char *)memchr(x.k, '=', len);
        x.kn = eq ? (size_t)(eq - x.k) : len;
        x.v = eq ? eq + 1 : x.k + len;
        x.vn = eq ? len - x.kn - 1 : 0;
        for (j = n; j > 0; j--) { /* insertion sort */
            int c = ges__pct_cmp(q[j - 1].k, q[j - 1].kn, x.k, x.kn);
            if (c < 0 || (c == 0 && ges__pct_cmp(q[j - 1].v, q[j - 1].vn, x.v, x.vn) <= 0)) break;
            q[j] = q[j - 1];
        }
        q[j] = x;
        n++;
    }
    *nq = n;
    return GES_OK;
}

/* A header name, in lower case. */
static void ges__emit_lower(const ges__emit_t *h, const char *name)
{
    for (; *name; name++) {
        char lc = (char)ges__lower((unsigned char)*name);
        ges__sha_str(h, &lc, 1);
    }
}

/* The canonical request's last part: the caller's own payload hash (e.g.
 * "UNSIGNED-PAYLOAD", as the official SDKs and the gateway take it), else
 * the hex SHA-256 of the body (of nothing, for a GET). */
static void ges__canon_payload(const ges_sign_request_t *r, const ges__emit_t *h)
{
    mbedtls_sha256_context b;
    unsigned char dig[32];
    char hx[64];
    size_t i;
    for (i = 0; i < r->n_headers; i++) {
        if (ges__icmp(r->headers[i].name, "x-sdk-content-sha256", SIZE_MAX) == 0) {
            ges__sha_str(h, r->headers[i].value, strlen(r->headers[i].value));
            return;
        }
    }
    mbedtls_sha256_init(&b);
    (void)GES__SHA_START(&b);
    if (r->body_len) (void)GES__SHA_UPDATE(&b, r->body, r->body_len);
    (void)GES__SHA_FINISH(&b, dig);
    mbedtls_sha256_free(&b);
    ges__hex(dig, 32, hx);
    ges__sha_str(h, hx, 64);
}

/* The canonical request of `r`, emitted piece by piece to `h`; the signed
 * header names, sorted, go to hd[0..*nhp). The path comes as segments: raw
 * ones (the client's IDs) are encoded, the public API's (from a wire path)
 * decoded first. Six parts, each ended by a newline but the last: method,
 * path, query, headers (one "name:value" line each), signed header names,
 * payload hash. */
static ges_err_t ges__canon(const ges_sign_request_t *r, const char *const *seg,
                            const size_t *seglen, size_t nseg, int seg_decode,
                            const ges__emit_t *h, const ges_sign_header_t **hd,
                            ges_sign_header_t *fixed, size_t *nhp)
{
    ges__qparam_t q[GES__SIGN_MAX_QUERY];
    size_t nh = 0, nq = 0, i;
    ges_err_t e;
    GES_ASSERT(r->method != NULL && r->sdk_date != NULL && nseg <= GES__SIGN_MAX_SEGMENTS);
    GES_ASSERT(h != NULL && h->put != NULL && (r->body != NULL || r->body_len == 0));
    e = ges__canon_headers(r, hd, fixed, &nh);
    if (e == GES_OK) e = ges__canon_query(r->query, q, &nq);
    if (e != GES_OK) return e;

    ges__sha_str(h, r->method, strlen(r->method));
    ges__sha_str(h, "\n", 1);
    for (i = 0; i < nseg; i++) {
        ges__sha_str(h, "/", 1);
        ges__sha_enc(h, seg[i], seglen[i], seg_decode);
    }
    ges__sha_str(h, "/\n", 2); /* the trailing slash only the signature sees */
    for (i = 0; i < nq; i++) {
        if (i) ges__sha_str(h, "&", 1);
        ges__sha_enc(h, q[i].k, q[i].kn, 1);
        ges__sha_str(h, "=", 1);
        ges__sha_enc(h, q[i].v, q[i].vn, 1);
    }
    ges__sha_str(h, "\n", 1);
    for (i = 0; i < nh; i++) { /* values trimmed of spaces and tabs */
        const char *v = hd[i]->value, *end;
        ges__emit_lower(h, hd[i]->name);
        ges__sha_str(h, ":", 1);
        while (*v == ' ' || *v == '\t') v++;
        end = v + strlen(v);
        while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
        ges__sha_str(h, v, (size_t)(end - v));
        ges__sha_str(h, "\n", 1);
    }
    ges__sha_str(h, "\n", 1);
    for (i = 0; i < nh; i++) {
        if (i) ges__sha_str(h, ";", 1);
        ges__emit_lower(h, hd[i]->name);
    }
    ges__sha_str(h, "\n", 1);
    ges__canon_payload(r, h);
    *nhp = nh;
    return GES_OK;
}

/* Sign: hash the canonical request, HMAC the string to sign, write the
 * Authorization value. */
static ges_err_t ges__sign(const ges_sign_request_t *r, const char *const *seg,
                           const size_t *seglen, size_t nseg, int seg_decode,
                           char *auth, size_t cap, size_t *auth_len)
{
    const ges_sign_header_t *hd[GES__SIGN_MAX_HEADERS + 2];
    ges_sign_header_t fixed[2];
    mbedtls_sha256_context sha;
    ges__emit_t h;
    size_t nh = 0, i, j, need;
    unsigned char dig[32];
    char sts[15 + 1 + 16 + 1 + 64]; /* algorithm, date, hash: no NUL */
    static const char algo[] = "SDK-HMAC-SHA256";
    ges_err_t err;

    GES_ASSERT(r->ak != NULL && r->sk != NULL && auth != NULL);
    if (strlen(r->sdk_date) != 16) return GES_ERR_INVALID_ARG;
    mbedtls_sha256_init(&sha);
    (void)GES__SHA_START(&sha);
    h.put = ges__sha_put;
    h.ctx = &sha;
    err = ges__canon(r, seg, seglen, nseg, seg_decode, &h, hd, fixed, &nh);
    (void)GES__SHA_FINISH(&sha, dig);
    mbedtls_sha256_free(&sha);
    if (err != GES_OK) return err;

    /* StringToSign and the signature. */
    memcpy(sts, algo, 15); /* NOLINT(bugprone-not-null-terminated-result): sts is counted, never NUL-terminated */
    sts[15] = '\n';
    memcpy(sts + 16, r->sdk_date, 16);
    sts[32] = '\n';
    ges__hex(dig, 32, sts + 33);
    ges__hmac((const unsigned char *)r->sk, strlen(r->sk), (const unsigned char *)sts,
              sizeof sts, dig);

    /* "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex" */
    need = 15 + 8 + strlen(r->ak) + 16 + 12 + 64; /* without the NUL */
    for (i = 0; i < nh; i++) need += strlen(hd[i]->name) + (i > 0);
    if (need + 1 > cap) {
        ges__wipe(dig, sizeof dig);
        return GES_ERR_BUFFER_TOO_SMALL;
    }
    j = 0;
#define GES__PUT(s, n) (memcpy(auth + j, (s), (n)), j += (n))
    GES__PUT(algo, 15);
    GES__PUT(" Access=", 8);
    GES__PUT(r->ak, strlen(r->ak));
    GES__PUT(", SignedHeaders=", 16);
    for (i = 0; i < nh; i++) {
        const char *e;
        if (i) auth[j++] = ';';
        for (e = hd[i]->name; *e; e++) auth[j++] = (char)ges__lower((unsigned char)*e);
    }
    GES__PUT(", Signature=", 12);
    ges__hex(dig, 32, auth + j);
    j += 64;
#undef GES__PUT
    auth[j] = '\0';
    if (auth_len) *auth_len = j;
    ges__wipe(dig, sizeof dig);
    return GES_OK;
}

/* see ges_job.h */
ges_err_t ges_sdk_date(int64_t utc_seconds, char out[17])
{
    int64_t days, z, era, y;
    unsigned doe, yoe, doy, mp, d, m, sec;
    if (out == NULL) return GES_ERR_INVALID_ARG;
    out[0] = '\0';
    if (utc_seconds < 0 || utc_seconds > 253402300799) return GES_ERR_INVALID_ARG; /* 1970..9999 */
    days = utc_seconds / 86400;
    sec = (unsigned)(utc_seconds % 86400);
    /* civil_from_days, the inverse of ges__days_from_civil: Howard
     * Hinnant, "chrono-Compatible Low-Level Date Algorithms" (eras of
     * 400 years, years counted from March 1) */
    z = days + 719468;
    era = z / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    {
        unsigned v[7], i;
        char *o = out;
        v[0] = (unsigned)(y / 100);
        v[1] = (unsigned)(y % 100);
        v[2] = m;
        v[3] = d;
        v[4] = sec / 3600;
        v[5] = sec / 60 % 60;
        v[6] = sec % 60;
        for (i = 0; i < 7; i++) {
            if (i == 4) *o++ = 'T';
            *o++ = (char)('0' + v[i] / 10);
            *o++ = (char)('0' + v[i] % 10);
        }
        *o++ = 'Z';
        *o = '\0';
    }
    return GES_OK;
}

/* see ges_job.h */
ges_err_t ges_sign_request(const ges_sign_request_t *r, char *auth, size_t cap,
                           size_t *auth_len)
{
    const char *seg[GES__SIGN_MAX_SEGMENTS];
    size_t seglen[GES__SIGN_MAX_SEGMENTS], nseg = 0;
    const char *p;
    if (auth != NULL && cap > 0) auth[0] = '\0';
    if (r == NULL || auth == NULL || r->method == NULL || r->path == NULL ||
        r->path[0] != '/' || r->sdk_date == NULL || r->ak == NULL || r->sk == NULL ||
        (r->body == NULL && r->body_len != 0) || (r->headers == NULL && r->n_headers != 0)) {
        return GES_ERR_INVALID_ARG;
    }
    /* "/a/b/" splits into a, b (the trailing slash is added back). */
    for (p = r->path + 1; *p;) {
        const char *sl = strchr(p, '/');
        size_t n = sl ? (size_t)(sl - p) : strlen(p);
        if (nseg == GES__SIGN_MAX_SEGMENTS) return GES_ERR_INVALID_ARG;
        seg[nseg] = p;
        seglen[nseg++] = n;
        p += n + (sl != NULL);
    }
    return ges__sign(r, seg, seglen, nseg, 1, auth, cap, auth_len);
}

/* ------------------------------------------------------------------------- */
/* 5. Port and TLS glue, client                                               */
/* ------------------------------------------------------------------------- */
/* The time arithmetic, in two functions. now_ms wraps (every 49.7 days),
 * so instants are compared by their signed distance, never by <.
 *
 * Milliseconds from `now` until the instant `end`, 0 once it passed. */
static uint32_t ges__until(uint32_t end, uint32_t now)
{
    int32_t d = (int32_t)(end - now);
    return d > 0 ? (uint32_t)d : 0;
}

/* What is left of `total` ms after `spent` by the clock and `stood` counted
 * while the clock stood still (0 once it is over). A clock that went back
 * has spent nothing. */
static uint32_t ges__wait_left(uint32_t spent, uint32_t stood, uint32_t total)
{
    if ((int32_t)spent < 0) spent = 0;
    if (spent >= total || stood >= total - spent) return 0;
    return total - spent - stood;
}

/* Milliseconds left before the request's deadline (0 once it passed). */
static uint32_t ges__left(const ges_client_t *c)
{
    uint32_t now = c->cfg.platform->now_ms(c->cfg.platform->ctx);
    return ges__until(c->deadline, now);
}

/* Tell the progress hook where the call is (see ges_client_config_t). */
static void ges__progress(const ges_client_t *c, ges_phase_t ph, uint32_t left)
{
    if (c->cfg.on_progress != NULL) c->cfg.on_progress(c->cfg.progress_ctx, ph, left);
}

/* The slice one port call may wait: the time left, at most
 * GES_WAIT_SLICE_MS, so the hook is called again soon enough. */
static uint32_t ges__slice(uint32_t left)
{
    return left < GES_WAIT_SLICE_MS ? left : GES_WAIT_SLICE_MS;
}

/* One port send or receive, waited in slices: until bytes move, the port
 * fails or the deadline passes, the hook hears from us before every
 * slice. GES_PORT_TIMEOUT means no byte moved in any slice, so a slice
 * that timed out is simply tried again (see port/README.md). As in
 * ges__sleep(), slices that timed out while now_ms stood still count as
 * time: a frozen clock cannot make a silent peer wait for ever. */
static int ges__sliced_io(ges_client_t *c, unsigned char *rbuf, const unsigned char *sbuf,
                          size_t len)
{
    const ges_port_t *pt = c->cfg.platform;
    uint32_t still = 0; /* ms of slices that timed out with the clock standing */
    GES_ASSERT(c->connected && (rbuf == NULL) != (sbuf == NULL));
    for (;;) {
        uint32_t left = ges__left(c), slice, before;
        int r;
        if (ges__wait_left(0, still, left) == 0) return GES_PORT_TIMEOUT;
        ges__progress(c, (ges_phase_t)c->phase, left);
        if (c->cancel) return GES_PORT_CANCELLED; /* the hook may have set it */
        slice = ges__slice(ges__wait_left(0, still, left));
        before = pt->now_ms(pt->ctx);
        r = rbuf != NULL ? pt->net_recv(pt->ctx, c->sock, rbuf, len, slice)
                         : pt->net_send(pt->ctx, c->sock, sbuf, len, slice);
        if (r != GES_PORT_TIMEOUT || slice == left) return r;
        still = pt->now_ms(pt->ctx) == before ? still + slice : 0;
    }
}

/* mbedTLS BIO callbacks over the port: every call gets the time left, in
 * slices (ges__sliced_io). They block (within the deadline), so mbedTLS
 * never answers WANT_READ or WANT_WRITE through them; the loops below
 * still accept those codes (an mbedTLS built with asynchronous operations
 * may return them), bounded by the deadline, all through ges__tls_again()
 * (which test_keepalive drives directly). */
static int ges__bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    ges_client_t *c = (ges_client_t *)ctx;
    int r = ges__sliced_io(c, NULL, buf, len);
    if (r > 0) return r;
    c->net_status = r == GES_PORT_TIMEOUT || r == GES_PORT_CANCELLED ? r : GES_PORT_ERROR;
    c->send_failed = 1;
    return r == GES_PORT_TIMEOUT ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int ges__bio_recv(void *ctx, unsigned char *buf, size_t len,
                         uint32_t timeout_unused)
{
    ges_client_t *c = (ges_client_t *)ctx;
    const ges_port_t *pt = c->cfg.platform;
    int r;
    (void)timeout_unused; /* the request's deadline rules, not mbedTLS's */
    if (c->probing) {
        /* ges__idle(): look without waiting; any answer but "nothing yet"
         * (a byte, the peer's FIN, an error) means the connection is not
         * idle and will be closed, so nothing read here is ever used. */
        r = pt->net_recv(pt->ctx, c->sock, buf, len, 0);
        if (r == GES_PORT_TIMEOUT) return MBEDTLS_ERR_SSL_WANT_READ;
        c->probe_got = 1;
        return r >= 0 ? r : MBEDTLS_ERR_NET_RECV_FAILED;
    }
    r = ges__sliced_io(c, buf, NULL, len);
    if (r >= 0) return r; /* 0: closed, mbedTLS reports CONN_EOF */
    c->net_status = r == GES_PORT_TIMEOUT || r == GES_PORT_CANCELLED ? r : GES_PORT_ERROR;
    c->send_failed = 0;
    return r == GES_PORT_TIMEOUT ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_RECV_FAILED;
}

static int ges__rng_entropy(void *ctx, unsigned char *buf, size_t len)
{
    const ges_port_t *pt = ((ges_client_t *)ctx)->cfg.platform;
    return pt->entropy(pt->ctx, buf, len) == 0 ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

static int64_t ges__x509_epoch(const mbedtls_x509_time *t)
{
    return ges__days_from_civil(t->year, (unsigned)t->mon, (unsigned)t->day) * 86400 +
           (int64_t)t->hour * 3600 + (int64_t)t->min * 60 + t->sec;
}

/* Certificate dates by our clock, not mbedTLS's: devices without a
 * real-time clock give a floor instead (see ges_client_config_t). */
static int ges__verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    ges_client_t *c = (ges_client_t *)ctx;
    const ges_port_t *pt = c->cfg.platform;
    int64_t now = pt->wall_clock ? pt->wall_clock(pt->ctx) : -1;
    uint8_t ip[16];
    unsigned n = depth == 0 ? ges__ip_parse(c->host, ip) : 0;
    if (n != 0) {
        /* An address endpoint: the leaf must list it as an iPAddress
         * (RFC 5280 4.2.1.6; tag [7], 4 or 16 bytes). mbedTLS 2.28 has no
         * such check and 3.6 does it only through set_hostname, which would
         * also send the address as SNI; this one serves both. */
        const mbedtls_x509_sequence *san = &crt->subject_alt_names;
        int found = 0;
        do {
            found = san->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) &&
                    san->buf.len == n && memcmp(san->buf.p, ip, n) == 0;
            san = san->next;
        } while (san != NULL && !found);
        if (!found) *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    }
    *flags &= ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
    if (now >= 0) {
        if (now > ges__x509_epoch(&crt->valid_to)) *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
        if (now < ges__x509_epoch(&crt->valid_from)) *flags |= MBEDTLS_X509_BADCERT_FUTURE;
    } else if (c->cfg.time_floor > 0 &&
               c->cfg.time_floor > ges__x509_epoch(&crt->valid_to)) {
        *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
    }
    return 0;
}

/* Keep the connection's session, so the next connection can resume it. */
static void ges__save_session(ges_client_t *c)
{
    mbedtls_ssl_session_free(&c->session);
    mbedtls_ssl_session_init(&c->session);
    c->has_session = mbedtls_ssl_get_session(&c->ssl, &c->session) == 0;
}

/* After an mbedTLS call answered r: 1 if it is to be called again
 * (WANT_READ or WANT_WRITE, and time is left); 0 otherwise, with a WANT
 * past the deadline turned into MBEDTLS_ERR_SSL_TIMEOUT. Our BIO blocks,
 * so the WANT codes come only from an mbedTLS built with asynchronous
 * operations (or from a TLS 1.3 ticket, see ges__read_response). */
static int ges__tls_again(const ges_client_t *c, int *r)
{
    if (*r != MBEDTLS_ERR_SSL_WANT_READ && *r != MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
    if (ges__left(c) > 0) return 1;
    *r = MBEDTLS_ERR_SSL_TIMEOUT;
    return 0;
}

static void ges__disconnect(ges_client_t *c)
{
    if (!c->connected) return;
    c->cfg.platform->net_close(c->cfg.platform->ctx, c->sock);
    c->connected = 0;
}

/* Map a failed mbedTLS call, looking first at what the port said: a port
 * error is the send's or the receive's that failed (during a handshake
 * either can). */
static ges_err_t ges__tls_fail(ges_client_t *c, int r)
{
    c->tls_err = r;
    if (c->net_status == GES_PORT_CANCELLED) return GES_ERR_CANCELLED;
    if (c->net_status == GES_PORT_TIMEOUT || r == MBEDTLS_ERR_SSL_TIMEOUT) return GES_ERR_TIMEOUT;
    if (c->net_status == GES_PORT_ERROR) return c->send_failed ? GES_ERR_NET_SEND : GES_ERR_NET_RECV;
    if (r == MBEDTLS_ERR_SSL_CONN_EOF) return GES_ERR_NET_CLOSED;
    return GES_ERR_TLS;
}

/* net_connect_tick's tick: the hook hears the port's phase, and the port
 * hears of a cancel. */
static int ges__tick(void *arg, int phase)
{
    ges_client_t *c = (ges_client_t *)arg;
    ges__progress(c, (ges_phase_t)phase, ges__left(c));
    return c->cancel != 0;
}

/* A request writer into the client's I/O buffer, flushed into `sink`. */
static void ges__wr_start(ges__wr_t *w, ges_client_t *c,
                          ges_err_t (*sink)(void *ctx, const unsigned char *p, size_t n))
{
    w->sink = sink;
    w->ctx = c;
    w->buf = c->cfg.io_buf;
    w->cap = c->cfg.io_buf_len;
    w->len = 0;
    w->err = GES_OK;
}

#if GES_PROXY
/* ------------------------------------------------------------------------- */
/* 5a. HTTP CONNECT proxy                                                     */
/*                                                                           */
/* After the TCP connect to the proxy and before the handshake: CONNECT,    */
/* then the proxy's answer, read one byte per port call up to its blank      */
/* line and never further (the server's TLS bytes may follow in the same    */
/* segment, and they belong to mbedTLS). Every wait goes through            */
/* ges__sliced_io: the request's deadline, GES_PHASE_PROXY, cancellation.    */
/* ------------------------------------------------------------------------- */
/* The proxy's answer head, fed byte by byte. */
typedef struct {
    uint32_t n;    /* head bytes so far, 1xx answers included */
    int status;    /* status of the answer being read, 0 before its line */
    uint16_t pos;  /* bytes in the current line, CRs left out */
    char line[13]; /* the status line's start: "HTTP/1.x NNN " */
} ges__phead_t;

/* GES__AGAIN while the head goes on; at its blank line GES_OK (2xx) or
 * GES_ERR_PROXY; GES_ERR_HTTP for a first line that is not
 * "HTTP/1.x NNN[ reason]"; GES_ERR_HTTP_HEADERS_TOO_LARGE past
 * GES_PROXY_HEAD_MAX. A 1xx is interim: the next answer follows. Header
 * lines are not looked at: a 2xx to CONNECT has no body whatever
 * Content-Length or Transfer-Encoding say (RFC 9110 9.3.6). */
static ges_err_t ges__phead_byte(ges__phead_t *h, unsigned char b)
{
    const char *l = h->line;
    if (++h->n > GES_PROXY_HEAD_MAX) return GES_ERR_HTTP_HEADERS_TOO_LARGE;
    if (b == '\r') return GES__AGAIN;
    if (b != '\n') {
        if (h->status == 0 && h->pos < sizeof h->line) h->line[h->pos] = (char)b;
        if (h->pos < 0xFFFFu) h->pos++; /* GCOVR_EXCL_BR_LINE: false only with GES_PROXY_HEAD_MAX 65536, the maximum */
        return GES__AGAIN;
    }
    if (h->status == 0) { /* the status line ends */
        h->status = ges__status_code(l, h->pos);
        if (h->status < 0) {
            h->status = 0;
            return GES_ERR_HTTP;
        }
    } else if (h->pos == 0) { /* the blank line */
        if (h->status < 200) {
            h->status = 0; /* interim: the next answer follows */
            return GES__AGAIN;
        }
        return h->status < 300 ? GES_OK : GES_ERR_PROXY;
    }
    h->pos = 0;
    return GES__AGAIN;
}

/* Credentials for the Basic scheme: both or neither, no control bytes,
 * no ':' in the user (RFC 7617 2). */
static int ges__pcred_ok(const char *s, int user)
{
    size_t n;
    for (n = 0; s[n]; n++) {
        unsigned char b = (unsigned char)s[n];
        if (b < 0x20 || b == 0x7F || (user && b == ':')) return 0;
    }
    return n <= GES_PROXY_CRED_MAX;
}

/* base64(user ":" password), streamed through the writer in 4-character
 * groups; nothing of it stays on the stack. */
static void ges__wr_b64(ges__wr_t *w, const char *user, const char *pass)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *part[3];
    unsigned char g[3];
    char o[4];
    size_t k = 0, i;
    part[0] = user;
    part[1] = ":";
    part[2] = pass;
    for (i = 0; i < 3; i++) {
        const char *p;
        for (p = part[i]; *p; p++) {
            g[k++] = (unsigned char)*p;
            if (k < 3) continue;
            o[0] = tab[g[0] >> 2];
            o[1] = tab[((g[0] & 3) << 4) | (g[1] >> 4)];
            o[2] = tab[((g[1] & 15) << 2) | (g[2] >> 6)];
            o[3] = tab[g[2] & 63];
            ges__wr(w, o, 4);
            k = 0;
        }
    }
    if (k > 0) { /* 1 or 2 bytes left: padded with '=' */
        if (k == 1) g[1] = 0;
        o[0] = tab[g[0] >> 2];
        o[1] = tab[((g[0] & 3) << 4) | (g[1] >> 4)];
        o[2] = '=';
        if (k == 2) o[2] = tab[(g[1] & 15) << 2];
        o[3] = '=';
        ges__wr(w, o, 4);
    }
    ges__wipe(g, sizeof g);
    ges__wipe(o, sizeof o);
}

/* "CONNECT host:port HTTP/1.1", Host of the same value (the port always
 * given, an IPv6 address in brackets), Proxy-Authorization when a user
 * is set. */
static ges_err_t ges__write_connect(ges__wr_t *w, const char *host, unsigned port,
                                    const char *user, const char *pass)
{
    char hp[GES__HOST_HDR_MAX];
    size_t n, d;
    unsigned v;
    ges__host_value(host, 443, hp, sizeof hp - 6); /* the host alone, ":65535" fits after */
    n = strlen(hp);
    hp[n++] = ':';
    for (d = 1, v = port; v >= 10; v /= 10) d++; /* digits */
    hp[n + d] = '\0';
    for (v = port; d > 0; v /= 10) hp[n + --d] = (char)('0' + v % 10);
    ges__wr_s(w, "CONNECT ");
    ges__wr_s(w, hp);
    ges__wr_s(w, " HTTP/1.1\r\n");
    ges__wr_hdr(w, "Host: ", hp);
    if (user != NULL) {
        ges__wr_s(w, "Proxy-Authorization: Basic ");
        ges__wr_b64(w, user, pass);
        ges__wr_s(w, "\r\n");
    }
    ges__wr_s(w, "\r\n");
    ges__wr_flush(w);
    return w->err;
}

/* A port status (not bytes) as the call's error. */
static ges_err_t ges__port_err(int r, ges_err_t other)
{
    if (r == GES_PORT_TIMEOUT) return GES_ERR_TIMEOUT;
    if (r == GES_PORT_CANCELLED) return GES_ERR_CANCELLED;
    return other;
}

/* The writer's sink before TLS: the socket itself, in slices. */
static ges_err_t ges__raw_sink(void *ctx, const unsigned char *p, size_t n)
{
    ges_client_t *c = (ges_client_t *)ctx;
    size_t off = 0;
    while (off < n) {
        int r = ges__sliced_io(c, NULL, p + off, n - off);
        if (r <= 0) return ges__port_err(r, GES_ERR_NET_SEND);
        off += (size_t)r;
    }
    return GES_OK;
}

/* The CONNECT exchange on the fresh connection to the proxy. */
static ges_err_t ges__proxy_tunnel(ges_client_t *c)
{
    ges__phead_t h;
    ges__wr_t w;
    ges_err_t e;
    c->phase = GES_PHASE_PROXY;
    ges__wr_start(&w, c, ges__raw_sink);
    e = ges__write_connect(&w, c->host, c->cfg.port, c->cfg.proxy_user, c->cfg.proxy_password);
    ges__wipe(c->cfg.io_buf, c->cfg.io_buf_len); /* it held the credentials */
    if (e != GES_OK) return e;
    memset(&h, 0, sizeof h);
    do {
        unsigned char b;
        int r = ges__sliced_io(c, &b, NULL, 1); /* one byte: never past the head */
        if (r == 0) return GES_ERR_NET_CLOSED;
        if (r < 0) return ges__port_err(r, GES_ERR_NET_RECV);
        e = ges__phead_byte(&h, b);
    } while (e == GES__AGAIN);
    if (e == GES_OK || e == GES_ERR_PROXY) c->proxy_status = h.status;
    return e;
}
#endif /* GES_PROXY */

static ges_err_t ges__connect(ges_client_t *c)
{
    const ges_port_t *pt = c->cfg.platform;
    uint32_t left = ges__left(c);
    const char *host = c->host; /* where the TCP connection goes */
    uint16_t port = c->cfg.port;
    int r;
    GES_ASSERT(c->initialised && !c->connected);
    c->net_status = 0;
    c->cert_flags = 0;
    /* (ges__get_status answers a cancel just before; this one is
     * defensive, so that no caller can start a connection after one) */
    if (c->cancel) return GES_ERR_CANCELLED; /* GCOVR_EXCL_BR_LINE: true only by a thread or signal since ges__get_status looked */
    if (left == 0) return GES_ERR_TIMEOUT;
#if GES_PROXY
    if (c->proxy_host[0] != '\0') {
        host = c->proxy_host;
        port = c->cfg.proxy_port;
        c->proxy_status = 0; /* until the proxy answers this connection */
    }
#endif
    if (pt->net_connect_tick != NULL) {
        r = pt->net_connect_tick(pt->ctx, host, port, left, &c->sock, ges__tick, c);
    } else {
        ges__progress(c, GES_PHASE_RESOLVING, left); /* the port does both */
        if (c->cancel) return GES_ERR_CANCELLED;
        r = pt->net_connect(pt->ctx, host, port, left, &c->sock);
    }
    if (r != 0) {
        if (r == GES_PORT_CANCELLED || c->cancel) return GES_ERR_CANCELLED;
        return r == GES_PORT_TIMEOUT ? GES_ERR_TIMEOUT : GES_ERR_NET_CONNECT;
    }
    c->connected = 1;
#if GES_PROXY
    if (c->proxy_host[0] != '\0') {
        ges_err_t e = ges__proxy_tunnel(c);
        if (e != GES_OK) {
            ges__disconnect(c);
            return e;
        }
    }
#endif
    c->phase = GES_PHASE_HANDSHAKING;
    r = mbedtls_ssl_session_reset(&c->ssl);
    /* GCOVR_EXCL_BR_START: the reset fails (r != 0) only when mbedTLS cannot
     * allocate its handshake (make test-faults takes that); the BIOs block,
     * so ges__tls_again() is never true here. */
    if (r == 0 && c->has_session) (void)mbedtls_ssl_set_session(&c->ssl, &c->session);
    if (r == 0) {
        do {
            r = mbedtls_ssl_handshake(&c->ssl);
        } while (ges__tls_again(c, &r));
    }
    /* GCOVR_EXCL_BR_STOP */
    if (r != 0) {
        ges_err_t e;
        c->cert_flags = mbedtls_ssl_get_verify_result(&c->ssl);
        if (c->cert_flags == (uint32_t)-1) c->cert_flags = 0; /* GCOVR_EXCL_BR_LINE: -1 only after the out-of-memory reset above */
        e = r == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED ? GES_ERR_TLS_CERT
                                                     : ges__tls_fail(c, r);
        c->tls_err = r;
        ges__disconnect(c);
        return e;
    }
    ges__save_session(c);
    return GES_OK;
}

/* UTC seconds for X-Sdk-Date: the server's time once adopted (carried on
 * by the monotonic clock), else the port's wall clock, else the floor. */
static int64_t ges__utc_now(const ges_client_t *c)
{
    const ges_port_t *pt = c->cfg.platform;
    int64_t t;
    if (c->has_time_base) {
        return c->time_base + (int64_t)((uint32_t)(pt->now_ms(pt->ctx) - c->time_base_ms) / 1000u);
    }
    t = pt->wall_clock ? pt->wall_clock(pt->ctx) : -1;
    return t >= 0 ? t : c->cfg.time_floor;
}

static ges_err_t ges__tls_sink(void *ctx, const unsigned char *p, size_t n)
{
    ges_client_t *c = (ges_client_t *)ctx;
    size_t off = 0;
    while (off < n) {
        int r = mbedtls_ssl_write(&c->ssl, p + off, n - off);
        if (r > 0) {
            off += (size_t)r;
        } else if (!ges__tls_again(c, &r)) { /* GCOVR_EXCL_BR_LINE: the BIOs block: no WANT_WRITE */
            return ges__tls_fail(c, r);
        }
    }
    return GES_OK;
}

static ges_err_t ges__send_request(ges_client_t *c, const char *project,
                                   const char *graph, const char *job)
{
    ges__wr_t w;
    ges_err_t e;
    GES_ASSERT(c->connected && c->cfg.io_buf_len >= GES_IO_BUF_MIN);
    c->phase = GES_PHASE_SENDING;
    ges__wr_start(&w, c, ges__tls_sink);
    if (c->cfg.token != NULL) {
        e = ges__write_request(&w, c->host, c->cfg.port,
                               ges__api_segment(c->cfg.api_version), c->cfg.token,
                               project, graph, job);
    } else {
        /* AK/SK: sign host and x-sdk-date (and what else is sent), over the
         * path as it is written below, version segment included. */
        static const char *const fixed[] = {"graphs", "jobs", "status"};
        const char *seg[7];
        size_t len[7], i;
        char date[17], hv[GES__HOST_HDR_MAX];
        char authz[15 + 8 + GES_AKSK_MAX + 16 + 45 + 12 + 64 + 1];
        ges_sign_header_t extra[2];
        ges_sign_request_t r;
        ges__auth_t a;
        seg[0] = ges__api_segment(c->cfg.api_version);
        seg[1] = project;
        seg[2] = fixed[0];
        seg[3] = graph;
        seg[4] = fixed[1];
        seg[5] = job;
        seg[6] = fixed[2];
        for (i = 0; i < 7; i++) len[i] = strlen(seg[i]);
        memset(&r, 0, sizeof r);
        memset(&a, 0, sizeof a);
        (void)ges_sdk_date(ges__utc_now(c), date);
        ges__host_value(c->host, c->cfg.port, hv, sizeof hv);
        r.method = "GET";
        r.host = hv;
        r.sdk_date = date;
        r.ak = c->cfg.ak;
        r.sk = c->cfg.sk;
        if (c->cfg.project_id_header) {
            extra[r.n_headers].name = "x-project-id";
            extra[r.n_headers++].value = c->cfg.project_id_header;
        }
        if (c->cfg.security_token) {
            extra[r.n_headers].name = "x-security-token";
            extra[r.n_headers++].value = c->cfg.security_token;
        }
        r.headers = extra; /* after filling it: cppcheck 2.10 misreads the other order */
        e = ges__sign(&r, seg, len, 7, 0, authz, sizeof authz, NULL);
        a.sdk_date = date;
        a.project_hdr = c->cfg.project_id_header;
        a.security_token = c->cfg.security_token;
        a.authorization = authz;
        a.version = seg[0];
        if (e == GES_OK) e = ges__write_request_auth(&w, c->host, c->cfg.port, &a,
                                                     project, graph, job);
        ges__wipe(authz, sizeof authz);
    }
    ges__wipe(c->cfg.io_buf, c->cfg.io_buf_len); /* it held the secrets */
    return e;
}

/* Read one answer into `out`. *got tells whether any byte arrived (a kept
 * connection the server had closed fails with nothing received, and the
 * request can then safely be sent again on a new one). */
static ges_err_t ges__read_response(ges_client_t *c, ges_job_status_t *out,
                                    int *got, int *reusable)
{
    ges_parser_t json;
    ges__http_t h;
    size_t half = c->cfg.io_buf_len / 2;
    char *work = (char *)c->cfg.io_buf;
    unsigned char *rx = c->cfg.io_buf + half;
    size_t rx_len = c->cfg.io_buf_len - half;
    ges_err_t e = GES_OK;

    GES_ASSERT(c->connected && c->cfg.io_buf_len >= GES_IO_BUF_MIN);
    *got = 0;
    *reusable = 0;
    c->phase = GES_PHASE_RECEIVING;
    ges_parser_init(&json, out, work, half);
    ges__http_init(&h, &json);
    while (h.st != H_DONE) {
        size_t used = 0;
        int r = mbedtls_ssl_read(&c->ssl, rx, rx_len);
#ifdef MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
        if (r == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            /* TLS 1.3: tickets come after the handshake, so the session
             * ges__connect kept cannot resume; keep this ticket instead. */
            ges__save_session(c);
            r = MBEDTLS_ERR_SSL_WANT_READ;
        }
#endif
        if (ges__tls_again(c, &r)) continue; /* GCOVR_EXCL_BR_LINE: true only with a TLS 1.3 ticket (test13) or an asynchronous mbedTLS */
        if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
            (r == MBEDTLS_ERR_SSL_CONN_EOF && c->net_status == 0)) { /* GCOVR_EXCL_BR_LINE: mbedtls_ssl_read answers EOF as 0 in 2.28 and 3.6; kept for other versions */
            h.close = 1;
            break; /* a close-delimited body ends here; anything else is cut */
        }
        if (r < 0) return ges__tls_fail(c, r);
        *got = 1;
        e = ges__http_feed(&h, rx, (size_t)r, &used);
        if (e == GES_ERR_HTTP_ENCODING) memcpy(c->coding, h.coding, sizeof c->coding);
        if (e != GES_OK) return e;
        if (h.st == H_DONE && used < (size_t)r) h.close = 1; /* extra bytes */
    }
    /* Reused only when the answer ended exactly where the stream did:
     * bytes left in mbedTLS's record buffer (the answer ended exactly at
     * the end of the window, the record held more) belong to nobody.
     * check_pending adds to bytes_avail only a DTLS datagram's rest and
     * handshake messages not yet processed: neither after a read of
     * application data on a stream (2.28 and 3.6), so it is never the one
     * that is true here. */
    if (mbedtls_ssl_get_bytes_avail(&c->ssl) > 0 || mbedtls_ssl_check_pending(&c->ssl)) { /* GCOVR_EXCL_BR_LINE: see above */
        h.close = 1;
    }
    *reusable = !h.close;
    c->retry_after_s = h.retry_after;
    c->server_date = h.date;
    if (h.retry_at >= 0 && h.date < 0) {
        /* Retry-After as a date and no Date header: against our own UTC
         * time, when we have one. */
        int64_t now = ges__utc_now(c);
        if (now > 0) c->retry_after_s = ges__retry_secs(h.retry_at - now);
    }
    return ges__http_end(&h, 1);
}

/* With AK/SK an ID must be unreserved bytes only: the official SDKs sign
 * an encoded path segment in different ways (encode once, twice, or not at
 * all), so the gateway could refuse a signature we compute for "a b" with
 * a confusing 401. Real GES IDs are hex or UUIDs. With a token, any ID is
 * percent-encoded and sent. */
static int ges__id_signable(const char *id)
{
    char enc[3];
    for (; *id != '\0'; id++) {
        if (ges__pct_byte((unsigned char)*id, enc) != 1) return 0;
    }
    return 1;
}

static int ges__args_ok(const ges_client_t *c, const char *project_id,
                        const char *graph_id, const char *job_id,
                        const ges_job_status_t *out)
{
    return c != NULL && c->initialised && out != NULL && ges__id_ok(project_id) &&
           ges__id_ok(graph_id) && ges__id_ok(job_id) &&
           (c->cfg.token != NULL || (ges__id_signable(project_id) &&
                                     ges__id_signable(graph_id) && ges__id_signable(job_id)));
}

/* A 401 from the API gateway saying an AK/SK signature is too old or too
 * new, with a usable Date header. */
static int ges__clock_rejected(const ges_client_t *c, const ges_job_status_t *st)
{
    static const char needle[] = "signature expired";
    size_t i, n = st->len[GES_FI_ERROR_MESSAGE], k = sizeof needle - 1;
    if (c->cfg.token != NULL || st->http_status != 401 || c->server_date < 0) return 0;
    for (i = 0; i + k <= n; i++) {
        if (ges__icmp(st->error_message + i, needle, k) == 0) return 1;
    }
    return 0;
}

/* Before a kept connection carries another request: is it idle? Nothing
 * may wait in mbedTLS or on the socket, checked without waiting. Bytes
 * there (a stray CRLF, an unsolicited 408, a late extra answer), the
 * server's close_notify or FIN, or a reset all mean no: the caller closes
 * it and connects anew, so such bytes are never read as the next answer. */
static int ges__idle(ges_client_t *c)
{
    int r;
    /* Nothing waits in mbedTLS's buffers here: ges__read_response closed
     * the connection when anything did. */
    GES_ASSERT(c->connected && !c->probing);
    c->probing = 1;
    c->probe_got = 0;
    r = mbedtls_ssl_read(&c->ssl, c->cfg.io_buf, c->cfg.io_buf_len);
    c->probing = 0;
    return r == MBEDTLS_ERR_SSL_WANT_READ && !c->probe_got;
}

/* A call ends with GES_ERR_CANCELLED: the connection is closed, whatever
 * state it was left in (mid-record, or idle and kept), and the cancel is
 * answered. */
static void ges__cancelled(ges_client_t *c)
{
    ges__disconnect(c);
    c->cancel = 0;
}

/* One poll, ending by `deadline` (a now_ms value). */
static ges_err_t ges__get_status(ges_client_t *c, const char *project_id,
                                 const char *graph_id, const char *job_id,
                                 ges_job_status_t *out, uint32_t deadline)
{
    ges_err_t e;
    int attempt, skew_retried = 0;
    GES_ASSERT(c != NULL && c->initialised && out != NULL);
    ges_job_status_init(out);
    c->deadline = deadline;
    c->tls_err = 0;
    c->retry_after_s = 0;
    c->coding[0] = '\0';
    for (attempt = 0;; attempt++) {
        int fresh, got = 0, reusable = 0;
        if (c->cancel) {
            ges__status_reset(out); /* before anything is sent */
            return GES_ERR_CANCELLED;
        }
        if (c->connected && !ges__idle(c)) ges__disconnect(c);
        fresh = !c->connected;
        if (fresh) {
            e = ges__connect(c);
            if (e != GES_OK) return e;
        }
        c->net_status = 0;
        e = ges__send_request(c, project_id, graph_id, job_id);
        if (e == GES_OK) e = ges__read_response(c, out, &got, &reusable);
        if (e != GES_OK && e != GES_ERR_SERVICE) reusable = 0;
        if (!reusable) ges__disconnect(c);
        /* On a kept connection the GET (idempotent) is sent again, once, on
         * a new connection when what came back cannot be its answer: nothing
         * (the server closed meanwhile), bytes that are no status line (a
         * stray CRLF still in flight when ges__idle looked), or the
         * server's own 408 that closes the connection (its idle timeout
         * raced our request). */
        if (!fresh && attempt == 0 &&
            ((!got && (e == GES_ERR_NET_CLOSED || e == GES_ERR_NET_RECV || e == GES_ERR_NET_SEND)) ||
             (e == GES_ERR_HTTP && out->http_status == 0) ||
             (e == GES_ERR_SERVICE && out->http_status == 408 && !reusable))) {
            continue;
        }
        if (e == GES_ERR_SERVICE && !skew_retried && ges__clock_rejected(c, out)) {
            /* Our clock is off (no RTC, or a drifting one): take the
             * gateway's time from its Date header and sign again, once. */
            const ges_port_t *pt = c->cfg.platform;
            c->time_base = c->server_date;
            c->time_base_ms = pt->now_ms(pt->ctx);
            c->has_time_base = 1;
            skew_retried = 1;
            continue;
        }
        if (e != GES_OK && e != GES_ERR_SERVICE) ges__status_reset(out);
        return e;
    }
}

/* see ges_job.h */
ges_err_t ges_job_get_status(ges_client_t *c, const char *project_id,
                             const char *graph_id, const char *job_id,
                             ges_job_status_t *out)
{
    ges_err_t e;
    if (out != NULL) ges_job_status_init(out);
    if (!ges__args_ok(c, project_id, graph_id, job_id, out)) return GES_ERR_INVALID_ARG;
    e = ges__get_status(c, project_id, graph_id, job_id, out,
                        c->cfg.platform->now_ms(c->cfg.platform->ctx) + c->cfg.timeout_ms);
    if (e == GES_ERR_CANCELLED) ges__cancelled(c);
    return e;
}

/* see ges_job.h */
void ges_client_cancel(ges_client_t *c)
{
    /* Only this store: async-signal-safe, and never blocks. */
    if (c != NULL) c->cancel = 1;
}

/* ------------------------------------------------------------------------- */
/* 5b. Waiting for a job                                                      */
/* ------------------------------------------------------------------------- */
/* see ges_job.h */
void ges_wait_config_init(ges_wait_config_t *wc)
{
    if (wc == NULL) return;
    memset(wc, 0, sizeof *wc);
    wc->deadline_ms = 30u * 60u * 1000u;
    wc->interval_ms = 1000;
    wc->max_interval_ms = 30000;
    wc->backoff_percent = 200;
    wc->jitter_percent = 20;
}

/* see ges_job.h */
int ges_job_retryable(ges_err_t e, const ges_job_status_t *st)
{
    static const char *const later[] = {"GES.7005", "GES.7006", "GES.8302"};
    unsigned i;
    if (e == GES_ERR_NET_CONNECT || e == GES_ERR_NET_SEND || e == GES_ERR_NET_RECV ||
        e == GES_ERR_NET_CLOSED || e == GES_ERR_TIMEOUT) {
        return 1;
    }
    if (e != GES_ERR_SERVICE || st == NULL) return 0;
    for (i = 0; i < sizeof later / sizeof later[0]; i++) {
        if (ges__eq(st->error_code, st->len[GES_FI_ERROR_CODE], later[i])) return 1;
    }
    switch (st->http_status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504: return 1;
    default: return 0;
    }
}

/* A random part of `interval`, 0..pct% of it, from the port's entropy (0 if
 * the entropy source fails: the schedule then simply has no jitter). */
static uint32_t ges__jitter(const ges_port_t *pt, uint32_t interval, unsigned pct)
{
    unsigned char b[4];
    uint32_t r;
    if (pct == 0 || pt->entropy(pt->ctx, b, sizeof b) != 0) return 0;
    if (pct > 100) pct = 100;
    r = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return (uint32_t)((((uint64_t)interval * pct / 100u) * r) >> 32);
}

typedef ges_err_t (*ges__poll_fn)(ges_client_t *c, const char *project_id,
                                  const char *graph_id, const char *job_id,
                                  ges_job_status_t *out, uint32_t deadline);

/* Sleep `ms` by the port, in slices of at most GES_WAIT_SLICE_MS with the
 * hook told before each, until the clock says it passed, or until the
 * calls made while the clock stood still asked for all of it: a frozen tick
 * (a known MCU failure) cannot hold the wait for ever, and a sleep that
 * returns early while the clock runs is simply resumed. Returns the time
 * the clock failed to show. */
static uint32_t ges__sleep(const ges_client_t *c, uint32_t now, uint32_t ms)
{
    const ges_port_t *pt = c->cfg.platform;
    uint32_t wake = now + ms, from = now, still = 0;
    GES_ASSERT(ms <= 0x7FFFFFFFu); /* within a wait's deadline */
    while (ges__until(wake, now) > 0 && still < ms) {
        uint32_t before = now, d = ges__slice(ges__until(wake, now));
        ges__progress(c, GES_PHASE_SLEEPING, ges__until(wake, now));
        if (c->cancel) break; /* the wait loop returns at its next turn */
        pt->sleep_ms(pt->ctx, d);
        now = pt->now_ms(pt->ctx);
        still = now == before ? still + d : 0;
    }
    return (int32_t)(now - from) >= (int32_t)ms ? 0 : ms - (uint32_t)(now - from);
}

/* The wait loop, with the poll injectable so tests can pin the schedule
 * against a fake clock without a network. Its time is the clock's plus
 * what ges__sleep() counted while the clock stood still. */
static ges_err_t ges__wait(ges_client_t *c, const char *project_id,
                           const char *graph_id, const char *job_id,
                           const ges_wait_config_t *wc, ges_job_status_t *out,
                           ges__poll_fn poll)
{
    const ges_port_t *pt;
    uint32_t start, stood = 0, cap, interval;
    GES_ASSERT(c != NULL && c->initialised && out != NULL && poll != NULL);
    GES_ASSERT(wc->deadline_ms > 0 && wc->deadline_ms <= 0x7FFFFFFFu && wc->backoff_percent >= 100);
    pt = c->cfg.platform;
    start = pt->now_ms(pt->ctx);
    cap = wc->max_interval_ms ? wc->max_interval_ms : 1;
    interval = wc->interval_ms ? wc->interval_ms : 1;
    if (interval > cap) interval = cap;
    for (;;) {
        uint32_t now = pt->now_ms(pt->ctx), left, poll_end, sleep;
        ges_err_t e;
        if (c->cancel) return GES_ERR_CANCELLED; /* e.g. during the sleep */
        left = ges__wait_left(now - start, stood, wc->deadline_ms);
        if (left == 0) return GES_ERR_TIMEOUT;
        poll_end = now + (c->cfg.timeout_ms < left ? c->cfg.timeout_ms : left);
        e = poll(c, project_id, graph_id, job_id, out, poll_end);
        now = pt->now_ms(pt->ctx);
        if (wc->on_poll != NULL && wc->on_poll(wc->ctx, out, e, now - start) != 0) {
            return GES_ERR_CANCELLED;
        }
        if (e == GES_OK && ges_job_status_is_terminal(out->job_state)) return GES_OK;
        if (e != GES_OK && !ges_job_retryable(e, out)) return e;
        /* Sleep the interval less up to jitter_percent of it, so a fleet
         * started together spreads out; at least what Retry-After asks. */
        sleep = interval - ges__jitter(pt, interval, wc->jitter_percent);
        if (c->retry_after_s > 0 && (uint64_t)c->retry_after_s * 1000u > sleep) {
            sleep = c->retry_after_s * 1000u;
        }
        interval = (uint32_t)((uint64_t)interval * wc->backoff_percent / 100u);
        if (interval > cap) interval = cap;
        /* Never sleep past the deadline. */
        left = ges__wait_left(now - start, stood, wc->deadline_ms);
        if (sleep > left) sleep = left;
        stood += ges__sleep(c, now, sleep);
    }
}

/* see ges_job.h */
ges_err_t ges_job_wait(ges_client_t *c, const char *project_id,
                       const char *graph_id, const char *job_id,
                       const ges_wait_config_t *wc, ges_job_status_t *out)
{
    ges_wait_config_t defaults;
    ges_err_t e;
    if (out != NULL) ges_job_status_init(out);
    if (!ges__args_ok(c, project_id, graph_id, job_id, out)) return GES_ERR_INVALID_ARG;
    if (wc == NULL) {
        ges_wait_config_init(&defaults);
        wc = &defaults;
    }
    if (wc->deadline_ms == 0 || wc->deadline_ms > 0x7FFFFFFFu ||
        wc->backoff_percent < 100) {
        return GES_ERR_INVALID_ARG;
    }
    e = ges__wait(c, project_id, graph_id, job_id, wc, out, ges__get_status);
    if (e == GES_ERR_CANCELLED) ges__cancelled(c);
    return e;
}

/* see ges_job.h */
void ges_client_config_init(ges_client_config_t *cfg)
{
    if (cfg == NULL) return;
    memset(cfg, 0, sizeof *cfg);
    cfg->port = 443;
    cfg->timeout_ms = 15000;
    cfg->proxy_port = 1080;
}

/* The endpoint host as the client keeps it: a DNS name of [A-Za-z0-9._-],
 * a dotted IPv4 address, or an IPv6 address (given bare or in brackets,
 * kept bare). Digits and dots alone must be an exact dotted quad, so
 * "010.1" never reaches a resolver that would read it as octal. Copies
 * the host to `out` (GES_HOST_MAX + 1 bytes); 0 when it is refused. */
static int ges__host_norm(const char *h, char *out)
{
    size_t n, i, names = 0;
    uint8_t ip[16];
    if (h == NULL) return 0;
    n = strlen(h);
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        h++;
        n -= 2;
        if (memchr(h, ':', n) == NULL) return 0; /* brackets are for IPv6 */
    }
    if (n < 1 || n > GES_HOST_MAX) return 0;
    memcpy(out, h, n);
    out[n] = '\0';
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_') {
            names++;
        } else if (!ges__is_digit(c) && c != '.' && c != ':') {
            return 0;
        }
    }
    if (memchr(out, ':', n) != NULL) return ges__ip_parse(out, ip) == 16;
    return names > 0 || ges__ip_parse(out, ip) == 4;
}

/* A value that goes into a header line (a token, AK, SK, project ID):
 * 1..max bytes of printable ASCII without space, so it can never end the
 * line or inject another header. */
static int ges__short_ok(const char *s, size_t max)
{
    size_t n;
    if (s == NULL) return 0;
    for (n = 0; s[n]; n++) {
        if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7E) return 0;
    }
    return n >= 1 && n <= max;
}

static int ges__token_ok(const char *t) { return ges__short_ok(t, GES_TOKEN_MAX); }

/* Exactly one way to authenticate, and nothing that could break a header. */
static int ges__auth_ok(const ges_client_config_t *cfg)
{
    if (cfg->project_id_header != NULL && !ges__short_ok(cfg->project_id_header, GES_ID_MAX)) {
        return 0;
    }
    if (cfg->token != NULL) {
        return cfg->ak == NULL && cfg->sk == NULL && cfg->security_token == NULL &&
               cfg->project_id_header == NULL && ges__token_ok(cfg->token);
    }
    return ges__short_ok(cfg->ak, GES_AKSK_MAX) && ges__short_ok(cfg->sk, GES_AKSK_MAX) &&
           (cfg->security_token == NULL || ges__token_ok(cfg->security_token));
}

/* A proxy's host (copied to c->proxy_host), port and credentials. */
static int ges__proxy_ok(ges_client_t *c, const ges_client_config_t *cfg)
{
#if GES_PROXY
    return ges__host_norm(cfg->proxy_host, c->proxy_host) && cfg->proxy_port != 0 &&
           (cfg->proxy_user == NULL) == (cfg->proxy_password == NULL) &&
           (cfg->proxy_user == NULL ||
            (ges__pcred_ok(cfg->proxy_user, 1) && ges__pcred_ok(cfg->proxy_password, 0)));
#else
    (void)c;
    (void)cfg;
    return 0; /* built without the proxy */
#endif
}

/* see ges_job.h */
ges_err_t ges_client_init(ges_client_t *c, const ges_client_config_t *cfg)
{
    const ges_port_t *pt;
    uint8_t ip[16];
    int r;
    if (c == NULL) return GES_ERR_INVALID_ARG;
    memset(c, 0, sizeof *c);
    if (cfg == NULL) return GES_ERR_INVALID_ARG;
    pt = cfg->platform;
    if (!ges__host_norm(cfg->host, c->host) || !ges__auth_ok(cfg) || pt == NULL ||
        !pt->net_connect || !pt->net_send || !pt->net_recv || !pt->net_close ||
        !pt->now_ms || !pt->sleep_ms || !pt->entropy || cfg->ca_pem == NULL ||
        cfg->ca_pem_len == 0 || cfg->io_buf == NULL || cfg->port == 0 ||
        cfg->timeout_ms == 0 || cfg->timeout_ms > 0x7FFFFFFFu ||
        (cfg->api_version != GES_API_V1 && cfg->api_version != GES_API_V2)) {
        return GES_ERR_INVALID_ARG;
    }
    if (cfg->proxy_host == NULL ? cfg->proxy_user != NULL || cfg->proxy_password != NULL
                                : !ges__proxy_ok(c, cfg)) {
        return GES_ERR_INVALID_ARG;
    }
    if (cfg->io_buf_len < GES_IO_BUF_MIN) return GES_ERR_BUFFER_TOO_SMALL;
    c->cfg = *cfg;
    c->server_date = -1;
    c->initialised = 1;
    mbedtls_ssl_init(&c->ssl);
    mbedtls_ssl_config_init(&c->conf);
    mbedtls_x509_crt_init(&c->ca);
    mbedtls_ctr_drbg_init(&c->drbg);
    mbedtls_ssl_session_init(&c->session);
#if defined(MBEDTLS_PLATFORM_MEMORY)
    if (pt->tls_calloc != NULL && pt->tls_free != NULL) {
        (void)mbedtls_platform_set_calloc_free(pt->tls_calloc, pt->tls_free);
    }
#endif
#if GES__NEED_PSA_INIT
    if (psa_crypto_init() != PSA_SUCCESS) {
        r = MBEDTLS_ERR_SSL_HW_ACCEL_FAILED;
        goto fail;
    }
#endif
    r = mbedtls_x509_crt_parse(&c->ca, cfg->ca_pem, cfg->ca_pem_len);
    if (r < 0 || c->ca.version == 0) goto fail; /* >0: some certs skipped; GCOVR_EXCL_BR_LINE: r >= 0 means one parsed, version != 0 */
    r = mbedtls_ctr_drbg_seed(&c->drbg, ges__rng_entropy, c,
                              (const unsigned char *)"ges_job", 7);
    if (r != 0) goto fail;
    r = mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT,
                                    MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT);
    if (r != 0) goto fail; /* GCOVR_EXCL_BR_LINE: no failure for a client stream preset */
    mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&c->conf, &c->ca, NULL);
    mbedtls_ssl_conf_rng(&c->conf, mbedtls_ctr_drbg_random, &c->drbg);
    mbedtls_ssl_conf_verify(&c->conf, ges__verify, c);
#if GES__TLS_VERSION_API
    mbedtls_ssl_conf_min_tls_version(&c->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3) && !GES_CONFIG_TLS13
    /* A client that also offers TLS 1.3 advertises RSA-PSS signatures, which
     * mbedTLS 3.x cannot verify under TLS 1.2: a TLS 1.2-only server with an
     * RSA certificate (OpenSSL prefers PSS) then fails the handshake with
     * MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER. Stay on TLS 1.2 unless asked. */
    mbedtls_ssl_conf_max_tls_version(&c->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#endif
#else
    mbedtls_ssl_conf_min_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
#endif
#if GES__TLS13_TICKET_SIGNAL
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        &c->conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#endif
    r = mbedtls_ssl_setup(&c->ssl, &c->conf);
    if (r != 0) goto fail; /* GCOVR_EXCL_BR_LINE: fails only when out of memory (make test-faults) */
    /* A name goes out as SNI and mbedTLS checks the certificate against
     * it. An address is never sent as SNI (RFC 6066 3) and never compared
     * as a DNS name: NULL turns both off, and ges__verify() matches the
     * leaf's iPAddress entries instead. */
    r = mbedtls_ssl_set_hostname(&c->ssl, ges__ip_parse(c->host, ip) ? NULL : c->host);
    if (r != 0) goto fail; /* GCOVR_EXCL_BR_LINE: fails only when out of memory (make test-faults); host <= 253 bytes */
    mbedtls_ssl_set_bio(&c->ssl, c, ges__bio_send, NULL, ges__bio_recv);
    return GES_OK;
fail:
    ges_client_free(c);
    c->tls_err = r;
    return GES_ERR_TLS;
}

/* see ges_job.h */
void ges_client_free(ges_client_t *c)
{
    if (c == NULL || !c->initialised) return;
    if (c->connected) {
        (void)mbedtls_ssl_close_notify(&c->ssl);
        ges__disconnect(c);
    }
    mbedtls_ssl_free(&c->ssl);
    mbedtls_ssl_config_free(&c->conf);
    mbedtls_x509_crt_free(&c->ca);
    mbedtls_ctr_drbg_free(&c->drbg);
    mbedtls_ssl_session_free(&c->session);
    ges__wipe(c->cfg.io_buf, c->cfg.io_buf_len);
    ges__wipe(c, sizeof *c);
}

/* see ges_job.h */
int ges_client_tls_error(const ges_client_t *c) { return c ? c->tls_err : 0; }

/* see ges_job.h */
const char *ges_client_content_coding(const ges_client_t *c) { return c ? c->coding : ""; }

/* see ges_job.h */
int ges_client_proxy_status(const ges_client_t *c)
{
#if GES_PROXY
    return c ? c->proxy_status : 0;
#else
    (void)c;
    return 0;
#endif
}

/* see ges_job.h */
uint32_t ges_client_cert_flags(const ges_client_t *c) { return c ? c->cert_flags : 0; }
#endif /* !GES_CONFIG_NO_TLS */

/* ------------------------------------------------------------------------- */
/* 6. Public odds and ends                                                    */
/* ------------------------------------------------------------------------- */
/* see ges_job.h */
void ges_job_status_init(ges_job_status_t *st)
{
    if (st != NULL) memset(st, 0, sizeof *st);
}

/* see ges_job.h */
int ges_job_truncated(const ges_job_status_t *st)
{
    unsigned s;
    if (st == NULL) return 0;
    if (st->truncated != 0) return 1;
#if GES_PATHS_MAX > 0
    for (s = 0; s < GES_SET_COUNT; s++) {
        uint32_t i;
        for (i = 0; i < st->sets[s].kept; i++) {
            if (st->sets[s].entries[i].truncated != 0) return 1;
        }
    }
#else
    (void)s;
#endif
    return 0;
}

/* see ges_job.h */
int ges_job_status_is_terminal(ges_job_state_t s)
{
    return s == GES_JOB_SUCCESS || s == GES_JOB_FAILED ||
           s == GES_JOB_PARTIALLY_FAILED;
}

/* Every ges_err_t once: its name, its value and its sentence. The short
 * texts of GES_ERROR_TEXTS=0 are "E" and the value ("E-15"), spelled by the
 * preprocessor from the value column, which must equal the enumerator (a
 * mismatch makes that row's ges__value_of_NAME array size negative). */
#define GES__ERRORS(X)                                                                   \
    X(GES_OK, 0, "success")                                                              \
    X(GES_ERR_INVALID_ARG, -1, "invalid argument")                                       \
    X(GES_ERR_BUFFER_TOO_SMALL, -2, "I/O buffer too small")                              \
    X(GES_ERR_NET_CONNECT, -10, "could not connect")                                     \
    X(GES_ERR_NET_SEND, -11, "sending failed")                                           \
    X(GES_ERR_NET_RECV, -12, "receiving failed")                                         \
    X(GES_ERR_NET_CLOSED, -13, "connection closed before the answer ended")              \
    X(GES_ERR_TIMEOUT, -14, "timed out")                                                 \
    X(GES_ERR_PROXY, -15, "the proxy refused the tunnel (CONNECT)")                      \
    X(GES_ERR_TLS, -20, "TLS error")                                                     \
    X(GES_ERR_TLS_CERT, -21, "server certificate verification failed")                   \
    X(GES_ERR_HTTP, -30, "malformed HTTP answer")                                        \
    X(GES_ERR_HTTP_HEADERS_TOO_LARGE, -31, "HTTP headers too large")                     \
    X(GES_ERR_HTTP_BODY_TOO_LARGE, -32, "HTTP body too large")                           \
    X(GES_ERR_HTTP_FRAMING, -33, "invalid HTTP body framing")                            \
    X(GES_ERR_HTTP_ENCODING, -34, "the answer is compressed, though identity was asked") \
    X(GES_ERR_SERVICE, -40, "the service answered with an error")                        \
    X(GES_ERR_JSON_SYNTAX, -50, "malformed JSON")                                        \
    X(GES_ERR_JSON_ESCAPE, -51, "invalid escape in a JSON string")                       \
    X(GES_ERR_JSON_UTF8, -52, "invalid UTF-8 in a JSON string")                          \
    X(GES_ERR_JSON_INCOMPLETE, -53, "JSON document incomplete")                          \
    X(GES_ERR_JSON_NOT_OBJECT, -54, "JSON document is not an object")                    \
    X(GES_ERR_JSON_TOKENS, -55, "JSON piece needs more tokens than allowed")             \
    X(GES_ERR_JSON_NUMBER, -56, "JSON number out of range for its field")                \
    X(GES_ERR_JSON_TYPE, -57, "JSON member has the wrong type")                          \
    X(GES_ERR_JSON_DEPTH, -58, "JSON nested too deeply")                                 \
    X(GES_ERR_JSON_TRAILING, -59, "data after the JSON document")                        \
    X(GES_ERR_CANCELLED, -70, "cancelled")                                               \
    X(GES_ERR_STATE, -71, "call out of order")
#define GES__ERR_CHECK(name, num, text) typedef char ges__value_of_##name[(name) == (num) ? 1 : -1];
GES__ERRORS(GES__ERR_CHECK)
#define GES__ERR_CODE(name, num, text) (signed char)(name),
#define GES__ERR_CASE(name, num, text) case name:
#if GES_ERROR_TEXTS
#define GES__ERR_TEXT(name, num, text) text "\0"
#define GES__ERR_UNKNOWN "unknown error"
#else
#define GES__ERR_TEXT(name, num, text) "E" #num "\0"
#define GES__ERR_UNKNOWN "E?"
#endif

/* see ges_job.h */
const char *ges_strerror(ges_err_t err)
{
    /* The values, and the texts one after another in the same order: no
     * pointer table (a switch compiled to 72 pointers, 288 bytes on
     * Cortex-M4), and nothing written at run time. */
    static const signed char codes[] = {GES__ERRORS(GES__ERR_CODE)};
    static const char texts[] = GES__ERRORS(GES__ERR_TEXT);
    const char *t = texts;
    size_t i;
    switch (err) { /* no code: without a default, -Wswitch names an enumerator missing above */
        GES__ERRORS(GES__ERR_CASE)
        break;
    }
    for (i = 0; i < sizeof codes; i++) {
        if (codes[i] == err) return t;
        t += strlen(t) + 1;
    }
    return GES__ERR_UNKNOWN;
}
