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

/* The configuration file, then the load options (from a UEFI shell or a boot entry), which win. */
static void read_config(struct config *cfg)
{
	char err[160];
	void *text;
	UINTN size;
	config_defaults(cfg);
	EFI_STATUS st = read_esp_file("ringbench.cfg", &text, &size);
	if (st == EFI_NOT_FOUND)
		say("ringbench: no \\ringbench\\ringbench.cfg, using the defaults\n");
	else if (EFI_ERROR(st))
		fail(st, "cannot read", "\\ringbench\\ringbench.cfg");
	else if (config_parse_file(cfg, text, size, err, sizeof(err)))
		fail(EFI_INVALID_PARAMETER, err, "\\ringbench\\ringbench.cfg");
}

/* Load options arrive as UCS-2; a UEFI shell puts the program's own path first, which is skipped. */
static void read_load_options(struct config *cfg)
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
	if (config_parse_options(cfg, s, err, sizeof(err)))
		fail(EFI_INVALID_PARAMETER, err, 0);
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

static void *load(const char *name, UINTN *size)
{
	void *data;
	char path[BOOTINFO_NAME_MAX + 16];
	EFI_STATUS st = read_esp_file(name, &data, size);
	if (EFI_ERROR(st)) {
		fmt_snprintf(path, sizeof(path), "\\ringbench\\%s", name);
		fail(st, "cannot read", path);
	}
	say("ringbench: read \\ringbench\\%s (%lu bytes)\n", name, (unsigned long)*size);
	return data;
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
	read_config(&cfg);
	read_load_options(&cfg);
	if (cfg.show_previous)
		show_previous();

	UINTN kernel_size, app_size;
	void *kernel = load("kernel.elf", &kernel_size);
	void *app = load(cfg.app, &app_size);
	UINTN files_size = 0;
	void *files = cfg.files[0] ? load(cfg.files, &files_size) : 0;
	*bi = (struct bootinfo){ .magic = BOOTINFO_MAGIC, .version = BOOTINFO_VERSION, .size = sizeof(*bi),
				 .flags = (cfg.poweroff == POWEROFF_YES ? BOOTINFO_F_POWEROFF : 0) |
					  (cfg.poweroff == POWEROFF_AUTO ? BOOTINFO_F_POWEROFF_AUTO : 0) |
					  (cfg.kernel_fault ? BOOTINFO_F_KERNEL_FAULT : 0) |
					  (cfg.vdso == VDSO_ON ? BOOTINFO_F_VDSO_ON : 0) | (cfg.vdso == VDSO_OFF ? BOOTINFO_F_VDSO_OFF : 0) |
					  (cfg.vsyscall == VSYSCALL_EMULATE ? BOOTINFO_F_VSYSCALL_EMULATE : 0) |
					  (cfg.vsyscall == VSYSCALL_NONE ? BOOTINFO_F_VSYSCALL_NONE : 0),
				 .entry = (uint32_t)cfg.entry, .acpi_rsdp = find_rsdp(), .efi_system_table = (uint64_t)st,
				 .app_image = (uint64_t)app, .app_size = app_size, .files_image = (uint64_t)files,
				 .files_size = files_size };
	str_copy(bi->app_name, cfg.app, sizeof(bi->app_name));
	str_copy(bi->cmdline, cfg.args, sizeof(bi->cmdline));
	str_copy(bi->env, cfg.env, sizeof(bi->env));
	str_copy(bi->files_name, cfg.files, sizeof(bi->files_name));
	str_copy(bi->stdin_path, cfg.stdin_path, sizeof(bi->stdin_path));
	bi->realtime_at_boot = firmware_time();
	find_framebuffer(&bi->fb);
	handoff(bi, kernel, kernel_size);
}
