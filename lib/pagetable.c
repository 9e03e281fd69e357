/*
 * pagetable.c: build and walk 4-level x86-64 page tables. Pure logic over frames reached through
 * frame_ptr(), so the same code runs in the EFI stub, the kernel and the host unit tests.
 */
#include "pagetable.h"
#include "x86.h"

/* Intermediate entries grant everything; the leaf decides (the SDM combines W and U with AND). */
#define PT_TABLE_FLAGS (PTE_P | PTE_W | PTE_U)

static unsigned pt_index(uint64_t va, int level) /* level 3 = PML4 ... 0 = PT */
{
	return (va >> (PAGE_SHIFT + PT_INDEX_BITS * level)) & (PT_ENTRIES - 1);
}

/* The entry for va at the given level, creating the tables above it; NULL when out of memory or when a
 * large page is in the way. */
static pte_t *pt_entry(uint64_t root, uint64_t va, int level)
{
	pte_t *table = frame_ptr(root);
	for (int l = 3; l > level; l--) {
		pte_t *e = &table[pt_index(va, l)];
		if (!(*e & PTE_P)) {
			uint64_t frame = frame_alloc();
			if (!frame)
				return 0;
			*e = frame | PT_TABLE_FLAGS;
		} else if (*e & PTE_PS) {
			return 0;
		}
		table = frame_ptr(*e & PTE_ADDR_MASK);
	}
	return &table[pt_index(va, level)];
}

int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags, bool allow_large)
{
	uint64_t end = va + len;
	while (va < end) {
		bool large = allow_large && !(va % LARGE_PAGE_SIZE) && !(pa % LARGE_PAGE_SIZE) &&
			     end - va >= LARGE_PAGE_SIZE;
		pte_t *e = pt_entry(root, va, large ? 1 : 0);
		if (!e)
			return -1;
		*e = pa | flags | PTE_P | (large ? PTE_PS : 0);
		uint64_t step = large ? LARGE_PAGE_SIZE : PAGE_SIZE;
		va += step;
		pa += step;
	}
	return 0;
}

bool pt_lookup(uint64_t root, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	pte_t *table = frame_ptr(root);
	uint64_t allow = PTE_W | PTE_U, nx = 0;
	for (int l = 3; l >= 0; l--) {
		pte_t e = table[pt_index(va, l)];
		if (!(e & PTE_P))
			return false;
		allow &= e;
		nx |= e & PTE_NX;
		if (l == 0 || (l == 1 && (e & PTE_PS))) {
			uint64_t size = l ? LARGE_PAGE_SIZE : PAGE_SIZE;
			*pa = (e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
			*flags = PTE_P | allow | nx;
			return true;
		}
		table = frame_ptr(e & PTE_ADDR_MASK);
	}
	return false;
}

bool pt_range_has(uint64_t root, uint64_t va, uint64_t len, uint64_t need)
{
	for (uint64_t p = va & ~(PAGE_SIZE - 1); p < va + len; p += PAGE_SIZE) {
		uint64_t pa, flags;
		if (!pt_lookup(root, p, &pa, &flags) || (flags & need) != need)
			return false;
	}
	return true;
}

void pt_unmap(uint64_t root, uint64_t va)
{
	uint64_t pa, flags;
	if (!pt_lookup(root, va, &pa, &flags))
		return;
	pte_t *e = pt_entry(root, va, 0);
	if (e)
		*e = 0;
	pt_flush(va);
}

pte_t pt_get(uint64_t root, uint64_t va)
{
	pte_t *table = frame_ptr(root);
	for (int l = 3; l > 0; l--) {
		pte_t e = table[pt_index(va, l)];
		if (!(e & PTE_P) || (e & PTE_PS))
			return 0;
		table = frame_ptr(e & PTE_ADDR_MASK);
	}
	return table[pt_index(va, 0)];
}

uint64_t pt_next_entry(uint64_t root, uint64_t va, uint64_t end)
{
	while (va < end) {
		pte_t *table = frame_ptr(root);
		int l = 3;
		for (; l > 0; l--) {
			pte_t e = table[pt_index(va, l)];
			if (!(e & PTE_P) || (e & PTE_PS))
				break;
			table = frame_ptr(e & PTE_ADDR_MASK);
		}
		if (!l && table[pt_index(va, 0)])
			return va;
		uint64_t span = 1ull << (PAGE_SHIFT + PT_INDEX_BITS * l); /* what the missing entry would map */
		va = (va & ~(span - 1)) + span;
	}
	return end;
}

int pt_set(uint64_t root, uint64_t va, pte_t pte)
{
	pte_t *e = pt_entry(root, va, 0);
	if (!e)
		return -1;
	*e = pte;
	pt_flush(va);
	return 0;
}

bool pt_set_flags(uint64_t root, uint64_t va, uint64_t flags)
{
	uint64_t pa, old;
	if (!pt_lookup(root, va, &pa, &old))
		return false;
	pte_t *e = pt_entry(root, va, 0);
	if (!e)
		return false;
	*e = (pa & PTE_ADDR_MASK) | flags | PTE_P;
	pt_flush(va);
	return true;
}
