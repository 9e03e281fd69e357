/* efimem.c: memory-map helpers shared by the EFI stub and the kernel. */
#include "efimem.h"
#include "x86.h"

uint64_t memmap_end(const void *map, uint64_t size, uint64_t dsize)
{
	uint64_t end = 0;
	MEMMAP_FOR_EACH(d, map, size, dsize) {
		uint64_t e = d->phys + d->pages * PAGE_SIZE;
		end = e > end ? e : end;
	}
	return (end + LARGE_PAGE_SIZE - 1) & ~(LARGE_PAGE_SIZE - 1);
}
