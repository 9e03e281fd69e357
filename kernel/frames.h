/* frames.h: the physical frame allocator (frames.c), separate from defs.h so host tests can include it.
 * frame_alloc is also the hook lib/pagetable.c takes its tables from. */
#ifndef RINGBENCH_FRAMES_H
#define RINGBENCH_FRAMES_H
#include <stdint.h>

#define FRAME_RANGES_MAX 256

struct frame_range {
	uint64_t base, end;
};

/* Take the conventional memory of a UEFI map (walked by dsize). */
void frames_init(const void *map, uint64_t size, uint64_t dsize);
uint64_t frame_alloc(void);    /* a zeroed 4 KiB frame, or 0 when memory is exhausted */
void frame_free(uint64_t f);   /* give a frame back (one frame_alloc returned, no longer mapped) */
uint64_t frames_free(void);    /* frames left */
uint64_t frames_dropped(void); /* pages lost because the map had more than FRAME_RANGES_MAX ranges */
#endif
