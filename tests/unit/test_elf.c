/* test_elf.c: lib/elf.c, the validator every app and the kernel image pass before anything is loaded. */
#include <string.h>
#include "unit.h"
#include "../../lib/elf.h"
#include "../../lib/memlayout.h"

#define FILE_SIZE 0x3000

static struct {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	unsigned char body[FILE_SIZE - sizeof(Elf64_Ehdr) - 3 * sizeof(Elf64_Phdr)];
} f;

/* A good static executable: text R+X at 0x400000, data R+W with bss at 0x401000. */
static void make_good(void)
{
	memset(&f, 0, sizeof(f));
	f.eh = (Elf64_Ehdr){ .magic = ELF_MAGIC, .class = ELFCLASS64, .data = ELFDATA2LSB, .ident_version = 1,
			     .type = ET_EXEC, .machine = EM_X86_64, .version = EV_CURRENT, .entry = 0x400010,
			     .phoff = sizeof(Elf64_Ehdr), .ehsize = sizeof(Elf64_Ehdr),
			     .phentsize = sizeof(Elf64_Phdr), .phnum = 2 };
	f.ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x400000, 0x1000, 0x1000, 0x1000 };
	f.ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x401000, 0x800, 0x5000, 0x1000 };
}

static const char *check(uint64_t size)
{
	struct elf_image img;
	return elf_check(&f, size, USER_MIN, USER_STACK_GUARD, &img);
}

TEST(elf_accepts_a_static_executable)
{
	struct elf_image img;
	make_good();
	CHECK(elf_check(&f, sizeof(f), USER_MIN, USER_STACK_GUARD, &img) == NULL);
	CHECK(img.entry == 0x400010 && img.lo == 0x400000 && img.hi == 0x406000 && img.phnum == 2);
}

TEST(elf_refuses_truncated_files)
{
	make_good();
	CHECK(check(10) != NULL);                                          /* header cut */
	CHECK(strstr(check(sizeof(Elf64_Ehdr) + 8), "program headers"));  /* phdrs cut */
	CHECK(strstr(check(0x1400), "past the end"));                      /* data segment cut */
	f.eh.phoff = (uint64_t)-16;
	CHECK(strstr(check(sizeof(f)), "program headers"));                /* phoff wraps */
}

TEST(elf_refuses_wrong_kind_of_file)
{
	make_good();
	f.eh.magic = 0x464c4500;
	CHECK(strstr(check(sizeof(f)), "not an ELF"));
	make_good();
	f.eh.machine = 183; /* AArch64 */
	CHECK(strstr(check(sizeof(f)), "machine"));
	make_good();
	f.eh.class = 1;
	CHECK(strstr(check(sizeof(f)), "ELF64"));
	make_good();
	f.eh.type = ET_DYN;
	CHECK(strstr(check(sizeof(f)), "-no-pie"));
	make_good();
	f.ph[1].type = PT_INTERP;
	CHECK(strstr(check(sizeof(f)), "dynamically linked"));
}

TEST(elf_refuses_segments_outside_the_user_range)
{
	make_good();
	f.ph[1].vaddr = KERNEL_VBASE;
	CHECK(strstr(check(sizeof(f)), "outside"));
	make_good();
	f.ph[0].vaddr = 0; /* the null page */
	CHECK(strstr(check(sizeof(f)), "outside"));
	make_good();
	f.ph[1].vaddr = USER_STACK_GUARD - 0x1000; /* runs into the stack guard */
	CHECK(strstr(check(sizeof(f)), "outside"));
	make_good();
	f.ph[1].vaddr = 0xfffffffffffff000ull;
	CHECK(strstr(check(sizeof(f)), "wraps"));
}

TEST(elf_refuses_bad_sizes_and_entry)
{
	make_good();
	f.ph[1].memsz = 1ull << 40;
	CHECK(strstr(check(sizeof(f)), "too large"));
	make_good();
	f.ph[1].filesz = 0x6000;
	CHECK(strstr(check(sizeof(f)), "file size exceeds"));
	make_good();
	f.eh.entry = 0x401000; /* in the data segment, not executable */
	CHECK(strstr(check(sizeof(f)), "entry point"));
	make_good();
	f.eh.phnum = 0;
	CHECK(check(sizeof(f)) != NULL);
	make_good();
	f.ph[0].type = f.ph[1].type = 6; /* PT_PHDR only */
	CHECK(strstr(check(sizeof(f)), "no loadable"));
}
