/* test_stats.c: lib/stats.c on known samples: sort, nearest-rank percentiles, mean, clock step, histogram
 * bins. */
#include <stdlib.h>
#include "unit.h"
#include "../../lib/stats.h"

TEST(stats_sort_orders_any_input)
{
	uint64_t v[1000];
	for (int i = 0; i < 1000; i++)
		v[i] = (uint64_t)((i * 7919) % 1000); /* a permutation of 0..999 */
	stats_sort(v, 1000);
	for (int i = 0; i < 1000; i++)
		CHECK(v[i] == (uint64_t)i);
	uint64_t dup[] = { 5, 1, 5, 1, 3 };
	stats_sort(dup, 5);
	CHECK(dup[0] == 1 && dup[1] == 1 && dup[2] == 3 && dup[3] == 5 && dup[4] == 5);
	stats_sort(dup, 0); /* empty: nothing happens */
}

TEST(stats_percentiles_are_nearest_rank)
{
	uint64_t v[100];
	for (int i = 0; i < 100; i++)
		v[i] = (uint64_t)(i + 1); /* 1..100 */
	CHECK(stats_percentile(v, 100, 50) == 50);
	CHECK(stats_percentile(v, 100, 90) == 90);
	CHECK(stats_percentile(v, 100, 99) == 99);
	CHECK(stats_percentile(v, 100, 100) == 100);
	CHECK(stats_percentile(v, 100, 0) == 1);
	uint64_t three[] = { 10, 20, 30 };
	CHECK(stats_percentile(three, 3, 50) == 20);
	CHECK(stats_percentile(three, 3, 99) == 30);
	CHECK(stats_percentile(three, 0, 50) == 0);
}

TEST(stats_summary_of_known_samples)
{
	uint64_t v[] = { 100, 90, 110, 95, 1000, 105, 98, 102, 97, 103 };
	struct summary s;
	stats_summarize(v, 10, &s);
	CHECK(s.n == 10 && s.min == 90 && s.max == 1000);
	CHECK(s.p50 == 100 && s.p90 == 110 && s.p99 == 1000);
	CHECK(s.mean_x100 == 19000); /* (1900 / 10) * 100 */
}

TEST(stats_step_is_the_clocks_tick)
{
	uint64_t coarse[] = { 0, 0, 24, 24, 25, 49, 98 }; /* a TSC that moves in 10 ns steps of 24.5 cycles */
	CHECK(stats_step(coarse, 7) == 24);
	uint64_t slow[] = { 49, 49, 73, 74, 98 }; /* the same clock, every pair a tick or more apart */
	CHECK(stats_step(slow, 5) == 24);
	uint64_t even[] = { 30, 32, 32, 34, 40 }; /* a clock that counts in twos */
	CHECK(stats_step(even, 5) == 2);
	uint64_t fine[] = { 30, 31, 32, 33 }; /* every value: a one-cycle tick */
	CHECK(stats_step(fine, 4) == 1);
	uint64_t same[] = { 7, 7, 7 }; /* the same cost every time (QEMU -icount): no tick seen */
	CHECK(stats_step(same, 3) == 0 && stats_step(same, 0) == 0 && stats_step(same, 1) == 0);
}

TEST(stats_mean_below_leaves_out_the_tail)
{
	uint64_t v[100];
	for (int i = 0; i < 100; i++)
		v[i] = i < 50 ? 0 : 24; /* half the pairs saw no tick, half one: 12 on average */
	v[99] = 100000;                    /* one outlier, above p99 */
	CHECK(stats_mean_below(v, 100, 99) == 12); /* (49 x 24) / 99 = 11.9, rounded */
	CHECK(stats_mean_below(v, 100, 100) == 1012); /* 101176 / 100, rounded */
	uint64_t one[] = { 7 };
	CHECK(stats_mean_below(one, 1, 99) == 7 && stats_mean_below(one, 0, 99) == 0);
}

TEST(stats_bins_are_fixed_log_linear)
{
	CHECK(stats_bin(0) == 0 && stats_bin(3) == 3);
	CHECK(stats_bin(4) == 8 && stats_bin(7) == 11);
	CHECK(stats_bin(8) == 12 && stats_bin(9) == 12 && stats_bin(10) == 13);
	CHECK(stats_bin(96) == 26 && stats_bin(127) == 27 && stats_bin(128) == 28);
	/* Every value lies in its bin's range, and the ranges grow without gaps. */
	for (uint64_t x = 0; x < 5000; x++) {
		unsigned b = stats_bin(x);
		CHECK(stats_bin_low(b) <= x && x < stats_bin_low(b + 1));
	}
	CHECK(stats_bin(UINT64_MAX) == STATS_NBINS - 1);
}
