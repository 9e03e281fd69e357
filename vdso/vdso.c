/*
 * vdso.c: the vDSO, the small ELF shared object the kernel maps into the app (services/exec.c) and names
 * in the auxiliary vector (AT_SYSINFO_EHDR), whose functions glibc and musl call instead of entering the
 * kernel: Linux's x86-64 set, under the version LINUX_2.6 (vdso.ver). The clocks come from the time page
 * the kernel maps just below it (vvar_page, placed by vdso.lds), with the kernel's own arithmetic
 * (lib/timepage.h); when the page says the TSC may not be used, or for a clock the page does not serve,
 * each falls back to the real system call through the syscall door, as Linux's does. Built position-
 * independent with no relocations and no libc (Makefile); nothing here writes anything but the caller's
 * buffers.
 */
#include "../lib/timepage.h"
#include "syscall_nr.h"

#define NS_PER_US 1000

extern const volatile struct rb_time_page vvar_page __attribute__((visibility("hidden")));

struct timezone_ {
	int minuteswest, dsttime;
};

static long fallback(long nr, long a0, long a1)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1) : "rcx", "r11", "memory");
	return ret;
}

/* A consistent reading of clock: the same even seq before and after. -1: not served here. */
static int64_t read_clock(long clock)
{
	uint32_t seq;
	int64_t ns;
	do {
		seq = vvar_page.seq;
		__asm__ volatile("" ::: "memory");
		ns = rb_page_clock_ns(&vvar_page, (uint64_t)clock, rb_rdtsc_ordered());
		__asm__ volatile("" ::: "memory");
	} while ((seq & 1) || seq != vvar_page.seq);
	return ns;
}

int __vdso_clock_gettime(long clock, struct timespec *ts)
{
	int64_t ns = vvar_page.usable ? read_clock(clock) : -1;
	if (ns < 0)
		return (int)fallback(SYS_clock_gettime, clock, (long)ts);
	ts->tv_sec = ns / NS_PER_S, ts->tv_nsec = ns % NS_PER_S;
	return 0;
}

int __vdso_gettimeofday(struct linux_timeval *tv, struct timezone_ *tz)
{
	if (!vvar_page.usable)
		return (int)fallback(SYS_gettimeofday, (long)tv, (long)tz);
	int64_t ns = read_clock(CLOCK_REALTIME);
	if (tv)
		tv->tv_sec = ns / NS_PER_S, tv->tv_usec = ns % NS_PER_S / NS_PER_US;
	if (tz)
		tz->minuteswest = 0, tz->dsttime = 0; /* UTC */
	return 0;
}

long __vdso_time(long *t)
{
	if (!vvar_page.usable)
		return fallback(SYS_time, (long)t, 0);
	long s = (long)(read_clock(CLOCK_REALTIME) / NS_PER_S);
	if (t)
		*t = s;
	return s;
}

int __vdso_clock_getres(long clock, struct timespec *res)
{
	if (rb_page_clock_ns(&vvar_page, (uint64_t)clock, vvar_page.tsc_base) < 0) /* not a clock served here */
		return (int)fallback(SYS_clock_getres, clock, (long)res);
	if (res)
		res->tv_sec = 0, res->tv_nsec = 1; /* as the kernel's clock_getres says */
	return 0;
}

/* One CPU, one node. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
	(void)cache;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

/* The plain names, as Linux's vDSO exports them too. */
int clock_gettime(long, struct timespec *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct linux_timeval *, struct timezone_ *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
int clock_getres(long, struct timespec *) __attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
