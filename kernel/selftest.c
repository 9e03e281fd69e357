/*
 * selftest.c: at every boot, before the app runs, the kernel checks that the protections it turned on
 * hold: it makes, on purpose, each access one of them forbids (entry/kprobe.S) and expects the fault.
 * One "test" line each; a protection the CPU lacks is reported skipped. Called from kmain.
 */
#include "defs.h"
#include "../lib/memlayout.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define X86_RET 0xc3
#define FAULT(vector, error) ((long)(vector) << 16 | (error))

static const uint8_t rodata_probe = X86_RET; /* in .rodata: read-only for the kernel too (CR0.WP) */
static uint8_t data_probe = X86_RET;         /* in .data: writable, so never executable (NX) */

static void report(const char *name, bool have, const char *missing, long got, long want, const char *what)
{
	if (!have) {
		kprintf("{\"type\":\"test\",\"name\":\"%s\",\"ok\":true,\"skipped\":true,\"detail\":\"%s\"}\n", name, missing);
		return;
	}
	kprintf("{\"type\":\"test\",\"name\":\"%s\",\"ok\":%s,\"detail\":\"%s: %s (vector %ld, error 0x%lx)\"}\n", name,
		got == want ? "true" : "false", what, got ? "faulted" : "went through", got >> 16, got & 0xffff);
}

void kernel_selftests(void)
{
	/* A user page of RETs in the stack's guard slot, which nothing else maps, unmapped again after. */
	uint64_t page = USER_STACK_GUARD, frame;
	if (map_user(page, PAGE_SIZE, 0) || !(frame = user_phys(page)))
		panic("self-test: no memory for the probe page");
	memset(P2V(frame), X86_RET, PAGE_SIZE);
	long smap = cpu.smap ? kprobe_access(KPROBE_READ, page) : 0;
	long smep = cpu.smep ? kprobe_access(KPROBE_EXEC, page) : 0;
	unmap_user(page);
	long wp = kprobe_access(KPROBE_WRITE, (uint64_t)&rodata_probe);
	long nx = cpu.nx ? kprobe_access(KPROBE_EXEC, (uint64_t)&data_probe) : 0;
	report("kernel_smap", cpu.smap, "CPU has no SMAP", smap, FAULT(T_PF, PFERR_P), "kernel read of a user page");
	report("kernel_smep", cpu.smep, "CPU has no SMEP", smep, FAULT(T_PF, PFERR_P | PFERR_I),
	       "kernel execution of a user page");
	report("kernel_wp", true, "", wp, FAULT(T_PF, PFERR_P | PFERR_W), "kernel write to its read-only data");
	report("kernel_nx", cpu.nx, "CPU has no NX", nx, FAULT(T_PF, PFERR_P | PFERR_I), "kernel execution of its data");
}
