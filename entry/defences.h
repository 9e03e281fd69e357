/*
 * defences.h: the mitigation lab's defences, as assembly macros the entry stubs expand according to
 * their variant's EV_* features (entry/variants.h). A feature the variant lacks expands to nothing. The
 * memory they read before the page-table switch (kpti_kernel_cr3, kpti_user_cr3, verw_selector) lives in
 * .entry.data, which the KPTI tables map (kernel/kpti.c). README.md, "The mitigation lab", gives each
 * defence's source.
 */
#ifndef RINGBENCH_DEFENCES_H
#define RINGBENCH_DEFENCES_H
#include "calling.h"
#include "variants.h"
#include "stamp.h"

/* KPTI: onto the kernel's full tables; scratch is a register the stub has saved or may lose. The value is
 * read with an absolute address: the entry text runs at its link address in both tables. */
.macro KERNEL_CR3 v, scratch
	.if (\v) & EV_KPTI
	movq kpti_kernel_cr3, \scratch
	movq \scratch, %cr3
	.endif
.endm

/* KPTI: onto the user tables (the user half, and only what the entry needs of the kernel), last thing
 * before the return instruction and its few loads from the entry stack and the per-CPU area. */
.macro USER_CR3 v, scratch
	.if (\v) & EV_KPTI
	movq kpti_user_cr3, \scratch
	movq \scratch, %cr3
	.endif
.endm

/* KPTI: the frame of n words at RSP, on the entry stack, moved to the top of the kernel stack, and RSP
 * with it; scratch is a register the frame holds. Only once on the kernel's tables: the user tables do
 * not map the kernel stack. */
.macro KPTI_TO_KERNEL_STACK v, words, scratch
	.if (\v) & EV_KPTI
	MOVE_FRAME \words, \scratch
	.endif
.endm

.macro MOVE_FRAME words, scratch
	movq %rsp, \scratch
	movq percpu + PCPU_KERNEL_RSP, %rsp
	.set .Lword, \words
	.rept \words
	.set .Lword, .Lword - 1
	pushq (8 * .Lword)(\scratch)
	.endr
.endm

/* One word of the IRETQ frame, from the trap frame at RSP to its place in the stage at RDI. */
.macro STAGE_IRET_WORD off
	movq \off(%rsp), %rsi
	movq %rsi, (IRET_STAGE_FRAME + \off - TF_RIP)(%rdi)
.endm

/* Back to ring 3 by IRETQ from a full frame at RSP (the slow paths and int 0x80). Under KPTI: the IRETQ
 * frame and the app's RDI staged on the entry stack, every other register restored from the frame, then
 * the user tables, SWAPGS and IRETQ from the entry stack, which both sets of tables map. */
.macro TRAPRET v
	.if (\v) & EV_KPTI
	movq $(entry_stack + ENTRY_STACK_SIZE - IRET_STAGE_SIZE), %rdi
	movq TF_RDI(%rsp), %rsi
	movq %rsi, IRET_STAGE_RDI(%rdi)
	STAGE_IRET_WORD TF_RIP
	STAGE_IRET_WORD TF_CS
	STAGE_IRET_WORD TF_RFLAGS
	STAGE_IRET_WORD TF_RSP
	STAGE_IRET_WORD TF_SS
	POP_REGS_BUT_RDI
	movq %rdi, %rsp
	USER_CR3 \v, %rdi
	popq %rdi
	swapgs
	CLEAR_CPU_BUFFERS \v
	STAMP_EXIT \v
	IRET_SITE
	.else
	CLEAR_CPU_BUFFERS \v
	.if (\v) & EV_STAMP
	swapgs				/* a door's frame: to ring 3 (trapret's way, with the stamp before IRETQ) */
	POP_FRAME_IRET \v
	.else
	jmp trapret
	.endif
	.endif
.endm

/* The end of an IRETQ exit from a whole frame at RSP: the registers, past tf->vector and tf->error, IRETQ. */
.macro POP_FRAME_IRET v
	POP_REGS
	addq $16, %rsp			/* drop tf->vector and tf->error */
	STAMP_EXIT \v
	IRET_SITE
.endm

/* CVE-2019-1125 (SWAPGS): no later load may run speculatively with the GS base the CPU guessed. */
.macro SWAPGS_FENCE v
	.if (\v) & EV_LFENCE
	lfence
	.endif
.endm

/* wrmsr of a constant, keeping every register (WRMSR takes ECX, EDX:EAX). */
.macro WRMSR_KEEPING msr, value
	pushq %rax
	pushq %rcx
	pushq %rdx
	movl $\msr, %ecx
	movl $\value, %eax
	xorl %edx, %edx
	wrmsr
	popq %rdx
	popq %rcx
	popq %rax
.endm

/* Overwrite the return stack buffer with RSB_ENTRIES harmless predictions: pairs of calls whose return
 * addresses are speculation traps, then drop their return addresses from the stack. */
.macro FILL_RSB
	pushq %rcx
	movl $(RSB_ENTRIES / 2), %ecx
.Lrsb_loop\@:
	call .Lrsb_second\@
.Lrsb_trap1\@:
	pause
	lfence
	jmp .Lrsb_trap1\@
.Lrsb_second\@:
	call .Lrsb_next\@
.Lrsb_trap2\@:
	pause
	lfence
	jmp .Lrsb_trap2\@
.Lrsb_next\@:
	decl %ecx
	jnz .Lrsb_loop\@
	addq $(RSB_ENTRIES * 8), %rsp
	lfence				/* the loop's last branch may not be mispredicted past */
	popq %rcx
.endm

/* On entry, after the stub has saved what it needs and before any indirect branch: IBRS on (indirect
 * branches may not use predictions made in ring 3), IBPB (forget every prediction), RSB stuffing.
 * Keeps every register. */
.macro ENTRY_DEFENCES v
	.if (\v) & EV_IBRS
	WRMSR_KEEPING MSR_SPEC_CTRL, SPEC_CTRL_IBRS
	.endif
	.if (\v) & EV_IBPB
	WRMSR_KEEPING MSR_PRED_CMD, PRED_CMD_IBPB
	.endif
	.if (\v) & EV_RSB
	FILL_RSB
	.endif
.endm

/* On the way out, before the page-table switch: IBRS off, so that ring 3 runs at full speed. */
.macro EXIT_DEFENCES v
	.if (\v) & EV_IBRS
	WRMSR_KEEPING MSR_SPEC_CTRL, 0
	.endif
.endm

/* MDS: VERW with a valid data selector, which on CPUs that enumerate MD_CLEAR also overwrites the CPU's
 * internal buffers; as late as possible, so that little but the app's own registers is loaded after it.
 * It writes ZF: it must come before the app's RFLAGS are restored. */
.macro CLEAR_CPU_BUFFERS v
	.if (\v) & EV_VERW
	verw verw_selector
	.endif
.endm
#endif
