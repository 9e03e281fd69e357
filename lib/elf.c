/*
 * elf.c: validate an ELF64 executable before anything is copied or mapped. Every field that becomes an
 * offset, a length or an address is range-checked here, with overflow-safe arithmetic, so the loaders
 * (efi/handoff.c, services/exec.c) can trust what elf_check() accepted.
 */
#include "elf.h"

static const char *check_header(const Elf64_Ehdr *h, uint64_t size)
{
	if (size < sizeof(*h) || h->magic != ELF_MAGIC)
		return "not an ELF file (bad magic or truncated header)";
	if (h->class != ELFCLASS64 || h->data != ELFDATA2LSB || h->version != EV_CURRENT)
		return "not a little-endian ELF64 file";
	if (h->machine != EM_X86_64)
		return "wrong machine type (not x86-64)";
	if (h->type == ET_DYN)
		return "position-independent (ET_DYN) executable: link it static with -no-pie";
	if (h->type != ET_EXEC)
		return "not an executable (ELF type is not ET_EXEC)";
	if (h->phentsize != sizeof(Elf64_Phdr) || h->phnum == 0 || h->phnum > ELF_MAX_PHNUM)
		return "bad program header table (entry size or count)";
	if (h->phoff > size || (uint64_t)h->phnum * sizeof(Elf64_Phdr) > size - h->phoff)
		return "truncated: program headers lie past the end of the file";
	if (h->phoff % 8)
		return "misaligned program header table";
	return 0;
}

static const char *check_load(const Elf64_Phdr *p, uint64_t size, uint64_t min_va, uint64_t max_va)
{
	if (p->filesz > p->memsz)
		return "segment's file size exceeds its memory size";
	if (p->offset > size || p->filesz > size - p->offset)
		return "truncated: a segment lies past the end of the file";
	if (p->memsz > ELF_MAX_MEMSZ)
		return "segment too large (p_memsz over 1 GiB)";
	if (p->vaddr + p->memsz < p->vaddr)
		return "segment wraps around the address space";
	if (p->vaddr < min_va || p->vaddr + p->memsz > max_va)
		return "segment outside the allowed address range";
	return 0;
}

const char *elf_check(const void *data, uint64_t size, uint64_t min_va, uint64_t max_va, struct elf_image *out)
{
	const Elf64_Ehdr *h = data;
	const char *err = check_header(h, size);
	if (err)
		return err;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const uint8_t *)data + h->phoff);
	uint64_t lo = UINT64_MAX, hi = 0, total = 0;
	int entry_ok = 0;
	for (unsigned i = 0; i < h->phnum; i++) {
		if (ph[i].type == PT_INTERP)
			return "dynamically linked (has PT_INTERP): link it static";
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		if ((err = check_load(&ph[i], size, min_va, max_va)))
			return err;
		total += ph[i].memsz;
		lo = ph[i].vaddr < lo ? ph[i].vaddr : lo;
		hi = ph[i].vaddr + ph[i].memsz > hi ? ph[i].vaddr + ph[i].memsz : hi;
		if ((ph[i].flags & PF_X) && h->entry >= ph[i].vaddr && h->entry - ph[i].vaddr < ph[i].memsz)
			entry_ok = 1;
	}
	if (hi == 0)
		return "no loadable segment";
	if (total > ELF_MAX_MEMSZ)
		return "segments too large (over 1 GiB in all)";
	if (!entry_ok)
		return "entry point outside every executable segment";
	*out = (struct elf_image){ data, size, h->entry, lo, hi, ph, h->phnum };
	return 0;
}
