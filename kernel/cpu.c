/*
 * cpu.c: who the CPU is (CPUID: vendor, brand, family/model, hypervisor signature, features) and the
 * protections the kernel turns on where the CPU has them (CR0.WP, SMEP, SMAP, UMIP; NX is vm.c's).
 * print_boot_line() writes the "boot" JSON line every report starts from.
 */
#include "defs.h"
#include "../lib/fmt.h"
#include "../lib/string.h"
#include "../lib/sysenter.h"
#include "../lib/x86.h"
#include "version.h"

struct cpu_info cpu;

static void copy_regs(char *dst, const uint32_t *regs, int n)
{
	memcpy(dst, regs, 4 * (size_t)n);
	dst[4 * n] = 0;
}

static void identify_vendor(void)
{
	uint32_t r[4];
	cpuid(CPUID_VENDOR, 0, r);
	uint32_t v[3] = { r[1], r[3], r[2] }; /* EBX EDX ECX spell the vendor */
	copy_regs(cpu.vendor, v, 3);
	cpu.intel = !memcmp(cpu.vendor, CPUID_VENDOR_INTEL, 12);
	cpuid(CPUID_FEATURES, 0, r);
	uint32_t fam = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf;
	if (fam == 0xf)
		fam += (r[0] >> 20) & 0xff;
	if (fam >= 0x6)
		model |= ((r[0] >> 16) & 0xf) << 4;
	cpu.family = fam;
	cpu.model = model;
	cpu.stepping = r[0] & 0xf;
	cpu.under_hypervisor = r[2] & CPUID1_ECX_HYPERVISOR;
	cpu.rdrand = r[2] & CPUID1_ECX_RDRAND;
	cpu.hwcap = r[3];
	if (cpu.under_hypervisor) {
		cpuid(CPUID_HV_BASE, 0, r);
		copy_regs(cpu.hypervisor, r + 1, 3); /* EBX ECX EDX */
	}
}

static void identify_features(void)
{
	uint32_t r[4];
	cpuid(CPUID_VENDOR, 0, r);
	if (r[0] >= CPUID_EXT_FEATURES) {
		cpuid(CPUID_EXT_FEATURES, 0, r);
		cpu.smep = r[1] & CPUID7_EBX_SMEP;
		cpu.smap = r[1] & CPUID7_EBX_SMAP;
		cpu.umip = r[2] & CPUID7_ECX_UMIP;
	}
	cpuid(CPUID_EXT_MAX, 0, r);
	uint32_t ext_max = r[0];
	if (ext_max >= CPUID_EXT_INFO) {
		cpuid(CPUID_EXT_INFO, 0, r);
		cpu.nx = r[3] & CPUID_EXT_EDX_NX;
	}
	if (ext_max >= CPUID_BRAND0 + 2)
		for (uint32_t i = 0; i < 3; i++) {
			cpuid(CPUID_BRAND0 + i, 0, r);
			copy_regs(cpu.brand + 16 * i, r, 4);
		}
	if (ext_max >= CPUID_POWER) {
		cpuid(CPUID_POWER, 0, r);
		cpu.invariant_tsc = r[3] & CPUID_POWER_EDX_INVTSC;
	}
}

static void identify_sysenter(void)
{
	cpu.sysenter_reason = sysenter_unusable();
	cpu.sysenter = !cpu.sysenter_reason;
}

void cpu_identify(void)
{
	identify_vendor();
	identify_features();
	identify_sysenter();
}

/* After the kernel's own page tables are live (user pages carry PTE_U, nothing else does). */
void cpu_protect(void)
{
	/* The app may use x87/SSE (the kernel never does: -mgeneral-regs-only), so its state is never touched. */
	write_cr0((read_cr0() | CR0_WP | CR0_MP | CR0_AM) & ~(CR0_EM | CR0_TS));
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	cr4 |= cpu.smep ? CR4_SMEP : 0;
	cr4 |= cpu.smap ? CR4_SMAP : 0;
	cr4 |= cpu.umip ? CR4_UMIP : 0;
	write_cr4(cr4);
}

static const char *yes(bool b) { return b ? "true" : "false"; }

/* Secure Boot, and where each part came from: inside the signed image, or the ESP (efi/main.c). */
static void print_sources(void)
{
	static const char *const parts[] = { "kernel", "app", "config", "files" };
	kprintf(",\"secure_boot\":%s,\"sources\":{", yes(boot.flags & BOOTINFO_F_SECURE_BOOT));
	for (unsigned i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		bool none = i == 3 && !boot.files_size;
		kprintf("%s\"%s\":\"%s\"", i ? "," : "", parts[i],
			none ? "none" : boot.flags & BOOTINFO_F_EMBEDDED(i) ? "image" : "esp");
	}
	kprintf("}");
}

void print_boot_line(void)
{
	char brand[sizeof(cpu.brand) * 2], vendor[sizeof(cpu.vendor) * 2], hv[sizeof(cpu.hypervisor) * 2];
	const char *b = cpu.brand;
	while (*b == ' ')
		b++; /* Intel pads the brand string on the left */
	json_escape(brand, sizeof(brand), b);
	json_escape(vendor, sizeof(vendor), cpu.vendor);
	json_escape(hv, sizeof(hv), cpu.hypervisor);
	kprintf("{\"type\":\"boot\",\"version\":\"%s\",\"cpu_vendor\":\"%s\",\"cpu_brand\":\"%s\",\"family\":%u,"
		"\"model\":%u,\"stepping\":%u,\"hypervisor\":\"%s\",\"tsc_hz\":%lu,\"tsc_source\":\"%s\","
		"\"under_hypervisor\":%s,\"invariant_tsc\":%s,"
		"\"features\":{\"nx\":%s,\"smep\":%s,\"smap\":%s,\"umip\":%s,\"wp\":true},"
		"\"doors\":{\"syscall\":true,\"int80\":true,\"sysenter\":%s},\"sysenter_reason\":\"%s\","
		"\"getrandom\":\"%s\",",
		RINGBENCH_VERSION, vendor, brand, cpu.family, cpu.model, cpu.stepping, hv, tsc_hz, tsc_source,
		yes(cpu.under_hypervisor), yes(cpu.invariant_tsc), yes(cpu.nx), yes(cpu.smep), yes(cpu.smap), yes(cpu.umip),
		yes(cpu.sysenter), cpu.sysenter ? "" : cpu.sysenter_reason,
		cpu.rdrand ? "rdrand" : "tsc, not cryptographic");
	print_tsc_sources();
	print_sources();
	print_defences();
	print_pmu();
	uint64_t free_mib = frames_free() * PAGE_SIZE >> 20, unused_mib = frames_dropped() * PAGE_SIZE >> 20;
	kprintf(",\"memory_free_mib\":%lu,\"memory_unused_mib\":%lu}\n", free_mib, unused_mib);
	if (frames_dropped())
		kprintf("ringbench: the memory map has more than %d free ranges: %lu MiB left unused\n",
			FRAME_RANGES_MAX, unused_mib);
	kprintf("ringbench %s on %s (%s, family %u model %u)%s%s; TSC %lu Hz from %s\n", RINGBENCH_VERSION, b,
		cpu.vendor, cpu.family, cpu.model, cpu.under_hypervisor ? " under hypervisor " : " on bare metal",
		cpu.hypervisor, tsc_hz, tsc_source);
	if (!cpu.sysenter)
		kprintf("sysenter door: unsupported: %s\n", cpu.sysenter_reason);
	if (!cpu.rdrand)
		kprintf("getrandom: this CPU has no RDRAND: its bytes come from the TSC and are not cryptographic\n");
}
