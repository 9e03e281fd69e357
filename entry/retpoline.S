/*
 * retpoline.S: retpoline_rax, "call *%rax" without an indirect branch the CPU could predict from history
 * (Spectre v2, Google's retpoline). The call pushes a return address that the thunk overwrites with the
 * target, and RET goes there; the return stack buffer predicts the RET into the trap loop, where any
 * speculation spins harmlessly until the RET resolves. The EV_RETPOLINE variant's DISPATCH calls it.
 */
#include "calling.h"

	.text
ENTRY(retpoline_rax)
	call .Lset_target
.Ltrap:
	pause
	lfence
	jmp .Ltrap
.Lset_target:
	movq %rax, (%rsp)		/* the RET's target: the handler */
	ret
END(retpoline_rax)
	.section .note.GNU-stack, "", @progbits
