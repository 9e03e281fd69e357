/*
 * uart.h: the 16550 UART at COM1, as the EFI stub and the kernel both write to it: its registers named
 * once, and the polled write of one byte that both use.
 */
#ifndef RINGBENCH_UART_H
#define RINGBENCH_UART_H
#include "x86.h"

/* 16550 registers, as offsets from the base port. */
#define UART_DATA     0
#define UART_IER      1 /* interrupt enable */
#define UART_FCR      2 /* FIFO control */
#define UART_LCR      3 /* line control */
#define UART_MCR      4 /* modem control */
#define UART_LSR      5 /* line status */
#define UART_SCRATCH  7
#define LCR_DLAB      0x80 /* divisor latch access */
#define LCR_8N1       0x03
#define FCR_ENABLE    0x07 /* enable and clear both FIFOs */
#define MCR_DTR_RTS   0x03
#define LSR_THR_EMPTY 0x20
#define UART_DIVISOR_115200 1
#define UART_SPIN_MAX 100000 /* a stuck or absent UART must not hang the caller */

/* Wait (boundedly) for room in the transmitter, then send c. */
static inline void uart_putc(char c)
{
	for (int spin = 0; spin < UART_SPIN_MAX && !(inb(PORT_COM1 + UART_LSR) & LSR_THR_EMPTY); spin++)
		;
	outb(PORT_COM1 + UART_DATA, (uint8_t)c);
}
#endif
