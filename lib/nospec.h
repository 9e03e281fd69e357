/* nospec.h: a bounds clamp the CPU cannot speculate past (Linux's array_index_nospec, x86 flavour). */
#ifndef RINGBENCH_NOSPEC_H
#define RINGBENCH_NOSPEC_H
#include <stdint.h>

/* index if index < size, else 0, with no branch: CMP sets CF when index < size (unsigned), SBB turns
 * CF into an all-ones mask. A mispredicted bounds check before it cannot index past the table. */
static inline uint64_t index_nospec(uint64_t index, uint64_t size)
{
	uint64_t mask;
	__asm__("cmp %2, %1; sbb %0, %0" : "=r"(mask) : "r"(index), "r"(size) : "cc");
	return index & mask;
}
#endif
