/*
 * caught.c: "app.elf caught": every hazard of the app in one boot, each taken by a signal handler of the
 * app's (on an alternate stack) instead of ending it, then the cases Linux's selftests check at this
 * boundary, written for ringbench: rt_sigreturn to each non-canonical RIP from 2^47 to 2^63, the flags
 * NT, AC and DF through each door, SYSENTER with TF and a garbage stack, and hostile frames (ring-0
 * selectors, IOPL 3, a kernel or bad FPU image, a frame on unmapped memory). One "caught" line per case:
 * the signal, si_code, si_addr, and the trap number, error code, RIP, CR2 and RFLAGS of the saved context
 * (tests/boots_hazards.py checks each), and "test" lines for the flags. The handlers (the catch_* of
 * catch.S) are also what the fuzzer's sigreturn mode (fuzz.c) survives its random frames with.
 */
#include "app.h"
#include "caught.h"
#include "probe.h"
#include "../lib/x86.h"

#define NONCANONICAL_FIRST 47 /* 2^47 is the first address above the user half */
#define NONCANONICAL_LAST 63
#define MXCSR_RESERVED_BIT (1u << 31)

struct caught caught;
uint8_t alt_stack[ALT_STACK_SIZE] __attribute__((aligned(16)));
static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };

/* The handler of every fault signal: keep what the frame says, then back to catch_run's caller through
 * rt_sigreturn with the registers catch_run saved, clean flags and no signal blocked (as siglongjmp would
 * leave them: a fault taken inside another handler must not leave that one's signal blocked). */
static void on_fault(int sig, const struct linux_siginfo *si, struct linux_ucontext *uc)
{
	extern uint64_t catch_saved[7];
	extern char catch_resume[];
	struct linux_sigcontext *c = &uc->mcontext;
	caught = (struct caught){ .sig = sig, .code = si->code, .addr = si->addr, .trapno = c->trapno,
				  .err = c->err, .rip = c->rip, .cr2 = c->cr2, .rflags = c->eflags };
	c->rbx = catch_saved[0], c->rbp = catch_saved[1], c->r12 = catch_saved[2], c->r13 = catch_saved[3];
	c->r14 = catch_saved[4], c->r15 = catch_saved[5], c->rsp = catch_saved[6];
	c->rip = (uint64_t)catch_resume, c->eflags = RFLAGS_FIXED;
	uc->sigmask = 0;
}

static long handle(int sig, void (*fn)(int, const struct linux_siginfo *, struct linux_ucontext *))
{
	extern char catch_restorer[];
	struct linux_sigaction a = { .handler = (uint64_t)fn, .flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
				     .restorer = (uint64_t)catch_restorer };
	return syscall_rt_sigaction(sig, (long)&a, 0, sizeof(a.mask));
}

int catch_install(void)
{
	struct linux_stack ss = { .sp = (uint64_t)alt_stack, .size = sizeof(alt_stack) };
	long r = syscall_sigaltstack((long)&ss, 0);
	for (unsigned i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]) && !r; i++)
		r = handle(fault_signals[i], on_fault);
	if (r)
		printf("caught: the handlers could not be installed (%ld)\n", r);
	return (int)r;
}

/* The fault signals' default actions back: a fault outside catch_run must not resume a stale one. */
void catch_uninstall(void)
{
	struct linux_sigaction dfl = { .handler = SIG_DFL };
	for (unsigned i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++)
		syscall_rt_sigaction(fault_signals[i], (long)&dfl, 0, sizeof(dfl.mask));
}

/* Does fn run without a signal? For the probes of what a kernel serves. */
int runs_cleanly(void (*fn)(void))
{
	int ok = !catch_install() && !catch_run(fn);
	catch_uninstall();
	return ok;
}

static void print_caught(const char *name, int how)
{
	printf("{\"type\":\"caught\",\"name\":\"%s\",\"caught\":%s,\"signal\":%d,\"code\":%d,\"addr\":\"0x%lx\","
	       "\"trapno\":%lu,\"err\":%lu,\"rip\":\"0x%lx\",\"cr2\":\"0x%lx\",\"rflags\":\"0x%lx\"}\n", name,
	       how ? "true" : "false", caught.sig, caught.code, caught.addr, caught.trapno, caught.err, caught.rip,
	       caught.cr2, caught.rflags);
}

static void run_caught(const char *name, void (*fn)(void))
{
	caught = (struct caught){ 0 };
	print_caught(name, catch_run(fn));
}

/* ---- hostile rt_sigreturn frames: a SIGUSR1 handler edits its own frame, then returns through it */

static void (*edit)(struct linux_ucontext *uc);
static uint64_t target;

static void on_usr1(int sig, const struct linux_siginfo *si, struct linux_ucontext *uc)
{
	(void)sig, (void)si;
	edit(uc);
}

static void raise_usr1(void) { syscall_kill(syscall_getpid(), SIGUSR1); }

static void to_target(struct linux_ucontext *uc) { uc->mcontext.rip = target; }
static void kernel_cs(struct linux_ucontext *uc) { uc->mcontext.cs = SEL_KCODE; }
static void kernel_ss(struct linux_ucontext *uc) { uc->mcontext.ss = SEL_KDATA; }
static void kernel_fpstate(struct linux_ucontext *uc) { uc->mcontext.fpstate = KERNEL_VBASE; }
static void iopl3(struct linux_ucontext *uc)
{
	extern char probe_cli[];
	uc->mcontext.eflags |= RFLAGS_IOPL;
	uc->mcontext.rip = (uint64_t)probe_cli;
}

static uint8_t bad_fx[FXSAVE_SIZE] __attribute__((aligned(16)));
static void reserved_mxcsr(struct linux_ucontext *uc)
{
	memcpy(bad_fx, (const void *)uc->mcontext.fpstate, sizeof(bad_fx));
	uint32_t mxcsr;
	memcpy(&mxcsr, bad_fx + FXSAVE_MXCSR, sizeof(mxcsr));
	mxcsr |= MXCSR_RESERVED_BIT;
	memcpy(bad_fx + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	uc->mcontext.fpstate = (uint64_t)bad_fx;
}

static void edited(const char *name, void (*how)(struct linux_ucontext *))
{
	edit = how;
	run_caught(name, raise_usr1);
}

static uint64_t unmapped_page;
static void unmapped_frame(void)
{
	sigreturn_at(unmapped_page + 512, DOOR_SYSCALL);
}

static void hostile_frames(void)
{
	char name[40];
	handle(SIGUSR1, on_usr1);
	for (int bit = NONCANONICAL_FIRST; bit <= NONCANONICAL_LAST; bit++) {
		target = 1ull << bit;
		fmt_snprintf(name, sizeof(name), "sigreturn-rip-2^%d", bit);
		edited(name, to_target);
	}
	edited("sigreturn-kernel-cs", kernel_cs);
	edited("sigreturn-kernel-ss", kernel_ss);
	edited("sigreturn-iopl3", iopl3);
	edited("sigreturn-kernel-fpstate", kernel_fpstate);
	edited("sigreturn-reserved-mxcsr", reserved_mxcsr);
	unmapped_page = (uint64_t)syscall_raw(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall_raw(SYS_munmap, (long)unmapped_page, 4096, 0, 0, 0, 0);
	run_caught("sigreturn-unmapped-frame", unmapped_frame);
}

/* ---- the flags each door must give back */

static void flags_through_doors(void)
{
	long flags_through_syscall(long), flags_through_int80(long), flags_through_sysenter(long);
	long (*const through[NDOORS])(long) = { [DOOR_SYSCALL] = flags_through_syscall,
						[DOOR_INT80] = flags_through_int80,
						[DOOR_SYSENTER] = flags_through_sysenter };
	const long kept = RFLAGS_NT | RFLAGS_AC | RFLAGS_DF;
	char name[40], detail[DETAIL_MAX];
	for (int d = 0; d < NDOORS; d++) {
		fmt_snprintf(name, sizeof(name), "flags_through_%s", doors[d].name);
		if (!door_served(d)) {
			json_test(name, -1, door_unserved_why(d));
			continue;
		}
		long after = through[d](kept);
		fmt_snprintf(detail, sizeof(detail), "NT, AC and DF set before the door; RFLAGS after: 0x%lx", after);
		json_test(name, (after & kept) == kept, detail);
	}
}

static void sysenter_garbage(void)
{
	void sysenter_tf_garbage_stack(void);
	if (door_served(DOOR_SYSENTER))
		run_caught("sysenter-tf-garbage-stack", sysenter_tf_garbage_stack);
}

/* ---- the legacy vsyscall page: its calls emulated by the kernel, or faults, as the mode says */

typedef long (*vsyscall_fn)(long, long);
#define VSYSCALL_ENTRY(i) ((vsyscall_fn)(VSYSCALL_ADDR + (i) * 1024))
static long vsys_value;

static void vsys_gettimeofday(void)
{
	struct linux_timeval tv = { 0, 0 }, k;
	long r = VSYSCALL_ENTRY(0)((long)&tv, 0);
	syscall_gettimeofday((long)&k, 0);
	vsys_value = r == 0 && tv.tv_sec > 0 && k.tv_sec - tv.tv_sec <= 1 && k.tv_sec >= tv.tv_sec;
}
static void vsys_time(void)
{
	long t = 0, r = VSYSCALL_ENTRY(1)((long)&t, 0), k = syscall_time(0);
	vsys_value = r == t && r > 0 && k - r <= 1 && k >= r;
}
static void vsys_getcpu(void)
{
	uint32_t cpu = 7, node = 7;
	vsys_value = VSYSCALL_ENTRY(2)((long)&cpu, (long)&node) == 0 && cpu == 0 && node == 0;
}
static void vsys_read(void) { vsys_value = *(volatile const uint8_t *)VSYSCALL_ADDR; }
static void vsys_middle(void) { ((vsyscall_fn)(VSYSCALL_ADDR + 1))(0, 0); }
static void vsys_bad_pointer(void) { VSYSCALL_ENTRY(0)((long)KERNEL_VBASE, 0); }

/* Does a call to the vsyscall page work here (vsyscall = xonly or emulate), or fault (none)? */
int vsyscall_served(void)
{
	static int served = -1;
	if (served < 0)
		served = runs_cleanly(vsys_time);
	return served;
}

int run_vsyscall_mode(void)
{
	static const struct { const char *name; void (*run)(void); } cases[] = {
		{ "gettimeofday", vsys_gettimeofday }, { "time", vsys_time }, { "getcpu", vsys_getcpu },
		{ "read", vsys_read }, { "middle", vsys_middle }, { "bad_pointer", vsys_bad_pointer },
	};
	if (catch_install())
		return 2;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		caught = (struct caught){ 0 };
		vsys_value = -1;
		int how = catch_run(cases[i].run);
		printf("{\"type\":\"vsyscall\",\"name\":\"%s\",\"value\":%ld,\"signal\":%d,\"code\":%d,"
		       "\"addr\":\"0x%lx\",\"rip\":\"0x%lx\"}\n", cases[i].name, how ? -1 : vsys_value, caught.sig,
		       caught.code, caught.addr, caught.rip);
	}
	return 0;
}

int run_caught_mode(void)
{
	if (catch_install())
		return 2;
	for (unsigned i = 0; i < hazard_count; i++)
		if (hazards[i].door < 0 || door_served(hazards[i].door))
			run_caught(hazards[i].name, hazards[i].run);
	hostile_frames();
	sysenter_garbage();
	flags_through_doors();
	return 0;
}
