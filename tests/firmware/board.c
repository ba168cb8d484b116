/*
 * tests/firmware/board.c - reset, vectors, SysTick, sleep, painted stack and
 * semihosting for QEMU's mps2-an386 (see board.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "board.h"

#include <string.h>

/* --- Memory map (linker script) and core registers ---------------------- */
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_bottom[], __stack_top[];

#define GES_FW_REG(a) (*(volatile uint32_t *)(a))
#define SYST_CSR GES_FW_REG(0xE000E010u)
#define SYST_RVR GES_FW_REG(0xE000E014u)
#define SYST_CVR GES_FW_REG(0xE000E018u)
#define SCB_VTOR GES_FW_REG(0xE000ED08u)
#define SCB_CPACR GES_FW_REG(0xE000ED88u)
#define NVIC_ISER0 GES_FW_REG(0xE000E100u)
#define GES_FW_ETH_IRQN 13u /* LAN9118 on mps2-an385/an386 */
#define GES_FW_SYST_RELOAD (GES_FW_SYSCLK_HZ / 1000u - 1u)
#define GES_FW_PAINT 0xC5C5C5C5u

int main(void);

static volatile uint32_t ges_fw_ms;
static volatile uint32_t ges_fw_eth_irq_count;
static uint64_t ges_fw_idle_total;
static uint32_t *ges_fw_paint_floor;

/* --- Exceptions ---------------------------------------------------------- */
static void ges_fw_fault_report(const char *what, const uint32_t *frame)
{
    ges_fw_printf("FATAL %s: pc=%08lx lr=%08lx\n", what,
                  (unsigned long)frame[6], (unsigned long)frame[5]);
    ges_fw_exit(3);
}

void ges_fw_hardfault_c(const uint32_t *frame);
void ges_fw_hardfault_c(const uint32_t *frame)
{
    ges_fw_fault_report("HardFault", frame);
}

/* Which stack holds the exception frame: bit 2 of EXC_RETURN. */
__attribute__((naked)) static void ges_fw_hardfault(void)
{
    __asm volatile("tst lr, #4\n"
                   "ite eq\n"
                   "mrseq r0, msp\n"
                   "mrsne r0, psp\n"
                   "b ges_fw_hardfault_c\n");
}

static void ges_fw_default_handler(void)
{
    ges_fw_puts("FATAL unexpected interrupt\n");
    ges_fw_exit(3);
}

static void ges_fw_systick(void)
{
    ges_fw_ms++;
}

static void ges_fw_eth_handler(void)
{
    ges_fw_eth_irq_count++;
    ges_fw_eth_irq();
}

void ges_fw_reset(void);

/* 16 system exceptions and the first 16 device interrupts (IRQ 13 is the
 * Ethernet controller). */
__attribute__((section(".vectors"), used)) static void (*const ges_fw_vectors[32])(void) = {
    (void (*)(void))(uintptr_t)__stack_top,
    ges_fw_reset,
    ges_fw_default_handler, /* NMI */
    ges_fw_hardfault,
    ges_fw_default_handler, /* MemManage */
    ges_fw_default_handler, /* BusFault */
    ges_fw_default_handler, /* UsageFault */
    0, 0, 0, 0,
    ges_fw_default_handler, /* SVCall */
    ges_fw_default_handler, /* DebugMon */
    0,
    ges_fw_default_handler, /* PendSV */
    ges_fw_systick,
    ges_fw_default_handler, ges_fw_default_handler, ges_fw_default_handler,
    ges_fw_default_handler, ges_fw_default_handler, ges_fw_default_handler,
    ges_fw_default_handler, ges_fw_default_handler, ges_fw_default_handler,
    ges_fw_default_handler, ges_fw_default_handler, ges_fw_default_handler,
    ges_fw_default_handler, ges_fw_eth_handler, ges_fw_default_handler,
    ges_fw_default_handler,
};

void ges_fw_reset(void)
{
    uint32_t *src = __data_load, *dst = __data_start;
    while (dst < __data_end)
        *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; dst++)
        *dst = 0;
    SCB_VTOR = (uint32_t)(uintptr_t)ges_fw_vectors;
    /* FPU on (the image is built for -mfloat-abi=hard). */
    SCB_CPACR |= 0xFu << 20;
    __asm volatile("dsb\nisb" ::: "memory");
    ges_fw_stack_paint();
    SYST_RVR = GES_FW_SYST_RELOAD;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* processor clock, interrupt, enable */
    __asm volatile("cpsie i" ::: "memory");
    ges_fw_exit(main());
}

/* --- Time ---------------------------------------------------------------- */
uint32_t ges_fw_now_ms(void)
{
    return ges_fw_ms;
}

uint64_t ges_fw_now_ns(void)
{
    uint32_t m1, m2, cv;
    do {
        m1 = ges_fw_ms;
        cv = SYST_CVR;
        m2 = ges_fw_ms;
    } while (m1 != m2);
    return (uint64_t)m1 * 1000000u +
           (uint64_t)(GES_FW_SYST_RELOAD - cv) * (1000000000u / GES_FW_SYSCLK_HZ);
}

/* The handler's increment can be missed only while interrupts are masked,
 * and ges_fw_idle() keeps that window to a few instructions. */
void ges_fw_idle(int (*ready)(void))
{
    uint64_t t0 = ges_fw_now_ns();
    __asm volatile("cpsid i" ::: "memory");
    if (ready == NULL || !ready())
        __asm volatile("dsb\nwfi" ::: "memory");
    __asm volatile("cpsie i\nisb" ::: "memory");
    ges_fw_idle_total += ges_fw_now_ns() - t0;
}

uint64_t ges_fw_idle_ns(void)
{
    return ges_fw_idle_total;
}

void ges_fw_eth_irq_enable(void)
{
    NVIC_ISER0 = 1u << GES_FW_ETH_IRQN;
}

uint32_t ges_fw_eth_irqs(void)
{
    return ges_fw_eth_irq_count;
}

/* --- Painted stack -------------------------------------------------------- */
void ges_fw_stack_paint(void)
{
    uint32_t *p = __stack_bottom;
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    /* Leave a margin below the live frame of this function. */
    sp -= 16;
    while (p < sp)
        *p++ = GES_FW_PAINT;
    ges_fw_paint_floor = __stack_bottom;
}

size_t ges_fw_stack_high_water(void)
{
    const uint32_t *p = ges_fw_paint_floor;
    while (p < __stack_top && *p == GES_FW_PAINT)
        p++;
    return (size_t)((const char *)__stack_top - (const char *)p);
}

size_t ges_fw_stack_size(void)
{
    return (size_t)((const char *)__stack_top - (const char *)__stack_bottom);
}

/* --- Semihosting ---------------------------------------------------------- */
#define SH_OPEN 0x01
#define SH_CLOSE 0x02
#define SH_WRITE0 0x04
#define SH_READ 0x06
#define SH_FLEN 0x0C
#define SH_GET_CMDLINE 0x15
#define SH_EXIT 0x18
#define SH_EXIT_EXTENDED 0x20
#define SH_ADP_APPLICATION_EXIT 0x20026u

static uint32_t ges_fw_semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void ges_fw_puts(const char *s)
{
    ges_fw_semihost(SH_WRITE0, s);
}

void ges_fw_exit(int code)
{
    uint32_t block[2] = {SH_ADP_APPLICATION_EXIT, (uint32_t)code};
    ges_fw_semihost(SH_EXIT_EXTENDED, block);
    /* Hosts without the extended call: exit status 0 or 1. */
    ges_fw_semihost(SH_EXIT, (const void *)(uintptr_t)(code == 0 ? SH_ADP_APPLICATION_EXIT
                                                                 : 0x20023u));
    for (;;)
        __asm volatile("wfi");
}

const char *ges_fw_cmdline(void)
{
    static char line[512];
    static int done;
    if (!done) {
        uint32_t block[2] = {(uint32_t)(uintptr_t)line, sizeof line - 1};
        if (ges_fw_semihost(SH_GET_CMDLINE, block) != 0)
            line[0] = '\0';
        else
            line[block[1] < sizeof line ? block[1] : sizeof line - 1] = '\0';
        done = 1;
    }
    return line;
}

long ges_fw_read_file(const char *path, unsigned char *buf, size_t cap)
{
    uint32_t open_block[3] = {(uint32_t)(uintptr_t)path, 1u /* "rb" */,
                              (uint32_t)strlen(path)};
    uint32_t h = ges_fw_semihost(SH_OPEN, open_block);
    uint32_t len, rest, io[3];
    if (h == 0xFFFFFFFFu)
        return -1;
    len = ges_fw_semihost(SH_FLEN, &h);
    if (len == 0xFFFFFFFFu || len > cap) {
        ges_fw_semihost(SH_CLOSE, &h);
        return -1;
    }
    io[0] = h;
    io[1] = (uint32_t)(uintptr_t)buf;
    io[2] = len;
    rest = ges_fw_semihost(SH_READ, io); /* bytes NOT read */
    ges_fw_semihost(SH_CLOSE, &h);
    return rest == 0 ? (long)len : -1;
}

/* --- Formatting ------------------------------------------------------------ */
typedef struct {
    char *buf;
    size_t cap, len;
} ges_fw_out_t;

static void ges_fw_put(ges_fw_out_t *o, char c)
{
    if (o->len + 1 < o->cap)
        o->buf[o->len] = c;
    o->len++;
}

static void ges_fw_put_num(ges_fw_out_t *o, unsigned long long v, unsigned base, int upper,
                           int neg, int width, char pad, int left)
{
    char tmp[24];
    int n = 0, n0, i;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    if (neg)
        tmp[n++] = '-';
    n0 = n;
    if (!left)
        for (i = n; i < width; i++)
            ges_fw_put(o, pad);
    while (n > 0)
        ges_fw_put(o, tmp[--n]);
    if (left)
        for (i = n0; i < width; i++)
            ges_fw_put(o, ' ');
}

int ges_fw_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    ges_fw_out_t o = {buf, cap, 0};
    for (; *fmt; fmt++) {
        int width = 0, left = 0, lng = 0;
        char pad = ' ';
        if (*fmt != '%') {
            ges_fw_put(&o, *fmt);
            continue;
        }
        fmt++;
        if (*fmt == '-') {
            left = 1;
            fmt++;
        }
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long)
                          : lng == 1 ? (long long)va_arg(ap, long)
                                     : (long long)va_arg(ap, int);
            unsigned long long m = v < 0 ? 0ull - (unsigned long long)v
                                         : (unsigned long long)v;
            ges_fw_put_num(&o, m, 10, 0, v < 0, width, pad, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                   : lng == 1 ? (unsigned long long)va_arg(ap, unsigned long)
                                              : (unsigned long long)va_arg(ap, unsigned);
            ges_fw_put_num(&o, v, *fmt == 'u' ? 10u : 16u, *fmt == 'X', 0, width, pad, left);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t n = strlen(s ? s : "(null)"), i;
            if (!s)
                s = "(null)";
            if (!left)
                for (i = n; i < (size_t)width; i++)
                    ges_fw_put(&o, ' ');
            for (i = 0; i < n; i++)
                ges_fw_put(&o, s[i]);
            if (left)
                for (i = n; i < (size_t)width; i++)
                    ges_fw_put(&o, ' ');
            break;
        }
        case 'c':
            ges_fw_put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            ges_fw_put(&o, '%');
            break;
        default:
            ges_fw_put(&o, '?');
            if (*fmt == '\0')
                fmt--;
            break;
        }
    }
    if (cap > 0)
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    return (int)o.len;
}

int ges_fw_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = ges_fw_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

void ges_fw_printf(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    (void)ges_fw_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ges_fw_puts(line);
}

/* --- No C heap ----------------------------------------------------------------
 * mbedTLS's platform.c names the C library's calloc/free as its allocator
 * until mbedtls_memory_buffer_alloc_init() installs the static pool, and
 * memory_buffer_alloc.c calls exit() when it finds the pool corrupted. The
 * link wraps the three names (-Wl,--wrap=calloc,--wrap=free,--wrap=exit) so
 * newlib's malloc family never enters the image (build.sh checks the
 * symbol table): a call before the pool is installed stops the firmware. */
void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *p);
void __wrap_exit(int code);

void *__wrap_calloc(size_t n, size_t size)
{
    (void)n;
    (void)size;
    ges_fw_puts("FATAL calloc() called: the image has no C heap\n");
    ges_fw_exit(3);
}

void __wrap_free(void *p)
{
    if (p == NULL)
        return;
    ges_fw_puts("FATAL free() called: the image has no C heap\n");
    ges_fw_exit(3);
}

void __wrap_exit(int code)
{
    ges_fw_printf("FATAL exit(%d) from a library (mbedTLS pool corrupted?)\n", code);
    ges_fw_exit(3);
}
