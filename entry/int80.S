/*
 * int80.S: entry_int80_<variant>, the IDT gate for vector 0x80 (DPL 3, set by kernel/idt.c): the classic
 * software-interrupt door, and ringbench's slow reference path. It reaches the same DISPATCH and the same
 * table as the other doors, and always returns by IRETQ.
 *
 * What INT 0x80 did: the CPU switched to TSS.RSP0 and pushed SS, RSP, RFLAGS, CS, RIP (an interrupt gate:
 * IF, TF, NT and RF cleared; DF and AC are still the app's). Register ABI as for SYSCALL: rax = number,
 * rdi rsi rdx r10 r8 r9 = arguments; on return rax = result and every other register and RFLAGS are as the
 * app left them: IRETQ restores all of it from the frame. Assembled once per entry variant (entry/variants.h).
 */
#include "../lib/x86.h"
#include "dispatch.h"

.macro INT80 name, v
ENTRY(entry_int80_\name)
	STAMP_ENTRY \v
	pushq $0			/* tf->error */
	pushq $T_INT80			/* tf->vector */
	PUSH_REGS			/* tf->rdi .. tf->r15 */
	swapgs				/* from ring 3 only: the gate's DPL 3 is for the app; the kernel never uses it */
	SWAPGS_FENCE \v
	KERNEL_CR3 \v, %rcx		/* RCX is in the frame, and DISPATCH sets it */
	KPTI_TO_KERNEL_STACK \v, TF_WORDS, %rcx
	CLEAN_GATE_FLAGS
	DISPATCH_FRAME RB_DOOR_INT80, \v	/* the registers still hold the app's number and arguments */
END(entry_int80_\name)
.endm

	.section .entry.text, "ax"	/* mapped in the KPTI user tables too (kernel/kpti.c) */
#define INT80_VARIANT(name, v) INT80 name, v; INT80 STAMPED_NAME(name), (v)|EV_STAMP;
ENTRY_VARIANTS(INT80_VARIANT)
	.section .note.GNU-stack, "", @progbits
