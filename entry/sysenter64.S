/*
 * sysenter64.S: entry_sysenter64_<variant>, the IA32_SYSENTER_EIP target (set only on CPUs where SYSENTER
 * works in 64-bit mode: Intel's). Same table as the other doors; returns by SYSEXITQ. Assembled once per
 * entry variant (entry/variants.h).
 *
 * What SYSENTER did: CS = SYSENTER_CS, SS = +8, RSP = SYSENTER_ESP (the kernel stack top), RIP =
 * SYSENTER_EIP, and cleared IF and RF. Nothing else: it saved neither the return RIP nor RSP nor RFLAGS,
 * and TF, NT, AC and DF are still the app's. So the user stub hands over its return RSP in RCX and return
 * RIP in R11 (RCX and R11 are what SYSCALL clobbers, so the argument registers match the SYSCALL door).
 * Register ABI: rax = number, rdi rsi rdx r10 r8 r9 = arguments, rcx = return RSP, r11 = return RIP. On
 * return: rax = result, rdx = the return RIP and rcx = the return RSP (SYSEXITQ takes them from there),
 * r11 as passed, every other register and RFLAGS as the app left them.
 * If the app set TF, each instruction up to sysenter_prologue_end_<variant> single-steps into #DB in ring 0;
 * trap() ignores those, then the flags are clean and the app's TF is in the frame.
 *
 * The fast path saves only what the handler may clobber of its return state, two words: RFLAGS and RIP
 * (RCX, the return RSP, comes through DISPATCH; the handlers keep every register but r11:
 * kernel/syscall.h), in the order of an interrupt frame. Once R11 is on the stack it is the scratch
 * register. It uses no GS (the stack came from the MSR). Two tests send everything else to .Lslow, a full
 * frame and IRETQ: a return address SYSEXIT cannot take, and the flags the kernel must not run with (TF,
 * NT, AC, DF) or the fast exit does not put back (OF), all rare in a system call (OF is set only by a
 * signed overflow), so the fast exit knows that only the five flags SAHF writes need putting back.
 */
#include "../lib/x86.h"
#include "dispatch.h"

.macro SYSENTER64 name, v
ENTRY(entry_sysenter64_\name)
	STAMP_ENTRY \v			/* (writes no flag: PUSHFQ still saves the app's) */
	pushfq				/* tf->rflags: the app's, before anything changes them (IF was clear in
					 * ring 3 already; PUSHFQ stores RF as 0) */
	pushq %r11			/* tf->rip: the stub's return RIP */

	/* SYSEXIT with a non-canonical RIP or RSP faults in ring 0 (the app chose both), and with TF it would
	 * trap at once; NT, AC and DF the kernel must not run with; OF the fast exit does not restore. Any of
	 * them: IRETQ. */
	orq %rcx, %r11
	shrq $47, %r11			/* any bit from 47 up in RIP or RSP: not a user address */
	jnz .Lrare_\name
	testl $(RFLAGS_TF | RFLAGS_NT | RFLAGS_AC | RFLAGS_DF | RFLAGS_OF), 8(%rsp)
	jz .Lfast_\name
.Lrare_\name:
	CLEAN_FLAGS
	.globl sysenter_prologue_end_\name
sysenter_prologue_end_\name:
	KERNEL_CR3 \v, %r11		/* (no SWAPGS, so no SWAPGS_FENCE: this path never uses GS) */
	KPTI_TO_KERNEL_STACK \v, 2, %r11	/* rflags rip, from the entry stack */
	jmp .Lslow_\name

.Lfast_\name:
	KERNEL_CR3 \v, %r11		/* the same, with the flags known clean */
	KPTI_TO_KERNEL_STACK \v, 2, %r11
	ENTRY_DEFENCES \v
	DISPATCH RB_DOOR_SYSENTER, \v	/* rax = the result; the handler keeps the arguments */
	EXIT_DEFENCES \v

	/* SYSEXITQ: RIP = RDX, RSP = RCX, CS = SYSENTER_CS + 32, SS = +40. It leaves RFLAGS alone, so the
	 * app's are put back first, and of them only SF ZF AF PF CF can differ (TF, NT, AC, DF and OF took
	 * .Lslow; IF is clear in ring 3 and stays so). POPFQ would do, but it is microcoded (and under TCG
	 * ends the translation block with a return to QEMU's main loop), so SAHF sets those five from AH,
	 * after an XOR that clears OF, as the app's is. (Sending OF to .Lslow rather than restoring it keeps
	 * the exit at four instructions, and under TCG spares a call into QEMU's lazy flag computation, which
	 * SAHF after any other flag-writer needs: a TSC step of this door.) From there on, nothing writes the
	 * flags: MOV only. */
	popq %rdx			/* the return RIP */
	CLEAR_CPU_BUFFERS \v		/* before the app's flags: VERW writes ZF */
	movq %rax, %r11			/* the result */
	xorl %eax, %eax			/* OF = 0, the app's */
	movb (%rsp), %ah		/* the app's SF ZF AF PF CF */
	sahf
	movq %r11, %rax			/* the result */
	movq %rdx, %r11			/* r11 comes back as the stub passed it */
	USER_CR3 \v, %rsp		/* SYSEXIT takes RSP from RCX: RSP is free */
	STAMP_EXIT \v
	sysexitq

.Lslow_\name:
	/* The rest of an interrupt frame around the two words: SS and RSP above RFLAGS, CS below it. */
	popq %r11			/* the return RIP */
	pushq (%rsp)
	pushq (%rsp)			/* RFLAGS, two words down */
	movq $SEL_UDATA, 16(%rsp)	/* tf->ss */
	movq %rcx, 8(%rsp)		/* tf->rsp: the return RSP, which rcx keeps */
	pushq $SEL_UCODE		/* tf->cs */
	pushq %r11			/* tf->rip */
	pushq $0			/* tf->error */
	pushq $T_SYSENTER		/* tf->vector */
	PUSH_REGS			/* tf->rdi .. tf->r15 (the handler takes rdx from the register) */
	movq %r11, TF_RDX(%rsp)		/* and rdx = the return RIP, as the fast exit leaves it */
	swapgs				/* trapret swaps back on the way to ring 3 */
	SWAPGS_FENCE \v
	DISPATCH_FRAME RB_DOOR_SYSENTER, \v
END(entry_sysenter64_\name)
.endm

	.section .entry.text, "ax"	/* mapped in the KPTI user tables too (kernel/kpti.c) */
#define SYSENTER64_VARIANT(name, v) SYSENTER64 name, v; SYSENTER64 STAMPED_NAME(name), (v)|EV_STAMP;
ENTRY_VARIANTS(SYSENTER64_VARIANT)
	.section .note.GNU-stack, "", @progbits
