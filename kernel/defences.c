/*
 * defences.c: the mitigation lab, kernel side. Which defences this CPU can run (CPUID; for the MSRs also
 * a trial write that may fault, since an emulator can list what it does not implement), the combination
 * Linux would choose here, the variant the configuration boots with, and the two system calls: rb_entry
 * (switch the doors to a variant) and rb_entry_why (why one cannot run). A defence that cannot run is
 * never switched in, so it never faults.
 */
#include "defs.h"
#include "../entry/syscall.h"
#include "../entry/variants.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "../lib/fmt.h"
#include "../lib/string.h"
#include "../lib/x86.h"

/* The operand of the EV_VERW variants' VERW: any valid data selector (entry/defences.h). */
uint16_t verw_selector ENTRY_DATA = SEL_KDATA;

static const struct defence {
	unsigned bit;
	const char *name;
} defences[] = {
	{ EV_AUDIT, "audit" }, { EV_LFENCE, "lfence" },       { EV_KPTI, "kpti" },     { EV_PCID, "pcid" },
	{ EV_VERW, "verw" },   { EV_IBRS, "ibrs" },           { EV_IBPB, "ibpb" },     { EV_RSB, "rsb" },
	{ EV_RETPOLINE, "retpoline" }, { EV_SWITCH, "switch" }, { EV_NOMASK, "nomask" }, { EV_NOSWAPGS, "noswapgs" },
};
#define NDEFENCES (sizeof(defences) / sizeof(defences[0]))
static const char *missing[NDEFENCES]; /* why each cannot run here; NULL: it can */
static bool md_clear;                  /* VERW also clears the CPU's buffers (else: a cheap no-op check) */
static uint64_t current_id = RB_ENTRY_PLAIN; /* the RB_ENTRY_* variant rb_entry or the configuration chose */
static unsigned linux_features;               /* RB_ENTRY_LINUX: the combination decided at boot */

static void try_ibrs(void)
{
	wrmsr(MSR_SPEC_CTRL, SPEC_CTRL_IBRS);
	wrmsr(MSR_SPEC_CTRL, 0);
}

static void try_ibpb(void) { wrmsr(MSR_PRED_CMD, PRED_CMD_IBPB); }

static void set_missing(unsigned bit, const char *why)
{
	for (unsigned i = 0; i < NDEFENCES; i++)
		if (defences[i].bit == bit)
			missing[i] = why;
}

/* An MSR defence runs if CPUID lists it and a trial write does not fault (entry/kprobe.S recovers it). */
static const char *msr_missing(bool listed, void (*try)(void), const char *unlisted, const char *faulted)
{
	return !listed ? unlisted : kprobe_access(KPROBE_EXEC, (uint64_t)try) ? faulted : 0;
}

/* An approximation of Linux 6.x's defaults on the system-call path (arch/x86/kernel/cpu/bugs.c):
 * PTI where Meltdown applies (Intel without RDCL_NO), with PCID when the CPU has it; otherwise, on Intel,
 * LFENCE after SWAPGS (its SWAPGS bug); VERW where MDS applies (Intel without MDS_NO); IBRS on entry on
 * those Meltdown-era parts with IBRS but not enhanced IBRS (retbleed=ibrs); and the switch dispatch on
 * every CPU (against Branch History Injection, since Linux 6.9). On AMD: the switch alone. */
static unsigned linux_choice(bool intel, uint64_t caps)
{
	unsigned f = EV_SWITCH;
	if (intel && !(caps & ARCH_CAP_RDCL_NO))
		f |= EV_KPTI | (defences_missing(EV_PCID) ? 0 : EV_PCID);
	else if (intel)
		f |= EV_LFENCE;
	if (intel && !(caps & ARCH_CAP_MDS_NO))
		f |= EV_VERW;
	if ((f & EV_KPTI) && !defences_missing(EV_IBRS) && !(caps & ARCH_CAP_IBRS_ALL))
		f |= EV_IBRS;
	return f;
}

void defences_init(void)
{
	uint32_t r[4], edx7 = 0, ebx8 = 0;
	cpuid(CPUID_VENDOR, 0, r);
	if (r[0] >= CPUID_EXT_FEATURES)
		cpuid(CPUID_EXT_FEATURES, 0, r), edx7 = r[3];
	cpuid(CPUID_EXT_MAX, 0, r);
	if (r[0] >= CPUID_EXT_ADDR)
		cpuid(CPUID_EXT_ADDR, 0, r), ebx8 = r[1];
	cpuid(CPUID_FEATURES, 0, r);
	if (!(r[2] & CPUID1_ECX_PCID))
		set_missing(EV_PCID, "CPUID.01H:ECX.PCID is clear: no process-context identifiers");
	set_missing(EV_IBRS, msr_missing((edx7 & CPUID7_EDX_SPEC_CTRL) || (ebx8 & CPUID_EXT_ADDR_EBX_IBRS), try_ibrs,
					 "CPUID lists no IBRS (leaf 7 EDX bit 26, leaf 0x80000008 EBX bit 14)",
					 "CPUID lists IBRS, but writing IA32_SPEC_CTRL faults"));
	set_missing(EV_IBPB, msr_missing((edx7 & CPUID7_EDX_SPEC_CTRL) || (ebx8 & CPUID_EXT_ADDR_EBX_IBPB), try_ibpb,
					 "CPUID lists no IBPB (leaf 7 EDX bit 26, leaf 0x80000008 EBX bit 12)",
					 "CPUID lists IBPB, but writing IA32_PRED_CMD faults"));
	uint64_t caps = (edx7 & CPUID7_EDX_ARCH_CAP) ? rdmsr(MSR_ARCH_CAPABILITIES) : 0;
	linux_features = linux_choice(cpu.intel, caps);
	md_clear = edx7 & CPUID7_EDX_MD_CLEAR;
}

const char *defences_missing(unsigned features)
{
	for (unsigned i = 0; i < NDEFENCES; i++)
		if ((features & defences[i].bit) && missing[i])
			return missing[i];
	return 0;
}

/* The variant with an RB_ENTRY_* id (its row of entry/variants.h, of the same name; Linux's choice by its
 * features), or NULL with the reason in *why. */
static const struct entry_variant *variant_for(uint64_t id, const char **why)
{
	const struct entry_variant *v =
		id == RB_ENTRY_LINUX ? entry_variant_with(linux_features) : entry_variant_named(rb_entry_name(id));
	*why = v ? defences_missing(v->features) : "no stubs are assembled with this combination (entry/variants.h)";
	return *why ? 0 : v;
}

/* "a+b+c", the defences in a set of features. */
static void feature_names(unsigned features, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = 0;
	for (unsigned i = 0; i < NDEFENCES; i++)
		if (features & defences[i].bit)
			n += fmt_snprintf(out + n, cap - n, "%s%s", n ? "+" : "", defences[i].name);
}

/* The "entry", "linux_entry", "md_clear" and "defences_unsupported" fields of the boot line. */
void print_defences(void)
{
	char combo[96];
	feature_names(linux_features, combo, sizeof(combo));
	kprintf(",\"entry\":\"%s\",\"linux_entry\":\"%s\",\"md_clear\":%s,\"defences_unsupported\":{",
		rb_entry_name(boot.entry < RB_ENTRY_COUNT ? boot.entry : RB_ENTRY_PLAIN), combo, md_clear ? "true" : "false");
	const char *sep = "";
	for (unsigned i = 0; i < NDEFENCES; i++)
		if (missing[i]) {
			kprintf("%s\"%s\":\"%s\"", sep, defences[i].name, missing[i]);
			sep = ",";
		}
	kprintf("}");
}

/* The configuration's entry variant, switched in as the app starts (its pages are mapped by then, for
 * the KPTI tables). One that cannot run here is an error line, and the doors stay plain. */
void entry_start(void)
{
	const char *why = "no such variant (the EFI stub and the kernel disagree)";
	uint64_t id = boot.entry;
	const struct entry_variant *v = id < RB_ENTRY_COUNT ? variant_for(id, &why) : 0;
	if (id == RB_ENTRY_PLAIN)
		return;
	if (!v) {
		kprintf("{\"type\":\"error\",\"stage\":\"kernel\",\"what\":\"entry variant unsupported\","
			"\"detail\":\"entry = %s: %s; the doors stay plain\"}\n", id < RB_ENTRY_COUNT ? rb_entry_name(id) : "?", why);
		return;
	}
	if (id == RB_ENTRY_AUDIT) {
		audit_set_mode(RB_AUDIT_ON); /* off again returns to plain */
	} else {
		doors_set_variant(v);
		current_id = id;
	}
	char names[96];
	feature_names(v->features, names, sizeof(names));
	kprintf("ringbench: the doors start with the %s entry variant (%s)\n", rb_entry_name(id), names);
}

/* rb_entry(id): switch the doors to the RB_ENTRY_* variant (| RB_ENTRY_STAMPED: its stamped twin), from
 * this call's return on; returns the id of the one it replaces. Auditing has its own call (rb_audit), and
 * must be off. */
SYSCALL1(rb_entry, id)
{
	const char *why;
	uint64_t base = id & ~(uint64_t)RB_ENTRY_STAMPED;
	if (base >= RB_ENTRY_COUNT || base == RB_ENTRY_AUDIT)
		return -EINVAL;
	if ((doors_variant()->features & EV_AUDIT) || percpu.fred) /* FRED: the doors' stubs are not used */
		return -EBUSY;
	const struct entry_variant *v = variant_for(base, &why);
	if (v && (id & RB_ENTRY_STAMPED))
		v = entry_variant_with(v->features | EV_STAMP);
	if (!v)
		return -EOPNOTSUPP;
	long was = (long)current_id;
	doors_set_variant(v);
	current_id = id;
	return was;
}

/* rb_entry_why(id, buf, len): copy why the variant cannot run here (a NUL-terminated sentence; "" when
 * it can) and return its length; -ERANGE when len cannot hold it all. */
SYSCALL3(rb_entry_why, id, ubuf, len)
{
	const char *why = "";
	if (id >= RB_ENTRY_COUNT)
		return -EINVAL;
	if (variant_for(id, &why))
		why = "";
	return copy_string_to_user(ubuf, len, why);
}
