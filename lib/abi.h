/*
 * abi.h: the user-visible types and constants of the syscall ABI, as a ring-3 program sees them (the
 * same layout and values as Linux x86-64). Shared by the kernel and the app.
 */
#ifndef RINGBENCH_ABI_H
#define RINGBENCH_ABI_H

#define CLOCK_MONOTONIC     1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_BOOTTIME      7
/* rb_doors() bits: which doors this CPU and kernel serve. */
#define RB_DOOR_SYSCALL     0x1
#define RB_DOOR_INT80       0x2
#define RB_DOOR_SYSENTER    0x4

/* rb_audit() modes. ON keeps the oldest records when the ring is full and counts the newer calls as
 * dropped; OVERWRITE keeps the newest (a flight recorder) and counts the overwritten records as dropped. */
#define RB_AUDIT_OFF        0
#define RB_AUDIT_ON         1
#define RB_AUDIT_OVERWRITE  2
#define RB_AUDIT_RING       256 /* records the kernel keeps */

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

#ifndef __ASSEMBLER__ /* the entry stubs use the constants above */
#include <stdint.h>


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

/* One audited call, as rb_audit_read() copies it out: a cache line. seq numbers every call made while
 * auditing was on, the dropped ones too, so a gap in seq is a dropped call. */
struct rb_audit_record {
	uint64_t seq;
	uint64_t tsc;      /* RDTSC as the handler was entered */
	uint32_t door;     /* the RB_DOOR_* bit it came through */
	uint32_t reserved;
	uint64_t nr;       /* the number as the app passed it, all 64 bits (out of range ones too) */
	uint64_t args[3];  /* arguments 0-2 */
	int64_t ret;       /* what the call returned to the app */
};
_Static_assert(sizeof(struct rb_audit_record) == 64, "one record per cache line");
#endif /* __ASSEMBLER__ */
#endif
