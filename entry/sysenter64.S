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
 * The fast path saves only its return state, three words: RSP, RFLAGS and RIP, in the order of the top of
 * an interrupt frame, less the selectors (the handlers keep every other register: kernel/syscall.h). Once
 * RCX and R11 are on the stack they are its scratch registers. It uses no GS (the stack came from the
 * MSR). One test sends everything else to .Lslow, a full frame and IRETQ: a return address SYSEXIT cannot
 * take, and the flags the kernel must not run with (TF, NT, AC, DF), which are rare in a system call, so
 * the fast exit knows that only the arithmetic flags need putting back.
 */
#include "../lib/x86.h"
#include "regs.h"

#define BYTE_SIGN_BIT 7			/* a byte's sign: adding two set ones overflows (OF), two clear ones not */

.macro SYSENTER64 name, v
ENTRY(entry_sysenter64_\name)
	pushq %rcx			/* tf->rsp: the stub's return RSP */
	pushfq				/* tf->rflags: the app's, before anything changes them (IF was clear in
					 * ring 3 already; PUSHFQ stores RF as 0) */
	pushq %r11			/* tf->rip: the stub's return RIP */

	/* SYSEXIT with a non-canonical RIP or RSP faults in ring 0 (the app chose both), and with TF it would
	 * trap at once; NT, AC and DF the kernel must not run with. Any of them: IRETQ. */
	orq %r11, %rcx
	shrq $47, %rcx			/* any bit from 47 up in either: not a user address */
	movl 8(%rsp), %r11d
	andl $(RFLAGS_TF | RFLAGS_NT | RFLAGS_AC | RFLAGS_DF), %r11d
	orq %r11, %rcx
	jz .Lfast_\name
	CLEAN_FLAGS
	.globl sysenter_prologue_end_\name
sysenter_prologue_end_\name:
	KERNEL_CR3 \v, %r11		/* (no SWAPGS, so no SWAPGS_FENCE: this path never uses GS) */
	KPTI_TO_KERNEL_STACK \v, 3, %r11	/* rsp rflags rip, from the entry stack */
	jmp .Lslow_\name

.Lfast_\name:
	KERNEL_CR3 \v, %r11		/* the same, with the flags known clean */
	KPTI_TO_KERNEL_STACK \v, 3, %r11
	ENTRY_DEFENCES \v
	DISPATCH RB_DOOR_SYSENTER, \v	/* rax = the result; the handler keeps the arguments */
	EXIT_DEFENCES \v

	/* SYSEXITQ: RIP = RDX, RSP = RCX, CS = SYSENTER_CS + 32, SS = +40. It leaves RFLAGS alone, so the
	 * app's are put back first, and of them only the arithmetic flags can differ (TF, NT, AC and DF took
	 * .Lslow; IF is clear in ring 3 and stays so). POPFQ would do, but it is microcoded (and under TCG
	 * ends the translation block with a return to QEMU's main loop), so they are set by hand: OF by an
	 * addition that overflows exactly when the app's OF was set, then SAHF for SF ZF AF PF CF, which
	 * leaves OF alone. From there on, nothing writes the flags: MOV only. */
	popq %rdx			/* the return RIP */
	CLEAR_CPU_BUFFERS \v		/* before the app's flags: VERW writes ZF */
	movq %rax, %rcx			/* the result, while AH carries the flags */
	movl (%rsp), %eax		/* the app's RFLAGS */
	movl %eax, %r11d
	shrl $(RFLAGS_OF_BIT - BYTE_SIGN_BIT), %r11d	/* OF to r11b's sign */
	andl $(1 << BYTE_SIGN_BIT), %r11d
	addb %r11b, %r11b		/* 0x80 + 0x80 overflows, 0 + 0 does not: OF = the app's */
	movb %al, %ah
	sahf				/* SF ZF AF PF CF = the app's */
	movq %rcx, %rax			/* the result */
	movq %rdx, %r11			/* r11 comes back as the stub passed it */
	movq 8(%rsp), %rcx		/* the return RSP */
	USER_CR3 \v, %rsp		/* SYSEXIT takes RSP from RCX: RSP is free */
	sysexitq

.Lslow_\name:
	/* The rest of an interrupt frame around the three words: SS above RSP, CS between RFLAGS and RIP. */
	popq %r11			/* the return RIP */
	popq %rcx			/* the app's RFLAGS */
	pushq (%rsp)			/* tf->rsp, one word down... */
	movq $SEL_UDATA, 8(%rsp)	/* ...and tf->ss where it was */
	pushq %rcx			/* tf->rflags */
	pushq $SEL_UCODE		/* tf->cs */
	pushq %r11			/* tf->rip */
	movq TF_RSP - TF_RIP(%rsp), %rcx /* rcx = the return RSP, as the fast exit leaves it */
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
#define SYSENTER64_VARIANT(name, v) SYSENTER64 name, v;
ENTRY_VARIANTS(SYSENTER64_VARIANT)
	.section .note.GNU-stack, "", @progbits
