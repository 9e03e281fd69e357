/*
 * console.c: the stub's output. Human lines go to ConOut (the screen, and the serial port where the
 * firmware mirrors it); JSON lines go straight to COM1, since ConOut's terminal emulation wraps long lines.
 * fail() is the one exit for every error before the kernel runs.
 */
#include <stdarg.h>
#include "stub.h"
#include "../lib/fmt.h"
#include "../lib/string.h"
#include "../lib/uart.h"
#include "../lib/x86.h"

#define LINE_MAX 2048 /* as the kernel's longest kept line (console.c CAPTURE_LINE_MAX) */

void say(const char *fmt, ...)
{
	char buf[LINE_MAX];
	CHAR16 wide[2 * LINE_MAX + 1];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	UINTN n = 0;
	for (const char *s = buf; *s; s++) {
		if (*s == '\n')
			wide[n++] = L'\r';
		wide[n++] = (CHAR16)(unsigned char)*s;
	}
	wide[n] = 0;
	gST->ConOut->OutputString(gST->ConOut, wide);
}

static void com1_put(void *ctx, char c)
{
	(void)ctx;
	uart_putc(c);
}

void json_line(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	com1_put(0, '\n'); /* start on a fresh line, whatever the firmware left on it */
	fmt_vformat(com1_put, 0, fmt, ap);
	com1_put(0, '\n');
	va_end(ap);
}

const char *efi_status_name(EFI_STATUS st)
{
	switch (st) {
	case EFI_SUCCESS: return "EFI_SUCCESS";
	case EFI_NOT_FOUND: return "EFI_NOT_FOUND";
	case EFI_OUT_OF_RESOURCES: return "EFI_OUT_OF_RESOURCES";
	case EFI_LOAD_ERROR: return "EFI_LOAD_ERROR";
	case EFI_INVALID_PARAMETER: return "EFI_INVALID_PARAMETER";
	case EFI_UNSUPPORTED: return "EFI_UNSUPPORTED";
	case EFI_DEVICE_ERROR: return "EFI_DEVICE_ERROR";
	case EFI_ACCESS_DENIED: return "EFI_ACCESS_DENIED";
	case EFI_VOLUME_CORRUPTED: return "EFI_VOLUME_CORRUPTED";
	case EFI_BUFFER_TOO_SMALL: return "EFI_BUFFER_TOO_SMALL";
	default: return "EFI error";
	}
}

int under_hypervisor(void)
{
	uint32_t r[4];
	cpuid(CPUID_FEATURES, 0, r);
	return !!(r[2] & CPUID1_ECX_HYPERVISOR);
}

/* Report, then end: under a hypervisor exit QEMU with the boot-error status (a no-op elsewhere) and power
 * off; on bare metal wait for a key and hand control back to the firmware's boot manager. */
void fail(EFI_STATUS st, const char *what, const char *file)
{
	char what_esc[LINE_MAX / 3], file_esc[LINE_MAX / 3];
	say("ringbench: error: %s%s%s: %s\n", what, file ? " " : "", file ? file : "", efi_status_name(st));
	json_escape(what_esc, sizeof(what_esc), what);
	json_escape(file_esc, sizeof(file_esc), file ? file : "");
	json_line("{\"type\":\"error\",\"stage\":\"efi\",\"what\":\"%s\",\"file\":\"%s\",\"status\":\"%s\"}", what_esc,
		  file_esc, efi_status_name(st));
	if (under_hypervisor()) {
		outb(PORT_QEMU_DEBUG_EXIT, EXIT_BOOT_ERROR);
		gST->RuntimeServices->ResetSystem(EfiResetShutdown, st, 0, 0);
	}
	say("ringbench: press any key to return to the firmware\n");
	UINTN index;
	gBS->WaitForEvent(1, &gST->ConIn->WaitForKey, &index);
	gBS->Exit(gImage, st, 0, 0);
	for (;;)
		__asm__ volatile("hlt");
}
