/*
 * fmt.h: a small printf engine (d i u x X p s c %, flags - 0, width, l ll z) that writes through a
 * callback, shared by the kernel console, the app's printf and the EFI stub's messages; and its one
 * parser, for the app's numeric arguments.
 */
#ifndef RINGBENCH_FMT_H
#define RINGBENCH_FMT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*fmt_out)(void *ctx, char c);

int fmt_vformat(fmt_out out, void *ctx, const char *fmt, va_list ap);
/* Like snprintf: always NUL-terminates (when cap > 0), returns the untruncated length. */
int fmt_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
/* Copy src into dst as the body of a JSON string (quotes, backslashes and controls escaped). */
void json_escape(char *dst, size_t cap, const char *src);
/* A whole string of decimal digits into *v: 0, or -1 (and *v untouched) when it is empty, holds anything
 * else, or exceeds 2^64 - 1. */
int fmt_parse_u64(const char *s, uint64_t *v);
#endif
