/*
 * regs.h: assembly macros shared by the entry stubs: ENTRY/END (symbol type and size) and the push/pop
 * of the general registers in struct trapframe order (kernel/trapframe.h).
 */
#ifndef RINGBENCH_REGS_H
#define RINGBENCH_REGS_H
#include "../kernel/trapframe.h"
#include "../lib/abi.h"
#include "../lib/x86.h"
#include "defences.h"
#include "variants.h"
#include "syscall_nr.h"

#define ENTRY(name) .globl name; .type name, @function; .p2align 4; name:
#define END(name) .size name, . - name

/* Fill tf->rdi .. tf->r15 (the frame grows down, so rdi first). */
.macro PUSH_REGS
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

/* RFLAGS = just the reserved bit: DF, AC, NT and TF clear (IF stays off). Event delivery does not clear
 * DF or AC, and SYSENTER clears nothing but IF; CLAC would #UD on CPUs without SMAP. */
.macro CLEAN_FLAGS
	pushq $RFLAGS_FIXED
	popfq
.endm

/* CLEAN_FLAGS after an interrupt gate (every vector's, int 0x80's), with the frame at RSP: the gate cleared
 * TF, NT, RF and IF, so only DF and AC can be left. CLD for DF; POPFQ (microcoded, and under TCG a trip
 * to QEMU's main loop) only in the rare case that the frame's RFLAGS has AC, which would switch SMAP off
 * in the kernel. */
.macro CLEAN_GATE_FLAGS
	cld
	testl $RFLAGS_AC, TF_RFLAGS(%rsp)
	jz .Lgate_flags_clean\@
	CLEAN_FLAGS
.Lgate_flags_clean\@:
.endm

/* rax = syscall_table[min(rax, NR_SYSCALLS)](rdi, rsi, rdx, r10, r8, r9), counted in syscall_counts. The
 * clamp is a CMOV, a data dependency rather than a branch, so no misprediction can index past the table
 * (Spectre v1); slot NR_SYSCALLS returns -ENOSYS. All 64 bits of rax count: 2^32 + 1 is not write.
 * The handlers keep every register but r11 and return their result in r11 (kernel/syscall.h), so this
 * clobbers only rax and r11: rcx comes through, and with it the syscall door's return RIP and the
 * sysenter door's return RSP. (So the 4th argument stays in r10, where the doors take it because SYSCALL
 * takes rcx; a handler of four or more arguments is reached through a thunk that moves it: SYSCALL4.)
 * door is the RB_DOOR_* bit of the caller, v its variant's EV_* features (entry/variants.h), which may
 * change how the handler is reached:
 *   EV_NOMASK     the clamp as a branch (what the CMOV defends against: a mispredicted bound check);
 *   EV_AUDIT      audit_enter before the handler and audit_exit after it (kernel/audit.c) record the call;
 *   EV_SWITCH     through syscall_switch (entry/dispatch.c): direct jumps, no table;
 *   EV_RETPOLINE  the table's pointer called through a retpoline thunk (entry/retpoline.S).
 * Arguments past the sixth go on the stack, with a pad where needed to keep RSP 16-byte aligned at the
 * call, as it is at every door's DISPATCH. */
.macro DISPATCH door, v
	.if (\v) & EV_AUDIT
	pushq $\door			/* audit_enter(a0..a5, nr, door), below: it keeps them all, and rax */
	pushq %rax			/* the number as the app passed it */
	.endif
	cmpq $NR_SYSCALLS, %rax
	.if (\v) & EV_NOMASK
	jb .Lin_range\@
	movl $NR_SYSCALLS, %eax
.Lin_range\@:
	.else
	movl $NR_SYSCALLS, %r11d
	cmovaeq %r11, %rax
	.endif
	incq syscall_counts(, %rax, 8)	/* per slot; slot NR_SYSCALLS counts the out-of-range numbers */
	.if (\v) & EV_AUDIT
	call audit_enter
	addq $16, %rsp
	.endif
	.if (\v) & EV_SWITCH
	pushq %rax			/* pad */
	pushq %rax			/* syscall_switch(a0..a5, slot) */
	call syscall_switch
	addq $16, %rsp
	.elseif (\v) & EV_RETPOLINE
	movq syscall_table(, %rax, 8), %rax
	call retpoline_rax
	.else
	call *syscall_table(, %rax, 8)
	.endif
	movq %r11, %rax			/* the result */
	.if (\v) & EV_AUDIT
	pushq %rdi			/* a0, for the app */
	pushq %rax			/* pad */
	movq %rax, %rdi
	call audit_exit			/* audit_exit(result): keeps rax */
	popq %rax
	popq %rdi
	.endif
.endm

/* Every door's full-frame path, from a complete frame at RSP to ring 3: the variant's entry defences, the
 * call, its result stored where the exit restores rax from, the exit defences, and the IRETQ exit. */
.macro DISPATCH_FRAME door, v
	ENTRY_DEFENCES \v
	DISPATCH \door, \v
	movq %rax, TF_RAX(%rsp)
	EXIT_DEFENCES \v
	TRAPRET \v
.endm

/* POP_REGS but the last (rdi), for an exit that needs one scratch register to the end. */
.macro POP_REGS_BUT_RDI
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	popq %rcx
	popq %rdx
	popq %rsi
.endm

.macro POP_REGS
	POP_REGS_BUT_RDI
	popq %rdi
.endm

/* An IRETQ to ring 3, listed in .iret_sites so that trap() knows a fault on it is the app's (a bad
 * return state, such as a non-canonical RIP), not the kernel's. */
.macro IRET_SITE
.Liret\@:
	iretq
	.pushsection .iret_sites, "a"
	.quad .Liret\@
	.popsection
.endm
#endif
