/*
 * libFuzzer harness: the request writer (ges__write_request through a
 * memory sink) and the checks that guard it (ges__id_ok, ges__token_ok,
 * ges__host_norm), on arbitrary IDs, tokens and host names.
 *
 * Build: see fuzz_parse.c, or tests/fuzz/run.sh.
 *
 * Input: fields separated by 0xFF bytes:
 *   project 0xFF graph 0xFF job 0xFF token [0xFF host]
 * each copied NUL-terminated into a buffer of exactly its size (a NUL byte
 * inside a field ends that C string early, as it would for a caller); a
 * missing field is "", a missing host is a fixed valid one. The writer's
 * buffer size (1..64), the port and a sink failure come from a hash of the
 * input.
 *
 * Checks (abort() on the first violation):
 *   - the guards agree with the documented rules, computed independently:
 *     an ID is 1..GES_ID_MAX bytes and not "." or ".."; a token 1..
 *     GES_TOKEN_MAX bytes of 0x21..0x7E; a host 1..GES_HOST_MAX bytes of
 *     [A-Za-z0-9._-] not all digits and dots, a dotted quad, or an IPv6
 *     address bare or in brackets (inet_pton is the oracle); an accepted
 *     host is used as the library keeps it (brackets off);
 *   - refused: nothing is written. ges_job_get_status() and ges_job_wait()
 *     on a client with a counting port return GES_ERR_INVALID_ARG without
 *     one port call, leaving the result reset; ges_client_init() with a
 *     refused host or token returns GES_ERR_INVALID_ARG without one port
 *     call;
 *   - accepted: ges_job_get_status() reaches the port's connect (and
 *     nothing else: it fails); ges__write_request() through a sink with a
 *     small buffer returns GES_OK and the sink saw, in calls of exactly the
 *     buffer size but the last (never empty), exactly:
 *       GET /v1.0/P/graphs/G/jobs/J/status HTTP/1.1\r\n
 *       Host: host[:port]\r\n  User-Agent: ...\r\n  Accept: ...\r\n  Accept-Encoding: identity\r\n
 *       X-Auth-Token: token\r\n  \r\n
 *     one request line starting "GET /v1.0/" and ending " HTTP/1.1\r\n";
 *     no CR or LF anywhere but in CRLF line ends; the path has exactly 7
 *     '/' and only printable ASCII; each ID segment holds unreserved bytes
 *     and %XX escapes (upper-case hex) of other bytes only, and decodes to
 *     the ID exactly; the headers are Host, User-Agent, Accept,
 *     Accept-Encoding and X-Auth-Token in that order, then the empty line, then nothing; the
 *     Host value is the host, in brackets if IPv6 (":port" unless 443), the token value is the
 *     token;
 *   - a sink failing on call k: the writer returns the sink's error, the
 *     sink is not called again, and what it got is a prefix of the request.
 *
 * SPDX-License-Identifier: MIT
 */
#ifdef FZ_SMALL_CONFIG
#include "fuzz_small_config.h" /* every bound at its smallest */
#endif
#include "../assert_on.h" /* GES_ASSERT is assert() */
#include "../../ges_job.c"
#include "fuzz_common.h"

#include <arpa/inet.h> /* inet_pton: the oracle of the host rule */

#if GES_CONFIG_NO_TLS
#error "the request writer is built only with TLS: unset GES_CONFIG_NO_TLS"
#endif

#define FZ_DEFAULT_HOST "ges.example.com" /* fits GES_HOST_MAX 16 */

/* ------------------------------------------------------------------------- */
/* Memory sink                                                                */
/* ------------------------------------------------------------------------- */
typedef struct {
    unsigned char *buf;
    size_t len, cap;
    size_t wbuf;          /* the writer's buffer size */
    unsigned long calls;
    unsigned long fail_at; /* 1-based call that fails, 0: none */
    size_t last;           /* bytes of the last call */
    int short_seen;        /* a call shorter than wbuf happened */
} fz_sink_t;

static ges_err_t fz_sink(void *ctx, const unsigned char *p, size_t n)
{
    fz_sink_t *s = (fz_sink_t *)ctx;
    s->calls++;
    FZ_CHECK(n > 0, "the writer never flushes an empty buffer");
    FZ_CHECK(n <= s->wbuf, "a flush holds at most the buffer size");
    FZ_CHECK(!s->short_seen, "only the last flush may be short");
    if (n < s->wbuf) s->short_seen = 1;
    s->last = n;
    if (s->fail_at != 0) {
        FZ_CHECK(s->calls <= s->fail_at, "no sink call after a failed one");
        if (s->calls == s->fail_at) return GES_ERR_NET_SEND;
    }
    FZ_CHECK(n <= s->cap - s->len, "harness: capture buffer too small");
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return GES_OK;
}

/* ------------------------------------------------------------------------- */
/* A port that counts calls and connects nowhere                              */
/* ------------------------------------------------------------------------- */
typedef struct {
    unsigned long connects, other;
} fz_port_ctx_t;

static int fz_connect(void *ctx, const char *host, uint16_t port,
                      uint32_t timeout_ms, ges_sock_t *sock)
{
    (void)host;
    (void)port;
    (void)timeout_ms;
    (void)sock;
    ((fz_port_ctx_t *)ctx)->connects++;
    return GES_PORT_ERROR;
}

static int fz_send(void *ctx, ges_sock_t sock, const unsigned char *buf,
                   size_t len, uint32_t timeout_ms)
{
    (void)sock;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    ((fz_port_ctx_t *)ctx)->other++;
    return GES_PORT_ERROR;
}

static int fz_recv(void *ctx, ges_sock_t sock, unsigned char *buf, size_t len,
                   uint32_t timeout_ms)
{
    (void)sock;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    ((fz_port_ctx_t *)ctx)->other++;
    return GES_PORT_ERROR;
}

static void fz_close(void *ctx, ges_sock_t sock)
{
    (void)sock;
    ((fz_port_ctx_t *)ctx)->other++;
}

static uint32_t fz_now(void *ctx)
{
    (void)ctx; /* time is allowed: it is not I/O */
    return 1000u;
}

static void fz_sleep(void *ctx, uint32_t ms)
{
    (void)ms;
    ((fz_port_ctx_t *)ctx)->other++;
}

static int fz_entropy(void *ctx, unsigned char *buf, size_t len)
{
    ((fz_port_ctx_t *)ctx)->other++;
    memset(buf, 0x42, len);
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Independent rules                                                          */
/* ------------------------------------------------------------------------- */
static int fz_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static int fz_id_rule(const char *id)
{
    size_t n = strlen(id);
    return n >= 1 && n <= GES_ID_MAX && strcmp(id, ".") != 0 && strcmp(id, "..") != 0;
}

static int fz_token_rule(const char *t)
{
    size_t n = strlen(t), i;
    for (i = 0; i < n; i++) {
        if ((unsigned char)t[i] < 0x21 || (unsigned char)t[i] > 0x7E) return 0;
    }
    return n >= 1 && n <= GES_TOKEN_MAX;
}

/* A name of [A-Za-z0-9._-] with at least one character that is not a digit
 * or a dot; else a dotted quad; or an IPv6 address, bare or in brackets
 * (the C library's inet_pton says which strings are addresses). */
static int fz_host_rule(const char *h)
{
    size_t n = strlen(h), i;
    int name = 0;
    unsigned char a[16];
    char bare[GES_HOST_MAX + 1];
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        if (n - 2 > GES_HOST_MAX) return 0;
        memcpy(bare, h + 1, n - 2);
        bare[n - 2] = '\0';
        return inet_pton(AF_INET6, bare, a) == 1;
    }
    if (n < 1 || n > GES_HOST_MAX) return 0;
    if (strchr(h, ':') != NULL) return inet_pton(AF_INET6, h, a) == 1;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (!fz_unreserved(c) || c == '~') return 0;
        if (!(c >= '0' && c <= '9') && c != '.') name = 1;
    }
    return name || inet_pton(AF_INET, h, a) == 1;
}

static int fz_hexdig(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1; /* lower case is not what the writer emits */
}

/* Segment [s, s+n) of the path must be the canonical encoding of id. */
static void fz_check_segment(const char *s, size_t n, const char *id)
{
    size_t i = 0, k = 0, idn = strlen(id);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        unsigned char dec;
        if (c == '%') {
            int hi, lo;
            FZ_CHECK(n - i >= 3, "a %XX escape is complete");
            hi = fz_hexdig((unsigned char)s[i + 1]);
            lo = fz_hexdig((unsigned char)s[i + 2]);
            FZ_CHECK(hi >= 0 && lo >= 0, "a %XX escape has two upper-case hex digits");
            dec = (unsigned char)(hi * 16 + lo);
            FZ_CHECK(!fz_unreserved(dec), "unreserved bytes are not escaped");
            i += 3;
        } else {
            FZ_CHECK(fz_unreserved(c), "a raw byte in an ID segment is unreserved");
            dec = c;
            i++;
        }
        FZ_CHECK(k < idn && (unsigned char)id[k] == dec, "the segment decodes to the ID");
        k++;
    }
    FZ_CHECK(k == idn, "the segment decodes to the whole ID");
}

/* Next CRLF-terminated line of the request at *pos. */
static void fz_next_line(const unsigned char *r, size_t n, size_t *pos,
                         const char **line, size_t *len)
{
    size_t i = *pos;
    while (i + 1 < n && !(r[i] == '\r' && r[i + 1] == '\n')) i++;
    FZ_CHECK(i + 1 < n, "every line ends with CRLF");
    *line = (const char *)r + *pos;
    *len = i - *pos;
    *pos = i + 2;
}

static void fz_expect_header(const unsigned char *r, size_t n, size_t *pos,
                             const char *name, const char *value, size_t vlen)
{
    const char *l;
    size_t len, nl = strlen(name);
    fz_next_line(r, n, pos, &l, &len);
    FZ_CHECK(len >= nl + 2 && memcmp(l, name, nl) == 0 && l[nl] == ':' && l[nl + 1] == ' ',
             "the next header has the expected name");
    if (value != NULL) {
        FZ_CHECK(len - nl - 2 == vlen && memcmp(l + nl + 2, value, vlen) == 0,
                 "the header has the expected value");
    } else {
        FZ_CHECK(len > nl + 2, "the header has a value");
    }
}

static void fz_check_request(const unsigned char *r, size_t n, const char *host,
                             unsigned port, const char *token,
                             const char *const ids[3])
{
    static const char *const fixed[] = {"", "v1.0", NULL, "graphs", NULL, "jobs", NULL, "status"};
    const char *l;
    size_t len, pos = 0, i, seg_start, seg = 0, slashes = 0;
    char hostval[GES__HOST_HDR_MAX];

    /* CR and LF only as CRLF */
    for (i = 0; i < n; i++) {
        if (r[i] == '\r') FZ_CHECK(i + 1 < n && r[i + 1] == '\n', "CR only before LF");
        if (r[i] == '\n') FZ_CHECK(i > 0 && r[i - 1] == '\r', "LF only after CR");
        FZ_CHECK(r[i] != 0, "no NUL byte in the request");
    }
    /* request line */
    fz_next_line(r, n, &pos, &l, &len);
    FZ_CHECK(len > 10 + 9 && memcmp(l, "GET /v1.0/", 10) == 0, "request line starts GET /v1.0/");
    FZ_CHECK(memcmp(l + len - 9, " HTTP/1.1", 9) == 0, "request line ends HTTP/1.1");
    l += 4;
    len -= 4 + 9; /* the path */
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)l[i];
        FZ_CHECK(c >= 0x21 && c <= 0x7E, "the path is printable ASCII without space");
        if (c == '/') slashes++;
    }
    FZ_CHECK(slashes == 7, "the path has exactly 7 '/' separators");
    seg_start = 1; /* after the leading '/' */
    for (i = 1; i <= len; i++) {
        if (i == len || l[i] == '/') {
            seg++;
            if (fixed[seg] != NULL) {
                FZ_CHECK(i - seg_start == strlen(fixed[seg]) &&
                             memcmp(l + seg_start, fixed[seg], i - seg_start) == 0,
                         "fixed path segments");
            } else {
                fz_check_segment(l + seg_start, i - seg_start, ids[seg / 2 - 1]);
            }
            seg_start = i + 1;
        }
    }
    FZ_CHECK(seg == 7, "seven path segments after the first '/'");
    /* headers */
    {
        size_t hl = strlen(host);
        int v6 = strchr(host, ':') != NULL; /* in brackets */
        FZ_CHECK(hl <= GES_HOST_MAX, "harness: host was accepted");
        hostval[0] = '[';
        memcpy(hostval + v6, host, hl);
        hl += (size_t)v6;
        if (v6) hostval[hl++] = ']';
        hostval[hl] = '\0';
        if (port != 443) {
            char num[8];
            snprintf(num, sizeof num, ":%u", port % 100000u);
            memcpy(hostval + hl, num, strlen(num) + 1);
        }
    }
    fz_expect_header(r, n, &pos, "Host", hostval, strlen(hostval));
    fz_expect_header(r, n, &pos, "User-Agent", NULL, 0);
    fz_expect_header(r, n, &pos, "Accept", NULL, 0);
    fz_expect_header(r, n, &pos, "Accept-Encoding", "identity", 8);
    fz_expect_header(r, n, &pos, "X-Auth-Token", token, strlen(token));
    fz_next_line(r, n, &pos, &l, &len);
    FZ_CHECK(len == 0, "the headers end with an empty line");
    FZ_CHECK(pos == n, "nothing follows the empty line");
}

/* ------------------------------------------------------------------------- */
static char *fz_field(const uint8_t *d, size_t n)
{
    char *s = (char *)malloc(n + 1);
    FZ_CHECK(s != NULL, "harness: out of memory");
    if (n) memcpy(s, d, n);
    s[n] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *f[5] = {NULL, NULL, NULL, NULL, NULL};
    const char *host, *ids[3];
    size_t start = 0, i, nf = 0, wbuf, bound;
    fz_rng_t rng;
    unsigned port;
    int ids_ok, tok_ok, host_ok, lib_ids_ok;
    static char hostn[GES_HOST_MAX + 1]; /* the host as the library keeps it */
    fz_port_ctx_t pc;
    ges_port_t pt;
    static ges_client_t client;      /* static: mbedTLS contexts are large */
    static ges_job_status_t st;

    if (data == NULL) data = (const uint8_t *)"";
    rng.s = fz_hash(data, size);
    for (i = 0; i <= size && nf < 5; i++) {
        if (i == size || data[i] == 0xFF) {
            f[nf++] = fz_field(data + start, i - start);
            start = i + 1;
        }
    }
    for (i = nf; i < 4; i++) f[i] = fz_field(data, 0);
    host = f[4] != NULL ? f[4] : FZ_DEFAULT_HOST;
    ids[0] = f[0];
    ids[1] = f[1];
    ids[2] = f[2];
    wbuf = 1 + fz_below(&rng, 64);
    switch (fz_below(&rng, 3)) {
    case 0: port = 443; break;
    case 1: port = 8443; break;
    default: port = 1 + (unsigned)fz_below(&rng, 65535); break;
    }

    /* the guards against the documented rules */
    lib_ids_ok = ges__id_ok(ids[0]) && ges__id_ok(ids[1]) && ges__id_ok(ids[2]);
    for (i = 0; i < 3; i++) {
        FZ_CHECK(ges__id_ok(ids[i]) == fz_id_rule(ids[i]), "ges__id_ok follows the ID rule");
    }
    FZ_CHECK(!ges__id_ok(NULL) && !ges__token_ok(NULL) && !ges__host_norm(NULL, hostn),
             "NULL is refused");
    tok_ok = ges__token_ok(f[3]);
    host_ok = ges__host_norm(host, hostn);
    FZ_CHECK(tok_ok == fz_token_rule(f[3]), "ges__token_ok follows the token rule");
    FZ_CHECK(host_ok == fz_host_rule(host), "ges__host_norm follows the host rule");
    if (host_ok) host = hostn;
    ids_ok = lib_ids_ok;

    /* the public entry points: refuse before any I/O */
    memset(&pc, 0, sizeof pc);
    memset(&pt, 0, sizeof pt);
    pt.ctx = &pc;
    pt.net_connect = fz_connect;
    pt.net_send = fz_send;
    pt.net_recv = fz_recv;
    pt.net_close = fz_close;
    pt.now_ms = fz_now;
    pt.sleep_ms = fz_sleep;
    pt.entropy = fz_entropy;
    if (!host_ok || !tok_ok) {
        ges_client_config_t cfg;
        static unsigned char io[GES_IO_BUF_MIN];
        ges_client_config_init(&cfg);
        cfg.host = host;
        cfg.token = f[3];
        cfg.platform = &pt;
        cfg.ca_pem = (const unsigned char *)"x";
        cfg.ca_pem_len = 2;
        cfg.io_buf = io;
        cfg.io_buf_len = sizeof io;
        FZ_CHECK(ges_client_init(&client, &cfg) == GES_ERR_INVALID_ARG,
                 "ges_client_init refuses a bad host or token");
        FZ_CHECK(pc.connects == 0 && pc.other == 0, "a refused init makes no port call");
        ges_client_free(&client);
    }
    /* A client as ges_client_init would leave it, minus TLS: enough for the
     * argument checks and a connect that fails. */
    memset(&client, 0, sizeof client);
    ges_client_config_init(&client.cfg);
    client.cfg.host = host_ok ? host : FZ_DEFAULT_HOST;
    client.cfg.token = "t";
    client.cfg.platform = &pt;
    client.cfg.port = (uint16_t)port;
    memcpy(client.host, client.cfg.host, strlen(client.cfg.host) + 1); /* <= GES_HOST_MAX */
    client.initialised = 1;
    memset(&st, 0xA5, sizeof st);
    {
        ges_err_t e = ges_job_get_status(&client, ids[0], ids[1], ids[2], &st);
        FZ_CHECK(fz_is_reset(&st, 0), "the result is reset (nothing was read)");
        if (!ids_ok) {
            FZ_CHECK(e == GES_ERR_INVALID_ARG, "ges_job_get_status refuses a bad ID");
            FZ_CHECK(pc.connects == 0 && pc.other == 0, "a refused ID makes no port call");
        } else {
            FZ_CHECK(e == GES_ERR_NET_CONNECT, "valid IDs reach the (failing) connect");
            FZ_CHECK(pc.connects == 1 && pc.other == 0, "one connect, nothing sent");
        }
    }
    if (!ids_ok) {
        ges_wait_config_t wc;
        ges_wait_config_init(&wc);
        memset(&st, 0xA5, sizeof st);
        FZ_CHECK(ges_job_wait(&client, ids[0], ids[1], ids[2], &wc, &st) == GES_ERR_INVALID_ARG,
                 "ges_job_wait refuses a bad ID");
        FZ_CHECK(pc.connects == 0 && pc.other == 0, "a refused wait makes no port call");
        FZ_CHECK(fz_is_reset(&st, 0), "a refused wait resets the result");
    }

    /* the writer, when everything is accepted */
    if (ids_ok && tok_ok && host_ok) {
        fz_sink_t s;
        unsigned char *wb = (unsigned char *)malloc(wbuf);
        ges__wr_t w;
        ges_err_t e;
        size_t full_len;
        unsigned long full_calls;
        FZ_CHECK(wb != NULL, "harness: out of memory");
        bound = 256 + 3 * (strlen(ids[0]) + strlen(ids[1]) + strlen(ids[2])) +
                strlen(f[3]) + strlen(host);
        memset(&s, 0, sizeof s);
        s.buf = (unsigned char *)malloc(bound);
        s.cap = bound;
        s.wbuf = wbuf;
        FZ_CHECK(s.buf != NULL, "harness: out of memory");
        w.sink = fz_sink;
        w.ctx = &s;
        w.buf = wb;
        w.cap = wbuf;
        w.len = 0;
        w.err = GES_OK;
        e = ges__write_request(&w, host, port, NULL, f[3], ids[0], ids[1], ids[2]);
        FZ_CHECK(e == GES_OK, "the writer succeeds with a working sink");
        FZ_CHECK(s.calls == (s.len + wbuf - 1) / wbuf, "one flush per full buffer, plus the rest");
        fz_check_request(s.buf, s.len, host, port, f[3], ids);
        full_len = s.len;
        full_calls = s.calls;

        /* a sink failing on call k */
        if (full_calls > 0) {
            fz_sink_t s2;
            memset(&s2, 0, sizeof s2);
            s2.buf = (unsigned char *)malloc(bound);
            s2.cap = bound;
            s2.wbuf = wbuf;
            s2.fail_at = 1 + (unsigned long)fz_below(&rng, full_calls);
            FZ_CHECK(s2.buf != NULL, "harness: out of memory");
            w.ctx = &s2;
            w.len = 0;
            w.err = GES_OK;
            e = ges__write_request(&w, host, port, NULL, f[3], ids[0], ids[1], ids[2]);
            FZ_CHECK(e == GES_ERR_NET_SEND, "the sink's error comes back");
            FZ_CHECK(s2.calls == s2.fail_at, "no call after the failing one");
            FZ_CHECK(s2.len <= full_len && memcmp(s2.buf, s.buf, s2.len) == 0,
                     "what was sent before the failure is a prefix of the request");
            free(s2.buf);
        }
        free(s.buf);
        free(wb);
    }
    for (i = 0; i < 5; i++) free(f[i]);
    return 0;
}
