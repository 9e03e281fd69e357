/*
 * trap.c: every exception lands in trap() (from entry/vectors.S), which decides what it means: a fault in
 * ring 3 ends the app (app_kill); a fault the kernel expected (its self-tests' probes, a single-stepped
 * SYSENTER, an IRETQ that the app's bad state made fault) is handled; any other fault in ring 0 is a
 * kernel bug: a full dump (fault.c) and the panic status.
 */
#include <stddef.h>
#include "defs.h"
#include "../lib/fmt.h"
#include "../lib/x86.h"

/* An app that sets TF and executes SYSENTER single-steps into the kernel until entry_sysenter64_<variant> has saved
 * and cleared its RFLAGS (Linux's entry_SYSENTER_compat does the same): those #DBs are expected. */
static bool sysenter_single_step(const struct trapframe *tf)
{
	return tf->vector == T_DB && in_sysenter_prologue(tf->rip);
}

/* IRETQ to ring 3 faulted (a non-canonical RIP, say): the fault is the app's. The registers in tf are
 * already the app's; the state IRETQ was loading is the frame at tf->rsp. */
static NORETURN void bad_return(const struct trapframe *tf)
{
	const uint64_t *iret = (const uint64_t *)tf->rsp; /* rip, cs, rflags, rsp, ss */
	struct trapframe user = *tf;
	user.rip = iret[0], user.cs = iret[1], user.rflags = iret[2], user.rsp = iret[3], user.ss = iret[4];
	kprintf("ringbench: returning to the app at %lx faulted (%s in IRETQ)\n", user.rip, trap_name(tf->vector));
	app_kill(&user);
}

/* Is rip one of the IRETQs to ring 3 (IRET_SITE in entry/calling.h)? */
static bool iret_site(uint64_t rip)
{
	extern const uint64_t __iret_sites_start[], __iret_sites_end[];
	for (const uint64_t *s = __iret_sites_start; s < __iret_sites_end; s++)
		if (*s == rip)
			return true;
	return false;
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
	if (tf->cs & SEL_RPL_MASK)
		app_kill(tf);
	kernel_faults++;
	if (sysenter_single_step(tf) || kprobe_fault(tf))
		return;
	if (iret_site(tf->rip) && (((const uint64_t *)tf->rsp)[1] & SEL_RPL_MASK))
		bad_return(tf);
	report_fault(tf, "panic");
	power_off(EXIT_PANIC);
}
