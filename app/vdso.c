/*
 * vdso.c: the clocks without entering the kernel, through the vDSO the kernel maps into every app (vdso/,
 * found through AT_SYSINFO_EHDR), its functions looked up by name and version with the same parser the
 * host tests use (lib/vdso_sym.c), as glibc and musl find them. The vDSO itself falls back to the syscall
 * when the time page says the TSC may not be used (no invariant TSC, unless the configuration says
 * vdso = on); without a vDSO, these call the syscall. The time page (AT_RB_TIME_PAGE, the vDSO's data) is
 * kept for the self-tests that look at it.
 */
#include "app.h"
#include "../lib/vdso_sym.h"

const struct rb_time_page *time_page; /* set by app_start from AT_RB_TIME_PAGE, or 0 */
const void *vdso_base;                /* set by app_start from AT_SYSINFO_EHDR, or 0 */

#define VDSO_VERSION "LINUX_2.6"

/* The vDSO's function of that name, or 0. */
static uint64_t vdso_fn(const char *name) { return vdso_base ? vdso_sym(vdso_base, name, VDSO_VERSION) : 0; }

long vdso_clock_gettime(long clock, long uts)
{
	static int (*fn)(long, long);
	if (!fn && !(fn = (int (*)(long, long))vdso_fn("__vdso_clock_gettime")))
		return syscall_clock_gettime(clock, uts);
	return fn(clock, uts);
}

long vdso_gettimeofday(long utv, long utz)
{
	static int (*fn)(long, long);
	if (!fn && !(fn = (int (*)(long, long))vdso_fn("__vdso_gettimeofday")))
		return syscall_gettimeofday(utv, utz);
	return fn(utv, utz);
}

long vdso_time(long ut)
{
	static long (*fn)(long);
	if (!fn && !(fn = (long (*)(long))vdso_fn("__vdso_time")))
		return syscall_time(ut);
	return fn(ut);
}

long vdso_getcpu(long ucpu, long unode)
{
	static long (*fn)(long, long, long);
	if (!fn && !(fn = (long (*)(long, long, long))vdso_fn("__vdso_getcpu")))
		return syscall_getcpu(ucpu, unode, 0);
	return fn(ucpu, unode, 0);
}

/* The vDSO is there, at its documented address, with every function Linux's exports under LINUX_2.6. */
int vdso_exports_linux_set(char *detail)
{
	static const char *const names[] = { "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
					     "__vdso_clock_getres", "__vdso_getcpu", "clock_gettime", "gettimeofday",
					     "time", "clock_getres", "getcpu" };
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!vdso_fn(names[i])) {
			fmt_snprintf(detail, DETAIL_MAX, "vDSO at %p: no %s@%s", vdso_base, names[i], VDSO_VERSION);
			return 0;
		}
	fmt_snprintf(detail, DETAIL_MAX, "vDSO at %p: all ten functions found under %s", vdso_base, VDSO_VERSION);
	return (uint64_t)vdso_base == USER_VDSO;
}

static int64_t ns_of(const struct timespec *t) { return t->tv_sec * 1000000000 + t->tv_nsec; }

/* The page is there, read-only at its documented address, and says whether it may be used. */
int time_page_present(char *detail)
{
	fmt_snprintf(detail, DETAIL_MAX, "time page at %p, usable %u", (void *)time_page, time_page ? time_page->usable : 0);
	return time_page && (uint64_t)time_page == USER_TIME_PAGE;
}

/* A test's skip: the page says it is not usable. */
static int page_unusable(char *detail)
{
	if (time_page && time_page->usable)
		return 0;
	fmt_snprintf(detail, DETAIL_MAX, "skipped: the time page says it is not usable (no invariant TSC)");
	return 1;
}

/* vDSO, syscall, vDSO: the same arithmetic on the same counter, so the three must not go backwards. */
int vdso_agrees_with_syscall(char *detail)
{
	struct timespec a, b, c;
	if (page_unusable(detail))
		return -1;
	vdso_clock_gettime(CLOCK_MONOTONIC, (long)&a);
	syscall_clock_gettime(CLOCK_MONOTONIC, (long)&b);
	vdso_clock_gettime(CLOCK_MONOTONIC, (long)&c);
	fmt_snprintf(detail, DETAIL_MAX, "vdso %ld, syscall %ld, vdso %ld ns", (long)ns_of(&a), (long)ns_of(&b),
		     (long)ns_of(&c));
	return ns_of(&a) <= ns_of(&b) && ns_of(&b) <= ns_of(&c) && ns_of(&c) - ns_of(&a) < 1000000000;
}

int vdso_monotonic(char *detail)
{
	struct timespec t;
	int64_t last = -1, reads = 100000;
	if (page_unusable(detail))
		return -1;
	for (int64_t i = 0; i < reads; i++) { /* vDSO and syscall in turn: each monotonic, and never apart */
		if (i & 1)
			syscall_clock_gettime(CLOCK_MONOTONIC, (long)&t);
		else
			vdso_clock_gettime(CLOCK_MONOTONIC, (long)&t);
		if (ns_of(&t) < last) {
			fmt_snprintf(detail, DETAIL_MAX, "read %ld went back from %ld to %ld ns", (long)i, (long)last, (long)ns_of(&t));
			return 0;
		}
		last = ns_of(&t);
	}
	fmt_snprintf(detail, DETAIL_MAX, "%ld reads, vDSO and syscall in turn, never backwards", (long)reads);
	return 1;
}
