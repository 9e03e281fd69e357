/* string.h: freestanding memory and string routines (lib/string.c). */
#ifndef RINGBENCH_STRING_H
#define RINGBENCH_STRING_H
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
int strcmp(const char *a, const char *b);
/* Copy at most cap-1 characters and always terminate (when cap > 0). */
static inline void str_copy(char *dst, const char *src, size_t cap)
{
	size_t i = 0;
	for (; cap && i + 1 < cap && src[i]; i++)
		dst[i] = src[i];
	if (cap)
		dst[i] = 0;
}
#endif
