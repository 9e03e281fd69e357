/*
 * linux_signal.h: Linux's x86-64 signal ABI, with Linux's numbers and layouts (its uapi asm/signal.h,
 * asm-generic/siginfo.h, asm/sigcontext.h, asm/ucontext.h and the kernel's rt_sigframe), so that a
 * program's handler reads ringbench's frame as it reads Linux's. services/signal.c serves it.
 */
#ifndef RINGBENCH_LINUX_SIGNAL_H
#define RINGBENCH_LINUX_SIGNAL_H
#include <stddef.h>
#include <stdint.h>

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define LINUX_NSIG 64 /* signals 1 .. 64; 32 .. 64 are the real-time ones */
#define SIGBIT(sig) (1ull << ((sig) - 1))

#define SIG_DFL 0
#define SIG_IGN 1

/* sa_flags */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
/* the flags Linux keeps; others are cleared, so that a program can see they are not supported */
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_EXPOSE_TAGBITS | SA_RESTORER | SA_ONSTACK | \
		  SA_RESTART | SA_NODEFER | SA_RESETHAND)

/* rt_sigprocmask's how */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack */
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ   2048

/* si_code: who sent it, or why the CPU did */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_TKILL    (-6)
#define ILL_ILLOPN  2
#define ILL_PRVOPC  5
#define FPE_INTDIV  1
#define FPE_FLTDIV  3
#define FPE_FLTOVF  4
#define FPE_FLTUND  5
#define FPE_FLTRES  6
#define FPE_FLTINV  7
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN  1
#define TRAP_BRKPT  1
#define TRAP_TRACE  2

/* The kernel's struct sigaction of x86-64 (not libc's): the mask last, 8 bytes */
struct linux_sigaction {
	uint64_t handler, flags, restorer, mask;
};
_Static_assert(sizeof(struct linux_sigaction) == 32, "struct sigaction as the x86-64 kernel takes it");

struct linux_stack {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
};
_Static_assert(sizeof(struct linux_stack) == 24, "stack_t as in Linux x86-64");

/* siginfo: 128 bytes; the fields ringbench fills are the first of each union member */
struct linux_siginfo {
	int32_t signo, errno_, code, pad;
	union {
		struct { int32_t pid; uint32_t uid; } kill; /* SI_USER, SI_TKILL */
		uint64_t addr;                              /* the CPU's faults */
		uint8_t rest[112];
	};
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t as in Linux");

/* struct sigcontext of x86-64: uc_mcontext, the registers in Linux's order */
struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* the user address of the FXSAVE image, 0 for none */
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct linux_sigcontext) == 256, "struct sigcontext as in Linux x86-64");

/* uc_flags */
#define UC_FP_XSTATE         0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

struct linux_ucontext {
	uint64_t flags, link;
	struct linux_stack stack;
	struct linux_sigcontext mcontext;
	uint64_t sigmask;
};
_Static_assert(sizeof(struct linux_ucontext) == 304, "the kernel's struct ucontext of x86-64");

/* What the handler finds at its RSP: the return address (the restorer), the context, the siginfo. */
struct linux_rt_sigframe {
	uint64_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
};
_Static_assert(offsetof(struct linux_rt_sigframe, uc) == 8, "rt_sigframe: uc after pretcode");
_Static_assert(offsetof(struct linux_rt_sigframe, info) == 312, "rt_sigframe: siginfo after uc");

/* The FXSAVE image fpstate points at (512 bytes, 16-byte aligned); Linux's software-reserved bytes are its
 * last 48, which carry the XSAVE magic only when the frame holds an XSAVE image (UC_FP_XSTATE). */
#define FXSAVE_SIZE 512
#define FXSAVE_MXCSR 24      /* offset of MXCSR, and of its mask after it */
#define FXSAVE_MXCSR_MASK 28
#define FXSAVE_SW_RESERVED 464
#endif
