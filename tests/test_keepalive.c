/*
 * test_keepalive - a kept-alive connection never carries another answer
 * (issue 13, items 1 and 2), with real mbedTLS on both ends: the client
 * under test talks through an in-memory wire (a fake ges_port_t, the one
 * part that cannot be real here: it must split records and inject bytes
 * on purpose) to an mbedTLS server in the same process, which answers each
 * request from a script: the answer in records split where the test says,
 * bytes appended in the same record, or bytes, close_notify and FIN sent
 * later, when the client looks again.
 *
 * What is covered:
 *   - (a) the answer ends exactly at the end of the receive window, or
 *     anywhere else, and the same or the next record holds more bytes:
 *     for every split of "answer A + a stale copy of A" into two records,
 *     and receive windows around the answer's length, the next poll (job
 *     B) reports B, never A;
 *   - (b) bytes that come in a later record, after the answer was read: a
 *     stray CRLF, an unsolicited 408, an extra answer, a late 100, a
 *     partial record; each split at every byte;
 *   - (c) 204 and 304 that declare a body and send it;
 *   - the server's idle close (close_notify and FIN): the next poll does
 *     not write into the dead connection, it reconnects at once;
 *   - a clean answer keeps its connection (one handshake for many polls,
 *     at every split and window size);
 *   - ges_job_wait over running, a stray CRLF, success: ends in success;
 *   - a port error in the handshake is named by the call that failed
 *     (send: GES_ERR_NET_SEND, receive: GES_ERR_NET_RECV);
 *   - IP-literal endpoints: 127.0.0.1, ::1 and [2001:db8::42] connect with
 *     no SNI and the certificate's iPAddress entry matched; an address the
 *     certificate does not list, or a certificate with only other
 *     addresses, is refused (GES_ERR_TLS_CERT, CN mismatch flag); a name
 *     still sends SNI; the Host header carries the address (IPv6 in
 *     brackets);
 *   - issue 14: the progress hook hears resolving, handshaking, sending,
 *     receiving (and sleeping in a wait) in order, at least every
 *     GES_WAIT_SLICE_MS of the wire's clock, and no port call is given a
 *     longer wait; ges_client_cancel() from the hook, in each phase, ends
 *     the call with GES_ERR_CANCELLED within one slice, closed, and the
 *     client polls fine afterwards; a cancel between calls ends the next
 *     one before anything is sent.
 *
 * The test certificates below are throwaway test keys made for this file
 * (EC P-256, valid 2026-2126; the client checks no dates here).
 *
 * SPDX-License-Identifier: MIT
 */
#include "../ges_job.c"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if GES_CONFIG_NO_TLS
#error "test_keepalive needs the client: unset GES_CONFIG_NO_TLS"
#endif

#if !defined(MBEDTLS_SSL_SRV_C) || !defined(MBEDTLS_PK_PARSE_C)
/* A client-only mbedTLS (port/mbedtls_config_ges.h) has no server side:
 * the suite cannot run there, and says so. */
int main(void)
{
    printf("test_keepalive: skipped, this mbedTLS has no MBEDTLS_SSL_SRV_C\n");
    printf("0 passed, 0 failed\n");
    return 0;
}
#else
#include <mbedtls/pk.h>
#if defined(MBEDTLS_SSL_CACHE_C)
#include <mbedtls/ssl_cache.h>
#endif

static const char KA_CA_PEM[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBiDCCAS6gAwIBAgIBATAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9nZXNfam9i\n"
    "IHRlc3QgQ0EwIBcNMjYxMjAzMDkyOTM3WhgPMjEyNjExMDkwOTI5MzdaMBoxGDAW\n"
    "BgNVBAMMD2dlc19qb2IgdGVzdCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA\n"
    "BAfhOxmnncKY/bRAej4/PhGMPaG9nLqQK1NmLq0c/fdHbDBg75vkYrqSahNLwDnJ\n"
    "Og7Q58rKw+L0H2U4NylWJUWjYzBhMB0GA1UdDgQWBBRp8gfKMFiUXSeQEI0Muasc\n"
    "CQnT1TAfBgNVHSMEGDAWgBRp8gfKMFiUXSeQEI0MuascCQnT1TAPBgNVHRMBAf8E\n"
    "BTADAQH/MA4GA1UdDwEB/wQEAwICBDAKBggqhkjOPQQDAgNIADBFAiEAymWyxeIh\n"
    "xK3FV3cWlVQQ5/t2ecBN9l0C01y9MFcjHbkCIGw46Ysp2mraY10O70o2xEpqI7Vx\n"
    "vAPxuxX8+OH1/8CF\n"
    "-----END CERTIFICATE-----\n";
static const char KA_SRV_CERT[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBrzCCAVSgAwIBAgIBAjAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9nZXNfam9i\n"
    "IHRlc3QgQ0EwIBcNMjYxMjAzMDkyOTM3WhgPMjEyNjExMDkwOTI5MzdaMBQxEjAQ\n"
    "BgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABAx6ESxe\n"
    "6NksqjL4NkyW6aveJNjkF7Gf/kd2sGFC+IxkkeUtKxOaEf+ys35e4XV8T/zk9wtV\n"
    "442bpIlFVbFngOqjgY4wgYswPgYDVR0RBDcwNYIJbG9jYWxob3N0hwR/AAABhxAA\n"
    "AAAAAAAAAAAAAAAAAAABhxAgAQ24AAAAAAAAAAAAAABCMAkGA1UdEwQCMAAwHQYD\n"
    "VR0OBBYEFLDaXINEmGkfSSfCpQxX8NoSQSsgMB8GA1UdIwQYMBaAFGnyB8owWJRd\n"
    "J5AQjQy5qxwJCdPVMAoGCCqGSM49BAMCA0kAMEYCIQC04LFCvY+otc/LSWWBsIhU\n"
    "Bv0QZgot2CXCpe8r2H+0GgIhAOKfl052Ols19vAh6Hd2FY70b9/W/8tShzIDQN5q\n"
    "Q7+Z\n"
    "-----END CERTIFICATE-----\n";
static const char KA_SRV_KEY[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIKrFuW06oLfO+Hbp86gg1zJ+UjGKEubjtRSBrPkTvtZboAoGCCqGSM49\n"
    "AwEHoUQDQgAEDHoRLF7o2SyqMvg2TJbpq94k2OQXsZ/+R3awYUL4jGSR5S0rE5oR\n"
    "/7Kzfl7hdXxP/OT3C1XjjZukiUVVsWeA6g==\n"
    "-----END EC PRIVATE KEY-----\n";
static const char KA_OTHER_CERT[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBojCCAUigAwIBAgIBAzAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9nZXNfam9i\n"
    "IHRlc3QgQ0EwIBcNMjYxMjAzMDkyOTM3WhgPMjEyNjExMDkwOTI5MzdaMBgxFjAU\n"
    "BgNVBAMMDXdyb25nLmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQl\n"
    "OYU/k7Er9uz8JAqBTlRbd7s0W9DmMRBUYSCdDZk2/bzDyJrfrpcQp+Nxq8a6SNiw\n"
    "YfeJUOihwpL/BujivZ/zo38wfTAwBgNVHREEKTAngg13cm9uZy5leGFtcGxlhwTA\n"
    "AAJjhxAgAQ24AAAAAAAAAAAAAACZMAkGA1UdEwQCMAAwHQYDVR0OBBYEFIID3DHD\n"
    "RzXoJgsVWDeNa3OD1rMpMB8GA1UdIwQYMBaAFGnyB8owWJRdJ5AQjQy5qxwJCdPV\n"
    "MAoGCCqGSM49BAMCA0gAMEUCIQDyEKnAi4rZpexOa0Y/waS/1EMSZSuuAQ1X4q+1\n"
    "iMkhUAIgGPyFO0YPRJFy48C12OmeHGIJ+yHiVKpYNbbjaTCGpgg=\n"
    "-----END CERTIFICATE-----\n";
static const char KA_OTHER_KEY[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIFWNSk24qpCR9A/Ydi4l4QybYwR6gD3wbzfPFpl4u9i/oAoGCCqGSM49\n"
    "AwEHoUQDQgAEJTmFP5OxK/bs/CQKgU5UW3e7NFvQ5jEQVGEgnQ2ZNv28w8ia366X\n"
    "EKfjcavGukjYsGH3iVDoocKS/wbo4r2f8w==\n"
    "-----END EC PRIVATE KEY-----\n";

/* ------------------------------------------------------------------------- */
/* The wire, the server and its script                                       */
/* ------------------------------------------------------------------------- */
#define KA_Q 65536
typedef struct {
    unsigned char b[KA_Q];
    size_t n;
} ka_q_t;

static ka_q_t c2s, s2c; /* client to server, server to client */
static int ka_overflow;

static void q_put(ka_q_t *q, const unsigned char *p, size_t n)
{
    if (n > KA_Q - q->n) {
        ka_overflow = 1;
        n = KA_Q - q->n;
    }
    memcpy(q->b + q->n, p, n);
    q->n += n;
}

static size_t q_take(ka_q_t *q, unsigned char *p, size_t n)
{
    if (n > q->n) n = q->n;
    memcpy(p, q->b, n);
    memmove(q->b, q->b + n, q->n - n);
    q->n -= n;
    return n;
}

/* The script answers request number `n` (1-based, over all connections)
 * for `job` with srv_record() / srv_later() / srv_later_close(). */
typedef void (*ka_script_t)(unsigned n, const char *job);

static struct {
    mbedtls_ssl_context *ssl; /* the server context in use */
    ka_script_t script;
    int open;                 /* the client's socket is open */
    int fin;                  /* the server closed: FIN once s2c drains */
    int hs_done;
    unsigned conns, handshakes, requests, writes_after_fin;
    int sni_seen;
    char sni[64];
    char host_hdr[96];
    char req[4096];
    size_t req_n;
    unsigned char later[2][512]; /* records held back until the client looks */
    size_t later_n[2];
    int later_close;          /* then close_notify and FIN */
    uint32_t now;
    uint32_t rnd;
    unsigned sends, recvs;              /* port calls on this connection */
    unsigned fail_send_at, fail_recv_at; /* 1-based: that call fails; 0: none */
    uint32_t max_t;           /* longest timeout a send or receive was given */
    unsigned stall_send;      /* sends after the handshake that time out */
} ka;

static mbedtls_ssl_context srv_main, srv_other;
static mbedtls_ssl_config sconf_main, sconf_other;
static mbedtls_x509_crt scrt_main, scrt_other;
static mbedtls_pk_context skey_main, skey_other;
static mbedtls_ctr_drbg_context sdrbg;
#if defined(MBEDTLS_SSL_CACHE_C)
static mbedtls_ssl_cache_context scache;
#endif

static int s_send(void *ctx, const unsigned char *p, size_t n)
{
    (void)ctx;
    q_put(&s2c, p, n);
    return (int)n;
}

static int s_recv(void *ctx, unsigned char *p, size_t n)
{
    (void)ctx;
    if (c2s.n == 0) return MBEDTLS_ERR_SSL_WANT_READ;
    return (int)q_take(&c2s, p, n);
}

/* One TLS record now, bytes as given. */
static void srv_record(const void *p, size_t n)
{
    size_t off = 0;
    while (off < n) {
        int r = mbedtls_ssl_write(ka.ssl, (const unsigned char *)p + off, n - off);
        if (r <= 0) {
            ka_overflow = 1;
            return;
        }
        off += (size_t)r;
    }
}

/* Bytes for a record (two records when given twice) sent only when the
 * client looks again: after it read all there was, or when it sends. */
static void srv_later(const void *p, size_t n)
{
    int i = ka.later_n[0] ? 1 : 0;
    if (n > sizeof ka.later[0] || ka.later_n[1]) {
        ka_overflow = 1;
        return;
    }
    memcpy(ka.later[i], p, n);
    ka.later_n[i] = n;
}

static void srv_later_close(void) { ka.later_close = 1; }

static void srv_release(void)
{
    int i;
    if (!ka.open || ka.fin) return;
    for (i = 0; i < 2; i++) {
        if (ka.later_n[i]) srv_record(ka.later[i], ka.later_n[i]);
        ka.later_n[i] = 0;
    }
    if (ka.later_close) {
        (void)mbedtls_ssl_close_notify(ka.ssl);
        ka.fin = 1;
        ka.later_close = 0;
    }
}

static void srv_requests(void)
{
    char *end;
    while ((end = strstr(ka.req, "\r\n\r\n")) != NULL) {
        char job[80] = "";
        const char *j = strstr(ka.req, "/jobs/"), *h = strstr(ka.req, "\r\nHost: ");
        size_t used = (size_t)(end + 4 - ka.req);
        if (j != NULL && j < end) {
            const char *e = strstr(j + 6, "/status");
            size_t n = e ? (size_t)(e - (j + 6)) : 0;
            if (n < sizeof job) {
                memcpy(job, j + 6, n);
                job[n] = '\0';
            }
        }
        if (h != NULL && h < end) {
            const char *e = strstr(h + 8, "\r\n");
            size_t n = (size_t)(e - (h + 8));
            if (n < sizeof ka.host_hdr) {
                memcpy(ka.host_hdr, h + 8, n);
                ka.host_hdr[n] = '\0';
            }
        }
        ka.requests++;
        ka.script(ka.requests, job);
        memmove(ka.req, ka.req + used, ka.req_n - used + 1);
        ka.req_n -= used;
    }
}

static void srv_pump(void)
{
    int r;
    if (!ka.open || ka.fin) return;
    if (!ka.hs_done) {
        r = mbedtls_ssl_handshake(ka.ssl);
        if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return;
        if (r != 0) { /* the client gave up (bad certificate...) */
            ka.fin = 1;
            return;
        }
        ka.hs_done = 1;
        ka.handshakes++;
    }
    for (;;) {
        unsigned char buf[1024];
        r = mbedtls_ssl_read(ka.ssl, buf, sizeof buf);
        if (r <= 0) return;
        if ((size_t)r >= sizeof ka.req - ka.req_n) {
            ka_overflow = 1;
            return;
        }
        memcpy(ka.req + ka.req_n, buf, (size_t)r);
        ka.req_n += (size_t)r;
        ka.req[ka.req_n] = '\0';
        srv_requests();
    }
}

#if defined(MBEDTLS_SSL_SERVER_NAME_INDICATION)
static int srv_sni(void *p, mbedtls_ssl_context *ssl, const unsigned char *name, size_t n)
{
    (void)p;
    (void)ssl;
    ka.sni_seen = 1;
    if (n >= sizeof ka.sni) n = sizeof ka.sni - 1;
    memcpy(ka.sni, name, n);
    ka.sni[n] = '\0';
    return 0;
}
#endif

/* ------------------------------------------------------------------------- */
/* The client's port: the wire, a fake clock, test-only entropy              */
/* ------------------------------------------------------------------------- */
static int w_connect(void *ctx, const char *host, uint16_t port, uint32_t t, ges_sock_t *s)
{
    (void)ctx;
    (void)host;
    (void)port;
    (void)t;
    if (ka.open) return GES_PORT_ERROR; /* the client must close first */
    c2s.n = s2c.n = 0;
    ka.open = 1;
    ka.fin = ka.hs_done = 0;
    ka.req_n = 0;
    ka.req[0] = '\0';
    ka.later_n[0] = ka.later_n[1] = 0;
    ka.later_close = 0;
    ka.sends = ka.recvs = 0;
    (void)mbedtls_ssl_session_reset(ka.ssl);
    *s = (ges_sock_t)++ka.conns;
    return 0;
}

static int w_send(void *ctx, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t)
{
    (void)ctx;
    (void)t;
    if (!ka.open || s != (ges_sock_t)ka.conns) return GES_PORT_ERROR;
    if (t > ka.max_t) ka.max_t = t;
    if (ka.hs_done && ka.stall_send) { /* a full send window: nothing moves */
        ka.stall_send--;
        ka.now += t;
        return GES_PORT_TIMEOUT;
    }
    if (++ka.sends == ka.fail_send_at) return GES_PORT_ERROR;
    srv_release(); /* what was on its way arrives before the next answer */
    if (ka.fin) {
        ka.writes_after_fin++; /* TCP takes it; the answer is EOF or RST */
        return (int)n;
    }
    q_put(&c2s, b, n);
    srv_pump();
    return (int)n;
}

static int w_recv(void *ctx, ges_sock_t s, unsigned char *b, size_t n, uint32_t t)
{
    (void)ctx;
    if (!ka.open || s != (ges_sock_t)ka.conns) return GES_PORT_ERROR;
    if (t > ka.max_t) ka.max_t = t;
    if (++ka.recvs == ka.fail_recv_at) return GES_PORT_ERROR;
    srv_pump();
    if (s2c.n == 0) srv_release();
    if (s2c.n) return (int)q_take(&s2c, b, n);
    if (ka.fin) return 0;
    ka.now += t; /* nothing more will come: the wait runs out */
    return GES_PORT_TIMEOUT;
}

static void w_close(void *ctx, ges_sock_t s)
{
    (void)ctx;
    if (s == (ges_sock_t)ka.conns) ka.open = 0;
}

static uint32_t w_now(void *ctx)
{
    (void)ctx;
    return ka.now;
}

static void w_sleep(void *ctx, uint32_t ms)
{
    (void)ctx;
    ka.now += ms;
}

/* TEST ONLY: a fixed pseudo-random sequence, so runs repeat. Never a
 * source of keys outside a test. */
static int w_entropy(void *ctx, unsigned char *b, size_t n)
{
    size_t i;
    (void)ctx;
    for (i = 0; i < n; i++) {
        ka.rnd ^= ka.rnd << 13;
        ka.rnd ^= ka.rnd >> 17;
        ka.rnd ^= ka.rnd << 5;
        b[i] = (unsigned char)ka.rnd;
    }
    return 0;
}

static int s_entropy(void *ctx, unsigned char *b, size_t n) { return w_entropy(ctx, b, n); }

static const ges_port_t wire = {NULL, w_connect, w_send, w_recv, w_close, w_now,
                                w_sleep, w_entropy, NULL, NULL, NULL, NULL};

static int srv_setup(mbedtls_ssl_context *ssl, mbedtls_ssl_config *conf,
                     mbedtls_x509_crt *crt, mbedtls_pk_context *key,
                     const char *crt_pem, size_t crt_len, const char *key_pem, size_t key_len)
{
    mbedtls_ssl_init(ssl);
    mbedtls_ssl_config_init(conf);
    mbedtls_x509_crt_init(crt);
    mbedtls_pk_init(key);
    if (mbedtls_x509_crt_parse(crt, (const unsigned char *)crt_pem, crt_len) != 0) return -1;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    if (mbedtls_pk_parse_key(key, (const unsigned char *)key_pem, key_len, NULL, 0,
                             mbedtls_ctr_drbg_random, &sdrbg) != 0) {
        return -1;
    }
#else
    if (mbedtls_pk_parse_key(key, (const unsigned char *)key_pem, key_len, NULL, 0) != 0) {
        return -1;
    }
#endif
    if (mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
        return -1;
    }
    mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &sdrbg);
    if (mbedtls_ssl_conf_own_cert(conf, crt, key) != 0) return -1;
#if defined(MBEDTLS_SSL_SERVER_NAME_INDICATION)
    mbedtls_ssl_conf_sni(conf, srv_sni, NULL);
#endif
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_conf_session_cache(conf, &scache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
#endif
    if (mbedtls_ssl_setup(ssl, conf) != 0) return -1;
    mbedtls_ssl_set_bio(ssl, NULL, s_send, s_recv, NULL);
    return 0;
}

/* ------------------------------------------------------------------------- */
/* The client under test                                                     */
/* ------------------------------------------------------------------------- */
static unsigned char io[4096];
static ges_client_t cl;
static ges_job_status_t st;

static void hook_reset(void);

static void ka_reset(ka_script_t script, mbedtls_ssl_context *ssl)
{
    ka.ssl = ssl;
    ka.script = script;
    ka.open = ka.fin = ka.hs_done = 0;
    ka.conns = ka.handshakes = ka.requests = ka.writes_after_fin = 0;
    ka.sni_seen = 0;
    ka.sni[0] = ka.host_hdr[0] = '\0';
    ka.later_n[0] = ka.later_n[1] = 0;
    ka.later_close = 0;
    ka.fail_send_at = ka.fail_recv_at = 0;
    ka.max_t = 0;
    ka.stall_send = 0;
    ka_overflow = 0;
    hook_reset(); /* no cancel unless a test asks for one */
}

/* The progress hook (issue 14): what it heard, on the wire's clock. */
#define HOOK_MAX 4096
static struct {
    unsigned n, over;
    uint8_t phase[HOOK_MAX];
    uint32_t left[HOOK_MAX], at[HOOK_MAX];
    int cancel_in;            /* >= 0: cancel in this phase ... */
    unsigned cancel_after;    /* ... at the call after this many in it */
    unsigned in_phase;
    uint32_t cancelled_at;    /* the wire's clock when it cancelled */
} hk;

static void hook_reset(void)
{
    memset(&hk, 0, sizeof hk);
    hk.cancel_in = -1;
}

static void on_progress(void *ctx, ges_phase_t phase, uint32_t left)
{
    CHECK(ctx == &hk);
    if (hk.n < HOOK_MAX) {
        hk.phase[hk.n] = (uint8_t)phase;
        hk.left[hk.n] = left;
        hk.at[hk.n] = ka.now;
        hk.n++;
    } else {
        hk.over++;
    }
    if (hk.cancel_in == (int)phase && hk.in_phase++ == hk.cancel_after) {
        hk.cancel_in = -1;
        hk.cancelled_at = ka.now;
        ges_client_cancel(&cl); /* as another thread or a signal would */
    }
}

static ges_err_t client_up(const char *host, size_t io_len)
{
    ges_client_config_t cfg;
    ges_client_config_init(&cfg);
    cfg.host = host;
    cfg.port = 8443;
    cfg.token = "test-token";
    cfg.ca_pem = (const unsigned char *)KA_CA_PEM;
    cfg.ca_pem_len = sizeof KA_CA_PEM;
    cfg.platform = &wire;
    cfg.io_buf = io;
    cfg.io_buf_len = io_len;
    cfg.timeout_ms = 5000;
    cfg.on_progress = on_progress;
    cfg.progress_ctx = &hk;
    return ges_client_init(&cl, &cfg);
}

static ges_err_t poll_job(const char *job)
{
    return ges_job_get_status(&cl, "p", "g", job, &st);
}

/* A 200 answer for `job` in `status`. */
static size_t answer(char *out, const char *job, const char *status)
{
    char body[160];
    int bn = sprintf(body, "{\"jobId\":\"%s\",\"status\":\"%s\",\"jobProgress\":0.5}", job,
                     status);
    return (size_t)sprintf(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: %d\r\n\r\n%s",
                           bn, body);
}

/* Every request after the first: the plain answer "success". */
static void answer_plain(const char *job)
{
    char a[300];
    srv_record(a, answer(a, job, "success"));
}

/* Poll A then B; B must be B's own answer. */
static int a_then_b(void)
{
    ges_err_t ea = poll_job("A"), eb = poll_job("B");
    int ok = ea == GES_OK && strcmp(st.job_id, "B") == 0 && eb == GES_OK &&
             st.job_state == GES_JOB_SUCCESS && !ka_overflow;
    if (!ok) {
        fprintf(stderr, "  poll A: %s; poll B: %s, jobId \"%s\"\n", ges_strerror(ea),
                ges_strerror(eb), st.job_id);
    }
    return ok;
}

/* Receive windows (io_buf_len / 2) around the answer's length L, and a few
 * fixed sizes. */
static size_t windows(size_t L, size_t *out)
{
    size_t n = 0, w[] = {L - 1, L, L + 1, 64, 100, 1024}, i;
    for (i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (2 * w[i] >= GES_IO_BUF_MIN && 2 * w[i] <= sizeof io) out[n++] = 2 * w[i];
    }
    return n;
}

/* ------------------------------------------------------------------------- */
/* (a) more bytes in the same record, or the next one, split everywhere      */
/* ------------------------------------------------------------------------- */
static size_t split_at;

static void script_dup(unsigned n, const char *job)
{
    char a[600];
    size_t len;
    if (n != 1) {
        answer_plain(job);
        return;
    }
    /* job A's answer, then a stale copy of it (as a confused server or
     * proxy would send), split into two records at split_at */
    len = answer(a, job, "running");
    len += answer(a + len, job, "running");
    if (split_at == 0 || split_at >= len) {
        srv_record(a, len);
    } else {
        srv_record(a, split_at);
        srv_record(a + split_at, len - split_at);
    }
}

static void test_extra_bytes_same_or_next_record(void)
{
    char a[300];
    size_t L = answer(a, "A", "running"), sizes[8], ns = windows(L, sizes), i;
    unsigned bad = 0, runs = 0;
    for (i = 0; i < ns; i++) {
        ka_reset(script_dup, &srv_main);
        CHECK_EQ(client_up("localhost", sizes[i]), GES_OK);
        for (split_at = 0; split_at <= 2 * L; split_at++) {
            unsigned before = ka.conns, want = before + 1 + !cl.connected;
            ka.requests = 0;
            runs++;
            if (!a_then_b() || ka.conns != want) {
                if (bad++ < 3) {
                    fprintf(stderr, "  window %zu, split at %zu: conns %u -> %u\n",
                            sizes[i] / 2, split_at, before, ka.conns);
                }
            }
        }
        ges_client_free(&cl);
    }
    CHECK_EQ(bad, 0);
    CHECK(runs > 6 * L);
}

/* ------------------------------------------------------------------------- */
/* (b) bytes in a later record; (c) 204 / 304 that send a body               */
/* ------------------------------------------------------------------------- */
static const char *later_bytes;
static size_t later_len;

static void script_later(unsigned n, const char *job)
{
    char a[300];
    if (n != 1) {
        answer_plain(job);
        return;
    }
    srv_record(a, answer(a, job, "running"));
    if (split_at == 0 || split_at >= later_len) {
        srv_later(later_bytes, later_len);
    } else { /* a partial record first, the rest in another */
        srv_later(later_bytes, split_at);
        srv_later(later_bytes + split_at, later_len - split_at);
    }
}

static void test_extra_bytes_later(void)
{
    static const char extra_a[] = "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n"
                                  "{\"jobId\":\"A\",\"status\":\"failed\"}";
    static const char *const kinds[] = {
        "\r\n",
        "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        extra_a,
        "HTTP/1.1 100 Continue\r\n\r\n",
        "H",
    };
    size_t k;
    unsigned bad = 0;
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        ka_reset(script_later, &srv_main);
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        later_bytes = kinds[k];
        later_len = strlen(kinds[k]);
        for (split_at = 0; split_at < later_len; split_at++) {
            unsigned before = ka.conns, want = before + 1 + !cl.connected;
            ka.requests = 0;
            if ((!a_then_b() || ka.conns != want) && bad++ < 3) {
                fprintf(stderr, "  later bytes %zu, split at %zu\n", k, split_at);
            }
        }
        ges_client_free(&cl);
    }
    CHECK_EQ(bad, 0);
}

static const char *nobody_head;

static void script_nobody(unsigned n, const char *job)
{
    if (n != 1) {
        answer_plain(job);
        return;
    }
    /* the declared body is sent anyway: in the same record, or later */
    if (split_at == 0) {
        char a[200];
        size_t len = (size_t)sprintf(a, "%shello", nobody_head);
        srv_record(a, len);
    } else {
        srv_record(nobody_head, strlen(nobody_head));
        srv_later("hello", 5);
    }
}

static void test_204_304_with_a_body(void)
{
    static const char *const heads[] = {
        "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
    };
    size_t h;
    for (h = 0; h < 2; h++) {
        for (split_at = 0; split_at < 2; split_at++) {
            ges_err_t ea, eb;
            ka_reset(script_nobody, &srv_main);
            nobody_head = heads[h];
            CHECK_EQ(client_up("localhost", 512), GES_OK);
            ea = poll_job("A");
            CHECK_EQ(st.http_status, h == 0 ? 204 : 304);
            (void)ea;
            eb = poll_job("B");
            CHECK_EQ(eb, GES_OK);
            CHECK_STR(st.job_id, "B");
            CHECK_EQ(ka.conns, 2);
            ges_client_free(&cl);
        }
    }
}

/* ------------------------------------------------------------------------- */
/* The server's idle close; a clean answer keeps the connection              */
/* ------------------------------------------------------------------------- */
static void script_idle_close(unsigned n, const char *job)
{
    char a[300];
    srv_record(a, answer(a, job, n == 1 ? "running" : "success"));
    if (n == 1) srv_later_close();
}

static void test_idle_close_reconnects_without_writing(void)
{
    ka_reset(script_idle_close, &srv_main);
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    CHECK(a_then_b());
    CHECK_EQ(ka.writes_after_fin, 0); /* nothing written into the dead one */
    CHECK_EQ(ka.conns, 2);
    CHECK_EQ(ka.requests, 2);         /* the GET was sent once */
    ges_client_free(&cl);
}

static void script_clean(unsigned n, const char *job)
{
    char a[300];
    size_t len = answer(a, job, n % 2 ? "running" : "success");
    if (split_at == 0 || split_at >= len) {
        srv_record(a, len);
    } else {
        srv_record(a, split_at);
        srv_record(a + split_at, len - split_at);
    }
}

static void test_clean_answers_keep_the_connection(void)
{
    char a[300];
    size_t L = answer(a, "A", "running"), sizes[8], ns = windows(L, sizes), i;
    for (i = 0; i < ns; i++) {
        unsigned bad = 0;
        ka_reset(script_clean, &srv_main);
        CHECK_EQ(client_up("localhost", sizes[i]), GES_OK);
        for (split_at = 0; split_at <= L; split_at++) {
            if (poll_job("A") != GES_OK || strcmp(st.job_id, "A") != 0) bad++;
            if (poll_job("B") != GES_OK || strcmp(st.job_id, "B") != 0) bad++;
        }
        CHECK_EQ(bad, 0);
        CHECK_EQ(ka.conns, 1);
        CHECK_EQ(ka.handshakes, 1);
        CHECK_EQ(ka.requests, 2 * (L + 1));
        ges_client_free(&cl);
    }
}

/* ------------------------------------------------------------------------- */
/* A wait meets a stray CRLF between two polls                               */
/* ------------------------------------------------------------------------- */
static void script_wait(unsigned n, const char *job)
{
    char a[300];
    srv_record(a, answer(a, job, n < 3 ? "running" : "success"));
    if (n == 1) srv_later("\r\n", 2);
}

static void test_wait_survives_a_stray_crlf(void)
{
    ka_reset(script_wait, &srv_main);
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    CHECK_EQ(ges_job_wait(&cl, "p", "g", "W", NULL, &st), GES_OK);
    CHECK_EQ(st.job_state, GES_JOB_SUCCESS);
    CHECK_EQ(ka.requests, 3);
    CHECK_EQ(ka.conns, 2); /* one reconnect, for the stray bytes */
    ges_client_free(&cl);
}

/* ------------------------------------------------------------------------- */
/* IP-literal endpoints                                                      */
/* ------------------------------------------------------------------------- */
static void script_one(unsigned n, const char *job)
{
    (void)n;
    answer_plain(job);
}

static void literal(const char *host, mbedtls_ssl_context *ssl, ges_err_t want,
                    const char *host_hdr, int sni)
{
    ges_err_t e;
    ka_reset(script_one, ssl);
    CHECK_EQ(client_up(host, 512), GES_OK);
    e = poll_job("A");
    if (e != want) fprintf(stderr, "  host %s: %s\n", host, ges_strerror(e));
    CHECK_EQ(e, want);
    if (want == GES_OK) {
        CHECK_STR(st.job_id, "A");
        CHECK_STR(ka.host_hdr, host_hdr);
    } else {
        CHECK(ges_client_cert_flags(&cl) & MBEDTLS_X509_BADCERT_CN_MISMATCH);
    }
#if defined(MBEDTLS_SSL_SERVER_NAME_INDICATION)
    CHECK_EQ(ka.sni_seen, sni);
    if (sni) CHECK_STR(ka.sni, host);
#else
    (void)sni;
#endif
    ges_client_free(&cl);
}

static void test_ip_literals(void)
{
    /* the main certificate: DNS:localhost, IP 127.0.0.1, ::1, 2001:db8::42 */
    literal("127.0.0.1", &srv_main, GES_OK, "127.0.0.1:8443", 0);
    literal("::1", &srv_main, GES_OK, "[::1]:8443", 0);
    literal("[::1]", &srv_main, GES_OK, "[::1]:8443", 0);
    literal("2001:db8::42", &srv_main, GES_OK, "[2001:db8::42]:8443", 0);
    literal("2001:0db8:0:0:0:0:0:42", &srv_main, GES_OK, "[2001:0db8:0:0:0:0:0:42]:8443", 0);
    literal("localhost", &srv_main, GES_OK, "localhost:8443", 1);
    /* addresses and names it does not list */
    literal("192.0.2.99", &srv_main, GES_ERR_TLS_CERT, "", 0);
    literal("::2", &srv_main, GES_ERR_TLS_CERT, "", 0);
    literal("::ffff:127.0.0.1", &srv_main, GES_ERR_TLS_CERT, "", 0); /* 16 bytes, not 4 */
    literal("wrong.example", &srv_main, GES_ERR_TLS_CERT, "", 1);
    /* the other certificate: DNS:wrong.example, IP 192.0.2.99, 2001:db8::99 */
    literal("127.0.0.1", &srv_other, GES_ERR_TLS_CERT, "", 0);
    literal("192.0.2.99", &srv_other, GES_OK, "192.0.2.99:8443", 0);
    literal("2001:db8::99", &srv_other, GES_OK, "[2001:db8::99]:8443", 0);
    literal("2001:db8::42", &srv_other, GES_ERR_TLS_CERT, "", 0);
}

/* A port error during the handshake is named by what failed: a send is
 * GES_ERR_NET_SEND, a receive GES_ERR_NET_RECV (issue 13); then the same
 * client polls fine. */
static void test_handshake_port_errors_named(void)
{
    unsigned k;
    for (k = 1; k <= 2; k++) {
        ka_reset(script_one, &srv_main);
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        ka.fail_send_at = k; /* 1: the ClientHello, 2: the key exchange */
        CHECK_EQ(poll_job("A"), GES_ERR_NET_SEND);
        ka.fail_send_at = 0;
        CHECK_EQ(poll_job("A"), GES_OK);
        ges_client_free(&cl);

        ka_reset(script_one, &srv_main);
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        ka.fail_recv_at = k; /* the server's first or second flight */
        CHECK_EQ(poll_job("A"), GES_ERR_NET_RECV);
        ka.fail_recv_at = 0;
        CHECK_EQ(poll_job("A"), GES_OK);
        ges_client_free(&cl);
    }
}

/* ------------------------------------------------------------------------- */
/* The progress hook (issue 14)                                              */
/* ------------------------------------------------------------------------- */
static void script_silent(unsigned n, const char *job)
{
    (void)n;
    (void)job; /* reads the request, never answers */
}

/* One poll: the hook hears resolving (the wire has no net_connect_tick),
 * handshaking, sending, receiving, in that order and nothing else; no
 * port call is given more than GES_WAIT_SLICE_MS. */
static void test_hook_phases_in_order(void)
{
    unsigned i, seen = 0;
    ka_reset(script_one, &srv_main);
    hook_reset();
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    CHECK_EQ(poll_job("A"), GES_OK);
    CHECK(hk.n > 4);
    CHECK_EQ(hk.phase[0], GES_PHASE_RESOLVING);
    for (i = 0; i < hk.n; i++) {
        if (i > 0) CHECK(hk.phase[i] >= hk.phase[i - 1]); /* never back */
        CHECK(hk.phase[i] <= GES_PHASE_RECEIVING);
        CHECK(hk.left[i] <= 5000 && hk.left[i] > 0);
        seen |= 1u << hk.phase[i];
    }
    CHECK_EQ(seen, (1u << GES_PHASE_RESOLVING) | (1u << GES_PHASE_HANDSHAKING) |
                       (1u << GES_PHASE_SENDING) | (1u << GES_PHASE_RECEIVING));
    CHECK(ka.max_t <= GES_WAIT_SLICE_MS);
    /* a kept connection: sending and receiving only */
    hook_reset();
    CHECK_EQ(poll_job("B"), GES_OK);
    CHECK_EQ(ka.conns, 1);
    CHECK(hk.n >= 2);
    CHECK_EQ(hk.phase[0], GES_PHASE_SENDING);
    CHECK_EQ(hk.phase[hk.n - 1], GES_PHASE_RECEIVING);
    ges_client_free(&cl);
}

/* A server that never answers: the hook is called at least every
 * GES_WAIT_SLICE_MS until the deadline, with the time left going down. */
static void test_hook_every_slice_while_waiting(void)
{
    unsigned i, recv = 0;
    ka_reset(script_silent, &srv_main);
    hook_reset();
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    CHECK_EQ(poll_job("A"), GES_ERR_TIMEOUT);
    CHECK_EQ(hk.over, 0);
    for (i = 1; i < hk.n; i++) {
        CHECK(hk.at[i] - hk.at[i - 1] <= GES_WAIT_SLICE_MS);
        if (hk.phase[i] == GES_PHASE_RECEIVING) {
            recv++;
            if (hk.phase[i - 1] == GES_PHASE_RECEIVING) CHECK(hk.left[i] < hk.left[i - 1]);
        }
    }
    CHECK(recv >= 5000 / GES_WAIT_SLICE_MS - 2);
    CHECK(ka.max_t <= GES_WAIT_SLICE_MS);
    ges_client_free(&cl);
}

/* ges_job_wait: between polls the hook hears sleeping, every slice, with
 * the time left of that sleep. */
static void test_hook_sleeping(void)
{
    unsigned i, sleeping = 0;
    ka_reset(script_wait, &srv_main);
    hook_reset();
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    CHECK_EQ(ges_job_wait(&cl, "p", "g", "W", NULL, &st), GES_OK);
    for (i = 1; i < hk.n; i++) {
        CHECK(hk.at[i] - hk.at[i - 1] <= GES_WAIT_SLICE_MS);
        if (hk.phase[i] == GES_PHASE_SLEEPING) {
            sleeping++;
            CHECK(hk.left[i] <= 2000); /* the default schedule: 1 s, then 2 s */
        }
    }
    CHECK(sleeping >= 2 * (800 / GES_WAIT_SLICE_MS)); /* two sleeps, jitter at most 20% */
    ges_client_free(&cl);
}

/* ------------------------------------------------------------------------- */
/* Cancellation (issue 14), phase by phase on the wire's clock               */
/* ------------------------------------------------------------------------- */
/* Cancel at the `after`-th hook call of `phase` during one call (a poll,
 * or a wait when `wait` is set): the call returns GES_ERR_CANCELLED within
 * one slice of the wire's clock, the connection is closed, and the same
 * client then polls fine (the cancel was consumed). */
static void cancel_in(ka_script_t script, ges_phase_t phase, unsigned after, int wait,
                      unsigned stall_send)
{
    ges_err_t e;
    uint32_t took;
    ka_reset(script, &srv_main);
    hook_reset();
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    hk.cancel_in = (int)phase;
    hk.cancel_after = after;
    ka.stall_send = stall_send;
    e = wait ? ges_job_wait(&cl, "p", "g", "W", NULL, &st) : poll_job("A");
    took = ka.now - hk.cancelled_at;
    if (e != GES_ERR_CANCELLED) fprintf(stderr, "  phase %d: %s\n", (int)phase, ges_strerror(e));
    CHECK_EQ(e, GES_ERR_CANCELLED);
    CHECK_EQ(hk.cancel_in, -1); /* the hook did cancel, in that phase */
    CHECK(took <= GES_WAIT_SLICE_MS);
    CHECK(!ka.open);            /* closed (or never opened) */
    CHECK(!cl.connected);
    CHECK_EQ(cl.cancel, 0);     /* consumed */
    ka.stall_send = 0;
    ka_reset(script_one, &srv_main);
    CHECK_EQ(poll_job("B"), GES_OK);
    CHECK_STR(st.job_id, "B");
    ges_client_free(&cl);
}

static void test_cancel_in_each_phase(void)
{
    cancel_in(script_one, GES_PHASE_RESOLVING, 0, 0, 0);
    cancel_in(script_one, GES_PHASE_HANDSHAKING, 0, 0, 0);
    cancel_in(script_one, GES_PHASE_HANDSHAKING, 3, 0, 0);
    cancel_in(script_one, GES_PHASE_SENDING, 0, 0, 0);
    cancel_in(script_one, GES_PHASE_SENDING, 5, 0, 1000); /* a send window that never opens */
    cancel_in(script_silent, GES_PHASE_RECEIVING, 0, 0, 0);
    cancel_in(script_silent, GES_PHASE_RECEIVING, 20, 0, 0); /* a second into the wait */
    cancel_in(script_wait, GES_PHASE_SLEEPING, 0, 1, 0);
    cancel_in(script_wait, GES_PHASE_SLEEPING, 10, 1, 0);
}

/* A cancel while no call runs is not lost: the next call returns
 * GES_ERR_CANCELLED before sending anything (a kept connection stays),
 * and the one after that runs. */
static void test_cancel_between_calls(void)
{
    ka_reset(script_one, &srv_main);
    hook_reset();
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    CHECK_EQ(poll_job("A"), GES_OK);
    ges_client_cancel(&cl);
    ges_client_cancel(NULL); /* ignored */
    CHECK_EQ(poll_job("B"), GES_ERR_CANCELLED);
    CHECK_EQ(st.job_id[0], '\0');
    CHECK_EQ(ka.requests, 1);  /* nothing was sent */
    CHECK(!cl.connected);      /* a cancelled call closes the connection */
    ges_client_cancel(&cl);
    CHECK_EQ(ges_job_wait(&cl, "p", "g", "W", NULL, &st), GES_ERR_CANCELLED);
    CHECK_EQ(ka.requests, 1);
    CHECK_EQ(poll_job("B"), GES_OK);
    CHECK_STR(st.job_id, "B");
    CHECK_EQ(ka.conns, 2);
    ges_client_free(&cl);
}

int main(void)
{
    ka.rnd = 0x2545F491u;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    if (psa_crypto_init() != PSA_SUCCESS) return 2;
#endif
    mbedtls_ctr_drbg_init(&sdrbg);
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_init(&scache);
#endif
    if (mbedtls_ctr_drbg_seed(&sdrbg, s_entropy, NULL, NULL, 0) != 0 ||
        srv_setup(&srv_main, &sconf_main, &scrt_main, &skey_main, KA_SRV_CERT,
                  sizeof KA_SRV_CERT, KA_SRV_KEY, sizeof KA_SRV_KEY) != 0 ||
        srv_setup(&srv_other, &sconf_other, &scrt_other, &skey_other, KA_OTHER_CERT,
                  sizeof KA_OTHER_CERT, KA_OTHER_KEY, sizeof KA_OTHER_KEY) != 0) {
        printf("test_keepalive: server set-up failed\n0 passed, 1 failed\n");
        return 1;
    }
    RUN(test_clean_answers_keep_the_connection);
    RUN(test_extra_bytes_same_or_next_record);
    RUN(test_extra_bytes_later);
    RUN(test_204_304_with_a_body);
    RUN(test_idle_close_reconnects_without_writing);
    RUN(test_wait_survives_a_stray_crlf);
    RUN(test_ip_literals);
    RUN(test_handshake_port_errors_named);
    RUN(test_hook_phases_in_order);
    RUN(test_hook_every_slice_while_waiting);
    RUN(test_hook_sleeping);
    RUN(test_cancel_in_each_phase);
    RUN(test_cancel_between_calls);
    mbedtls_ssl_free(&srv_main);
    mbedtls_ssl_free(&srv_other);
    mbedtls_ssl_config_free(&sconf_main);
    mbedtls_ssl_config_free(&sconf_other);
    mbedtls_x509_crt_free(&scrt_main);
    mbedtls_x509_crt_free(&scrt_other);
    mbedtls_pk_free(&skey_main);
    mbedtls_pk_free(&skey_other);
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_free(&scache);
#endif
    mbedtls_ctr_drbg_free(&sdrbg);
    return harness_done();
}
#endif /* MBEDTLS_SSL_SRV_C */
