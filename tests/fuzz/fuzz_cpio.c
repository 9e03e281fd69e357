/*
 * fuzz_cpio.c: libFuzzer harness for lib/cpio.c, the reader of the archive the kernel unpacks. Beyond "no
 * crash" (AddressSanitizer), it checks what acceptance promises: every entry's name and data lie inside
 * the archive, the name ends in its NUL, the walk only moves forward, and an error says why.
 */
#include <stdlib.h>
#include <string.h>
#include "../../lib/cpio.h"

static void promise(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, before;
	struct cpio_entry e;
	const char *why = 0;
	int r;
	do {
		before = off;
		r = cpio_next(data, size, &off, &e, &why);
		if (r >= 0) {
			promise((const uint8_t *)e.name >= data && (const uint8_t *)e.name < data + size);
			promise(memchr(e.name, 0, size - (size_t)((const uint8_t *)e.name - data)) != NULL);
			promise(e.data >= data && e.filesize <= size - (size_t)(e.data - data));
		}
		promise(r <= 0 || off > before);
	} while (r > 0);
	promise(r == 0 || (why && off == before));
	return 0;
}
