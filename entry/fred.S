/*
 * fred.S: fred_entry_page, where IA32_FRED_CONFIG points while FRED delivers the events (kernel/fred.c;
 * what the CPU pushed and did: entry/fred.h), and fred_bare_page, FRED's bare round trip.
 *
 * From ring 3 the three doors are events of this one entry, told apart by their whole event dword (vector,
 * type, 64-bit mode, instruction length 2): SYSCALL (FRED_OTHER, FRED_SYSCALL), INT 0x80 (FRED_SWINT, 0x80)
 * and SYSENTER (FRED_OTHER, FRED_SYSENTER). Each reaches the same DISPATCH and table as the legacy doors'
 * stubs on FRED's frame alone: the CPU has saved the whole return state, switched the stack and the GS
 * base, and cleared RFLAGS, and the registers are still the app's, as DISPATCH wants them. Each keeps its
 * legacy door's register ABI: FRED's SYSCALL leaves rcx and r11 alone, but they come back as SYSCALL sets
 * them (rcx = the return RIP, r11 = RFLAGS: Linux does the same); INT 0x80 changes only rax (r11, which
 * DISPATCH takes, is kept below the frame, where a whole frame's tf->vector would be); SYSENTER's rdx comes
 * back as SYSEXIT leaves it (the return RIP; rcx, the return RSP, is the stub's, and r11 kept as INT
 * 0x80's). Their DISPATCH sites say SITE_FRED, so frame_call (entry/framecall.c) finds that state there.
 * ERETU returns (a non-canonical RIP faults in ring 0 on it: the app's SIGSEGV, trap.c), TF included (its
 * pending-#DB bit traps right after the door).
 * Every other event from ring 3 goes to trap() in the IDT's terms (fred_user_trap) on a whole struct
 * trapframe (tf->vector below FRED's error code, then the registers), and leaves by fred_exit_user: the
 * registers back, ERETU (which swaps the GS base back).
 * From ring 0, at +FRED_KERNEL_ENTRY: an exception the kernel expected (a probe, a failed ERETU) or a bug,
 * an NMI, #DF or #MC (each on its stack level's own stack): fred_kernel_trap, then ERETS.
 * FRED's frame lies on a 64-byte boundary, so RSP is 16-byte aligned for DISPATCH and the C calls, with two
 * words pushed or with a whole frame. The path is one for every entry variant: the mitigation lab's
 * defences are the legacy doors' (rb_entry and rb_audit refuse while FRED is on, and FRED only comes on
 * over the plain doors).
 */
#include "../lib/x86.h"
#include "dispatch.h"
#include "fred.h"

.macro FRED_SAVE
	subq $8, %rsp			/* tf->vector, below FRED's error code */
	PUSH_REGS			/* tf->rdi .. tf->r15 */
.endm

	.text
	.p2align 12			/* IA32_FRED_CONFIG takes the page's address */
ENTRY(fred_entry_page)
	cmpl $FRED_EVENT64(FRED_OTHER, FRED_SYSCALL), FRED_SS + FRED_SS_INFO(%rsp)
	je .Lsyscall
	cmpl $FRED_EVENT64(FRED_SWINT, T_INT80), FRED_SS + FRED_SS_INFO(%rsp)
	je .Lint80
	cmpl $FRED_EVENT64(FRED_OTHER, FRED_SYSENTER), FRED_SS + FRED_SS_INFO(%rsp)
	je .Lsysenter
	FRED_SAVE			/* anything else: trap(), in the IDT's terms, on a whole frame */
	movq %rsp, %rdi
	call fred_user_trap
	.globl fred_exit_user		/* also trapret_user's way out while FRED is on */
fred_exit_user:
	POP_REGS
	addq $8, %rsp			/* tf->vector */
	ERETU_SITE			/* past tf->error; the GS base back to the app's */

	.org fred_entry_page + FRED_KERNEL_ENTRY, 0xcc	/* events from ring 0 */
	FRED_SAVE
	movq %rsp, %rdi
	call fred_kernel_trap
	POP_REGS
	addq $8, %rsp			/* tf->vector */
	ERETS				/* past tf->error, to the state tf holds now */

.Lsyscall:
	movq FRED_RIP(%rsp), %rcx	/* as SYSCALL: rcx = the return RIP (DISPATCH keeps it) */
	DISPATCH RB_DOOR_SYSCALL, 0, SITE_FRED
	movq FRED_RFLAGS(%rsp), %r11	/* ... and r11 = RFLAGS */
	ERETU_SITE
.Lint80:
	pushq %r11			/* kept: INT 0x80 changes only rax */
	pushq %r11			/* a pad: RSP 16-byte aligned at DISPATCH */
	DISPATCH RB_DOOR_INT80, 0, SITE_FRED
	popq %r11
	popq %r11
	ERETU_SITE
.Lsysenter:
	pushq %r11			/* kept: r11 comes back as the stub passed it */
	pushq %r11			/* a pad */
	DISPATCH RB_DOOR_SYSENTER, 0, SITE_FRED
	popq %r11
	popq %r11
	movq FRED_RIP(%rsp), %rdx	/* as SYSEXIT: rdx = the return RIP */
	ERETU_SITE
END(fred_entry_page)

/* The bare FRED round trip (rb_events RB_EVENTS_FRED_BARE): a SYSCALL leaves at once by ERETU from the
 * frame FRED pushed, with nothing done: FRED's own cost, the physical limit of this way in. Every other
 * event (the INT 0x80 that switches back, a fault) goes on to the real entry page. */
	.p2align 12
ENTRY(fred_bare_page)
	cmpl $FRED_EVENT64(FRED_OTHER, FRED_SYSCALL), FRED_SS + FRED_SS_INFO(%rsp)
	jne fred_entry_page
	ERETU
	.org fred_bare_page + FRED_KERNEL_ENTRY, 0xcc
	jmp fred_entry_page + FRED_KERNEL_ENTRY
END(fred_bare_page)
	.section .note.GNU-stack, "", @progbits
