/*
 * trap.c: every exception lands in trap() (from entry/vectors.S), which decides what it means: a fault in
 * ring 3 is a signal to the app (services/signal.c: its handler, or its default action); a fault the kernel expected (its self-tests' probes, a single-stepped
 * SYSENTER, an IRETQ that the app's bad state made fault) is handled; any other fault in ring 0 is a
 * kernel bug: a full dump (fault.c) and the panic status.
 */
#include <stddef.h>
#include "defs.h"
#include "../entry/syscall.h"
#include "../lib/fmt.h"
#include "../lib/string.h"
#include "../lib/x86.h"

/* Back to ring 3 with the state tf holds, by the general exit: tf moved to the top of the frame
 * (percpu.frame_top), where trapret_user restores it from (it may overlap: memmove), on the kernel's GS
 * base, which the exit (IRETQ's or FRED's) swaps for the app's. Every way in from ring 3 left its frame there, and nothing above this call's stack
 * is needed any more. For the app's first entry (services/exec.c), the calls that change its state
 * (entry/framecall.c) and a failed IRETQ. */
void user_return(const struct trapframe *tf)
{
	extern char trapret_user[];
	struct trapframe *top = (struct trapframe *)percpu.frame_top - 1;
	if (rdmsr(MSR_GS_BASE) != (uint64_t)&percpu) /* a fast path that had not swapped it */
		__asm__ volatile("swapgs");
	memmove(top, tf, sizeof(*top));
	__asm__ volatile("movq %0, %%rsp\n\t"
			 "jmp *%1"
			 :
			 : "r"(top), "r"(trapret_user)
			 : "memory");
	__builtin_unreachable();
}

/* An app that sets TF and executes SYSENTER single-steps into the kernel until entry_sysenter64_<variant> has saved
 * and cleared its RFLAGS (Linux's entry_SYSENTER_compat does the same), and a single-step MOV SS held back
 * past a door instruction arrives at the door's entry (doors.c: at_door_entry): those #DBs are expected. */
static bool door_single_step(const struct trapframe *tf)
{
	return tf->vector == T_DB && (in_sysenter_prologue(tf->rip) || at_door_entry(tf->rip));
}

/* A return to ring 3 (IRETQ, ERETU) faulted (a non-canonical RIP, say): the fault is the app's, as if it
 * had faulted at the state the return was loading (at iret), as Linux reports it. The registers in tf are
 * already the app's. */
static NORETURN void bad_return(const struct trapframe *tf, const uint64_t *iret)
{
	struct trapframe user = *tf;
	user.rip = iret[0], user.cs = iret[1], user.rflags = iret[2], user.rsp = iret[3], user.ss = iret[4];
	kprintf("ringbench: returning to the app at %lx faulted (%s in %s)\n", user.rip, trap_name(tf->vector),
		percpu.fred ? "ERETU" : "IRETQ");
	signal_fault(&user);
	user_return(&user);
}

/* The return state a faulting return to ring 3 was loading (rip, cs, rflags, rsp, ss), or NULL when rip is
 * no such return (RETURN_SITE in entry/calling.h) or its state was not for ring 3. */
static const uint64_t *iret_state(const struct trapframe *tf)
{
	extern const struct iret_site __iret_sites_start[], __iret_sites_end[];
	for (const struct iret_site *s = __iret_sites_start; s < __iret_sites_end; s++)
		if (s->rip == tf->rip) {
			const uint64_t *state = (const uint64_t *)(tf->rsp + s->frame);
			return (state[1] & SEL_RPL_MASK) ? state : 0;
		}
	return 0;
}

/* A fault the kernel's self-tests provoked (entry/kprobe.S): report it to the probe and carry on. */
static bool kprobe_fault(struct trapframe *tf)
{
	extern char kprobe_active, kprobe_resume[];
	extern uint64_t kprobe_resume_rsp;
	if (!kprobe_active)
		return false;
	tf->rax = tf->vector << 16 | (tf->error & 0xffff);
	tf->rip = (uint64_t)kprobe_resume;
	tf->rsp = kprobe_resume_rsp;
	return true;
}

uint64_t kernel_faults; /* faults taken in ring 0 and survived (the self-tests' probes, SYSENTER single-steps) */

void trap(struct trapframe *tf)
{
	if ((tf->cs & SEL_RPL_MASK) && tf->vector == T_NMI) { /* the machine's, not the app's: it goes on */
		kprintf("ringbench: NMI while the app ran (at rip %lx)\n", tf->rip);
		return;
	}
	if (tf->cs & SEL_RPL_MASK) {
		signal_fault(tf);
		return;
	}
	const uint64_t *iret = iret_state(tf);
	if (iret)
		bad_return(tf, iret); /* the app's fault, in all but the ring it was raised in: not counted */
	kernel_faults++;
	if (door_single_step(tf) || kprobe_fault(tf))
		return;
	report_fault(tf, "panic", 0);
	power_off(EXIT_PANIC);
}
