/*
 * kpti.c: the page tables of the KPTI-style variants (Meltdown, CVE-2017-5754; Linux's PTI). While one of
 * them is switched in, ring 3 runs on a second set of tables: the user half of the kernel's own (the same
 * lower-level tables, so the app's mappings are one set) and, of the kernel half, only what the CPU and
 * the entry stubs touch before they move to the kernel's tables: the entry text, the entry data (GDT,
 * IDT, TSS, per-CPU area, the CR3 values below, and the entry stack) and the IST stacks of NMI, #DF and
 * #MC, and the app's own vsyscall page where vsyscall = emulate maps one (services/vsyscall.c). Nothing else of the kernel is mapped there at all, its stacks included: as in Linux, the CPU
 * enters on the small entry stack (TSS.RSP0 and SYSENTER_ESP point at it while a KPTI variant is in), the
 * stub moves the frame to the kernel stack once it is on the kernel's tables, and each return to ring 3
 * is staged on the entry stack again (entry/defences.h, entry/vectors.S).
 * With PCID the two sets run as PCIDs 0 and 1, and no switch flushes the TLB (CR3_NOFLUSH).
 */
#include "defs.h"
#include "../lib/memlayout.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define KPTI_USER_PCID 1
#define USER_HALF_ENTRIES 256 /* PML4 slots below the canonical hole */

/* What the stubs load into CR3 (entry/defences.h, entry/vectors.S); both the kernel's own tables while
 * no KPTI variant runs, 0 until vm.c has built them. */
uint64_t kpti_kernel_cr3 ENTRY_DATA, kpti_user_cr3 ENTRY_DATA;
uint8_t entry_stack[ENTRY_STACK_SIZE] ENTRY_DATA __attribute__((aligned(16)));
static uint64_t kernel_root, user_root;
static bool kpti_on, kpti_pcid;

void kpti_init(uint64_t root)
{
	kernel_root = root;
	kpti_kernel_cr3 = kpti_user_cr3 = root;
}

/* Map in the user tables each page of [start, end) that the kernel's map, to the same frame, alike. */
static void share_pages(uint64_t start, uint64_t end)
{
	for (uint64_t va = start & ~(PAGE_SIZE - 1); va < end; va += PAGE_SIZE) {
		uint64_t pa, flags;
		if (pt_lookup(kernel_root, va, &pa, &flags) &&
		    pt_map(user_root, va, pa, PAGE_SIZE, flags & (PTE_W | PTE_NX | PTE_PCD | PTE_U), false))
			panic("out of memory for the KPTI page tables");
	}
}

static void build_user_tables(void)
{
	extern char __entry_text_start[], __entry_text_end[], __entry_data_start[], __entry_data_end[];
	if (!(user_root = frame_alloc()))
		panic("out of memory for the KPTI page tables");
	share_pages((uint64_t)__entry_text_start, (uint64_t)__entry_text_end);
	share_pages((uint64_t)__entry_data_start, (uint64_t)__entry_data_end);
	for (int i = 0; i < IST_COUNT; i++)
		share_pages(tss_ist_top(i) - KSTACK_SIZE, tss_ist_top(i));
	share_pages(VSYSCALL_ADDR, VSYSCALL_ADDR + PAGE_SIZE); /* the app's, if vsyscall = emulate mapped it */
}

/* The user tables' top level takes the kernel's user half (the lower tables are shared): the app's
 * mappings as they are now. */
static void copy_user_half(void)
{
	memcpy(P2V(user_root), P2V(kernel_root), USER_HALF_ENTRIES * sizeof(uint64_t));
}

/* Switch the user tables in (with PCIDs or not) or out, from the next return to ring 3. Runs in a system
 * call, on the kernel's tables with PCID 0. */
void kpti_set(bool on, bool pcid)
{
	if (on && !user_root)
		build_user_tables();
	if (on)
		copy_user_half();
	/* CR3_NOFLUSH is a reserved bit without PCIDE: PCIDE goes on before the values that use it, and off
	 * after them. Either change flushes the whole TLB. */
	uint64_t cr4 = read_cr4();
	pcid = on && pcid;
	kpti_on = on, kpti_pcid = pcid;
	if (pcid && !(cr4 & CR4_PCIDE))
		write_cr4(cr4 | CR4_PCIDE); /* allowed: the current CR3, the kernel's, has PCID 0 */
	kpti_kernel_cr3 = kernel_root | (pcid ? CR3_NOFLUSH : 0);
	kpti_user_cr3 = !on ? kernel_root : pcid ? user_root | KPTI_USER_PCID | CR3_NOFLUSH : user_root;
	if (!pcid && (cr4 & CR4_PCIDE))
		write_cr4(cr4 & ~CR4_PCIDE);
}

/* Where the CPU enters from ring 3 while a KPTI variant is in (kernel/doors.c points the doors at it). */
uint64_t kpti_entry_stack_top(void) { return (uint64_t)(entry_stack + ENTRY_STACK_SIZE); }

/* The app's memory changed (services/mm.c): the user tables see the user half as the kernel's do (a new
 * top-level entry is copied over; the lower tables are shared), and where a mapping shrank, under PCIDs,
 * the user PCID's TLB entries are dropped: INVLPG in the kernel reaches only the kernel's PCID. */
void kpti_user_half_changed(bool shrunk)
{
	extern void kpti_load_both(uint64_t user_cr3, uint64_t kernel_cr3);
	if (!kpti_on)
		return;
	copy_user_half();
	if (shrunk && kpti_pcid)
		kpti_load_both(user_root | KPTI_USER_PCID, kernel_root | CR3_NOFLUSH);
}

/* kpti_load_both(user, kernel): CR3 = user (no NOFLUSH: PCID 1's entries go), then CR3 = kernel. It runs
 * from the entry text, which both sets of tables map at the same address, and touches neither stack nor
 * data between the two writes. */
__asm__(".pushsection .entry.text, \"ax\"\n"
	"\t.type kpti_load_both, @function\n"
	"kpti_load_both:\n"
	"\tmovq %rdi, %cr3\n"
	"\tmovq %rsi, %cr3\n"
	"\tret\n"
	"\t.size kpti_load_both, . - kpti_load_both\n"
	"\t.popsection");
