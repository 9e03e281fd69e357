/*
 * sysenter64.S: entry_sysenter64_<variant>, the IA32_SYSENTER_EIP target (set only on CPUs where SYSENTER
 * works in 64-bit mode: Intel's). Same table as the other doors; returns by SYSEXITQ. Assembled once per
 * entry variant (entry/variants.h).
 *
 * What SYSENTER did: CS = SYSENTER_CS, SS = +8, RSP = SYSENTER_ESP (the kernel stack top), RIP =
 * SYSENTER_EIP, and cleared IF. Nothing else: it saved neither the return RIP nor RSP nor RFLAGS, and TF,
 * NT, AC and DF are still the app's. So the user stub hands over its return RSP in RCX and return RIP in
 * R11 (RCX and R11 are what SYSCALL clobbers, so the argument registers match the SYSCALL door).
 * Register ABI: rax = number, rdi rsi rdx r10 r8 r9 = arguments, rcx = return RSP, r11 = return RIP. On
 * return: rax = result, rdx = the return RIP and rcx = the return RSP (SYSEXITQ takes them from there),
 * r11 as passed, every other register and RFLAGS as the app left them.
 * If the app set TF, each instruction up to sysenter_prologue_end_<variant> single-steps into #DB in ring 0;
 * trap() ignores those, then the flags are clean and the app's TF is in the frame.
 *
 * The fast path uses no GS (the stack came from the MSR) and saves only its return state and rdi, its
 * scratch register (the handlers keep the others: kernel/syscall.h); anything SYSEXIT cannot return to
 * takes .Lslow: a full frame and IRETQ.
 */
#include "../lib/x86.h"
#include "regs.h"

#define BYTE_SIGN_BIT 7			/* a byte's sign: adding two set ones overflows (OF), two clear ones not */

.macro SYSENTER64 name, v
ENTRY(entry_sysenter64_\name)
	/* The top of an interrupt frame, and first of all RFLAGS, before anything changes them. */
	pushq $SEL_UDATA		/* tf->ss */
	pushq %rcx			/* tf->rsp: the stub's return RSP */
	pushfq				/* tf->rflags: the app's (IF was clear in ring 3 already) */
	testl $(RFLAGS_TF | RFLAGS_NT | RFLAGS_AC), (%rsp)
	jz .Lclean_\name
	CLEAN_FLAGS			/* rare: the kernel must not run with the app's TF, NT or AC */
.Lclean_\name:
	cld				/* the C ABI's DF = 0 */
	.globl sysenter_prologue_end_\name
sysenter_prologue_end_\name:
	pushq $SEL_UCODE		/* tf->cs */
	pushq %r11			/* tf->rip: the stub's return RIP */

	/* SYSEXIT with a non-canonical RIP or RSP faults in ring 0 (the app chose both), it cannot restore
	 * RF, and with TF it would trap at once: those return by IRETQ. */
	pushq %rdi			/* a scratch register for the check, and an argument to keep */
	KERNEL_CR3 \v, %rdi		/* (no SWAPGS, so no SWAPGS_FENCE: this path never uses GS) */
	KPTI_TO_KERNEL_STACK \v, 6, %rdi	/* ss rsp rflags cs rip rdi, from the entry stack */
	movq %r11, %rdi
	orq %rcx, %rdi
	shrq $47, %rdi			/* any bit from 47 up in either: not a user address */
	jnz .Lslow_pop_\name
	testl $(RFLAGS_TF | RFLAGS_RF), 24(%rsp) /* the saved RFLAGS, above rdi, rip and cs */
	jnz .Lslow_pop_\name
	movq (%rsp), %rdi		/* argument 0 again */

	ENTRY_DEFENCES \v
	DISPATCH RB_DOOR_SYSENTER, \v	/* rax = the result; the handler keeps the arguments */
	popq %rdi
	EXIT_DEFENCES \v

	/* SYSEXITQ: RIP = RDX, RSP = RCX, CS = SYSENTER_CS + 32, SS = +40. It leaves RFLAGS alone, so the
	 * app's are put back first. POPFQ would do, but it is microcoded (and under TCG ends the translation
	 * block with a return to QEMU's main loop), so when DF, AC and NT are clear, as C code leaves them,
	 * the arithmetic flags are set by hand: OF by an addition that overflows exactly when the app's OF
	 * was set, then SAHF for SF ZF AF PF CF, which leaves OF alone. From there on, nothing writes the
	 * flags: MOV, LEA and POP only. (TF is known clear; IF is clear in ring 3 and stays so.) */
	popq %rdx			/* the return RIP */
	CLEAR_CPU_BUFFERS \v		/* before the app's flags: VERW writes ZF */
	movq %rax, %rcx			/* the result, while AH carries the flags */
	movl 8(%rsp), %eax		/* the app's RFLAGS, above tf->cs */
	testl $(RFLAGS_DF | RFLAGS_AC | RFLAGS_NT), %eax
	jnz .Lflags_by_popf_\name
	movl %eax, %r11d
	shrl $(RFLAGS_OF_BIT - BYTE_SIGN_BIT), %r11d	/* OF to r11b's sign */
	andl $(1 << BYTE_SIGN_BIT), %r11d
	addb %r11b, %r11b		/* 0x80 + 0x80 overflows, 0 + 0 does not: OF = the app's */
	movb %al, %ah
	sahf				/* SF ZF AF PF CF = the app's */
.Lflags_done_\name:
	movq %rcx, %rax			/* the result */
	movq %rdx, %r11			/* r11 comes back as the stub passed it */
	leaq 16(%rsp), %rsp		/* past tf->cs and tf->rflags */
	popq %rcx			/* the return RSP */
	USER_CR3 \v, %rsp		/* SYSEXIT takes RSP from RCX: RSP is free */
	sysexitq			/* (the tf->ss slot is simply left behind) */

.Lflags_by_popf_\name:
	pushq 8(%rsp)			/* rare: DF, AC or NT to restore as well, so all of them by POPFQ */
	popfq
	jmp .Lflags_done_\name

.Lslow_pop_\name:
	popq %rdi
	pushq $0			/* tf->error */
	pushq $T_SYSENTER		/* tf->vector */
	PUSH_REGS			/* tf->rdi .. tf->r15 */
	swapgs				/* trapret swaps back on the way to ring 3 */
	SWAPGS_FENCE \v
	DISPATCH_FRAME RB_DOOR_SYSENTER, \v
END(entry_sysenter64_\name)
.endm

	.section .entry.text, "ax"	/* mapped in the KPTI user tables too (kernel/kpti.c) */
#define SYSENTER64_VARIANT(name, v) SYSENTER64 name, v;
ENTRY_VARIANTS(SYSENTER64_VARIANT)
	.section .note.GNU-stack, "", @progbits
