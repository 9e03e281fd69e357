/*
 * fred.c: FRED event delivery (entry/fred.h, entry/fred.S): whether this CPU has it, switching it on and
 * off (the configuration's events = fred as the app starts; rb_events at run time, so that one benchmark run
 * measures the doors both ways), and the C side of the entry page: the events from ring 3 that are not
 * system calls, and every event from ring 0, handed to trap() in the IDT's terms.
 */
#include "defs.h"
#include "../entry/fred.h"
#include "../entry/syscall.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "../lib/fmt.h"
#include "../lib/x86.h"

extern char fred_entry_page[], fred_bare_page[];

/* FRED's frame is a whole frame's tf->error .. tf->ss (entry/fred.h), with FRED_EXTRA bytes above. */
_Static_assert(FRED_RIP - FRED_ERROR == TF_RIP - TF_ERROR && FRED_CS - FRED_ERROR == TF_CS - TF_ERROR &&
	       FRED_RFLAGS - FRED_ERROR == TF_RFLAGS - TF_ERROR && FRED_RSP - FRED_ERROR == TF_RSP - TF_ERROR &&
	       FRED_SS - FRED_ERROR == TF_SS - TF_ERROR, "FRED's frame lies as a trapframe's tail");
_Static_assert(FRED_DATA == TF_SIZE - TF_ERROR && FRED_FRAME == FRED_DATA + FRED_EXTRA, "two words above tf->ss");

static const char *missing = "not looked for yet"; /* why FRED cannot run here; NULL: it can */
static uint64_t mode = RB_EVENTS_IDT;

void fred_init(void)
{
	uint32_t r[4];
	cpuid(CPUID_VENDOR, 0, r);
	if (r[0] >= CPUID_EXT_FEATURES)
		cpuid(CPUID_EXT_FEATURES, CPUID7_SUBLEAF_1, r);
	else
		r[0] = 0;
	missing = (r[0] & CPUID7_1_EAX_FRED) ? 0 : "CPUID.(EAX=7,ECX=1):EAX[17] is clear: this CPU has no FRED";
}

/* Stack level n is IST n's stack (#DF, NMI, #MC: lib/x86.h), so each keeps its own stack as under the IDT.
 * #DB needs none: FRED delivers every event from ring 3 on RSP0, so no event finds the app's RSP in ring 0. */
#define FRED_STACK_LEVELS 3
_Static_assert(IST_DF <= FRED_STACK_LEVELS && IST_NMI <= FRED_STACK_LEVELS && IST_MC <= FRED_STACK_LEVELS,
	       "each IST stack FRED uses is a stack level");

static void set_msrs(uint64_t page)
{
	wrmsr(MSR_FRED_CONFIG, page); /* no red zone to skip (the kernel is built without one); interrupts at level 0 */
	wrmsr(MSR_FRED_RSP(0), percpu.kernel_rsp);
	for (int level = 1; level <= FRED_STACK_LEVELS; level++)
		wrmsr(MSR_FRED_RSP(level), tss_ist_top(level - 1));
	wrmsr(MSR_FRED_STKLVLS, FRED_STKLVL(T_DF, IST_DF) | FRED_STKLVL(T_NMI, IST_NMI) | FRED_STKLVL(T_MC, IST_MC));
}

/* RB_EVENTS_*: from the next return to ring 3 on (the caller returns through user_return, whose exit
 * follows percpu.fred). */
static void events_set(uint64_t to)
{
	if (to != RB_EVENTS_IDT) {
		/* ERETU will swap the GS base for the app's, so it must be the kernel's now: a door that has not
		 * swapped (SYSENTER's fast path uses no GS) left the app's in; swap while SWAPGS still exists */
		if (rdmsr(MSR_GS_BASE) != (uint64_t)&percpu)
			__asm__ volatile("swapgs");
		set_msrs(to == RB_EVENTS_FRED_BARE ? (uint64_t)fred_bare_page : (uint64_t)fred_entry_page);
		percpu.frame_top = percpu.kernel_rsp - FRED_EXTRA; /* FRED's frame has two words above tf->ss */
		percpu.fred = 1;
		write_cr4(read_cr4() | CR4_FRED);
	} else {
		write_cr4(read_cr4() & ~CR4_FRED);
		percpu.fred = 0;
		percpu.frame_top = percpu.kernel_rsp;
	}
	mode = to;
}

/* Why the doors cannot go to FRED now, or NULL. */
static const char *busy(void)
{
	if (missing)
		return missing;
	if (doors_variant()->features)
		return "the doors have an entry variant switched in: FRED comes on over the plain ones only";
	return 0;
}

/* The configuration's events = fred, as the app starts; one that cannot run is an error line, and the
 * events stay the IDT's. */
void events_start(void)
{
	if (!(boot.flags & BOOTINFO_F_EVENTS_FRED))
		return;
	const char *why = busy();
	if (why) {
		kprintf("{\"type\":\"error\",\"stage\":\"kernel\",\"what\":\"events unsupported\",\"detail\":\"events = "
			"fred: %s; the events stay the IDT's\"}\n", why);
		return;
	}
	events_set(RB_EVENTS_FRED);
	kprintf("ringbench: FRED delivers the events (the IDT, SWAPGS, SYSRET, SYSEXIT and IRETQ are not used)\n");
}

/* rb_events(mode): RB_EVENTS_IDT, RB_EVENTS_FRED or RB_EVENTS_FRED_BARE from this call's return on;
 * returns the mode it replaces. Framed: the return is always by the new mode's exit. */
SYSCALL_FRAME(rb_events, tf, a)
{
	uint64_t to = a[0];
	if (to > RB_EVENTS_FRED_BARE)
		return -EINVAL;
	if (to != RB_EVENTS_IDT && busy())
		return missing ? -EOPNOTSUPP : -EBUSY;
	long was = (long)mode;
	events_set(to);
	return was;
}

/* rb_events_why(buf, len): why FRED cannot run here ("" when it can), as rb_entry_why. */
SYSCALL2(rb_events_why, ubuf, len) { return copy_string_to_user(ubuf, len, missing ? missing : ""); }

/* An event from ring 3 that is no system call, in the IDT's terms: its vector; an INT n whose IDT gate the
 * app may not use (all but INT3's) is the #GP the IDT would raise, at the INT instruction; a SYSCALL or
 * SYSENTER not from 64-bit code (compatibility mode, which ringbench does not serve) is a #UD there. */
void fred_user_trap(struct trapframe *tf)
{
	uint32_t info = (uint32_t)(tf->ss >> 32);
	tf->vector = FRED_INFO_VECTOR(info);
	if (FRED_INFO_TYPE(info) == FRED_SWINT && !idt_user_gate(tf->vector)) {
		tf->error = IDT_ERROR(tf->vector);
		tf->rip -= FRED_INFO_ILEN(info);
		tf->vector = T_GP;
	} else if (FRED_INFO_TYPE(info) == FRED_OTHER) {
		tf->rip -= FRED_INFO_ILEN(info);
		tf->vector = T_UD;
	}
	trap(tf);
}

void fred_kernel_trap(struct trapframe *tf)
{
	tf->vector = FRED_INFO_VECTOR((uint32_t)(tf->ss >> 32));
	trap(tf);
}
