/*
 * exec.c: start the app as Linux starts a process: load its ELF into user pages, build its initial
 * stack as the System V x86-64 ABI and Linux's loader lay it out (argc, argv, envp, the auxiliary
 * vector glibc and musl read), enter ring 3; and end the run when it exits or faults. Called from kmain
 * (app_run), sys_exit (app_exit) and signal.c (app_kill, app_hang).
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/abi.h"
#include "../lib/elf.h"
#include "../lib/fmt.h"
#include "../lib/memlayout.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/words.h"
#include "../lib/x86.h"

#define ARGV_MAX 64 /* words of args, and of env */
#define AT_RANDOM_BYTES 16
#define AUXV_PAIRS 22

/* what: "bad app" or "bad files"; file: which of \ringbench\'s files. */
static NORETURN void refuse_file(const char *what, const char *file, const char *why)
{
	char why_esc[160], name_esc[2 * BOOTINFO_NAME_MAX];
	json_escape(why_esc, sizeof(why_esc), why);
	json_escape(name_esc, sizeof(name_esc), file);
	kprintf("ringbench: %s \\ringbench\\%s: %s\n", what, file, why);
	kprintf("{\"type\":\"error\",\"stage\":\"kernel\",\"what\":\"%s\",\"file\":\"%s\",\"detail\":\"%s\"}\n", what,
		name_esc, why_esc);
	power_off(EXIT_BAD_APP);
}

static NORETURN void refuse(const char *why) { refuse_file("bad app", boot.app_name, why); }

/* The RAM filesystem from the configuration's archive, and the app's first descriptors. */
static void files_init(void)
{
	size_t where;
	char why[128];
	const char *err = fs_init(boot.files_image ? P2V(boot.files_image) : 0, boot.files_size, &where);
	if (err) {
		fmt_snprintf(why, sizeof(why), "at offset %lu: %s", (unsigned long)where, err);
		refuse_file("bad files", boot.files_name, why);
	}
	uint32_t in = 0;
	if (boot.stdin_path[0] && fs_lookup(ROOT_INO, boot.stdin_path, true, &in)) {
		fmt_snprintf(why, sizeof(why), "its stdin, %s, is not a file of the archive", boot.stdin_path);
		refuse_file("bad files", boot.files_name[0] ? boot.files_name : boot.app_name, why);
	}
	fd_init(in);
}

/* Copy into user pages through the physical map (the pages may be read-only to the app). */
static void poke_user(uint64_t va, const void *src, uint64_t len)
{
	const uint8_t *s = src;
	while (len) {
		uint64_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		n = n < len ? n : len;
		memcpy(P2V(user_phys(va)), s, n);
		va += n, s += n, len -= n;
	}
}

/* Returns the page-aligned end of the highest segment: where the heap (brk) starts. */
static uint64_t load_segments(const struct elf_image *img)
{
	uint64_t end = 0;
	for (unsigned i = 0; i < img->phnum; i++) {
		const Elf64_Phdr *p = &img->phdrs[i];
		if (p->type != PT_LOAD || !p->memsz)
			continue;
		if (p->vaddr < USER_VDSO + USER_VDSO_SIZE && p->vaddr + p->memsz > USER_STACK_GUARD)
			refuse("a segment overlaps the stack area (or the time page and vDSO above it)");
		uint64_t flags = ((p->flags & PF_W) ? PTE_W : 0) | ((p->flags & PF_X) ? 0 : PTE_NX);
		if (map_user(p->vaddr, p->memsz, flags))
			refuse("not enough memory for its segments");
		poke_user(p->vaddr, img->data + p->offset, p->filesz); /* the rest stays zero: bss */
		end = p->vaddr + p->memsz > end ? p->vaddr + p->memsz : end;
	}
	return (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Push len bytes below *sp and return their user address. */
static uint64_t push_bytes(uint64_t *sp, const void *src, uint64_t len)
{
	*sp -= len;
	poke_user(*sp, src, len);
	return *sp;
}

/* Push the words of a configuration value (lib/words.h) and record their addresses after the n of
 * vec; returns the new n. */
static unsigned push_words(uint64_t *sp, const char *what, const char *line, uint64_t *vec, unsigned n)
{
	static char buf[BOOTINFO_CMDLINE_MAX];
	char *words[ARGV_MAX];
	const char *why = 0;
	int count = words_split(line, buf, sizeof(buf), words, ARGV_MAX - 1, &why);
	if (count < 0) {
		char msg[96];
		fmt_snprintf(msg, sizeof(msg), "its %s: %s (at most %d words)", what, why, ARGV_MAX - 1);
		refuse(msg);
	}
	for (int i = count - 1; i >= 0; i--) /* the strings, the first word highest */
		vec[n + i] = push_bytes(sp, words[i], strlen(words[i]) + 1);
	return n + (unsigned)count;
}

/* Where the program headers are in the app's memory: its PT_PHDR, or the loaded segment that holds them
 * (0 when none does). */
static uint64_t phdr_address(const struct elf_image *img)
{
	uint64_t off = ((const Elf64_Ehdr *)img->data)->phoff;
	for (unsigned i = 0; i < img->phnum; i++) {
		const Elf64_Phdr *p = &img->phdrs[i];
		if (p->type == PT_PHDR)
			return p->vaddr;
		if (p->type == PT_LOAD && off >= p->offset && off - p->offset < p->filesz)
			return p->vaddr + (off - p->offset);
	}
	return 0;
}

/* The initial stack, from the top down: the strings (argv, envp, the platform's name), 16 random bytes,
 * then (16-byte aligned) argc, argv[], NULL, envp[], NULL, the auxiliary vector's pairs, AT_NULL. RSP at
 * entry points at argc. */
static uint64_t build_stack(const struct elf_image *img)
{
	uint64_t sp = USER_STACK_TOP, rnd[2] = { rdtsc(), rdtsc() };
	uint64_t args[ARGV_MAX], env[ARGV_MAX];
	args[0] = push_bytes(&sp, boot.app_name, strlen(boot.app_name) + 1);
	unsigned argc = push_words(&sp, "arguments", boot.cmdline, args, 1);
	unsigned envc = push_words(&sp, "environment", boot.env, env, 0);
	uint64_t platform = push_bytes(&sp, "x86_64", sizeof("x86_64"));
	uint64_t random = push_bytes(&sp, rnd, AT_RANDOM_BYTES);
	const uint64_t auxv[2 * AUXV_PAIRS] = {
		AT_PHDR, phdr_address(img), AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, img->phnum,
		AT_PAGESZ, PAGE_SIZE, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, img->entry,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0,
		AT_HWCAP, cpu.hwcap, AT_HWCAP2, 0, AT_CLKTCK, LINUX_CLK_TCK, AT_PLATFORM, platform,
		AT_RANDOM, random, AT_EXECFN, args[0], AT_MINSIGSTKSZ, signal_frame_max(),
		AT_SYSINFO_EHDR, USER_VDSO, AT_RB_TIME_PAGE, USER_TIME_PAGE, AT_NULL, 0 };
	uint64_t vec[1 + ARGV_MAX + 1 + ARGV_MAX + 1 + 2 * AUXV_PAIRS], n = 0;
	vec[n++] = argc;
	memcpy(vec + n, args, argc * 8), n += argc;
	vec[n++] = 0; /* argv's end */
	memcpy(vec + n, env, envc * 8), n += envc;
	vec[n++] = 0; /* envp's end */
	memcpy(vec + n, auxv, sizeof(auxv)), n += sizeof(auxv) / 8;
	sp = (sp - n * 8) & ~15ull;
	poke_user(sp, vec, n * 8);
	return sp;
}

/* The vDSO (vdso/, carried by kernel/vdso_image.S) just above its data page, the time page:
 * read+execute to the app, as AT_SYSINFO_EHDR tells it. */
static void map_vdso(void)
{
	extern const char vdso_image[], vdso_image_end[];
	uint64_t size = (uint64_t)(vdso_image_end - vdso_image);
	if (size > USER_VDSO_SIZE)
		panic("the vDSO is larger than USER_VDSO_SIZE");
	if (map_user(USER_VDSO, size, 0))
		refuse("not enough memory for its vDSO");
	poke_user(USER_VDSO, vdso_image, size);
}

void app_run(void)
{
	struct elf_image img;
	const char *err = elf_check(P2V(boot.app_image), boot.app_size, USER_MIN, USER_TOP, &img);
	if (err)
		refuse(err);
	proc_init(load_segments(&img));
	if (map_user(USER_STACK_BOTTOM, USER_STACK_SIZE, PTE_W | PTE_NX) || map_user(USER_TIME_PAGE, PAGE_SIZE, PTE_NX) ||
	    pt_set(vm_root(), USER_STACK_GUARD, PTE_SOFT_GUARD))
		refuse("not enough memory for its stack");
	clocks_init(P2V(user_phys(USER_TIME_PAGE)));
	map_vdso();
	vsyscall_init();
	files_init();
	uint64_t sp = build_stack(&img);
	entry_start();
	events_start();
	kprintf("ringbench: starting \\ringbench\\%s in ring 3 at %lx\n", boot.app_name, img.entry); /* the last line before it */
	/* into ring 3 by the general exit, as if the app had been interrupted at its entry */
	user_return(&(struct trapframe){ .rip = img.entry, .cs = SEL_UCODE, .rflags = RFLAGS_FIXED, .rsp = sp,
					 .ss = SEL_UDATA });
}

/* The end of every run: the exit line (with the signal that ended the app, if one did), the results kept
 * (efirt.c), the machine off with the status. */
static NORETURN void end_run(int status, const char *reason, int sig, int exit_status)
{
	char by[24] = "";
	if (sig)
		fmt_snprintf(by, sizeof(by), ",\"signal\":%d", sig);
	unimpl_print();
	signal_print_summary();
	kprintf("{\"type\":\"exit\",\"status\":%d,\"reason\":\"%s\"%s}\n", status, reason, by);
	efi_store_results();
	power_off(exit_status);
}

/* exit and exit_group: one thread, so both end the process, with the status's low 8 bits. */
SYSCALL1(exit, status) { app_exit((int)(status & 0xff)); }

void app_exit(int status)
{
	end_run(status, "exit", 0, status ? EXIT_APP_FAILED : EXIT_APP_OK);
}

/* The default action of sig ended the app: its status is Linux's shell's, 128 + sig, and the line says
 * which signal, so that it cannot be taken for an exit. */
void app_kill(int sig)
{
	kprintf("ringbench: app killed by %s (%d)\n", signal_name(sig), sig);
	end_run(128 + sig, "killed", sig, EXIT_APP_KILLED);
}

/* The app waits for what can never come (no other thread, process or timer here): the run ends. */
void app_hang(const char *what, const char *why)
{
	kprintf("ringbench: %s would wait forever: %s; the run ends\n", what, why);
	end_run(-1, "waits_forever", 0, EXIT_APP_FAILED);
}
