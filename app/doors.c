/*
 * doors.c: the three doors as the app sees them, and the tests that hold them to one ABI: the same result
 * for every call through every door, every preserved register preserved, the documented clobbers and
 * nothing else, and the kernel running with clean flags whatever the app set. A door the CPU does not
 * serve (sysenter outside Intel) is never executed: its tests report "skipped" with the reason.
 */
#include <stddef.h>
#include "app.h"
#include "caught.h"
#include "host.h"
#include "probe.h"
#include "../lib/errno.h"
#include "../lib/memlayout.h"
#include "../lib/sysenter.h"
#include "../lib/x86.h"

#define UNUSED_PRIVATE 1087 /* the last private number: no call there */
/* The RFLAGS bits ring 3 can set with POPF, all of which every door must give back. */
#define ARITH_FLAGS (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)
#define USER_FLAGS (ARITH_FLAGS | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC)
#define KERNEL_MUST_CLEAR (RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT)

#define OFF(f, OFF) _Static_assert(offsetof(struct regs, f) == OFF, #OFF);
OFF(rax, REG_RAX) OFF(rbx, REG_RBX) OFF(rcx, REG_RCX) OFF(rdx, REG_RDX) OFF(rsi, REG_RSI) OFF(rdi, REG_RDI)
OFF(rbp, REG_RBP) OFF(r8, REG_R8) OFF(r9, REG_R9) OFF(r10, REG_R10) OFF(r11, REG_R11) OFF(r12, REG_R12)
OFF(r13, REG_R13) OFF(r14, REG_R14) OFF(r15, REG_R15) OFF(rflags, REG_RFLAGS)

typedef long (*raw_fn)(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

const struct door doors[NDOORS] = {
	[DOOR_SYSCALL] = { "syscall", RB_DOOR_SYSCALL, syscall_raw, syscall_exit_group },
	[DOOR_INT80] = { "int80", RB_DOOR_INT80, int80_raw, int80_exit_group },
	[DOOR_SYSENTER] = { "sysenter", RB_DOOR_SYSENTER, sysenter_raw, sysenter_exit_group },
};

static long served_mask = -1;

/* int 0x80 getpid with Linux's 32-bit number (20), for the probe below. */
static void linux_int80_getpid(void)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "r8", "r9", "r10", "r11", "memory");
}

/* On Linux (no rb_doors): syscall, and int 0x80 where it serves it from 64-bit code (with its 32-bit table:
 * a kernel without IA32 emulation answers it with SIGSEGV). */
int door_served(int d)
{
	if (served_mask < 0)
		served_mask = on_ringbench() ? syscall_rb_doors()
			: RB_DOOR_SYSCALL | (runs_cleanly(linux_int80_getpid) ? RB_DOOR_INT80 : 0);
	return !!(served_mask & doors[d].bit);
}

/* Why the kernel does not serve a door: what CPUID says (lib/sysenter.h, the kernel's own test), or 0. */
const char *door_unserved_why(int d)
{
	if (door_served(d))
		return 0;
	if (!on_ringbench())
		return d == DOOR_INT80 ? "this Linux does not serve int 0x80 from 64-bit code (no IA32 emulation)"
			: "Linux serves sysenter from 64-bit code only as a compat entry that returns to its vDSO";
	const char *why = d == DOOR_SYSENTER ? sysenter_unusable() : 0;
	return why ? why : "the kernel does not serve it, though the CPU can run it";
}

/* The kernel serves syscall and int80 always, and sysenter exactly where CPUID says it runs. */
int doors_detected(char *detail)
{
	const char *why = sysenter_unusable();
	int ok = door_served(DOOR_SYSCALL) && door_served(DOOR_INT80) && door_served(DOOR_SYSENTER) == !why;
	for (int d = 0; d < NDOORS; d++) {
		const char *unserved = door_unserved_why(d);
		printf("{\"type\":\"door\",\"name\":\"%s\",\"supported\":%s,\"reason\":\"%s\"}\n", doors[d].name,
		       unserved ? "false" : "true", unserved ? unserved : "");
	}
	fmt_snprintf(detail, DETAIL_MAX, "kernel serves mask 0x%lx; CPUID says sysenter %s%s", served_mask,
		     why ? "cannot run here: " : "runs here", why ? why : "");
	return ok;
}

/* One row per call: the arguments and the one result every door must give. */
struct call {
	long nr, a[6], want;
};

int same_result_every_door(char *detail)
{
	static const char msg[] = "doors: this line is written once through each door\n";
	struct timespec ts;
	const struct call calls[] = {
		{ SYS_getpid, { 0 }, 1 },
		{ SYS_write, { STDOUT_FILENO, (long)msg, sizeof(msg) - 1 }, sizeof(msg) - 1 },
		{ SYS_write, { 7, (long)msg, 1 }, -EBADF },
		{ SYS_write, { STDOUT_FILENO, (long)KERNEL_VBASE, 8 }, -EFAULT },
		{ SYS_clock_gettime, { CLOCK_MONOTONIC, (long)&ts }, 0 },
		{ SYS_clock_gettime, { 99, (long)&ts }, -EINVAL },
		{ SYS_clock_gettime, { CLOCK_MONOTONIC, (long)KERNEL_VBASE }, -EFAULT },
		{ SYS_rb_doors, { 0 }, syscall_rb_doors() },
		{ SYS_rb_args, { 1, 2, 3, 4, 5, 6 }, 1 * 1 + 2 * 2 + 3 * 3 + 4 * 4 + 5 * 5 + 6 * 6 }, /* less if any strays */
		{ RB_NR_UNUSED, { 0 }, -ENOSYS },
		{ UNUSED_PRIVATE, { 0 }, -ENOSYS },
		{ -1, { 0 }, -ENOSYS },
		{ (long)(1ull << 63), { 0 }, -ENOSYS },
	};
	int n = sizeof(calls) / sizeof(calls[0]), tried = 0;
	for (int d = 0; d < NDOORS; d++) {
		if (!door_served(d))
			continue;
		for (int i = 0; i < n; i++, tried++) {
			const long *a = calls[i].a;
			long r = doors[d].raw(calls[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			if (r != calls[i].want) {
				fmt_snprintf(detail, DETAIL_MAX, "call %ld through %s returned %ld, expected %ld", calls[i].nr,
					     doors[d].name, r, calls[i].want);
				return 0;
			}
		}
	}
	fmt_snprintf(detail, DETAIL_MAX, "%d calls x served doors = %d results agree", n, tried);
	return 1;
}

/* The user flags each register test sets in turn: all of them; DF without AC (int 0x80 clears AC only when
 * set; on sysenter, DF, AC, NT and OF take the IRETQ exit); every arithmetic flag; OF by itself; then sets
 * without those four, which the sysenter door's fast exit puts back by hand (entry/sysenter64.S). */
static const uint64_t flag_sets[] = {
	USER_FLAGS, RFLAGS_DF | RFLAGS_OF, ARITH_FLAGS, RFLAGS_OF, ARITH_FLAGS & ~RFLAGS_OF, 0, RFLAGS_CF | RFLAGS_ZF,
	RFLAGS_PF | RFLAGS_AF | RFLAGS_SF,
};

/* Distinct patterns, none of them a plausible address, the call nr and the given user flags. */
static void pattern(struct regs *in, uint64_t nr, uint64_t flags)
{
	uint64_t *r = (uint64_t *)in;
	for (int i = 0; i < NREGS; i++)
		r[i] = 0x0101010101010101ull * (uint64_t)(i + 1) ^ 0x8000000000000000ull;
	in->rax = nr;
	in->rflags = RFLAGS_FIXED | flags;
}

/* Which registers a door may change: bit i = register i of struct regs. */
static const unsigned clobbered[NDOORS] = {
	[DOOR_SYSCALL] = 1u << (REG_RAX / 8) | 1u << (REG_RCX / 8) | 1u << (REG_R11 / 8),
	[DOOR_INT80] = 1u << (REG_RAX / 8),
	[DOOR_SYSENTER] = 1u << (REG_RAX / 8) | 1u << (REG_RCX / 8) | 1u << (REG_RDX / 8) | 1u << (REG_R11 / 8),
};

/* The clobbered registers hold what the ABI documents, never a kernel address. */
static int clobbers_documented(int door, const struct regs *in, const struct regs *out)
{
	switch (door) {
	case DOOR_SYSCALL:
		return out->rcx == (uint64_t)probe_syscall_ret && (out->r11 & USER_FLAGS) == (in->rflags & USER_FLAGS);
	case DOOR_SYSENTER:
		return out->rdx == (uint64_t)probe_sysenter_ret && out->r11 == (uint64_t)probe_sysenter_ret &&
		       out->rcx >= USER_STACK_BOTTOM && out->rcx < USER_STACK_TOP;
	default:
		return 1;
	}
}

/* One probe of call nr through the door with the given user flags: whether the ABI held; what broke, or
 * what came back, in detail. rb_kflags returns the flags its handler runs with, which must be clean. */
static int registers_once(int door, uint64_t nr, uint64_t flags, char *detail)
{
	struct regs in, out;
	pattern(&in, nr, flags);
	regs_probe(door, &in, &out);
	const uint64_t *a = (const uint64_t *)&in, *b = (const uint64_t *)&out;
	for (int i = 1; i < NREGS - 1; i++) /* rax is the result, rflags below */
		if (!(clobbered[door] & (1u << i)) && a[i] != b[i]) {
			fmt_snprintf(detail, DETAIL_MAX, "call %lu: register %d changed: %lx -> %lx", nr, i, a[i], b[i]);
			return 0;
		}
	fmt_snprintf(detail, DETAIL_MAX, "kernel flags %lx, user flags %lx -> %lx, rcx %lx rdx %lx r11 %lx", out.rax,
		     in.rflags, out.rflags, out.rcx, out.rdx, out.r11);
	return !(nr == SYS_rb_kflags && (out.rax & KERNEL_MUST_CLEAR)) &&
	       (out.rflags & USER_FLAGS) == (in.rflags & USER_FLAGS) && clobbers_documented(door, &in, &out);
}

/* Every flag set in turn through rb_kflags, a handler with no call in it, and once through rb_audit_read,
 * whose handler calls into the kernel (to fail copying to the pattern's address): both must keep every
 * register (kernel/syscall.h). The last probe (all user flags) is reported when all held. */
int registers_through(int door, char *detail)
{
	if (!door_served(door)) {
		fmt_snprintf(detail, DETAIL_MAX, "skipped: the kernel does not serve %s on this CPU", doors[door].name);
		return -1;
	}
	if (!registers_once(door, SYS_rb_audit_read, USER_FLAGS, detail))
		return 0;
	for (int k = (int)(sizeof(flag_sets) / sizeof(flag_sets[0])) - 1; k >= 0; k--)
		if (!registers_once(door, SYS_rb_kflags, flag_sets[k], detail))
			return 0;
	return 1;
}

static uint64_t before[NR_SYSCALLS + 1], after[NR_SYSCALLS + 1];

/* The kernel's per-slot call counters (rb_counters) move by exactly the calls made: getpid through every
 * served door, a gap in the table in its own slot, out-of-range numbers in the last. */
int counters_match_calls(char *detail)
{
	const int per_door = 10;
	int served = 0;
	syscall_rb_counters((long)before, NR_SYSCALLS + 1);
	for (int d = 0; d < NDOORS; d++)
		for (int i = 0; door_served(d) && i < per_door; i++)
			served += !i, doors[d].raw(SYS_getpid, 0, 0, 0, 0, 0, 0);
	syscall_raw(RB_NR_UNUSED, 0, 0, 0, 0, 0, 0);
	syscall_raw(-1, 0, 0, 0, 0, 0, 0);
	syscall_raw((long)(1ull << 63), 0, 0, 0, 0, 0, 0);
	long copied = syscall_rb_counters((long)after, NR_SYSCALLS + 1);
	long bad = syscall_rb_counters((long)KERNEL_VBASE, 4);
	uint64_t getpid = after[SYS_getpid] - before[SYS_getpid], gap = after[RB_NR_UNUSED] - before[RB_NR_UNUSED];
	uint64_t out = after[NR_SYSCALLS] - before[NR_SYSCALLS];
	fmt_snprintf(detail, DETAIL_MAX, "getpid +%lu for %d doors, slot %d +%lu, out of range +%lu, copied %ld, "
		     "kernel buffer %ld", getpid, served, RB_NR_UNUSED, gap, out, copied, bad);
	return getpid == (uint64_t)(per_door * served) && gap == 1 && out == 2 && copied == NR_SYSCALLS + 1 &&
	       bad == -EFAULT;
}

int registers_syscall(char *detail) { return registers_through(DOOR_SYSCALL, detail); }
int registers_int80(char *detail) { return registers_through(DOOR_INT80, detail); }
int registers_sysenter(char *detail) { return registers_through(DOOR_SYSENTER, detail); }

/* The thread-local storage bases arch_prctl sets (FS for libc's TLS, GS too) survive a call through every
 * served door, and the entry variant in use (make test boots this under each): %fs:0 and %gs:0 read the
 * words set, and ARCH_GET_* returns the bases. Both go back to 0 after. */
int tls_bases_survive_every_door(char *detail)
{
	static uint64_t fs_word = 0x7f5f5f5f5f5f5f01ull, gs_word = 0x96a6a6a6a6a6a602ull;
	uint64_t fs = 0, gs = 0, got_fs = 0, got_gs = 0, base = 0;
	long set = syscall_raw(SYS_arch_prctl, ARCH_SET_FS, (long)&fs_word, 0, 0, 0, 0) |
		   syscall_raw(SYS_arch_prctl, ARCH_SET_GS, (long)&gs_word, 0, 0, 0, 0);
	const char *broke = 0;
	for (int d = 0; d < NDOORS && !set && !broke; d++) {
		if (!door_served(d))
			continue;
		doors[d].raw(SYS_getpid, 0, 0, 0, 0, 0, 0);
		__asm__ volatile("movq %%fs:0, %0; movq %%gs:0, %1" : "=r"(fs), "=r"(gs));
		if (fs != fs_word || gs != gs_word)
			broke = doors[d].name;
	}
	syscall_raw(SYS_arch_prctl, ARCH_GET_FS, (long)&got_fs, 0, 0, 0, 0);
	syscall_raw(SYS_arch_prctl, ARCH_GET_GS, (long)&got_gs, 0, 0, 0, 0);
	long reset = syscall_raw(SYS_arch_prctl, ARCH_SET_FS, 0, 0, 0, 0, 0) |
		     syscall_raw(SYS_arch_prctl, ARCH_SET_GS, 0, 0, 0, 0, 0);
	syscall_raw(SYS_arch_prctl, ARCH_GET_GS, (long)&base, 0, 0, 0, 0);
	fmt_snprintf(detail, DETAIL_MAX, "set %ld; after %s: fs:0 %lx gs:0 %lx; get %lx %lx; reset %ld, gs then %lx", set,
		     broke ? broke : "every door", fs, gs, got_fs, got_gs, reset, base);
	return !set && !broke && got_fs == (uint64_t)&fs_word && got_gs == (uint64_t)&gs_word && !reset && !base;
}
