/*
 * sys.c: ringbench's own probes of the machine (the rb_* calls of no family of their own). The other
 * calls live with their family: the audit log's in kernel/audit.c, the mitigation lab's in
 * kernel/defences.c, Linux's in services/ (one file per family); entry/syscall.tbl names each handler.
 * Reached only through the DISPATCH macro (entry/dispatch.h) of every door. Arguments arrive as raw
 * 64-bit words; user pointers go through usercopy.c and nowhere else.
 */
#include "defs.h"
#include "../entry/syscall.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "syscall_nr.h"

SYSCALL0(rb_doors) { return RB_DOOR_SYSCALL | RB_DOOR_INT80 | (cpu.sysenter ? RB_DOOR_SYSENTER : 0); }

/* The RFLAGS a handler runs with, whatever the app set: a test that each door cleans them. */
SYSCALL0(rb_kflags)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return (long)flags;
}

/* Make exactly the doors in mask (RB_DOOR_* bits) bare, the others real. A bare door returns at once, so
 * this call must come through a door that stays real. */
SYSCALL1(rb_bare, mask)
{
	if (mask & ~(uint64_t)(RB_DOOR_SYSCALL | RB_DOOR_INT80 | RB_DOOR_SYSENTER))
		return -EINVAL;
	if ((mask & RB_DOOR_SYSENTER) && !cpu.sysenter)
		return -EINVAL;
	doors_set_bare(mask);
	return 0;
}

SYSCALL0(rb_tsc_hz) { return (long)tsc_hz; }

/* rb_stamps(ubuf): the stamped variants' two TSC readings {entry, exit} (lib/abi.h). The last call's
 * survive this call's entry: its exit moved them to last_in/last_out (entry/stamp.h). */
SYSCALL1(rb_stamps, ubuf)
{
	uint64_t pair[2] = { percpu.last_in, percpu.last_out };
	return copy_to_user(ubuf, pair, sizeof(pair));
}

SYSCALL0(rb_kfaults) { return (long)kernel_faults; }

/* a0 + 2 a1 + 3 a2 + 4 a3 + 5 a4 + 6 a5: with arguments 1 to 6 the largest such sum there is, so any
 * argument that reaches the wrong parameter, or none, lowers it. The one call of six arguments, which
 * checks through every door the thunk that hands a handler its 4th (kernel/syscall.h). */
SYSCALL6(rb_args, a0, a1, a2, a3, a4, a5) { return (long)(a0 + 2 * a1 + 3 * a2 + 4 * a3 + 5 * a4 + 6 * a5); }

/* Copy up to n of the per-slot call counters (entry/dispatch.c) to ubuf; returns how many. */
SYSCALL2(rb_counters, ubuf, n)
{
	extern uint64_t syscall_counts[NR_SYSCALLS + 1];
	n = n < NR_SYSCALLS + 1 ? n : NR_SYSCALLS + 1;
	return copy_to_user(ubuf, syscall_counts, n * sizeof(uint64_t)) ?: (long)n;
}
