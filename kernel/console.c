/*
 * console.c: the kernel's output, to the screen (fbcon.c) and to a polled 16550 UART at COM1, used only
 * when one answers the probe (most laptops have none; an absent port must cost nothing). Called by
 * kprintf and by sys_write.
 */
#include <stdarg.h>
#include "defs.h"
#include "../lib/fmt.h"
#include "../lib/results.h"
#include "../lib/string.h"
#include "../lib/uart.h"
#include "../lib/x86.h"


static bool serial_present;

/* The run's machine-readable lines, kept for efirt.c to store: every line that starts with TYPE_PREFIX. */
#define TYPE_PREFIX "{\"type\":"
#define CAPTURE_LINE_MAX 2048
static char captured[RESULT_CHUNK * RESULT_MAX_CHUNKS], line[CAPTURE_LINE_MAX];
static uint64_t captured_len, line_len;
static bool capture_truncated, line_too_long;

static void capture(char c)
{
	if (c != '\n') {
		if (line_len < sizeof(line))
			line[line_len++] = c;
		else
			line_too_long = true;
		return;
	}
	bool json = line_len >= sizeof(TYPE_PREFIX) - 1 && !memcmp(line, TYPE_PREFIX, sizeof(TYPE_PREFIX) - 1);
	if (json && (line_too_long || captured_len + line_len + 1 > sizeof(captured)))
		capture_truncated = true; /* said when the results are stored: never a silent cut */
	else if (json) {
		memcpy(captured + captured_len, line, line_len);
		captured_len += line_len;
		captured[captured_len++] = '\n';
	}
	line_len = 0;
	line_too_long = false;
}

const char *results_captured(uint64_t *len, uint64_t *truncated)
{
	*len = captured_len;
	*truncated = capture_truncated;
	return captured;
}

/* A UART exists if its scratch register keeps what is written to it. */
static bool serial_probe(void)
{
	outb(PORT_COM1 + UART_SCRATCH, 0x5a);
	if (inb(PORT_COM1 + UART_SCRATCH) != 0x5a)
		return false;
	outb(PORT_COM1 + UART_SCRATCH, 0xa5);
	return inb(PORT_COM1 + UART_SCRATCH) == 0xa5;
}

void console_init(void)
{
	serial_present = serial_probe();
	if (!serial_present)
		return;
	outb(PORT_COM1 + UART_IER, 0); /* polled: no interrupts */
	outb(PORT_COM1 + UART_LCR, LCR_DLAB);
	outb(PORT_COM1 + UART_DATA, UART_DIVISOR_115200); /* with DLAB set: divisor low byte */
	outb(PORT_COM1 + UART_IER, 0);                    /* and high byte */
	outb(PORT_COM1 + UART_LCR, LCR_8N1);
	outb(PORT_COM1 + UART_FCR, FCR_ENABLE);
	outb(PORT_COM1 + UART_MCR, MCR_DTR_RTS);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		capture(s[i]);
	fbcon_write(s, n);
	if (!serial_present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

static void kputc(void *ctx, char c)
{
	(void)ctx;
	console_write(&c, 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(kputc, 0, fmt, ap);
	va_end(ap);
}
