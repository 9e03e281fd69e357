/*
 * hazards.S: ring-3 code that provokes what a door must survive, for the app's fault modes (main.c). Each
 * ends the app by a fault; tests/integration.py checks the kernel's fault line against the labels here
 * (read from the app's symbol table).
 */
#include "../lib/x86.h"
#include "syscall_nr.h"

	.text
/* Set TF, then enter a door with getpid. The kernel must not single-step itself, must return through
 * IRETQ, and the #DB must arrive in ring 3 right after the door: at ss_<door>_ret (a trap as SYSRET
 * would raise it) or ss_<door>_after (after one more instruction, as IRETQ restores TF). The setup runs
 * before TF is set, so it is not stepped. */
.macro SINGLE_STEP door, setup, enter:vararg
	.globl single_step_\door
single_step_\door:
	\setup
	movl $SYS_getpid, %eax
	pushfq
	orq $RFLAGS_TF, (%rsp)
	popfq				/* TF is live from the instruction after the next one */
	\enter
	.globl ss_\door\()_ret
ss_\door\()_ret:
	nop
	.globl ss_\door\()_after
ss_\door\()_after:
	ud2				/* never reached: the #DB ends the app first */
.endm

.macro no_setup
.endm
.macro sysenter_setup			/* SYSENTER's ABI: return RIP in r11, RSP in rcx */
	leaq ss_sysenter_ret(%rip), %r11
	movq %rsp, %rcx
.endm

SINGLE_STEP syscall, no_setup, syscall
SINGLE_STEP int80, no_setup, int $0x80
SINGLE_STEP sysenter, sysenter_setup, sysenter

/* int $0x81: a vector whose gate has DPL 0, so from ring 3 it is a #GP (error code 0x81 * 8 + 2). */
	.globl int_0x81
int_0x81:
	int $0x81
	ud2

/* A SYSCALL in the last two bytes of the user half: its return address, 0x800000000000, is not
 * canonical. SYSRET there would fault in ring 0 on Intel; the kernel must return by IRETQ, whose fault
 * is the app's. The linker puts .usertop at USER_TOP - 4096 (Makefile). */
	.globl syscall_at_top
syscall_at_top:
	movl $SYS_getpid, %eax
	movabsq $top_syscall, %rcx
	jmp *%rcx

	.section .usertop, "ax"
	.skip 4096 - 2, 0xcc		/* int3 filler up to the last two bytes */
	.globl top_syscall
top_syscall:
	syscall				/* the next instruction would be at 0x800000000000 */
	.section .note.GNU-stack, "", @progbits
