/*
 * syscall64.S: entry_syscall64, the LSTAR target: the fast door, and the one ringbench exists to measure.
 * kernel/gdt.c (syscall_init) points LSTAR here. Decisions are made in C (entry/dispatch.c); this stub
 * only switches stacks, builds the frame, calls, and returns by the cheapest safe instruction.
 *
 * What SYSCALL did: RCX = user RIP (the next instruction), R11 = user RFLAGS, RFLAGS &= ~FMASK (IF, TF,
 * DF, AC, NT and the arithmetic flags cleared), CS/SS = the kernel's (from STAR). It did NOT touch RSP
 * (still the user's, untrusted) or the GS base (still the user's).
 * Register ABI: rax = number; rdi rsi rdx r10 r8 r9 = arguments 0-5. On return rax = result (a negative
 * errno on error); every other register is as the app left it, except rcx = its RIP and r11 = its RFLAGS.
 * Interrupts stay off from SYSCALL to SYSRET: the kernel stack and the per-CPU scratch slot are never
 * shared with an interrupt (NMI, #MC and #DF arrive on IST stacks).
 */
#include "../lib/x86.h"
#include "regs.h"

	.text
ENTRY(entry_syscall64)
	/* Reach the per-CPU area, park the user RSP there, and take the kernel stack. */
	swapgs				/* GS base: user -> per-CPU area */
	movq %rsp, %gs:PCPU_USER_RSP	/* no register is free to hold it */
	movq %gs:PCPU_KERNEL_RSP, %rsp

	/* Build the same frame an interrupt would, so one exit path (trapret) can serve any case. */
	pushq $SEL_UDATA		/* tf->ss */
	pushq %gs:PCPU_USER_RSP		/* tf->rsp */
	pushq %r11			/* tf->rflags, as SYSCALL saved them */
	pushq $SEL_UCODE		/* tf->cs */
	pushq %rcx			/* tf->rip, as SYSCALL saved it */
	pushq $0			/* tf->error */
	pushq $T_SYSCALL		/* tf->vector: marks a SYSCALL frame */
	PUSH_REGS			/* tf->rdi .. tf->r15 */

	/* Dispatch through the one table. The frame is 16-byte aligned, as the C ABI wants before a call. */
	movq %rsp, %rdi
	call do_syscall			/* writes tf->rax; returns true when a fast return is safe */
	testb %al, %al
	jz trapret			/* not safe (non-canonical RIP, TF set, ...): return by IRETQ */

	/* SYSRET: RIP = RCX, RFLAGS = R11, CS/SS = user (from STAR). */
	POP_REGS			/* every user register; rax = the result */
	movq TF_RIP-TF_VECTOR(%rsp), %rcx	/* the return state, from the frame: so a changed */
	movq TF_RFLAGS-TF_VECTOR(%rsp), %r11	/* tf->rip or tf->rflags is honoured */
	movq TF_RSP-TF_VECTOR(%rsp), %rsp /* the user stack: from here on nothing may touch it */
	swapgs				/* GS base: per-CPU area -> user */
	sysretq
END(entry_syscall64)
	.section .note.GNU-stack, "", @progbits
