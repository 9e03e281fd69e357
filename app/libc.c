/*
 * libc.c: printf and exit for the ringbench app (its process start, app_start, is main.c's). Output is
 * buffered by line and written with the syscall door's write().
 */
#include <stdarg.h>
#include "libc.h"
#include "host.h"
#include "app.h"
#include "../lib/fmt.h"

#define OUT_BUF 1024

static char out[OUT_BUF];
static unsigned out_len;

void flush(void)
{
	if (out_len)
		syscall_write(STDOUT_FILENO, (long)out, out_len);
	out_len = 0;
}

static void put(void *ctx, char c)
{
	(void)ctx;
	out[out_len++] = c;
	if (c == '\n' || out_len == OUT_BUF)
		flush();
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vformat(put, 0, fmt, ap);
	va_end(ap);
	return n;
}

long (*exit_door)(long status) = syscall_exit_group;

void exit(int status)
{
	host_end(status); /* as Linux's init: power off instead */
	flush();
	exit_door(status);
	__builtin_unreachable();
}
