/* Host consumer (tests/cmake/consumer): parses a body, then takes 16 bytes
 * from the POSIX port's entropy. Exit 0 when both worked. */
#include "ges_job.h"
#include "ges_port_posix.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char body[] = "{\"jobId\":\"j\",\"status\":\"success\"}";
    unsigned char rnd[16];
    ges_job_status_t st;
    const ges_port_t *port = ges_port_posix();
    int unused_on_purpose; /* -Wall warns; the build must not fail */
    if (ges_job_parse(body, strlen(body), &st) != GES_OK || st.job_state != GES_JOB_SUCCESS) return 1;
    if (port == NULL || port->entropy(port->ctx, rnd, sizeof rnd) != 0) return 2;
    printf("consumer ok: %s\n", GES_VERSION_STRING);
    return 0;
}
