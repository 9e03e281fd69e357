/*
 * syscall64.S: entry_syscall64_<variant>, the LSTAR target: the fast door, and the one ringbench exists to
 * measure. Assembled once per entry variant (entry/variants.h); kernel/doors.c points LSTAR at one.
 *
 * What SYSCALL did: RCX = user RIP (the next instruction), R11 = user RFLAGS, RFLAGS &= ~FMASK (IF, TF,
 * DF, AC, NT, IOPL, RF cleared), CS/SS = the kernel's (from STAR). It did NOT touch RSP (still the
 * user's, untrusted) or the GS base (still the user's).
 * Register ABI: rax = number; rdi rsi rdx r10 r8 r9 = arguments 0-5. On return rax = result (a negative
 * errno on error); every other register is as the app left it, except rcx = its RIP and r11 = its RFLAGS.
 * Interrupts stay off from SYSCALL to SYSRET: the kernel stack and the per-CPU scratch slot are never
 * shared with an interrupt (NMI, #MC and #DF arrive on IST stacks).
 *
 * The fast path saves only the return RFLAGS: the handlers keep every other register themselves, RCX
 * (the return RIP) included (kernel/syscall.h). Round trip of the plain variant, user stub included: 27
 * instructions, 22 of them here (checked under QEMU -icount by make test). The rare cases SYSRET cannot
 * return from take .Lslow: a full frame and IRETQ.
 * A variant's defences (entry/defences.h) sit at fixed points, and expand to nothing in the plain one:
 * SWAPGS_FENCE after SWAPGS, KERNEL_CR3 as soon as a register is free, ENTRY_DEFENCES before the dispatch,
 * EXIT_DEFENCES after it, USER_CR3 when the kernel stack is done with, CLEAR_CPU_BUFFERS just before the
 * return instruction. SYSCALL itself pushes nothing, so no KPTI variant needs the entry stack here.
 * The noswapgs variant (EV_NOSWAPGS, alone) reaches the two slots by name instead of through GS, which a
 * one-CPU kernel can: the same path without the SWAPGS pair, to measure what it costs.
 */
#include "../lib/x86.h"
#include "dispatch.h"

.macro SYSCALL64 name, v
ENTRY(entry_syscall64_\name)
	STAMP_ENTRY \v
	/* Reach the per-CPU area, park the user RSP there (until SYSRET: nothing else uses the slot), and
	 * take the kernel stack. */
	.if (\v) & EV_NOSWAPGS
	movq %rsp, percpu + PCPU_USER_RSP(%rip)	/* by name: one CPU, so one area; GS stays the app's, and */
	KERNEL_CR3 \v, %rsp				/* nothing on this path uses it */
	movq percpu + PCPU_KERNEL_RSP(%rip), %rsp
	.else
	swapgs				/* GS base: user -> per-CPU area */
	SWAPGS_FENCE \v
	movq %rsp, %gs:PCPU_USER_RSP
	KERNEL_CR3 \v, %rsp		/* RSP is parked: the scratch register */
	movq %gs:PCPU_KERNEL_RSP, %rsp
	.endif

	pushq %r11			/* return RFLAGS (RCX, the return RIP, comes through DISPATCH) */
	leaq -8(%rsp), %rsp		/* a pad: RSP 16-byte aligned at DISPATCH's call */

	/* SYSRET cannot return to a non-canonical RIP (it faults in ring 0 on Intel, CVE-2012-0217), nor
	 * restore RF, and with TF it would trap at once instead of after one instruction. One branch for all
	 * three: R11 is on the stack now, so the test may consume it. RCX is at most 2^47, which it is when
	 * the SYSCALL sat in the last two bytes of the user half (no user page lies higher), so bit 47 alone
	 * tells a return RIP SYSRET cannot take. */
	andl $(RFLAGS_TF | RFLAGS_RF), %r11d
	btq $47, %rcx			/* CF = not a user address */
	adcq $0, %r11			/* nonzero: any of the three */
	jnz .Lslow_\name
	ENTRY_DEFENCES \v
	DISPATCH RB_DOOR_SYSCALL, \v	/* rax = the result; the handler keeps the arguments */
	leaq 8(%rsp), %rsp
	popq %r11
	EXIT_DEFENCES \v
	USER_CR3 \v, %rsp		/* done with the kernel stack: RSP is the scratch register */

	/* SYSRET: RIP = RCX, RFLAGS = R11, CS/SS = user (from STAR). */
	.if (\v) & EV_NOSWAPGS
	movq percpu + PCPU_USER_RSP(%rip), %rsp	/* the user stack: from here on nothing may touch it */
	.else
	movq %gs:PCPU_USER_RSP, %rsp	/* the user stack: from here on nothing may touch it */
	swapgs				/* GS base: per-CPU area -> user */
	.endif
	CLEAR_CPU_BUFFERS \v
	STAMP_EXIT \v
	sysretq

.Lslow_\name:
	/* The same frame an interrupt would build, so the general exit (trapret, IRETQ) serves. */
	.if (\v) & EV_NOSWAPGS
	swapgs				/* the GS base every way in from ring 3 leaves: trapret swaps it back */
	.endif
	leaq 8(%rsp), %rsp
	popq %r11
	pushq $SEL_UDATA		/* tf->ss */
	pushq %gs:PCPU_USER_RSP		/* tf->rsp */
	pushq %r11			/* tf->rflags, as SYSCALL saved them */
	pushq $SEL_UCODE		/* tf->cs */
	pushq %rcx			/* tf->rip, as SYSCALL saved it */
	pushq $0			/* tf->error */
	pushq $T_SYSCALL		/* tf->vector: marks a SYSCALL frame */
	PUSH_REGS			/* tf->rdi .. tf->r15 */
	DISPATCH_FRAME RB_DOOR_SYSCALL, \v
END(entry_syscall64_\name)
.endm

	.section .entry.text, "ax"	/* mapped in the KPTI user tables too (kernel/kpti.c) */
#define SYSCALL64_VARIANT(name, v) SYSCALL64 name, v; SYSCALL64 STAMPED_NAME(name), (v)|EV_STAMP;
ENTRY_VARIANTS(SYSCALL64_VARIANT)
	.section .note.GNU-stack, "", @progbits
