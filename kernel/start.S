/*
 * start.S: _start, where the EFI stub jumps (efi/handoff.c): 64-bit mode, interrupts off, on the boot
 * page tables, RDI = the bootinfo's physical address, RSP still the firmware's stack, which the boot
 * tables do not map. Take a stack of our own and enter C.
 */
	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	leaq boot_stack_top(%rip), %rsp	/* the firmware's stack is not mapped any more */
	xorl %ebp, %ebp			/* end of the frame-pointer chain for backtraces */
	call kmain			/* kmain(bootinfo_phys in RDI) never returns */
	ud2
	.size _start, . - _start

	.section .bss
	.p2align 4
boot_stack:
	.skip 16384
boot_stack_top:
	.section .note.GNU-stack, "", @progbits
