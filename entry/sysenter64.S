/*
 * sysenter64.S: entry_sysenter64, the IA32_SYSENTER_EIP target (kernel/gdt.c sets the MSRs only on CPUs
 * where SYSENTER works in 64-bit mode: Intel's). Same table as the other doors; returns by SYSEXITQ.
 *
 * What SYSENTER did: CS = SYSENTER_CS, SS = +8, RSP = SYSENTER_ESP (the kernel stack top), RIP =
 * SYSENTER_EIP, and cleared IF. Nothing else: it saved neither the return RIP nor RSP nor RFLAGS, and TF,
 * NT, AC and DF are still the app's. So the user stub hands over its return RSP in RCX and return RIP in
 * R11 (RCX and R11 are what SYSCALL clobbers, so the argument registers match the SYSCALL door).
 * Register ABI: rax = number, rdi rsi rdx r10 r8 r9 = arguments, rcx = return RSP, r11 = return RIP. On
 * return: rax = result, rdx = the return RIP and rcx = the return RSP (SYSEXITQ takes them from there),
 * every other register and RFLAGS as the app left them.
 * If the app set TF, each instruction up to the popfq below single-steps into #DB in ring 0; trap()
 * ignores those (sysenter_prologue_end), then the flags are clean and the app's TF is in the frame.
 */
#include "../lib/x86.h"
#include "regs.h"

	.text
ENTRY(entry_sysenter64)
	/* The CPU's part of an interrupt frame, built by hand; first of all RFLAGS, before they are fixed. */
	pushq $SEL_UDATA		/* tf->ss */
	pushq %rcx			/* tf->rsp: the stub's return RSP */
	pushfq				/* tf->rflags: the app's (IF was clear in ring 3 already) */
	CLEAN_FLAGS			/* TF, NT, AC, DF off: the kernel must not run with the app's */
	.globl sysenter_prologue_end
sysenter_prologue_end:
	swapgs				/* GS base: user -> per-CPU area */
	pushq $SEL_UCODE		/* tf->cs */
	pushq %r11			/* tf->rip: the stub's return RIP */
	pushq $0			/* tf->error */
	pushq $T_SYSENTER		/* tf->vector */
	PUSH_REGS			/* tf->rdi .. tf->r15 */

	DISPATCH			/* the registers still hold the app's number and arguments */
	movq %rax, TF_RAX(%rsp)		/* the result, restored into rax by POP_REGS or trapret */

	/* SYSEXIT with a non-canonical RIP or RSP faults in ring 0 (the app chose both: they came in r11
	 * and rcx); it cannot restore RF, and with TF it would trap at once. Those return by IRETQ. */
	testl $(RFLAGS_TF | RFLAGS_RF), TF_RFLAGS(%rsp)
	jnz trapret
	movq TF_RIP(%rsp), %rcx
	orq TF_RSP(%rsp), %rcx
	shrq $47, %rcx			/* any bit from 47 up set in either: not a user address */
	jnz trapret

	/* SYSEXITQ: RIP = RDX, RSP = RCX, CS = SYSENTER_CS + 32, SS = +40. It leaves RFLAGS alone, so they
	 * are restored here (TF is known clear, IF stays off). */
	POP_REGS			/* every user register; rax = the result */
	movq TF_RIP-TF_VECTOR(%rsp), %rdx
	movq TF_RSP-TF_VECTOR(%rsp), %rcx
	pushq TF_RFLAGS-TF_VECTOR(%rsp)	/* (the address is taken before RSP moves) */
	popfq				/* the app's RFLAGS from here on: only moves follow */
	swapgs				/* GS base: per-CPU area -> user */
	sysexitq
END(entry_sysenter64)
	.section .note.GNU-stack, "", @progbits
