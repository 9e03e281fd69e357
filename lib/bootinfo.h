/*
 * bootinfo.h: the one structure the EFI stub hands to the kernel (in RDI, as a physical address).
 * Versioned: the kernel refuses a magic, version or size it does not know. All addresses are physical.
 */
#ifndef RINGBENCH_BOOTINFO_H
#define RINGBENCH_BOOTINFO_H
#include <stdint.h>
#include "x86.h"

#define BOOTINFO_MAGIC   0x6f666e69746f6f62ull /* "bootinfo" */
#define BOOTINFO_VERSION 4
#define BOOTINFO_CMDLINE_MAX 512
#define BOOTINFO_NAME_MAX    64

/* Pixel layouts, as the GOP reports them. */
enum fb_format { FB_NONE, FB_RGBX, FB_BGRX, FB_BITMASK };

struct bootinfo_fb {
	uint64_t base, size;
	uint32_t width, height, pixels_per_scanline, format; /* format: enum fb_format */
	uint32_t red_mask, green_mask, blue_mask, reserved_mask;
};

struct bootinfo {
	uint64_t magic;
	uint32_t version, size;          /* size = sizeof(struct bootinfo) */
	/* The UEFI memory map as GetMemoryMap returned it: walk it by desc_size, never by sizeof. */
	uint64_t memmap, memmap_size, desc_size;
	uint32_t desc_version, flags;    /* flags: BOOTINFO_F_* */
	uint32_t entry, reserved;        /* RB_ENTRY_* (lib/abi.h): the entry variant to start the app with */
	struct bootinfo_fb fb;
	uint64_t acpi_rsdp;              /* 0 when the firmware published none */
	uint64_t efi_system_table;
	uint64_t efi_runtime;            /* the runtime services table, virtual (EFI_RT_BASE), or 0 */
	uint64_t efi_rt_status;          /* what SetVirtualAddressMap returned (0: success) */
	uint64_t kernel_phys, kernel_size; /* where the stub copied the kernel image */
	uint64_t app_image, app_size;    /* the app's ELF file, as read from the ESP */
	char app_name[BOOTINFO_NAME_MAX];  /* its path on the ESP, for messages */
	char cmdline[BOOTINFO_CMDLINE_MAX]; /* the app's arguments, as the configuration wrote them */
	char env[BOOTINFO_CMDLINE_MAX];     /* the app's environment, likewise */
	int64_t realtime_at_boot;        /* seconds since 1970 (UTC) as the firmware's clock said, or -1 */
	uint64_t files_image, files_size; /* the app's files: a newc cpio archive as read from the ESP, or 0 */
	char files_name[BOOTINFO_NAME_MAX]; /* its name, for messages */
	char stdin_path[BOOTINFO_NAME_MAX]; /* the file of the archive the app's stdin reads, or "" */
};

#define BOOTINFO_F_POWEROFF BIT(0)   /* power off when the app ends (else halt with results on screen) */
#define BOOTINFO_F_POWEROFF_AUTO BIT(2) /* ... when under a hypervisor, halt on bare metal */
#define BOOTINFO_F_VDSO_ON BIT(3)    /* vdso = on: the time page is usable even without an invariant TSC */
#define BOOTINFO_F_VDSO_OFF BIT(4)   /* vdso = off: never usable */
#define BOOTINFO_F_VSYSCALL_EMULATE BIT(5) /* vsyscall = emulate: the page readable, its calls emulated */
#define BOOTINFO_F_VSYSCALL_NONE BIT(6)    /* vsyscall = none: no page, no emulation (default: xonly) */
#define BOOTINFO_F_SECURE_BOOT BIT(7)      /* the firmware enforces Secure Boot: only the image's own parts ran */
#define BOOTINFO_F_EMBEDDED(part) BIT(8 + (part)) /* that part came from inside the image (efi/payload.c's
						   * PART_* order: kernel, app, config, files), not the ESP */
#define BOOTINFO_F_EVENTS_FRED BIT(12)     /* events = fred: FRED delivers the events (kernel/fred.c) */
#define BOOTINFO_F_KERNEL_FAULT BIT(1) /* fault in ring 0 on purpose after the self-tests (kernel_test = fault) */

/* Kernel exit statuses, written to QEMU's isa-debug-exit (QEMU exits with (status << 1) | 1). */
#define EXIT_APP_OK      0x10 /* the app exited with status 0 */
#define EXIT_APP_FAILED  0x11 /* the app exited with a non-zero status */
#define EXIT_APP_KILLED  0x12 /* the app faulted and was killed */
#define EXIT_BAD_APP     0x13 /* the app's ELF was refused */
#define EXIT_PANIC       0x14 /* a kernel fault or assertion */
#define EXIT_BOOT_ERROR  0x15 /* the EFI stub could not boot (missing file, firmware error) */
#endif
