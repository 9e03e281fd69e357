/*
 * abi.h: the user-visible types and constants of the syscall ABI, as a ring-3 program sees them (the
 * same layout and values as Linux x86-64). Shared by the kernel and the app.
 */
#ifndef RINGBENCH_ABI_H
#define RINGBENCH_ABI_H

/* A number inside the table that no call has, Linux's or ringbench's: it must return -ENOSYS like one
 * past the end (the app's self-tests, audit and fuzzer call it). */
#define RB_NR_UNUSED        500

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

/* The entry variants an app can switch the doors to (rb_entry) and a configuration can boot with
 * (entry = name): X(ID, name). Each is a set of entry stubs (entry/variants.h); the defences are those of
 * the mitigation lab, alone, "linux" the combination Linux would choose on this CPU, and "noswapgs" the
 * syscall door without SWAPGS (what SWAPGS costs). */
#define RB_ENTRY_LIST(X)            \
	X(RB_ENTRY_PLAIN, plain)         \
	X(RB_ENTRY_AUDIT, audit)         \
	X(RB_ENTRY_LFENCE, lfence)       \
	X(RB_ENTRY_KPTI, kpti)           \
	X(RB_ENTRY_KPTI_PCID, kpti_pcid) \
	X(RB_ENTRY_VERW, verw)           \
	X(RB_ENTRY_IBRS, ibrs)           \
	X(RB_ENTRY_IBPB, ibpb)           \
	X(RB_ENTRY_RSB, rsb)             \
	X(RB_ENTRY_RETPOLINE, retpoline) \
	X(RB_ENTRY_SWITCH, switch)       \
	X(RB_ENTRY_NOMASK, nomask)       \
	X(RB_ENTRY_LINUX, linux)         \
	X(RB_ENTRY_NOSWAPGS, noswapgs)
#define RB_ENTRY_PLAIN      0
#define RB_ENTRY_AUDIT      1
#define RB_ENTRY_LFENCE     2
#define RB_ENTRY_KPTI       3
#define RB_ENTRY_KPTI_PCID  4
#define RB_ENTRY_VERW       5
#define RB_ENTRY_IBRS       6
#define RB_ENTRY_IBPB       7
#define RB_ENTRY_RSB        8
#define RB_ENTRY_RETPOLINE  9
#define RB_ENTRY_SWITCH     10
#define RB_ENTRY_NOMASK     11
#define RB_ENTRY_LINUX      12
#define RB_ENTRY_NOSWAPGS   13
#define RB_ENTRY_COUNT      14
/* rb_entry(id | RB_ENTRY_STAMPED): the variant's twin that reads the TSC at the entry's first and the
 * exit's last instruction (EV_STAMP); rb_stamps(buf) hands over the two readings {entry, exit} of the last
 * call that left through a stamped exit. */
#define RB_ENTRY_STAMPED    0x100

/* rb_events(mode): how events reach the kernel (kernel/fred.c): the IDT and the legacy doors, FRED
 * (entry/fred.S), or FRED with a SYSCALL returning at once (the bare FRED round trip; INT 0x80 still
 * reaches the kernel, to switch back). The configuration's events = fred starts with FRED. */
#define RB_EVENTS_IDT       0
#define RB_EVENTS_FRED      1
#define RB_EVENTS_FRED_BARE 2

#define STDOUT_FILENO       1
#define STDERR_FILENO       2

/* ringbench's own auxv key, after Linux's (lib/linux.h): the time page's address (Linux ignores it) */
#define AT_RB_TIME_PAGE 0x5242

#ifndef __ASSEMBLER__ /* the entry stubs use the constants above */
#include <stdint.h>
#include "linux.h"
#include "linux_signal.h"


/* rb_pmu(buf): the CPU's counters as the benchmark reads them (lib/pmu.h, kernel/pmu.c): present's bit
 * PMU_INSTRUCTIONS, PMU_CORE_CYCLES, PMU_REF_CYCLES set for each that counts, in rings 0 and 3, and that
 * RDPMC in ring 3 reads with ECX = rdpmc[that bit]; none: why says why not. */
struct rb_pmu {
	uint32_t present, width;  /* width: the counters' bits (a difference wraps there) */
	uint32_t rdpmc[3];
	char why[108];
};

/* The time page: one read-only user page the kernel fills, the data page of the vDSO (vdso/vdso.c), from
 * which the vDSO, or any app, turns RDTSC into the clocks without entering the kernel, with the kernel's
 * own arithmetic (lib/timepage.h). seq is odd while the kernel writes: read it, the fields, and it again,
 * and retry unless both reads are the same even number. usable = 0: enter the kernel instead. */
struct rb_time_page {
	uint32_t seq, usable;
	uint64_t tsc_base, mult;    /* ns since boot = ((rdtsc - tsc_base) * mult) >> shift */
	uint32_t shift, reserved;
	int64_t realtime_s;         /* CLOCK_REALTIME at tsc_base, in seconds since 1970 (0: unknown) */
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

/* The name of an RB_ENTRY_* variant (as the configuration's entry key and the reports spell it), or NULL. */
static inline const char *rb_entry_name(unsigned id)
{
#define RB_ENTRY_NAME(id, name) [id] = #name,
	static const char *const names[RB_ENTRY_COUNT] = { RB_ENTRY_LIST(RB_ENTRY_NAME) };
#undef RB_ENTRY_NAME
	return id < RB_ENTRY_COUNT ? names[id] : 0;
}
#endif /* __ASSEMBLER__ */
#endif
