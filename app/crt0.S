/*
 * crt0.S: _start of the ringbench app. The kernel enters here in ring 3 with RSP pointing at argc, as the
 * System V x86-64 ABI describes a process start (argc, argv..., NULL, envp..., NULL, auxv). Hand that
 * pointer to C with the stack aligned as a call expects.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp		/* outermost frame */
	movq %rsp, %rdi		/* app_start(uint64_t *sp): sp[0] = argc */
	andq $-16, %rsp		/* the ABI's alignment at a call */
	call app_start		/* never returns: it calls exit */
	ud2
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
