/*
 * framecall.c: frame_call, the C half of frame_thunk (framethunk.S). It completes the thunk's frame with
 * what the door holds of the app's state (where, the door's record of its DISPATCH tells: trapframe.h),
 * so that the frame is the app's state as the door's return would leave it: the registers the door's
 * return instruction writes included (the syscall door's RCX and R11, the sysenter door's RDX and R11).
 * The handler may change any of it, and so may the work on the way back to ring 3 (a signal's handler
 * entered); if either changed more than the result, the door could not restore it, and the way back is
 * the general exit's IRETQ (user_return), with the KPTI exit where a KPTI variant is in; the variant's
 * other exit defences are not run on that way (IBRS stays on until the next call's exit turns it off), nor
 * the audit hook's exit (such a call leaves no audit record, like exit).
 */
#include "syscall.h"
#include "../lib/abi.h"
#include "../lib/string.h"
#include "../lib/x86.h"

uint64_t dispatch_site(uint64_t ret)
{
	extern const struct dispatch_site __dispatch_sites_start[], __dispatch_sites_end[];
	for (const struct dispatch_site *s = __dispatch_sites_start; s < __dispatch_sites_end; s++)
		if (s->ret == ret)
			return s->how;
	return 0;
}

extern struct percpu percpu;

/* The door and how much it saved, from the address the handler returns to. */
static uint64_t site_how(uint64_t ret)
{
	uint64_t how = dispatch_site(ret);
	if (!how)
		__builtin_trap(); /* every DISPATCH records its site: a handler reached otherwise is a kernel bug */
	return how;
}

/* A FRED door's state (entry/fred.S): FRED's frame is a whole frame's tf->error .. tf->ss under the frame's
 * top; the registers are the app's, but r11, which INT 0x80's and SYSENTER's paths keep where tf->vector
 * would be. */
static void fred_state(struct trapframe *tf, uint64_t how, const struct trapframe *f)
{
	tf->error = 0, tf->rip = f->rip, tf->cs = f->cs, tf->rflags = f->rflags, tf->rsp = f->rsp, tf->ss = f->ss;
	if (how & RB_DOOR_SYSCALL) { /* as SYSCALL: rcx = RIP (already), r11 = RFLAGS */
		tf->vector = T_SYSCALL, tf->r11 = tf->rflags;
		return;
	}
	tf->r11 = f->vector;
	if (how & RB_DOOR_SYSENTER) /* as SYSEXIT: rdx = RIP */
		tf->vector = T_SYSENTER, tf->rdx = tf->rip;
	else
		tf->vector = T_INT80;
}

/* tf holds the general registers as the handler was called with them. */
static void door_state(struct trapframe *tf, uint64_t how)
{
	const uint64_t *top = (const uint64_t *)percpu.frame_top;
	if (how & SITE_FRED) {
		fred_state(tf, how, (const struct trapframe *)top - 1);
		return;
	}
	if (how & SITE_FRAME) {
		*tf = ((const struct trapframe *)top)[-1];
		return;
	}
	tf->cs = SEL_UCODE, tf->error = 0, tf->rflags = top[-1];
	if (how & RB_DOOR_SYSCALL) { /* SYSRET: RIP = RCX, RFLAGS = R11 */
		tf->vector = T_SYSCALL, tf->ss = SEL_UDATA, tf->rip = tf->rcx, tf->rsp = percpu.user_rsp;
		tf->r11 = tf->rflags;
	} else { /* SYSEXIT: RIP = RDX, RSP = RCX; R11 comes back as the return RIP the stub passed */
		tf->vector = T_SYSENTER, tf->ss = SEL_UDATA_SYSEXIT, tf->rip = top[-2], tf->rsp = tf->rcx;
		tf->rdx = tf->r11 = tf->rip;
	}
}

void frame_call(struct trapframe *tf, uint64_t ret, frame_handler fn)
{
	const uint64_t args[6] = { tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 };
	uint64_t how = site_how(ret);
	door_state(tf, how);
	struct trapframe door = *tf;
	door.rax = tf->rax = (uint64_t)fn(tf, args);
	user_return_work(tf);
	if (memcmp(&door, tf, sizeof(door)) || !(how & SITE_FRED) != !percpu.fred) /* or events changed (rb_events) */
		user_return(tf);
}
