/*
 * vsyscall.c: Linux's legacy vsyscall page at VSYSCALL_ADDR (0xffffffffff600000), three entries 1024
 * bytes apart (gettimeofday, time, getcpu) that old static binaries call at that fixed address, as Linux
 * serves it today: no code of the page ever runs. A call there is an instruction fetch that faults in ring
 * 3; the kernel does the call, puts the result in rax and returns for the app, popping the return address
 * off its stack (Linux's emulate_vsyscall). The vsyscall configuration key picks Linux's mode:
 *   xonly    (the default) nothing is mapped there: calls are emulated, a read faults;
 *   emulate  a read-only, no-execute page of the kernel's is mapped there for the app, holding only what
 *            Linux's holds (each entry `mov $nr, %rax; syscall; ret`, int3 elsewhere): reads work, calls
 *            fault (NX) and are emulated;
 *   none     nothing: every access, a call included, is a SIGSEGV.
 * A jump into the middle of an entry, a stack the return address cannot be read from, or a pointer
 * argument the kernel cannot write is a SIGSEGV at the call, as on Linux.
 */
#include "proc.h"
#include "syscall_nr.h"
#include "../lib/linux_signal.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define ENTRY_SIZE 1024
#define ENTRIES 3
#define INT3 0xcc
static const uint32_t entry_call[ENTRIES] = { SYS_gettimeofday, SYS_time, SYS_getcpu };

static bool emulated(void) { return !(boot.flags & BOOTINFO_F_VSYSCALL_NONE); }

/* vsyscall = emulate: the page, user-readable and not executable (the leaf alone decides: every upper
 * table entry has the user bit, and every other leaf of the kernel half is supervisor-only). */
void vsyscall_init(void)
{
	if (!(boot.flags & BOOTINFO_F_VSYSCALL_EMULATE))
		return;
	uint64_t frame = frame_alloc();
	if (!frame || pt_map(vm_root(), VSYSCALL_ADDR, frame, PAGE_SIZE, PTE_U | vm_nx(), false))
		panic("out of memory for the vsyscall page");
	uint8_t *page = P2V(frame);
	memset(page, INT3, PAGE_SIZE);
	for (int i = 0; i < ENTRIES; i++) {
		static const uint8_t mov_rax[] = { 0x48, 0xc7, 0xc0 }, syscall_ret[] = { 0x0f, 0x05, 0xc3 };
		uint8_t *e = page + i * ENTRY_SIZE;
		memcpy(e, mov_rax, sizeof(mov_rax));
		memcpy(e + sizeof(mov_rax), &entry_call[i], sizeof(entry_call[i]));
		memcpy(e + sizeof(mov_rax) + sizeof(entry_call[i]), syscall_ret, sizeof(syscall_ret));
	}
}

/* Can the call store size bytes at p (0: it stores nothing)? If not, SIGSEGV at p, as Linux's. */
static bool writable_or_segv(struct trapframe *tf, uint64_t p, uint64_t size)
{
	if (!p || !size || user_mapped(p, size, true))
		return true;
	signal_force_fault(tf, SIGSEGV, mm_programs_page(p) ? SEGV_ACCERR : SEGV_MAPERR, p);
	return false;
}

static long emulate(struct trapframe *tf, int entry)
{
	return entry == 0 ? clock_gettimeofday(tf->rdi, tf->rsi) : entry == 1 ? clock_time(tf->rdi)
		: proc_getcpu(tf->rdi, tf->rsi);
}

/* A #PF from ring 3 (cr2 the address): true when it was the vsyscall page's, and handled here (the call
 * emulated, or its SIGSEGV forced); false: an ordinary fault. */
bool vsyscall_fault(struct trapframe *tf, uint64_t cr2)
{
	static const uint64_t stores[ENTRIES][2] = { { sizeof(struct linux_timeval), 8 }, { 8, 0 }, { 4, 4 } };
	if ((cr2 & ~(PAGE_SIZE - 1)) != VSYSCALL_ADDR || !(tf->error & PFERR_I) || !emulated())
		return false; /* a read (allowed only with emulate, where it does not fault) or mode none */
	uint64_t off = cr2 - VSYSCALL_ADDR, caller;
	int entry = (int)(off / ENTRY_SIZE);
	if (off % ENTRY_SIZE || entry >= ENTRIES || cr2 != tf->rip || copy_from_user(&caller, tf->rsp, sizeof(caller))) {
		kprintf("ringbench: a vsyscall at %lx that is not an entry's start, or with no return address on the "
			"stack: SIGSEGV\n", cr2);
		signal_force_fault(tf, SIGSEGV, SI_KERNEL, 0);
		return true;
	}
	if (!writable_or_segv(tf, tf->rdi, stores[entry][0]) || !writable_or_segv(tf, tf->rsi, stores[entry][1]))
		return true; /* RIP stays at the entry, as Linux leaves it */
	tf->rax = (uint64_t)emulate(tf, entry);
	tf->rip = caller, tf->rsp += 8; /* the entry's RET */
	return true;
}
