/*
 * pmu.h: the CPU's own counters beside the TSC: instructions retired, core cycles (the core's own clock,
 * which turbo and power saving change) and reference cycles (a fixed rate, the TSC's on Intel). What CPUID
 * says the performance-monitoring unit has, and the MSR writes that count all three in rings 0 and 3 for
 * RDPMC in ring 3 to read. Pure logic (tests/unit/test_pmu.c); kernel/pmu.c makes the writes, the app's
 * benchmark reads the counters around each batch (app/bench.c).
 *   Intel: architectural performance monitoring, CPUID leaf 0xA version 2 or later, fixed counters 0-2
 *          (INST_RETIRED.ANY, CPU_CLK_UNHALTED.THREAD, CPU_CLK_UNHALTED.REF_TSC), SDM vol. 3B ch. 20.
 *   AMD:   two core counters (PerfEvtSel/PerfCtr; the extended set when CPUID 0x80000001 ECX bit 23 says
 *          so) on events 0xC0 (retired instructions) and 0x76 (cycles not halted), APM vol. 2 ch. 13.
 *          AMD has no architectural reference-cycles counter.
 */
#ifndef RINGBENCH_PMU_H
#define RINGBENCH_PMU_H
#include <stdint.h>

/* The counters, in the order of struct rb_pmu's rdpmc[] and the bench records' fields. */
#define PMU_INSTRUCTIONS 0
#define PMU_CORE_CYCLES  1
#define PMU_REF_CYCLES   2
#define PMU_COUNTERS     3
#define PMU_NAMES        { "instructions", "core_cycles", "ref_cycles" } /* as the boot line and records say */

#define CPUID_PMU              0xa       /* architectural performance monitoring */
#define CPUID_PMU_VERSION(eax) ((eax) & 0xff)
#define CPUID_PMU_GP(eax)      (((eax) >> 8) & 0xff)   /* general-purpose counters */
#define CPUID_PMU_FIXED(edx)   ((edx) & 0x1f)          /* fixed counters 0..n-1 (version 2 and later) */
#define CPUID_PMU_FIXED_WIDTH(edx) (((edx) >> 5) & 0xff)
#define CPUID_EXT_ECX_PERFCTR_CORE (1u << 23)  /* AMD: six core counters at MSR_AMD_PERF_CTL(i) */

#define MSR_FIXED_CTR(i)        (0x309 + (i))   /* IA32_FIXED_CTR0..: the fixed counters */
#define MSR_FIXED_CTR_CTRL      0x38d           /* IA32_FIXED_CTR_CTRL: 4 bits per fixed counter */
#define MSR_PERF_GLOBAL_CTRL    0x38f           /* IA32_PERF_GLOBAL_CTRL: an enable bit per counter */
#define FIXED_CTRL_OS           0x1             /* count in ring 0 */
#define FIXED_CTRL_USR          0x2             /* count in rings 1-3 */
#define FIXED_CTRL_SHIFT(i)     (4 * (i))
#define GLOBAL_CTRL_FIXED(i)    (1ull << (32 + (i)))
#define RDPMC_FIXED             (1u << 30)      /* RDPMC's ECX: a fixed counter, by index */

#define MSR_AMD_EVNTSEL(i)      (0xc0010000 + (i))       /* PerfEvtSel0-3 (the legacy set) */
#define MSR_AMD_PERFCTR(i)      (0xc0010004 + (i))       /* PerfCtr0-3 */
#define MSR_AMD_PERF_CTL(i)     (0xc0010200 + 2 * (i))   /* PerfEvtSel0-5 (the core counter extension) */
#define MSR_AMD_PERF_CTR(i)     (0xc0010201 + 2 * (i))   /* PerfCtr0-5 */
#define AMD_EVENT_RETIRED_INSTRUCTIONS 0xc0
#define AMD_EVENT_CYCLES_NOT_HALTED    0x76
#define AMD_EVTSEL_USR          (1ull << 16)
#define AMD_EVTSEL_OS           (1ull << 17)
#define AMD_EVTSEL_EN           (1ull << 22)
#define AMD_COUNTER_WIDTH       48

#define PMU_MAX_WRITES 8

struct pmu_plan {
	const char *why_not;                /* NULL: the plan counts; else why not, a sentence */
	unsigned present;                   /* bit PMU_*: that counter is counted */
	uint32_t rdpmc[PMU_COUNTERS];       /* RDPMC's ECX for each present counter */
	unsigned width;                     /* the counters' width in bits */
	unsigned version;                   /* Intel: leaf 0xA's version (0 on AMD) */
	unsigned nwrites;
	struct { uint32_t msr; uint64_t value; } writes[PMU_MAX_WRITES]; /* in this order */
};

/* max_leaf: CPUID leaf 0's EAX; leaf_a: leaf 0xA's EAX EBX ECX EDX (zeros when max_leaf < 0xA). */
void pmu_plan_intel(uint32_t max_leaf, const uint32_t leaf_a[4], struct pmu_plan *p);
/* ext_ecx: CPUID 0x80000001's ECX. */
void pmu_plan_amd(uint32_t ext_ecx, struct pmu_plan *p);
#endif
