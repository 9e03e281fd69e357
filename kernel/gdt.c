/*
 * gdt.c: the descriptors: the GDT (laid out for both SYSRET and SYSEXIT, see lib/x86.h), the TSS with
 * RSP0 and the IST stacks, and the per-CPU area GS points at. Called from kmain (main.c); the doors'
 * MSRs are kernel/doors.c's.
 */
#include "defs.h"
#include "../lib/abi.h"
#include "../lib/x86.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];   /* stack for an entry from ring n; only rsp[0] is used */
	uint64_t reserved1;
	uint64_t ist[7];   /* interrupt stack table, IST 1..7 */
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "64-bit TSS is 104 bytes (SDM vol. 3 figure 8-11)");

struct descriptor_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The SYSRET/SYSEXIT selector arithmetic of lib/x86.h, checked. */
_Static_assert(GDT_KDATA == GDT_KCODE + 1, "SYSCALL: SS = CS + 8");
_Static_assert(GDT_UDATA == GDT_SYSRET_BASE + 1, "64-bit SYSRET: SS = STAR[63:48] + 8");
_Static_assert(GDT_UCODE == GDT_SYSRET_BASE + 2, "64-bit SYSRET: CS = STAR[63:48] + 16");
_Static_assert(GDT_UCODE == GDT_KCODE + 4, "64-bit SYSEXIT: CS = SYSENTER_CS + 32");
_Static_assert(GDT_UDATA_SYSEXIT == GDT_KCODE + 5, "64-bit SYSEXIT: SS = SYSENTER_CS + 40");
_Static_assert(GDT_TSS + 2 <= GDT_ENTRIES, "the TSS descriptor takes two slots");

#define BOOT_STACK_SIZE 4096
static uint8_t boot_ist_stacks[IST_COUNT + 1][BOOT_STACK_SIZE] __attribute__((aligned(16)));
static uint64_t gdt[GDT_ENTRIES] ENTRY_DATA;
static struct tss tss ENTRY_DATA;
struct percpu percpu ENTRY_DATA; /* the stubs read it by name where GS may still be the app's */


/* The 16-byte TSS descriptor (SDM vol. 3, figure 8-4): limit 15:0, base 23:0, the access byte and base
 * 31:24 in the first word (its limit 19:16 and flags stay 0: the TSS is far below 64 KiB), base 63:32 in
 * the second. */
#define DESC_LIMIT_LOW(limit) ((limit) & 0xffffull)
#define DESC_BASE_LOW(base)   (((base) & 0xffffffull) << 16)
#define DESC_ACCESS(access)   ((uint64_t)(access) << 40)
#define DESC_BASE_MID(base)   (((base) >> 24 & 0xffull) << 56)
#define DESC_BASE_HIGH(base)  ((base) >> 32)
#define DESC_FLAGS(flags)     ((uint64_t)(flags) << 52)
_Static_assert(sizeof(struct tss) <= 0xffff, "the TSS limit fits the descriptor's low 16 bits");

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	gdt[GDT_TSS] = DESC_LIMIT_LOW(limit) | DESC_BASE_LOW(base) | DESC_ACCESS(DESC_P | DESC_TSS_AVAIL) |
		       DESC_BASE_MID(base);
	gdt[GDT_TSS + 1] = DESC_BASE_HIGH(base);
}

/* A code or data descriptor: in 64-bit mode only the access byte and the L flag matter. */
static uint64_t segment(uint32_t access, uint32_t flags) { return DESC_ACCESS(access) | DESC_FLAGS(flags); }

static void load_gdt(void)
{
	struct descriptor_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };
	/* Reload every segment register: CS by a far return, the data segments with the kernel's. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(SEL_KCODE), "i"(SEL_KDATA), "r"(SEL_TSS)
			 : "rax", "memory");
}

/* Early: IST stacks in .bss (no guard pages yet) so a fault during paging setup still gets a dump. */
void gdt_init(void)
{
	gdt[GDT_KCODE] = segment(DESC_P | DESC_S | DESC_CODE, DESC_FLAG_L);
	gdt[GDT_KDATA] = segment(DESC_P | DESC_S | DESC_DATA, 0);
	gdt[GDT_UDATA] = segment(DESC_P | DESC_S | DESC_DATA | DESC_DPL(3), 0);
	gdt[GDT_UCODE] = segment(DESC_P | DESC_S | DESC_CODE | DESC_DPL(3), DESC_FLAG_L);
	gdt[GDT_UDATA_SYSEXIT] = gdt[GDT_UDATA];
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: every port faults in ring 3 (IOPL is 0) */
	for (int i = 0; i < IST_COUNT; i++)
		tss.ist[i] = (uint64_t)boot_ist_stacks[i + 1]; /* a stack's top is the next one's base */
	tss.rsp[0] = percpu.kernel_rsp = percpu.frame_top = (uint64_t)(boot_ist_stacks + IST_COUNT + 1);
	percpu.self = (uint64_t)&percpu;
	set_tss_descriptor();
	load_gdt();
	wrmsr(MSR_FS_BASE, 0); /* loading a null selector need not clear the base */
	wrmsr(MSR_GS_BASE, (uint64_t)&percpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0); /* the app's GS base, swapped in on the way to ring 3 */
}

/* Later, once paging is ours: stacks with guard pages. Before doors_init, which copies RSP0. */
void tss_set_stacks(uint64_t rsp0, const uint64_t ist[IST_COUNT])
{
	for (int i = 0; i < IST_COUNT; i++)
		tss.ist[i] = ist[i];
	tss.rsp[0] = percpu.kernel_rsp = percpu.frame_top = rsp0;
}

/* The stack the CPU switches to on an interrupt or exception from ring 3 (kernel/doors.c sets it). */
void tss_set_rsp0(uint64_t top) { tss.rsp[0] = top; }

uint64_t tss_ist_top(int i) { return tss.ist[i]; }
