/*
 * tests/firmware/lan9118.h - an lwIP netif driver for the SMSC LAN9118
 * Ethernet controller of the MPS2 boards (as QEMU models it: 32-bit bus,
 * PIO through the FIFO ports, no DMA, no checksum offload). Written from
 * the LAN9118 datasheet (register map, TX command words A/B, RX status
 * words) and QEMU's hw/net/lan9118.c (what the model implements).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_FW_LAN9118_H
#define GES_FW_LAN9118_H

#include <stdint.h>

#include "lwip/netif.h"

#define GES_FW_LAN9118_BASE 0x40200000u

/* Counters, for the test's report. */
typedef struct {
    uint32_t rx_frames, rx_dropped, tx_frames, tx_errors;
} ges_fw_lan9118_stats_t;

/* netif_add() init callback: resets the controller, reads its MAC address,
 * enables TX and RX and the receive interrupt. ERR_IF if no LAN9118
 * answers at the base address. */
err_t ges_fw_lan9118_init(struct netif *netif);

/* Hand every received frame to netif->input (ethernet_input). Returns the
 * number of frames handled. Call from the main loop, not the interrupt. */
int ges_fw_lan9118_poll(struct netif *netif);

/* 1 when a received frame waits in the controller's FIFO. */
int ges_fw_lan9118_rx_pending(void);

/* From the Ethernet interrupt: acknowledge it (the frames stay in the
 * FIFO for ges_fw_lan9118_poll). */
void ges_fw_lan9118_irq(void);

const ges_fw_lan9118_stats_t *ges_fw_lan9118_stats(void);

#endif /* GES_FW_LAN9118_H */
