/*
 * elf.h: the ELF64 structures ringbench reads, and the validator shared by the EFI stub (the kernel
 * image) and the kernel (the app). Only static, non-PIE x86-64 executables are accepted.
 */
#ifndef RINGBENCH_ELF_H
#define RINGBENCH_ELF_H
#include <stdint.h>

#define ELF_MAGIC      0x464c457fu /* "\x7fELF", read as a little-endian word */
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define EV_CURRENT     1
#define ET_EXEC        2
#define ET_DYN         3
#define EM_X86_64      62
#define PT_LOAD        1
#define PT_INTERP      3
#define PT_PHDR        6
#define PF_X           1
#define PF_W           2
#define PF_R           4
#define ELF_MAX_PHNUM  64
#define ELF_MAX_MEMSZ  (1ull << 30) /* 1 GiB of segments at most */

typedef struct {
	uint32_t magic;
	uint8_t class, data, ident_version, osabi, pad[8];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} Elf64_Phdr;

_Static_assert(sizeof(Elf64_Ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(Elf64_Phdr) == 56, "ELF64 program header is 56 bytes");

/* A validated image: every PT_LOAD lies in [lo, hi), inside the file and the allowed range. */
struct elf_image {
	const uint8_t *data;
	uint64_t size, entry, lo, hi;
	const Elf64_Phdr *phdrs;
	unsigned phnum;
};

/* NULL when data[0..size) is an executable whose segments fit in [min_va, max_va); else what is wrong. */
const char *elf_check(const void *data, uint64_t size, uint64_t min_va, uint64_t max_va, struct elf_image *out);
#endif
