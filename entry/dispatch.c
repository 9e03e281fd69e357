/*
 * dispatch.c: THE dispatch table, built from build/gen/syscall_list.h (generated from entry/syscall.tbl).
 * Every door indexes it from assembly with the DISPATCH macro of dispatch.h, calling the handler with
 * the C ABI's argument registers in the handlers' convention (kernel/syscall.h). One slot past the last
 * number holds sys_ni_syscall: DISPATCH clamps every other number (gaps, negative, huge) to it without a
 * branch the CPU could speculate past.
 */
#include "syscall.h"
#include "../lib/errno.h"
#include "syscall_nr.h"

SYSCALL0(ni_syscall) { return -ENOSYS; }

/* Called from assembly only, so the entries' differing prototypes never meet a C call. */
typedef void(SYSCALL_ABI *syscall_entry)(void);
#define SLOT(nr, name, nargs, handler) [nr] = (syscall_entry)handler,

/* A Linux call ringbench does not provide: a two-instruction thunk per number that hands it to
 * nosys_thunk (below), which reports it (services/unimpl.c) and returns -ENOSYS. */
#define NOSYS_THUNK(nr, name)                                                                       \
	void SYSCALL_ABI sys_nosys_##nr(void);                                                      \
	__asm__(".pushsection .text\n\t.type sys_nosys_" #nr ", @function\nsys_nosys_" #nr ":\n"     \
		"\tmovl $" #nr ", %r11d\n\tjmp nosys_thunk\n\t.size sys_nosys_" #nr ", . - sys_nosys_" #nr \
		"\n\t.popsection");
NOSYS_LIST(NOSYS_THUNK)
#define NOSYS_SLOT(nr, name) [nr] = (syscall_entry)sys_nosys_##nr,

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
const syscall_entry syscall_table[NR_SYSCALLS + 1] = {
	[0 ... NR_SYSCALLS] = (syscall_entry)sys_ni_syscall, /* gaps, and the clamp slot NR_SYSCALLS */
	SYSCALL_LIST(SLOT)
	NOSYS_LIST(NOSYS_SLOT)
};
#pragma clang diagnostic pop

/* nosys_thunk: r11 = the number. In the handlers' convention (syscall.h) it keeps every register but r11,
 * so it saves the C ABI's caller-saved ones around unimpl_note(nr, return address, rcx): the return
 * address into the door's DISPATCH tells which door called (the syscall door's rcx is the app's RIP).
 * The 8 pushes and the pad keep RSP 16-byte aligned at the call. */
__asm__(".pushsection .text\n"
	"\t.type nosys_thunk, @function\n"
	"nosys_thunk:\n"
	"\tpushq %rax\n\tpushq %rcx\n\tpushq %rdx\n\tpushq %rsi\n"
	"\tpushq %rdi\n\tpushq %r8\n\tpushq %r9\n\tpushq %r10\n"
	"\tmovq %r11, %rdi\n"   /* the number */
	"\tmovq 64(%rsp), %rsi\n" /* the return address, above the 8 saved registers */
	"\tmovq %rcx, %rdx\n"
	"\tsubq $8, %rsp\n"
	"\tcall unimpl_note\n"
	"\taddq $8, %rsp\n"
	"\tmovq %rax, %r11\n"   /* the result, where DISPATCH takes it */
	"\tpopq %r10\n\tpopq %r9\n\tpopq %r8\n\tpopq %rdi\n"
	"\tpopq %rsi\n\tpopq %rdx\n\tpopq %rcx\n\tpopq %rax\n"
	"\tret\n"
	"\t.size nosys_thunk, . - nosys_thunk\n"
	"\t.popsection");

/* The switch's default: the slot is its 7th argument, on the stack above the return address. */
void SYSCALL_ABI nosys_by_slot(void);
__asm__(".pushsection .text\n\t.type nosys_by_slot, @function\nnosys_by_slot:\n"
	"\tmovq 8(%rsp), %r11\n\tjmp nosys_thunk\n\t.size nosys_by_slot, . - nosys_by_slot\n\t.popsection");

/* The EV_SWITCH variants' dispatch (Linux's x64_sys_call, against Branch History Injection): a switch with
 * a direct jump per number, compiled without jump tables (Makefile), so no indirect branch is left to
 * steer. slot is DISPATCH's clamped number. Each case is a guaranteed tail call (musttail), so the
 * handler returns straight to DISPATCH with its result in r11 (kernel/syscall.h) and nothing of this
 * function runs after it. musttail wants the caller's own type, so each handler is called as one: it
 * reads only its own argument registers, which the System V ABI allows, as the table's calls from
 * DISPATCH rely on too. (a3 is whatever rcx held: a handler of four arguments or more takes the 4th
 * from r10 through its thunk, which this jump reaches as DISPATCH's call would.) */
typedef void(SYSCALL_ABI *switch_target)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
#define CASE(nr, name, nargs, handler) \
	case nr:                       \
		__attribute__((musttail)) return ((switch_target)handler)(a0, a1, a2, a3, a4, a5, slot);

void SYSCALL_ABI syscall_switch(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
				uint64_t slot)
{
	switch (slot) {
		SYSCALL_LIST(CASE)
	default: /* a number without a handler: reported if it is Linux's (nosys_thunk), -ENOSYS */
		__attribute__((musttail)) return ((switch_target)nosys_by_slot)(a0, a1, a2, a3, a4, a5, slot);
	}
}

/* How often each slot was called (the last: numbers out of range), beside the table; rb_counters reads
 * them. One CPU, interrupts off in every door: a plain increment is exact. */
uint64_t syscall_counts[NR_SYSCALLS + 1];
