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

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
const syscall_entry syscall_table[NR_SYSCALLS + 1] = {
	[0 ... NR_SYSCALLS] = (syscall_entry)sys_ni_syscall, /* gaps, and the clamp slot NR_SYSCALLS */
	SYSCALL_LIST(SLOT)
};
#pragma clang diagnostic pop

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
	default:
		__attribute__((musttail)) return ((switch_target)sys_ni_syscall)(a0, a1, a2, a3, a4, a5, slot);
	}
}

/* How often each slot was called (the last: numbers out of range), beside the table; rb_counters reads
 * them. One CPU, interrupts off in every door: a plain increment is exact. */
uint64_t syscall_counts[NR_SYSCALLS + 1];
