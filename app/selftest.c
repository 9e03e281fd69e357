/*
 * selftest.c: the app's self-tests, one {fn, name} row per behaviour of the syscall ABI (xv6's usertests
 * style), the door tests of doors.c among them. Each prints one "test" JSON line; run_selftests returns
 * the number that failed.
 */
#include "app.h"
#include "../lib/errno.h"
#include "../lib/linux.h"
#include "../lib/x86.h"
#include "../lib/memlayout.h"


static int cpl(char *detail)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	fmt_snprintf(detail, DETAIL_MAX, "cs=0x%x cpl=%d", cs, cs & 3);
	return (cs & 3) == 3;
}

static int write_stdout(char *detail)
{
	static const char msg[] = "write: hello through the syscall door\n";
	long r = syscall_write(STDOUT_FILENO, (long)msg, sizeof(msg) - 1);
	fmt_snprintf(detail, DETAIL_MAX, "returned %ld of %zu", r, sizeof(msg) - 1);
	return r == (long)sizeof(msg) - 1;
}

static int write_bad_fd(char *detail)
{
	long r = syscall_write(7, (long)"x", 1);
	fmt_snprintf(detail, DETAIL_MAX, "fd 7 returned %ld", r);
	return r == -EBADF;
}

static int write_bad_pointers(char *detail)
{
	long null = syscall_write(STDOUT_FILENO, 0, 8);
	long kern = syscall_write(STDOUT_FILENO, (long)KERNEL_VBASE, 8);
	long wrap = syscall_write(STDOUT_FILENO, (long)USER_STACK_TOP - 8, -1L);
	fmt_snprintf(detail, DETAIL_MAX, "null %ld, kernel %ld, wrapping %ld", null, kern, wrap);
	return null == -EFAULT && kern == -EFAULT && wrap == -EFAULT;
}

static int getpid_returns(char *detail)
{
	long pid = syscall_getpid();
	fmt_snprintf(detail, DETAIL_MAX, "pid %ld", pid);
	return pid == 1;
}

static int enosys(char *detail)
{
	long unknown = syscall_raw(RB_NR_UNUSED, 0, 0, 0, 0, 0, 0);
	long negative = syscall_raw(-1, 0, 0, 0, 0, 0, 0);
	long huge = syscall_raw((long)(1ull << 63), 0, 0, 0, 0, 0, 0);
	long above32 = syscall_raw((1L << 32) + SYS_getpid, 0, 0, 0, 0, 0, 0);
	fmt_snprintf(detail, DETAIL_MAX, "%d %ld, -1 %ld, 2^63 %ld, 2^32+39 %ld", RB_NR_UNUSED, unknown, negative, huge,
		     above32);
	return unknown == -ENOSYS && negative == -ENOSYS && huge == -ENOSYS && above32 == -ENOSYS;
}

static int clock_monotonic(char *detail)
{
	struct timespec a, b;
	long ra = syscall_clock_gettime(CLOCK_MONOTONIC, (long)&a);
	for (volatile int spin = 0; spin < 100000; spin++)
		;
	long rb = syscall_clock_gettime(CLOCK_MONOTONIC, (long)&b);
	int64_t na = a.tv_sec * 1000000000 + a.tv_nsec, nb = b.tv_sec * 1000000000 + b.tv_nsec;
	fmt_snprintf(detail, DETAIL_MAX, "%ld.%09ld then %ld.%09ld", (long)a.tv_sec, (long)a.tv_nsec, (long)b.tv_sec,
		     (long)b.tv_nsec);
	return !ra && !rb && a.tv_nsec < 1000000000 && nb > na;
}

static int clock_bad_args(char *detail)
{
	struct timespec ts;
	long bad_clock = syscall_clock_gettime(99, (long)&ts);
	long bad_ptr = syscall_clock_gettime(CLOCK_MONOTONIC, (long)KERNEL_VBASE);
	long ro_ptr = syscall_clock_gettime(CLOCK_MONOTONIC, (long)&cpl); /* text: read-only */
	fmt_snprintf(detail, DETAIL_MAX, "clock 99 %ld, kernel pointer %ld, read-only pointer %ld", bad_clock,
		     bad_ptr, ro_ptr);
	return bad_clock == -EINVAL && bad_ptr == -EFAULT && ro_ptr == -EFAULT;
}

/* One test line for machines (ok < 0: skipped); the self-tests and the benchmark's own checks print them. */
void json_test(const char *name, int ok, const char *detail)
{
	char esc[2 * DETAIL_MAX];
	json_escape(esc, sizeof(esc), detail);
	printf("{\"type\":\"test\",\"name\":\"%s\",\"ok\":%s,%s\"detail\":\"%s\"}\n", name, ok ? "true" : "false",
	       ok < 0 ? "\"skipped\":true," : "", esc);
}

/* The memory calls leave alone what is not the app's: the time page, the stack's guard page, the kernel;
 * and an absurd size is ENOMEM at once. */
static int memory_calls_refuse_what_is_not_the_apps(char *detail)
{
	const long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	long time_page = syscall_raw(SYS_munmap, (long)USER_TIME_PAGE, PAGE_SIZE, 0, 0, 0, 0);
	long guard = syscall_raw(SYS_mprotect, (long)USER_STACK_GUARD, PAGE_SIZE, PROT_READ, 0, 0, 0);
	long over_guard = syscall_raw(SYS_mmap, (long)USER_STACK_GUARD, PAGE_SIZE, PROT_READ, anon | MAP_FIXED, -1, 0);
	long kernel = syscall_raw(SYS_munmap, (long)KERNEL_VBASE, PAGE_SIZE, 0, 0, 0, 0);
	long huge = syscall_raw(SYS_mmap, 0, 1L << 46, PROT_READ | PROT_WRITE, anon, -1, 0);
	uint32_t seq = *(volatile const uint32_t *)USER_TIME_PAGE; /* still mapped, or this read kills the app */
	fmt_snprintf(detail, DETAIL_MAX, "time page %ld (seq %u after), guard %ld, over the guard %ld, kernel %ld, "
		     "2^46 bytes %ld", time_page, seq, guard, over_guard, kernel, huge);
	return time_page == -EINVAL && guard == -EINVAL && over_guard == -EINVAL && kernel == -EINVAL && huge == -ENOMEM;
}

static const struct test {
	int (*fn)(char *detail);
	const char *name;
} tests[] = {
	{ cpl, "cpl_is_3" },
	{ write_stdout, "write_stdout" },
	{ write_bad_fd, "write_bad_fd" },
	{ write_bad_pointers, "write_bad_pointers" },
	{ getpid_returns, "getpid" },
	{ enosys, "enosys_out_of_range" },
	{ clock_monotonic, "clock_gettime_monotonic" },
	{ clock_bad_args, "clock_gettime_bad_args" },
	{ time_page_present, "time_page_present" },
	{ vdso_exports_linux_set, "vdso_exports_linux_set" },
	{ vdso_agrees_with_syscall, "vdso_agrees_with_syscall" },
	{ vdso_monotonic, "vdso_monotonic" },
	{ doors_detected, "doors_detected" },
	{ same_result_every_door, "same_result_every_door" },
	{ counters_match_calls, "counters_match_calls" },
	{ registers_syscall, "registers_syscall" },
	{ registers_int80, "registers_int80" },
	{ registers_sysenter, "registers_sysenter" },
	{ tls_bases_survive_every_door, "tls_bases_survive_every_door" },
	{ memory_calls_refuse_what_is_not_the_apps, "memory_calls_refuse_what_is_not_the_apps" },
	{ audit_records_calls, "audit_records_calls" },
	{ audit_ring_full_drops, "audit_ring_full_drops" },
	{ audit_bad_buffer_keeps_records, "audit_bad_buffer_keeps_records" },
	{ registers_audited, "registers_audited" },
};

int run_selftests(void)
{
	int failed = 0, skipped = 0, n = sizeof(tests) / sizeof(tests[0]);
	for (int i = 0; i < n; i++) {
		char detail[DETAIL_MAX] = "";
		int ok = tests[i].fn(detail); /* 1 passed, 0 failed, -1 skipped */
		failed += !ok;
		skipped += ok < 0;
		printf("%-28s %s  %s\n", tests[i].name, ok > 0 ? "ok  " : ok ? "skip" : "FAIL", detail);
		json_test(tests[i].name, ok, detail);
	}
	printf("selftest: %d passed, %d failed, %d skipped\n", n - failed - skipped, failed, skipped);
	return failed;
}
