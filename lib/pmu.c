/*
 * pmu.c: which of the CPU's counters count here, and how to set them up (lib/pmu.h).
 */
#include "pmu.h"

static void write(struct pmu_plan *p, uint32_t msr, uint64_t value)
{
	if (p->nwrites < PMU_MAX_WRITES)
		p->writes[p->nwrites++] = (typeof(p->writes[0])){ msr, value };
}

/* Fixed counter i exists when leaf 0xA's ECX bitmap lists it (version 5) or EDX counts past it. */
static int fixed_exists(const uint32_t leaf_a[4], unsigned i)
{
	return (leaf_a[2] >> i & 1) || CPUID_PMU_FIXED(leaf_a[3]) > i;
}

/* Fixed counter i (PMU_* in the SDM's order: 0 instructions, 1 core cycles, 2 reference cycles) counts in
 * every ring: stopped, zeroed, its field of FIXED_CTR_CTRL set, then all enabled at once. */
void pmu_plan_intel(uint32_t max_leaf, const uint32_t leaf_a[4], struct pmu_plan *p)
{
	*p = (struct pmu_plan){ 0 };
	p->version = max_leaf >= CPUID_PMU ? CPUID_PMU_VERSION(leaf_a[0]) : 0;
	if (max_leaf < CPUID_PMU)
		p->why_not = "CPUID has no leaf 0xA: no architectural performance monitoring";
	else if (p->version == 0)
		p->why_not = "CPUID leaf 0xA reports no architectural performance monitoring (version 0)";
	else if (p->version < 2)
		p->why_not = "CPUID leaf 0xA reports version 1: no fixed counters";
	if (p->why_not)
		return;
	uint64_t ctrl = 0, global = 0;
	for (unsigned i = 0; i < PMU_COUNTERS; i++)
		if (fixed_exists(leaf_a, i)) {
			p->present |= 1u << i;
			p->rdpmc[i] = RDPMC_FIXED | i;
			ctrl |= (uint64_t)(FIXED_CTRL_OS | FIXED_CTRL_USR) << FIXED_CTRL_SHIFT(i);
			global |= GLOBAL_CTRL_FIXED(i);
		}
	if (!p->present) {
		p->why_not = "CPUID leaf 0xA lists no fixed counters";
		return;
	}
	p->width = CPUID_PMU_FIXED_WIDTH(leaf_a[3]);
	write(p, MSR_PERF_GLOBAL_CTRL, 0);
	for (unsigned i = 0; i < PMU_COUNTERS; i++)
		if (p->present >> i & 1)
			write(p, MSR_FIXED_CTR(i), 0);
	write(p, MSR_FIXED_CTR_CTRL, ctrl);
	write(p, MSR_PERF_GLOBAL_CTRL, global);
}

/* Counters 0 and 1 on retired instructions and cycles not halted, in rings 0 and 3: zeroed, then the
 * event selects with their enable bit. */
void pmu_plan_amd(uint32_t ext_ecx, struct pmu_plan *p)
{
	static const uint64_t events[] = { [PMU_INSTRUCTIONS] = AMD_EVENT_RETIRED_INSTRUCTIONS,
					   [PMU_CORE_CYCLES] = AMD_EVENT_CYCLES_NOT_HALTED };
	int ext = !!(ext_ecx & CPUID_EXT_ECX_PERFCTR_CORE);
	*p = (struct pmu_plan){ .width = AMD_COUNTER_WIDTH };
	for (unsigned i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		p->present |= 1u << i;
		p->rdpmc[i] = i;
		write(p, ext ? MSR_AMD_PERF_CTR(i) : MSR_AMD_PERFCTR(i), 0);
		write(p, ext ? MSR_AMD_PERF_CTL(i) : MSR_AMD_EVNTSEL(i),
		      events[i] | AMD_EVTSEL_USR | AMD_EVTSEL_OS | AMD_EVTSEL_EN);
	}
}
