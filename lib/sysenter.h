/*
 * sysenter.h: whether this CPU can run the sysenter door, from CPUID alone. CPUID works in ring 3 too, so
 * the kernel decides with this (kernel/cpu.c) and the app holds the kernel's rb_doors against it.
 */
#ifndef RINGBENCH_SYSENTER_H
#define RINGBENCH_SYSENTER_H
#include <stdint.h>
#include "string.h"
#include "x86.h"

/* Why the sysenter door cannot run here, or 0 when it can. SYSENTER is #UD in 64-bit mode on AMD CPUs (and
 * QEMU applies that to every vendor but Intel); the door's fast exit uses SAHF, which 64-bit mode lacked
 * on the first Intel 64 CPUs (entry/sysenter64.S). */
static inline const char *sysenter_unusable(void)
{
	uint32_t r[4];
	cpuid(CPUID_VENDOR, 0, r);
	uint32_t vendor[3] = { r[1], r[3], r[2] }; /* EBX EDX ECX spell it */
	if (memcmp(vendor, CPUID_VENDOR_INTEL, sizeof(vendor)))
		return "SYSENTER raises #UD in 64-bit mode on CPUs not made by Intel";
	cpuid(CPUID_FEATURES, 0, r);
	if (!(r[3] & CPUID1_EDX_SEP))
		return "CPUID does not report SYSENTER/SYSEXIT (SEP)";
	cpuid(CPUID_EXT_INFO, 0, r); /* every 64-bit CPU has this leaf: it reports long mode */
	if (!(r[2] & CPUID_EXT_ECX_LAHF_LM))
		return "CPUID does not report SAHF in 64-bit mode (LAHF_LM), which the fast exit uses";
	return 0;
}
#endif
