/*
 * test_proxy - the HTTP CONNECT proxy (issue 14), in the library:
 *   - the CONNECT writer: exact bytes (name, IPv4, IPv6 in brackets, port
 *     always given), Basic credentials with every base64 remainder (RFC
 *     7617's own example included), the same bytes through a writer
 *     buffer of every size 1..64;
 *   - the proxy's answer head, fed byte by byte: 2xx, non-2xx, 1xx then
 *     200, LF-only lines, a 2xx with Content-Length / Transfer-Encoding
 *     (ignored, RFC 9110 9.3.6), malformed status lines; where it stops
 *     (exactly at the blank line's last byte); a head at GES_PROXY_HEAD_MAX
 *     and one byte over;
 *   - end to end with real mbedTLS on both ends (tests/tls_wire.h) and a
 *     fake proxy wrapped around the wire: the TCP connect goes to the
 *     proxy, SNI and Host name the GES host, kept-alive polls reuse the
 *     tunnel, after the server closes it the next poll sends CONNECT again
 *     and resumes the TLS session (the server's session cache is hit);
 *     credentials go out and the I/O buffer keeps no trace of them; 407 is
 *     GES_ERR_PROXY with ges_client_proxy_status() 407 and no handshake; a
 *     proxy that closes mid-head, stays silent (the deadline, in slices of
 *     at most GES_WAIT_SLICE_MS, GES_PHASE_PROXY told to the hook), sends a
 *     head too long; a cancel from the hook in GES_PHASE_PROXY;
 *   - bytes after the blank line stay on the wire for TLS;
 *   - a port error while sending CONNECT or reading the answer (NET_SEND,
 *     NET_RECV), an answer that is not HTTP (GES_ERR_HTTP);
 *   - ges_client_init's checks of the proxy fields.
 * Built a second time with GES_PROXY=0 (build/test_proxy0): then a config
 * naming a proxy is refused, ges_client_proxy_status() is 0, and a client
 * without one still polls.
 *
 * SPDX-License-Identifier: MIT
 */
#include "assert_on.h" /* GES_ASSERT is assert() */
#include "../ges_job.c"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if GES_CONFIG_NO_TLS
#error "test_proxy needs the client"
#endif

#if !defined(MBEDTLS_SSL_SRV_C) || !defined(MBEDTLS_PK_PARSE_C)
int main(void)
{
    (void)harness_cur_name;
    (void)harness_cur_failed;
    printf("test_proxy: skipped, this mbedTLS has no MBEDTLS_SSL_SRV_C\n");
    return harness_done();
}
#else
#include "tls_wire.h"

/* The client under test, and the plain server script: one answer each. */
static unsigned char io[4096];
static ges_client_t cl;
static ges_job_status_t st;

static void script_plain(unsigned n, const char *job)
{
    (void)n;
    answer_plain(job);
}

#if GES_PROXY
/* ------------------------------------------------------------------------- */
/* The CONNECT writer                                                        */
/* ------------------------------------------------------------------------- */
static char cap[2048];
static size_t cap_n;

static ges_err_t cap_sink(void *ctx, const unsigned char *p, size_t n)
{
    (void)ctx;
    if (n > sizeof cap - 1 - cap_n) return GES_ERR_NET_SEND;
    memcpy(cap + cap_n, p, n);
    cap_n += n;
    cap[cap_n] = '\0';
    return GES_OK;
}

/* The CONNECT request for these arguments, through a writer buffer of
 * `wcap` bytes, into cap. */
static ges_err_t connect_text(size_t wcap, const char *host, unsigned port, const char *user,
                              const char *pass)
{
    unsigned char wb[64];
    ges__wr_t w;
    cap_n = 0;
    cap[0] = '\0';
    w.sink = cap_sink;
    w.ctx = NULL;
    w.buf = wb;
    w.cap = wcap;
    w.len = 0;
    w.err = GES_OK;
    return ges__write_connect(&w, host, port, user, pass);
}

static void test_connect_writer(void)
{
    static const struct {
        const char *host;
        unsigned port;
        const char *user, *pass, *want;
    } t[] = {
        {"localhost", 8443, NULL, NULL,
         "CONNECT localhost:8443 HTTP/1.1\r\nHost: localhost:8443\r\n\r\n"},
        {"ges.example.com", 443, NULL, NULL,
         "CONNECT ges.example.com:443 HTTP/1.1\r\nHost: ges.example.com:443\r\n\r\n"},
        {"192.0.2.7", 1, NULL, NULL, "CONNECT 192.0.2.7:1 HTTP/1.1\r\nHost: 192.0.2.7:1\r\n\r\n"},
        {"::1", 443, NULL, NULL, "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n"},
        {"2001:db8::42", 65535, NULL, NULL,
         "CONNECT [2001:db8::42]:65535 HTTP/1.1\r\nHost: [2001:db8::42]:65535\r\n\r\n"},
        /* RFC 7617 section 2's example */
        {"h", 10, "Aladdin", "open sesame",
         "CONNECT h:10 HTTP/1.1\r\nHost: h:10\r\n"
         "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n"},
        {"h", 10, "", "", "CONNECT h:10 HTTP/1.1\r\nHost: h:10\r\n"
                          "Proxy-Authorization: Basic Og==\r\n\r\n"},
        {"h", 10, "a", "", "CONNECT h:10 HTTP/1.1\r\nHost: h:10\r\n"
                           "Proxy-Authorization: Basic YTo=\r\n\r\n"},
        {"h", 10, "ab", "c", "CONNECT h:10 HTTP/1.1\r\nHost: h:10\r\n"
                             "Proxy-Authorization: Basic YWI6Yw==\r\n\r\n"},
        {"h", 10, "user", "p\xc3\xa4ss w", "CONNECT h:10 HTTP/1.1\r\nHost: h:10\r\n"
                                           "Proxy-Authorization: Basic dXNlcjpww6RzcyB3\r\n\r\n"},
    };
    size_t i, wcap;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        for (wcap = 1; wcap <= 64; wcap++) {
            CHECK_EQ(connect_text(wcap, t[i].host, t[i].port, t[i].user, t[i].pass), GES_OK);
            if (strcmp(cap, t[i].want) != 0) {
                CHECK_STR(cap, t[i].want);
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------------- */
/* The proxy's answer head                                                   */
/* ------------------------------------------------------------------------- */
/* Feed `s` then "XYZ" byte by byte; returns the result and sets *at to
 * the index of the byte that ended the head (or failed it). */
static ges_err_t head_feed(const char *s, size_t n, size_t *at, int *status)
{
    ges__phead_t h;
    ges_err_t e = GES__AGAIN;
    size_t i;
    memset(&h, 0, sizeof h);
    for (i = 0; i < n + 3 && e == GES__AGAIN; i++) {
        e = ges__phead_byte(&h, (unsigned char)(i < n ? s[i] : "XYZ"[i - n]));
    }
    *at = i - 1;
    *status = h.status;
    return e;
}

static void test_head_reader(void)
{
    static const struct {
        const char *head;
        ges_err_t want;
        int status;
    } t[] = {
        {"HTTP/1.1 200 Connection established\r\n\r\n", GES_OK, 200},
        {"HTTP/1.0 200\r\n\r\n", GES_OK, 200},
        {"HTTP/1.1 204 \r\nProxy-Agent: x\r\n\r\n", GES_OK, 204},
        {"HTTP/1.1 200 OK\nVia: 1.1 p\n\n", GES_OK, 200},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", GES_OK,
         200},
        {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", GES_OK, 200},
        {"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
         "realm=\"p\"\r\nContent-Length: 0\r\n\r\n",
         GES_ERR_PROXY, 407},
        {"HTTP/1.1 403 Forbidden\r\n\r\n", GES_ERR_PROXY, 403},
        {"HTTP/1.1 502 Bad Gateway\r\n\r\n", GES_ERR_PROXY, 502},
        {"HTTP/1.1 302 Found\r\nLocation: http://x/\r\n\r\n", GES_ERR_PROXY, 302},
    };
    static const char *const bad[] = {
        "\r\n",
        "HTTP/2 200 OK\r\n",
        "HTTP/1.1 20\r\n",
        "HTTP/1.1 2000 OK\r\n",
        "HTTP/1.1 200x\r\n",
        "HTTP/1.1 099 x\r\n",
        "http/1.1 200 OK\r\n",
        "SSH-2.0-x\r\n",
        "HTTP/1.1  200 OK\r\n",
        "HTTP/1.x 200 OK\r\n",
        "HTTP/1.1\t200 OK\r\n",
        "HTTP/1.1 x00 OK\r\n",
        "HTTP/1.1 2x0 OK\r\n",
        "HTTP/1.1 20x OK\r\n",
    };
    size_t i, at;
    int status;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t n = strlen(t[i].head);
        CHECK_EQ(head_feed(t[i].head, n, &at, &status), t[i].want);
        CHECK_EQ(status, t[i].status);
        CHECK_EQ(at, n - 1); /* stopped at the blank line's LF, "XYZ" untouched */
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(head_feed(bad[i], strlen(bad[i]), &at, &status), GES_ERR_HTTP);
        CHECK_EQ(at, strlen(bad[i]) - 1);
    }
}

/* A head of exactly `n` bytes: status line, one padding header, blank. */
static size_t long_head(char *out, size_t n)
{
    static const char a[] = "HTTP/1.1 200 OK\r\nX-Pad: ", z[] = "\r\n\r\n";
    size_t pad = n - (sizeof a - 1) - (sizeof z - 1);
    memcpy(out, a, sizeof a - 1);
    memset(out + sizeof a - 1, 'p', pad);
    memcpy(out + sizeof a - 1 + pad, z, sizeof z);
    return n;
}

static char big[GES_PROXY_HEAD_MAX + 8];

static void test_head_bound(void)
{
    size_t at;
    int status;
    CHECK_EQ(head_feed(big, long_head(big, GES_PROXY_HEAD_MAX), &at, &status), GES_OK);
    CHECK_EQ(at, GES_PROXY_HEAD_MAX - 1);
    CHECK_EQ(head_feed(big, long_head(big, GES_PROXY_HEAD_MAX + 1), &at, &status),
             GES_ERR_HTTP_HEADERS_TOO_LARGE);
    CHECK_EQ(at, GES_PROXY_HEAD_MAX); /* the first byte over */
}

/* ------------------------------------------------------------------------- */
/* A fake proxy around the wire                                              */
/* ------------------------------------------------------------------------- */
static struct {
    int tunnel;        /* CONNECT answered: bytes pass to the wire */
    unsigned connects; /* CONNECT requests seen */
    char host[64];
    uint16_t port;
    char req[1024];
    size_t req_n;
    int fail_send;      /* the CONNECT's send fails */
    const char *answer; /* what the proxy answers to CONNECT */
    size_t answer_n;
    int close_after; /* then FIN */
} px;

static int p_connect(void *ctx, const char *host, uint16_t port, uint32_t t, ges_sock_t *s)
{
    size_t n = strlen(host);
    if (n < sizeof px.host) memcpy(px.host, host, n + 1);
    px.port = port;
    px.tunnel = 0;
    px.req_n = 0;
    px.req[0] = '\0';
    return w_connect(ctx, host, port, t, s);
}

static int p_send(void *ctx, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t)
{
    if (px.tunnel) return w_send(ctx, s, b, n, t);
    if (!ka.open || s != (ges_sock_t)ka.conns || px.fail_send) return GES_PORT_ERROR;
    if (n >= sizeof px.req - px.req_n) return GES_PORT_ERROR;
    memcpy(px.req + px.req_n, b, n);
    px.req_n += n;
    px.req[px.req_n] = '\0';
    if (strstr(px.req, "\r\n\r\n") != NULL) {
        px.connects++;
        q_put(&s2c, (const unsigned char *)px.answer, px.answer_n);
        if (px.close_after) ka.fin = 1;
        px.tunnel = 1;
    }
    return (int)n;
}

static const ges_port_t proxied = {NULL, p_connect, p_send, w_recv, w_close, w_now,
                                   w_sleep, w_entropy, NULL, NULL, NULL, NULL};

static void px_reset(const char *answer)
{
    memset(&px, 0, sizeof px);
    px.answer = answer;
    px.answer_n = strlen(answer);
}

/* The server's session cache, counted: a hit is a resumed session. */
static unsigned cache_hits;
#if defined(MBEDTLS_SSL_CACHE_C)
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
static int counting_get(void *data, const unsigned char *id, size_t len,
                        mbedtls_ssl_session *session)
{
    int r = mbedtls_ssl_cache_get(data, id, len, session);
    if (r == 0) cache_hits++;
    return r;
}
#else
static int counting_get(void *data, mbedtls_ssl_session *session)
{
    int r = mbedtls_ssl_cache_get(data, session);
    if (r == 0) cache_hits++;
    return r;
}
#endif
#endif

static struct {
    unsigned n, proxy_calls;
    int cancel_in_proxy;
    int order_ok; /* PROXY came after CONNECTING/RESOLVING, before HANDSHAKING */
    int last;
} hk;

static void on_progress(void *ctx, ges_phase_t phase, uint32_t left)
{
    (void)ctx;
    (void)left;
    if (phase == GES_PHASE_PROXY) {
        hk.proxy_calls++;
        if (hk.last == GES_PHASE_HANDSHAKING || hk.last == GES_PHASE_SENDING) hk.order_ok = 0;
        if (hk.cancel_in_proxy) ges_client_cancel(&cl);
    }
    hk.last = (int)phase;
    hk.n++;
}

/* Request 2 is answered, then the server closes (close_notify, FIN). */
static void script_close_on_2(unsigned n, const char *job)
{
    answer_plain(job);
    if (n == 2) {
        srv_later("", 0);  /* nothing more, ... */
        srv_later_close(); /* ... then close_notify and FIN */
    }
}

static ges_err_t proxy_client(const char *user, const char *pass)
{
    ges_client_config_t cfg;
    tw_client_config(&cfg, "localhost", &proxied, io, sizeof io);
    cfg.proxy_host = "proxy.test";
    cfg.proxy_port = 3128;
    cfg.proxy_user = user;
    cfg.proxy_password = pass;
    cfg.on_progress = on_progress;
    memset(&hk, 0, sizeof hk);
    hk.order_ok = 1;
    hk.last = -1;
    return ges_client_init(&cl, &cfg);
}

static const char OK200[] = "HTTP/1.1 200 Connection established\r\n\r\n";

static void test_tunnel_keepalive_and_resume(void)
{
    ka_reset(script_close_on_2, &srv_main);
    px_reset(OK200);
    cache_hits = 0;
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job-1", &st), GES_OK);
    CHECK_STR(px.host, "proxy.test");
    CHECK_EQ(px.port, 3128);
    CHECK_STR(px.req, "CONNECT localhost:8443 HTTP/1.1\r\nHost: localhost:8443\r\n\r\n");
    CHECK_EQ(ges_client_proxy_status(&cl), 200);
#if defined(MBEDTLS_SSL_SERVER_NAME_INDICATION)
    CHECK_STR(ka.sni, "localhost"); /* the GES host, never the proxy */
#endif
    CHECK_STR(ka.host_hdr, "localhost:8443");
    CHECK_STR(st.job_id, "job-1");
    CHECK(hk.proxy_calls > 0);
    CHECK(hk.order_ok);
    /* Kept alive: the same tunnel, no new CONNECT, no new handshake. */
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job-2", &st), GES_OK);
    CHECK_STR(st.job_id, "job-2");
    CHECK_EQ(px.connects, 1);
    CHECK_EQ(ka.handshakes, 1);
    /* The server closed the tunnel: CONNECT again, session resumed. */
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job-3", &st), GES_OK);
    CHECK_STR(st.job_id, "job-3");
    CHECK_EQ(px.connects, 2);
    CHECK_EQ(ka.handshakes, 2);
    CHECK_EQ(ka.writes_after_fin, 0);
#if defined(MBEDTLS_SSL_CACHE_C) && !GES_CONFIG_TLS13
    /* TLS 1.2: resumed from the server's session cache. (With
     * GES_CONFIG_TLS13 the matrix negotiates TLS 1.3, which resumes by
     * ticket; this in-process server issues none, so there every
     * handshake is a full one and only the counts above are checked.) */
    CHECK_EQ(cache_hits, 1);
#endif
    ges_client_free(&cl);
    CHECK(!ka_overflow);
}

static int has(const unsigned char *b, size_t n, const char *s)
{
    size_t k = strlen(s), i;
    for (i = 0; i + k <= n; i++) {
        if (memcmp(b + i, s, k) == 0) return 1;
    }
    return 0;
}

static void test_credentials(void)
{
    ka_reset(script_plain, &srv_main);
    px_reset(OK200);
    CHECK_EQ(proxy_client("Aladdin", "open sesame"), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_OK);
    CHECK(strstr(px.req, "\r\nProxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n") !=
          NULL);
    CHECK(!has(io, sizeof io, "QWxhZGRp"));
    CHECK(!has(io, sizeof io, "sesame"));
    CHECK(!has((const unsigned char *)ka.req, sizeof ka.req, "QWxhZGRp")); /* not to GES */
    ges_client_free(&cl);
}

static void test_refused(void)
{
    ka_reset(script_plain, &srv_main);
    px_reset("HTTP/1.1 407 Proxy Authentication Required\r\n"
             "Proxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\n\r\n");
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_PROXY);
    CHECK_EQ(ges_client_proxy_status(&cl), 407);
    CHECK_EQ(ka.handshakes, 0);
    CHECK(!ka.open); /* closed */
    CHECK_EQ(st.http_status, 0);
    /* The next attempt cannot reach the proxy: no status any more. */
    ka.open = 1; /* the wire refuses a connect while "open" */
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_NET_CONNECT);
    CHECK_EQ(ges_client_proxy_status(&cl), 0);
    ka.open = 0;
    ges_client_free(&cl);
}

static void test_closed_mid_head(void)
{
    ka_reset(script_plain, &srv_main);
    px_reset("HTTP/1.1 200 OK\r\n");
    px.close_after = 1;
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_NET_CLOSED);
    CHECK_EQ(ges_client_proxy_status(&cl), 0);
    CHECK(!ka.open);
    ges_client_free(&cl);
}

/* A port error while sending CONNECT or reading the answer is named by
 * the call that failed. */
static void test_port_errors_named(void)
{
    ka_reset(script_plain, &srv_main);
    px_reset(OK200);
    px.fail_send = 1;
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_NET_SEND);
    CHECK(!ka.open);
    ges_client_free(&cl);
    ka_reset(script_plain, &srv_main);
    px_reset(OK200);
    ka.fail_recv_at = 5; /* within the head */
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_NET_RECV);
    CHECK_EQ(ges_client_proxy_status(&cl), 0);
    CHECK(!ka.open);
    ges_client_free(&cl);
    ka_reset(script_plain, &srv_main);
    px_reset("SSH-2.0-OpenSSH_9.2\r\n");
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_HTTP);
    CHECK(!ka.open);
    ges_client_free(&cl);
}

static void test_silent_proxy_times_out_in_slices(void)
{
    uint32_t t0;
    ka_reset(script_plain, &srv_main);
    px_reset("");
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    t0 = ka.now;
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_TIMEOUT);
    CHECK(ka.now - t0 >= 5000 && ka.now - t0 <= 5000 + GES_WAIT_SLICE_MS);
    CHECK(ka.max_t <= GES_WAIT_SLICE_MS);
    CHECK(hk.proxy_calls >= 5000 / GES_WAIT_SLICE_MS);
    CHECK(!ka.open);
    ges_client_free(&cl);
}

static void test_head_too_long(void)
{
    ka_reset(script_plain, &srv_main);
    px_reset(big);
    px.answer_n = long_head(big, GES_PROXY_HEAD_MAX + 1);
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_HTTP_HEADERS_TOO_LARGE);
    CHECK_EQ(ka.handshakes, 0);
    ges_client_free(&cl);
    /* At the bound, it is fine. */
    ka_reset(script_plain, &srv_main);
    px_reset(big);
    px.answer_n = long_head(big, GES_PROXY_HEAD_MAX);
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_OK);
    ges_client_free(&cl);
}

static void test_cancel_in_proxy_phase(void)
{
    ka_reset(script_plain, &srv_main);
    px_reset("");
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    hk.cancel_in_proxy = 1;
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_CANCELLED);
    CHECK(!ka.open);
    CHECK_EQ(ka.silent_recvs, 0); /* before any wait */
    hk.cancel_in_proxy = 0;
    px_reset(OK200);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_OK);
    ges_client_free(&cl);
}

/* The bytes after the blank line are the tunnel's: they stay for TLS. */
static void test_bytes_after_head_stay(void)
{
    static const char ans[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nXYZ";
    ges_sock_t s;
    ka_reset(script_plain, &srv_main);
    px_reset(ans);
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    cl.deadline = ka.now + 1000;
    CHECK_EQ(p_connect(NULL, "proxy.test", 3128, 1000, &s), 0);
    cl.sock = s;
    cl.connected = 1;
    CHECK_EQ(ges__proxy_tunnel(&cl), GES_OK);
    CHECK_EQ(s2c.n, 3);
    CHECK(memcmp(s2c.b, "XYZ", 3) == 0);
    /* Through the whole call they reach TLS, which refuses them. */
    ges_client_free(&cl);
    w_close(NULL, s);
    ka_reset(script_plain, &srv_main);
    px_reset(ans);
    CHECK_EQ(proxy_client(NULL, NULL), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_ERR_TLS);
    ges_client_free(&cl);
}

static void test_init_checks(void)
{
    static char longcred[GES_PROXY_CRED_MAX + 2];
    static const struct {
        const char *host;
        uint16_t port;
        const char *user, *pass;
        ges_err_t want;
    } t[] = {
        {"proxy.test", 3128, NULL, NULL, GES_OK},
        {"[::1]", 3128, NULL, NULL, GES_OK},
        {"10.0.0.1", 3128, "u", "p", GES_OK},
        {"proxy.test", 3128, "", "", GES_OK},
        {"proxy.test", 3128, "u", "p\xc3\xa4 :x", GES_OK},
        {"proxy.test", 0, NULL, NULL, GES_ERR_INVALID_ARG},
        {"prox y", 3128, NULL, NULL, GES_ERR_INVALID_ARG},
        {"", 3128, NULL, NULL, GES_ERR_INVALID_ARG},
        {"proxy.test", 3128, "u", NULL, GES_ERR_INVALID_ARG},
        {"proxy.test", 3128, NULL, "p", GES_ERR_INVALID_ARG},
        {"proxy.test", 3128, "u:v", "p", GES_ERR_INVALID_ARG},
        {"proxy.test", 3128, "u", "p\r\nX: y", GES_ERR_INVALID_ARG},
        {"proxy.test", 3128, "u\x7f", "p", GES_ERR_INVALID_ARG},
        {"proxy.test", 3128, longcred, "p", GES_ERR_INVALID_ARG},
        {"proxy.test", 3128, "u", longcred, GES_ERR_INVALID_ARG},
        {NULL, 3128, "u", "p", GES_ERR_INVALID_ARG},  /* credentials, no proxy */
        {NULL, 3128, NULL, "p", GES_ERR_INVALID_ARG}, /* a password alone, no proxy */
    };
    ges_client_config_t cfg;
    size_t i;
    memset(longcred, 'a', GES_PROXY_CRED_MAX + 1);
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        tw_client_config(&cfg, "localhost", &proxied, io, sizeof io);
        cfg.proxy_host = t[i].host;
        cfg.proxy_port = t[i].port;
        cfg.proxy_user = t[i].user;
        cfg.proxy_password = t[i].pass;
        if (ges_client_init(&cl, &cfg) != t[i].want) {
            fprintf(stderr, "case %u\n", (unsigned)i);
            CHECK_EQ(ges_client_init(&cl, &cfg), t[i].want);
        }
        ges_client_free(&cl);
    }
    longcred[GES_PROXY_CRED_MAX] = '\0'; /* at the bound */
    tw_client_config(&cfg, "localhost", &proxied, io, sizeof io);
    cfg.proxy_host = "proxy.test";
    cfg.proxy_user = longcred;
    cfg.proxy_password = longcred;
    CHECK_EQ(ges_client_init(&cl, &cfg), GES_OK);
    ges_client_free(&cl);
    ges_client_config_init(&cfg);
    CHECK_EQ(cfg.proxy_port, 1080);
    CHECK(cfg.proxy_host == NULL);
    CHECK(strstr(ges_strerror(GES_ERR_PROXY), "proxy") != NULL);
    CHECK_EQ(ges_client_proxy_status(NULL), 0);
}

#else /* !GES_PROXY */
/* Every answer is followed by the server's close. */
static void script_close(unsigned n, const char *job)
{
    script_plain(n, job);
    srv_later("", 0);
    srv_later_close();
}

/* Built without the proxy: a config naming one is refused, a direct
 * client still works. */
static void test_without_proxy(void)
{
    ges_client_config_t cfg;
    tw_client_config(&cfg, "localhost", &wire, io, sizeof io);
    cfg.proxy_host = "proxy.test";
    CHECK_EQ(ges_client_init(&cl, &cfg), GES_ERR_INVALID_ARG);
    ges_client_free(&cl);
    cfg.proxy_host = NULL;
    ka_reset(script_close, &srv_main);
    CHECK_EQ(ges_client_init(&cl, &cfg), GES_OK);
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job", &st), GES_OK);
    CHECK_STR(st.job_id, "job");
    CHECK_EQ(ges_job_get_status(&cl, "p", "g", "job2", &st), GES_OK);
    CHECK_STR(st.job_id, "job2");
    CHECK_EQ(ka.conns, 2); /* the server closed: connected again, directly */
    CHECK_EQ(ges_client_proxy_status(&cl), 0);
    ges_client_free(&cl);
}
#endif

int main(void)
{
    if (tw_up() != 0) {
        printf("test_proxy: server set-up failed\n0 passed, 1 failed\n");
        return 1;
    }
#if !GES_PROXY
    RUN(test_without_proxy);
#else
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_conf_session_cache(&sconf_main, &scache, counting_get, mbedtls_ssl_cache_set);
#endif
    RUN(test_connect_writer);
    RUN(test_head_reader);
    RUN(test_head_bound);
    RUN(test_tunnel_keepalive_and_resume);
    RUN(test_credentials);
    RUN(test_refused);
    RUN(test_closed_mid_head);
    RUN(test_port_errors_named);
    RUN(test_silent_proxy_times_out_in_slices);
    RUN(test_head_too_long);
    RUN(test_cancel_in_proxy_phase);
    RUN(test_bytes_after_head_stay);
    RUN(test_init_checks);
#endif
    tw_down();
    return harness_done();
}
#endif
