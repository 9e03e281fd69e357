/*
 * cpio.h: the "newc" cpio archive (the format of Linux's initramfs, and of `cpio -o -H newc`), read
 * entry by entry. Every field is checked against the archive's size before it is used, so a malformed or
 * truncated archive is an error naming the offset, never a read past its end. Used by the kernel
 * (services/fs.c) to fill its RAM filesystem; host-tested and fuzzed.
 */
#ifndef RINGBENCH_CPIO_H
#define RINGBENCH_CPIO_H
#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_NAME_MAX    4096 /* PATH_MAX: longer names are refused */

struct cpio_entry {
	const char *name;   /* NUL-terminated, inside the archive */
	const uint8_t *data; /* filesize bytes, inside the archive */
	uint64_t mode, uid, gid, mtime, filesize;
};

/* The entry at *off: 1 and *off moved past it, 0 at the archive's end (its TRAILER!!! entry), or -1 with
 * *why (and *off left at the bad entry). */
int cpio_next(const uint8_t *archive, size_t size, size_t *off, struct cpio_entry *e, const char **why);
#endif
