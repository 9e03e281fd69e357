/*
 * fuzz_elf.c: libFuzzer harness for lib/elf.c, the validator every app passes before the kernel copies a
 * byte. Beyond "no crash, no out-of-bounds read" (AddressSanitizer), it checks what acceptance
 * promises the loader: every loadable segment inside the file and inside the allowed range, no wrap,
 * the entry in an executable segment. Run by make fuzz (and briefly by make test).
 */
#include <stdlib.h>
#include <string.h>
#include "../../lib/elf.h"
#include "../../lib/memlayout.h"

static void promise(int ok)
{
	if (!ok)
		abort(); /* libFuzzer reports the input that broke a promise */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1); /* aligned, as the kernel's page-aligned file buffer is */
	memcpy(copy, data, size);
	struct elf_image img;
	if (!elf_check(copy, size, USER_MIN, USER_TOP, &img)) {
		int entry_ok = 0;
		for (unsigned i = 0; i < img.phnum; i++) {
			const Elf64_Phdr *p = &img.phdrs[i];
			if (p->type != PT_LOAD || !p->memsz)
				continue;
			promise(p->offset <= size && p->filesz <= size - p->offset && p->filesz <= p->memsz);
			promise(p->vaddr >= USER_MIN && p->vaddr + p->memsz > p->vaddr && p->vaddr + p->memsz <= USER_TOP);
			promise(p->vaddr >= img.lo && p->vaddr + p->memsz <= img.hi);
			entry_ok |= (p->flags & PF_X) && img.entry >= p->vaddr && img.entry - p->vaddr < p->memsz;
		}
		promise(entry_ok && img.lo < img.hi);
	}
	free(copy);
	return 0;
}
