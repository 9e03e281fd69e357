/*
 * signal.c: signals as Linux delivers them on x86-64, for the one thread. A signal comes from the app
 * itself (kill, tkill, tgkill: raise()) or from a fault in ring 3 (trap.c calls signal_fault); it is taken
 * on the way back to ring 3 (user_return_work, after every call reached through SYSCALL_FRAME and every
 * fault): ignored, the default action (the app ends with 128 + the signal, or is stopped: for good here),
 * or the app's handler, entered on Linux's rt_sigframe (lib/linux_signal.h) pushed below the red zone or on
 * the alternate stack, and left through rt_sigreturn, which loads every register from that frame in user
 * memory: the frame is checked (selectors, flags, the FPU image) before anything of it is believed, and a
 * return state IRETQ cannot take faults in ring 3, as a SIGSEGV (trap.c). Nothing here is on a door's fast
 * path: only the calls that need the app's whole state go through frame_thunk (entry/framethunk.S).
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/errno.h"
#include "../lib/linux_signal.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define RED_ZONE 128           /* bytes below RSP that System V code may use without moving RSP */
#define FPSTATE_ALIGN 64       /* Linux aligns the FPU image for XSAVE; FXSAVE needs 16 */
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SYNCHRONOUS (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE) | SIGBIT(SIGSYS))
#define DEFAULT_IGNORE (SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH))
#define DEFAULT_STOP (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
/* The RFLAGS bits a frame may set (Linux's FIX_EFLAGS): the arithmetic flags, DF, TF, AC and RF. IOPL, NT,
 * IF, VM and the rest stay as they are. */
#define SIGRETURN_FLAGS (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF | RFLAGS_DF | \
			 RFLAGS_OF | RFLAGS_AC | RFLAGS_RF)
/* What a handler starts with: Linux clears these for it */
#define HANDLER_CLEARS (RFLAGS_TF | RFLAGS_DF | RFLAGS_RF)
#define SIGFRAME_MAX (sizeof(struct linux_rt_sigframe) + FXSAVE_SIZE + FPSTATE_ALIGN + 16)
/* Faults a handler takes are told one by one up to here, then counted (a program that single-steps itself
 * takes one per instruction): signal_print_summary says how many at the end. */
#define CAUGHT_FAULTS_SHOWN 256

static uint64_t caught_faults;

static struct {
	struct linux_sigaction action[LINUX_NSIG + 1];
	struct linux_siginfo info[LINUX_NSIG + 1]; /* a pending signal's (one each: none is queued twice) */
	uint64_t blocked, pending;
	uint64_t saved_mask;  /* rt_sigsuspend's: the mask to give back once a handler is entered */
	bool restore_mask;
	struct linux_stack alt; /* size 0: none; flags: SS_AUTODISARM or 0 */
} sig;

uint64_t signal_frame_max(void) { return SIGFRAME_MAX; }

static bool valid(uint64_t s) { return s >= 1 && s <= LINUX_NSIG; }

static const char *const names[32] = {
	"0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
	"SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP",
	"SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
	"SIGIO", "SIGPWR", "SIGSYS",
};

const char *signal_name(int s) { return s > 0 && s < 32 ? names[s] : "a real-time signal"; }

/* ---- the FPU image (FXSAVE: ringbench does not enable XSAVE, so AVX state does not exist for the app) */

static uint8_t fx[FXSAVE_SIZE] __attribute__((aligned(16)));

static void fpu_save(void) { __asm__ volatile("fxsave64 %0" : "=m"(fx)); }
static void fpu_load(void) { __asm__ volatile("fxrstor64 %0" : : "m"(fx)); }

/* The state a handler starts with, and a frame without an image gives back: FNINIT's x87 control word,
 * MXCSR's reset value, every register zero. */
static void fpu_init_image(void)
{
	memset(fx, 0, sizeof(fx));
	fx[0] = 0x7f, fx[1] = 0x03;                       /* FCW 0x037f */
	fx[FXSAVE_MXCSR] = 0x80, fx[FXSAVE_MXCSR + 1] = 0x1f; /* MXCSR 0x1f80 */
}

/* The MXCSR bits this CPU has: loading any other one would #GP in ring 0. */
static uint32_t mxcsr_mask(void)
{
	static uint32_t mask;
	if (!mask) {
		fpu_save();
		memcpy(&mask, fx + FXSAVE_MXCSR_MASK, sizeof(mask));
		mask = mask ? mask : 0xffbf; /* the SDM's default when the CPU reports none */
	}
	return mask;
}

/* ---- sending */

/* Make s pending with info, unless it would be ignored (a blocked signal is kept: its action may change). */
static void send(int s, const struct linux_siginfo *info)
{
	uint64_t h = sig.action[s].handler, bit = SIGBIT(s);
	bool ignored = h == SIG_IGN || (h == SIG_DFL && (DEFAULT_IGNORE & bit));
	if ((ignored && !(sig.blocked & bit)) || (sig.pending & bit))
		return;
	sig.pending |= bit;
	sig.info[s] = *info;
}

/* A signal the CPU's fault forces on the app: if it is blocked or ignored, the default action instead
 * (Linux's force_sig): a fault cannot be skipped, and one inside its own handler ends the program. */
static void force(int s, int code, uint64_t addr)
{
	uint64_t bit = SIGBIT(s);
	if ((sig.blocked & bit) || sig.action[s].handler == SIG_IGN) {
		sig.action[s].handler = SIG_DFL;
		sig.blocked &= ~bit;
	}
	sig.pending &= ~bit; /* the fault's siginfo, not an older raise's */
	send(s, &(struct linux_siginfo){ .signo = s, .code = code, .addr = addr });
}

/* Would a fault's signal reach a handler of the app's now? */
static bool caught(int s)
{
	return !(sig.blocked & SIGBIT(s)) && sig.action[s].handler > SIG_IGN;
}

/* ---- delivering */

static bool on_alt_stack(uint64_t sp)
{
	return !(sig.alt.flags & SS_AUTODISARM) && sp > sig.alt.sp && sp - sig.alt.sp <= sig.alt.size;
}

/* What sigaltstack and uc_stack report as the alternate stack's state for a program whose RSP is sp. */
static int32_t alt_flags(uint64_t sp)
{
	if (!sig.alt.size)
		return SS_DISABLE;
	return (on_alt_stack(sp) ? SS_ONSTACK : 0) | (int32_t)(sig.alt.flags & SS_AUTODISARM);
}

/* Where the frame goes (Linux's get_sigframe): below the red zone, or at the top of the alternate stack
 * when the handler asks for it and the app is not on it already; the FPU image first, 64-byte aligned,
 * then the frame, so that RSP at the handler's first instruction is 8 below a multiple of 16, as after a
 * call. 0 when the frame would overflow the alternate stack. */
static uint64_t frame_address(const struct trapframe *tf, const struct linux_sigaction *a, uint64_t *fpstate)
{
	uint64_t sp = tf->rsp - RED_ZONE;
	bool alt = on_alt_stack(tf->rsp);
	if ((a->flags & SA_ONSTACK) && alt_flags(sp) == 0)
		sp = sig.alt.sp + sig.alt.size, alt = true;
	sp = *fpstate = (sp - FXSAVE_SIZE) & ~(uint64_t)(FPSTATE_ALIGN - 1);
	sp = ((sp - sizeof(struct linux_rt_sigframe)) & ~15ull) - 8;
	return alt && !on_alt_stack(sp) ? 0 : sp;
}

static void save_context(struct linux_ucontext *uc, const struct trapframe *tf, uint64_t mask, uint64_t fpstate)
{
	uc->flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	uc->stack = (struct linux_stack){ .sp = sig.alt.sp, .flags = alt_flags(tf->rsp), .size = sig.alt.size };
	uc->mcontext = (struct linux_sigcontext){
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11, .r12 = tf->r12, .r13 = tf->r13,
		.r14 = tf->r14, .r15 = tf->r15, .rdi = tf->rdi, .rsi = tf->rsi, .rbp = tf->rbp, .rbx = tf->rbx,
		.rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx, .rsp = tf->rsp, .rip = tf->rip, .eflags = tf->rflags,
		.cs = (uint16_t)tf->cs, .ss = (uint16_t)tf->ss, .oldmask = mask, .fpstate = fpstate,
	};
	if (tf->vector < T_NEXCEPTIONS) {
		uc->mcontext.trapno = tf->vector, uc->mcontext.err = tf->error;
		uc->mcontext.cr2 = tf->vector == T_PF ? read_cr2() : 0;
	}
	uc->sigmask = mask;
}

/* Push the frame for handler a of signal s and point the app at it. false: the frame could not be
 * written (said why): the caller forces a SIGSEGV, as Linux does. */
static bool enter_handler(struct trapframe *tf, int s, const struct linux_sigaction *a, const struct linux_siginfo *info)
{
	uint64_t fpstate, at = frame_address(tf, a, &fpstate);
	uint64_t mask = sig.restore_mask ? sig.saved_mask : sig.blocked;
	const char *why = !(a->flags & SA_RESTORER) ? "its action has no SA_RESTORER, which x86-64 requires"
		: !at ? "it would overflow the alternate stack" : 0;
	static struct linux_rt_sigframe f;
	if (!why) {
		memset(&f, 0, sizeof(f));
		f.pretcode = a->restorer;
		save_context(&f.uc, tf, mask, fpstate);
		f.info = *info;
		fpu_save();
		if (copy_to_user(fpstate, fx, sizeof(fx)) || copy_to_user(at, &f, sizeof(f)))
			why = "the stack there is not writable";
	}
	if (why) {
		kprintf("ringbench: cannot deliver %s to the handler at %lx: %s (frame at %lx): SIGSEGV\n",
			signal_name(s), a->handler, why, at ? at : tf->rsp);
		return false;
	}
	if (sig.alt.flags & SS_AUTODISARM)
		sig.alt = (struct linux_stack){ 0 };
	fpu_init_image();
	fpu_load();
	tf->rdi = (uint64_t)s, tf->rsi = at + offsetof(struct linux_rt_sigframe, info);
	tf->rdx = at + offsetof(struct linux_rt_sigframe, uc), tf->rax = 0;
	tf->rsp = at, tf->rip = a->handler, tf->cs = SEL_UCODE, tf->ss = SEL_UDATA;
	tf->rflags &= ~HANDLER_CLEARS;
	sig.blocked |= (a->mask | (a->flags & SA_NODEFER ? 0 : SIGBIT(s))) & ~UNBLOCKABLE;
	sig.restore_mask = false;
	return true;
}

/* Take signal s: its handler, or its default action. */
static void take(struct trapframe *tf, int s, const struct linux_siginfo *info)
{
	struct linux_sigaction a = sig.action[s];
	uint64_t bit = SIGBIT(s);
	if (a.handler == SIG_IGN || (a.handler == SIG_DFL && (DEFAULT_IGNORE & bit)))
		return;
	if (a.handler == SIG_DFL && (DEFAULT_STOP & bit))
		app_hang(signal_name(s), "it stops the program, and there is no other process to continue it");
	if (a.handler == SIG_DFL)
		app_kill(s);
	if (a.flags & SA_RESETHAND)
		sig.action[s].handler = SIG_DFL;
	if (!enter_handler(tf, s, &a, info)) {
		if (s == SIGSEGV)
			sig.action[SIGSEGV].handler = SIG_DFL;
		force(SIGSEGV, SI_KERNEL, 0);
	}
}

/* The lowest pending signal that is not blocked, the CPU's faults first (Linux's order). */
static int next_signal(void)
{
	uint64_t ready = sig.pending & ~sig.blocked;
	uint64_t sync = ready & SYNCHRONOUS;
	return ready ? __builtin_ctzll(sync ? sync : ready) + 1 : 0;
}

/* On the way back to ring 3: every signal that may be taken now, each handler's frame on the last. */
void user_return_work(struct trapframe *tf)
{
	for (int s; (s = next_signal());) {
		sig.pending &= ~SIGBIT(s);
		take(tf, s, &sig.info[s]);
	}
	if (sig.restore_mask) /* rt_sigsuspend's signal took no handler: its mask ends with the call */
		sig.blocked = sig.saved_mask, sig.restore_mask = false;
}

/* ---- the CPU's faults in ring 3 (from trap.c) */

/* The unmasked SIMD or x87 exception that raised #XM or #MF, as si_code (Linux's order of precedence). */
static int fpe_code(uint64_t vector)
{
	uint32_t status = 0, control = 0;
	if (vector == T_XM) {
		__asm__ volatile("stmxcsr %0" : "=m"(status));
		control = status >> 7; /* the mask bits lie 7 above their exceptions */
	} else {
		__asm__ volatile("fnstsw %0" : "=m"(status));
		__asm__ volatile("fnstcw %0" : "=m"(control));
	}
	uint32_t e = status & ~control & 0x3f;
	return e & 0x01 ? FPE_FLTINV : e & 0x04 ? FPE_FLTDIV : e & 0x08 ? FPE_FLTOVF : e & 0x12 ? FPE_FLTUND
		: e & 0x20 ? FPE_FLTRES : 0;
}

/* Single step (DR6.BS) or a breakpoint; DR6 is cleared for the next #DB, as Linux does. */
static int debug_code(void)
{
	uint64_t dr6;
	__asm__ volatile("movq %%dr6, %0" : "=r"(dr6));
	__asm__ volatile("movq %0, %%dr6" : : "r"(DR6_RESET));
	return dr6 & DR6_BS ? TRAP_TRACE : TRAP_BRKPT;
}

/* The signal, si_code and si_addr Linux gives each exception from ring 3. */
static int classify(const struct trapframe *tf, int *code, uint64_t *addr)
{
	*code = SI_KERNEL, *addr = 0;
	switch (tf->vector) {
	case T_PF:
		*addr = read_cr2();
		*code = mm_programs_page(*addr) ? SEGV_ACCERR : SEGV_MAPERR;
		return SIGSEGV;
	case T_UD: *code = ILL_ILLOPN, *addr = tf->rip; return SIGILL;
	case T_DE: *code = FPE_INTDIV, *addr = tf->rip; return SIGFPE;
	case T_MF: case T_XM: *code = fpe_code(tf->vector), *addr = tf->rip; return SIGFPE;
	case T_BP: return SIGTRAP;
	case T_DB: *code = debug_code(), *addr = tf->rip; return SIGTRAP;
	case T_AC: *code = BUS_ADRALN; return SIGBUS;
	case T_SS: case T_NP: return SIGBUS;
	default: return SIGSEGV; /* #GP (privileged instructions, non-canonical addresses, a gate the app may not use) and the rest */
	}
}

/* The fault at tf is signal s with code and addr, to the app's handler or its default action: told on
 * the fault line, and made pending, for user_return_work to take. */
void signal_force_fault(const struct trapframe *tf, int s, int code, uint64_t addr)
{
	bool handled = caught(s);
	if (!handled || ++caught_faults <= CAUGHT_FAULTS_SHOWN)
		report_fault(tf, handled ? "signal" : "kill", s);
	force(s, code, addr);
}

void signal_fault(struct trapframe *tf)
{
	int code;
	uint64_t addr;
	if (!(tf->vector == T_PF && vsyscall_fault(tf, read_cr2()))) {
		int s = classify(tf, &code, &addr);
		signal_force_fault(tf, s, code, addr);
	}
	user_return_work(tf);
}

void signal_print_summary(void)
{
	if (caught_faults <= CAUGHT_FAULTS_SHOWN)
		return;
	kprintf("ringbench: %lu faults went to the app's handlers; the first %d have a fault line\n", caught_faults,
		CAUGHT_FAULTS_SHOWN);
	kprintf("{\"type\":\"faults_caught\",\"count\":%lu,\"shown\":%d}\n", caught_faults, CAUGHT_FAULTS_SHOWN);
}

/* ---- the calls */

SYSCALL4(rt_sigaction, s, act, oact, size)
{
	struct linux_sigaction a;
	if (size != sizeof(uint64_t) || !valid(s) || (act && (SIGBIT(s) & UNBLOCKABLE)))
		return -EINVAL;
	if (act && copy_from_user(&a, act, sizeof(a)))
		return -EFAULT;
	if (oact && copy_to_user(oact, &sig.action[s], sizeof(a)))
		return -EFAULT;
	if (act) {
		a.mask &= ~UNBLOCKABLE, a.flags &= SA_KNOWN;
		sig.action[s] = a;
		if (a.handler == SIG_IGN || (a.handler == SIG_DFL && (DEFAULT_IGNORE & SIGBIT(s))))
			sig.pending &= ~SIGBIT(s); /* an ignored signal is discarded, pending or not */
	}
	return 0;
}

SYSCALL2(rt_sigpending, set, size)
{
	if (size > sizeof(uint64_t))
		return -EINVAL;
	uint64_t p = sig.pending & sig.blocked;
	return copy_to_user(set, &p, size) ? -EFAULT : 0;
}

SYSCALL_FRAME(rt_sigprocmask, tf, a)
{
	uint64_t how = a[0], set = a[1], oset = a[2], size = a[3], m = 0, old = sig.blocked;
	(void)tf;
	if (size != sizeof(uint64_t))
		return -EINVAL;
	if (set && copy_from_user(&m, set, sizeof(m)))
		return -EFAULT;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	if (set)
		sig.blocked = (how == SIG_BLOCK ? old | m : how == SIG_UNBLOCK ? old & ~m : m) & ~UNBLOCKABLE;
	return 0;
}

/* A new alternate stack, for a program whose RSP is sp: 0 or -errno (Linux's do_sigaltstack). */
static long set_alt_stack(const struct linux_stack *ss, uint64_t sp)
{
	uint32_t mode = (uint32_t)ss->flags & ~SS_AUTODISARM;
	if (on_alt_stack(sp))
		return -EPERM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		sig.alt = (struct linux_stack){ 0 };
		return 0;
	}
	if (ss->size < MINSIGSTKSZ)
		return -ENOMEM;
	sig.alt = (struct linux_stack){ .sp = ss->sp, .flags = ss->flags & (int32_t)SS_AUTODISARM, .size = ss->size };
	return 0;
}

SYSCALL_FRAME(sigaltstack, tf, a)
{
	struct linux_stack ss, old = { .sp = sig.alt.sp, .flags = alt_flags(tf->rsp), .size = sig.alt.size };
	if (a[0] && copy_from_user(&ss, a[0], sizeof(ss)))
		return -EFAULT;
	long r = a[0] ? set_alt_stack(&ss, tf->rsp) : 0;
	return !r && a[1] && copy_to_user(a[1], &old, sizeof(old)) ? -EFAULT : r; /* the old one, on success */
}

/* A signal to this process (pid: ours, or 0, our group) or its one thread: sent, and taken on return. */
static long signal_self(uint64_t s, int code)
{
	if (s > LINUX_NSIG)
		return -EINVAL;
	if (s)
		send((int)s, &(struct linux_siginfo){ .signo = (int)s, .code = code, .kill = { RINGBENCH_PID, 0 } });
	return 0;
}

SYSCALL_FRAME(kill, tf, a)
{
	(void)tf;
	int64_t pid = (int64_t)a[0];
	return pid == RINGBENCH_PID || pid == 0 ? signal_self(a[1], SI_USER) : -ESRCH;
}

SYSCALL_FRAME(tkill, tf, a)
{
	(void)tf;
	int64_t tid = (int32_t)a[0];
	return tid <= 0 ? -EINVAL : tid == RINGBENCH_PID ? signal_self(a[1], SI_TKILL) : -ESRCH;
}

SYSCALL_FRAME(tgkill, tf, a)
{
	(void)tf;
	int64_t tgid = (int32_t)a[0], tid = (int32_t)a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return tgid == RINGBENCH_PID && tid == RINGBENCH_PID ? signal_self(a[2], SI_TKILL) : -ESRCH;
}

/* Waiting for a signal: only one already pending can end the wait, for nothing else can send one (one
 * thread, no timers, no other process). Without one, the program would wait forever: the run ends. */
SYSCALL_FRAME(rt_sigsuspend, tf, a)
{
	uint64_t m;
	(void)tf;
	if (a[1] != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&m, a[0], sizeof(m)))
		return -EFAULT;
	m &= ~UNBLOCKABLE;
	if (!(sig.pending & ~m))
		app_hang("rt_sigsuspend", "no signal is pending, and nothing else could ever send one");
	sig.saved_mask = sig.blocked, sig.restore_mask = true, sig.blocked = m;
	return -EINTR;
}

SYSCALL0(pause) { app_hang("pause", "no signal is pending, and nothing else could ever send one"); }

/* ---- rt_sigreturn */

/* The FPU image at fpstate (0: none, the initial state) into the registers; false if it is unreadable or
 * would fault in FXRSTOR. */
static bool restore_fpu(uint64_t fpstate)
{
	if (!fpstate) {
		fpu_init_image();
	} else {
		uint32_t mxcsr;
		if ((fpstate & 15) || copy_from_user(fx, fpstate, sizeof(fx)))
			return false;
		memcpy(&mxcsr, fx + FXSAVE_MXCSR, sizeof(mxcsr));
		if (mxcsr & ~mxcsr_mask())
			return false;
	}
	fpu_load();
	return true;
}

/* The frame the handler returned from (its `ret` popped pretcode, so it starts 8 below RSP), checked and
 * loaded into tf; why not, or NULL. */
static const char *restore(struct trapframe *tf)
{
	static struct linux_rt_sigframe f;
	if (copy_from_user(&f, tf->rsp - 8, sizeof(f)))
		return "it is not readable memory of the program's";
	const struct linux_sigcontext *c = &f.uc.mcontext;
	if (c->cs != SEL_UCODE || (c->ss != SEL_UDATA && c->ss != SEL_UDATA_SYSEXIT))
		return "its CS or SS is not the program's";
	if (!restore_fpu(c->fpstate))
		return "its FPU image (fpstate) is unreadable, misaligned or has reserved MXCSR bits set";
	*tf = (struct trapframe){
		.r15 = c->r15, .r14 = c->r14, .r13 = c->r13, .r12 = c->r12, .rbp = c->rbp, .rbx = c->rbx,
		.r11 = c->r11, .r10 = c->r10, .r9 = c->r9, .r8 = c->r8, .rax = c->rax, .rcx = c->rcx, .rdx = c->rdx,
		.rsi = c->rsi, .rdi = c->rdi, .vector = tf->vector, .rip = c->rip, .cs = SEL_UCODE,
		.rflags = (tf->rflags & ~SIGRETURN_FLAGS) | (c->eflags & SIGRETURN_FLAGS), .rsp = c->rsp, .ss = c->ss,
	};
	sig.blocked = f.uc.sigmask & ~UNBLOCKABLE;
	set_alt_stack(&f.uc.stack, tf->rsp); /* the alternate stack as it was; an error leaves it, as on Linux */
	return 0;
}

SYSCALL_FRAME(rt_sigreturn, tf, a)
{
	(void)a;
	uint64_t at = tf->rsp - 8;
	const char *why = restore(tf);
	if (!why)
		return (long)tf->rax;
	kprintf("ringbench: rt_sigreturn: the frame at %lx is refused: %s: SIGSEGV\n", at, why);
	force(SIGSEGV, SI_KERNEL, 0);
	return 0;
}
