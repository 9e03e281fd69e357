/*
 * variants.h: the entry variants. Every door's entry stub is a gas macro (entry/syscall64.S, sysenter64.S,
 * int80.S) assembled once per row of ENTRY_VARIANTS, with that row's EV_* features built in; a feature a
 * variant lacks is not there at all, not even as a branch. kernel/doors.c switches a variant in by
 * pointing the SYSCALL and SYSENTER MSRs and the int 0x80 gate at its stubs. Included by C and assembly.
 */
#ifndef RINGBENCH_VARIANTS_H
#define RINGBENCH_VARIANTS_H

#define EV_AUDIT 0x1 /* record every call in the audit ring (kernel/audit.c) */

/* X(name, features): the stubs are entry_syscall64_<name>, entry_sysenter64_<name>, entry_int80_<name>. */
#define ENTRY_VARIANTS(X) \
	X(plain, 0)       \
	X(audit, EV_AUDIT)
#endif
