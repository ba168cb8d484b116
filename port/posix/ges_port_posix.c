/*
 * ges_job port for POSIX systems. See ges_port_posix.h and port/README.md.
 *
 * SPDX-License-Identifier: MIT
 *
 * Feature macros: _POSIX_C_SOURCE 200809L alone is enough on glibc (checked
 * with 2.36): it declares getrandom(), MSG_NOSIGNAL (POSIX.1-2008),
 * SOCK_CLOEXEC and TCP_NODELAY without _DEFAULT_SOURCE, so that is not
 * defined. Apple hides
 * SO_NOSIGPIPE under strict POSIX, hence _DARWIN_C_SOURCE there.
 */
#define _POSIX_C_SOURCE 200809L
#if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE
#endif

#include "ges_port_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/types.h>

/* getrandom(): glibc 2.25+ on Linux (__GLIBC__ comes from the headers above).
 * Elsewhere, or when the kernel says ENOSYS, /dev/urandom is read. */
#if defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
#define GES_POSIX_HAVE_GETRANDOM 1
#include <sys/random.h>
#else
#define GES_POSIX_HAVE_GETRANDOM 0
#endif

/* The contract forbids SIGPIPE. Without either mechanism the application
 * must ignore SIGPIPE itself and say so by defining this macro. */
#if !defined(MSG_NOSIGNAL) && !defined(SO_NOSIGPIPE) && \
    !defined(GES_PORT_POSIX_SIGPIPE_IGNORED)
#error "No MSG_NOSIGNAL or SO_NOSIGPIPE: ignore SIGPIPE in your program and define GES_PORT_POSIX_SIGPIPE_IGNORED"
#endif

#ifdef MSG_NOSIGNAL
#define GES_POSIX_SEND_FLAGS MSG_NOSIGNAL
#else
#define GES_POSIX_SEND_FLAGS 0
#endif

/* 2020-01-01T00:00:00Z: an earlier system clock is taken as "not set". */
#define GES_POSIX_CLOCK_PLAUSIBLE 1577836800LL

/* ------------------------------------------------------------------------- */
/* Time helpers                                                              */
/* ------------------------------------------------------------------------- */

/* Monotonic milliseconds, 64-bit, for deadlines inside one call (so the
 * uint32_t wrap of now_ms never matters here). */
static uint64_t mono_ms64(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0; /* cannot happen on a POSIX system with monotonic clock */
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t remaining_ms(uint64_t deadline)
{
    uint64_t now = mono_ms64();
    return now >= deadline ? 0 : deadline - now;
}

static int would_block(int e)
{
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
    if (e == EWOULDBLOCK)
        return 1;
#endif
    return e == EAGAIN;
}

/*
 * Wait until `fd` reports any of `events` (or an error/hangup) or the
 * deadline passes. EINTR resumes with the time that is left.
 * Returns 1 ready, 0 timed out, -1 error (poll failed, POLLNVAL).
 */
static int wait_fd(int fd, short events, uint64_t deadline)
{
    for (;;) {
        struct pollfd p;
        uint64_t left = remaining_ms(deadline);
        int wait = left > (uint64_t)INT_MAX ? INT_MAX : (int)left;
        int r;

        p.fd = fd;
        p.events = events;
        p.revents = 0;
        r = poll(&p, 1, wait);
        if (r > 0)
            return (p.revents & POLLNVAL) ? -1 : 1;
        if (r == 0) {
            if (left <= (uint64_t)INT_MAX)
                return 0;
            continue; /* a wait longer than INT_MAX ms: go on */
        }
        if (errno != EINTR)
            return -1;
    }
}

/* Validate a ges_sock_t holding a file descriptor. */
static int sock_fd(ges_sock_t sock)
{
    if (sock < 0 || sock > (ges_sock_t)INT_MAX)
        return -1;
    return (int)sock;
}

/* ------------------------------------------------------------------------- */
/* Network                                                                   */
/* ------------------------------------------------------------------------- */

static void close_fd(int fd)
{
    /* Not retried on EINTR: on Linux the descriptor is gone either way, and
     * retrying could close a descriptor another thread just opened. */
    (void)close(fd);
}

/* Socket options wanted on every connected socket. 0 ok, -1 error. */
static int prepare_fd(int fd)
{
    int flags;

#ifndef SOCK_CLOEXEC
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
        return -1;
#endif
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        return -1;
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one,
                       (socklen_t)sizeof one) != 0)
            return -1;
    }
#endif
    return 0;
}

/*
 * Connect `fd` (already non-blocking) to one address.
 * Returns 0 connected, GES_PORT_TIMEOUT, GES_PORT_ERROR, or with a tick
 * (net_connect_tick) GES_PORT_CANCELLED: the wait for the connection is
 * then cut in slices of GES_WAIT_SLICE_MS with a tick before each, and a
 * tick that says stop ends it.
 */
static int connect_one(int fd, const struct addrinfo *ai, uint64_t deadline,
                       ges_tick_fn tick, void *arg)
{
    int err = 0;
    socklen_t errlen = (socklen_t)sizeof err;
    int r;

    if (tick != NULL && tick(arg, GES_PHASE_CONNECTING) != 0)
        return GES_PORT_CANCELLED;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return 0;
    /* EINTR: the connection goes on asynchronously, as for EINPROGRESS. */
    if (errno != EINPROGRESS && errno != EINTR)
        return GES_PORT_ERROR;

    for (;;) {
        uint64_t slice_end = deadline;
        if (tick != NULL && remaining_ms(deadline) > GES_WAIT_SLICE_MS)
            slice_end = mono_ms64() + GES_WAIT_SLICE_MS;
        r = wait_fd(fd, POLLOUT, slice_end);
        if (r != 0 || slice_end == deadline)
            break;
        if (tick(arg, GES_PHASE_CONNECTING) != 0)
            return GES_PORT_CANCELLED;
    }
    if (r == 0)
        return GES_PORT_TIMEOUT;
    if (r < 0)
        return GES_PORT_ERROR;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) != 0 || err != 0)
        return GES_PORT_ERROR;
    return 0;
}

static int posix_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                         ges_sock_t *sock, ges_tick_fn tick, void *arg)
{
    uint64_t deadline = mono_ms64() + timeout_ms;
    struct addrinfo hints;
    struct addrinfo *res = NULL;
    const struct addrinfo *ai;
    char service[8]; /* "65535" */
    int result = GES_PORT_ERROR;
    int n;

    if (host == NULL || host[0] == '\0' || port == 0 || sock == NULL)
        return GES_PORT_ERROR;
    n = snprintf(service, sizeof service, "%u", (unsigned)port);
    if (n <= 0 || (size_t)n >= sizeof service)
        return GES_PORT_ERROR;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;
    /* getaddrinfo() cannot be interrupted: a tick comes before it only. */
    if (tick != NULL && tick(arg, GES_PHASE_RESOLVING) != 0)
        return GES_PORT_CANCELLED;
    if (getaddrinfo(host, service, &hints, &res) != 0 || res == NULL)
        return GES_PORT_ERROR; /* no such name, resolver failure, ... */
    if (remaining_ms(deadline) == 0 && timeout_ms > 0) {
        freeaddrinfo(res); /* resolving used the whole timeout */
        return GES_PORT_TIMEOUT;
    }

    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int type = ai->ai_socktype;
        int fd, r;

#ifdef SOCK_CLOEXEC
        type |= SOCK_CLOEXEC;
#endif
        fd = socket(ai->ai_family, type, ai->ai_protocol);
        if (fd < 0)
            continue; /* e.g. no IPv6 in this kernel */
        if (prepare_fd(fd) != 0) {
            close_fd(fd);
            continue;
        }
        r = connect_one(fd, ai, deadline, tick, arg);
        if (r == 0) {
            int one = 1;
            /* Without it every handshake flight waits ~40 ms for the
             * server's delayed ACK. Failure only costs speed. */
            (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
                             (socklen_t)sizeof one);
            *sock = (ges_sock_t)fd;
            result = 0;
            break;
        }
        close_fd(fd);
        if (r == GES_PORT_TIMEOUT || r == GES_PORT_CANCELLED) {
            result = r; /* no time left for other addresses, or stopped */
            break;
        }
    }
    freeaddrinfo(res);
    return result;
}

static int posix_net_connect(void *ctx, const char *host, uint16_t port,
                             uint32_t timeout_ms, ges_sock_t *sock)
{
    (void)ctx;
    return posix_connect(host, port, timeout_ms, sock, NULL, NULL);
}

static int posix_net_connect_tick(void *ctx, const char *host, uint16_t port,
                                  uint32_t timeout_ms, ges_sock_t *sock,
                                  ges_tick_fn tick, void *arg)
{
    (void)ctx;
    return posix_connect(host, port, timeout_ms, sock, tick, arg);
}

static int posix_net_send(void *ctx, ges_sock_t sock, const unsigned char *buf,
                          size_t len, uint32_t timeout_ms)
{
    uint64_t deadline = mono_ms64() + timeout_ms;
    int fd = sock_fd(sock);

    (void)ctx;
    if (fd < 0 || buf == NULL || len == 0)
        return GES_PORT_ERROR;
    if (len > (size_t)INT_MAX)
        len = (size_t)INT_MAX; /* the result must fit an int */

    for (;;) {
        ssize_t n;
        int r = wait_fd(fd, POLLOUT, deadline);
        if (r == 0)
            return GES_PORT_TIMEOUT;
        if (r < 0)
            return GES_PORT_ERROR;
        /* POLLERR/POLLHUP also land here: send() then reports the error. */
        n = send(fd, buf, len, GES_POSIX_SEND_FLAGS);
        if (n > 0)
            return (int)n;
        if (n == 0)
            return GES_PORT_ERROR; /* not expected for len > 0; never 0 */
        if (errno != EINTR && !would_block(errno))
            return GES_PORT_ERROR; /* EPIPE, ECONNRESET, ... */
        /* EINTR / EAGAIN: poll again for the time that is left. */
    }
}

static int posix_net_recv(void *ctx, ges_sock_t sock, unsigned char *buf,
                          size_t len, uint32_t timeout_ms)
{
    uint64_t deadline = mono_ms64() + timeout_ms;
    int fd = sock_fd(sock);

    (void)ctx;
    if (fd < 0 || buf == NULL || len == 0)
        return GES_PORT_ERROR; /* len 0 would make recv() look like a close */
    if (len > (size_t)INT_MAX)
        len = (size_t)INT_MAX;

    for (;;) {
        ssize_t n;
        int r = wait_fd(fd, POLLIN, deadline);
        if (r == 0)
            return GES_PORT_TIMEOUT;
        if (r < 0)
            return GES_PORT_ERROR;
        /* POLLHUP/POLLERR: recv() tells which (0 = orderly close, -1 =
         * ECONNRESET, ...). */
        n = recv(fd, buf, len, 0);
        if (n >= 0)
            return (int)n;
        if (errno != EINTR && !would_block(errno))
            return GES_PORT_ERROR;
    }
}

static void posix_net_close(void *ctx, ges_sock_t sock)
{
    int fd = sock_fd(sock);
    (void)ctx;
    if (fd >= 0)
        close_fd(fd);
}

/* ------------------------------------------------------------------------- */
/* Clocks, entropy, allocator                                                */
/* ------------------------------------------------------------------------- */

static uint32_t posix_now_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)mono_ms64(); /* truncation is the documented wrap */
}

static void posix_sleep_ms(void *ctx, uint32_t ms)
{
    struct timespec req, rem;

    (void)ctx;
    req.tv_sec = (time_t)(ms / 1000u);
    req.tv_nsec = (long)(ms % 1000u) * 1000000L;
    while (nanosleep(&req, &rem) != 0 && errno == EINTR)
        req = rem; /* a signal woke us: sleep the rest */
}

static int read_urandom(unsigned char *buf, size_t len)
{
    int fd;

    do {
        fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return -1;
    while (len > 0) {
        ssize_t n = read(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close_fd(fd);
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    close_fd(fd);
    return 0;
}

static int posix_entropy(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    if (buf == NULL && len > 0)
        return -1;
#if GES_POSIX_HAVE_GETRANDOM
    while (len > 0) {
        /* Blocks only until the kernel pool is first initialised at boot;
         * then it never blocks. Large requests may come back partial. */
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == ENOSYS)
            return read_urandom(buf, len); /* kernel older than 3.17 */
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
#else
    return len > 0 ? read_urandom(buf, len) : 0;
#endif
}

static int64_t posix_wall_clock(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return -1;
    if ((int64_t)ts.tv_sec < GES_POSIX_CLOCK_PLAUSIBLE)
        return -1; /* clock not set yet (RTC-less board at 1970) */
    return (int64_t)ts.tv_sec;
}

/*
 * The only calloc in ges_job. mbedTLS uses these solely when it was built
 * with MBEDTLS_PLATFORM_MEMORY (the client then installs them with
 * mbedtls_platform_set_calloc_free()); Debian's libmbedtls is not, and
 * calls the C library's calloc/free directly. The library itself never
 * allocates.
 */
static const ges_port_t posix_port = {
    .ctx = NULL,
    .net_connect = posix_net_connect,
    .net_send = posix_net_send,
    .net_recv = posix_net_recv,
    .net_close = posix_net_close,
    .now_ms = posix_now_ms,
    .sleep_ms = posix_sleep_ms,
    .entropy = posix_entropy,
    .wall_clock = posix_wall_clock,
    .tls_calloc = calloc,
    .tls_free = free,
    .net_connect_tick = posix_net_connect_tick,
};

const ges_port_t *ges_port_posix(void)
{
    return &posix_port;
}
