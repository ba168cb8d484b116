/*
 * bench_state.h - read the simulator's state line (tests/sim/ges_sim.py
 * --state-file FILE) for the end-to-end benchmark programs, and a few
 * helpers they share (clock, peak RSS from /proc/self/status).
 *
 * The state file is one line of JSON written by the simulator itself:
 *   {"port": P, ..., "ca": "/abs/ca.pem", ..., "token": "...", ...}
 * Only "port", "ca" and "token" are read, with a plain string search: the
 * file comes from our own simulator, not from the network.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef BENCH_STATE_H
#define BENCH_STATE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct {
    int port;
    char ca[1024];
    char token[256];
} bench_state_t;

/* The string value of "name" in json (no escapes expected), into out. */
static inline int bench_json_str(const char *json, const char *name, char *out, size_t cap)
{
    char pat[64];
    const char *p, *q;
    snprintf(pat, sizeof pat, "\"%s\": \"", name);
    p = strstr(json, pat);
    if (p == NULL) return -1;
    p += strlen(pat);
    q = strchr(p, '"');
    if (q == NULL || (size_t)(q - p) >= cap) return -1;
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = '\0';
    return 0;
}

static inline int bench_state_read(const char *path, bench_state_t *st)
{
    char buf[8192];
    size_t n;
    const char *p;
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strstr(buf, "\"port\": ");
    if (p == NULL) return -1;
    st->port = atoi(p + 8);
    if (st->port <= 0 || st->port > 65535) return -1;
    if (bench_json_str(buf, "ca", st->ca, sizeof st->ca) != 0) return -1;
    if (bench_json_str(buf, "token", st->token, sizeof st->token) != 0) return -1;
    return 0;
}

/* Whole file into a malloc'd buffer with a NUL after it (PEM for mbedTLS). */
static inline unsigned char *bench_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b;
    long n;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    b = (unsigned char *)malloc((size_t)n + 1);
    if (b != NULL && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b == NULL) return NULL;
    b[n] = '\0';
    *len = (size_t)n + 1;
    return b;
}

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) this process has used so far. */
static inline double bench_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* VmHWM (peak RSS of this process image, KiB) from /proc/self/status; -1
 * where there is no /proc. Unlike ru_maxrss it does not include the memory
 * of the process that exec'd us. */
static inline long bench_vmhwm_kib(void)
{
    char line[256];
    long v = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            v = atol(line + 6);
            break;
        }
    }
    fclose(f);
    return v;
}

#endif /* BENCH_STATE_H */
