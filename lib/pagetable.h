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
/* The raw 4 KiB leaf entry of va (0 when there is none; it may be not present yet hold software bits),
 * and its replacement (the tables above created as needed; -1 when out of memory), flushed from the TLB.
 * For the app's memory (kernel/ and services/mm.c), where every page is 4 KiB. */
pte_t pt_get(uint64_t root, uint64_t va);
/* The first page of [va, end) whose leaf entry is not 0, or end: a missing table is skipped whole, so a
 * walk over a vast empty range costs little. */
uint64_t pt_next_entry(uint64_t root, uint64_t va, uint64_t end);
int pt_set(uint64_t root, uint64_t va, pte_t pte);
/* Replace the leaf flags of an already mapped 4 KiB page (keeping its frame). false when not mapped. */
bool pt_set_flags(uint64_t root, uint64_t va, uint64_t flags);
#endif
