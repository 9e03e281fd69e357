/* test_results.c: lib/results.h, how much of the firmware's variable store a run's results may take. */
#include "unit.h"
#include "../../lib/results.h"

TEST(results_fit_leaves_the_firmware_its_reserve)
{
	CHECK(results_chunks(0) == 0 && results_chunks(1) == 1 && results_chunks(RESULT_CHUNK) == 1 &&
	      results_chunks(RESULT_CHUNK + 1) == 2);
	/* 23,093 bytes (a default run) in 6 chunks and the count: 23,989 bytes of storage, plus the reserve */
	CHECK(results_fit(23093, 246208));     /* OVMF's 256 KiB store, as a run saw it */
	CHECK(results_fit(23093, 23989 + RESULT_STORE_RESERVE));
	CHECK(!results_fit(23093, 23989 + RESULT_STORE_RESERVE - 1));
	CHECK(!results_fit(0, RESULT_STORE_RESERVE - 1)); /* below the reserve: not even the count */
	CHECK(!results_fit(1000, 0));
}
