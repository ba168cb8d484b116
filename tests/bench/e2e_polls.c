/*
 * e2e_polls - N job-status polls with ges_job and port/posix against the
 * simulator (tests/sim/ges_sim.py), timed; tests/bench/e2e.py drives it.
 *
 *   e2e_polls --state FILE --mode MODE [--n N] [--job ID] [--io-buf BYTES]
 *
 *   keepalive  one client, N polls of job-running on one kept-alive
 *              connection (one handshake in all)
 *   reconnect  per poll: ges_client_init, one poll, ges_client_free: a new
 *              connection and a full handshake each time (the CA is parsed
 *              and the DRBG seeded each time too, as a fresh process would)
 *   resume     one client, N polls of job-keepalive-off: the server closes
 *              after each answer, so the library reconnects before the next
 *              poll and resumes the TLS session it kept
 *   once       one client, one poll of --job (default job-success), checks
 *              the seed's fields (for the smallest-I/O-buffer search)
 *
 * Prints one line:
 *   impl=ges mode=keepalive n=1000 ok=1000 io_buf=B seconds=S polls_per_s=R
 *   us_per_poll=U cpu_us_per_poll=C vmhwm_kib=K
 * and exits 0 when every poll returned GES_OK with the expected status.
 * The clock runs from before the first ges_client_init to after the last
 * ges_client_free. keepalive and resume also print steady_polls_per_s:
 * polls 2..N only (no first connection, init or free). vmhwm_kib is this process's own peak RSS (VmHWM);
 * tests/bench/rss_run measures the same from outside (wait4 ru_maxrss).
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ges_job.h"
#include "ges_port_posix.h"

#include "bench_state.h"

#define IO_MAX 65536
static unsigned char io[IO_MAX];
static ges_job_status_t st;

static int usage(void)
{
    fprintf(stderr, "usage: e2e_polls --state FILE --mode keepalive|reconnect|resume|once "
                    "[--n N] [--job ID] [--io-buf BYTES]\n");
    return 2;
}

static int client_up(ges_client_t *c, const bench_state_t *s, const unsigned char *ca,
                     size_t ca_len, size_t io_len)
{
    ges_client_config_t cfg;
    ges_err_t e;
    ges_client_config_init(&cfg);
    cfg.host = "localhost";
    cfg.port = (uint16_t)s->port;
    cfg.token = s->token;
    cfg.ca_pem = ca;
    cfg.ca_pem_len = ca_len;
    cfg.platform = ges_port_posix();
    cfg.io_buf = io;
    cfg.io_buf_len = io_len;
    e = ges_client_init(c, &cfg);
    if (e != GES_OK) {
        fprintf(stderr, "e2e_polls: ges_client_init: %s (tls %d)\n", ges_strerror(e),
                ges_client_tls_error(c));
        return -1;
    }
    return 0;
}

static int poll_ok(ges_client_t *c, const char *job, ges_job_state_t want)
{
    ges_err_t e = ges_job_get_status(c, "bench-project", "bench-graph", job, &st);
    if (e != GES_OK) {
        fprintf(stderr, "e2e_polls: poll: %s (http %d, tls %d)\n", ges_strerror(e),
                st.http_status, ges_client_tls_error(c));
        return 0;
    }
    return st.job_state == want;
}

/* The seed's example, field by field (tests/data/seed-200.json). */
static int seed_ok(void)
{
    const ges_job_file_t *v = &st.sets[GES_SET_VERTEXSET].entries[0];
    return st.http_status == 200 && strcmp(st.job_id, "ff80808167f09aaa0167f19b35ec0305") == 0 &&
           st.job_state == GES_JOB_SUCCESS && strcmp(st.job_type, "GraphManagement") == 0 &&
           strcmp(st.job_name, "ImportGraph") == 0 &&
           strcmp(st.related_graph, "GES_UI_AUTO") == 0 &&
           strcmp(st.begin_time, "2018-11-27T21:39:00") == 0 &&
           strcmp(st.end_time, "2018-11-27T21:39:56") == 0 && st.job_progress == 0.0 &&
           (st.present & GES_F_JOB_PROGRESS) && st.sets[GES_SET_SCHEMA].kept == 1 &&
           st.sets[GES_SET_EDGESET].kept == 1 && st.sets[GES_SET_VERTEXSET].kept == 1 &&
           strcmp(v->path, "ges-ui/auDatas/list_set_vertex.csv") == 0 &&
           (v->null & GES_FF_LOG) && (v->null & GES_FF_CAUSE) &&
           v->file_state == GES_FILE_SUCCESS &&
           strcmp(st.sets[GES_SET_SCHEMA].entries[0].path,
                  "ges-ui/auDatas/list_set_schema.xml") == 0 &&
           strcmp(st.sets[GES_SET_EDGESET].entries[0].path,
                  "ges-ui/auDatas/list_set_edge.csv") == 0 &&
           !ges_job_truncated(&st);
}

int main(int argc, char **argv)
{
    const char *state = NULL, *mode = NULL, *job = NULL;
    long n = 100, io_len = 4096, i, ok = 0;
    bench_state_t s;
    unsigned char *ca;
    size_t ca_len = 0;
    static ges_client_t c;
    double t0, t1, c0, c1, t_first = 0, t_last = 0;
    int a;

    for (a = 1; a < argc; a++) {
        if (a + 1 >= argc) return usage();
        if (strcmp(argv[a], "--state") == 0) state = argv[++a];
        else if (strcmp(argv[a], "--mode") == 0) mode = argv[++a];
        else if (strcmp(argv[a], "--n") == 0) n = atol(argv[++a]);
        else if (strcmp(argv[a], "--job") == 0) job = argv[++a];
        else if (strcmp(argv[a], "--io-buf") == 0) io_len = atol(argv[++a]);
        else return usage();
    }
    if (state == NULL || mode == NULL || n < 1 || io_len < 1 || io_len > IO_MAX) return usage();
    if (bench_state_read(state, &s) != 0) {
        fprintf(stderr, "e2e_polls: cannot read state file %s\n", state);
        return 2;
    }
    ca = bench_read_file(s.ca, &ca_len);
    if (ca == NULL) {
        fprintf(stderr, "e2e_polls: cannot read CA %s\n", s.ca);
        return 2;
    }

    c0 = bench_cpu();
    t0 = bench_now();
    if (strcmp(mode, "keepalive") == 0 || strcmp(mode, "resume") == 0) {
        int ka = mode[0] == 'k';
        if (job == NULL) job = ka ? "job-running" : "job-keepalive-off";
        if (client_up(&c, &s, ca, ca_len, (size_t)io_len) != 0) return 1;
        for (i = 0; i < n; i++) {
            ok += poll_ok(&c, job, ka ? GES_JOB_RUNNING : GES_JOB_SUCCESS);
            if (i == 0) t_first = bench_now();
        }
        t_last = bench_now();
        ges_client_free(&c);
    } else if (strcmp(mode, "reconnect") == 0) {
        if (job == NULL) job = "job-running";
        for (i = 0; i < n; i++) {
            if (client_up(&c, &s, ca, ca_len, (size_t)io_len) != 0) return 1;
            ok += poll_ok(&c, job, GES_JOB_RUNNING);
            ges_client_free(&c);
        }
    } else if (strcmp(mode, "once") == 0) {
        if (job == NULL) job = "job-success";
        n = 1;
        if (client_up(&c, &s, ca, ca_len, (size_t)io_len) != 0) return 1;
        ok = poll_ok(&c, job, GES_JOB_SUCCESS) && seed_ok();
        ges_client_free(&c);
    } else {
        return usage();
    }
    t1 = bench_now();
    c1 = bench_cpu();
    free(ca);
    printf("impl=ges mode=%s n=%ld ok=%ld io_buf=%ld seconds=%.4f polls_per_s=%.1f "
           "us_per_poll=%.1f cpu_us_per_poll=%.1f vmhwm_kib=%ld",
           mode, n, ok, io_len, t1 - t0, (double)n / (t1 - t0), (t1 - t0) * 1e6 / (double)n,
           (c1 - c0) * 1e6 / (double)n,
           bench_vmhwm_kib());
    if (n > 1 && t_last > t_first) {
        printf(" steady_polls_per_s=%.1f", (double)(n - 1) / (t_last - t_first));
    }
    printf("\n");
    return ok == n ? 0 : 1;
}
