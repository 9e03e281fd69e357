/*
 * pagetable.h: 4-level page-table construction, shared by the EFI stub (boot tables), the kernel (its
 * own tables) and the host tests (over synthetic memory). Each user supplies the two hooks below.
 */
#ifndef RINGBENCH_PAGETABLE_H
#define RINGBENCH_PAGETABLE_H
#include <stdint.h>
#include <stdbool.h>

typedef uint64_t pte_t;

/* Hooks: a zeroed, page-aligned frame for a table (0 when out of memory), a pointer to a frame, and a
 * TLB flush of one page after a mapping shrank (INVLPG in the kernel; nothing where tables are not live). */
uint64_t frame_alloc(void);
void *frame_ptr(uint64_t phys);
void pt_flush(uint64_t va);

/* Map [va, va+len) to [pa, pa+len) with leaf flags; 2 MiB pages where allowed and aligned. 0 or -1. */
int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags, bool allow_large);
/* Translate va: its physical address and the effective flags (W and U only if every level grants them,
 * NX if any level sets it). false when not mapped. */
bool pt_lookup(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *flags);
/* True when every page of [va, va+len) is mapped with all the bits in need (e.g. PTE_U | PTE_W). The caller
 * checks the range itself first (no wrap-around: user_range_ok in memlayout.h). */
bool pt_range_has(uint64_t root, uint64_t va, uint64_t len, uint64_t need);
/* Remove the 4 KiB mapping of va (the frame is not freed) and flush it from the TLB. */
void pt_unmap(uint64_t root, uint64_t va);
/* Replace the leaf flags of an already mapped 4 KiB page (keeping its frame). false when not mapped. */
bool pt_set_flags(uint64_t root, uint64_t va, uint64_t flags);
#endif
