/*
 * efimem.h: the UEFI memory descriptor as the kernel and the host tests see it (UEFI spec 2.10, 7.2,
 * EFI_MEMORY_DESCRIPTOR), and helpers over a memory map walked by its descriptor size.
 */
#ifndef RINGBENCH_EFIMEM_H
#define RINGBENCH_EFIMEM_H
#include <stdint.h>

enum efi_memtype {
	EFI_MEM_RESERVED, EFI_MEM_LOADER_CODE, EFI_MEM_LOADER_DATA, EFI_MEM_BOOT_CODE, EFI_MEM_BOOT_DATA,
	EFI_MEM_RUNTIME_CODE, EFI_MEM_RUNTIME_DATA, EFI_MEM_CONVENTIONAL, EFI_MEM_UNUSABLE,
	EFI_MEM_ACPI_RECLAIM, EFI_MEM_ACPI_NVS, EFI_MEM_MMIO, EFI_MEM_MMIO_PORT, EFI_MEM_PAL_CODE,
	EFI_MEM_PERSISTENT,
};

#define EFIMEM_UC          0x1ull                  /* EFI_MEMORY_UC: uncacheable, device memory */
#define EFIMEM_RUNTIME     0x8000000000000000ull   /* EFI_MEMORY_RUNTIME: the runtime services use it */

struct efi_memdesc {
	uint32_t type, pad;
	uint64_t phys, virt, pages, attr;
};
_Static_assert(sizeof(struct efi_memdesc) == 40, "EFI_MEMORY_DESCRIPTOR is 40 bytes (descriptors may be larger)");

#define MEMMAP_FOR_EACH(d, map, size, dsize)                                                          \
	for (const struct efi_memdesc *d = (const void *)(map);                                       \
	     (const uint8_t *)d + sizeof(*d) <= (const uint8_t *)(map) + (size);                      \
	     d = (const void *)((const uint8_t *)d + (dsize)))

/* The end of the highest descriptor, rounded up to 2 MiB: how much the physical map must cover. */
uint64_t memmap_end(const void *map, uint64_t size, uint64_t dsize);
#endif
