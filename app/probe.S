/*
 * probe.S: void regs_probe(int door, const struct regs *in, struct regs *out). Loads every general
 * register and RFLAGS from *in, executes one door instruction (for SYSENTER: after putting the return RIP
 * in r11 and RSP in rcx, as its ABI asks), and stores every register and RFLAGS into *out. Assembly
 * because no C code can hold all sixteen registers at chosen values across one instruction.
 */
#include "probe.h"
#include "../lib/x86.h"

	.text
	.globl regs_probe
	.type regs_probe, @function
regs_probe:
	pushq %rbx			/* the C ABI's callee-saved registers */
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdx			/* 8(%rsp) below: out */
	leaq door_table(%rip), %rax
	pushq (%rax,%rdi,8)		/* (%rsp): the door to run */

	/* Everything from *in, rsi last: it holds the pointer. */
	pushq REG_RFLAGS(%rsi)
	popfq
	movq REG_RAX(%rsi), %rax
	movq REG_RBX(%rsi), %rbx
	movq REG_RCX(%rsi), %rcx
	movq REG_RDX(%rsi), %rdx
	movq REG_RDI(%rsi), %rdi
	movq REG_RBP(%rsi), %rbp
	movq REG_R8(%rsi), %r8
	movq REG_R9(%rsi), %r9
	movq REG_R10(%rsi), %r10
	movq REG_R11(%rsi), %r11
	movq REG_R12(%rsi), %r12
	movq REG_R13(%rsi), %r13
	movq REG_R14(%rsi), %r14
	movq REG_R15(%rsi), %r15
	movq REG_RSI(%rsi), %rsi
	jmp *(%rsp)			/* (moves and jumps leave RFLAGS alone) */

door_syscall:
	syscall
	.globl probe_syscall_ret
probe_syscall_ret:
	jmp probe_done
door_int80:
	int $0x80
	.globl probe_int80_ret
probe_int80_ret:
	jmp probe_done
door_sysenter:
	leaq probe_sysenter_ret(%rip), %r11
	movq %rsp, %rcx
	sysenter
	.globl probe_sysenter_ret
probe_sysenter_ret:

probe_done:
	pushfq				/* what the door returned, before anything changes it */
	pushq %rsi
	movq 24(%rsp), %rsi		/* out: above the two pushes and the door slot */
	popq REG_RSI(%rsi)
	popq REG_RFLAGS(%rsi)
	movq %rax, REG_RAX(%rsi)
	movq %rbx, REG_RBX(%rsi)
	movq %rcx, REG_RCX(%rsi)
	movq %rdx, REG_RDX(%rsi)
	movq %rdi, REG_RDI(%rsi)
	movq %rbp, REG_RBP(%rsi)
	movq %r8, REG_R8(%rsi)
	movq %r9, REG_R9(%rsi)
	movq %r10, REG_R10(%rsi)
	movq %r11, REG_R11(%rsi)
	movq %r12, REG_R12(%rsi)
	movq %r13, REG_R13(%rsi)
	movq %r14, REG_R14(%rsi)
	movq %r15, REG_R15(%rsi)
	pushq $RFLAGS_FIXED		/* back to the flags C expects: DF and AC clear */
	popfq
	addq $16, %rsp			/* the door slot and out */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	.size regs_probe, . - regs_probe

	.section .rodata
	.p2align 3
door_table:
	.quad door_syscall, door_int80, door_sysenter
	.section .note.GNU-stack, "", @progbits
