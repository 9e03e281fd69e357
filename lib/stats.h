/*
 * stats.h: statistics over latency samples, for the app's benchmark (app/bench.c) and the host tests.
 * Integers only (the app has no floating point): cycles in, cycles out.
 */
#ifndef RINGBENCH_STATS_H
#define RINGBENCH_STATS_H
#include <stdint.h>

/* Histogram bins are fixed, the same in every run: four per power of two (log-linear, like HDR
 * histograms), so two runs' histograms line up bin for bin. Bin b covers [stats_bin_low(b),
 * stats_bin_low(b + 1)). */
#define STATS_BINS_PER_OCTAVE 4
#define STATS_NBINS (64 * STATS_BINS_PER_OCTAVE)

struct summary {
	uint64_t n, min, p50, p90, p99, max;
	uint64_t mean_x100; /* the mean, times 100 */
};

void stats_sort(uint64_t *v, uint64_t n);                  /* ascending, in place, O(n log n) */
uint64_t stats_percentile(const uint64_t *sorted, uint64_t n, unsigned pct); /* nearest rank */
void stats_summarize(uint64_t *v, uint64_t n, struct summary *s); /* sorts v */
uint64_t stats_step(const uint64_t *sorted, uint64_t n); /* a clock's tick, from timestamp differences */
uint64_t stats_mean_below(const uint64_t *sorted, uint64_t n, unsigned pct); /* of values up to the pct-th */
unsigned stats_bin(uint64_t x);
uint64_t stats_bin_low(unsigned bin);
#endif
