/*
 * defs.h: every cross-file kernel function, grouped by the file that defines it (xv6's defs.h): also the
 * kernel's table of contents.
 */
#ifndef RINGBENCH_DEFS_H
#define RINGBENCH_DEFS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/bootinfo.h"
#include "../lib/memlayout.h"
#include "../entry/trapframe.h"

#define NORETURN __attribute__((noreturn))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))
/* Data the CPU or an entry stub reads before it switches to the kernel's tables: the KPTI user tables
 * map these pages too (kernel/kpti.c, kernel/kernel.lds.S). */
#define ENTRY_DATA __attribute__((section(".entry.data")))
#define P2V(pa) ((void *)((uint64_t)(pa) + PHYSMAP_BASE))

/* main.c */
extern struct bootinfo boot; /* the stub's bootinfo, copied into the kernel */

/* console.c: the kernel's output, to the serial port and the screen */
void console_init(void);
void console_write(const char *s, size_t n);
void kprintf(const char *fmt, ...) PRINTF(1, 2);
const char *results_captured(uint64_t *len, uint64_t *truncated); /* the run's JSON lines */

/* efirt.c: UEFI runtime services */
void efi_store_results(void);
void efi_power_off(void); /* returns only if the firmware could not */

/* fbcon.c: the screen */
void fbcon_init(void);
void fbcon_write(const char *s, size_t n);

/* cpu.c: identification and protections */
struct cpu_info {
	char vendor[13], brand[49], hypervisor[13];
	uint32_t family, model, stepping;
	bool intel; /* vendor GenuineIntel */
	bool under_hypervisor, smep, smap, umip, nx, invariant_tsc, rdrand;
	uint32_t hwcap;             /* CPUID leaf 1 EDX: what Linux passes as AT_HWCAP */
	bool sysenter;              /* SYSENTER/SYSEXIT usable in 64-bit mode */
	const char *sysenter_reason; /* why not, when not */
};
extern struct cpu_info cpu;
void cpu_identify(void);
void cpu_protect(void);
void print_boot_line(void);

/* pmu.c: the CPU's counters for the benchmark */
void pmu_init(void);
void print_pmu(void);

/* gdt.c: the descriptors */
void gdt_init(void);
void tss_set_stacks(uint64_t rsp0, const uint64_t ist[IST_COUNT]);
void tss_set_rsp0(uint64_t top);
uint64_t tss_ist_top(int i);
extern struct percpu percpu;

/* doors.c: where the doors lead, and on which stack */
struct entry_variant {
	const char *name;
	unsigned features; /* EV_* (entry/variants.h) */
	uint64_t syscall64, sysenter64, int80, sysenter_prologue_end;
};
extern const struct entry_variant entry_variants[];
extern const unsigned entry_variant_count;
void doors_init(void);
void doors_set_bare(uint64_t mask); /* RB_DOOR_* bits: those doors bare, the rest the current variant's */
void doors_set_variant(const struct entry_variant *v);
const struct entry_variant *doors_variant(void);
const struct entry_variant *entry_variant_with(unsigned features);
const struct entry_variant *entry_variant_named(const char *name);
bool in_sysenter_prologue(uint64_t rip);
bool at_door_entry(uint64_t rip);

/* idt.c */
void idt_init(void);
void idt_set_int80(uint64_t handler); /* the int 0x80 door */
bool idt_user_gate(unsigned vector);

/* fred.c: FRED event delivery */
void fred_init(void);
void events_start(void); /* the configuration's events = fred, as the app starts */
void fred_user_trap(struct trapframe *tf);
void fred_kernel_trap(struct trapframe *tf);

/* trap.c: what an exception means */
extern uint64_t kernel_faults;
void trap(struct trapframe *tf);

/* fault.c: how a fault is told */
void dump_regs(const struct trapframe *tf);
void report_fault(const struct trapframe *tf, const char *action, int sig); /* sig 0: none */
const char *trap_name(uint64_t vector);

/* frames.c: the physical frame allocator (frame_alloc: a zeroed 4 KiB frame) */
#include "frames.h"

/* vm.c: the kernel's page tables. Out of memory is its callers' to report: vm_init returns what failed
 * (NULL when nothing did), kstack_alloc 0, map_mmio NULL. */
const char *vm_init(void);
uint64_t vm_root(void);
uint64_t vm_nx(void); /* PTE_NX where the CPU has it, else 0 */
uint64_t kstack_alloc(void); /* top of a fresh kernel stack with an unmapped guard page below */
int map_user(uint64_t va, uint64_t len, uint64_t flags);
bool user_mapped(uint64_t va, uint64_t len, bool write); /* every page present, user, writable if asked */
uint64_t user_phys(uint64_t va);
void unmap_user(uint64_t va);
void *map_mmio(uint64_t phys, uint64_t len); /* device registers: uncached, kernel only, NX */

/* kpti.c: the KPTI variants' page tables */
void kpti_init(uint64_t root);
void kpti_set(bool on, bool pcid);
uint64_t kpti_entry_stack_top(void);
void kpti_user_half_changed(bool shrunk); /* services/mm.c changed the app's memory */

/* defences.c: the mitigation lab's support, choice and system calls */
void defences_init(void);
void print_defences(void); /* the "entry" and "defences" fields of the boot line */
const char *defences_missing(unsigned features); /* why a variant cannot run here, or NULL */
void entry_start(void); /* the configuration's entry variant, as the app starts */

/* audit.c: the audit log (rb_audit, rb_audit_read) */
long audit_set_mode(uint64_t mode); /* RB_AUDIT_*: the previous mode, or -EINVAL, -EBUSY */

/* entry/kprobe.S: one access made on purpose, that may fault: 0, or vector << 16 | error code */
enum { KPROBE_READ, KPROBE_WRITE, KPROBE_EXEC };
long kprobe_access(int kind, uint64_t addr);

/* selftest.c */
void kernel_selftests(void);

/* usercopy.c */
int copy_from_user(void *dst, uint64_t usrc, uint64_t len);
int copy_to_user(uint64_t udst, const void *src, uint64_t len);
long copy_string_from_user(char *dst, uint64_t usrc, uint64_t cap);
long copy_string_to_user(uint64_t udst, uint64_t cap, const char *s);

/* tsc.c */
extern uint64_t tsc_hz;
extern const char *tsc_source;
void print_tsc_sources(void); /* the "tsc_sources" field of the boot line: every reference, measured */
struct rb_time_page;
void time_page_fill(struct rb_time_page *p);
void tsc_init(void);
uint64_t monotonic_ns(void);
void delay_ms(uint64_t ms);

/* services/exec.c: the app's start and end, which the machine's main and trap reach */
NORETURN void app_run(void); /* on the kernel stack tss_set_stacks set up */
NORETURN void app_exit(int status); /* the app called exit */
NORETURN void app_kill(int sig);    /* a signal's default action ended it */
NORETURN void app_hang(const char *what, const char *why); /* it would wait forever */

/* services/signal.c: a fault in ring 3 becomes a signal to the app, taken before it returns there */
void signal_fault(struct trapframe *tf);
const char *signal_name(int sig);

/* acpi.c */
const uint8_t *acpi_find(const char sig[4]); /* a checksummed table by signature, or NULL */
void acpi_power_off(void);                   /* returns only if ACPI cannot power off */
bool acpi_pm_timer(uint16_t *port, unsigned *bits);
uint64_t acpi_hpet(void);                    /* the HPET's physical base, or 0 */

/* power.c: the end of the run */
NORETURN void power_off(int status);
NORETURN void panic(const char *fmt, ...) PRINTF(1, 2);
#endif
