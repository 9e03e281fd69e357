/*
 * efirt.c: the UEFI runtime services the kernel uses after boot, at their virtual addresses (vm.c maps
 * them): SetVariable, to keep the run's results across the power-off, and ResetSystem, to power off.
 * The results are the JSON lines the run printed (console.c captures them), stored in NV variables
 * RingbenchResult00.. of ringbench's vendor GUID, RESULT_CHUNK bytes each, and RingbenchResultCount.
 * Called from services/exec.c (at the end of the run) and power.c.
 */
#include "defs.h"
#include "../lib/fmt.h"
#include "../lib/results.h"
#include "../lib/string.h"

typedef uint64_t efi_status;
typedef efi_status(__attribute__((ms_abi)) * efi_set_variable)(const uint16_t *name, const struct efi_guid *vendor,
								 uint32_t attributes, uint64_t size, const void *data);
typedef void(__attribute__((ms_abi)) * efi_reset_system)(uint32_t type, efi_status status, uint64_t size,
							  const void *data);
typedef efi_status(__attribute__((ms_abi)) * efi_query_variable_info)(uint32_t attributes, uint64_t *store,
									uint64_t *remaining, uint64_t *max_size);

/* EFI_RUNTIME_SERVICES: a 24-byte table header (its revision at 8), then the services in the
 * specification's order; QueryVariableInfo came with UEFI 2.0. */
#define RT_REVISION            8
#define RT_SET_VARIABLE        88
#define RT_RESET_SYSTEM        104
#define RT_QUERY_VARIABLE_INFO 128
#define EFI_REVISION_2_0       (2u << 16)
#define EFI_RESET_SHUTDOWN     2

static void *service(unsigned offset)
{
	return boot.efi_runtime ? *(void **)(boot.efi_runtime + offset) : 0;
}

static efi_status set(const char *name, const void *data, uint64_t size)
{
	uint16_t wide[RESULT_NAME_MAX];
	result_name_ucs2(wide, name);
	efi_set_variable fn = (efi_set_variable)service(RT_SET_VARIABLE);
	return fn(wide, &ringbench_guid, RESULT_ATTRIBUTES, size, data);
}

/* Whether the firmware's NV variable store has room for len bytes of results and its reserve after them
 * (results_fit), as QueryVariableInfo says; firmware older than UEFI 2.0 cannot say: then yes. free gets
 * what it reported (0 when it could not). */
static bool store_has_room(uint64_t len, uint64_t *free)
{
	uint64_t store, max_size;
	*free = 0;
	if (*(uint32_t *)(boot.efi_runtime + RT_REVISION) < EFI_REVISION_2_0) /* a shorter table */
		return true;
	efi_query_variable_info fn = (efi_query_variable_info)service(RT_QUERY_VARIABLE_INFO);
	if (!fn || fn(RESULT_ATTRIBUTES, &store, free, &max_size))
		return true;
	return results_fit(len, *free);
}

/* Store the captured results; say on the console what was kept, or why nothing was. */
void efi_store_results(void)
{
	uint64_t len, truncated;
	const char *text = results_captured(&len, &truncated);
	char name[RESULT_NAME_MAX], count[24];
	if (!service(RT_SET_VARIABLE)) {
		kprintf("ringbench: results not kept: no UEFI runtime services (SetVirtualAddressMap said 0x%lx)\n",
			boot.efi_rt_status);
		return;
	}
	unsigned chunks = (unsigned)results_chunks(len);
	uint64_t free;
	if (!store_has_room(len, &free)) {
		kprintf("ringbench: results not kept: the firmware's variable store has %lu bytes free, and %lu bytes "
			"of results would leave it less than %u\n", free, len, RESULT_STORE_RESERVE);
		return;
	}
	for (unsigned i = 0; i <= RESULT_MAX_CHUNKS; i++) { /* the new chunks, and none left from a longer run */
		fmt_snprintf(name, sizeof(name), RESULT_NAME_FMT, i);
		uint64_t off = (uint64_t)i * RESULT_CHUNK, n = i < chunks ? len - off : 0;
		efi_status st = set(name, text + off, n > RESULT_CHUNK ? RESULT_CHUNK : n);
		if (st && i < chunks) {
			kprintf("ringbench: results not kept: SetVariable(%s) said 0x%lx\n", name, st);
			return;
		}
	}
	fmt_snprintf(count, sizeof(count), "%u", chunks);
	efi_status st = set(RESULT_COUNT_NAME, count, strlen(count));
	if (st) {
		kprintf("ringbench: results not kept: SetVariable(%s) said 0x%lx\n", RESULT_COUNT_NAME, st);
		return;
	}
	kprintf("ringbench: results kept in the UEFI variables %s and %s00..%02u (%lu bytes%s): "
		"see README.md to read them back\n", RESULT_COUNT_NAME, RESULT_NAME_PREFIX, chunks ? chunks - 1 : 0,
		len, truncated ? ", the log was cut at its end" : "");
}

/* Returns only when the firmware could not power the machine off. */
void efi_power_off(void)
{
	efi_reset_system fn = (efi_reset_system)service(RT_RESET_SYSTEM);
	if (fn)
		fn(EFI_RESET_SHUTDOWN, 0, 0, 0);
}
