/*
 * kprobe.S: one access that a protection must forbid, made from ring 0 on purpose by the kernel's boot
 * self-tests (kernel/selftest.c). long kprobe_access(int kind, uint64_t addr) returns 0 when the access
 * completed (the protection did not stop it) or, when it faulted, vector << 16 | error code: trap() sees
 * kprobe_active, and resumes at kprobe_resume with that code in rax and the stack as it was here.
 * Every target is harmless if reached: a read discards its byte, a write stores the byte it read, and
 * an executed target is a RET.
 */
#include "calling.h"

#define KPROBE_READ  0
#define KPROBE_WRITE 1

	.text
ENTRY(kprobe_access)
	movq %rsp, kprobe_resume_rsp(%rip)	/* where kprobe_resume's RET finds our caller */
	movb $1, kprobe_active(%rip)
	cmpl $KPROBE_READ, %edi
	je 1f
	cmpl $KPROBE_WRITE, %edi
	je 2f
	call *%rsi			/* execute */
	jmp 3f
1:	movb (%rsi), %al		/* read */
	jmp 3f
2:	movb (%rsi), %al		/* write back what is there */
	movb %al, (%rsi)
3:	movb $0, kprobe_active(%rip)
	xorl %eax, %eax			/* it went through: the protection failed */
	ret
END(kprobe_access)

ENTRY(kprobe_resume)
	movb $0, kprobe_active(%rip)
	ret				/* rax: the fault, set by trap() */
END(kprobe_resume)

	.bss
	.globl kprobe_active, kprobe_resume_rsp
kprobe_active:
	.byte 0
	.p2align 3
kprobe_resume_rsp:
	.quad 0
	.section .note.GNU-stack, "", @progbits
