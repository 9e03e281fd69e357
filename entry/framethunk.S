/*
 * framethunk.S: frame_thunk, how a handler that needs the app's whole state is reached (SYSCALL_FRAME in
 * syscall.h: rt_sigreturn, and the calls that may deliver a signal). The fast doors save almost nothing
 * (syscall64.S, sysenter64.S), so the thunk stores every general register as a struct trapframe on the
 * stack and hands it to frame_call (framecall.c), which completes it from the door, calls the handler and,
 * when the handler changed the app's state, returns to ring 3 by IRETQ with the new one and never comes
 * back here. Otherwise the thunk returns to the door like any handler (syscall.h): every register as it
 * was, the result in r11 (and in rax, which DISPATCH overwrites).
 * In: r11 = the handler's C body, long fn(struct trapframe *, const uint64_t args[6]); at (%rsp) the
 * address the handler returns to in the door's DISPATCH.
 */
#include "calling.h"

	.text
ENTRY(frame_thunk)
	pushq $0				/* a pad: 23 words below the return address keep RSP 16-byte aligned */
	subq $(TF_SIZE - TF_VECTOR), %rsp	/* tf->vector .. tf->ss: frame_call fills them */
	PUSH_REGS				/* tf->rdi .. tf->r15 */
	movq %rsp, %rdi				/* frame_call(tf, return address, fn) */
	movq (TF_SIZE + 8)(%rsp), %rsi
	movq %r11, %rdx
	call frame_call
	POP_REGS				/* rax = the result */
	movq %rax, %r11
	addq $(TF_SIZE - TF_VECTOR + 8), %rsp
	ret
END(frame_thunk)
	.section .note.GNU-stack, "", @progbits
