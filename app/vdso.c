/*
 * vdso.c: clock_gettime without entering the kernel, from the time page the kernel maps read-only into
 * every app (lib/abi.h: struct rb_time_page, found through the auxiliary vector). Falls back to the
 * syscall when the page says it is not usable (no invariant TSC, unless the configuration says vdso = on)
 * or for clocks it does not serve.
 */
#include "app.h"

const struct rb_time_page *time_page; /* set by app_start from AT_RB_TIME_PAGE, or 0 */

static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

long vdso_clock_gettime(long clock, long uts)
{
	const volatile struct rb_time_page *p = time_page;
	if (!p || !p->usable || !rb_clock_served((uint64_t)clock))
		return syscall_clock_gettime(clock, uts);
	uint32_t seq;
	uint64_t ns;
	do { /* a consistent snapshot: the same even seq before and after */
		seq = p->seq;
		__asm__ volatile("" ::: "memory");
		ns = (uint64_t)(((unsigned __int128)(rdtsc_ordered() - p->tsc_base) * p->mult) >> p->shift);
		__asm__ volatile("" ::: "memory");
	} while ((seq & 1) || seq != p->seq);
	struct timespec *ts = (struct timespec *)uts;
	ts->tv_sec = (int64_t)(ns / 1000000000);
	ts->tv_nsec = (int64_t)(ns % 1000000000);
	return 0;
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
