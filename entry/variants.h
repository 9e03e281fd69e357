/*
 * variants.h: the entry variants. Every door's entry stub is a gas macro (entry/syscall64.S, sysenter64.S,
 * int80.S) assembled once per row of ENTRY_VARIANTS, with that row's EV_* features built in; a feature a
 * variant lacks is not there at all, not even as a branch. kernel/doors.c switches a variant in by
 * pointing the SYSCALL and SYSENTER MSRs and the int 0x80 gate at its stubs. Included by C and assembly.
 */
#ifndef RINGBENCH_VARIANTS_H
#define RINGBENCH_VARIANTS_H

#define EV_AUDIT     0x001 /* record every call in the audit ring (kernel/audit.c) */
#define EV_LFENCE    0x002 /* LFENCE after SWAPGS (CVE-2019-1125) */
#define EV_KPTI      0x004 /* page-table switch on entry and exit (kernel/kpti.c; Meltdown, CVE-2017-5754) */
#define EV_PCID      0x008 /* ... with a PCID per table set, so the switch keeps the TLB */
#define EV_VERW      0x010 /* VERW on the way out (MDS: CVE-2018-12126/12127/12130, CVE-2019-11091) */
#define EV_IBRS      0x020 /* IBRS on entry, off on exit (Spectre v2, CVE-2017-5715) */
#define EV_IBPB      0x040 /* IBPB on entry */
#define EV_RSB       0x080 /* return stack buffer stuffing on entry */
#define EV_RETPOLINE 0x100 /* the table call through a retpoline thunk (entry/retpoline.S) */
#define EV_SWITCH    0x200 /* a switch over the numbers instead of the table (Branch History Injection) */
#define EV_NOMASK    0x400 /* the Spectre v1 index clamp as a branch instead of CMOV: the clamp off */
#define EV_NOSWAPGS  0x800 /* the syscall door's per-CPU slots by name, without SWAPGS: what SWAPGS costs */
#define EV_STAMP     0x1000 /* the TSC read at the entry's first and the exit's last instruction (one-way costs) */

/* X(name, features): the stubs are entry_syscall64_<name>, entry_sysenter64_<name>, entry_int80_<name>.
 * The first rows are the lab's defences alone; the linux_* rows the combinations kernel/defences.c may
 * pick as "what Linux would choose on this CPU". Every row is also assembled with EV_STAMP as
 * <name>_stamped (each user of the list names the twin itself: STAMPED_NAME), so the one-way costs of
 * every defence are measured with the same stubs the round trips are (rb_entry's RB_ENTRY_STAMPED). */
#define STAMPED_NAME(name) name##_stamped
#define ENTRY_VARIANTS(X)                                          \
	X(plain, 0)                                                \
	X(audit, EV_AUDIT)                                         \
	X(lfence, EV_LFENCE)                                       \
	X(kpti, EV_KPTI)                                           \
	X(kpti_pcid, EV_KPTI|EV_PCID)                            \
	X(verw, EV_VERW)                                           \
	X(ibrs, EV_IBRS)                                           \
	X(ibpb, EV_IBPB)                                           \
	X(rsb, EV_RSB)                                             \
	X(retpoline, EV_RETPOLINE)                                 \
	X(switch, EV_SWITCH)                                       \
	X(nomask, EV_NOMASK)                                       \
	X(noswapgs, EV_NOSWAPGS)                                   \
	X(linux_lfence, EV_LFENCE|EV_SWITCH)                     \
	X(linux_lfence_verw, EV_LFENCE|EV_VERW|EV_SWITCH)        \
	X(linux_kpti, EV_KPTI|EV_VERW|EV_SWITCH)               \
	X(linux_kpti_ibrs, EV_KPTI|EV_VERW|EV_SWITCH|EV_IBRS) \
	X(linux_kpti_pcid, EV_KPTI|EV_PCID|EV_VERW|EV_SWITCH) \
	X(linux_kpti_pcid_ibrs, EV_KPTI|EV_PCID|EV_VERW|EV_SWITCH|EV_IBRS)
#endif
