/*
 * stats.c: sorting, percentiles and histogram bins for the benchmark. Pure and freestanding; the host
 * unit tests (tests/unit/test_stats.c) check it on known samples.
 */
#include "stats.h"

static void sift_down(uint64_t *v, uint64_t root, uint64_t n)
{
	for (uint64_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[root] >= v[child])
			return;
		uint64_t t = v[root];
		v[root] = v[child];
		v[child] = t;
	}
}

/* Heapsort: no recursion, no extra memory, and the same time whatever the input. */
void stats_sort(uint64_t *v, uint64_t n)
{
	for (uint64_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (uint64_t end = n; end-- > 1;) {
		uint64_t t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
}

/* The smallest sample with at least pct percent of the samples at or below it. */
uint64_t stats_percentile(const uint64_t *sorted, uint64_t n, unsigned pct)
{
	if (!n)
		return 0;
	uint64_t rank = (n * pct + 99) / 100; /* ceil(n * pct / 100), 1-based */
	return sorted[rank ? rank - 1 : 0];
}

void stats_summarize(uint64_t *v, uint64_t n, struct summary *s)
{
	uint64_t sum = 0;
	stats_sort(v, n);
	for (uint64_t i = 0; i < n; i++)
		sum += v[i];
	*s = (struct summary){ .n = n, .min = n ? v[0] : 0, .max = n ? v[n - 1] : 0,
			       .p50 = stats_percentile(v, n, 50), .p90 = stats_percentile(v, n, 90),
			       .p99 = stats_percentile(v, n, 99), .mean_x100 = n ? sum * 100 / n : 0 };
}

/* The clock's tick, from the sorted differences of back-to-back timestamps, which can only take values on
 * its grid. Values one apart are one grid point (a TSC that steps 24.5 cycles on average reads 24 or 25),
 * and the tick is the smallest distance between successive grid points; 1 when the values fill a range,
 * 0 when every difference was the same (no tick seen: QEMU -icount). */
uint64_t stats_step(const uint64_t *sorted, uint64_t n)
{
	uint64_t step = 0, point = n ? sorted[0] : 0;
	for (uint64_t i = 1; i < n; i++) {
		if (sorted[i] - sorted[i - 1] <= 1)
			continue; /* the same grid point */
		if (!step || sorted[i] - point < step)
			step = sorted[i] - point;
		point = sorted[i];
	}
	return step ? step : n && sorted[n - 1] > sorted[0] ? 1 : 0;
}

/* The mean, rounded, of the values up to the pct-th percentile (the rare outliers above it left out). Of a
 * clock coarser than what it times, the mean of many readings is the true cost (each lands on the grid
 * above or below it in proportion), where a percentile rounds to the grid. */
uint64_t stats_mean_below(const uint64_t *sorted, uint64_t n, unsigned pct)
{
	uint64_t rank = (n * pct + 99) / 100, sum = 0; /* as stats_percentile: 1-based */
	for (uint64_t i = 0; i < rank; i++)
		sum += sorted[i];
	return rank ? (sum + rank / 2) / rank : 0;
}

/* Values below 4 get a bin each; above, the octave (position of the top bit) and the next two bits. */
unsigned stats_bin(uint64_t x)
{
	if (x < STATS_BINS_PER_OCTAVE)
		return (unsigned)x;
	unsigned top = 63 - (unsigned)__builtin_clzll(x);
	return top * STATS_BINS_PER_OCTAVE + (unsigned)((x >> (top - 2)) & 3);
}

uint64_t stats_bin_low(unsigned bin)
{
	unsigned top = bin / STATS_BINS_PER_OCTAVE, sub = bin % STATS_BINS_PER_OCTAVE;
	if (bin < STATS_BINS_PER_OCTAVE)
		return bin;
	if (top < 2)
		return STATS_BINS_PER_OCTAVE; /* bins 4-7 stay empty: 2 and 3 have bins of their own */
	return ((uint64_t)STATS_BINS_PER_OCTAVE + sub) << (top - 2);
}
