/*
 * efirt.c: the UEFI runtime services the kernel uses after boot, at their virtual addresses (vm.c maps
 * them): SetVariable, to keep the run's results across the power-off, and ResetSystem, to power off.
 * The results are the JSON lines the run printed (console.c captures them), stored in NV variables
 * RingbenchResult00.. of ringbench's vendor GUID, RESULT_CHUNK bytes each, and RingbenchResultCount.
 * Called from app.c (at the end of the run) and power.c.
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

/* EFI_RUNTIME_SERVICES: a 24-byte table header, then the services in the specification's order. */
#define RT_SET_VARIABLE 88
#define RT_RESET_SYSTEM 104
#define EFI_RESET_SHUTDOWN 2

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
	unsigned chunks = (unsigned)((len + RESULT_CHUNK - 1) / RESULT_CHUNK);
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
