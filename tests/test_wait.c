/*
 * ges_job_wait's schedule against a fake clock: no network, no TLS. The wait
 * loop (ges__wait) takes its poll function as a parameter, so each test
 * scripts what every poll answers and how long it takes, and the fake port's
 * sleep_ms only moves the clock. The tests pin: intervals, backoff, cap,
 * jitter bounds, Retry-After, the deadline (never overshot, never slept
 * past), what is retried and what ends the wait at once, and cancelling.
 */
#include "assert_on.h" /* GES_ASSERT is assert() */
#include "../ges_job.c"
#include "harness.h"

/* ---- the fake port: a clock, recorded sleeps, scripted entropy ---------- */
#define MAX_EVENTS 64
static uint32_t fake_now;
static uint32_t sleeps[MAX_EVENTS];
static int nsleeps;
static uint32_t entropy_word; /* what entropy() returns, little-endian */
static int entropy_lcg;       /* 1: a new pseudo-random word every call */
static int entropy_fail;      /* 1: entropy() fails */

static uint32_t fake_now_ms(void *ctx)
{
    (void)ctx;
    return fake_now;
}
static int clock_frozen_after; /* polls after which now_ms stands still; 0: never */
static int sleep_early;        /* 1: sleep_ms returns after a third of what it was asked */
static uint32_t sleep_calls, sleep_asked;
static int npolls;
static int sleep_gap = -1;       /* npolls when sleeps[nsleeps - 1] was begun */
static uint32_t sleep_slice_max; /* longest single sleep_ms call */
static void fake_sleep_ms(void *ctx, uint32_t ms)
{
    (void)ctx;
    /* The wait sleeps in slices of GES_WAIT_SLICE_MS (issue 14): sleeps[]
     * holds what was asked between two polls, all slices together. */
    if (nsleeps > 0 && sleep_gap == npolls) {
        sleeps[nsleeps - 1] += ms;
    } else if (nsleeps < MAX_EVENTS) {
        sleeps[nsleeps++] = ms;
        sleep_gap = npolls;
    }
    if (ms > sleep_slice_max) sleep_slice_max = ms;
    sleep_calls++;
    sleep_asked += ms;
    if (clock_frozen_after && npolls >= clock_frozen_after) return; /* the tick stopped */
    fake_now += sleep_early && ms > 2 ? ms / 3 : ms;
}
static int fake_entropy(void *ctx, unsigned char *b, size_t n)
{
    size_t i;
    (void)ctx;
    if (entropy_fail) return -1;
    if (entropy_lcg) entropy_word = entropy_word * 1664525u + 1013904223u;
    for (i = 0; i < n; i++) b[i] = (unsigned char)(entropy_word >> (8 * (i % 4)));
    return 0;
}

static const ges_port_t fake_port = {
    NULL, NULL, NULL, NULL, NULL, fake_now_ms, fake_sleep_ms, fake_entropy,
    NULL, NULL, NULL, NULL};

/* ---- the scripted poll --------------------------------------------------- */
typedef struct {
    ges_err_t err;        /* what the poll returns */
    int http;             /* http_status it leaves */
    const char *status;   /* job status string, or NULL */
    const char *code;     /* errorCode, or NULL */
    uint32_t retry_after; /* Retry-After seconds */
    uint32_t takes_ms;    /* how long the poll lasts (cut at its deadline) */
} step_t;

static const step_t *script;
static int nscript;
static uint32_t poll_deadlines[MAX_EVENTS];

static ges_err_t fake_poll(ges_client_t *c, const char *p, const char *g,
                           const char *j, ges_job_status_t *out, uint32_t deadline)
{
    const step_t *s = &script[npolls < nscript ? npolls : nscript - 1];
    (void)p;
    (void)g;
    (void)j;
    if (npolls < MAX_EVENTS) poll_deadlines[npolls] = deadline;
    npolls++;
    ges_job_status_init(out);
    if ((int32_t)(deadline - fake_now) < (int32_t)s->takes_ms) {
        fake_now = deadline; /* the poll ran out of time */
        return GES_ERR_TIMEOUT;
    }
    fake_now += s->takes_ms;
    out->http_status = s->http;
    c->retry_after_s = s->retry_after;
    if (s->status) {
        size_t n = strlen(s->status);
        memcpy(out->status, s->status, n + 1);
        out->present |= GES_F_STATUS;
        out->job_state = ges__job_state(s->status, n);
    }
    if (s->code) {
        size_t n = strlen(s->code);
        memcpy(out->error_code, s->code, n + 1);
        out->len[GES_FI_ERROR_CODE] = (uint16_t)n;
        out->present |= GES_F_ERROR_CODE;
    }
    return s->err;
}

static ges_client_t client;
static ges_job_status_t st;

static ges_err_t run(const step_t *steps, int n, const ges_wait_config_t *wc)
{
    memset(&client, 0, sizeof client);
    client.initialised = 1;
    client.cfg.platform = &fake_port;
    client.cfg.timeout_ms = 15000;
    script = steps;
    nscript = n;
    npolls = 0;
    nsleeps = 0;
    sleep_gap = -1;
    sleep_calls = sleep_asked = 0;
    fake_now = 0xFFFFF000u; /* close to the wrap: deadlines must survive it */
    return ges__wait(&client, "p", "g", "j", wc, &st, fake_poll);
}

static ges_wait_config_t defaults(void)
{
    ges_wait_config_t wc;
    ges_wait_config_init(&wc);
    wc.jitter_percent = 0;
    return wc;
}

#define OK(s)                       \
    {                               \
        GES_OK, 200, s, NULL, 0, 50 \
    }

static void test_defaults(void)
{
    ges_wait_config_t wc;
    ges_wait_config_init(&wc);
    CHECK_EQ(wc.deadline_ms, 1800000);
    CHECK_EQ(wc.interval_ms, 1000);
    CHECK_EQ(wc.max_interval_ms, 30000);
    CHECK_EQ(wc.backoff_percent, 200);
    CHECK_EQ(wc.jitter_percent, 20);
}

static void test_schedule_until_success(void)
{
    static const step_t s[] = {OK("pending"), OK("waiting"), OK("running"),
                               OK("running"), OK("success")};
    ges_wait_config_t wc = defaults();
    uint32_t t0;
    CHECK_EQ(run(s, 5, &wc), GES_OK);
    CHECK_EQ(npolls, 5);
    CHECK_EQ(nsleeps, 4);
    CHECK_EQ(sleeps[0], 1000);
    CHECK_EQ(sleeps[1], 2000);
    CHECK_EQ(sleeps[2], 4000);
    CHECK_EQ(sleeps[3], 8000);
    CHECK_EQ(st.job_state, GES_JOB_SUCCESS);
    t0 = 0xFFFFF000u;
    CHECK_EQ(fake_now - t0, 5 * 50 + 1000 + 2000 + 4000 + 8000);
}

static void test_terminal_states_end(void)
{
    static const step_t f[] = {OK("failed")}, pf[] = {OK("partiallyFailed")},
                        c[] = {OK("complete")};
    ges_wait_config_t wc = defaults();
    CHECK_EQ(run(f, 1, &wc), GES_OK);
    CHECK_EQ(st.job_state, GES_JOB_FAILED);
    CHECK_EQ(run(pf, 1, &wc), GES_OK);
    CHECK_EQ(st.job_state, GES_JOB_PARTIALLY_FAILED);
    CHECK_EQ(run(c, 1, &wc), GES_OK);
    CHECK_EQ(npolls, 1);
}

static void test_unknown_status_keeps_polling(void)
{
    static const step_t s[] = {OK("queued"), OK(NULL), OK("success")};
    ges_wait_config_t wc = defaults();
    CHECK_EQ(run(s, 3, &wc), GES_OK);
    CHECK_EQ(npolls, 3);
}

static void test_cap(void)
{
    static const step_t s[] = {OK("running")};
    ges_wait_config_t wc = defaults();
    int i;
    wc.deadline_ms = 200000;
    CHECK_EQ(run(s, 1, &wc), GES_ERR_TIMEOUT);
    /* 1, 2, 4, 8, 16, then 30 s every time */
    CHECK_EQ(sleeps[4], 16000);
    for (i = 5; i < nsleeps - 1; i++) CHECK_EQ(sleeps[i], 30000);
}

static void test_first_interval_above_cap(void)
{
    static const step_t s[] = {OK("running"), OK("success")};
    ges_wait_config_t wc = defaults();
    wc.interval_ms = 60000;
    CHECK_EQ(run(s, 2, &wc), GES_OK);
    CHECK_EQ(sleeps[0], 30000);
}

static void test_fixed_interval(void)
{
    static const step_t s[] = {OK("running"), OK("running"), OK("running"), OK("success")};
    ges_wait_config_t wc = defaults();
    wc.interval_ms = 250;
    wc.backoff_percent = 100;
    CHECK_EQ(run(s, 4, &wc), GES_OK);
    CHECK_EQ(sleeps[0], 250);
    CHECK_EQ(sleeps[1], 250);
    CHECK_EQ(sleeps[2], 250);
}

static void test_jitter_bounds(void)
{
    static const step_t s[] = {OK("running")};
    ges_wait_config_t wc = defaults();
    uint32_t interval = 1000;
    int i, differ = 0;
    wc.jitter_percent = 20;
    wc.deadline_ms = 400000;
    entropy_lcg = 1;
    entropy_word = 12345;
    CHECK_EQ(run(s, 1, &wc), GES_ERR_TIMEOUT);
    entropy_lcg = 0;
    for (i = 0; i < nsleeps - 1; i++) {
        CHECK(sleeps[i] <= interval);
        CHECK(sleeps[i] >= interval - interval / 5);
        if (sleeps[i] != interval) differ++;
        interval = interval * 2 > 30000 ? 30000 : interval * 2;
    }
    CHECK(differ > nsleeps / 2); /* the jitter is really there */
    /* the extremes: all-ones entropy cuts the full 20%, zero cuts nothing */
    entropy_word = 0xFFFFFFFFu;
    CHECK_EQ(run(s, 1, &wc), GES_ERR_TIMEOUT);
    CHECK(sleeps[0] >= 800 && sleeps[0] <= 801);
    entropy_word = 0;
    CHECK_EQ(run(s, 1, &wc), GES_ERR_TIMEOUT);
    CHECK_EQ(sleeps[0], 1000);
}

/* jitter_percent above 100 cuts at most the whole interval (a sleep of 0..1
 * ms, never a wrapped one), and a failing entropy source means no jitter. */
static void test_jitter_limits(void)
{
    static const step_t s[] = {OK("running"), OK("success")};
    ges_wait_config_t wc = defaults();
    wc.jitter_percent = 250;
    entropy_word = 0xFFFFFFFFu;
    CHECK_EQ(run(s, 2, &wc), GES_OK);
    CHECK_EQ(nsleeps, 1);
    CHECK_EQ(sleeps[0], 1); /* 1000 less 999: 100%, not 250% */
    wc.jitter_percent = 20;
    entropy_fail = 1;
    CHECK_EQ(run(s, 2, &wc), GES_OK);
    entropy_fail = 0;
    CHECK_EQ(nsleeps, 1);
    CHECK_EQ(sleeps[0], 1000); /* all-ones entropy would have cut 200 */
    entropy_word = 0;
}

/* interval_ms or max_interval_ms 0 is taken as 1 ms (ges__wait), not as
 * no sleep (a busy loop) or no cap. */
static void test_zero_intervals(void)
{
    static const step_t s[] = {OK("running"), OK("running"), OK("success")};
    ges_wait_config_t wc = defaults();
    wc.interval_ms = 0;
    CHECK_EQ(run(s, 3, &wc), GES_OK);
    CHECK_EQ(nsleeps, 2);
    CHECK_EQ(sleeps[0], 1);
    CHECK_EQ(sleeps[1], 2); /* backoff from 1 ms */
    wc = defaults();
    wc.max_interval_ms = 0;
    CHECK_EQ(run(s, 3, &wc), GES_OK);
    CHECK_EQ(nsleeps, 2);
    CHECK_EQ(sleeps[0], 1); /* the interval capped at 1 ms */
    CHECK_EQ(sleeps[1], 1);
}

static void test_deadline_never_overshot(void)
{
    static const step_t s[] = {{GES_OK, 200, "running", NULL, 0, 700}};
    ges_wait_config_t wc = defaults();
    uint32_t t0 = 0xFFFFF000u;
    int i;
    wc.deadline_ms = 10000;
    CHECK_EQ(run(s, 1, &wc), GES_ERR_TIMEOUT);
    CHECK(fake_now - t0 <= 10000);
    CHECK_EQ(fake_now - t0, 10000); /* it used its time, to the ms */
    for (i = 0; i < npolls; i++) CHECK((int32_t)(poll_deadlines[i] - (t0 + 10000)) <= 0);
    /* the last sleep was shortened to the deadline: 700+1000+700+2000+700+4000
     * = 9100, then a poll to 9800, then 200 of sleep, not 8000 */
    CHECK_EQ(sleeps[nsleeps - 1], 200);
    CHECK_EQ(st.job_state, GES_JOB_RUNNING); /* the last status read */
}

static void test_poll_deadline_is_min_of_timeout_and_wait(void)
{
    static const step_t s[] = {OK("running")};
    ges_wait_config_t wc = defaults();
    uint32_t t0 = 0xFFFFF000u;
    wc.deadline_ms = 20000;
    CHECK_EQ(run(s, 1, &wc), GES_ERR_TIMEOUT);
    CHECK_EQ(poll_deadlines[0], t0 + 15000);          /* client timeout first */
    CHECK_EQ(poll_deadlines[npolls - 1], t0 + 20000); /* then the wait's end */
}

static void test_retries(void)
{
    static const step_t s[] = {
        {GES_ERR_NET_CLOSED, 0, NULL, NULL, 0, 10},
        {GES_ERR_NET_CONNECT, 0, NULL, NULL, 0, 10},
        {GES_ERR_TIMEOUT, 0, NULL, NULL, 0, 10},
        {GES_ERR_SERVICE, 503, NULL, NULL, 0, 10},
        {GES_ERR_SERVICE, 429, NULL, NULL, 0, 10},
        {GES_ERR_SERVICE, 400, NULL, "GES.7005", 0, 10},
        {GES_ERR_SERVICE, 500, NULL, "GES.7006", 0, 10},
        {GES_ERR_SERVICE, 500, NULL, "GES.8302", 0, 10},
        {GES_ERR_SERVICE, 408, NULL, NULL, 0, 10},
        {GES_ERR_SERVICE, 502, NULL, NULL, 0, 10},
        {GES_ERR_SERVICE, 504, NULL, NULL, 0, 10},
        OK("success")};
    ges_wait_config_t wc = defaults();
    wc.deadline_ms = 2000000;
    CHECK_EQ(run(s, 12, &wc), GES_OK);
    CHECK_EQ(npolls, 12);
    CHECK_EQ(sleeps[1], 2000); /* retries back off like polls */
}

static void test_retry_after(void)
{
    static const step_t s[] = {{GES_ERR_SERVICE, 503, NULL, "GES.7005", 5, 10},
                               {GES_ERR_SERVICE, 503, NULL, NULL, 1, 10},
                               OK("success")};
    ges_wait_config_t wc = defaults();
    CHECK_EQ(run(s, 3, &wc), GES_OK);
    CHECK_EQ(sleeps[0], 5000); /* Retry-After above the interval wins */
    CHECK_EQ(sleeps[1], 2000); /* below it, the interval does */
}

static void test_retry_after_bounded_by_deadline(void)
{
    static const step_t s[] = {{GES_ERR_SERVICE, 503, NULL, NULL, 3600, 10}};
    ges_wait_config_t wc = defaults();
    uint32_t t0 = 0xFFFFF000u;
    wc.deadline_ms = 5000;
    CHECK_EQ(run(s, 1, &wc), GES_ERR_TIMEOUT);
    CHECK_EQ(fake_now - t0, 5000);
    CHECK_EQ(npolls, 1);
}

static void test_not_retried(void)
{
    static const step_t s401[] = {{GES_ERR_SERVICE, 401, NULL, "APIG.0301", 0, 10}},
                        s403[] = {{GES_ERR_SERVICE, 403, NULL, NULL, 0, 10}},
                        s404[] = {{GES_ERR_SERVICE, 404, NULL, NULL, 0, 10}},
                        s7007[] = {{GES_ERR_SERVICE, 400, NULL, "GES.7007", 0, 10}},
                        s8301[] = {{GES_ERR_SERVICE, 400, NULL, "GES.8301", 0, 10}},
                        sjson[] = {{GES_ERR_JSON_SYNTAX, 200, NULL, NULL, 0, 10}},
                        scert[] = {{GES_ERR_TLS_CERT, 0, NULL, NULL, 0, 10}},
                        shttp[] = {{GES_ERR_HTTP_FRAMING, 200, NULL, NULL, 0, 10}},
                        s200c[] = {{GES_ERR_SERVICE, 200, NULL, "GES.7001", 0, 10}};
    ges_wait_config_t wc = defaults();
    CHECK_EQ(run(s401, 1, &wc), GES_ERR_SERVICE);
    CHECK_EQ(npolls, 1);
    CHECK_EQ(nsleeps, 0);
    CHECK_EQ(st.http_status, 401);
    CHECK_EQ(run(s403, 1, &wc), GES_ERR_SERVICE);
    CHECK_EQ(npolls, 1);
    CHECK_EQ(run(s404, 1, &wc), GES_ERR_SERVICE);
    CHECK_EQ(npolls, 1);
    CHECK_EQ(run(s7007, 1, &wc), GES_ERR_SERVICE);
    CHECK_EQ(npolls, 1);
    CHECK_STR(st.error_code, "GES.7007");
    CHECK_EQ(run(s8301, 1, &wc), GES_ERR_SERVICE);
    CHECK_EQ(npolls, 1);
    CHECK_EQ(run(sjson, 1, &wc), GES_ERR_JSON_SYNTAX);
    CHECK_EQ(npolls, 1);
    CHECK_EQ(run(scert, 1, &wc), GES_ERR_TLS_CERT);
    CHECK_EQ(run(shttp, 1, &wc), GES_ERR_HTTP_FRAMING);
    CHECK_EQ(run(s200c, 1, &wc), GES_ERR_SERVICE);
    CHECK_EQ(npolls, 1);
}

static int seen, cancel_at;
static ges_err_t seen_err[MAX_EVENTS];
static int on_poll(void *ctx, const ges_job_status_t *s, ges_err_t err, uint32_t elapsed)
{
    (void)s;
    (void)elapsed;
    CHECK(ctx == &seen);
    if (seen < MAX_EVENTS) seen_err[seen] = err;
    return ++seen == cancel_at;
}

static void test_callback_and_cancel(void)
{
    static const step_t s[] = {OK("pending"), {GES_ERR_SERVICE, 503, NULL, NULL, 0, 10}, OK("running"), OK("success")};
    ges_wait_config_t wc = defaults();
    wc.on_poll = on_poll;
    wc.ctx = &seen;
    seen = 0;
    cancel_at = 0;
    CHECK_EQ(run(s, 4, &wc), GES_OK);
    CHECK_EQ(seen, 4); /* after every poll, retried errors included */
    CHECK_EQ(seen_err[1], GES_ERR_SERVICE);
    seen = 0;
    cancel_at = 2;
    CHECK_EQ(run(s, 4, &wc), GES_ERR_CANCELLED);
    CHECK_EQ(npolls, 2);
}

/* ges_job_wait with no config takes the documented defaults: here against a
 * port whose connect always fails (a retried network error), on the fake
 * clock, so the whole 30-minute default wait runs in no time. */
static int fake_connect(void *ctx, const char *host, uint16_t port, uint32_t ms, ges_sock_t *s)
{
    (void)ctx;
    (void)host;
    (void)port;
    (void)ms;
    (void)s;
    npolls++; /* one connect per poll: it marks the gaps between sleeps */
    return GES_PORT_ERROR;
}

/* ges_job_retryable(), the public form of the rule the two tests above
 * check through the wait loop: the same list, answer by answer. */
static void test_retryable_public(void)
{
    static const struct {
        ges_err_t err;
        int status;
        const char *code;
        int want;
    } c[] = {
        {GES_ERR_NET_CONNECT, 0, NULL, 1},
        {GES_ERR_NET_SEND, 0, NULL, 1},
        {GES_ERR_NET_RECV, 0, NULL, 1},
        {GES_ERR_NET_CLOSED, 0, NULL, 1},
        {GES_ERR_TIMEOUT, 0, NULL, 1},
        {GES_ERR_SERVICE, 408, NULL, 1},
        {GES_ERR_SERVICE, 429, NULL, 1},
        {GES_ERR_SERVICE, 500, NULL, 1},
        {GES_ERR_SERVICE, 502, NULL, 1},
        {GES_ERR_SERVICE, 503, NULL, 1},
        {GES_ERR_SERVICE, 504, NULL, 1},
        {GES_ERR_SERVICE, 400, "GES.7005", 1},
        {GES_ERR_SERVICE, 400, "GES.7006", 1},
        {GES_ERR_SERVICE, 200, "GES.8302", 1},
        {GES_OK, 200, NULL, 0},
        {GES_ERR_SERVICE, 401, "APIG.0301", 0},
        {GES_ERR_SERVICE, 403, NULL, 0},
        {GES_ERR_SERVICE, 404, NULL, 0},
        {GES_ERR_SERVICE, 400, "GES.7007", 0},
        {GES_ERR_SERVICE, 501, NULL, 0},
        {GES_ERR_JSON_SYNTAX, 200, NULL, 0},
        {GES_ERR_TLS_CERT, 0, NULL, 0},
        {GES_ERR_HTTP_FRAMING, 200, NULL, 0},
        {GES_ERR_CANCELLED, 0, NULL, 0},
    };
    size_t i;
    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        ges_job_status_t r;
        ges_job_status_init(&r);
        r.http_status = c[i].status;
        if (c[i].code != NULL) {
            strcpy(r.error_code, c[i].code);
            r.len[GES_FI_ERROR_CODE] = (uint16_t)strlen(c[i].code);
            r.present |= GES_F_ERROR_CODE;
        }
        if (ges_job_retryable(c[i].err, &r) != c[i].want)
            fprintf(stderr, "case %u: err %d status %d code %s\n", (unsigned)i, (int)c[i].err,
                    c[i].status, c[i].code ? c[i].code : "-");
        CHECK_EQ(ges_job_retryable(c[i].err, &r), c[i].want);
    }
}

static void test_null_config_means_defaults(void)
{
    static ges_port_t port;
    static ges_client_t c;
    ges_job_status_t out;
    uint32_t t0;
    int i;
    port = fake_port;
    port.net_connect = fake_connect;
    memset(&c, 0, sizeof c);
    c.initialised = 1;
    c.cfg.platform = &port;
    c.cfg.timeout_ms = 15000;
    entropy_lcg = 0;
    entropy_word = 0; /* no jitter: the sleeps are exact */
    nsleeps = 0;
    sleep_gap = -1;
    npolls = 0;
    sleep_slice_max = 0;
    fake_now = t0 = 1000;
    CHECK_EQ(ges_job_wait(&c, "p", "g", "j", NULL, &out), GES_ERR_TIMEOUT);
    CHECK_EQ(fake_now - t0, 30u * 60u * 1000u);
    CHECK_EQ(sleeps[0], 1000);
    CHECK_EQ(sleeps[1], 2000);
    CHECK_EQ(sleeps[4], 16000);
    for (i = 5; i < nsleeps - 1 && i < MAX_EVENTS; i++) CHECK_EQ(sleeps[i], 30000);
    CHECK(sleep_slice_max <= GES_WAIT_SLICE_MS); /* slept in slices (issue 14) */
    CHECK(sleep_slice_max > 0);
}

/* A clock that stops advancing (a frozen tick) cannot hold a wait for ever
 * (issue 13): the sleeps asked while it stood still count as time, so the
 * wait ends with GES_ERR_TIMEOUT after asking to sleep about its deadline. */
static void test_frozen_clock_ends(void)
{
    static const step_t down[] = {{GES_ERR_NET_CONNECT, 0, NULL, NULL, 0, 0}};
    int after;
    for (after = 1; after <= 3; after++) {
        ges_wait_config_t wc = defaults();
        wc.deadline_ms = 60000;
        clock_frozen_after = after;
        CHECK_EQ(run(down, 1, &wc), GES_ERR_TIMEOUT);
        clock_frozen_after = 0;
        CHECK(npolls >= after && npolls < 20);
        /* slices of GES_WAIT_SLICE_MS: the deadline's worth, plus a
         * few partial ones */
        CHECK(sleep_calls < wc.deadline_ms / GES_WAIT_SLICE_MS + 64);
        /* every sleep asked for is counted, never more than the deadline */
        CHECK(sleep_asked <= wc.deadline_ms);
        CHECK(sleep_asked + 5000u >= wc.deadline_ms); /* and the wait was not cut short */
    }
}

/* A sleep_ms that returns early (the contract allows it) while the clock
 * runs is resumed: the schedule is the same as with a full sleep. */
static void test_early_sleep_resumed(void)
{
    static const step_t s3[] = {OK("running"), OK("running"), OK("success")};
    ges_wait_config_t wc = defaults();
    uint32_t t0;
    sleep_early = 1;
    CHECK_EQ(run(s3, 3, &wc), GES_OK);
    sleep_early = 0;
    t0 = 0xFFFFF000u;
    /* polls of 50 ms, sleeps of 1 s then 2 s, however many calls they took */
    CHECK_EQ(fake_now - t0, 3 * 50 + 1000 + 2000);
    CHECK(sleep_calls > 2);
}

static void test_bad_config(void)
{
    ges_wait_config_t wc = defaults();
    static ges_client_t dummy;
    ges_job_status_t out;
    dummy.initialised = 1;
    dummy.cfg.platform = &fake_port;
    wc.backoff_percent = 99;
    CHECK_EQ(ges_job_wait(&dummy, "p", "g", "j", &wc, &out), GES_ERR_INVALID_ARG);
    wc = defaults();
    wc.deadline_ms = 0;
    CHECK_EQ(ges_job_wait(&dummy, "p", "g", "j", &wc, &out), GES_ERR_INVALID_ARG);
    wc = defaults();
    CHECK_EQ(ges_job_wait(&dummy, "p", "..", "j", &wc, &out), GES_ERR_INVALID_ARG);
    CHECK_EQ(ges_job_wait(NULL, "p", "g", "j", &wc, &out), GES_ERR_INVALID_ARG);
}

/* The time arithmetic every deadline goes through (ges__until, ges__wait_left)
 * and the one loop rule for mbedTLS's WANT_READ/WANT_WRITE (ges__tls_again),
 * which a blocking BIO never meets in the suites that talk TLS. */
static void test_time_left_and_tls_again(void)
{
    int r;
    CHECK_EQ(ges__until(100, 40), 60);
    CHECK_EQ(ges__until(100, 100), 0);
    CHECK_EQ(ges__until(100, 101), 0);
    CHECK_EQ(ges__until(0x10u, 0xFFFFFFF0u), 0x20); /* across the wrap */
    CHECK_EQ(ges__until(0xFFFFFFF0u, 0x10u), 0);    /* passed, across it */
    CHECK_EQ(ges__wait_left(10, 5, 100), 85);
    CHECK_EQ(ges__wait_left(100, 0, 100), 0);
    CHECK_EQ(ges__wait_left(10, 90, 100), 0);
    CHECK_EQ(ges__wait_left(10, 89, 100), 1);
    CHECK_EQ(ges__wait_left((uint32_t)-5, 0, 100), 100); /* clock went back */

    memset(&client, 0, sizeof client);
    client.cfg.platform = &fake_port;
    fake_now = 0xFFFFFF00u;
    client.deadline = 0x100u; /* 512 ms ahead, across the wrap */
    CHECK_EQ(ges__left(&client), 512);
    r = MBEDTLS_ERR_SSL_WANT_READ;
    CHECK_EQ(ges__tls_again(&client, &r), 1);
    CHECK_EQ(r, MBEDTLS_ERR_SSL_WANT_READ);
    r = MBEDTLS_ERR_SSL_WANT_WRITE;
    CHECK_EQ(ges__tls_again(&client, &r), 1);
    r = MBEDTLS_ERR_SSL_CONN_EOF; /* not a WANT: left alone */
    CHECK_EQ(ges__tls_again(&client, &r), 0);
    CHECK_EQ(r, MBEDTLS_ERR_SSL_CONN_EOF);
    r = 0;
    CHECK_EQ(ges__tls_again(&client, &r), 0);
    CHECK_EQ(r, 0);
    fake_now = 0x100u; /* the deadline itself: a WANT becomes a timeout */
    CHECK_EQ(ges__left(&client), 0);
    r = MBEDTLS_ERR_SSL_WANT_WRITE;
    CHECK_EQ(ges__tls_again(&client, &r), 0);
    CHECK_EQ(r, MBEDTLS_ERR_SSL_TIMEOUT);
    CHECK_EQ(ges__tls_fail(&client, r), GES_ERR_TIMEOUT);

    /* ges__tls_fail: what the port said first, then mbedTLS's code */
    client.net_status = 0;
    CHECK_EQ(ges__tls_fail(&client, MBEDTLS_ERR_SSL_CONN_EOF), GES_ERR_NET_CLOSED);
    CHECK_EQ(ges__tls_fail(&client, MBEDTLS_ERR_SSL_BAD_INPUT_DATA), GES_ERR_TLS);
    CHECK_EQ(client.tls_err, MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
    client.net_status = GES_PORT_ERROR;
    client.send_failed = 1;
    CHECK_EQ(ges__tls_fail(&client, MBEDTLS_ERR_NET_SEND_FAILED), GES_ERR_NET_SEND);
    client.send_failed = 0;
    CHECK_EQ(ges__tls_fail(&client, MBEDTLS_ERR_NET_RECV_FAILED), GES_ERR_NET_RECV);
    client.net_status = GES_PORT_CANCELLED;
    CHECK_EQ(ges__tls_fail(&client, MBEDTLS_ERR_SSL_TIMEOUT), GES_ERR_CANCELLED);
    client.net_status = GES_PORT_TIMEOUT;
    CHECK_EQ(ges__tls_fail(&client, MBEDTLS_ERR_NET_RECV_FAILED), GES_ERR_TIMEOUT);
}

int main(void)
{
    RUN(test_defaults);
    RUN(test_schedule_until_success);
    RUN(test_terminal_states_end);
    RUN(test_unknown_status_keeps_polling);
    RUN(test_cap);
    RUN(test_first_interval_above_cap);
    RUN(test_fixed_interval);
    RUN(test_jitter_bounds);
    RUN(test_jitter_limits);
    RUN(test_zero_intervals);
    RUN(test_deadline_never_overshot);
    RUN(test_poll_deadline_is_min_of_timeout_and_wait);
    RUN(test_retries);
    RUN(test_retry_after);
    RUN(test_retry_after_bounded_by_deadline);
    RUN(test_not_retried);
    RUN(test_retryable_public);
    RUN(test_callback_and_cancel);
    RUN(test_null_config_means_defaults);
    RUN(test_bad_config);
    RUN(test_frozen_clock_ends);
    RUN(test_early_sleep_resumed);
    RUN(test_time_left_and_tls_again);
    return harness_done();
}
