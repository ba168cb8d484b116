/*
 * e2e_curl - the same polls as e2e_polls, with libcurl (Debian's
 * libcurl4-openssl-dev), for a side-by-side figure; tests/bench/e2e.py
 * drives both in the same run.
 *
 *   e2e_curl --state FILE --mode keepalive|reconnect|resume [--n N] [--tls13]
 *
 *   keepalive  one easy handle, N GETs of job-running: one connection,
 *              one handshake (curl keeps the connection alive by default)
 *   reconnect  per poll: curl_easy_init, one GET, curl_easy_cleanup: a new
 *              connection and a full handshake each time (a new handle has
 *              no session cache), as e2e_polls does with init/free
 *   resume     one easy handle, N GETs of job-keepalive-off: the server
 *              closes after each answer, curl reconnects and resumes the
 *              session from the handle's SSL session cache
 *
 * Each GET sends X-Auth-Token, HTTP/1.1, verifies the simulator's
 * certificate against its CA, collects the body into a fixed buffer and
 * counts the poll as good when the status is 200 and the body holds the
 * expected "status" member (no JSON parsing: curl gets no parser's cost).
 * TLS 1.2 is pinned, as Debian's mbedTLS 2.28 (and so ges_job) speaks
 * TLS 1.2; --tls13 lets curl negotiate its default (1.3).
 *
 * Prints: impl=curl mode=... n=... ok=... seconds=... polls_per_s=...
 * us_per_poll=... cpu_us_per_poll=... vmhwm_kib=...
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "bench_state.h"

typedef struct {
    char buf[8192];
    size_t len;
} body_t;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
    body_t *b = (body_t *)ctx;
    size_t n = size * nmemb, room = sizeof b->buf - 1 - b->len;
    memcpy(b->buf + b->len, p, n < room ? n : room);
    b->len += n < room ? n : room;
    b->buf[b->len] = '\0';
    return n;
}

static body_t body;
static char url[512];
static char auth[300];
static struct curl_slist *hdrs;
static int tls13;

static void setup(CURL *h, const bench_state_t *s)
{
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_CAINFO, s->ca);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    if (!tls13) {
        curl_easy_setopt(h, CURLOPT_SSLVERSION,
                         (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15000L);
}

static int poll_ok(CURL *h, const char *want)
{
    long code = 0;
    CURLcode r;
    body.len = 0;
    body.buf[0] = '\0';
    r = curl_easy_perform(h);
    if (r != CURLE_OK) {
        fprintf(stderr, "e2e_curl: %s\n", curl_easy_strerror(r));
        return 0;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    return code == 200 && strstr(body.buf, want) != NULL;
}

static int usage(void)
{
    fprintf(stderr, "usage: e2e_curl --state FILE --mode keepalive|reconnect|resume [--n N] "
                    "[--tls13]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *state = NULL, *mode = NULL, *job, *want;
    long n = 100, i, ok = 0;
    bench_state_t s;
    CURL *h;
    double t0, t1, c0, c1;
    int a;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--tls13") == 0) {
            tls13 = 1;
            continue;
        }
        if (a + 1 >= argc) return usage();
        if (strcmp(argv[a], "--state") == 0) state = argv[++a];
        else if (strcmp(argv[a], "--mode") == 0) mode = argv[++a];
        else if (strcmp(argv[a], "--n") == 0) n = atol(argv[++a]);
        else return usage();
    }
    if (state == NULL || mode == NULL || n < 1) return usage();
    if (strcmp(mode, "keepalive") != 0 && strcmp(mode, "reconnect") != 0 &&
        strcmp(mode, "resume") != 0) {
        return usage();
    }
    if (bench_state_read(state, &s) != 0) {
        fprintf(stderr, "e2e_curl: cannot read state file %s\n", state);
        return 2;
    }
    job = strcmp(mode, "resume") == 0 ? "job-keepalive-off" : "job-running";
    want = strcmp(mode, "resume") == 0 ? "\"status\": \"success\"" : "\"status\": \"running\"";
    snprintf(url, sizeof url,
             "https://localhost:%d/v1.0/bench-project/graphs/bench-graph/jobs/%s/status",
             s.port, job);
    snprintf(auth, sizeof auth, "X-Auth-Token: %s", s.token);

    c0 = bench_cpu();
    t0 = bench_now();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    hdrs = curl_slist_append(NULL, auth);
    if (strcmp(mode, "reconnect") == 0) {
        for (i = 0; i < n; i++) {
            h = curl_easy_init();
            if (h == NULL) return 1;
            setup(h, &s);
            ok += poll_ok(h, want);
            curl_easy_cleanup(h);
        }
    } else {
        h = curl_easy_init();
        if (h == NULL) return 1;
        setup(h, &s);
        for (i = 0; i < n; i++) ok += poll_ok(h, want);
        curl_easy_cleanup(h);
    }
    curl_slist_free_all(hdrs);
    curl_global_cleanup();
    t1 = bench_now();
    c1 = bench_cpu();
    printf("impl=curl mode=%s n=%ld ok=%ld seconds=%.4f polls_per_s=%.1f us_per_poll=%.1f "
           "cpu_us_per_poll=%.1f vmhwm_kib=%ld\n",
           mode, n, ok, t1 - t0, (double)n / (t1 - t0), (t1 - t0) * 1e6 / (double)n,
           (c1 - c0) * 1e6 / (double)n,
           bench_vmhwm_kib());
    return ok == n ? 0 : 1;
}
