/*
 * pmu.c: the CPU's counters for the benchmark (lib/pmu.h). At boot: the plan for this CPU's vendor, its
 * MSR writes made under the fault probe (a hypervisor may refuse them), one trial RDPMC of each counter
 * (QEMU's TCG raises #UD for any), then CR4.PCE, so that the app reads the counters itself around its
 * batches with no call between. The boot line says what counts, or why nothing does; rb_pmu hands the app
 * the RDPMC selectors.
 */
#include "defs.h"
#include "../entry/syscall.h"
#include "../lib/abi.h"
#include "../lib/fmt.h"
#include "../lib/pmu.h"
#include "../lib/string.h"
#include "../lib/x86.h"

static struct pmu_plan plan;
_Static_assert(sizeof(((struct rb_pmu *)0)->rdpmc) == sizeof(plan.rdpmc), "rb_pmu has a selector per counter");

static void apply_plan(void)
{
	for (unsigned i = 0; i < plan.nwrites; i++)
		wrmsr(plan.writes[i].msr, plan.writes[i].value);
}

static void read_each(void)
{
	for (unsigned i = 0; i < PMU_COUNTERS; i++)
		if (plan.present >> i & 1)
			(void)rdpmc(plan.rdpmc[i]);
}

void pmu_init(void)
{
	uint32_t r[4], leaf_a[4] = { 0 };
	cpuid(CPUID_VENDOR, 0, r);
	if (cpu.intel) {
		if (r[0] >= CPUID_PMU)
			cpuid(CPUID_PMU, 0, leaf_a);
		pmu_plan_intel(r[0], leaf_a, &plan);
	} else if (!strncmp(cpu.vendor, CPUID_VENDOR_AMD, sizeof(cpu.vendor))) {
		cpuid(CPUID_EXT_INFO, 0, r);
		pmu_plan_amd(r[2], &plan);
	} else {
		plan.why_not = "neither Intel nor AMD: no counters this kernel knows how to set up";
	}
	static char why[96];
	long fault = plan.why_not ? 0 : kprobe_access(KPROBE_EXEC, (uint64_t)apply_plan);
	if (fault)
		fmt_snprintf(why, sizeof(why), "writing the counters' MSRs raises vector %ld: the PMU is kept from us",
			     fault >> 16);
	else if (!plan.why_not && (fault = kprobe_access(KPROBE_EXEC, (uint64_t)read_each)))
		fmt_snprintf(why, sizeof(why), "CPUID lists counters, but RDPMC raises vector %ld (an emulator: QEMU TCG, "
			     "Bochs)", fault >> 16);
	if (fault)
		plan.why_not = why;
	if (plan.why_not)
		plan.present = 0;
	else
		write_cr4(read_cr4() | CR4_PCE);
}

/* The "pmu" field of the boot line. */
void print_pmu(void)
{
	static const char *const names[PMU_COUNTERS] = PMU_NAMES;
	if (plan.why_not) {
		kprintf(",\"pmu\":{\"supported\":false,\"reason\":\"%s\"}", plan.why_not);
		return;
	}
	kprintf(",\"pmu\":{\"supported\":true,");
	if (plan.version) /* Intel's architectural version; AMD's core counters have none */
		kprintf("\"version\":%u,", plan.version);
	kprintf("\"width\":%u,\"counters\":\"", plan.width);
	for (unsigned i = 0, n = 0; i < PMU_COUNTERS; i++)
		if (plan.present >> i & 1)
			kprintf("%s%s", n++ ? "+" : "", names[i]);
	kprintf("\"}");
}

/* rb_pmu(ubuf): what the app needs to read the counters (struct rb_pmu, lib/abi.h). */
SYSCALL1(rb_pmu, ubuf)
{
	struct rb_pmu out = { .present = plan.present, .width = plan.width };
	memcpy(out.rdpmc, plan.rdpmc, sizeof(out.rdpmc));
	if (plan.why_not)
		fmt_snprintf(out.why, sizeof(out.why), "%s", plan.why_not);
	return copy_to_user(ubuf, &out, sizeof(out));
}
