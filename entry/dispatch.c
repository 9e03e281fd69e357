/*
 * dispatch.c: THE dispatch table, built from build/gen/syscall_list.h (generated from entry/syscall.tbl).
 * Every door indexes it from assembly with the DISPATCH macro of entry/regs.h, calling the handler with
 * the C ABI's argument registers in the handlers' convention (kernel/syscall.h). One slot past the last number holds sys_ni_syscall: DISPATCH clamps
 * every other number (gaps, negative, huge) to it without a branch the CPU could speculate past.
 */
#include "../kernel/defs.h"
#include "../kernel/syscall.h"
#include "../lib/errno.h"
#include "syscall_nr.h"

SYSCALL0(ni_syscall) { return -ENOSYS; }

/* The result of the last handler, which DISPATCH loads into rax (kernel/syscall.h says why not rax
 * itself). One CPU, interrupts off in every door: nothing else writes it between the two. */
long syscall_result;

/* Called from assembly only, so the entries' differing prototypes never meet a C call. */
typedef void(SYSCALL_ABI *syscall_entry)(void);
#define SLOT(nr, name, nargs, handler) [nr] = (syscall_entry)handler,

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
const syscall_entry syscall_table[NR_SYSCALLS + 1] = {
	[0 ... NR_SYSCALLS] = (syscall_entry)sys_ni_syscall, /* gaps, and the clamp slot NR_SYSCALLS */
	SYSCALL_LIST(SLOT)
};
#pragma clang diagnostic pop

/* The EV_SWITCH variants' dispatch (Linux's x64_sys_call, against Branch History Injection): a switch with
 * a direct call per number, compiled without jump tables (Makefile), so no indirect branch is left to
 * steer. slot is DISPATCH's clamped number. */
#define CALL_0(h) h()
#define CALL_1(h) h(a0)
#define CALL_2(h) h(a0, a1)
#define CALL_3(h) h(a0, a1, a2)
#define CALL_4(h) h(a0, a1, a2, a3)
#define CALL_5(h) h(a0, a1, a2, a3, a4)
#define CALL_6(h) h(a0, a1, a2, a3, a4, a5)
#define CASE(nr, name, nargs, handler) \
	case nr:                       \
		CALL_##nargs(handler); \
		return;

void SYSCALL_ABI syscall_switch(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
				uint64_t slot)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	switch (slot) {
		SYSCALL_LIST(CASE)
	default:
		sys_ni_syscall();
	}
}

/* How often each slot was called (the last: numbers out of range), beside the table; rb_counters reads
 * them. One CPU, interrupts off in every door: a plain increment is exact. */
uint64_t syscall_counts[NR_SYSCALLS + 1];
