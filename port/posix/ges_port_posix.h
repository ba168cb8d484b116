/*
 * ges_job port for POSIX systems (Linux, the BSDs, macOS): BSD sockets with
 * non-blocking connect and poll(), CLOCK_MONOTONIC, getrandom() or
 * /dev/urandom.
 *
 * SPDX-License-Identifier: MIT
 *
 * <!-- doc-example: given=cfg with=posix -->
 * @code{c}
 * cfg.platform = ges_port_posix();
 * @endcode
 *
 * Notes for users:
 *  - Name resolution uses getaddrinfo(), which blocks for as long as the
 *    system resolver takes (see resolv.conf "timeout"/"attempts"); that time
 *    counts against net_connect's timeout_ms but cannot be cut short by it.
 *  - Every address is tried in the resolver's order within ONE overall
 *    timeout: an address that never answers uses up the remaining time.
 *  - Sockets are close-on-exec, non-blocking, TCP_NODELAY, and never raise
 *    SIGPIPE (MSG_NOSIGNAL, or SO_NOSIGPIPE on Apple systems).
 *  - wall_clock answers "unknown" (-1) while the system clock reads a date
 *    before 2020-01-01, as on a board without RTC that booted at 1970; the
 *    client then falls back to ges_client_config_t.time_floor.
 *  - All functions are reentrant and thread-safe; there is no state.
 */
#ifndef GES_PORT_POSIX_H
#define GES_PORT_POSIX_H

#include "ges_job.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The POSIX port: a pointer to a static const ges_port_t (ctx is NULL),
 *  valid for the life of the program. */
const ges_port_t *ges_port_posix(void);

#ifdef __cplusplus
}
#endif

#endif /* GES_PORT_POSIX_H */
