/*
 * frames.c: the physical frame allocator. It takes the UEFI map's conventional memory above 1 MiB and
 * hands out 4 KiB frames from it in address order; a frame the app's memory calls give back (munmap,
 * a shrinking brk) goes on a free list, taken first. Pure logic (host-tested): it zeroes a frame, and
 * links the free list through the frames themselves, by lib/pagetable.h's frame_ptr hook.
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
static uint64_t free_head, free_count; /* freed frames: each holds the address of the next, 0 ends it */

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
	free_head = free_count = 0;
}

uint64_t frame_alloc(void)
{
	if (free_head) {
		uint64_t f = free_head;
		free_head = *(uint64_t *)frame_ptr(f);
		free_count--;
		memset(frame_ptr(f), 0, PAGE_SIZE);
		return f;
	}
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

void frame_free(uint64_t f)
{
	*(uint64_t *)frame_ptr(f) = free_head;
	free_head = f;
	free_count++;
}

uint64_t frames_free(void)
{
	uint64_t n = free_count + (cur < nranges ? (ranges[cur].end - next) / PAGE_SIZE : 0);
	for (unsigned i = cur + 1; i < nranges; i++)
		n += (ranges[i].end - ranges[i].base) / PAGE_SIZE;
	return n;
}

uint64_t frames_dropped(void) { return dropped_pages; }
