/*
 * vectors.S: the 256 interrupt entries and the general exit. Each vector stub pushes a zero error code
 * where the CPU pushes none (so every frame has the same shape, kernel/trapframe.h), then its number, and
 * joins alltraps, which saves the registers and calls trap() (kernel/trap.c). kernel/idt.c installs
 * vector_table. trapret is also the IRETQ exit of every door whose fast return is not safe.
 * Under a KPTI variant a trap may arrive on the user page tables (from ring 3, or from the first
 * instructions of a door in ring 0): alltraps moves to the kernel's and back, like Linux's paranoid entry.
 */
#include "../lib/x86.h"
#include "defences.h"

	.section .entry.text, "ax"	/* mapped in the KPTI user tables too (kernel/kpti.c) */
.macro VECTOR n
ENTRY(vector\n)
	.if !(T_HAS_ERROR(\n))
	pushq $0			/* tf->error: this vector has none */
	.endif
	pushq $\n			/* tf->vector */
	jmp alltraps
END(vector\n)
.endm

.altmacro				/* %i: the value of i, for the names */
.set i, 0
.rept IDT_VECTORS
	VECTOR %i
	.set i, i + 1
.endr
.noaltmacro				/* where % is a register again */

ENTRY(alltraps)
	PUSH_REGS			/* tf->rdi .. tf->r15 */
	testb $SEL_RPL_MASK, TF_CS(%rsp)
	jz 1f
	swapgs				/* from ring 3: GS base -> per-CPU area */
1:	CLEAN_GATE_FLAGS		/* DF and AC are the app's: the C code wants them clear */
	/* The kernel's tables (kpti_kernel_cr3, 0 until vm.c has built them), the ones the trap came in on
	 * kept in r12 (callee-saved across trap(); the app's r12 is in the frame). */
	movq %cr3, %r12
	movq kpti_kernel_cr3, %rax
	testq %rax, %rax
	jz 2f
	movq %rax, %cr3
	/* A frame on the KPTI entry stack (from ring 3, or from a door's first instructions in ring 0) moves
	 * to the kernel stack, and returns on the kernel's tables: the entry stack is small, and the return
	 * would read the frame after the switch back to tables that do not map the kernel stack. */
	movq %rsp, %rax
	subq $entry_stack, %rax
	cmpq $ENTRY_STACK_SIZE, %rax
	jae 2f
	MOVE_FRAME TF_WORDS, %rax
	movq %cr3, %r12
2:	movq %rsp, %rdi
	call trap
	testb $SEL_RPL_MASK, TF_CS(%rsp)
	jnz trapret_user
	movq %r12, %cr3			/* back to ring 0: on the tables it was using */
	jmp trapret
END(alltraps)

/* Back to ring 3 from a frame on the kernel stack: FRED's exit while FRED is on; else on the current
 * variant's user tables, the KPTI exit (with VERW, the safe choice for every KPTI variant) when they are not
 * the kernel's own. Also the app's first entry (user_return, kernel/trap.c). */
ENTRY(trapret_user)
	cmpq $0, percpu + PCPU_FRED	/* FRED delivers the events: only ERETU leaves for ring 3 */
	jne fred_exit_user
	movq kpti_user_cr3, %rax
	cmpq kpti_kernel_cr3, %rax
	je trapret
	TRAPRET (EV_KPTI|EV_VERW)
END(trapret_user)

ENTRY(trapret)
	testb $SEL_RPL_MASK, TF_CS(%rsp)
	jz 1f
	swapgs				/* to ring 3: GS base -> user */
1:	POP_FRAME_IRET 0
END(trapret)

	.section .rodata
	.p2align 3
	.globl vector_table
vector_table:
.macro VECTOR_ADDR n
	.quad vector\n
.endm
.altmacro
.set i, 0
.rept IDT_VECTORS
	VECTOR_ADDR %i
	.set i, i + 1
.endr
	.section .note.GNU-stack, "", @progbits
