/*
 * tests/firmware/lwipopts.h - lwIP 2.1.3 options of the test firmware:
 * bare metal (NO_SYS), raw API only, IPv4 over Ethernet with a static
 * address, one TCP connection at a time to the simulator. Sizes are chosen
 * for the RAM figure the issue asks for (all static RAM <= 64 KB with the
 * mbedTLS pool), and printed by `make test-firmware`.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_FW_LWIPOPTS_H
#define GES_FW_LWIPOPTS_H

/* Bare metal: no OS, no threads, no sockets or netconn. */
#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0

/* Memory: lwIP's own heap for outgoing segments, a pool for received
 * frames (each one full Ethernet frame). */
#define MEM_ALIGNMENT 4
#define MEM_SIZE (6 * 1024)
#define MEMP_NUM_PBUF 8
#define MEMP_NUM_TCP_PCB 4
#define MEMP_NUM_TCP_PCB_LISTEN 1
#define MEMP_NUM_TCP_SEG 12
#define MEMP_NUM_UDP_PCB 1
#define MEMP_NUM_SYS_TIMEOUT 8
#define PBUF_POOL_SIZE 8

/* Protocols. */
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 0
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define LWIP_TCP 1
#define IP_REASSEMBLY 0
#define IP_FRAG 0
#define ARP_TABLE_SIZE 4
#define ARP_QUEUEING 1

/* TCP: one MSS per frame; a window of four frames (the pool holds them
 * until the TLS layer has read them). */
#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (2 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF) / TCP_MSS)
#define TCP_QUEUE_OOSEQ 0
#define LWIP_TCP_KEEPALIVE 0
#define LWIP_CALLBACK_API 1

/* No statistics, no debug output, no checks on the netif hooks. */
#define LWIP_STATS 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_SINGLE_NETIF 1
#define LWIP_NETIF_HOSTNAME 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_DEBUG 0

#endif /* GES_FW_LWIPOPTS_H */
