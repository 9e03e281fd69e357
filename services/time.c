/*
 * time.c: the clocks and sleeping, as Linux's calls ask for them. Every clock counts the calibrated TSC
 * (kernel/tsc.c): the monotonic ones from boot, CLOCK_REALTIME from the firmware's time at boot
 * (bootinfo), the CPU-time ones as the monotonic (the one process never waits for another). A sleep
 * spins on the TSC until its deadline has passed: never shorter than asked. Without a calibrated TSC
 * the clocks are EINVAL. Reached from the doors through the table.
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "../lib/timepage.h"

#define NS_PER_US 1000ll

/* The kernel's copy of the app's time page: the clocks are read through it with the vDSO's arithmetic
 * (lib/timepage.h), so that the two agree to the nanosecond. */
static struct rb_time_page clock_page;

/* The kernel's copy and the app's page (its frame, written through the physical map: read-only to the app). */
void clocks_init(struct rb_time_page *user_page)
{
	time_page_fill(&clock_page);
	*user_page = clock_page;
}

/* The clock's reading in nanoseconds, or -1 for a clock ringbench does not know. The CPU-time clocks are
 * the monotonic one: the one process never waits for another. */
static int64_t clock_ns(uint64_t clock)
{
	if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID)
		clock = CLOCK_MONOTONIC;
	return rb_page_clock_ns(&clock_page, clock, rdtsc());
}

uint64_t fs_now(void) { return tsc_hz ? (uint64_t)(clock_ns(CLOCK_REALTIME) / NS_PER_S) : 0; }

static long put_timespec(uint64_t uts, int64_t ns)
{
	struct timespec ts = { ns / NS_PER_S, ns % NS_PER_S };
	return copy_to_user(uts, &ts, sizeof(ts));
}

SYSCALL2(clock_gettime, clock, uts)
{
	int64_t ns = tsc_hz ? clock_ns(clock) : -1;
	return ns < 0 ? -EINVAL : put_timespec(uts, ns);
}

SYSCALL2(clock_getres, clock, ures)
{
	if (clock_ns(clock) < 0)
		return -EINVAL;
	return ures ? put_timespec(ures, 1) : 0; /* the TSC ticks far finer than a nanosecond's count */
}

/* gettimeofday and time, for their calls and for the vsyscall page's emulation (vsyscall.c) */
long clock_gettimeofday(uint64_t utv, uint64_t utz)
{
	int64_t ns = tsc_hz ? clock_ns(CLOCK_REALTIME) : -1;
	if (ns < 0)
		return -EINVAL;
	struct linux_timeval tv = { ns / NS_PER_S, ns % NS_PER_S / NS_PER_US };
	uint32_t tz[2] = { 0, 0 }; /* struct timezone: UTC, no daylight saving */
	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	return utz ? copy_to_user(utz, tz, sizeof(tz)) : 0;
}

long clock_time(uint64_t ut)
{
	int64_t s = (tsc_hz ? clock_ns(CLOCK_REALTIME) : 0) / NS_PER_S;
	return ut && copy_to_user(ut, &s, sizeof(s)) ? -EFAULT : s;
}

SYSCALL2(gettimeofday, utv, utz) { return clock_gettimeofday(utv, utz); }
SYSCALL1(time, ut) { return clock_time(ut); }

/* Spin until the clock reads at least deadline. */
static void sleep_until(uint64_t clock, int64_t deadline)
{
	while (clock_ns(clock) < deadline)
		__asm__ volatile("pause");
}

static long sleep_on(uint64_t clock, uint64_t flags, uint64_t ureq)
{
	struct timespec req;
	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= NS_PER_S || !tsc_hz)
		return -EINVAL;
	int64_t want = req.tv_sec > INT64_MAX / NS_PER_S - 1 ? INT64_MAX : req.tv_sec * NS_PER_S + req.tv_nsec;
	int64_t now = clock_ns(clock);
	sleep_until(clock, flags & TIMER_ABSTIME ? want : (now > INT64_MAX - want ? INT64_MAX : now + want));
	return 0;
}

SYSCALL2(nanosleep, ureq, urem) { return sleep_on(CLOCK_MONOTONIC, 0, ureq); }

SYSCALL4(clock_nanosleep, clock, flags, ureq, urem)
{
	if (clock == CLOCK_THREAD_CPUTIME_ID || clock_ns(clock) < 0 || (flags & ~(uint64_t)TIMER_ABSTIME))
		return -EINVAL;
	return sleep_on(clock, flags, ureq);
}
