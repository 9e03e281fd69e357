/*
 * abi.h: the user-visible types and constants of the syscall ABI, as a ring-3 program sees them (the
 * same layout and values as Linux x86-64). Shared by the kernel and the app.
 */
#ifndef RINGBENCH_ABI_H
#define RINGBENCH_ABI_H
#include <stdint.h>

#define CLOCK_MONOTONIC     1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_BOOTTIME      7
/* rb_doors() bits: which doors this CPU and kernel serve. */
#define RB_DOOR_SYSCALL     0x1
#define RB_DOOR_INT80       0x2
#define RB_DOOR_SYSENTER    0x4

#define STDOUT_FILENO       1
#define STDERR_FILENO       2

/* Auxiliary-vector keys the kernel puts after envp (System V x86-64 ABI, section 3.4.3). */
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_RANDOM 25 /* 16 bytes; ringbench fills them from the TSC: not secret */

#define AT_RB_TIME_PAGE 0x5242 /* ringbench's own auxv key: the time page's address (Linux ignores it) */

/* The time page: one read-only user page the kernel fills, from which an app turns RDTSC into
 * CLOCK_MONOTONIC without entering the kernel: ns = ((rdtsc - tsc_base) * mult) >> shift, the same
 * arithmetic as the kernel's. seq is odd while the kernel writes: read it, the fields, and it again,
 * and retry unless both reads are the same even number. usable = 0: use clock_gettime instead. */
struct rb_time_page {
	uint32_t seq, usable;
	uint64_t tsc_base, mult;
	uint32_t shift, reserved;
};

struct timespec {
	int64_t tv_sec, tv_nsec;
};
_Static_assert(sizeof(struct timespec) == 16, "struct timespec as in Linux x86-64");
#endif
