/* test_pmu.c: lib/pmu.c on CPUID leaves as the manuals lay them out: which counters count, the RDPMC
 * selectors, and the MSR writes, value for value. */
#include <string.h>
#include "unit.h"
#include "../../lib/pmu.h"

/* Leaf 0xA of a CPU with architectural perfmon version v, 8 general counters of 48 bits, nfixed fixed
 * counters of 48 bits, and the version-5 fixed-counter bitmap ecx. */
static void leaf_a(uint32_t out[4], unsigned v, unsigned nfixed, uint32_t ecx)
{
	out[0] = v | 8u << 8 | 48u << 16 | 7u << 24;
	out[1] = 0; /* every architectural event available */
	out[2] = ecx;
	out[3] = nfixed | 48u << 5;
}

static int has_write(const struct pmu_plan *p, unsigned at, uint32_t msr, uint64_t value)
{
	return at < p->nwrites && p->writes[at].msr == msr && p->writes[at].value == value;
}

TEST(pmu_intel_fixed_counters_in_every_ring)
{
	uint32_t a[4];
	struct pmu_plan p;
	leaf_a(a, 4, 3, 0);
	pmu_plan_intel(0x20, a, &p);
	CHECK(!p.why_not && p.present == 7 && p.width == 48 && p.version == 4);
	CHECK(p.rdpmc[PMU_INSTRUCTIONS] == 0x40000000 && p.rdpmc[PMU_CORE_CYCLES] == 0x40000001 &&
	      p.rdpmc[PMU_REF_CYCLES] == 0x40000002);
	/* stop all, zero the three, OS|USR (0x3) in each 4-bit field, enable bits 32-34 */
	CHECK(p.nwrites == 6 && has_write(&p, 0, 0x38f, 0) && has_write(&p, 1, 0x309, 0) && has_write(&p, 2, 0x30a, 0) &&
	      has_write(&p, 3, 0x30b, 0) && has_write(&p, 4, 0x38d, 0x333) && has_write(&p, 5, 0x38f, 0x700000000ull));
}

TEST(pmu_intel_fewer_fixed_counters)
{
	uint32_t a[4];
	struct pmu_plan p;
	leaf_a(a, 2, 2, 0); /* instructions and core cycles only */
	pmu_plan_intel(0xd, a, &p);
	CHECK(!p.why_not && p.present == 3);
	CHECK(has_write(&p, 3, 0x38d, 0x33) && has_write(&p, 4, 0x38f, 0x300000000ull) && p.nwrites == 5);
	leaf_a(a, 5, 0, 0x5); /* version 5: the bitmap alone lists counters 0 and 2 */
	pmu_plan_intel(0x23, a, &p);
	CHECK(!p.why_not && p.present == 5 && p.rdpmc[PMU_REF_CYCLES] == 0x40000002);
	CHECK(has_write(&p, 3, 0x38d, 0x303) && has_write(&p, 4, 0x38f, 0x500000000ull));
}

TEST(pmu_intel_says_why_not)
{
	uint32_t a[4] = { 0 };
	struct pmu_plan p;
	pmu_plan_intel(0x7, a, &p);
	CHECK(p.why_not && strstr(p.why_not, "no leaf 0xA") && !p.present && !p.nwrites);
	pmu_plan_intel(0xd, a, &p); /* QEMU TCG: the leaf is all zeros */
	CHECK(p.why_not && strstr(p.why_not, "version 0") && !p.present && !p.nwrites);
	leaf_a(a, 1, 0, 0);
	pmu_plan_intel(0xd, a, &p);
	CHECK(p.why_not && strstr(p.why_not, "version 1") && !p.nwrites);
	leaf_a(a, 3, 0, 0);
	pmu_plan_intel(0xd, a, &p);
	CHECK(p.why_not && strstr(p.why_not, "no fixed counters") && !p.nwrites);
}

TEST(pmu_amd_core_counters)
{
	struct pmu_plan p;
	pmu_plan_amd(CPUID_EXT_ECX_PERFCTR_CORE, &p);
	/* PerfCtr then PerfEvtSel for counters 0 and 1: event | USR (16) | OS (17) | EN (22) */
	CHECK(!p.why_not && p.present == 3 && p.rdpmc[0] == 0 && p.rdpmc[1] == 1 && p.width == 48);
	CHECK(p.nwrites == 4 && has_write(&p, 0, 0xc0010201, 0) && has_write(&p, 1, 0xc0010200, 0x4300c0) &&
	      has_write(&p, 2, 0xc0010203, 0) && has_write(&p, 3, 0xc0010202, 0x430076));
	pmu_plan_amd(0, &p); /* no extension: the legacy four */
	CHECK(has_write(&p, 0, 0xc0010004, 0) && has_write(&p, 1, 0xc0010000, 0x4300c0) &&
	      has_write(&p, 2, 0xc0010005, 0) && has_write(&p, 3, 0xc0010001, 0x430076));
	CHECK(!(p.present >> PMU_REF_CYCLES & 1));
}
