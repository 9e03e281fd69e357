/*
 * memlayout.h: the one virtual address space that the kernel and the app share (no door switches CR3).
 * Used by the EFI stub (to map the kernel), the kernel, and the host tests.
 *
 *   0x0000000000000000  +---------------------------+
 *                       | unmapped (null guard)     |
 *   USER_MIN  0x10000   +---------------------------+  the app's ELF segments may go anywhere in
 *                       | app image, heap           |  [USER_MIN, USER_STACK_GUARD)
 *   USER_STACK_GUARD    +---------------------------+  one unmapped page: stack overflow faults here
 *   USER_STACK_BOTTOM   | user stack (grows down)   |
 *   USER_STACK_TOP      +---------------------------+  = USER_TIME_PAGE: the read-only time page (the
 *   USER_VDSO           | vDSO (read+execute)       |  vDSO's data), then the vDSO, in USER_VDSO_SIZE
 *                       +---------------------------+
 *                       | unmapped up to USER_TOP   |
 *   USER_TOP 2^47       +===========================+  non-canonical hole
 *   PHYSMAP_BASE        | all physical memory, RW, NX, supervisor (2 MiB pages)
 *   EFI_RT_BASE         | UEFI runtime regions at EFI_RT_BASE + physical (SetVirtualAddressMap)
 *   KSTACK_BASE         | kernel stacks, each below an unmapped guard page
 *   KERNEL_VBASE        | kernel image: text RX, rodata R, data/bss RW NX
 *   VSYSCALL_ADDR       | the legacy vsyscall page: with vsyscall = emulate only, read-only to the app
 *   2^64                +---------------------------+
 */
#ifndef RINGBENCH_MEMLAYOUT_H
#define RINGBENCH_MEMLAYOUT_H

#ifdef __ASSEMBLER__
#define ULL(x) x
#else
#define ULL(x) x##ull
#endif

#define USER_MIN           ULL(0x10000)
#define USER_TOP           ULL(0x0000800000000000)
#define USER_STACK_TOP     ULL(0x00007ffffff00000)
#define USER_STACK_SIZE    ULL(0x40000) /* 256 KiB */
#define USER_STACK_BOTTOM  (USER_STACK_TOP - USER_STACK_SIZE)
#define USER_STACK_GUARD   (USER_STACK_BOTTOM - ULL(0x1000))
#define USER_TIME_PAGE     USER_STACK_TOP /* the read-only time page (lib/abi.h), just above the stack */
#define USER_VDSO          (USER_TIME_PAGE + ULL(0x1000)) /* the vDSO (vdso/), just above its data page */
#define USER_VDSO_SIZE     ULL(0x4000)    /* room for it: services/exec.c refuses a larger one */

#define PHYSMAP_BASE       ULL(0xffff800000000000)
#define PHYSMAP_MAX        ULL(0x0000400000000000) /* 64 TiB of physical address space at most */
#define EFI_RT_BASE        ULL(0xffffc00000000000) /* = PHYSMAP_BASE + PHYSMAP_MAX: no overlap */
#define KSTACK_BASE        ULL(0xffffff0000000000)
#define KSTACK_SIZE        ULL(0x4000)             /* 16 KiB, plus one guard page below each */
#define KERNEL_VBASE       ULL(0xffffffff80000000)
#define VSYSCALL_ADDR      ULL(0xffffffffff600000) /* Linux's fixed address for it (services/vsyscall.c) */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdbool.h>

/* True when [addr, addr + len) lies wholly inside the user half, with no wrap-around. */
static inline bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr >= USER_MIN && addr <= USER_TOP && len <= USER_TOP - addr;
}
#endif
#endif
