/*
 * sys.c: the system calls themselves, sys_<name> for each line of entry/syscall.tbl. Reached only through
 * the DISPATCH macro (entry/regs.h) of every door. Arguments arrive as raw 64-bit words; user pointers go through
 * usercopy.c and nowhere else.
 */
#include "defs.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "syscall_nr.h"

#define WRITE_CHUNK 256
#define RINGBENCH_PID 1 /* the one process */

long sys_write(uint64_t fd, uint64_t ubuf, uint64_t len)
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

long sys_getpid(void) { return RINGBENCH_PID; }

long sys_exit(uint64_t status) { app_exit((int)(status & 0xff)); }

long sys_rb_doors(void) { return RB_DOOR_SYSCALL | RB_DOOR_INT80 | (cpu.sysenter ? RB_DOOR_SYSENTER : 0); }

/* The RFLAGS a handler runs with, whatever the app set: a test that each door cleans them. */
long sys_rb_kflags(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return (long)flags;
}

/* Make exactly the doors in mask (RB_DOOR_* bits) bare, the others real. A bare door returns at once, so
 * this call must come through a door that stays real. */
long sys_rb_bare(uint64_t mask)
{
	if (mask & ~(uint64_t)(RB_DOOR_SYSCALL | RB_DOOR_INT80 | RB_DOOR_SYSENTER))
		return -EINVAL;
	if ((mask & RB_DOOR_SYSENTER) && !cpu.sysenter)
		return -EINVAL;
	doors_set_bare(mask);
	return 0;
}

long sys_rb_tsc_hz(void) { return (long)tsc_hz; }

long sys_rb_kfaults(void) { return (long)kernel_faults; }

/* Copy up to n of the per-slot call counters (entry/dispatch.c) to ubuf; returns how many. */
long sys_rb_counters(uint64_t ubuf, uint64_t n)
{
	extern uint64_t syscall_counts[NR_SYSCALLS + 1];
	n = n < NR_SYSCALLS + 1 ? n : NR_SYSCALLS + 1;
	return copy_to_user(ubuf, syscall_counts, n * sizeof(uint64_t)) ?: (long)n;
}

long sys_clock_gettime(uint64_t clock, uint64_t uts)
{
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_MONOTONIC_RAW && clock != CLOCK_BOOTTIME)
		return -EINVAL;
	if (!tsc_hz)
		return -EINVAL; /* no calibrated clock on this machine */
	uint64_t ns = monotonic_ns();
	struct timespec ts = { (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000) };
	return copy_to_user(uts, &ts, sizeof(ts));
}
