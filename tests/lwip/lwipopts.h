/*
 * lwipopts.h for the host tests of port/lwip_raw (tests/lwip/run.sh): lwIP
 * 2.1.3's core built from Debian's source package with NO_SYS 1, the raw
 * TCP API, the loopback netif (127.0.0.1, and ::1 with LWIP_IPV6) and
 * statistics for the leak checks. A test configuration, not a product's:
 * sizes are generous and every assertion is on.
 *
 * -DLWIP_DNS=1 / -DLWIP_IPV6=1 select the second configuration.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_TEST_LWIPOPTS_H
#define GES_TEST_LWIPOPTS_H

/* Bare metal: no OS, the superloop drives the stack. */
#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0

#define LWIP_IPV4 1
#ifndef LWIP_IPV6
#define LWIP_IPV6 0
#endif
#ifndef LWIP_DNS
#define LWIP_DNS 0
#endif
#define LWIP_TCP 1
#define LWIP_UDP LWIP_DNS /* DNS runs on UDP */
#define LWIP_CALLBACK_API 1
#define LWIP_ARP 0
#define LWIP_ETHERNET 0
#define LWIP_ICMP 1
#define LWIP_IPV6_MLD 0
#define LWIP_IPV6_AUTOCONFIG 0
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS 0
/* Loopback needs no fragments. */
#define IP_REASSEMBLY 0
#define IP_FRAG 0
#define LWIP_IPV6_REASS 0
#define LWIP_IPV6_FRAG 0

/* One process, one stack: the loopback netif carries client and server. */
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_HAVE_LOOPIF 1
#define LWIP_LOOPBACK_MAX_PBUFS 0

/* Memory: lwIP's own heap and pools, nothing from malloc. */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 8
#define MEM_SIZE (256 * 1024)
#define MEMP_NUM_PBUF 64
#define PBUF_POOL_SIZE 128
#define MEMP_NUM_TCP_PCB 8
#define MEMP_NUM_TCP_PCB_LISTEN 2
#define MEMP_NUM_TCP_SEG 128
#define MEMP_NUM_SYS_TIMEOUT 16

/* TCP sized for TLS records: a 16 KB record fits the window. */
#define TCP_MSS 1460
#define TCP_SND_BUF (8 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_WND (12 * TCP_MSS)
#define TCP_QUEUE_OOSEQ 0
/* TIME_WAIT lasts 2 * TCP_MSL: short, so the leak checks can wait it out. */
#define TCP_MSL 1000UL
#define TCP_SYNMAXRTX 6
#define TCP_MAXRTX 6

/* The leak checks read these. */
#define LWIP_STATS 1
#define MEM_STATS 1
#define MEMP_STATS 1
#define LWIP_STATS_DISPLAY 0
#define LINK_STATS 0
#define IP_STATS 0
#define TCP_STATS 0
#define ICMP_STATS 0
#define UDP_STATS 0
#define SYS_STATS 0

#define LWIP_DNS_SECURE 0

#endif /* GES_TEST_LWIPOPTS_H */
