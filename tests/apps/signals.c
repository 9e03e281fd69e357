/*
 * signals.c: signals as a Linux program uses them, built with musl-gcc -static and gcc -static, run on
 * the host's Linux and on ringbench, and the outputs compared line for line (tests/boots_linux.py). Each
 * fault class caught with its signal, si_code and si_addr, and the handler's edit of the saved RIP
 * obeyed by rt_sigreturn; raise twice; a blocked signal pending, then taken on unblock; SIG_IGN;
 * SA_RESETHAND; nested handlers; the SSE registers and MXCSR given back whole across a handler that
 * clobbers them, and the handler's own start from the initial FPU state; a stack overflow caught on the
 * alternate stack. With an argument, it ends by a signal's default action instead:
 *   signals term      raise(SIGTERM)                                  killed by SIGTERM (143)
 *   signals nested    a fault in a SIGSEGV handler                    killed by SIGSEGV (139)
 *   signals abort     abort()                                         killed by SIGABRT (134)
 *   signals overflow  a stack overflow, its handler without SA_ONSTACK: no room for the frame, SIGSEGV (139)
 *   signals pause     pause() with nothing to wait for: Linux waits forever; ringbench ends the run saying so
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 4096
#define ALT_SIZE (64 * 1024)

/* Instructions that fault, each followed by a label where the handler resumes the program. */
extern char store_at[], store_end[], hlt_at[], hlt_end[], ud2_at[], ud2_end[], div_at[], div_end[], int3_end[];
__asm__(".text\n"
	"do_store: store_at: movb $1, (%rdi)\nstore_end: ret\n"
	"do_hlt: hlt_at: hlt\nhlt_end: ret\n"
	"do_ud2: ud2_at: ud2\nud2_end: ret\n"
	"do_div: xorl %ecx, %ecx\n movl $1, %eax\n cltd\ndiv_at: idivl %ecx\ndiv_end: ret\n"
	"do_int3: int3\nint3_end: ret\n");
void do_store(volatile char *p);
void do_hlt(void);
void do_ud2(void);
void do_div(void);
void do_int3(void);

static volatile sig_atomic_t got_sig, got_code, count, order[4], norder;
static void *got_addr, *got_rip;
static char *resume;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	got_sig = sig, got_code = si->si_code, got_addr = si->si_addr;
	got_rip = (void *)uc->uc_mcontext.gregs[REG_RIP];
	if (resume)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)resume; /* rt_sigreturn goes on after the instruction */
}

static void catch(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags };
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* provoke's fault must come with want_sig, want_code, want_addr and the saved RIP want_rip; the handler
 * moves the saved RIP to end (NULL: leaves it, after a trap). */
static void fault(const char *name, void (*provoke)(void), char *end, int want_sig, int want_code, void *want_addr,
		  char *want_rip)
{
	got_sig = 0, resume = end;
	catch(want_sig, on_fault, 0);
	provoke();
	printf("%s: signal %d code %d (%s) addr %s rip %s\n", name, got_sig, got_code,
	       got_code == want_code ? "as expected" : "WRONG",
	       got_addr == want_addr ? "as expected" : "WRONG", got_rip == want_rip ? "as expected" : "WRONG");
}

static char *unmapped, *readonly;
static void store_unmapped(void) { do_store(unmapped); }
static void store_readonly(void) { do_store(readonly); }

static void faults(void)
{
	readonly = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unmapped = readonly + PAGE;
	munmap(unmapped, PAGE);
	fault("segv_maperr", store_unmapped, store_end, SIGSEGV, SEGV_MAPERR, unmapped, store_at);
	fault("segv_accerr", store_readonly, store_end, SIGSEGV, SEGV_ACCERR, readonly, store_at);
	fault("privileged_hlt", do_hlt, hlt_end, SIGSEGV, SI_KERNEL, NULL, hlt_at);
	fault("invalid_opcode", do_ud2, ud2_end, SIGILL, ILL_ILLOPN, ud2_at, ud2_at);
	fault("divide_error", do_div, div_end, SIGFPE, FPE_INTDIV, div_at, div_at);
	fault("breakpoint", do_int3, NULL, SIGTRAP, SI_KERNEL, NULL, int3_end);
}

static void on_count(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	count++;
	got_sig = sig, got_code = si->si_code;
	order[norder++ & 3] = sig;
	if (sig == SIGUSR1 && count == 1 && norder == 1)
		raise(SIGUSR2); /* nested: USR2's handler runs inside this one */
}

static void raising(void)
{
	catch(SIGUSR1, on_count, 0);
	count = 0, norder = 10;
	raise(SIGUSR1);
	raise(SIGUSR1);
	printf("raise_twice: %d handler calls, code %s\n", count, got_code == SI_TKILL ? "SI_TKILL" : "other");
	count = 0;
	kill(getpid(), SIGUSR1);
	printf("kill_self: %d handler call, code %s\n", count, got_code == SI_USER ? "SI_USER" : "other");

	sigset_t set, pending;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	count = 0;
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	sigpending(&pending);
	printf("blocked: %d handler calls, pending %d\n", count, sigismember(&pending, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigpending(&pending);
	printf("unblocked: %d handler call, pending %d\n", count, sigismember(&pending, SIGUSR1));

	signal(SIGUSR1, SIG_IGN);
	count = 0;
	raise(SIGUSR1);
	printf("ignored: %d handler calls\n", count);

	catch(SIGUSR1, on_count, SA_RESETHAND);
	raise(SIGUSR1);
	struct sigaction now;
	sigaction(SIGUSR1, NULL, &now);
	printf("resethand: %d handler call, then %s\n", count, now.sa_handler == SIG_DFL ? "SIG_DFL" : "still caught");

	catch(SIGUSR1, on_count, 0);
	catch(SIGUSR2, on_count, 0);
	count = 0, norder = 0;
	raise(SIGUSR1);
	printf("nested: %d calls, order %d %d\n", count, order[0], order[1]);

	sigset_t none, after;
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	count = 0, norder = 10;
	int r = sigsuspend(&none);
	int e = errno;
	sigprocmask(SIG_BLOCK, NULL, &after);
	printf("sigsuspend: returned %d (%s), %d handler call, blocked again %d\n", r, strerror(e), count,
	       sigismember(&after, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* ---- the SSE state across a handler */

static unsigned handler_mxcsr;

static void on_clobber(int sig)
{
	(void)sig;
	unsigned clobber = 0x7f80; /* round toward zero, every exception masked */
	__asm__ volatile("stmxcsr %0" : "=m"(handler_mxcsr));
	__asm__ volatile("pcmpeqd %%xmm8, %%xmm8\n\tpxor %%xmm0, %%xmm0\n\tldmxcsr %0" : : "m"(clobber) : "xmm0", "xmm8");
}

static void sse_kept(void)
{
	static const uint64_t pattern[2] = { 0x0123456789abcdefull, 0xfedcba9876543210ull };
	uint64_t after[2];
	unsigned mode = 0x5f80, mode_after, saved; /* round down */
	signal(SIGUSR1, on_clobber);
	long pid = getpid();
	__asm__ volatile("stmxcsr %2\n\t"
			 "ldmxcsr %3\n\t"
			 "movdqu %4, %%xmm8\n\t"
			 "movl $62, %%eax\n\t" /* kill(pid, SIGUSR1) straight from here: no call may spill xmm8 */
			 "syscall\n\t"
			 "movdqu %%xmm8, %0\n\t"
			 "stmxcsr %1\n\t"
			 "ldmxcsr %2"
			 : "=m"(after), "=m"(mode_after), "=m"(saved)
			 : "m"(mode), "m"(pattern), "D"(pid), "S"(SIGUSR1)
			 : "rax", "rcx", "r11", "xmm8", "memory");
	printf("sse_kept: xmm8 %s, mxcsr %s\n", memcmp(after, pattern, sizeof(after)) ? "CLOBBERED" : "as set",
	       mode_after == mode ? "as set" : "CLOBBERED");
	printf("handler_fpu: mxcsr %#x\n", handler_mxcsr);
}

/* ---- a stack overflow, caught on the alternate stack */

static sigjmp_buf out;
static char *alt;

static void on_overflow(int sig, siginfo_t *si, void *ctx)
{
	(void)si, (void)ctx;
	char here;
	stack_t now;
	sigaltstack(NULL, &now);
	got_sig = sig;
	got_code = &here > alt && &here < alt + ALT_SIZE && (now.ss_flags & SS_ONSTACK);
	siglongjmp(out, 1);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
/* One frame of 1 KiB per call, each touched, so that no page of the stack is skipped (inlined into
 * itself, the recursion would make frames larger than a guard page). */
__attribute__((noinline, noclone)) static int recurse(volatile char *prev)
{
	volatile char frame[1024];
	frame[0] = prev ? prev[0] + 1 : 0;
	return recurse(frame) + frame[1];
}

static void overflow(void)
{
	alt = malloc(ALT_SIZE);
	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE };
	int small = sigaltstack(&(stack_t){ .ss_sp = alt, .ss_size = 100 }, NULL);
	printf("sigaltstack_small: %d %s\n", small, small ? strerror(errno) : "");
	sigaltstack(&ss, NULL);
	catch(SIGSEGV, on_overflow, SA_ONSTACK);
	got_sig = 0;
	if (!sigsetjmp(out, 1))
		recurse(NULL);
	printf("stack_overflow: signal %d, on the alternate stack %s\n", got_sig, got_code ? "yes" : "no");
}

/* ---- endings by a default action */

static void on_segv_faulting(int sig)
{
	(void)sig;
	do_store(unmapped); /* SIGSEGV inside its own handler: blocked, so it kills */
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "term")) {
		printf("raising SIGTERM\n");
		raise(SIGTERM);
		printf("still here\n");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "nested")) {
		faults();
		signal(SIGSEGV, on_segv_faulting);
		printf("faulting in the handler\n");
		do_store(unmapped);
		printf("still here\n");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "pause")) {
		printf("pausing\n");
		pause();
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "abort")) {
		printf("aborting\n");
		abort();
	}
	if (argc > 1 && !strcmp(argv[1], "overflow")) {
		catch(SIGSEGV, on_overflow, 0);
		printf("overflowing without an alternate stack\n");
		recurse(NULL);
		return 1;
	}
	faults();
	raising();
	sse_kept();
	overflow();
	printf("done\n");
	return 0;
}
