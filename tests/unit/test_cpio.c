/* test_cpio.c: lib/cpio.c over archives made here, good and broken. */
#include <stdio.h>
#include <string.h>
#include "unit.h"
#include "../../lib/cpio.h"

/* Append one newc entry (header, name, padding, data, padding) at *len. */
static void entry(unsigned char *a, size_t *len, const char *name, unsigned mode, const char *data)
{
	size_t n = strlen(name) + 1, size = strlen(data);
	*len += (size_t)sprintf((char *)a + *len, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", 1, mode,
				0, 0, 1, 0, size, 0, 0, 0, 0, n, 0);
	memcpy(a + *len, name, n);
	*len = (*len + n + 3) & ~(size_t)3;
	memcpy(a + *len, data, size);
	*len = (*len + size + 3) & ~(size_t)3;
}

static size_t archive(unsigned char *a)
{
	size_t len = 0;
	memset(a, 0, 1024);
	entry(a, &len, ".", 040755, "");
	entry(a, &len, "dir/file", 0100644, "hello");
	entry(a, &len, "TRAILER!!!", 0, "");
	return len;
}

TEST(cpio_reads_entries_in_order_to_the_trailer)
{
	unsigned char a[1024];
	size_t len = archive(a), off = 0;
	struct cpio_entry e;
	const char *why = 0;
	CHECK(cpio_next(a, len, &off, &e, &why) == 1 && !strcmp(e.name, ".") && e.mode == 040755);
	CHECK(cpio_next(a, len, &off, &e, &why) == 1 && !strcmp(e.name, "dir/file") && e.filesize == 5 &&
	      !memcmp(e.data, "hello", 5));
	CHECK(cpio_next(a, len, &off, &e, &why) == 0);
}

TEST(cpio_refuses_broken_archives_naming_the_offset)
{
	unsigned char a[1024];
	size_t len = archive(a), off = 0;
	struct cpio_entry e;
	const char *why = 0;
	CHECK(cpio_next(a, 200, &off, &e, &why) == 1); /* the first entry fits */
	size_t second = off;
	CHECK(cpio_next(a, 200, &off, &e, &why) == -1 && off == second && strstr(why, "truncated"));
	off = 0;
	CHECK(cpio_next(a, len - 120, &off, &e, &why) == 1 && cpio_next(a, len - 120, &off, &e, &why) == 1);
	CHECK(cpio_next(a, len - 120, &off, &e, &why) == -1 && strstr(why, "no room")); /* no trailer */
	a[0] = 'x';
	off = 0;
	CHECK(cpio_next(a, len, &off, &e, &why) == -1 && off == 0 && strstr(why, "magic"));
	archive(a);
	a[6 + 6 * 8] = 'g'; /* filesize: not hex */
	CHECK(cpio_next(a, len, &off, &e, &why) == -1 && strstr(why, "hex"));
	archive(a);
	memcpy(a + 6 + 6 * 8, "FFFFFFFF", 8); /* a file larger than the archive */
	CHECK(cpio_next(a, len, &off, &e, &why) == -1 && strstr(why, "past the archive"));
}
