/*
 * proc.c: the process's own calls: who it is (getpid and the rest: one process, pid 1, root), its
 * thread-local storage (arch_prctl), what libc's start-up registers (set_tid_address, set_robust_list,
 * rseq), its limits, what machine it runs on (uname) and random bytes. (Its end, exit and exit_group,
 * is exec.c's.)
 * Owns `proc`. Reached from the doors through the table.
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/errno.h"
#include "../lib/string.h"
#include "../lib/x86.h"
#include "version.h"

#define RLIMIT_RESOURCE_MAX 16 /* RLIMIT_CPU .. RLIMIT_RTTIME */
#define RDRAND_TRIES 10        /* Intel's advice: RDRAND may fail transiently; give up after ten */
#define GETRANDOM_CHUNK 256

struct proc proc;

void proc_init(uint64_t brk_start)
{
	uint64_t brk_max = brk_start < USER_STACK_GUARD - PROC_BRK_MAX ? brk_start + PROC_BRK_MAX : USER_STACK_GUARD;
	proc = (struct proc){ .brk_start = brk_start, .brk = brk_start, .brk_max = brk_max, .mmap_top = USER_STACK_GUARD,
			      .umask = 022 };
	for (int i = 0; i < RLIMIT_NLIMITS; i++)
		proc.limits[i] = (struct linux_rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	proc.limits[RLIMIT_STACK] = (struct linux_rlimit){ USER_STACK_SIZE, USER_STACK_SIZE };
	proc.limits[RLIMIT_NOFILE] = (struct linux_rlimit){ FD_MAX, FD_MAX };
}

SYSCALL0(getpid) { return RINGBENCH_PID; }
SYSCALL0(gettid) { return RINGBENCH_PID; }

/* One CPU, one NUMA node: 0 and 0. For the call and the vsyscall page's emulation (vsyscall.c). */
long proc_getcpu(uint64_t ucpu, uint64_t unode)
{
	uint32_t zero = 0;
	if ((ucpu && copy_to_user(ucpu, &zero, sizeof(zero))) || (unode && copy_to_user(unode, &zero, sizeof(zero))))
		return -EFAULT;
	return 0;
}

/* The third argument, a cache, is ignored, as Linux does. */
SYSCALL3(getcpu, ucpu, unode, cache) { (void)cache; return proc_getcpu(ucpu, unode); }
SYSCALL0(getppid) { return RINGBENCH_PPID; }
SYSCALL0(getuid) { return 0; }
SYSCALL0(geteuid) { return 0; }
SYSCALL0(getgid) { return 0; }
SYSCALL0(getegid) { return 0; }
SYSCALL0(sched_yield) { return 0; } /* nothing else to run */

/* The FS base is the app's alone (the kernel never uses FS). The GS base is the app's in MSR_GS_BASE
 * where the door did not swap GS (the sysenter and noswapgs fast paths), else in MSR_KERNEL_GS_BASE
 * until the door swaps back: the per-CPU area's address in MSR_GS_BASE tells which. */
static uint32_t user_gs_msr(void)
{
	return rdmsr(MSR_GS_BASE) == (uint64_t)&percpu ? MSR_KERNEL_GS_BASE : MSR_GS_BASE;
}

SYSCALL2(arch_prctl, code, addr)
{
	switch (code) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (addr >= USER_TOP)
			return -EPERM; /* as Linux: a base must be a user address */
		wrmsr(code == ARCH_SET_FS ? MSR_FS_BASE : user_gs_msr(), addr);
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS: {
		uint64_t base = rdmsr(code == ARCH_GET_FS ? MSR_FS_BASE : user_gs_msr());
		return copy_to_user(addr, &base, sizeof(base));
	}
	default:
		return -EINVAL;
	}
}

/* Kept, and returned as Linux does; with one thread that never exits alone, nothing reads them. */
SYSCALL1(set_tid_address, tidptr)
{
	proc.clear_child_tid = tidptr;
	return RINGBENCH_PID;
}

SYSCALL2(set_robust_list, head, len)
{
	if (len != 3 * sizeof(uint64_t)) /* sizeof(struct robust_list_head) */
		return -EINVAL;
	proc.robust_list = head, proc.robust_len = len;
	return 0;
}

/* Restartable sequences need preemption to mean anything; glibc and musl carry on without them. */
SYSCALL4(rseq, area, len, flags, sig) { return -ENOSYS; }

static long get_limit(uint64_t resource, uint64_t uold)
{
	if (resource >= RLIMIT_NLIMITS)
		return -EINVAL;
	return uold ? copy_to_user(uold, &proc.limits[resource], sizeof(struct linux_rlimit)) : 0;
}

SYSCALL2(getrlimit, resource, uold)
{
	return resource >= RLIMIT_NLIMITS ? -EINVAL : copy_to_user(uold, &proc.limits[resource], sizeof(struct linux_rlimit));
}

/* pid 0 or 1 is this process. A new limit is taken only where it changes nothing ringbench enforces
 * (a soft limit at or under the hard one, neither raised); RLIMIT_NOFILE and RLIMIT_STACK stay. */
SYSCALL4(prlimit64, pid, resource, unew, uold)
{
	struct linux_rlimit want;
	if (pid != 0 && pid != RINGBENCH_PID)
		return -ESRCH;
	if (resource >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (unew && copy_from_user(&want, unew, sizeof(want)))
		return -EFAULT;
	long err = get_limit(resource, uold);
	if (err || !unew)
		return err;
	struct linux_rlimit *have = &proc.limits[resource];
	if (want.cur > want.max)
		return -EINVAL;
	if (want.max > have->max)
		return -EPERM;
	if (resource != RLIMIT_NOFILE && resource != RLIMIT_STACK)
		*have = want;
	return 0;
}

SYSCALL1(uname, ubuf)
{
	struct linux_utsname u;
	memset(&u, 0, sizeof(u));
	str_copy(u.sysname, "ringbench", sizeof(u.sysname));
	str_copy(u.nodename, "ringbench", sizeof(u.nodename));
	str_copy(u.release, LINUX_RELEASE, sizeof(u.release));
	str_copy(u.version, "ringbench " RINGBENCH_VERSION, sizeof(u.version));
	str_copy(u.machine, "x86_64", sizeof(u.machine));
	str_copy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(ubuf, &u, sizeof(u));
}

static uint64_t random_word(void)
{
	uint64_t v = 0;
	unsigned char ok = 0;
	for (int i = 0; cpu.rdrand && !ok && i < RDRAND_TRIES; i++)
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
	if (ok)
		return v;
	v = rdtsc(); /* no RDRAND (the boot line says so): mixed, not cryptographic */
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	return v ^ (v >> 33);
}

SYSCALL3(getrandom, ubuf, len, flags)
{
	if (flags & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & GRND_RANDOM && flags & GRND_INSECURE))
		return -EINVAL;
	if (!user_mapped(ubuf, len, true))
		return -EFAULT; /* the whole buffer first: nothing half-done */
	uint64_t chunk[GETRANDOM_CHUNK / 8];
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		for (unsigned i = 0; i < (n + 7) / 8; i++)
			chunk[i] = random_word();
		if (copy_to_user(ubuf + done, chunk, n))
			return -EFAULT;
		done += n;
	}
	return (long)len;
}

