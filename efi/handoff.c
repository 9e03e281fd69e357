/*
 * handoff.c: the last steps of the stub. Copy the kernel's ELF segments into pages of their own, build
 * boot page tables (the stub's own code identity-mapped, all memory at PHYSMAP_BASE, the kernel at its
 * link address), exit boot services (retrying on a stale map key) and jump. No boot-service call is made
 * after ExitBootServices succeeds.
 */
#include "stub.h"
#include "../lib/efimem.h"
#include "../lib/elf.h"
#include "../lib/memlayout.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define MEMMAP_SLACK_DESCS 32 /* Linux's EFI stub learned that recent boards need this many spare slots */
#define EXIT_TRIES 8

uint64_t frame_alloc(void)
{
	EFI_PHYSICAL_ADDRESS p;
	if (EFI_ERROR(gBS->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &p)))
		return 0;
	memset((void *)p, 0, PAGE_SIZE);
	return p;
}

void *frame_ptr(uint64_t phys) { return (void *)phys; } /* the firmware maps memory 1:1 */
void pt_flush(uint64_t va) { (void)va; } /* the boot tables are not live while the stub builds them */

/* Copy every PT_LOAD of the validated kernel into one run of pages; return its physical base. */
static uint64_t load_kernel(const struct elf_image *img)
{
	EFI_PHYSICAL_ADDRESS base;
	UINTN pages = (img->hi - img->lo + PAGE_SIZE - 1) / PAGE_SIZE;
	if (img->lo % PAGE_SIZE)
		fail(EFI_LOAD_ERROR, "kernel image does not start on a page boundary", "\\ringbench\\kernel.elf");
	if (EFI_ERROR(gBS->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &base)))
		fail(EFI_OUT_OF_RESOURCES, "no memory for the kernel image", "\\ringbench\\kernel.elf");
	memset((void *)base, 0, pages * PAGE_SIZE);
	for (unsigned i = 0; i < img->phnum; i++) {
		const Elf64_Phdr *p = &img->phdrs[i];
		if (p->type == PT_LOAD)
			memcpy((void *)(base + p->vaddr - img->lo), img->data + p->offset, p->filesz);
	}
	return base;
}

/* The memory map's size now, plus slack for the allocations still to come, in a buffer of its own. */
static void *alloc_memmap(UINTN *cap)
{
	UINTN size = 0, key, dsize;
	UINT32 dver;
	void *buf;
	gBS->GetMemoryMap(&size, 0, &key, &dsize, &dver);
	*cap = size + MEMMAP_SLACK_DESCS * dsize;
	if (EFI_ERROR(gBS->AllocatePool(EfiLoaderData, *cap, &buf)))
		fail(EFI_OUT_OF_RESOURCES, "no memory for the memory map", 0);
	return buf;
}

static uint64_t build_tables(const struct elf_image *img, uint64_t kernel_phys, uint64_t phys_end)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	uint64_t root = frame_alloc();
	if (!root || EFI_ERROR(gBS->HandleProtocol(gImage, &li_guid, (void **)&li)))
		fail(EFI_OUT_OF_RESOURCES, "cannot build the boot page tables", 0);
	uint64_t self = (uint64_t)li->ImageBase & ~(PAGE_SIZE - 1);
	uint64_t self_len = ((uint64_t)li->ImageBase + li->ImageSize - self + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (phys_end > PHYSMAP_MAX)
		phys_end = PHYSMAP_MAX;
	/* The stub's own pages stay where they are, so the instruction after the CR3 load still runs. */
	if (pt_map(root, self, self, self_len, PTE_W, false) ||
	    pt_map(root, PHYSMAP_BASE, 0, phys_end, PTE_W, true) ||
	    pt_map(root, img->lo, kernel_phys, img->hi - img->lo, PTE_W, false))
		fail(EFI_OUT_OF_RESOURCES, "cannot build the boot page tables", 0);
	return root;
}

/* The runtime services move to EFI_RT_BASE + their physical address: one offset for all keeps every
 * runtime image's code and data at their distances; the kernel maps the same window (kernel/vm.c). The
 * firmware's own page tables are still live here, as SetVirtualAddressMap requires. */
static void go_virtual(struct bootinfo *bi, void *map, UINTN size, UINTN dsize, UINT32 dver)
{
	MEMMAP_FOR_EACH(d, map, size, dsize)
		((struct efi_memdesc *)d)->virt = d->attr & EFIMEM_RUNTIME ? EFI_RT_BASE + d->phys : 0;
	EFI_RUNTIME_SERVICES *rt = gST->RuntimeServices;
	bi->efi_rt_status = rt->SetVirtualAddressMap(size, dsize, dver, map);
	bi->efi_runtime = bi->efi_rt_status == EFI_SUCCESS ? (uint64_t)gST->RuntimeServices : 0;
}

/* GetMemoryMap + ExitBootServices; a stale key (another agent allocated in between) means try again.
 * Between the two, nothing may allocate: not even a console message. */
static void exit_boot_services(struct bootinfo *bi, void *map, UINTN cap)
{
	for (int tries = 0; tries < EXIT_TRIES; tries++) {
		UINTN size = cap, key, dsize;
		UINT32 dver;
		EFI_STATUS st = gBS->GetMemoryMap(&size, map, &key, &dsize, &dver);
		if (EFI_ERROR(st))
			fail(st, "GetMemoryMap failed", 0);
		st = gBS->ExitBootServices(gImage, key);
		if (st == EFI_SUCCESS) {
			bi->memmap = (uint64_t)map;
			bi->memmap_size = size;
			bi->desc_size = dsize;
			bi->desc_version = dver;
			go_virtual(bi, map, size, dsize, dver);
			return;
		}
		if (st != EFI_INVALID_PARAMETER)
			fail(st, "ExitBootServices failed", 0);
	}
	fail(EFI_INVALID_PARAMETER, "ExitBootServices kept failing on a stale memory map", 0);
}

void handoff(struct bootinfo *bi, const void *kernel, UINTN kernel_size)
{
	struct elf_image img;
	const char *err = elf_check(kernel, kernel_size, KERNEL_VBASE, UINT64_MAX - PAGE_SIZE, &img);
	if (err)
		fail(EFI_LOAD_ERROR, err, "\\ringbench\\kernel.elf");
	bi->kernel_phys = load_kernel(&img);
	bi->kernel_size = img.hi - img.lo;

	UINTN cap;
	void *map = alloc_memmap(&cap);
	UINTN size = cap, key, dsize;
	UINT32 dver;
	if (EFI_ERROR(gBS->GetMemoryMap(&size, map, &key, &dsize, &dver)))
		fail(EFI_BUFFER_TOO_SMALL, "GetMemoryMap failed", 0);
	uint64_t root = build_tables(&img, bi->kernel_phys, memmap_end(map, size, dsize));
	if (EFI_ERROR(gBS->FreePool(map)))
		fail(EFI_INVALID_PARAMETER, "FreePool failed", 0);
	map = alloc_memmap(&cap); /* sized after the page tables' allocations */

	say("ringbench: kernel at %p, entry %p; exiting boot services\n", (void *)bi->kernel_phys,
	    (void *)img.entry);
	exit_boot_services(bi, map, cap);
	/* Boot services are gone: interrupts off, switch to the boot tables and enter the kernel with the
	 * bootinfo's physical address in RDI. The next fetch is from the identity-mapped stub pages. */
	__asm__ volatile("cli\n\t"
			 "mov %0, %%cr3\n\t"
			 "jmp *%1"
			 :
			 : "r"(root), "r"(img.entry), "D"(bi)
			 : "memory");
	__builtin_unreachable();
}
