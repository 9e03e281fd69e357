/*
 * bench.h: what the benchmark's parts share: the paths and the arguments that choose them (benchpaths.c),
 * the measuring (bench.c), the JSON records and the tables (benchprint.c).
 */
#ifndef RINGBENCH_BENCH_H
#define RINGBENCH_BENCH_H
#include "app.h"
#include "probe.h"
#include "../lib/pmu.h"
#include "../lib/stats.h"

#define MAX_PATHS 96 /* every base path and each variant's door paths: benchpaths.c asserts they fit */
#define SAMPLE_POOL (1u << 21) /* samples kept, all paths together: iters x paths at most */
#define NO_DOOR (-1)

typedef long (*body_fn)(void);

/* An entry variant the kernel can switch the doors to (rb_entry; rb_audit for audit), measured with
 * getpid through each door; and FRED (rb_events), the doors as its events, with its bare round trip too.
 * Every variant is switched in for its own rows and plain put back after. */
#define VARIANT_FRED RB_ENTRY_COUNT /* after the RB_ENTRY_* ids */
struct variant {
	unsigned id; /* RB_ENTRY_*, or VARIANT_FRED */
	char why[DETAIL_MAX]; /* why it cannot run here ("" when it can), from rb_entry_why */
};

struct path {
	const char *name, *op;
	body_fn body;
	int door, bare; /* the door it goes through (NO_DOOR: none); bare: with that door's bare entry */
	const struct variant *variant; /* with this entry variant switched in; NULL: the plain stubs */
};

struct result {
	int supported;
	struct summary s;    /* per-call samples, timer overhead subtracted */
	uint64_t best_p50;   /* the lowest of its rounds' p50s (overhead subtracted): the quietest round's */
	uint64_t batch_cycles, batch_calls;
	uint64_t batch_x100; /* batched: mean cycles per call, times 100 */
	uint64_t counted[PMU_COUNTERS]; /* batched: the CPU's counters over all the batches (pmu) */
};

extern struct path paths[MAX_PATHS];
extern unsigned npaths;
extern struct result results[MAX_PATHS];
extern uint32_t hist[STATS_NBINS]; /* the path just finished */
extern uint64_t overhead;
extern uint64_t tsc_step;
extern struct rb_pmu pmu; /* the CPU's counters: which count, or why none (bench.c) */

/* Serialised timestamps: LFENCE keeps RDTSC from running before earlier instructions finish, and the
 * body from starting before it; RDTSCP waits for the body, the LFENCE after it for RDTSCP. */
static inline uint64_t stamp_begin(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t stamp_end(void)
{
	uint32_t lo, hi, aux;
	__asm__ volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* One call of the body with nothing else between the stamps: no argument set-up, no spills (the asm
 * names every register a call may clobber). Under QEMU -icount a sample is then exactly the body's
 * instruction count: the call, the stub, the kernel and the return. */
static inline void timed_call(body_fn body)
{
	register body_fn fn __asm__("r11") = body; /* r11: clobbered by the doors anyway */
	__asm__ volatile("call *%0"
			 : "+r"(fn)
			 :
			 : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "memory", "cc");
}

/* bench.c: n timed calls of body, each sample into out[] */
void sample(body_fn body, uint64_t *out, uint64_t n);

/* benchpaths.c */
int bench_choose(int argc, char **argv, uint64_t *iters, uint64_t *nbatch, uint64_t *warmup); /* 0, or 2 */
const char *unsupported(const struct path *p); /* why a path cannot run here, or NULL */
const char *variant_name(unsigned id);

/* benchprint.c */
void print_record(const struct path *p, const struct result *r, uint64_t iters, uint64_t nbatch);
void print_table(void);

/* oneway.c: the one-way costs, after the round trips (bench ... oneway=N) */
#define DEFAULT_ONEWAY 2000
#define MAX_ONEWAY 20000
extern uint64_t oneway_iters;
void run_oneway(void);
#endif
