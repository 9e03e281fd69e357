/*
 * tsc.c: the TSC's frequency and CLOCK_MONOTONIC. The frequency comes from CPUID leaf 0x15 when it
 * states the crystal clock, else from timing the PIT (channel 2, polled; no interrupt). tsc_source says
 * which, for the boot line: a figure without its provenance is not honest.
 */
#include "defs.h"
#include "../lib/x86.h"

#define PIT_MS           10
#define PIT_CALIBRATIONS 3
#define PIT_MODE0_CH2    0xb0 /* channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count) */
#define GATE_CH2         0x01
#define GATE_SPEAKER     0x02
#define GATE_OUT2        0x20
#define PIT_SPIN_MAX     100000000ull /* a clock-gated PIT never raises OUT2 */
#define NS_SHIFT         32
#define TSC_HZ_GUESS     4000000000ull /* for delays before calibration: errs on the long side */

uint64_t tsc_hz;
const char *tsc_source = "none";
static uint64_t tsc_boot, ns_mult;

static uint64_t from_cpuid(void)
{
	uint32_t r[4];
	cpuid(CPUID_VENDOR, 0, r);
	if (r[0] < CPUID_TSC_CRYSTAL)
		return 0;
	cpuid(CPUID_TSC_CRYSTAL, 0, r); /* eax: denominator, ebx: numerator, ecx: crystal Hz */
	return r[0] && r[1] && r[2] ? (uint64_t)r[2] * r[1] / r[0] : 0;
}

/* TSC ticks over PIT_MS of the PIT's 1.193182 MHz, or 0 when the PIT does not count. */
static uint64_t pit_once(void)
{
	uint16_t count = (uint16_t)(PIT_HZ * PIT_MS / 1000);
	outb(PORT_PIT_GATE, (uint8_t)((inb(PORT_PIT_GATE) & ~GATE_SPEAKER) | GATE_CH2));
	outb(PORT_PIT_CMD, PIT_MODE0_CH2);
	outb(PORT_PIT_CH2, (uint8_t)count);
	outb(PORT_PIT_CH2, (uint8_t)(count >> 8));
	uint64_t t0 = rdtsc(), spins = 0;
	while (!(inb(PORT_PIT_GATE) & GATE_OUT2))
		if (++spins > PIT_SPIN_MAX)
			return 0;
	return (rdtsc() - t0) * 1000 / PIT_MS;
}

static uint64_t from_pit(void)
{
	uint64_t v[PIT_CALIBRATIONS];
	for (int i = 0; i < PIT_CALIBRATIONS; i++)
		if (!(v[i] = pit_once()))
			return 0;
	/* The median of three: one run disturbed by an SMI or a host hiccup does not count. */
	uint64_t a = v[0], b = v[1], c = v[2];
	return a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
}

void tsc_init(void)
{
	if ((tsc_hz = from_cpuid()))
		tsc_source = "cpuid_15h";
	else if ((tsc_hz = from_pit()))
		tsc_source = "pit";
	tsc_boot = rdtsc();
	ns_mult = tsc_hz ? (1000000000ull << NS_SHIFT) / tsc_hz : 0;
}

uint64_t tsc_to_ns(uint64_t ticks) { return (uint64_t)(((unsigned __int128)ticks * ns_mult) >> NS_SHIFT); }

uint64_t monotonic_ns(void) { return tsc_to_ns(rdtsc() - tsc_boot); }

void delay_ms(uint64_t ms)
{
	uint64_t end = rdtsc() + (tsc_hz ? tsc_hz : TSC_HZ_GUESS) / 1000 * ms;
	while (rdtsc() < end)
		__asm__ volatile("pause");
}
