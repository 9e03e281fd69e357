/* cpio.c: newc archives, read safely (cpio.h). */
#include "cpio.h"
#include "string.h"

#define FIELD_DIGITS 8
#define ALIGN4(x) (((x) + 3) & ~(size_t)3)

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR,
       F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT };

/* The 8 hex digits at p, or -1 when one is not a hex digit. */
static int64_t hex8(const uint8_t *p)
{
	int64_t v = 0;
	for (int i = 0; i < FIELD_DIGITS; i++) {
		uint8_t c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

int cpio_next(const uint8_t *a, size_t size, size_t *off, struct cpio_entry *e, const char **why)
{
	size_t at = *off;
	int64_t f[F_COUNT];
	if (at > size || size - at < CPIO_HEADER_SIZE)
		return *why = "truncated: no room for an entry's header (no TRAILER!!! entry?)", -1;
	if (memcmp(a + at, "070701", 6) && memcmp(a + at, "070702", 6))
		return *why = "not a newc cpio header (magic 070701)", -1;
	for (int i = 0; i < F_COUNT; i++)
		if ((f[i] = hex8(a + at + 6 + i * FIELD_DIGITS)) < 0)
			return *why = "a header field is not 8 hex digits", -1;
	size_t name_at = at + CPIO_HEADER_SIZE, namesize = (size_t)f[F_NAMESIZE];
	if (!namesize || namesize > CPIO_NAME_MAX)
		return *why = "a name is empty or longer than 4096 bytes", -1;
	if (size - name_at < namesize || a[name_at + namesize - 1])
		return *why = "truncated, or a name not ended by NUL", -1;
	size_t data_at = ALIGN4(name_at + namesize), filesize = (size_t)f[F_FILESIZE];
	if (data_at > size || size - data_at < filesize)
		return *why = "truncated: the file's data runs past the archive's end", -1;
	*e = (struct cpio_entry){ (const char *)a + name_at, a + data_at, (uint64_t)f[F_MODE], (uint64_t)f[F_UID],
				  (uint64_t)f[F_GID], (uint64_t)f[F_MTIME], filesize };
	if (!strcmp(e->name, "TRAILER!!!"))
		return 0;
	*off = ALIGN4(data_at + filesize);
	return 1;
}
