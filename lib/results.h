/*
 * results.h: where a run's results outlive it: UEFI variables of ringbench's vendor GUID. The kernel
 * writes them (kernel/efirt.c), the EFI stub shows them on the next boot (show_previous = yes), and
 * bench/results.py reads them from Linux (efivarfs).
 */
#ifndef RINGBENCH_RESULTS_H
#define RINGBENCH_RESULTS_H
#include <stdint.h>

struct efi_guid {
	uint32_t a;
	uint16_t b, c;
	uint8_t d[8];
};

/* 5d0c3a1e-8b1f-4d6a-9c2e-72696e676265 ("ringbe" in the last bytes) */
static const struct efi_guid ringbench_guid = { 0x5d0c3a1e, 0x8b1f, 0x4d6a,
						 { 0x9c, 0x2e, 0x72, 0x69, 0x6e, 0x67, 0x62, 0x65 } };

#define RESULT_NAME_PREFIX "RingbenchResult"
#define RESULT_NAME_FMT    RESULT_NAME_PREFIX "%02u"
#define RESULT_COUNT_NAME  "RingbenchResultCount"
#define RESULT_NAME_MAX    32
#define RESULT_CHUNK       4000  /* bytes per variable: well under every firmware's variable size limit */
#define RESULT_MAX_CHUNKS  16    /* so at most 64,000 bytes of results */
#define RESULT_ATTRIBUTES  7     /* EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS */

/* Free variable storage a run's results must leave the firmware: Linux's EFI_MIN_RESERVE (its
 * efi_query_variable_store refuses writes below it, after firmware that stopped booting when the store
 * filled: bricked Samsung laptops). */
#define RESULT_STORE_RESERVE 5120
#define RESULT_VAR_OVERHEAD  128 /* what a variable takes in the store beside its data: header and name */

static inline uint64_t results_chunks(uint64_t len)
{
	return (len + RESULT_CHUNK - 1) / RESULT_CHUNK;
}

/* Whether len bytes of results, in their chunks and the count, fit in free bytes of variable storage
 * (what QueryVariableInfo says remains) and leave the reserve. */
static inline int results_fit(uint64_t len, uint64_t free)
{
	uint64_t need = len + (results_chunks(len) + 1) * RESULT_VAR_OVERHEAD;
	return free >= RESULT_STORE_RESERVE && free - RESULT_STORE_RESERVE >= need;
}

/* A variable's ASCII name as the UCS-2 the firmware wants (out holds RESULT_NAME_MAX characters). */
static inline void result_name_ucs2(uint16_t *out, const char *name)
{
	while ((*out++ = (uint8_t)*name++))
		;
}
#endif
