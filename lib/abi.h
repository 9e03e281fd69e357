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

struct timespec {
	int64_t tv_sec, tv_nsec;
};
_Static_assert(sizeof(struct timespec) == 16, "struct timespec as in Linux x86-64");
#endif
