/*
 * fred.S: fred_entry_page, where IA32_FRED_CONFIG points while FRED delivers the events (kernel/fred.c;
 * what the CPU pushed and did: entry/fred.h). Both of its entries make a struct trapframe of FRED's frame
 * (tf->vector below its error code, then the registers), which is all the kernel's C reads, and leave by
 * ERETU or ERETS from it.
 *
 * From ring 3 the three doors are events of this one entry: SYSCALL (type FRED_OTHER, vector FRED_SYSCALL),
 * SYSENTER (FRED_OTHER, FRED_SYSENTER) and INT 0x80 (FRED_SWINT, 0x80) reach the same DISPATCH and table as
 * the legacy doors' stubs, with their register ABI: FRED's SYSCALL leaves rcx and r11 alone, but they are
 * set here as SYSCALL sets them (rcx = the return RIP, r11 = RFLAGS: Linux does the same); SYSENTER's rdx
 * comes back as SYSEXIT leaves it (the return RIP; rcx, the return RSP, is the stub's already); INT 0x80
 * changes only rax. Each frame is marked with its door's T_* and its DISPATCH site with SITE_FRED, so the
 * kernel's C sees what the legacy doors' full frames give it, and frame_call knows the way back is ERETU.
 * Every other event from ring 3 goes to trap() in the IDT's terms (fred_user_trap). All leave by
 * fred_exit_user: the registers back from the frame, ERETU (which swaps the GS base back).
 * From ring 0, at +FRED_KERNEL_ENTRY: an exception the kernel expected (a probe, a failed ERETU) or a bug,
 * an NMI, #DF or #MC (each on its stack level's own stack): fred_kernel_trap, then ERETS.
 * RFLAGS is clear on entry (DF, AC, TF too): nothing needs cleaning. FRED's frame lies on a 64-byte
 * boundary, so after the 16 words pushed here RSP is 16-byte aligned for DISPATCH and the C calls. The
 * path is one for every entry variant: the mitigation lab's defences are the legacy doors' (rb_entry and
 * rb_audit refuse while FRED is on, and FRED only comes on over the plain doors).
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
	FRED_SAVE			/* the app's registers are in the frame: each is scratch now, and DISPATCH
					 * still finds the number and the arguments in theirs */
	movl TF_SS + FRED_SS_INFO(%rsp), %r11d	/* the event: vector, type, ... */
	andl $FRED_EVENT_MASK, %r11d
	cmpl $FRED_EVENT(FRED_OTHER, FRED_SYSCALL), %r11d
	je .Lsyscall
	cmpl $FRED_EVENT(FRED_SWINT, T_INT80), %r11d
	je .Lint80
	cmpl $FRED_EVENT(FRED_OTHER, FRED_SYSENTER), %r11d
	je .Lsysenter
	movq %rsp, %rdi			/* anything else: trap(), in the IDT's terms */
	call fred_user_trap
	jmp fred_exit_user

	.org fred_entry_page + FRED_KERNEL_ENTRY, 0xcc	/* events from ring 0 */
	FRED_SAVE
	movq %rsp, %rdi
	call fred_kernel_trap
	POP_REGS
	addq $8, %rsp			/* tf->vector */
	ERETS				/* past tf->error, to the state tf holds now */

.Lsyscall:
	movq $T_SYSCALL, TF_VECTOR(%rsp)
	movq TF_RIP(%rsp), %rcx		/* as SYSCALL: rcx = the return RIP, r11 = RFLAGS (r11 from the frame) */
	movq %rcx, TF_RCX(%rsp)
	movq TF_RFLAGS(%rsp), %r11
	movq %r11, TF_R11(%rsp)
	DISPATCH RB_DOOR_SYSCALL, 0, SITE_FRAME|SITE_FRED
	jmp .Lresult
.Lsysenter:
	movq $T_SYSENTER, TF_VECTOR(%rsp)
	movq TF_RIP(%rsp), %r11		/* as SYSEXIT: rdx = the return RIP (the handler takes the register) */
	movq %r11, TF_RDX(%rsp)
	DISPATCH RB_DOOR_SYSENTER, 0, SITE_FRAME|SITE_FRED
	jmp .Lresult
.Lint80:
	movq $T_INT80, TF_VECTOR(%rsp)
	DISPATCH RB_DOOR_INT80, 0, SITE_FRAME|SITE_FRED
.Lresult:
	movq %rax, TF_RAX(%rsp)
	.globl fred_exit_user		/* also trapret_user's way out while FRED is on */
fred_exit_user:
	POP_REGS
	addq $8, %rsp			/* tf->vector */
	ERETU_SITE			/* past tf->error; the GS base back to the app's */
END(fred_entry_page)

/* The bare FRED round trip (rb_events RB_EVENTS_FRED_BARE): a SYSCALL from 64-bit code (its event dword
 * exactly: vector, type, 64-bit mode, length 2) leaves at once by ERETU from the frame FRED pushed, with
 * nothing done: FRED's own cost, the physical limit of this way in. Every other event (the INT 0x80 that
 * switches back, a fault) goes on to the real entry page. */
#define FRED_BARE_SYSCALL (FRED_EVENT(FRED_OTHER, FRED_SYSCALL) | FRED_INFO_64BIT | 2 << FRED_INFO_ILEN_SHIFT)
	.p2align 12
ENTRY(fred_bare_page)
	cmpl $FRED_BARE_SYSCALL, FRED_SS + FRED_SS_INFO(%rsp)
	jne fred_entry_page
	ERETU
	.org fred_bare_page + FRED_KERNEL_ENTRY, 0xcc
	jmp fred_entry_page + FRED_KERNEL_ENTRY
END(fred_bare_page)
	.section .note.GNU-stack, "", @progbits
