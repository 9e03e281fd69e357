/*
 * doors.c: the doors' one owner: every MSR and gate that decides where a door leads and on which stack.
 * The SYSCALL door is STAR, FMASK, EFER.SCE and LSTAR; the SYSENTER door SYSENTER_CS, _ESP and _EIP; the
 * int 0x80 door its IDT gate (kernel/idt.c writes it). Each leads to the stub of the current entry
 * variant (entry/variants.h), or to the door's bare stub (entry/bare.S) while the benchmark measures the
 * physical limit. Called from kmain (doors_init) and the benchmark's and the lab's system calls.
 */
#include "defs.h"
#include "../entry/variants.h"
#include "../lib/abi.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define ENTRY_NAME_MAX 32 /* longer than any row's name */

#define DECLARE(name, v) \
	extern char entry_syscall64_##name[], entry_sysenter64_##name[], entry_int80_##name[], sysenter_prologue_end_##name[];
#define DECLARE_OF(name, v) DECLARE(name, v) /* name expanded first, then pasted */
#define DECLARE_TWINS(name, v) DECLARE(name, v) DECLARE_OF(STAMPED_NAME(name), v)
ENTRY_VARIANTS(DECLARE_TWINS)
extern char bare_syscall64[], bare_sysenter64[], bare_int80[];

#define ROW(name, v)                                                                                         \
	{ #name, v, (uint64_t)entry_syscall64_##name, (uint64_t)entry_sysenter64_##name,                     \
	  (uint64_t)entry_int80_##name, (uint64_t)sysenter_prologue_end_##name },
#define ROW_OF(name, v) ROW(name, v)
#define ROW_TWINS(name, v) ROW(name, v) ROW_OF(STAMPED_NAME(name), (v) | EV_STAMP)
const struct entry_variant entry_variants[] = { ENTRY_VARIANTS(ROW_TWINS) };
const unsigned entry_variant_count = sizeof(entry_variants) / sizeof(entry_variants[0]);

static const struct entry_variant *current = entry_variants; /* plain */
static uint64_t bare_mask;                                     /* RB_DOOR_* */

/* RFLAGS bits SYSCALL clears: interrupts stay off in the fast path, and nothing the app set (single step,
 * direction, SMAP override, nested task, I/O privilege) leaks into the kernel. */
#define SYSCALL_FMASK (RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT | RFLAGS_IOPL | RFLAGS_RF)

/* The stack the CPU switches to on an entry from ring 3 (TSS.RSP0, and SYSENTER_ESP): the kernel stack,
 * or under a KPTI variant its entry stack (kernel/kpti.c). */
static void set_entry_stack(uint64_t top)
{
	tss_set_rsp0(top);
	if (cpu.sysenter)
		wrmsr(MSR_SYSENTER_ESP, top);
}

static void doors_apply(void)
{
	wrmsr(MSR_LSTAR, (bare_mask & RB_DOOR_SYSCALL) ? (uint64_t)bare_syscall64 : current->syscall64);
	if (cpu.sysenter)
		wrmsr(MSR_SYSENTER_EIP, (bare_mask & RB_DOOR_SYSENTER) ? (uint64_t)bare_sysenter64 : current->sysenter64);
	idt_set_int80((bare_mask & RB_DOOR_INT80) ? (uint64_t)bare_int80 : current->int80);
}

void doors_set_bare(uint64_t mask)
{
	bare_mask = mask;
	doors_apply();
}

void doors_set_variant(const struct entry_variant *v)
{
	current = v;
	kpti_set(v->features & EV_KPTI, v->features & EV_PCID);
	set_entry_stack(v->features & EV_KPTI ? kpti_entry_stack_top() : percpu.kernel_rsp);
	doors_apply();
}

/* Open the doors, plain: after tss_set_stacks, whose RSP0 they enter on. */
void doors_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)SEL_SYSRET_BASE << STAR_SYSRET_SHIFT) | ((uint64_t)SEL_KCODE << STAR_SYSCALL_SHIFT));
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	if (cpu.sysenter)
		wrmsr(MSR_SYSENTER_CS, SEL_KCODE);
	set_entry_stack(percpu.kernel_rsp);
	doors_set_bare(0);
}

const struct entry_variant *doors_variant(void) { return current; }

/* The variant with exactly these EV_* features, or NULL. */
const struct entry_variant *entry_variant_with(unsigned features)
{
	for (unsigned i = 0; i < entry_variant_count; i++)
		if (entry_variants[i].features == features)
			return &entry_variants[i];
	return 0;
}

/* The variant of that name (a row of entry/variants.h), or NULL. */
const struct entry_variant *entry_variant_named(const char *name)
{
	for (unsigned i = 0; i < entry_variant_count; i++)
		if (!strncmp(entry_variants[i].name, name, ENTRY_NAME_MAX))
			return &entry_variants[i];
	return 0;
}

/* Is rip the first instruction of a way into the kernel from ring 3: a SYSCALL or int 0x80 stub of any
 * variant, a bare one, or FRED's entry page? A #DB held back by MOV SS (or POP SS) past the door
 * instruction arrives there, in ring 0 (on the app's RSP and GS base under SYSCALL: IST_DB's stack takes
 * it); it belongs to the app's single-stepping, which the door's return carries on. */
bool at_door_entry(uint64_t rip)
{
	extern char fred_entry_page[];
	for (unsigned i = 0; i < entry_variant_count; i++)
		if (rip == entry_variants[i].syscall64 || rip == entry_variants[i].int80)
			return true;
	return rip == (uint64_t)bare_syscall64 || rip == (uint64_t)bare_int80 || rip == (uint64_t)fred_entry_page;
}

/* Is rip in the part of a SYSENTER stub that runs with the app's TF (see entry/sysenter64.S)? */
bool in_sysenter_prologue(uint64_t rip)
{
	for (unsigned i = 0; i < entry_variant_count; i++)
		if (rip >= entry_variants[i].sysenter64 && rip <= entry_variants[i].sysenter_prologue_end)
			return true;
	return false;
}
