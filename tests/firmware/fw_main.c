/* smoke test: boot, LAN9118, lwIP, TCP connect */
#include <string.h>
#include <stdlib.h>
#include "board.h"
#include "lan9118.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

static struct netif nif;
static volatile int connected;

u32_t sys_now(void) { return ges_fw_now_ms(); }
void ges_fw_lwip_diag(const char *fmt, ...) { ges_fw_puts(fmt); }
void ges_fw_lwip_assert(const char *msg, const char *file, int line)
{
    ges_fw_printf("lwIP assert: %s at %s:%d\n", msg, file, line);
    ges_fw_exit(3);
}
void ges_fw_eth_irq(void) { ges_fw_lan9118_irq(); }

static err_t on_conn(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg; (void)pcb;
    connected = err == ERR_OK ? 1 : -1;
    return ERR_OK;
}
static void on_err(void *arg, err_t err) { (void)arg; (void)err; connected = -2; }

int main(void)
{
    ip4_addr_t ip, mask, gw, srv;
    struct tcp_pcb *pcb;
    uint32_t t0;
    const char *cmd = ges_fw_cmdline();
    ges_fw_printf("boot: cmdline '%s'\n", cmd);
    lwip_init();
    IP4_ADDR(&ip, 192, 0, 2, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 192, 0, 2, 1);
    if (netif_add(&nif, &ip, &mask, &gw, NULL, ges_fw_lan9118_init, ethernet_input) == NULL) {
        ges_fw_puts("netif_add failed\n");
        return 1;
    }
    netif_set_default(&nif);
    netif_set_up(&nif);
    ges_fw_printf("mac %02x:%02x:%02x:%02x:%02x:%02x\n", nif.hwaddr[0], nif.hwaddr[1], nif.hwaddr[2], nif.hwaddr[3], nif.hwaddr[4], nif.hwaddr[5]);
    IP4_ADDR(&srv, 192, 0, 2, 1);
    pcb = tcp_new();
    tcp_err(pcb, on_err);
    tcp_connect(pcb, &srv, (u16_t)atoi(strrchr(cmd, ' ') + 1), on_conn);
    t0 = ges_fw_now_ms();
    while (connected == 0 && ges_fw_now_ms() - t0 < 5000) {
        ges_fw_lan9118_poll(&nif);
        sys_check_timeouts();
        ges_fw_idle(ges_fw_lan9118_rx_pending);
    }
    ges_fw_printf("connect: %d after %lu ms, eth irqs %lu, rx %lu tx %lu\n", connected,
                  (unsigned long)(ges_fw_now_ms() - t0), (unsigned long)ges_fw_eth_irqs(),
                  (unsigned long)ges_fw_lan9118_stats()->rx_frames, (unsigned long)ges_fw_lan9118_stats()->tx_frames);
    return connected == 1 ? 0 : 1;
}
