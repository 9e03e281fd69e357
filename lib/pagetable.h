/*
 * pagetable.h: 4-level page-table construction, shared by the EFI stub (boot tables), the kernel (its
 * own tables) and the host tests (over synthetic memory). Each user supplies the two hooks below.
 */
#ifndef RINGBENCH_PAGETABLE_H
#define RINGBENCH_PAGETABLE_H
#include <stdint.h>
#include <stdbool.h>

typedef uint64_t pte_t;

/* Hooks: a zeroed, page-aligned frame for a table (0 when out of memory), and a pointer to a frame. */
uint64_t pt_alloc_frame(void);
void *pt_frame_ptr(uint64_t phys);

/* Map [va, va+len) to [pa, pa+len) with leaf flags; 2 MiB pages where allowed and aligned. 0 or -1. */
int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags, bool allow_large);
/* Translate va: its physical address and the effective flags (W and U only if every level grants them,
 * NX if any level sets it). false when not mapped. */
bool pt_lookup(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *flags);
/* Replace the leaf flags of an already mapped 4 KiB page (keeping its frame). false when not mapped. */
bool pt_set_flags(uint64_t root, uint64_t va, uint64_t flags);
#endif
