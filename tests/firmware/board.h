/*
 * tests/firmware/board.h - the test firmware's board layer for QEMU's
 * mps2-an386 (Cortex-M4): reset and vectors, SysTick time, sleeping until
 * an interrupt, the painted stack, and semihosting (console, files, command
 * line, exit code) without the C library's stdio (which would pull in
 * malloc).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_FW_BOARD_H
#define GES_FW_BOARD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* SysTick runs from the 25 MHz system clock; one interrupt per ms. */
#define GES_FW_SYSCLK_HZ 25000000u

/* Milliseconds since reset (SysTick), wraps modulo 2^32. lwIP's sys_now()
 * and the port's now_ms both read this. */
uint32_t ges_fw_now_ms(void);

/* Virtual time since reset in ns with 40 ns resolution (SysTick's count
 * inside the current ms). Under QEMU's `-icount shift=0` each executed
 * instruction advances this by exactly 1 ns, and time spent asleep in WFI
 * advances with the host's clock. */
uint64_t ges_fw_now_ns(void);

/* Sleep until the next interrupt (the Ethernet controller or the next
 * SysTick), without the lost-wake-up race: interrupts are masked while
 * `ready()` is checked and WFI wakes on a pending one. The time asleep is
 * added to ges_fw_idle_ns(). ready may be NULL. */
void ges_fw_idle(int (*ready)(void));

/* Total ns spent asleep in ges_fw_idle() since reset. Executed
 * instructions in an interval under -icount shift=0 are
 * (now_ns difference) - (idle_ns difference). */
uint64_t ges_fw_idle_ns(void);

/* Enable the Ethernet controller's interrupt line (IRQ 13) in the NVIC;
 * the driver calls it once the controller drives the line active-high. */
void ges_fw_eth_irq_enable(void);

/* Ethernet interrupts taken since reset. */
uint32_t ges_fw_eth_irqs(void);

/* Stack painting: fill the unused stack below the current stack pointer
 * with a pattern, and later find the deepest word overwritten. */
void ges_fw_stack_paint(void);
/* Bytes of stack used since the last paint, measured from the top. */
size_t ges_fw_stack_high_water(void);
size_t ges_fw_stack_size(void);

/* Semihosting. */
void ges_fw_puts(const char *s);
/* A small printf: %d %i %u %x %X %ld %lu %lx %lld %llu %s %c %% with
 * optional '-', '0', width. Writes at most 255 bytes per call. */
void ges_fw_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
int ges_fw_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int ges_fw_snprintf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The command line QEMU was given with -append, NUL-terminated; "" when
 * none. */
const char *ges_fw_cmdline(void);
/* Read a whole host file into buf (up to cap bytes); returns its length,
 * or -1 when it cannot be opened or does not fit. */
long ges_fw_read_file(const char *path, unsigned char *buf, size_t cap);
/* Stop QEMU with this exit status. */
void ges_fw_exit(int code)
#if defined(__GNUC__)
    __attribute__((noreturn))
#endif
    ;

/* Provided by the application: called from the Ethernet interrupt (the
 * driver acknowledges the controller there). */
void ges_fw_eth_irq(void);

#endif /* GES_FW_BOARD_H */
