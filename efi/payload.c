/*
 * payload.c: what a unified BOOTX64.EFI carries inside itself, in a PE section of its own (.rbpay) that the
 * Authenticode signature covers like its code: the kernel, the app, the configuration and the file archive
 * (make usb SIGN_KEY=...: scripts/unified.sh). Compiled twice: with PAYLOAD_DIR (the files kernel.elf, app,
 * ringbench.cfg, files.cpio there) for the unified image, and without it for the stub that reads its parts
 * from the ESP, where every part is empty. An empty part is one the image does not carry.
 */
#include "stub.h"

#ifdef PAYLOAD_DIR
#define PART(sym, file)                                                                                    \
	__asm__(".section .rbpay,\"dr\"\n\t.p2align 4\n\t.globl " #sym "\n" #sym ":\n\t.incbin \"" PAYLOAD_DIR \
		"/" file "\"\n\t.globl " #sym "_end\n" #sym "_end:\n\t.text\n");
#else
#define PART(sym, file) __asm__(".globl " #sym "\n" #sym ":\n.globl " #sym "_end\n" #sym "_end:\n");
#endif
PART(payload_kernel, "kernel.elf")
PART(payload_app, "app")
PART(payload_config, "ringbench.cfg")
PART(payload_files, "files.cpio")

extern const char payload_kernel[], payload_kernel_end[], payload_app[], payload_app_end[];
extern const char payload_config[], payload_config_end[], payload_files[], payload_files_end[];

const struct embedded embedded[PART_COUNT] = {
	[PART_KERNEL] = { payload_kernel, payload_kernel_end },
	[PART_APP] = { payload_app, payload_app_end },
	[PART_CONFIG] = { payload_config, payload_config_end },
	[PART_FILES] = { payload_files, payload_files_end },
};
