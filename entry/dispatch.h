/*
 * dispatch.h: the one way every door reaches the table of entry/dispatch.c: DISPATCH (the clamped
 * index, the call, the result) and DISPATCH_FRAME (a door's full-frame path: defences, call, IRETQ exit).
 * The handlers' side of the contract is syscall.h.
 */
#ifndef RINGBENCH_DISPATCH_H
#define RINGBENCH_DISPATCH_H
#include "calling.h"
#include "defences.h"
#include "variants.h"
#include "syscall_nr.h"

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
 * call, as it is at every door's DISPATCH.
 * The address each handler returns to is recorded with the door and how much of the app's state it has
 * saved (DISPATCH_SITE), so that a handler that needs that state whole (entry/framecall.c) can find it. */
.macro DISPATCH door, v, saved=SITE_FAST
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
	DISPATCH_SITE \door, \saved
	addq $16, %rsp
	.elseif (\v) & EV_RETPOLINE
	movq syscall_table(, %rax, 8), %rax
	call retpoline_rax
	DISPATCH_SITE \door, \saved
	.else
	call *syscall_table(, %rax, 8)
	DISPATCH_SITE \door, \saved
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

/* A record in .dispatch_sites (struct dispatch_site, trapframe.h) of the return address just before it. */
.macro DISPATCH_SITE door, saved
.Ldispatched\@:
	.pushsection .dispatch_sites, "a"
	.quad .Ldispatched\@, \door | \saved
	.popsection
.endm

/* Every door's full-frame path, from a complete frame at RSP to ring 3: the variant's entry defences, the
 * call, its result stored where the exit restores rax from, the exit defences, and the IRETQ exit. */
.macro DISPATCH_FRAME door, v
	ENTRY_DEFENCES \v
	DISPATCH \door, \v, SITE_FRAME
	movq %rax, TF_RAX(%rsp)
	EXIT_DEFENCES \v
	TRAPRET \v
.endm

#endif
