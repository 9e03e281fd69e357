/*
 * vdso_use.c: does an unmodified libc program skip the kernel for its clocks? Built with musl-gcc -static
 * and gcc -static (tests/boots_linux.py), it calls clock_gettime, gettimeofday and time 1000 times each
 * and asks ringbench's kernel (rb_counters, a call Linux does not have) how many of each reached it as a
 * system call meanwhile: none when the vDSO's clock is usable, all when it falls back. Each reading must
 * agree with the system call's and never go backwards.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define CALLS 1000
#define RB_COUNTERS 1029 /* ringbench's rb_counters(buf, n) */
#define SLOTS 2048

static uint64_t before[SLOTS], after[SLOTS];

static int64_t ns(const struct timespec *t) { return t->tv_sec * 1000000000ll + t->tv_nsec; }

int main(void)
{
	struct timespec t, raw, last = { 0, 0 };
	struct timeval tv;
	long backwards = 0, apart = 0;
	long n = syscall(RB_COUNTERS, before, SLOTS);
	if (n <= SYS_clock_gettime) {
		printf("not on ringbench (rb_counters: %ld)\n", n);
		return 2;
	}
	for (int i = 0; i < CALLS; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		backwards += ns(&t) < ns(&last);
		last = t;
		gettimeofday(&tv, NULL);
		time(NULL);
	}
	syscall(RB_COUNTERS, after, SLOTS);
	clock_gettime(CLOCK_MONOTONIC, &t);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &raw);
	clock_gettime(CLOCK_MONOTONIC, &last);
	apart = !(ns(&t) <= ns(&raw) && ns(&raw) <= ns(&last));
	printf("clock_gettime syscalls: %llu\n", (unsigned long long)(after[SYS_clock_gettime] - before[SYS_clock_gettime]));
	printf("gettimeofday syscalls: %llu\n", (unsigned long long)(after[SYS_gettimeofday] - before[SYS_gettimeofday]));
	printf("time syscalls: %llu\n", (unsigned long long)(after[SYS_time] - before[SYS_time]));
	printf("backwards: %ld, apart from the syscall's clock: %ld\n", backwards, apart);
	return 0;
}
