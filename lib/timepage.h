/*
 * timepage.h: the clocks from the time page (struct rb_time_page, lib/abi.h), one arithmetic for the
 * kernel's clock calls (services/time.c) and the vDSO (vdso/vdso.c), so that the two agree to the
 * nanosecond. The kernel reads its own copy of the page, the vDSO the app's read-only one.
 */
#ifndef RINGBENCH_TIMEPAGE_H
#define RINGBENCH_TIMEPAGE_H
#include "abi.h"

#define NS_PER_S 1000000000ll

/* Nanoseconds since boot at TSC value tsc. */
static inline int64_t rb_page_ns(const volatile struct rb_time_page *p, uint64_t tsc)
{
	return (int64_t)(((unsigned __int128)(tsc - p->tsc_base) * p->mult) >> p->shift);
}

/* The clock's reading in nanoseconds, or -1 for a clock the page does not serve: one clock, the TSC
 * since boot, under the monotonic names, and the same from the firmware's time at boot as
 * CLOCK_REALTIME (the CPU-time clocks are the kernel's alone). */
static inline int64_t rb_page_clock_ns(const volatile struct rb_time_page *p, uint64_t clock, uint64_t tsc)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return p->realtime_s * NS_PER_S + rb_page_ns(p, tsc);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return rb_page_ns(p, tsc);
	default:
		return -1;
	}
}

/* RDTSC after every earlier load has completed, so a reading is never older than the seq read before it. */
static inline uint64_t rb_rdtsc_ordered(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}
#endif
