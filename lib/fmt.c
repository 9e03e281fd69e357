/*
 * fmt.c: the printf engine behind kprintf (kernel), printf (app) and the EFI stub's messages, and the
 * app's number parser.
 * Freestanding: no libc, no floating point.
 */
#include "fmt.h"
#include <stdint.h>

struct spec {
	int left, zero, width, size; /* size: 0 int, 1 long, 2 long long / size_t */
};

static int emit_padded(fmt_out out, void *ctx, const char *s, int len, const struct spec *sp, int signch)
{
	int pad = sp->width - len - (signch != 0), n = 0;
	if (!sp->left && !sp->zero)
		for (; pad > 0; pad--, n++)
			out(ctx, ' ');
	if (signch)
		out(ctx, (char)signch), n++;
	if (!sp->left && sp->zero)
		for (; pad > 0; pad--, n++)
			out(ctx, '0');
	for (int i = 0; i < len; i++, n++)
		out(ctx, s[i]);
	for (; pad > 0; pad--, n++)
		out(ctx, ' ');
	return n;
}

static int emit_number(fmt_out out, void *ctx, uint64_t v, unsigned base, int upper, int neg,
		       const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);
	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v);
	return emit_padded(out, ctx, buf + i, (int)sizeof(buf) - i, sp, neg ? '-' : 0);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){ 0 };
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	for (; *f == 'l' || *f == 'z'; f++)
		sp->size = *f == 'z' ? 2 : sp->size + 1;
	return f;
}

static int64_t signed_arg(va_list *ap, int size)
{
	return size == 0 ? va_arg(*ap, int) : size == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
}

static uint64_t unsigned_arg(va_list *ap, int size)
{
	return size == 0 ? va_arg(*ap, unsigned) : size == 1 ? va_arg(*ap, unsigned long)
							     : va_arg(*ap, unsigned long long);
}

static int convert(fmt_out out, void *ctx, char c, const struct spec *sp, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = signed_arg(ap, sp->size);
		return emit_number(out, ctx, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, 0, v < 0, sp);
	}
	case 'u':
		return emit_number(out, ctx, unsigned_arg(ap, sp->size), 10, 0, 0, sp);
	case 'x':
	case 'X':
		return emit_number(out, ctx, unsigned_arg(ap, sp->size), 16, c == 'X', 0, sp);
	case 'p': {
		struct spec p = { .zero = 1, .width = 16 };
		out(ctx, '0'), out(ctx, 'x');
		return 2 + emit_number(out, ctx, (uintptr_t)va_arg(*ap, void *), 16, 0, 0, &p);
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		int len = 0;
		s = s ? s : "(null)";
		while (s[len])
			len++;
		return emit_padded(out, ctx, s, len, sp, 0);
	}
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		return emit_padded(out, ctx, &ch, 1, sp, 0);
	}
	default:
		out(ctx, '%');
		out(ctx, c);
		return 2;
	}
}

int fmt_vformat(fmt_out out, void *ctx, const char *fmt, va_list ap)
{
	int n = 0;
	va_list cp;
	va_copy(cp, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			out(ctx, *f);
			n++;
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp);
		if (!*f)
			break;
		n += *f == '%' ? (out(ctx, '%'), 1) : convert(out, ctx, *f, &sp, &cp);
	}
	va_end(cp);
	return n;
}

struct sbuf {
	char *buf;
	size_t cap, len;
};

static void sbuf_put(void *ctx, char c)
{
	struct sbuf *s = ctx;
	if (s->len + 1 < s->cap)
		s->buf[s->len] = c;
	s->len++;
}

int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct sbuf s = { buf, cap, 0 };
	int n = fmt_vformat(sbuf_put, &s, fmt, ap);
	if (cap)
		buf[s.len < cap ? s.len : cap - 1] = 0;
	return n;
}

int fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

void json_escape(char *dst, size_t cap, const char *src)
{
	struct sbuf s = { dst, cap, 0 };
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		if (c == '"' || c == '\\') {
			sbuf_put(&s, '\\');
			sbuf_put(&s, (char)c);
		} else if (c < 0x20) {
			const char *hex = "0123456789abcdef";
			const char esc[] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			for (unsigned i = 0; i < sizeof(esc); i++)
				sbuf_put(&s, esc[i]);
		} else {
			sbuf_put(&s, (char)c);
		}
	}
	if (cap)
		dst[s.len < cap ? s.len : cap - 1] = 0;
}

int fmt_parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}
