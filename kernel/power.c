/*
 * power.c: ending the run with a status. Under a hypervisor the status goes to QEMU's isa-debug-exit
 * port (tests/qemu.py maps it back); elsewhere, and if that returns, the kernel halts with the output
 * left on the console.
 */
#include "defs.h"
#include "../lib/x86.h"

void power_off(int status)
{
	if (cpu.under_hypervisor && (boot.flags & BOOTINFO_F_POWEROFF))
		outb(PORT_QEMU_DEBUG_EXIT, (uint8_t)status);
	kprintf("ringbench: halted (status 0x%x); turn the machine off\n", status);
	for (;;)
		__asm__ volatile("cli; hlt");
}
