/* placeholder */
#include <stdint.h>
uint32_t ges_fw_lwip_rand(void);
uint32_t ges_fw_lwip_rand(void) { static uint32_t x = 1; x = x * 1103515245u + 12345u; return x; }
