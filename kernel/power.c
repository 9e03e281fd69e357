/*
 * power.c: ending the run: with a status (power_off), or with a kernel bug's message (panic). Under a hypervisor the status goes to QEMU's isa-debug-exit
 * port first (tests/qemu.py maps it back). Then, when the configuration says poweroff (yes; or auto, the
 * default, under a hypervisor), ACPI S5, then UEFI ResetSystem; where both fail, and on bare metal by
 * default, the kernel halts with the results left on the screen.
 */
#include <stdarg.h>
#include "defs.h"
#include "../lib/fmt.h"
#include "../lib/x86.h"

#define POWER_OFF_WAIT_MS 500

void power_off(int status)
{
	kprintf("{\"type\":\"power_off\",\"status\":%d}\n", status); /* for an emulator with no exit device */
	bool off = (boot.flags & BOOTINFO_F_POWEROFF) || ((boot.flags & BOOTINFO_F_POWEROFF_AUTO) && cpu.under_hypervisor);
	if (off) {
		if (cpu.under_hypervisor)
			outb(PORT_QEMU_DEBUG_EXIT, (uint8_t)status); /* no such device: the write is ignored */
		acpi_power_off(); /* first: no firmware code runs, and some firmware crashes in ResetSystem */
		delay_ms(POWER_OFF_WAIT_MS); /* a machine (or QEMU) may take a moment to act on it */
		efi_power_off();
		delay_ms(POWER_OFF_WAIT_MS);
		kprintf("ringbench: neither ACPI nor the firmware powered the machine off\n");
	}
	kprintf("ringbench: halted (status 0x%x); turn the machine off\n", status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* A kernel bug or an impossible state: say what, and end the run with the panic status. */
void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("panic: %s\n", msg);
	power_off(EXIT_PANIC);
}
