/*
 * e2e_mbedtls - a bare mbedTLS client (Debian's mbedTLS, the one ges_job
 * links), the baseline for "a full handshake <= 1.1x a bare mbedTLS
 * client's"; tests/bench/e2e.py runs it beside e2e_polls.
 *
 *   e2e_mbedtls --state FILE [--mode reconnect|reuse-config] [--n N]
 *
 *   reconnect     per poll, everything fresh, as e2e_polls --mode reconnect
 *                 does with ges_client_init/free: init the contexts, parse
 *                 the CA, seed a CTR-DRBG from the default entropy source,
 *                 ssl_config_defaults, ssl_setup, set_hostname,
 *                 mbedtls_net_connect, handshake (verification required),
 *                 one GET of job-running, read the answer (Content-Length),
 *                 close_notify, close, free. The socket gets TCP_NODELAY, as
 *                 port/posix's do.
 *   reuse-config  CA, DRBG and config set up once; per poll only a new
 *                 connection, mbedtls_ssl_session_reset and a full handshake
 *                 (no resumption): the handshake's own cost
 *
 * Prints: impl=mbedtls mode=... n=... ok=... seconds=... polls_per_s=...
 * us_per_poll=... cpu_us_per_poll=... vmhwm_kib=...
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "bench_state.h"

typedef struct {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_x509_crt ca;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
} tls_t;

static char req[512];
static unsigned char resp[8192];

static int tls_setup(tls_t *t, const unsigned char *ca, size_t ca_len)
{
    mbedtls_entropy_init(&t->entropy);
    mbedtls_ctr_drbg_init(&t->drbg);
    mbedtls_x509_crt_init(&t->ca);
    mbedtls_ssl_config_init(&t->conf);
    mbedtls_ssl_init(&t->ssl);
    if (mbedtls_x509_crt_parse(&t->ca, ca, ca_len) != 0) return -1;
    if (mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy,
                              (const unsigned char *)"bench", 5) != 0) {
        return -1;
    }
    if (mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT,
                                    MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
        return -1;
    }
    mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
    mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
    if (mbedtls_ssl_setup(&t->ssl, &t->conf) != 0) return -1;
    if (mbedtls_ssl_set_hostname(&t->ssl, "localhost") != 0) return -1;
    return 0;
}

static void tls_free(tls_t *t)
{
    mbedtls_ssl_free(&t->ssl);
    mbedtls_ssl_config_free(&t->conf);
    mbedtls_x509_crt_free(&t->ca);
    mbedtls_ctr_drbg_free(&t->drbg);
    mbedtls_entropy_free(&t->entropy);
}

/* Connect, handshake, GET, read the answer, close. 1 if it was the 200. */
static int one_poll(tls_t *t, const char *port)
{
    mbedtls_net_context net;
    size_t got = 0, need = 0, off = 0, len = strlen(req);
    int r, ok = 0, one = 1;
    mbedtls_net_init(&net);
    if (mbedtls_net_connect(&net, "localhost", port, MBEDTLS_NET_PROTO_TCP) != 0) return 0;
    /* As port/posix does: without it, Nagle's algorithm holds the
     * handshake's later flights for the peer's delayed ACK (~40 ms). */
    (void)setsockopt(net.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    mbedtls_ssl_set_bio(&t->ssl, &net, mbedtls_net_send, mbedtls_net_recv, NULL);
    while ((r = mbedtls_ssl_handshake(&t->ssl)) != 0) {
        if (r != MBEDTLS_ERR_SSL_WANT_READ && r != MBEDTLS_ERR_SSL_WANT_WRITE) goto out;
    }
    while (off < len) {
        r = mbedtls_ssl_write(&t->ssl, (const unsigned char *)req + off, len - off);
        if (r > 0) off += (size_t)r;
        else if (r != MBEDTLS_ERR_SSL_WANT_READ && r != MBEDTLS_ERR_SSL_WANT_WRITE) goto out;
    }
    for (;;) {
        const char *hend, *cl;
        r = mbedtls_ssl_read(&t->ssl, resp + got, sizeof resp - 1 - got);
        if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
        if (r <= 0) break;
        got += (size_t)r;
        resp[got] = '\0';
        hend = strstr((const char *)resp, "\r\n\r\n");
        if (hend == NULL) continue;
        if (need == 0) {
            cl = strstr((const char *)resp, "Content-Length: ");
            if (cl == NULL) break;
            need = (size_t)(hend + 4 - (const char *)resp) + (size_t)atol(cl + 16);
        }
        if (got >= need || got >= sizeof resp - 1) break;
    }
    ok = need != 0 && got >= need && strncmp((const char *)resp, "HTTP/1.1 200", 12) == 0 &&
         strstr((const char *)resp, "\"status\": \"running\"") != NULL;
    (void)mbedtls_ssl_close_notify(&t->ssl);
out:
    mbedtls_net_free(&net);
    return ok;
}

static int usage(void)
{
    fprintf(stderr, "usage: e2e_mbedtls --state FILE [--mode reconnect|reuse-config] [--n N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *state = NULL, *mode = "reconnect";
    long n = 100, i, ok = 0;
    bench_state_t s;
    unsigned char *ca;
    size_t ca_len = 0;
    char port[16];
    static tls_t t;
    double t0, t1, c0, c1;
    int a;

    for (a = 1; a < argc; a++) {
        if (a + 1 >= argc) return usage();
        if (strcmp(argv[a], "--state") == 0) state = argv[++a];
        else if (strcmp(argv[a], "--mode") == 0) mode = argv[++a];
        else if (strcmp(argv[a], "--n") == 0) n = atol(argv[++a]);
        else return usage();
    }
    if (state == NULL || n < 1) return usage();
    if (strcmp(mode, "reconnect") != 0 && strcmp(mode, "reuse-config") != 0) return usage();
    if (bench_state_read(state, &s) != 0) {
        fprintf(stderr, "e2e_mbedtls: cannot read state file %s\n", state);
        return 2;
    }
    ca = bench_read_file(s.ca, &ca_len);
    if (ca == NULL) return 2;
    snprintf(port, sizeof port, "%d", s.port);
    snprintf(req, sizeof req,
             "GET /v1.0/bench-project/graphs/bench-graph/jobs/job-running/status HTTP/1.1\r\n"
             "Host: localhost:%d\r\nX-Auth-Token: %s\r\nAccept: application/json\r\n\r\n",
             s.port, s.token);

    c0 = bench_cpu();
    t0 = bench_now();
    if (strcmp(mode, "reconnect") == 0) {
        for (i = 0; i < n; i++) {
            if (tls_setup(&t, ca, ca_len) != 0) {
                fprintf(stderr, "e2e_mbedtls: setup failed\n");
                return 1;
            }
            ok += one_poll(&t, port);
            tls_free(&t);
        }
    } else {
        if (tls_setup(&t, ca, ca_len) != 0) {
            fprintf(stderr, "e2e_mbedtls: setup failed\n");
            return 1;
        }
        for (i = 0; i < n; i++) {
            if (mbedtls_ssl_session_reset(&t.ssl) != 0) return 1;
            ok += one_poll(&t, port);
        }
        tls_free(&t);
    }
    t1 = bench_now();
    c1 = bench_cpu();
    free(ca);
    printf("impl=mbedtls mode=%s n=%ld ok=%ld seconds=%.4f polls_per_s=%.1f us_per_poll=%.1f "
           "cpu_us_per_poll=%.1f vmhwm_kib=%ld\n",
           mode, n, ok, t1 - t0, (double)n / (t1 - t0), (t1 - t0) * 1e6 / (double)n,
           (c1 - c0) * 1e6 / (double)n,
           bench_vmhwm_kib());
    return ok == n ? 0 : 1;
}
