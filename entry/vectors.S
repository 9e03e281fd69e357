/*
 * vectors.S: the 256 interrupt entries and the general exit. Each vector stub pushes a zero error code
 * where the CPU pushes none (so every frame has the same shape, kernel/trapframe.h), then its number, and
 * joins alltraps, which saves the registers and calls trap() (kernel/trap.c). kernel/idt.c installs
 * vector_table. trapret is also the IRETQ exit of every door whose fast return is not safe.
 */
#include "../lib/x86.h"
#include "regs.h"

	.text
.macro VECTOR n
ENTRY(vector\n)
	.if !(T_HAS_ERROR(\n))
	pushq $0			/* tf->error: this vector has none */
	.endif
	pushq $\n			/* tf->vector */
	jmp alltraps
END(vector\n)
.endm

.altmacro
.set i, 0
.rept IDT_VECTORS
	VECTOR %i
	.set i, i + 1
.endr

ENTRY(alltraps)
	PUSH_REGS			/* tf->rdi .. tf->r15 */
	testb $SEL_RPL_MASK, TF_CS(%rsp)
	jz 1f
	swapgs				/* from ring 3: GS base -> per-CPU area */
1:	CLEAN_FLAGS			/* DF and AC are the app's: the C code wants them clear */
	movq %rsp, %rdi
	call trap
	/* fall through */
ENTRY(trapret)
	testb $SEL_RPL_MASK, TF_CS(%rsp)
	jz 1f
	swapgs				/* to ring 3: GS base -> user */
1:	POP_REGS
	addq $16, %rsp			/* drop tf->vector and tf->error */
	.globl trapret_iret
trapret_iret:				/* trap() knows a fault here is the app's (bad return state) */
	iretq
END(trapret)
END(alltraps)

	.section .rodata
	.p2align 3
	.globl vector_table
vector_table:
.macro VECTOR_ADDR n
	.quad vector\n
.endm
.set i, 0
.rept IDT_VECTORS
	VECTOR_ADDR %i
	.set i, i + 1
.endr
	.section .note.GNU-stack, "", @progbits
