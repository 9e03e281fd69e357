/*
 * catch.S: how the app survives a signal it provoked on purpose (caught.c): catch_run calls a function
 * with the callee-saved registers and RSP kept in catch_saved; a handler (caught.c) sends the app to
 * catch_resume with them put back through its frame, so that rt_sigreturn is the way back, and catch_run
 * returns 1. catch_recover is where a random sigreturn frame (the fuzzer's) may send it: every register
 * unknown, it takes everything from catch_saved and returns 2. catch_restorer is the SA_RESTORER every
 * handler of the app returns to.
 */
#include "../lib/x86.h"
#include "syscall_nr.h"

#define MXCSR_DEFAULT 0x1f80

	.bss
	.p2align 3
	.globl catch_saved
catch_saved:				/* rbx rbp r12 r13 r14 r15 rsp */
	.skip 7 * 8

	.text
/* int catch_run(void (*fn)(void)): 0 when fn returned, 1 or 2 when a signal ended it. */
	.globl catch_run
catch_run:
	movq %rbx, catch_saved + 0(%rip)
	movq %rbp, catch_saved + 8(%rip)
	movq %r12, catch_saved + 16(%rip)
	movq %r13, catch_saved + 24(%rip)
	movq %r14, catch_saved + 32(%rip)
	movq %r15, catch_saved + 40(%rip)
	movq %rsp, catch_saved + 48(%rip)	/* at catch_run's return address */
	call *%rdi
	xorl %eax, %eax
	ret

/* Reached through rt_sigreturn with RSP and the callee-saved registers as catch_run saved them. */
	.globl catch_resume
catch_resume:
	movl $1, %eax
	ret

/* Reached with any register state: rebuilt from catch_saved, flags and FPU control clean. */
	.globl catch_recover
catch_recover:
	movq catch_saved + 48(%rip), %rsp
	pushq $RFLAGS_FIXED
	popfq
	movq catch_saved + 0(%rip), %rbx
	movq catch_saved + 8(%rip), %rbp
	movq catch_saved + 16(%rip), %r12
	movq catch_saved + 24(%rip), %r13
	movq catch_saved + 32(%rip), %r14
	movq catch_saved + 40(%rip), %r15
	fninit
	pushq $MXCSR_DEFAULT
	ldmxcsr (%rsp)
	addq $8, %rsp
	movl $2, %eax
	ret

	.globl catch_restorer
catch_restorer:
	movl $SYS_rt_sigreturn, %eax
	syscall
	ud2				/* rt_sigreturn does not return here */
	.section .note.GNU-stack, "", @progbits
