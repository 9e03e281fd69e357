/*
 * tsc.c: the TSC's frequency and CLOCK_MONOTONIC. Every reference the machine offers is measured: CPUID
 * leaf 0x15 (when it states the crystal clock), the HPET and the ACPI PM timer (found through the ACPI
 * tables: real boards without legacy devices have these), and the PIT last (it may be clock-gated on new
 * chipsets). The first available in that order is used, but CPUID's stated rate only where the first
 * timer measures it too (within CPUID_TRUST): on a real machine they agree, and where they do not the CPUID
 * is an emulator's that states a rate its TSC does not keep (Bochs's TSC follows its instructions per
 * second), so the timers' measurement is the machine's time. All are reported in the boot line, so that a
 * figure always carries its provenance and the sources can be held against each other.
 */
#include "defs.h"
#include "../lib/abi.h"
#include "../lib/x86.h"

#define CAL_MS           10
#define CALIBRATIONS     3
#define PIT_RATE_CH2     0xb4 /* channel 2, lobyte/hibyte, mode 2 (rate generator): counts down, reloads */
#define PIT_LATCH_CH2    0x80 /* channel 2: latch the count for reading */
#define PIT_MASK         0xffffull /* a 16-bit count, reloaded with 0 (= 65536: 55 ms a turn) */
#define GATE_CH2         0x01
#define GATE_SPEAKER     0x02
#define NS_SHIFT         32
#define TSC_HZ_GUESS     4000000000ull /* for delays before calibration: errs on the long side */
#define STUCK_TSC        (TSC_HZ_GUESS / 1000 * CAL_MS * 10) /* 10x the window: a reference that does not
							 * move must not hang the boot */
#define PM_TIMER_HZ      3579545ull
#define HPET_CAP         0x000 /* bits 63:32: the counter's period in femtoseconds */
#define HPET_CONFIG      0x010 /* bit 0: counting enabled */
#define HPET_COUNTER     0x0f0
#define HPET_ENABLE      1ull
#define FS_PER_S         1000000000000000ull
#define CPUID_TRUST      10 /* percent: how far CPUID's rate may be from the first timer's and still be used */

enum source { SRC_CPUID, SRC_HPET, SRC_PM, SRC_PIT, NSOURCES };
static const char *const source_names[NSOURCES] = { "cpuid_15h", "hpet", "pm_timer", "pit" };
static uint64_t measured[NSOURCES];

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

/* A free-running counter: how to read it, its rate, and its width. */
struct counter {
	uint64_t (*read)(void);
	uint64_t hz, mask;
};

static uint16_t pm_port;
static volatile uint64_t *hpet;
static uint64_t read_pm(void) { return inl(pm_port); }
static uint64_t read_hpet(void) { return hpet[HPET_COUNTER / 8]; }

/* The PIT's channel 2 as a free-running counter (gate on, speaker off, rate generator from 65536), so
 * that it is measured like the others: the ticks it counted, not when a one-shot was seen to end (a late
 * look, under a busy host or an SMI, made the whole window longer). */
static void pit_start(void)
{
	outb(PORT_PIT_GATE, (uint8_t)((inb(PORT_PIT_GATE) & ~GATE_SPEAKER) | GATE_CH2));
	outb(PORT_PIT_CMD, PIT_RATE_CH2);
	outb(PORT_PIT_CH2, 0);
	outb(PORT_PIT_CH2, 0);
}

static uint64_t read_pit(void)
{
	outb(PORT_PIT_CMD, PIT_LATCH_CH2);
	uint64_t low = inb(PORT_PIT_CH2), high = inb(PORT_PIT_CH2);
	return -(high << 8 | low); /* it counts down; masked by the caller */
}

/* TSC ticks per second over CAL_MS of the counter, or 0 when the counter does not move. */
static uint64_t against(const struct counter *c)
{
	uint64_t want = c->hz * CAL_MS / 1000, start = c->read(), t0 = rdtsc(), elapsed;
	while ((elapsed = (c->read() - start) & c->mask) < want)
		if (rdtsc() - t0 > STUCK_TSC)
			return 0;
	return (rdtsc() - t0) * c->hz / elapsed;
}

static uint64_t median3(uint64_t a, uint64_t b, uint64_t c)
{
	return a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
}

/* The median of three runs: one run disturbed by an SMI or a host hiccup does not count. */
static uint64_t calibrate(const struct counter *c)
{
	uint64_t v[CALIBRATIONS];
	for (int i = 0; i < CALIBRATIONS; i++)
		if (!(v[i] = against(c)))
			return 0;
	return median3(v[0], v[1], v[2]);
}

static void measure_all(void)
{
	unsigned bits;
	uint64_t hpet_phys = acpi_hpet();
	measured[SRC_CPUID] = from_cpuid();
	if (hpet_phys && !(hpet = map_mmio(hpet_phys, HPET_COUNTER + 8)))
		kprintf("tsc: no memory to map the HPET at %lx; calibrating without it\n", hpet_phys);
	if (hpet) {
		uint64_t period = hpet[HPET_CAP / 8] >> 32;
		hpet[HPET_CONFIG / 8] |= HPET_ENABLE;
		struct counter c = { read_hpet, period ? FS_PER_S / period : 0, ~0ull };
		measured[SRC_HPET] = c.hz ? calibrate(&c) : 0;
	}
	if (acpi_pm_timer(&pm_port, &bits)) {
		struct counter c = { read_pm, PM_TIMER_HZ, (1ull << bits) - 1 };
		measured[SRC_PM] = calibrate(&c);
	}
	pit_start();
	struct counter pit = { read_pit, PIT_HZ, PIT_MASK };
	measured[SRC_PIT] = calibrate(&pit);
}

/* Does CPUID's stated rate agree with the first timer's measurement (or is there no timer to hold it to)? */
static bool cpuid_agrees(void)
{
	uint64_t timer = 0;
	for (int s = SRC_HPET; s < NSOURCES && !timer; s++)
		timer = measured[s];
	uint64_t claim = measured[SRC_CPUID];
	return !timer || (claim * 100 >= timer * (100 - CPUID_TRUST) && claim * 100 <= timer * (100 + CPUID_TRUST));
}

void tsc_init(void)
{
	measure_all();
	int first = SRC_CPUID;
	if (measured[SRC_CPUID] && !cpuid_agrees()) {
		first = SRC_HPET;
		kprintf("ringbench: CPUID leaf 0x15 states a TSC of %lu Hz, which the timers do not measure: the TSC is "
			"calibrated against them (an emulator's CPUID?)\n", measured[SRC_CPUID]);
	}
	for (int s = first; s < NSOURCES && !tsc_hz; s++)
		if (measured[s]) {
			tsc_hz = measured[s];
			tsc_source = source_names[s];
		}
	tsc_boot = rdtsc();
	ns_mult = tsc_hz ? (1000000000ull << NS_SHIFT) / tsc_hz : 0;
}

/* The app's time page: the same base and multiplier as monotonic_ns, so both clocks agree exactly. */
void time_page_fill(struct rb_time_page *p)
{
	bool usable = tsc_hz && !(boot.flags & BOOTINFO_F_VDSO_OFF) &&
		      (cpu.invariant_tsc || (boot.flags & BOOTINFO_F_VDSO_ON));
	p->seq++; /* odd: being written */
	__asm__ volatile("" ::: "memory");
	*p = (struct rb_time_page){ .seq = p->seq, .usable = usable, .tsc_base = tsc_boot, .mult = ns_mult,
				    .shift = NS_SHIFT, .realtime_s = boot.realtime_at_boot > 0 ? boot.realtime_at_boot : 0 };
	__asm__ volatile("" ::: "memory");
	p->seq++; /* even: stable */
}

void print_tsc_sources(void)
{
	const char *sep = "";
	kprintf("\"tsc_sources\":{");
	for (int s = 0; s < NSOURCES; s++)
		if (measured[s]) {
			kprintf("%s\"%s\":%lu", sep, source_names[s], measured[s]);
			sep = ",";
		}
	kprintf("}");
}

static uint64_t tsc_to_ns(uint64_t ticks) { return (uint64_t)(((unsigned __int128)ticks * ns_mult) >> NS_SHIFT); }

uint64_t monotonic_ns(void) { return tsc_to_ns(rdtsc() - tsc_boot); }

void delay_ms(uint64_t ms)
{
	uint64_t end = rdtsc() + (tsc_hz ? tsc_hz : TSC_HZ_GUESS) / 1000 * ms;
	while (rdtsc() < end)
		__asm__ volatile("pause");
}
