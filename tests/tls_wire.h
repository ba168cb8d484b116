/*
 * tls_wire.h - an in-memory wire to an mbedTLS server in the same process,
 * for tests that need real TLS on both ends, a fake clock and full control
 * over what the server sends and when: tests/test_keepalive.c and
 * tests/faults/test_faults.c.
 *
 * Include it after "../ges_job.c" (it uses the library's types and
 * mbedTLS's headers) and only when mbedTLS has MBEDTLS_SSL_SRV_C and
 * MBEDTLS_PK_PARSE_C. It holds:
 *   - throwaway test certificates: a CA and a server certificate for
 *     DNS:localhost, IP 127.0.0.1, ::1 and 2001:db8::42 (EC P-256, valid
 *     2026-2126; made for these tests, never keys for anything else);
 *   - the wire: two byte queues, client to server and server to client;
 *   - the server: mbedTLS, answering each complete request with the
 *     test's script (ka.script), which writes records now (srv_record) or
 *     holds them back until the client looks again (srv_later, then
 *     srv_later_close for close_notify and FIN);
 *   - `wire`, the client's ges_port_t over it: connect resets the server's
 *     session, send and recv pump the server, a recv that finds nothing
 *     returns GES_PORT_TIMEOUT at once and moves the fake clock (ka.now) by
 *     its timeout, sleep only moves the clock, and entropy is a fixed
 *     pseudo-random sequence (ka.rnd) so runs repeat;
 *   - ka.in_server, above 0 while the server side runs, for a test
 *     allocator that must tell the server's allocations from the client's.
 *
 * tw_up() seeds the server's DRBG and sets up srv_main with the certificate
 * above; tw_down() frees it. Single-threaded; all state is static.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_TEST_TLS_WIRE_H
#define GES_TEST_TLS_WIRE_H

#include <stdio.h>
#include <string.h>

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
    int open; /* the client's socket is open */
    int fin;  /* the server closed: FIN once s2c drains */
    int hs_done;
    unsigned conns, handshakes, requests, writes_after_fin;
    int sni_seen;
    char sni[64];
    char host_hdr[96];
    char req[4096];
    size_t req_n;
    unsigned char later[2][512]; /* records held back until the client looks */
    size_t later_n[2];
    int later_close;       /* then close_notify and FIN */
    int later_racing;      /* held back until the client sends (it raced the idle check) */
    unsigned clock_frozen; /* this many receives that time out leave now_ms where it
                                 was; later ones move it again (a bound, so a client that
                                 never counts the standing clock ends, late) */
    unsigned silent_recvs; /* receives that timed out */
    uint32_t now;
    uint32_t rnd;
    unsigned sends, recvs;               /* port calls on this connection */
    unsigned fail_send_at, fail_recv_at; /* 1-based: that call fails; 0: none */
    unsigned in_server;                  /* > 0 while the server side runs */
    uint32_t max_t;                      /* longest timeout a send or receive was given */
    unsigned stall_send;                 /* sends after the handshake that time out */
} ka;

static mbedtls_ssl_context srv_main;
static mbedtls_ssl_config sconf_main;
static mbedtls_x509_crt scrt_main;
static mbedtls_pk_context skey_main;
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

static void srv_release_(void)
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

static void srv_pump_(void)
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

/* The server's side of every wire call runs between these two, so that
 * ka.in_server tells its allocations from the client's. */
static void srv_release(void)
{
    ka.in_server++;
    srv_release_();
    ka.in_server--;
}

static void srv_pump(void)
{
    ka.in_server++;
    srv_pump_();
    ka.in_server--;
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
    ka.in_server++;
    (void)mbedtls_ssl_session_reset(ka.ssl);
    ka.in_server--;
    *s = (ges_sock_t)++ka.conns;
    return 0;
}

static int w_send(void *ctx, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t)
{
    (void)ctx;
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
    if (s2c.n == 0 && !ka.later_racing) srv_release();
    if (s2c.n) return (int)q_take(&s2c, b, n);
    if (ka.fin) return 0;
    if (ka.clock_frozen) ka.clock_frozen--;
    else ka.now += t; /* nothing more will come: the wait runs out */
    ka.silent_recvs++;
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

static void ka_reset(ka_script_t script, mbedtls_ssl_context *ssl)
{
    ka.ssl = ssl;
    ka.script = script;
    ka.open = ka.fin = ka.hs_done = 0;
    ka.conns = ka.handshakes = ka.requests = ka.writes_after_fin = 0;
    ka.sni_seen = 0;
    ka.sni[0] = ka.host_hdr[0] = '\0';
    ka.later_n[0] = ka.later_n[1] = 0;
    ka.later_close = ka.later_racing = ka.clock_frozen = 0;
    ka.silent_recvs = 0;
    ka.fail_send_at = ka.fail_recv_at = 0;
    ka.max_t = 0;
    ka.stall_send = 0;
    ka_overflow = 0;
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


/* A client config for `host`, port 8443, the test CA and token, `pt`. */
static void tw_client_config(ges_client_config_t *cfg, const char *host, const ges_port_t *pt,
                             unsigned char *io_buf, size_t io_len)
{
    ges_client_config_init(cfg);
    cfg->host = host;
    cfg->port = 8443;
    cfg->token = "test-token";
    cfg->ca_pem = (const unsigned char *)KA_CA_PEM;
    cfg->ca_pem_len = sizeof KA_CA_PEM;
    cfg->platform = pt;
    cfg->io_buf = io_buf;
    cfg->io_buf_len = io_len;
    cfg->timeout_ms = 5000;
}

/* The server's DRBG, session cache and srv_main; 0 on success. */
static int tw_up(void)
{
    int r = 0;
    ka.in_server++;
    ka.rnd = 0x2545F491u;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    if (psa_crypto_init() != PSA_SUCCESS) r = -1;
#endif
    mbedtls_ctr_drbg_init(&sdrbg);
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_init(&scache);
#endif
    if (r != 0 || mbedtls_ctr_drbg_seed(&sdrbg, s_entropy, NULL, NULL, 0) != 0 ||
        srv_setup(&srv_main, &sconf_main, &scrt_main, &skey_main, KA_SRV_CERT,
                  sizeof KA_SRV_CERT, KA_SRV_KEY, sizeof KA_SRV_KEY) != 0) {
        r = -1;
    }
    ka.in_server--;
    return r;
}

static void tw_down(void)
{
    ka.in_server++;
    mbedtls_ssl_free(&srv_main);
    mbedtls_ssl_config_free(&sconf_main);
    mbedtls_x509_crt_free(&scrt_main);
    mbedtls_pk_free(&skey_main);
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_free(&scache);
#endif
    mbedtls_ctr_drbg_free(&sdrbg);
    ka.in_server--;
}

#endif /* GES_TEST_TLS_WIRE_H */
