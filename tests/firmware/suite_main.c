/*
 * tests/firmware/suite_main.c - runs one unit suite (tests/test_*.c, built
 * with -Dmain=ges_fw_suite_main) on mps2-an386: newlib's stdio over
 * semihosting (rdimon), then the suite's exit status as QEMU's. These
 * images link newlib's malloc (the suites' harness prints with stdio);
 * ges_fw.elf does not.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "board.h"

extern void initialise_monitor_handles(void);
int ges_fw_suite_main(void);
int main(void);

void ges_fw_eth_irq(void)
{
}

int main(void)
{
    int rc;
    initialise_monitor_handles();
    rc = ges_fw_suite_main();
    (void)fflush(stdout);
    (void)fflush(stderr);
    return rc;
}
