/* The application of the ESP-IDF stand-in: the bounds from sdkconfig.h reach
 * it (same struct as the library), a parse works through the separately
 * compiled jsmn, and port/lwip links with the entropy the application
 * supplies (esp_fill_random() on a real ESP32). */
#include "ges_job.h"
#include "ges_port_lwip.h"
#include "sdkconfig.h"

#include <stdio.h>
#include <string.h>

typedef char ges_id_bound_from_kconfig[sizeof(((ges_job_status_t *)0)->job_id) ==
                                       CONFIG_GES_JOB_ID_MAX + 1 ? 1 : -1];
typedef char ges_tls13_from_kconfig[GES_CONFIG_TLS13 == 1 ? 1 : -1];

int ges_port_lwip_entropy(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x5a, len); /* a stand-in; a real build calls esp_fill_random(buf, len) */
    return 0;
}

int main(void)
{
    static const char body[] = "{\"jobId\":\"0123456789\",\"status\":\"running\",\"jobProgress\":0.5}";
    ges_job_status_t st;
    ges_port_t port;
    if (ges_job_parse(body, strlen(body), &st) != GES_OK || st.job_state != GES_JOB_RUNNING ||
        strcmp(st.job_id, "0123456789") != 0)
        return 1;
    ges_port_lwip_init(&port);
    if (port.net_connect == NULL || port.entropy != ges_port_lwip_entropy) return 2;
    printf("idf stub ok: GES_ID_MAX=%d GES_PATHS_MAX=%d\n", GES_ID_MAX, GES_PATHS_MAX);
    return 0;
}
