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
 *     one before anything is sent;
 *   - section 5's rarer paths (issue 16, coverage): entropy failing at init,
 *     certificate dates by the port's wall clock, a connect that times out
 *     or fails after its tick asked to stop, the idle check meeting a port
 *     error or part of a record, a FIN without close_notify, Retry-After as
 *     a date next to Date, no time left to reconnect, which failures of the
 *     second request on a kept connection send it again, AK/SK clock skew
 *     healed once, an unsignable UTC time.
 *
 * The wire, the server and the main certificate are in tests/tls_wire.h
 * (shared with tests/faults/test_faults.c); the certificate below and
 * those are throwaway test keys made for these tests (EC P-256, valid
 * 2026-2126; the client checks no dates here).
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
#error "test_keepalive needs the client: unset GES_CONFIG_NO_TLS"
#endif

#if !defined(MBEDTLS_SSL_SRV_C) || !defined(MBEDTLS_PK_PARSE_C)
/* A client-only mbedTLS (port/mbedtls_config_ges.h) has no server side:
 * the suite cannot run there, and says so. */
int main(void)
{
    (void)harness_cur_name;
    (void)harness_cur_failed;
    printf("test_keepalive: skipped, this mbedTLS has no MBEDTLS_SSL_SRV_C\n");
    return harness_done(); /* "0 passed, 0 failed" */
}
#else
#include "tls_wire.h"

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

static mbedtls_ssl_context srv_other;
static mbedtls_ssl_config sconf_other;
static mbedtls_x509_crt scrt_other;
static mbedtls_pk_context skey_other;

/* ------------------------------------------------------------------------- */
/* The client under test                                                     */
/* ------------------------------------------------------------------------- */
static unsigned char io[4096];
static ges_client_t cl;
static ges_job_status_t st;

/* The progress hook (issue 14): what it heard, on the wire's clock. */
#define HOOK_MAX 4096
static struct {
    unsigned n, over;
    uint8_t phase[HOOK_MAX];
    uint32_t left[HOOK_MAX], at[HOOK_MAX];
    int cancel_in;         /* >= 0: cancel in this phase ... */
    unsigned cancel_after; /* ... at the call after this many in it */
    unsigned in_phase;
    uint32_t cancelled_at; /* the wire's clock when it cancelled */
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
    tw_client_config(&cfg, host, &wire, io, io_len);
    cfg.on_progress = on_progress;
    cfg.progress_ctx = &hk;
    hook_reset(); /* no cancel unless the test asks for one after this */
    return ges_client_init(&cl, &cfg);
}

static ges_err_t poll_job(const char *job)
{
    return ges_job_get_status(&cl, "p", "g", job, &st);
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
    CHECK_EQ(ka.requests, 2); /* the GET was sent once */
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

/* Bytes that race the idle check (still in flight when it looks, there
 * when the next answer is read): a stray CRLF, or the server's 408 that
 * closes. The GET goes out again, once, on a new connection, and the poll
 * gets its own answer (issue 13). */
static void test_stray_bytes_racing_the_idle_check(void)
{
    static const char *const kinds[] = {
        "\r\n",
        "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    };
    size_t k;
    for (k = 0; k < 2; k++) {
        ka_reset(script_later, &srv_main);
        later_bytes = kinds[k];
        later_len = strlen(kinds[k]);
        split_at = 0;
        ka.later_racing = 1;
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        CHECK(a_then_b());
        CHECK_EQ(ka.conns, 2);
        CHECK_EQ(ka.requests, 3); /* A, B on the old connection, B again */
        ges_client_free(&cl);
    }
}

/* A silent server and a frozen clock (a stopped tick): the sliced receive
 * counts the slices that timed out while now_ms stood still, so the poll
 * still ends with GES_ERR_TIMEOUT after about its timeout in slices. */
static void script_silent(unsigned n, const char *job); /* never answers */

static void test_frozen_clock_silent_server_ends(void)
{
    ka_reset(script_silent, &srv_main);
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    /* frozen for ten times the receives the timeout allows: a client that does
     * not count the standing clock still ends (the clock moves again) and the
     * bound below fails, instead of the test hanging */
    ka.clock_frozen = 10u * (5000u / GES_WAIT_SLICE_MS);
    CHECK_EQ(poll_job("A"), GES_ERR_TIMEOUT);
    /* timeout 5000 ms in slices of GES_WAIT_SLICE_MS: bounded, not endless */
    CHECK(ka.silent_recvs >= 5000u / GES_WAIT_SLICE_MS);
    CHECK(ka.silent_recvs <= 5000u / GES_WAIT_SLICE_MS + 2u);
    ka.clock_frozen = 0;
    ges_client_free(&cl);
}

/* Retry-After as an HTTP-date with no Date header counts from our own UTC
 * time (here the time floor), capped at a day (issue 13). */
static const char *retry_after_value;

static void script_retry_date(unsigned n, const char *job)
{
    char a[400];
    size_t len;
    (void)n;
    len = (size_t)sprintf(a, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: %s\r\n"
                             "Content-Length: 2\r\n\r\n{}",
                          retry_after_value);
    (void)job;
    srv_record(a, len);
}

static void test_retry_after_date_without_date(void)
{
    static const struct {
        const char *v;
        uint32_t want;
    } cases[] = {
        {"Sat, 01 Jan 2000 00:02:00 GMT", 120},   /* 2 minutes after the floor */
        {"Fri, 31 Dec 1999 23:00:00 GMT", 0},     /* already past */
        {"Sat, 08 Jan 2000 00:00:00 GMT", 86400}, /* a week: capped at a day */
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ka_reset(script_retry_date, &srv_main);
        retry_after_value = cases[i].v;
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        cl.cfg.time_floor = 946684800; /* 2000-01-01T00:00:00Z: our UTC time here */
        CHECK_EQ(poll_job("A"), GES_ERR_SERVICE);
        CHECK_EQ(st.http_status, 503);
        CHECK_EQ(cl.retry_after_s, cases[i].want);
        ges_client_free(&cl);
    }
    /* without any UTC time of ours the date cannot be measured: 0 */
    ka_reset(script_retry_date, &srv_main);
    retry_after_value = cases[0].v;
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    CHECK_EQ(poll_job("A"), GES_ERR_SERVICE);
    CHECK_EQ(cl.retry_after_s, 0);
    ges_client_free(&cl);
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
    CHECK(!ka.open); /* closed (or never opened) */
    CHECK(!cl.connected);
    CHECK_EQ(cl.cancel, 0); /* consumed */
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
    CHECK_EQ(ka.requests, 1); /* nothing was sent */
    CHECK(!cl.connected);     /* a cancelled call closes the connection */
    ges_client_cancel(&cl);
    CHECK_EQ(ges_job_wait(&cl, "p", "g", "W", NULL, &st), GES_ERR_CANCELLED);
    CHECK_EQ(ka.requests, 1);
    CHECK_EQ(poll_job("B"), GES_OK);
    CHECK_STR(st.job_id, "B");
    CHECK_EQ(ka.conns, 2);
    ges_client_free(&cl);
}

/* ------------------------------------------------------------------------- */
/* Section 5's rarer paths                                                   */
/* ------------------------------------------------------------------------- */
/* The wire with one thing changed by the test. */
static ges_port_t xport;
static int64_t x_wall;       /* what wall_clock answers */
static int x_connect_result; /* what x_connect / x_connect_tick return */
static int x_entropy(void *ctx, unsigned char *b, size_t n)
{
    (void)ctx;
    (void)b;
    (void)n;
    return -1; /* the source failed */
}
static int64_t x_wall_clock(void *ctx)
{
    (void)ctx;
    return x_wall;
}
static int x_connect(void *ctx, const char *host, uint16_t port, uint32_t t, ges_sock_t *s)
{
    (void)ctx;
    (void)host;
    (void)port;
    (void)s;
    ka.now += t; /* as a connect that never got an answer */
    return x_connect_result;
}
/* A port that hears its tick ask it to stop, yet answers something else
 * (as a connect failing at that moment would). */
static int x_connect_tick(void *ctx, const char *host, uint16_t port, uint32_t t, ges_sock_t *s,
                          ges_tick_fn tick, void *arg)
{
    (void)ctx;
    (void)host;
    (void)port;
    (void)t;
    (void)s;
    CHECK(tick(arg, GES_PHASE_RESOLVING) != 0); /* the hook cancelled */
    return x_connect_result;
}

static ges_err_t client_up_x(void)
{
    ges_client_config_t cfg;
    tw_client_config(&cfg, "localhost", &xport, io, 512);
    cfg.on_progress = on_progress;
    cfg.progress_ctx = &hk;
    hook_reset();
    return ges_client_init(&cl, &cfg);
}

/* A failing entropy source: the client's random generator cannot be
 * seeded, ges_client_init says GES_ERR_TLS with mbedTLS's code. */
static void test_entropy_failure_at_init(void)
{
    xport = wire;
    xport.entropy = x_entropy;
    CHECK_EQ(client_up_x(), GES_ERR_TLS);
    CHECK_EQ(ges_client_tls_error(&cl), MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED);
    ges_client_free(&cl);
}

/* The certificate's dates by the port's wall clock: before its start
 * (2026-12-03) it is not yet valid, after its end (2126) expired, in
 * between accepted. */
static void test_certificate_dates_by_wall_clock(void)
{
    static const struct {
        int64_t now;
        ges_err_t want;
        uint32_t flag;
    } t[] = {
        {INT64_C(1700000000), GES_ERR_TLS_CERT, MBEDTLS_X509_BADCERT_FUTURE},  /* 2023 */
        {INT64_C(5000000000), GES_ERR_TLS_CERT, MBEDTLS_X509_BADCERT_EXPIRED}, /* 2128 */
        {INT64_C(1830000000), GES_OK, 0},                                      /* 2027 */
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ka_reset(script_one, &srv_main);
        xport = wire;
        xport.wall_clock = x_wall_clock;
        x_wall = t[i].now;
        CHECK_EQ(client_up_x(), GES_OK);
        CHECK_EQ(poll_job("A"), t[i].want);
        CHECK_EQ(ges_client_cert_flags(&cl) & (MBEDTLS_X509_BADCERT_FUTURE |
                                               MBEDTLS_X509_BADCERT_EXPIRED),
                 t[i].flag);
        ges_client_free(&cl);
    }
}

/* A connect that times out is GES_ERR_TIMEOUT; one that fails after the
 * tick asked it to stop is still the cancel (GES_ERR_CANCELLED, the
 * cancel answered: the next call runs). */
static void test_connect_timeout_and_cancel(void)
{
    ka_reset(script_one, &srv_main);
    xport = wire;
    xport.net_connect = x_connect;
    x_connect_result = GES_PORT_TIMEOUT;
    CHECK_EQ(client_up_x(), GES_OK);
    CHECK_EQ(poll_job("A"), GES_ERR_TIMEOUT);
    x_connect_result = GES_PORT_ERROR;
    CHECK_EQ(poll_job("A"), GES_ERR_NET_CONNECT);
    ges_client_free(&cl);

    xport.net_connect_tick = x_connect_tick;
    CHECK_EQ(client_up_x(), GES_OK);
    hk.cancel_in = GES_PHASE_RESOLVING;
    CHECK_EQ(poll_job("A"), GES_ERR_CANCELLED);
    CHECK(!cl.cancel);
    CHECK_EQ(ka.conns, 0);
    ges_client_free(&cl);
}

/* The idle check before a kept connection carries the next request: a
 * port error, or part of a record, means "not idle": the client connects
 * anew and the poll gets its own answer. */
static void test_idle_check_error_or_partial_record(void)
{
    int k;
    for (k = 0; k < 2; k++) {
        ka_reset(script_one, &srv_main);
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        CHECK_EQ(poll_job("A"), GES_OK);
        CHECK(cl.connected);
        if (k == 0) {
            ka.fail_recv_at = ka.recvs + 1; /* the idle check's receive */
        } else {
            static const unsigned char part[] = {0x17, 0x03, 0x03}; /* a record's start */
            q_put(&s2c, part, sizeof part);
        }
        CHECK_EQ(poll_job("B"), GES_OK);
        CHECK_STR(st.job_id, "B");
        CHECK_EQ(ka.conns, 2);
        CHECK_EQ(ka.requests, 2); /* B was sent once, on the new connection */
        ka.fail_recv_at = 0;
        ges_client_free(&cl);
    }
}

/* The server ends a close-delimited answer with a FIN and no close_notify
 * (mbedtls_ssl_read answers 0), after an empty record or not: the answer
 * is complete and the connection not kept. A Content-Length answer cut the
 * same way is GES_ERR_NET_CLOSED. */
static int fin_empty, fin_cut;

static void script_fin(unsigned n, const char *job)
{
    char a[300];
    int len;
    (void)n;
    if (fin_cut) {
        len = sprintf(a, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"jobId\":\"%s\"", job);
    } else {
        len = sprintf(a, "HTTP/1.1 200 OK\r\n\r\n{\"jobId\":\"%s\",\"status\":\"success\"}", job);
    }
    srv_record(a, (size_t)len);
    if (fin_empty) (void)mbedtls_ssl_write(ka.ssl, (const unsigned char *)a, 0);
    ka.fin = 1; /* FIN, no close_notify */
}

static void test_fin_without_close_notify(void)
{
    int k;
    for (k = 0; k < 3; k++) {
        fin_empty = k == 1;
        fin_cut = k == 2;
        ka_reset(script_fin, &srv_main);
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        CHECK_EQ(poll_job("A"), fin_cut ? GES_ERR_NET_CLOSED : GES_OK);
        CHECK_STR(st.job_id, fin_cut ? "" : "A");
        CHECK(!cl.connected);
        ges_client_free(&cl);
    }
    fin_empty = fin_cut = 0;
}

/* Retry-After as a date next to a Date header: the distance between the
 * two, whatever our own clock says. */
static void script_retry_date_and_date(unsigned n, const char *job)
{
    static const char a[] = "HTTP/1.1 503 Service Unavailable\r\n"
                            "Date: Sat, 01 Jan 2000 00:00:00 GMT\r\n"
                            "Retry-After: Sat, 01 Jan 2000 00:01:30 GMT\r\n"
                            "Content-Length: 2\r\n\r\n{}";
    (void)n;
    (void)job;
    srv_record(a, sizeof a - 1);
}

static void test_retry_after_date_with_date(void)
{
    ka_reset(script_retry_date_and_date, &srv_main);
    CHECK_EQ(client_up("localhost", 512), GES_OK);
    cl.cfg.time_floor = 2000000000; /* 2033: not what is measured from */
    CHECK_EQ(poll_job("A"), GES_ERR_SERVICE);
    CHECK_EQ(st.http_status, 503);
    CHECK_EQ(cl.retry_after_s, 90);
    ges_client_free(&cl);
}

/* A kept connection the server closed as the request went out (the close
 * raced the idle check), and a close that blocks for the poll's whole
 * timeout: no connect is begun with no time left; GES_ERR_TIMEOUT, and the
 * next poll connects. */
static uint32_t x_close_ms; /* the next close takes this long */
static void x_close(void *ctx, ges_sock_t s)
{
    w_close(ctx, s);
    ka.now += x_close_ms;
    x_close_ms = 0;
}

static void test_no_time_left_to_reconnect(void)
{
    ka_reset(script_idle_close, &srv_main);
    ka.later_racing = 1; /* the close comes when the client sends */
    xport = wire;
    xport.net_close = x_close;
    CHECK_EQ(client_up_x(), GES_OK);
    CHECK_EQ(poll_job("A"), GES_OK);
    CHECK(cl.connected);
    x_close_ms = 5000;
    CHECK_EQ(poll_job("B"), GES_ERR_TIMEOUT);
    CHECK_EQ(x_close_ms, 0); /* the slow close happened */
    CHECK_EQ(ka.conns, 1);   /* no new connection */
    CHECK(!cl.connected);
    CHECK_EQ(poll_job("B"), GES_OK);
    CHECK_STR(st.job_id, "B");
    CHECK_EQ(ka.conns, 2);
    ges_client_free(&cl);
}

/* What the second request on a kept connection meets, and whether it is
 * sent again on a new connection: a port error sending it or receiving
 * before any answer byte (yes: the connection was dead), an answer with a
 * status line and then a broken header (no: it was the server's answer),
 * a 408 that keeps the connection (no: the server did not close on us). */
static int second_kind;

static void script_second(unsigned n, const char *job)
{
    static const char bad_header[] = "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n";
    static const char keep_408[] = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n";
    if (n != 2) {
        answer_plain(job);
    } else if (second_kind == 2) {
        srv_record(bad_header, sizeof bad_header - 1);
    } else if (second_kind == 3) {
        srv_record(keep_408, sizeof keep_408 - 1);
    } else {
        answer_plain(job);
    }
}

static void test_second_request_retried_or_not(void)
{
    static const struct {
        ges_err_t want;
        int http;
        unsigned requests, conns;
    } t[] = {
        {GES_OK, 200, 2, 2},          /* 0: send fails: sent again */
        {GES_OK, 200, 3, 2},          /* 1: receive fails: sent again */
        {GES_ERR_HTTP, 200, 2, 1},    /* 2: a broken answer: not */
        {GES_ERR_SERVICE, 408, 2, 1}, /* 3: a 408 keeping the connection: not */
    };
    int k;
    for (k = 0; k < 4; k++) {
        second_kind = k;
        ka_reset(script_second, &srv_main);
        CHECK_EQ(client_up("localhost", 512), GES_OK);
        CHECK_EQ(poll_job("A"), GES_OK);
        CHECK(cl.connected);
        if (k == 0) ka.fail_send_at = ka.sends + 1;
        if (k == 1) ka.fail_recv_at = ka.recvs + 2; /* after the idle check's */
        CHECK_EQ(poll_job("B"), t[k].want);
        CHECK_EQ(st.http_status, t[k].http);
        if (t[k].want == GES_OK) CHECK_STR(st.job_id, "B");
        CHECK_EQ(ka.requests, t[k].requests);
        CHECK_EQ(ka.conns, t[k].conns);
        ka.fail_send_at = ka.fail_recv_at = 0;
        ges_client_free(&cl);
    }
}

/* AK/SK and the gateway's 401 "signature expired" (our clock is off): the
 * client takes the time from the answer's Date and signs again, once, on
 * the kept connection. Not for another 401, nor without a Date. */
static int skew_date = 1, skew_msg = 1, skew_always, skew_503;

static void script_skew(unsigned n, const char *job)
{
    char a[600], body[200];
    int bn, len;
    if (n > 1 && !skew_always) {
        answer_plain(job);
        return;
    }
    bn = sprintf(body, "{\"error_code\":\"APIG.0301\",\"error_msg\":\"Incorrect IAM "
                       "authentication information: %s\"}",
                 skew_msg ? "calc ak sk signature fail:signature expired"
                          : "verify aksk signature fail");
    len = sprintf(a, "HTTP/1.1 %s\r\n%sContent-Length: %d\r\n\r\n%s",
                  skew_503 ? "503 Service Unavailable" : "401 Unauthorized",
                  skew_date ? "Date: Sat, 01 Jan 2033 00:00:00 GMT\r\n" : "", bn, body);
    srv_record(a, (size_t)len);
}

static void test_clock_skew_retried_once(void)
{
    static const struct {
        int date, msg, always, s503;
        ges_err_t want;
        unsigned requests;
    } t[] = {
        {1, 1, 0, 0, GES_OK, 2},          /* healed: signed again with the gateway's time */
        {1, 1, 1, 0, GES_ERR_SERVICE, 2}, /* still refused: once only */
        {0, 1, 0, 0, GES_ERR_SERVICE, 1}, /* no Date: nothing to heal with */
        {1, 0, 0, 0, GES_ERR_SERVICE, 1}, /* another 401 */
        {1, 1, 0, 1, GES_ERR_SERVICE, 1}, /* the words in a 503 */
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ges_client_config_t cfg;
        skew_date = t[i].date;
        skew_msg = t[i].msg;
        skew_always = t[i].always;
        skew_503 = t[i].s503;
        ka_reset(script_skew, &srv_main);
        tw_client_config(&cfg, "localhost", &wire, io, 512);
        cfg.token = NULL;
        cfg.ak = "AK";
        cfg.sk = "SK";
        CHECK_EQ(ges_client_init(&cl, &cfg), GES_OK);
        CHECK_EQ(poll_job("A"), t[i].want);
        CHECK_EQ(ka.requests, t[i].requests);
        CHECK_EQ(ka.conns, 1); /* the 401 kept the connection */
        CHECK_EQ(cl.has_time_base, t[i].requests == 2);
        if (t[i].requests == 2) CHECK_EQ(cl.time_base, INT64_C(1988150400)); /* 2033-01-01 */
        if (t[i].want == GES_ERR_SERVICE) CHECK_EQ(st.http_status, t[i].s503 ? 503 : 401);
        ges_client_free(&cl);
    }
    skew_date = skew_msg = 1;
    skew_always = skew_503 = 0;
}

/* AK/SK with a UTC time no X-Sdk-Date can carry (before 1970: a negative
 * time floor, no wall clock): the request cannot be signed, the call ends
 * with GES_ERR_INVALID_ARG and nothing is sent. */
static void test_aksk_time_out_of_range(void)
{
    ges_client_config_t cfg;
    ka_reset(script_one, &srv_main);
    tw_client_config(&cfg, "localhost", &wire, io, 512);
    cfg.token = NULL;
    cfg.ak = "AK";
    cfg.sk = "SK";
    cfg.time_floor = -1;
    CHECK_EQ(ges_client_init(&cl, &cfg), GES_OK);
    CHECK_EQ(poll_job("A"), GES_ERR_INVALID_ARG);
    CHECK_EQ(ka.requests, 0);
    CHECK_EQ(ka.handshakes, 1);
    CHECK(!cl.connected);
    ges_client_free(&cl);
}

int main(void)
{
    if (tw_up() != 0 ||
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
    RUN(test_retry_after_date_without_date);
    RUN(test_frozen_clock_silent_server_ends);
    RUN(test_stray_bytes_racing_the_idle_check);
    RUN(test_entropy_failure_at_init);
    RUN(test_certificate_dates_by_wall_clock);
    RUN(test_connect_timeout_and_cancel);
    RUN(test_idle_check_error_or_partial_record);
    RUN(test_fin_without_close_notify);
    RUN(test_retry_after_date_with_date);
    RUN(test_no_time_left_to_reconnect);
    RUN(test_second_request_retried_or_not);
    RUN(test_clock_skew_retried_once);
    RUN(test_aksk_time_out_of_range);
    mbedtls_ssl_free(&srv_other);
    mbedtls_ssl_config_free(&sconf_other);
    mbedtls_x509_crt_free(&scrt_other);
    mbedtls_pk_free(&skey_other);
    tw_down();
    return harness_done();
}
#endif /* MBEDTLS_SSL_SRV_C */
