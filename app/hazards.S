/*
 * hazards.S: ring-3 code that provokes what a door must survive, for the app's fault modes (main.c) and
 * its caught mode (caught.c). Each hazard faults: alone it ends the app, in the caught mode a handler
 * takes it; tests/boots_hazards.py checks the kernel's fault line and the handler's record against the
 * labels here (read from the app's symbol table).
 */
#include "../lib/memlayout.h"
#include "../lib/x86.h"
#include "syscall_nr.h"
#include "probe.h"

#define MXCSR_ZM (1 << 9) /* divide-by-zero exception mask */

	.text
/* Set TF, then enter a door with getpid. The kernel must not single-step itself, must return through
 * IRETQ, and the #DB must arrive in ring 3 right after the door: at <name>_ret (a trap as SYSRET would
 * raise it) or <name>_after (after one more instruction, as IRETQ restores TF). The setup runs before TF
 * is set, so it is not stepped. With hold, a MOV SS comes between, stepped: MOV SS holds its trap back
 * past the next instruction, the door's, so the #DB is raised in ring 0 at the kernel's entry (under
 * SYSCALL on the app's RSP and GS base: CVE-2018-8897's way in), which the kernel must absorb. */
.macro SINGLE_STEP name, hold, setup, enter:vararg
	.globl \name
\name:
	\setup \name
	movl $SYS_getpid, %eax
	.if \hold
	movw %ss, %r8w			/* r8: no argument of getpid's */
	.endif
	pushfq
	orq $RFLAGS_TF, (%rsp)
	popfq				/* TF is live from the instruction after the next one */
	.if \hold
	movw %r8w, %ss			/* stepped, but its trap held back past the door instruction */
	.endif
	\enter
	.globl \name\()_ret
\name\()_ret:
	nop
	.globl \name\()_after
\name\()_after:
	ud2				/* never reached: the #DB ends the app first */
.endm

.macro no_setup name
.endm
.macro sysenter_setup name		/* SYSENTER's ABI: return RIP in r11, RSP in rcx */
	leaq \name\()_ret(%rip), %r11
	movq %rsp, %rcx
.endm

SINGLE_STEP single_step_syscall, 0, no_setup, syscall
SINGLE_STEP single_step_int80, 0, no_setup, int $0x80
SINGLE_STEP single_step_sysenter, 0, sysenter_setup, sysenter
SINGLE_STEP movss_syscall, 1, no_setup, syscall
SINGLE_STEP movss_int80, 1, no_setup, int $0x80
SINGLE_STEP movss_sysenter, 1, sysenter_setup, sysenter

/* int $0x81: a vector whose gate has DPL 0, so from ring 3 it is a #GP (error code 0x81 * 8 + 2). */
	.globl int_0x81
int_0x81:
	int $0x81
	ud2

/* A SYSCALL in the last two bytes of the user half: its return address, 0x800000000000, is not
 * canonical. SYSRET there would fault in ring 0 on Intel; the kernel must return by IRETQ, whose fault
 * is the app's. The page is mapped by main.c's top_page (the ELF cannot hold it: Linux's user half ends a
 * page lower, and Linux must load the app too); jump_to_top_syscall(addr) enters it. */
	.globl jump_to_top_syscall
jump_to_top_syscall:
	movl $SYS_getpid, %eax
	jmp *%rdi			/* the next instruction would be at 0x800000000000 */

/* One instruction (or a few) that ring 3 may not complete, per fault class: each must end the app with a
 * fault line naming the right vector. */
	.text
.macro HAZARD name
	.globl hazard_\name
	.type hazard_\name, @function
hazard_\name:
.endm

HAZARD divide_error			/* #DE */
	xorl %ecx, %ecx
	movl $1, %eax
	cltd
	idivl %ecx
	ud2
HAZARD invalid_opcode			/* #UD */
	ud2
HAZARD breakpoint			/* #BP: INT3 is a trap; the gate's DPL 0 still lets the CPU's #BP through */
	int3
	ud2
HAZARD alignment_check			/* #AC: CR0.AM and RFLAGS.AC set, then a misaligned load in ring 3 */
	pushfq
	orq $RFLAGS_AC, (%rsp)
	popfq
	movq 1(%rsp), %rax
	ud2
HAZARD simd_error			/* #XM: divide-by-zero unmasked in MXCSR, then DIVSS by zero */
	subq $8, %rsp
	stmxcsr (%rsp)
	andl $~MXCSR_ZM, (%rsp)
	ldmxcsr (%rsp)
	xorps %xmm1, %xmm1
	movl $1, %eax
	cvtsi2ss %eax, %xmm0
	divss %xmm1, %xmm0
	ud2
HAZARD stack_overflow			/* #PF in the guard page below the stack */
1:	pushq %rax
	jmp 1b
HAZARD nx_stack				/* #PF with the instruction-fetch bit: the stack is not executable */
	pushq $0xc3			/* a RET, written on the stack */
	call *%rsp
	ud2
HAZARD umip_sgdt			/* #GP: UMIP forbids SGDT in ring 3 (it would leak the GDT's address) */
	subq $16, %rsp
	sgdt (%rsp)
	ud2
HAZARD priv_cli				/* #GP: IOPL is 0 */
	cli
	ud2
HAZARD priv_hlt				/* #GP: HLT is CPL 0 only */
	hlt
	ud2
HAZARD priv_wrmsr			/* #GP */
	xorl %eax, %eax
	xorl %edx, %edx
	movl $MSR_LSTAR, %ecx
	wrmsr
	ud2
HAZARD priv_mov_cr3			/* #GP */
	xorl %eax, %eax
	movq %rax, %cr3
	ud2
HAZARD write_time_page			/* #PF: the time page is read-only to the app */
	movabsq $USER_TIME_PAGE, %rax
	movl $1, (%rax)
	ud2
HAZARD port_io				/* #GP: IOPL 0 and no I/O bitmap in the TSS */
	movw $PORT_COM1, %dx
	movb $'!', %al
	outb %al, %dx
	ud2
	
/* long flags_through_<door>(long flags): getpid through the door with flags (NT, AC, DF) also set in
 * RFLAGS; returns RFLAGS as the door gave them back. Nothing here reads memory with DF or AC set. */
.macro FLAGS_THROUGH door, setup, enter:vararg
	.globl flags_through_\door
flags_through_\door:
	\setup
	movl $SYS_getpid, %eax
	pushfq
	orq %rdi, (%rsp)
	popfq
	\enter
1:	pushfq
	popq %rax
	pushq $RFLAGS_FIXED		/* clean again for the C code */
	popfq
	ret
.endm
.macro sysenter_back			/* SYSENTER's ABI: return RIP in r11, RSP in rcx */
	leaq 1f(%rip), %r11
	movq %rsp, %rcx
.endm
FLAGS_THROUGH syscall, no_setup, syscall
FLAGS_THROUGH int80, no_setup, int $0x80
FLAGS_THROUGH sysenter, sysenter_back, sysenter

/* SYSENTER with TF set and a garbage return RSP (canonical, unmapped): the door must come back by IRETQ
 * and the app take its signal there (SIGTRAP after one instruction, or a fault of the stack), TF kept. */
	.globl sysenter_tf_garbage_stack
sysenter_tf_garbage_stack:
	leaq 1f(%rip), %r11
	movabsq $0x00007eadbeef0000, %rcx
	movl $SYS_getpid, %eax
	pushfq
	orq $RFLAGS_TF, (%rsp)
	popfq
	sysenter
1:	nop
	pushq %rax			/* the garbage stack: a fault if the #DB has not come yet */
	ud2

/* Where a sigreturn with IOPL 3 in its flags lands: CLI must still fault (#GP), for the kernel keeps IOPL 0. */
	.globl probe_cli
probe_cli:
	cli
	ud2

/* void sigreturn_at(uint64_t sp, int door): rt_sigreturn through that door (DOOR_* of probe.h) with RSP at
 * a frame the caller chose, a hostile one: never returns here. */
	.globl sigreturn_at
sigreturn_at:
	movl $SYS_rt_sigreturn, %eax
	cmpl $DOOR_INT80, %esi
	je 1f
	cmpl $DOOR_SYSENTER, %esi
	je 2f
	movq %rdi, %rsp
	syscall
	ud2
1:	movq %rdi, %rsp
	int $0x80
	ud2
2:	movq %rdi, %rcx			/* SYSENTER's ABI: the return RSP in rcx, the return RIP in r11 */
	leaq 3f(%rip), %r11
	movq %rdi, %rsp
	sysenter
3:	ud2
	.section .note.GNU-stack, "", @progbits
