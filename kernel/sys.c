/*
 * sys.c: the system calls that belong to no family of their own: write, getpid, exit, clock_gettime and
 * ringbench's own probes. A family's calls live with it (kernel/audit.c: rb_audit, rb_audit_read;
 * kernel/defences.c: rb_entry, rb_entry_why); entry/syscall.tbl names each handler. Reached only through
 * the DISPATCH macro (entry/dispatch.h) of every door. Arguments arrive as raw 64-bit words; user
 * pointers go through usercopy.c and nowhere else.
 */
#include "defs.h"
#include "../entry/syscall.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "syscall_nr.h"

#define WRITE_CHUNK 256
#define RINGBENCH_PID 1 /* the one process */

SYSCALL3(write, fd, ubuf, len)
{
	char chunk[WRITE_CHUNK];
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
		return -EBADF;
	if (!user_mapped(ubuf, len, false))
		return -EFAULT; /* checked whole first: nothing is written from a bad buffer */
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < WRITE_CHUNK ? len - done : WRITE_CHUNK;
		if (copy_from_user(chunk, ubuf + done, n))
			return -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (long)len;
}

SYSCALL0(getpid) { return RINGBENCH_PID; }

SYSCALL1(exit, status) { app_exit((int)(status & 0xff)); }

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

SYSCALL2(clock_gettime, clock, uts)
{
	if (!rb_clock_served(clock))
		return -EINVAL;
	if (!tsc_hz)
		return -EINVAL; /* no calibrated clock on this machine */
	uint64_t ns = monotonic_ns();
	struct timespec ts = { (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000) };
	return copy_to_user(uts, &ts, sizeof(ts));
}
