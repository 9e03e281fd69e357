/*
 * main.c: efi_main, the entry of BOOTX64.EFI. Reads the configuration, the kernel and the app from the
 * ringbench folder of the ESP, records what the kernel needs in one bootinfo, and hands off.
 * Everything here runs with boot services up; efi/handoff.c ends them.
 */
#include "stub.h"
#include "../lib/config.h"
#include "../lib/fmt.h"
#include "../lib/string.h"
#include "../lib/x86.h"
#include "version.h"

EFI_SYSTEM_TABLE *gST;
EFI_BOOT_SERVICES *gBS;
EFI_HANDLE gImage;

static const char *const part_names[PART_COUNT] = { "kernel", "app", "config", "files" };

static UINTN carried(int part) { return (UINTN)(embedded[part].end - embedded[part].start); }

/* Secure Boot enforcing: the SecureBoot variable 1, and not in setup mode (SetupMode 0). */
static int secure_boot(void)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	UINT8 on = 0, setup = 1;
	UINTN n = 1;
	if (EFI_ERROR(gST->RuntimeServices->GetVariable(L"SecureBoot", &global, 0, &n, &on)))
		return 0;
	n = 1;
	if (EFI_ERROR(gST->RuntimeServices->GetVariable(L"SetupMode", &global, 0, &n, &setup)))
		setup = 0;
	return on == 1 && setup == 0;
}

/* A part the image carries, copied to pages of its own (the kernel keeps LoaderData, as for a file). */
static void *from_image(int part, UINTN *size)
{
	EFI_PHYSICAL_ADDRESS pages;
	*size = carried(part);
	if (EFI_ERROR(gBS->AllocatePages(AllocateAnyPages, EfiLoaderData, EFI_SIZE_TO_PAGES(*size), &pages)))
		fail(EFI_OUT_OF_RESOURCES, "cannot allocate pages for a part of the image", part_names[part]);
	memcpy((void *)pages, embedded[part].start, *size);
	say("ringbench: the %s from inside the signed image (%lu bytes)\n", part_names[part], (unsigned long)*size);
	return (void *)pages;
}

/* Where each part comes from. Under Secure Boot: only from inside the image (its signature covers it); a
 * loose file of the same role on the ESP is ignored, and said to be. Otherwise a loose file on the ESP, as
 * ever, and where there is none, the image's own part. NULL for an optional part found nowhere. */
static void *part(int which, const char *name, UINTN *size, int secure, uint32_t *flags, int optional)
{
	void *data;
	EFI_STATUS st = read_esp_file(name, &data, size);
	if (secure) {
		if (!EFI_ERROR(st))
			say("ringbench: Secure Boot is on: \\ringbench\\%s on the ESP is ignored; the signed image's own %s "
			    "runs\n", name, part_names[which]);
		if (!carried(which) && optional)
			return *size = 0, (void *)0;
		if (!carried(which))
			fail(EFI_SECURITY_VIOLATION, "Secure Boot is on, and this BOOTX64.EFI does not carry its own "
			     "(make usb SIGN_KEY=... builds one that does); loose files are not run", part_names[which]);
	} else if (!EFI_ERROR(st)) {
		say("ringbench: read \\ringbench\\%s (%lu bytes)\n", name, (unsigned long)*size);
		return data;
	} else if (st != EFI_NOT_FOUND || !carried(which)) {
		if (optional && st == EFI_NOT_FOUND)
			return *size = 0, (void *)0;
		char path[BOOTINFO_NAME_MAX + 16];
		fmt_snprintf(path, sizeof(path), "\\ringbench\\%s", name);
		fail(st, "cannot read", path);
	}
	*flags |= BOOTINFO_F_EMBEDDED(which);
	return from_image(which, size);
}

/* The configuration: the image's own under Secure Boot; otherwise \ringbench\ringbench.cfg, or the image's,
 * or the defaults. */
static void read_config(struct config *cfg, int secure, uint32_t *flags)
{
	char err[160];
	UINTN size;
	config_defaults(cfg);
	const char *text = part(PART_CONFIG, "ringbench.cfg", &size, secure, flags, 1);
	if (!text)
		say("ringbench: no \\ringbench\\ringbench.cfg, using the defaults\n");
	else if (config_parse_file(cfg, text, size, err, sizeof(err)))
		fail(EFI_INVALID_PARAMETER, err, "ringbench.cfg");
}

/* Load options arrive as UCS-2; a UEFI shell puts the program's own path first, which is skipped. They
 * win over the configuration, except under Secure Boot, where they may not change what runs: there only
 * show_previous (which shows kept results, and runs nothing) is taken from them. */
static void read_load_options(struct config *cfg, int secure)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	char opts[BOOTINFO_CMDLINE_MAX + 64], err[160];
	if (EFI_ERROR(gBS->HandleProtocol(gImage, &li_guid, (void **)&li)) || !li->LoadOptionsSize)
		return;
	const CHAR16 *w = li->LoadOptions;
	UINTN n = 0, len = li->LoadOptionsSize / sizeof(CHAR16);
	for (UINTN i = 0; i < len && w[i]; i++) {
		if (w[i] > 0x7e || n + 1 >= sizeof(opts))
			fail(EFI_INVALID_PARAMETER, "load options: not printable ASCII or too long", 0);
		opts[n++] = (char)w[i];
	}
	opts[n] = 0;
	char *s = opts;
	UINTN first = 0;
	while (s[first] && s[first] != ' ')
		first++;
	if (first >= 4 && (!strncmp(s + first - 4, ".efi", 4) || !strncmp(s + first - 4, ".EFI", 4)))
		s += first;
	struct config given = *cfg;
	if (config_parse_options(&given, s, err, sizeof(err)))
		fail(EFI_INVALID_PARAMETER, err, 0);
	if (secure && *s) {
		cfg->show_previous = given.show_previous;
		say("ringbench: Secure Boot is on: the load options may not change what runs; only show_previous is "
		    "taken from them\n");
		return;
	}
	*cfg = given;
}

static void find_framebuffer(struct bootinfo_fb *fb)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	if (EFI_ERROR(gBS->LocateProtocol(&gop_guid, 0, (void **)&gop)) || !gop->Mode || !gop->Mode->Info)
		return;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *m = gop->Mode->Info;
	if (m->PixelFormat == PixelBltOnly)
		return; /* no linear framebuffer to draw on */
	*fb = (struct bootinfo_fb){
		.base = gop->Mode->FrameBufferBase, .size = gop->Mode->FrameBufferSize,
		.width = m->HorizontalResolution, .height = m->VerticalResolution,
		.pixels_per_scanline = m->PixelsPerScanLine,
		.format = m->PixelFormat == PixelRedGreenBlueReserved8BitPerColor ? FB_RGBX
			  : m->PixelFormat == PixelBlueGreenRedReserved8BitPerColor ? FB_BGRX : FB_BITMASK,
		.red_mask = m->PixelInformation.RedMask, .green_mask = m->PixelInformation.GreenMask,
		.blue_mask = m->PixelInformation.BlueMask, .reserved_mask = m->PixelInformation.ReservedMask,
	};
}

static uint64_t find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	uint64_t found = 0;
	for (UINTN i = 0; i < gST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &gST->ConfigurationTable[i];
		if (!memcmp(&t->VendorGuid, &acpi20, sizeof(EFI_GUID)))
			return (uint64_t)t->VendorTable;
		if (!memcmp(&t->VendorGuid, &acpi10, sizeof(EFI_GUID)))
			found = (uint64_t)t->VendorTable;
	}
	return found;
}

/* The firmware's clock as seconds since 1970, its time taken as UTC (its time zone field, where set, is
 * not applied: firmware disagree on its sign), or -1 when it has none. CLOCK_REALTIME counts on from it. */
static int64_t firmware_time(void)
{
	EFI_TIME t;
	if (EFI_ERROR(gST->RuntimeServices->GetTime(&t, 0)) || t.Month < 1 || t.Month > 12)
		return -1;
	static const int days_before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int64_t y = t.Year, days = (y - 1970) * 365 + (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
	days += days_before[t.Month - 1] + (t.Month > 2 && y % 4 == 0 && (y % 100 || y % 400 == 0)) + t.Day - 1;
	return ((days * 24 + t.Hour) * 60 + t.Minute) * 60 + t.Second;
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	gST = st;
	gBS = st->BootServices;
	gImage = image;
	gBS->SetWatchdogTimer(0, 0, 0, 0); /* the boot manager armed a 5-minute reset */
	say("ringbench %s: EFI stub\n", RINGBENCH_VERSION);

	EFI_PHYSICAL_ADDRESS bi_page;
	if (EFI_ERROR(gBS->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &bi_page)))
		fail(EFI_OUT_OF_RESOURCES, "cannot allocate the boot information page", 0);
	struct bootinfo *bi = (struct bootinfo *)bi_page;
	memset(bi, 0, sizeof(*bi));
	struct config cfg;
	int secure = secure_boot();
	uint32_t sources = secure ? BOOTINFO_F_SECURE_BOOT : 0;
	say("ringbench: Secure Boot %s\n", secure ? "is on: only what this signed image carries runs" : "is off");
	read_config(&cfg, secure, &sources);
	read_load_options(&cfg, secure);
	if (cfg.show_previous)
		show_previous();

	UINTN kernel_size, app_size, files_size = 0;
	void *kernel = part(PART_KERNEL, "kernel.elf", &kernel_size, secure, &sources, 0);
	void *app = part(PART_APP, cfg.app, &app_size, secure, &sources, 0);
	void *files = cfg.files[0] || carried(PART_FILES) ? part(PART_FILES, cfg.files[0] ? cfg.files : "files.cpio",
								   &files_size, secure, &sources, !cfg.files[0]) : 0;
	*bi = (struct bootinfo){ .magic = BOOTINFO_MAGIC, .version = BOOTINFO_VERSION, .size = sizeof(*bi),
				 .flags = sources | (cfg.poweroff == POWEROFF_YES ? BOOTINFO_F_POWEROFF : 0) |
					  (cfg.poweroff == POWEROFF_AUTO ? BOOTINFO_F_POWEROFF_AUTO : 0) |
					  (cfg.kernel_fault ? BOOTINFO_F_KERNEL_FAULT : 0) |
					  (cfg.vdso == VDSO_ON ? BOOTINFO_F_VDSO_ON : 0) | (cfg.vdso == VDSO_OFF ? BOOTINFO_F_VDSO_OFF : 0) |
					  (cfg.vsyscall == VSYSCALL_EMULATE ? BOOTINFO_F_VSYSCALL_EMULATE : 0) |
					  (cfg.vsyscall == VSYSCALL_NONE ? BOOTINFO_F_VSYSCALL_NONE : 0) |
					  (cfg.events == EVENTS_FRED ? BOOTINFO_F_EVENTS_FRED : 0),
				 .entry = (uint32_t)cfg.entry, .acpi_rsdp = find_rsdp(), .efi_system_table = (uint64_t)st,
				 .app_image = (uint64_t)app, .app_size = app_size, .files_image = (uint64_t)files,
				 .files_size = files_size };
	str_copy(bi->app_name, cfg.app, sizeof(bi->app_name));
	str_copy(bi->cmdline, cfg.args, sizeof(bi->cmdline));
	str_copy(bi->env, cfg.env, sizeof(bi->env));
	str_copy(bi->files_name, files && !cfg.files[0] ? "files.cpio" : cfg.files, sizeof(bi->files_name));
	str_copy(bi->stdin_path, cfg.stdin_path, sizeof(bi->stdin_path));
	bi->realtime_at_boot = firmware_time();
	find_framebuffer(&bi->fb);
	handoff(bi, kernel, kernel_size);
}
