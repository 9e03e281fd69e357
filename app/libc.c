/*
 * libc.c: process start (app_start, from crt0.S), printf and exit for the ringbench app. Output is
 * buffered by line and written with the syscall door's write().
 */
#include <stdarg.h>
#include "libc.h"
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
	flush();
	exit_door(status);
	__builtin_unreachable();
}

/* sp[0] = argc, sp[1..argc] = argv, NULL, envp..., NULL, then the auxiliary vector (System V process
 * start): the time page's address is there under AT_RB_TIME_PAGE. */
__attribute__((noreturn)) void app_start(uint64_t *sp)
{
	uint64_t *p = sp + 1 + sp[0] + 1;
	while (*p++) /* envp */
		;
	for (; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_RB_TIME_PAGE)
			time_page = (const struct rb_time_page *)p[1];
	exit(main((int)sp[0], (char **)(sp + 1)));
}
