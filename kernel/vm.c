/*
 * vm.c: the kernel's own page tables, built from the memory map (lib/memlayout.h draws the layout):
 * physical memory at PHYSMAP_BASE (RW, NX), the kernel image with W^X per section, kernel stacks behind
 * guard pages, and the app's pages (the only ones with PTE_U). One set of tables for kernel and app.
 */
#include "defs.h"
#include "../lib/efimem.h"
#include "../lib/memlayout.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/x86.h"

extern char __text_start[], __text_end[], __rodata_end[], __kernel_end[]; /* kernel/kernel.lds.S */

static uint64_t root;
static uint64_t pte_nx; /* PTE_NX where the CPU has it; the bit is reserved (a fault) elsewhere */
static uint64_t kstacks_used;

void *frame_ptr(uint64_t phys) { return P2V(phys); }
void pt_flush(uint64_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static int map_kernel_range(const char *start, const char *end, uint64_t flags)
{
	uint64_t va = (uint64_t)start, pa = boot.kernel_phys + (va - KERNEL_VBASE);
	uint64_t len = ((uint64_t)end - va + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	return pt_map(root, va, pa, len, flags, false);
}

/* The firmware's runtime regions at EFI_RT_BASE + physical, where the stub told the firmware they would
 * be (efi/handoff.c). Data and device memory are NX. Runtime code is left writable too: without the
 * firmware's memory-attributes table the kernel cannot tell a runtime image's data sections, which share
 * the code regions, from its code. This window is the one exception to W^X, and kernel-only. */
static int map_efi_runtime(void)
{
	if (!boot.efi_runtime)
		return 0;
	MEMMAP_FOR_EACH(d, P2V(boot.memmap), boot.memmap_size, boot.desc_size) {
		if (!(d->attr & EFIMEM_RUNTIME))
			continue;
		uint64_t flags = PTE_W | (d->type == EFI_MEM_RUNTIME_CODE ? 0 : pte_nx) | (d->attr & EFIMEM_UC ? PTE_PCD : 0);
		if (pt_map(root, EFI_RT_BASE + d->phys, d->phys, d->pages * PAGE_SIZE, flags, true))
			return -1;
	}
	return 0;
}

/* Build the kernel's tables and switch to them: NULL, or what ran out of memory. */
const char *vm_init(void)
{
	pte_nx = cpu.nx ? PTE_NX : 0;
	root = frame_alloc();
	uint64_t end = memmap_end(P2V(boot.memmap), boot.memmap_size, boot.desc_size);
	end = end > PHYSMAP_MAX ? PHYSMAP_MAX : end;
	if (!root || pt_map(root, PHYSMAP_BASE, 0, end, PTE_W | pte_nx, true))
		return "out of memory mapping physical memory";
	if (boot.fb.size && boot.fb.base + boot.fb.size > end &&
	    pt_map(root, PHYSMAP_BASE + boot.fb.base, boot.fb.base, boot.fb.size, PTE_W | pte_nx, true))
		return "out of memory mapping the framebuffer";
	if (map_efi_runtime())
		return "out of memory mapping the UEFI runtime regions";
	if (map_kernel_range(__text_start, __text_end, 0) ||                /* text: read + execute */
	    map_kernel_range(__text_end, __rodata_end, pte_nx) ||           /* rodata: read only */
	    map_kernel_range(__rodata_end, __kernel_end, PTE_W | pte_nx))   /* data, bss: read + write */
		return "out of memory mapping the kernel image";
	if (cpu.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr3(root);
	return 0;
}

uint64_t vm_root(void) { return root; }
uint64_t vm_nx(void) { return pte_nx; }

/* Slot n: one unmapped guard page, then KSTACK_SIZE of stack. 0 when memory runs out. */
uint64_t kstack_alloc(void)
{
	uint64_t bottom = KSTACK_BASE + kstacks_used++ * (KSTACK_SIZE + PAGE_SIZE) + PAGE_SIZE;
	for (uint64_t va = bottom; va < bottom + KSTACK_SIZE; va += PAGE_SIZE) {
		uint64_t f = frame_alloc();
		if (!f || pt_map(root, va, f, PAGE_SIZE, PTE_W | pte_nx, false))
			return 0;
	}
	return bottom + KSTACK_SIZE;
}

/* Map fresh zeroed user pages over [va, va+len). A page a previous segment already mapped keeps its
 * frame and gets the union of both permissions (NX only if both are NX). -1 when memory runs out. */
int map_user(uint64_t va, uint64_t len, uint64_t flags)
{
	flags = (flags & ~PTE_NX) | (flags & PTE_NX & pte_nx) | PTE_U;
	for (uint64_t p = va & ~(PAGE_SIZE - 1); p < va + len; p += PAGE_SIZE) {
		uint64_t pa, old;
		if (pt_lookup(root, p, &pa, &old)) {
			uint64_t merged = ((old | flags) & ~PTE_NX) | (old & flags & PTE_NX);
			pt_set_flags(root, p, merged);
			continue;
		}
		uint64_t f = frame_alloc();
		if (!f || pt_map(root, p, f, PAGE_SIZE, flags, false))
			return -1;
	}
	return 0;
}

void unmap_user(uint64_t va) { pt_unmap(root, va); }

/* Device registers at their physical-map address, in 4 KiB pages (remapping any that physmap covers);
 * NULL when memory for the tables runs out. */
void *map_mmio(uint64_t phys, uint64_t len)
{
	uint64_t start = phys & ~(PAGE_SIZE - 1), end = (phys + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), pa, fl;
	for (uint64_t p = start; p < end; p += PAGE_SIZE)
		if (!pt_lookup(root, PHYSMAP_BASE + p, &pa, &fl) &&
		    pt_map(root, PHYSMAP_BASE + p, p, PAGE_SIZE, PTE_W | PTE_PCD | pte_nx, false))
			return 0;
	return P2V(phys);
}

/* The physical address behind a mapped user virtual address (for the loader's copies), or 0. */
uint64_t user_phys(uint64_t va)
{
	uint64_t pa, flags;
	return pt_lookup(root, va, &pa, &flags) && (flags & PTE_U) ? pa : 0;
}

bool user_mapped(uint64_t va, uint64_t len, bool write)
{
	return user_range_ok(va, len) && pt_range_has(root, va, len, PTE_U | (write ? PTE_W : 0));
}
