/*
 * frames.c: the physical frame allocator. It takes the UEFI map's conventional memory above 1 MiB and
 * hands out 4 KiB frames from it in address order. Frames are never freed: the kernel runs one app and
 * powers off. Pure logic (host-tested): it zeroes a frame through lib/pagetable.h's frame_ptr hook.
 */
#include "frames.h"
#include "../lib/efimem.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define FRAME_MIN 0x100000ull /* leave the first MiB alone: real-mode leftovers, firmware quirks */

static struct frame_range ranges[FRAME_RANGES_MAX];
static unsigned nranges, cur;
static uint64_t next, dropped_pages;

static void add_range(uint64_t base, uint64_t end)
{
	if (nranges && ranges[nranges - 1].end == base) {
		ranges[nranges - 1].end = end; /* adjacent to the last one: grow it */
		return;
	}
	if (nranges == FRAME_RANGES_MAX) {
		dropped_pages += (end - base) / PAGE_SIZE;
		return;
	}
	ranges[nranges++] = (struct frame_range){ base, end };
}

void frames_init(const void *map, uint64_t size, uint64_t dsize)
{
	nranges = cur = 0;
	dropped_pages = 0;
	MEMMAP_FOR_EACH(d, map, size, dsize) {
		if (d->type != EFI_MEM_CONVENTIONAL)
			continue;
		uint64_t base = d->phys < FRAME_MIN ? FRAME_MIN : d->phys, end = d->phys + d->pages * PAGE_SIZE;
		base = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		end &= ~(PAGE_SIZE - 1);
		if (base < end)
			add_range(base, end);
	}
	next = nranges ? ranges[0].base : 0;
}

uint64_t frame_alloc(void)
{
	while (cur < nranges && next >= ranges[cur].end)
		if (++cur < nranges)
			next = ranges[cur].base;
	if (cur >= nranges)
		return 0;
	uint64_t f = next;
	next += PAGE_SIZE;
	memset(frame_ptr(f), 0, PAGE_SIZE);
	return f;
}

uint64_t frames_free(void)
{
	uint64_t n = cur < nranges ? (ranges[cur].end - next) / PAGE_SIZE : 0;
	for (unsigned i = cur + 1; i < nranges; i++)
		n += (ranges[i].end - ranges[i].base) / PAGE_SIZE;
	return n;
}

uint64_t frames_dropped(void) { return dropped_pages; }
