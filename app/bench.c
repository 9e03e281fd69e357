/*
 * bench.c: the latency benchmark, run in ring 3 by "app.elf bench [iters=N] [batch=N] [warmup=N] [oneway=N]
 * [paths=a,b,...] [variants=a,b,...] [modes=sample,batch]" (benchpaths.c: the paths, and the arguments
 * that choose them). Each path is one body, called through the same pointer: an empty function (call),
 * getpid through each door, each bare door (the same stub into an entry that returns at once), and
 * clock_gettime and cpuid for reference; then getpid through each door again with each chosen entry
 * variant switched in (the audit log, each defence of the mitigation lab, Linux's combination). Two modes
 * per path: per-call samples (distribution) and batched runs (mean per call in the steady state). The
 * paths take turns, in up to MAX_ROUNDS rounds, so a slow phase of the machine (a host hiccup under
 * emulation) lands on all of them rather than on one, and the ratios between paths use each one's quietest
 * round (best_p50). Then, on ringbench's kernel, the one-way costs of getpid (oneway.c). Nothing but the body runs between the timestamps: no output, no port I/O, no page
 * faults (every page is mapped at load), no interrupts (they are off in ring 3). benchprint.c prints the
 * records and the tables.
 */
#include "bench.h"
#include "host.h"
#include "../lib/x86.h"

#define MAX_ROUNDS 100         /* every path measured in each round: drift hits real and bare doors alike */
#define ROUND_SAMPLES 200      /* at least this many samples in a round, for its p50 */
#define DEFAULT_ITERS 20000
#define DEFAULT_BATCH 200000
#define DEFAULT_WARMUP 2000
#define OVERHEAD_SAMPLES 4096
#define OVERHEAD_PCT 99 /* the overhead's mean leaves out the slowest 1% of its samples */

/* The audit log in flight-recorder mode, so that every measured call writes a record, as with a ring
 * being drained. The ring is filled first, so that every measured call finds it full: the same work
 * each time. */
static long set_audit(int on)
{
	static int filled;
	long r = syscall_rb_audit(on ? RB_AUDIT_OVERWRITE : RB_AUDIT_OFF);
	for (int i = 0; on && !filled && i < RB_AUDIT_RING; i++)
		syscall_rb_kflags(); /* not getpid: the counters check counts the measured getpid calls */
	filled |= on;
	return r;
}

/* FRED's bare round trip returns every SYSCALL at once: the switch back goes through INT 0x80, which
 * reaches the kernel. */
static long set_variant(const struct variant *v, int on, int bare)
{
	if (v->id == RB_ENTRY_AUDIT)
		return set_audit(on);
	if (v->id == VARIANT_FRED)
		return on ? syscall_rb_events(bare ? RB_EVENTS_FRED_BARE : RB_EVENTS_FRED) : int80_rb_events(RB_EVENTS_IDT);
	return syscall_rb_entry(on ? v->id : RB_ENTRY_PLAIN);
}

static uint64_t sample_pool[SAMPLE_POOL];
uint32_t hist[STATS_NBINS];
struct result results[MAX_PATHS];
uint64_t overhead; /* mean cost of the timestamps themselves */
static uint64_t rounds; /* how many turns the paths take: iters / ROUND_SAMPLES, 1 to MAX_ROUNDS */
uint64_t tsc_step; /* the TSC's tick, the grid every sample lies on (stats_step; 0: none seen) */

void sample(body_fn body, uint64_t *out, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t0 = stamp_begin();
		timed_call(body);
		out[i] = stamp_end() - t0;
	}
}

/* The CPU's counters (lib/pmu.h), read in ring 3 by RDPMC, as the kernel set them up (rb_pmu). */
struct rb_pmu pmu;

static void pmu_setup(int ringbench)
{
	if (!ringbench)
		fmt_snprintf(pmu.why, sizeof(pmu.why), "needs ringbench's kernel (on Linux they are perf's to give)");
	else if (syscall_rb_pmu((long)&pmu) < 0)
		fmt_snprintf(pmu.why, sizeof(pmu.why), "the kernel did not say (rb_pmu failed)");
}

static void read_pmu(uint64_t c[PMU_COUNTERS])
{
	for (unsigned i = 0; i < PMU_COUNTERS; i++)
		c[i] = (pmu.present >> i & 1) ? rdpmc(pmu.rdpmc[i]) : 0;
}

/* Counters that counted nothing over every batch of the run: an emulator that has them but does not count. */
static void pmu_check_moved(void)
{
	uint64_t any = 0;
	for (unsigned i = 0; i < npaths; i++)
		for (unsigned c = 0; c < PMU_COUNTERS; c++)
			any |= results[i].counted[c];
	if (pmu.present && !any) {
		pmu.present = 0;
		fmt_snprintf(pmu.why, sizeof(pmu.why), "the counters did not move in any batch: this CPU or emulator "
			     "does not count");
	}
}

/* n back-to-back calls: the TSC cycles they took, and the CPU's counters added to r->counted. */
static uint64_t batch(body_fn body, uint64_t n, struct result *r)
{
	uint64_t before[PMU_COUNTERS], after[PMU_COUNTERS];
	uint64_t wrap = pmu.width && pmu.width < 64 ? (1ull << pmu.width) - 1 : ~0ull;
	read_pmu(before);
	uint64_t t0 = stamp_begin();
	for (uint64_t i = 0; i < n; i++)
		body();
	uint64_t t = stamp_end() - t0;
	read_pmu(after);
	for (unsigned c = 0; c < PMU_COUNTERS; c++)
		r->counted[c] += (after[c] - before[c]) & wrap;
	return t;
}

/* The cost of the two timestamps with nothing between them, subtracted from every sample, and the
 * smallest step the TSC took between them: 1 cycle on many CPUs, but AMD Zen's TSC counts a 100 MHz
 * reference (a step of 10 ns of cycles), and under TCG the TSC is the host's. The cost is a mean (the
 * slowest 1% left out), not a median: with a tick coarser than the pair, a median is 0 or 1 tick by the
 * luck of the run, and shifts every figure of the run by a whole tick. */
static void measure_overhead(uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++) {
		uint64_t t0 = stamp_begin();
		sample_pool[i] = stamp_end() - t0;
	}
	stats_sort(sample_pool, iters);
	overhead = stats_mean_below(sample_pool, iters, OVERHEAD_PCT);
	tsc_step = stats_step(sample_pool, iters);
}

/* A bare door answers nothing, so the switch back goes through a door that stays real. */
static void set_bare(int door, int on)
{
	long mask = on ? doors[door].bit : 0;
	if (door == DOOR_SYSCALL && !on)
		int80_rb_bare(0);
	else
		syscall_rb_bare(mask);
}

/* The benchmark starts from the plain stubs and the IDT's events and switches each variant in itself;
 * whatever the configuration started with is put back at the end. */
static long boot_audit, boot_entry, boot_events;

static void doors_to_plain(void)
{
	boot_events = syscall_rb_events(RB_EVENTS_IDT);
	boot_audit = syscall_rb_audit(RB_AUDIT_OFF);
	boot_entry = syscall_rb_entry(RB_ENTRY_PLAIN);
}

static void doors_back(void)
{
	if (boot_entry > RB_ENTRY_PLAIN)
		syscall_rb_entry(boot_entry);
	if (boot_audit > RB_AUDIT_OFF)
		syscall_rb_audit(boot_audit);
	if (boot_events > RB_EVENTS_IDT)
		syscall_rb_events(boot_events);
}

/* The calls the kernel must have counted for the measured paths: warm-up, samples and batched calls
 * of every measured path that enters the kernel with op (bare doors return before it). */
static uint64_t expected_calls(const char *op, uint64_t iters, uint64_t nbatch, uint64_t warmup)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < npaths; i++)
		if (results[i].supported && !paths[i].bare && paths[i].door != NO_DOOR &&
		    !strncmp(paths[i].op, op, 16))
			n += warmup / rounds * rounds + iters + nbatch;
	return n;
}

static uint64_t counts_before[NR_SYSCALLS + 1], counts_after[NR_SYSCALLS + 1];

/* The kernel's counters after the run must equal the iterations made (rb_counters). */
static void check_counters(uint64_t iters, uint64_t nbatch, uint64_t warmup)
{
	syscall_rb_counters((long)counts_after, NR_SYSCALLS + 1);
	uint64_t getpid = counts_after[SYS_getpid] - counts_before[SYS_getpid];
	uint64_t clock = counts_after[SYS_clock_gettime] - counts_before[SYS_clock_gettime];
	uint64_t want_getpid = expected_calls("getpid", iters, nbatch, warmup);
	uint64_t want_clock = expected_calls("clock_gettime", iters, nbatch, warmup);
	char detail[DETAIL_MAX];
	fmt_snprintf(detail, DETAIL_MAX, "kernel counted getpid %lu (made %lu), clock_gettime %lu (made %lu)", getpid,
		     want_getpid, clock, want_clock);
	json_test("bench_counters_match_iterations", getpid == want_getpid && clock == want_clock, detail);
}

/* a - b, or 0 where the timer overhead b is more than the figure a. */
static uint64_t less(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

/* Keep the lowest p50 of the path's rounds. On a shared host whole stretches of a run go slower (under TCG
 * here, by up to 2x), and the whole-run p50s of two paths can come from different stretches; the quietest
 * round of each is what compares across paths. */
static void note_round(struct result *r, uint64_t *v, uint64_t n)
{
	if (!n)
		return;
	stats_sort(v, n); /* the round's samples: finish() takes them in any order */
	uint64_t p50 = less(stats_percentile(v, n, 50), overhead);
	if (p50 < r->best_p50)
		r->best_p50 = p50;
}

/* One round of one path: its share of the warm-up, the samples and the batched calls. */
static void measure_round(unsigned i, uint64_t round, uint64_t iters, uint64_t nbatch, uint64_t warmup)
{
	const struct path *p = &paths[i];
	struct result *r = &results[i];
	uint64_t from = iters * round / rounds, to = iters * (round + 1) / rounds;
	uint64_t calls = nbatch * (round + 1) / rounds - nbatch * round / rounds;
	int legacy_bare = p->bare && !(p->variant && p->variant->id == VARIANT_FRED); /* FRED's is its own */
	if (legacy_bare)
		set_bare(p->door, 1);
	if (p->variant)
		set_variant(p->variant, 1, p->bare);
	for (uint64_t w = 0; w < warmup / rounds; w++)
		p->body();
	sample(p->body, sample_pool + i * iters + from, to - from);
	note_round(r, sample_pool + i * iters + from, to - from);
	if (calls) {
		r->batch_cycles += batch(p->body, calls, r);
		r->batch_calls += calls;
	}
	if (p->variant)
		set_variant(p->variant, 0, p->bare);
	if (legacy_bare)
		set_bare(p->door, 0);
}

/* After the last round: subtract the timer overhead, bin, summarize. */
static void finish(unsigned i, uint64_t iters)
{
	struct result *r = &results[i];
	uint64_t *v = sample_pool + i * iters;
	memset(hist, 0, sizeof(hist));
	for (uint64_t k = 0; k < iters; k++) {
		v[k] = less(v[k], overhead);
		hist[stats_bin(v[k])]++;
	}
	stats_summarize(v, iters, &r->s);
	uint64_t t = less(r->batch_cycles, overhead * rounds);
	r->batch_x100 = r->batch_calls ? t * 100 / r->batch_calls : 0;
}

/* As many rounds as give each at least ROUND_SAMPLES samples, up to MAX_ROUNDS (batched calls only: the
 * most). More rounds give each path more chances at the machine's quiet stretches (best_p50). */
static uint64_t rounds_for(uint64_t iters)
{
	uint64_t n = iters ? iters / ROUND_SAMPLES : MAX_ROUNDS;
	return n < 1 ? 1 : n > MAX_ROUNDS ? MAX_ROUNDS : n;
}

int run_bench(int argc, char **argv)
{
	uint64_t iters = DEFAULT_ITERS, nbatch = DEFAULT_BATCH, warmup = DEFAULT_WARMUP;
	if (bench_choose(argc, argv, &iters, &nbatch, &warmup))
		return 2;
	int ringbench = on_ringbench(); /* else Linux: none of ringbench's own calls */
	if (ringbench)
		doors_to_plain();
	else
		host_boot_record();
	rounds = rounds_for(iters);
	printf("bench: %u paths, %lu samples and %lu batched calls each, %lu warm-up calls, in %lu round%s\n", npaths,
	       iters, nbatch, warmup, rounds, rounds == 1 ? "" : "s");
	measure_overhead(OVERHEAD_SAMPLES);
	pmu_setup(ringbench);
	for (unsigned i = 0; i < npaths; i++)
		results[i] = (struct result){ .supported = !unsupported(&paths[i]), .best_p50 = UINT64_MAX };
	if (ringbench)
		syscall_rb_counters((long)counts_before, NR_SYSCALLS + 1);
	for (uint64_t round = 0; round < rounds; round++)
		for (unsigned i = 0; i < npaths; i++)
			if (results[i].supported)
				measure_round(i, round, iters, nbatch, warmup);
	if (ringbench)
		check_counters(iters, nbatch, warmup);
	pmu_check_moved();
	for (unsigned i = 0; i < npaths; i++) {
		if (results[i].supported)
			finish(i, iters);
		print_record(&paths[i], &results[i], iters, nbatch);
	}
	if (ringbench) {
		print_counters();
		run_oneway();
	}
	print_table(); /* last: on a screen, the table is what stays */
	if (ringbench)
		doors_back();
	return 0;
}
