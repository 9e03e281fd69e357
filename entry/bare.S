/*
 * bare.S: the bare doors, the physical limit the benchmark measures each real door against: the same
 * instruction into a stub that returns at once, touching nothing. rb_bare (kernel/sys.c) switches them in
 * for a measurement and back after. A call through a bare door does nothing and returns rax unchanged.
 */
#include "calling.h"

	.section .entry.text, "ax"	/* mapped in the KPTI user tables too (kernel/kpti.c) */
/* SYSCALL left RSP, GS and every register but rcx/r11 alone; SYSRET puts rcx/r11 back into RIP/RFLAGS. */
ENTRY(bare_syscall64)
	sysretq
END(bare_syscall64)

/* INT 0x80 pushed the frame IRETQ pops. */
ENTRY(bare_int80)
	iretq
END(bare_int80)

/* SYSEXIT returns to RDX with RSP = RCX; the stub handed over its return RIP in r11 (sysenter64.S). */
ENTRY(bare_sysenter64)
	movq %r11, %rdx
	sysexitq
END(bare_sysenter64)
	.section .note.GNU-stack, "", @progbits
