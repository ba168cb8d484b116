/*
 * tests/firmware/lan9118.c - see lan9118.h.
 *
 * SPDX-License-Identifier: MIT
 */
#include "lan9118.h"

#include <string.h>

#include "board.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

/* System control and status registers (datasheet section 5.3). */
#define L_REG(off) (*(volatile uint32_t *)(GES_FW_LAN9118_BASE + (off)))
#define L_RX_DATA L_REG(0x00)
#define L_TX_DATA L_REG(0x20)
#define L_RX_STATUS L_REG(0x40)
#define L_TX_STATUS L_REG(0x48)
#define L_ID_REV L_REG(0x50)
#define L_IRQ_CFG L_REG(0x54)
#define L_INT_STS L_REG(0x58)
#define L_INT_EN L_REG(0x5C)
#define L_BYTE_TEST L_REG(0x64)
#define L_FIFO_INT L_REG(0x68)
#define L_RX_CFG L_REG(0x6C)
#define L_TX_CFG L_REG(0x70)
#define L_HW_CFG L_REG(0x74)
#define L_RX_FIFO_INF L_REG(0x7C)
#define L_TX_FIFO_INF L_REG(0x80)
#define L_PMT_CTRL L_REG(0x84)
#define L_MAC_CSR_CMD L_REG(0xA4)
#define L_MAC_CSR_DATA L_REG(0xA8)

#define L_BYTE_TEST_VALUE 0x87654321u
#define L_HW_CFG_SRST 0x00000001u
#define L_PMT_CTRL_READY 0x00000001u
#define L_IRQ_CFG_EN 0x00000100u
#define L_IRQ_CFG_POL_HIGH 0x00000010u
#define L_IRQ_CFG_PUSH_PULL 0x00000001u
#define L_INT_RSFL 0x00000008u /* RX status FIFO above its level */
#define L_TX_CFG_TX_ON 0x00000002u
#define L_TX_CFG_TXS_DUMP 0x00008000u
#define L_TX_CFG_TXD_DUMP 0x00004000u
#define L_RX_CFG_RX_DUMP 0x00008000u

/* MAC control and status registers, reached through MAC_CSR_CMD/DATA. */
#define L_MAC_CSR_BUSY 0x80000000u
#define L_MAC_CSR_READ 0x40000000u
#define L_MAC_CR 1u
#define L_MAC_ADDRH 2u
#define L_MAC_ADDRL 3u
#define L_MAC_MII_ACC 6u
#define L_MAC_MII_DATA 7u
#define L_MAC_CR_RXEN 0x00000004u
#define L_MAC_CR_TXEN 0x00000008u
#define L_MAC_CR_FDPX 0x00100000u

/* TX command A: buffer size 10:0, last segment bit 12, first bit 13. */
#define L_TXA_LAST 0x00001000u
#define L_TXA_FIRST 0x00002000u
/* RX status: frame length (CRC included) 29:16, error summary bit 15. */
#define L_RXS_LEN(s) (((s) >> 16) & 0x3FFFu)
#define L_RXS_ERROR 0x00008000u

#define L_FRAME_MAX 1522u
#define L_WAIT_SPINS 100000u

static ges_fw_lan9118_stats_t l_stats;
/* Word-aligned bounce buffer: the FIFOs move 32-bit words, pbuf chains
 * have any length and alignment. */
static uint32_t l_frame[(L_FRAME_MAX + 3u) / 4u + 1u];

static int l_mac_wait(void)
{
    uint32_t n;
    for (n = 0; n < L_WAIT_SPINS; n++)
        if ((L_MAC_CSR_CMD & L_MAC_CSR_BUSY) == 0)
            return 0;
    return -1;
}

static uint32_t l_mac_read(uint32_t reg)
{
    (void)l_mac_wait();
    L_MAC_CSR_CMD = L_MAC_CSR_BUSY | L_MAC_CSR_READ | reg;
    (void)l_mac_wait();
    return L_MAC_CSR_DATA;
}

static void l_mac_write(uint32_t reg, uint32_t value)
{
    (void)l_mac_wait();
    L_MAC_CSR_DATA = value;
    L_MAC_CSR_CMD = L_MAC_CSR_BUSY | reg;
    (void)l_mac_wait();
}

/* PHY registers through the MAC's MII access register (PHY address 1). */
static uint32_t l_phy_read(uint32_t reg)
{
    uint32_t n;
    l_mac_write(L_MAC_MII_ACC, (1u << 11) | (reg << 6) | 1u /* MIIBZY */);
    for (n = 0; n < L_WAIT_SPINS; n++)
        if ((l_mac_read(L_MAC_MII_ACC) & 1u) == 0)
            break;
    return l_mac_read(L_MAC_MII_DATA) & 0xFFFFu;
}

static err_t l_output(struct netif *netif, struct pbuf *p)
{
    uint32_t len = p->tot_len, words, i, n;
    (void)netif;
    if (len > L_FRAME_MAX || len < 14u) {
        l_stats.tx_errors++;
        return ERR_IF;
    }
    /* Wait for room: data plus the two command words. */
    for (n = 0; n < L_WAIT_SPINS; n++)
        if ((L_TX_FIFO_INF & 0xFFFFu) >= len + 8u)
            break;
    if (n == L_WAIT_SPINS) {
        l_stats.tx_errors++;
        return ERR_MEM;
    }
    (void)pbuf_copy_partial(p, l_frame, (u16_t)len, 0);
    L_TX_DATA = L_TXA_FIRST | L_TXA_LAST | len;
    L_TX_DATA = (len << 16) /* packet tag */ | len;
    words = (len + 3u) / 4u;
    for (i = 0; i < words; i++)
        L_TX_DATA = l_frame[i];
    /* Drop the TX status words as they come (nothing waits for them). */
    while ((L_TX_FIFO_INF >> 16) & 0xFFu)
        (void)L_TX_STATUS;
    l_stats.tx_frames++;
    return ERR_OK;
}

int ges_fw_lan9118_rx_pending(void)
{
    return ((L_RX_FIFO_INF >> 16) & 0xFFu) != 0;
}

int ges_fw_lan9118_poll(struct netif *netif)
{
    int handled = 0;
    while (ges_fw_lan9118_rx_pending()) {
        uint32_t status = L_RX_STATUS;
        uint32_t len = L_RXS_LEN(status); /* with the 4-byte CRC */
        uint32_t words = (len + 3u) / 4u, i;
        struct pbuf *p = NULL;
        if (words > sizeof l_frame / 4u) {
            /* Cannot happen with a 1522-byte MTU; drain it anyway. */
            for (i = 0; i < words; i++)
                (void)L_RX_DATA;
            l_stats.rx_dropped++;
            continue;
        }
        for (i = 0; i < words; i++)
            l_frame[i] = L_RX_DATA;
        handled++;
        if ((status & L_RXS_ERROR) != 0 || len < 14u + 4u) {
            l_stats.rx_dropped++;
            continue;
        }
        p = pbuf_alloc(PBUF_RAW, (u16_t)(len - 4u), PBUF_POOL);
        if (p == NULL) {
            l_stats.rx_dropped++;
            continue;
        }
        (void)pbuf_take(p, l_frame, (u16_t)(len - 4u));
        if (netif->input(p, netif) != ERR_OK) {
            pbuf_free(p);
            l_stats.rx_dropped++;
            continue;
        }
        l_stats.rx_frames++;
    }
    return handled;
}

void ges_fw_lan9118_irq(void)
{
    L_INT_STS = L_INT_STS;
}

const ges_fw_lan9118_stats_t *ges_fw_lan9118_stats(void)
{
    return &l_stats;
}

err_t ges_fw_lan9118_init(struct netif *netif)
{
    uint32_t n, lo, hi;
    if (L_BYTE_TEST != L_BYTE_TEST_VALUE || (L_ID_REV >> 16) != 0x0118u)
        return ERR_IF;
    L_HW_CFG = L_HW_CFG_SRST;
    for (n = 0; n < L_WAIT_SPINS; n++)
        if ((L_HW_CFG & L_HW_CFG_SRST) == 0 && (L_PMT_CTRL & L_PMT_CTRL_READY) != 0)
            break;
    if (n == L_WAIT_SPINS)
        return ERR_IF;

    lo = l_mac_read(L_MAC_ADDRL);
    hi = l_mac_read(L_MAC_ADDRH);
    netif->hwaddr_len = ETH_HWADDR_LEN;
    netif->hwaddr[0] = (u8_t)lo;
    netif->hwaddr[1] = (u8_t)(lo >> 8);
    netif->hwaddr[2] = (u8_t)(lo >> 16);
    netif->hwaddr[3] = (u8_t)(lo >> 24);
    netif->hwaddr[4] = (u8_t)hi;
    netif->hwaddr[5] = (u8_t)(hi >> 8);

    /* Basic status register, bit 2: link up. */
    if ((l_phy_read(1u) & 0x0004u) == 0)
        return ERR_IF;

    L_TX_CFG = L_TX_CFG_TXS_DUMP | L_TX_CFG_TXD_DUMP;
    L_RX_CFG = L_RX_CFG_RX_DUMP; /* RX data offset 0, end alignment 4 */
    /* Our address and broadcast (PRMS, the reset default, off). */
    l_mac_write(L_MAC_CR, L_MAC_CR_TXEN | L_MAC_CR_RXEN | L_MAC_CR_FDPX);
    L_TX_CFG = L_TX_CFG_TX_ON;

    /* Interrupt when the RX status FIFO holds more than 0 entries;
     * active-high push-pull output, as the board's NVIC line expects. */
    L_FIFO_INT = 0x48000000u;
    L_INT_STS = 0xFFFFFFFFu;
    L_INT_EN = L_INT_RSFL;
    L_IRQ_CFG = L_IRQ_CFG_EN | L_IRQ_CFG_POL_HIGH | L_IRQ_CFG_PUSH_PULL;
    ges_fw_eth_irq_enable();

    netif->name[0] = 'e';
    netif->name[1] = '0';
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
                   NETIF_FLAG_LINK_UP;
    netif->output = etharp_output;
    netif->linkoutput = l_output;
    return ERR_OK;
}
